import { and, asc, eq, inArray, isNotNull, lt } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { RetentionRule } from "../../shared/retention.js";
import type { DocumentStore } from "./case-document.store.js";
import type { EscalationTables } from "./escalation.tables.js";

const BATCH = 200;

/**
 * Casework goes with its case: when a closed case reaches its term (RETENTION_ESCALATION_YEARS after
 * closing, when escalation.retention.ts pseudonymises it), its notes, contact moments, documents and
 * re-route reasons are deleted, the files too. The files are removed after the rows' commit; a crash in
 * between leaves a file no row points at, which holds nothing anyone can reach.
 */
export function caseWorkRetention(db: Database<EscalationTables>, closedYears: number, store: DocumentStore | null): RetentionRule {
  const { escalations: x, caseNotes: n, caseDocuments: d, caseReroutes: r } = db.tables;
  return {
    kind: "casework",
    async apply(now) {
      const before = new Date(now);
      before.setUTCFullYear(before.getUTCFullYear() - closedYears);
      let removed = 0;
      const pastTerm = and(eq(x.status, "CLOSED"), isNotNull(x.closedAt), lt(x.closedAt, before));
      // Each table in batches of rows whose case is past its term: never a list of all old cases.
      for (;;) {
        const done = await db.transaction(async (tx) => {
          const notes = await tx.select({ id: n.id }).from(n).innerJoin(x, eq(x.id, n.escalationId)).where(pastTerm).orderBy(asc(n.id)).limit(BATCH);
          const docs = await tx.select({ id: d.id, key: d.storageKey }).from(d).innerJoin(x, eq(x.id, d.escalationId)).where(pastTerm).orderBy(asc(d.id)).limit(BATCH);
          const reroutes = await tx.select({ id: r.id }).from(r).innerJoin(x, eq(x.id, r.escalationId)).where(pastTerm).orderBy(asc(r.id)).limit(BATCH);
          if (notes.length)
            await tx.delete(n).where(
              inArray(
                n.id,
                notes.map((y) => y.id),
              ),
            );
          if (docs.length)
            await tx.delete(d).where(
              inArray(
                d.id,
                docs.map((y) => y.id),
              ),
            );
          if (reroutes.length)
            await tx.delete(r).where(
              inArray(
                r.id,
                reroutes.map((y) => y.id),
              ),
            );
          return { seen: Math.max(notes.length, docs.length, reroutes.length), removed: notes.length + docs.length + reroutes.length, keys: docs.map((y) => y.key) };
        });
        for (const key of done.keys) await store?.delete(key);
        removed += done.removed;
        if (done.seen < BATCH) break;
      }
      return { removed, pseudonymised: 0 };
    },
  };
}
