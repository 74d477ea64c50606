-- Initiative text search (docs/decisions.md): an FTS5 index over the normalised search columns of
-- initiatives (external content: the text is stored once, in initiatives), kept in step by triggers in
-- the same transaction as every insert, edit and delete. Prefix queries ("taal"*) use the prefix index.
CREATE VIRTUAL TABLE `initiative_search` USING fts5(search_title, search_text, content='initiatives', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4');
--> statement-breakpoint
CREATE TRIGGER `initiative_search_insert` AFTER INSERT ON `initiatives` BEGIN
  INSERT INTO initiative_search(rowid, search_title, search_text) VALUES (new.rowid, new.search_title, new.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `initiative_search_delete` AFTER DELETE ON `initiatives` BEGIN
  INSERT INTO initiative_search(initiative_search, rowid, search_title, search_text) VALUES ('delete', old.rowid, old.search_title, old.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `initiative_search_update` AFTER UPDATE OF search_title, search_text ON `initiatives` BEGIN
  INSERT INTO initiative_search(initiative_search, rowid, search_title, search_text) VALUES ('delete', old.rowid, old.search_title, old.search_text);
  INSERT INTO initiative_search(rowid, search_title, search_text) VALUES (new.rowid, new.search_title, new.search_text);
END;
--> statement-breakpoint
INSERT INTO initiative_search(initiative_search) VALUES ('rebuild');
