import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { InitiativeTables } from "./initiative.tables.js";

/**
 * Full-text search over initiatives, one implementation per SQL dialect behind the same two pieces of
 * SQL (see docs/decisions.md). Terms come from searchTerms: normalised (lower case, no accents) and
 * letters and digits only, so they can carry no operator of either engine; each must start a word of
 * the initiative's search text (prefix match: "taal" finds "taalcafé", not "digitaal").
 */
export interface InitiativeTextSearch {
  /** Condition: every term starts a word of the initiative's search text (stemmed on PostgreSQL). */
  matches(terms: string[]): SQL;
  /**
   * Relevance of the match, higher first, title matches above the rest. A whole number (the engine's
   * rank scaled and rounded) so a cursor can carry it exactly and ties fall to the id.
   */
  rank(terms: string[]): SQL;
  /**
   * A source the discovery must inner-join for `matches` and `rank` to hold, or null. On SQLite the
   * match and its bm25 come from one pass over the index, joined by rowid; a rank asked per row (a
   * correlated subquery) would run the full-text query once per matching row.
   */
  join(terms: string[]): { source: SQL; on: SQL } | null;
}

const RANK_SCALE = 1_000_000;

/** The text search of `database`'s dialect: FTS5 on SQLite, a Dutch tsvector on PostgreSQL. */
export function initiativeTextSearch(database: Database<InitiativeTables>): InitiativeTextSearch {
  const i = database.tables.initiatives;
  if (database.dialect === "postgres") {
    // Each term is a prefix of either its Dutch stem ("wandelen" is wandel:*, which finds "wandeling")
    // or itself as typed (the stemmer makes "taal" tal:*, which would miss "taalcafé"). A stop word
    // ("de") has no stem, so it matches as typed, as on SQLite.
    const query = (terms: string[]) =>
      sql.join(
        terms.map((w) => sql`(to_tsquery('pg_catalog.dutch', ${`${w}:*`}) || to_tsquery('pg_catalog.simple', ${`${w}:*`}))`),
        sql` && `,
      );
    return {
      matches: (terms) => sql`${i}.search_vector @@ (${query(terms)})`,
      rank: (terms) => sql`(round(ts_rank(${i}.search_vector, (${query(terms)})) * ${sql.raw(String(RANK_SCALE))})::integer)`,
      join: () => null,
    };
  }
  // FTS5: each term a quoted prefix ("taal"*), all required; bm25 is lower for better matches and
  // weighs the title three times the rest. The index shares rowids with initiatives (external content);
  // the join with its matches is the filter, so `matches` adds nothing.
  const query = (terms: string[]) => terms.map((w) => `"${w}"*`).join(" ");
  return {
    matches: () => sql`1 = 1`,
    rank: () => sql`initiative_match.score`,
    join: (terms) => ({
      source: sql`(select rowid as rid, cast(round(-bm25(initiative_search, 3.0, 1.0) * ${sql.raw(String(RANK_SCALE))}) as integer) as score from initiative_search where initiative_search match ${query(terms)}) as initiative_match`,
      on: sql`initiative_match.rid = ${i}.rowid`,
    }),
  };
}
