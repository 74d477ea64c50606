import type { Db } from "../db/client.js";

/** What one kind of data's retention did in one pass. */
export interface RetentionCount {
  /** The kind of data, e.g. `helpRequests`. */
  kind: string;
  /** Rows deleted because their term passed. */
  removed: number;
  /** Rows kept for statistics and others' records, with the person links replaced and free text cleared. */
  pseudonymised: number;
}

/**
 * One module's retention: finds its rows past their term and removes or pseudonymises each once.
 * Every change is a conditional write in a transaction, so instances running it at once act once per row.
 */
export interface RetentionRule {
  kind: string;
  apply(now: Date): Promise<Omit<RetentionCount, "kind">>;
}

/** Prefix of a pseudonym's person id: rows linked to one are already pseudonymised. */
export const PSEUDONYM_PREFIX = "pseudonym-";

/**
 * Maps people to their pseudonyms inside a transaction, creating the pseudonyms' rows. One person
 * always gets the same pseudonym, so counts of distinct people over pseudonymised rows stay the same.
 */
export type Pseudonymise = (tx: Db, personIds: readonly (string | null)[]) => Promise<Map<string, string>>;
