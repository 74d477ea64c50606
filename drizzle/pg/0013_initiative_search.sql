-- Initiative text search (docs/decisions.md): a generated tsvector of the normalised (lower-cased,
-- accent-free) search columns with the Dutch stemmer, the title weighted A and the rest B, and a GIN
-- index on it. Generated, so every insert and edit keeps it in step in its own statement. Accents are
-- removed by the app before the text is stored and from the query, so no unaccent extension is needed.
ALTER TABLE "initiatives" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('pg_catalog.dutch', "search_title"), 'A') || setweight(to_tsvector('pg_catalog.dutch', "search_text"), 'B')) STORED;
--> statement-breakpoint
CREATE INDEX "initiatives_search_idx" ON "initiatives" USING gin ("search_vector");
