import { and, asc, eq, isNotNull, lt, notLike } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import { PSEUDONYM_PREFIX, type Pseudonymise, type RetentionRule } from "../../shared/retention.js";
import type { EscalationTables } from "./escalation.tables.js";

const BATCH = 200;

/**
 * Closed cases past the municipality's term (RETENTION_ESCALATION_YEARS, after closing) are pseudonymised:
 * the statistics count cases by neighbourhood, trigger and outcome, so the row stays, while the person the
 * case is about, whoever raised it, the assignee and every actor in its audit trail become pseudonyms and
 * the reason, routing and consent-bypass notes and the audit notes are cleared; so do the people named
 * in the consents recorded for the case. The help request the case
 * came from (ESCALATED, so outside the help requests' own term) is pseudonymised with it, through
 * `followRequests`, which the composition root takes from the help-requests module.
 */
export function escalationRetention(
  db: Database<EscalationTables>,
  pseudonymise: Pseudonymise,
  closedYears: number,
  followRequests: (tx: Db, helpRequestIds: string[]) => Promise<unknown> = async () => undefined,
): RetentionRule {
  const x = db.tables.escalations;
  const a = db.tables.escalationAudit;
  const consents = db.tables.consents;
  return {
    kind: "escalations",
    async apply(now) {
      const before = new Date(now);
      before.setUTCFullYear(before.getUTCFullYear() - closedYears);
      let pseudonymised = 0;
      for (;;) {
        const done = await db.transaction(async (tx) => {
          const due = await tx
            .select({ id: x.id, subjectId: x.subjectId, raisedById: x.raisedById, assigneeId: x.assigneeId, helpRequestId: x.helpRequestId })
            .from(x)
            .where(and(eq(x.status, "CLOSED"), isNotNull(x.closedAt), lt(x.closedAt, before), notLike(x.subjectId, `${PSEUDONYM_PREFIX}%`)))
            .orderBy(asc(x.id))
            .limit(BATCH);
          let changed = 0;
          for (const r of due) {
            const actors = await tx.selectDistinct({ actorId: a.actorId }).from(a).where(eq(a.escalationId, r.id));
            const given = await tx
              .select({ id: consents.id, subjectId: consents.subjectId, givenById: consents.givenById, withdrawnById: consents.withdrawnById })
              .from(consents)
              .where(eq(consents.escalationId, r.id));
            const names = await pseudonymise(tx, [
              r.subjectId,
              r.raisedById,
              r.assigneeId,
              ...actors.map((y) => y.actorId),
              ...given.flatMap((g) => [g.subjectId, g.givenById, g.withdrawnById]),
            ]);
            const as = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
            // Conditional on the subject still being the person: a second instance finds nothing left.
            const rows = await tx
              .update(x)
              .set({ subjectId: as(r.subjectId)!, raisedById: as(r.raisedById), assigneeId: as(r.assigneeId), reasonNote: null, routingNote: "", consentBypassBasis: null })
              .where(and(eq(x.id, r.id), notLike(x.subjectId, `${PSEUDONYM_PREFIX}%`)))
              .returning({ id: x.id });
            if (rows.length === 0) continue;
            changed += 1;
            await tx.update(a).set({ note: null }).where(eq(a.escalationId, r.id));
            for (const y of actors)
              if (y.actorId)
                await tx
                  .update(a)
                  .set({ actorId: as(y.actorId) })
                  .where(and(eq(a.escalationId, r.id), eq(a.actorId, y.actorId)));
            // The consents given for this case name the person too; consents given apart from a case stay theirs.
            for (const g of given)
              await tx
                .update(consents)
                .set({ subjectId: as(g.subjectId)!, givenById: as(g.givenById)!, withdrawnById: as(g.withdrawnById) })
                .where(eq(consents.id, g.id));
            if (r.helpRequestId) await followRequests(tx, [r.helpRequestId]);
          }
          return { seen: due.length, changed };
        });
        pseudonymised += done.changed;
        if (done.seen < BATCH) break;
      }
      return { removed: 0, pseudonymised };
    },
  };
}
