import { and, asc, eq, inArray, lt, notLike, sql } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import { PSEUDONYM_PREFIX, type Pseudonymise, type RetentionRule } from "../../shared/retention.js";
import type { HelpRequestStatus, HelpRequestTables } from "./help-request.tables.js";

/** Statuses a request does not leave again: its term runs from the last change. */
const CLOSED: HelpRequestStatus[] = ["DONE", "CANCELLED", "EXPIRED"];
const BATCH = 500;

/** Pseudonymises the given requests inside the caller's transaction; returns the ids it changed itself. */
export type HelpRequestPseudonymiser = (tx: Db, ids: readonly string[]) => Promise<string[]>;

/**
 * Replaces the asker, the person helped, the volunteer and every actor in the status history by their
 * pseudonyms and clears the title, description and notes. Each request is changed only while it still
 * links to its asker, so when two instances try at once the second finds nothing left, and only the one
 * that changed a request returns it. The row keeps neighbourhood, category, urgency, status and times.
 */
export function helpRequestPseudonymiser(db: Database<HelpRequestTables>, pseudonymise: Pseudonymise): HelpRequestPseudonymiser {
  const hr = db.tables.helpRequests;
  const e = db.tables.helpRequestEvents;
  return async (tx, ids) => {
    if (ids.length === 0) return [];
    const due = await tx
      .select({ id: hr.id, askedById: hr.askedById, personHelpedId: hr.personHelpedId, volunteerId: hr.volunteerId })
      .from(hr)
      .where(and(inArray(hr.id, [...ids]), notLike(hr.askedById, `${PSEUDONYM_PREFIX}%`)))
      .orderBy(asc(hr.id));
    if (due.length === 0) return [];
    const events = await tx
      .selectDistinct({ helpRequestId: e.helpRequestId, actorId: e.actorId })
      .from(e)
      .where(
        inArray(
          e.helpRequestId,
          due.map((r) => r.id),
        ),
      );
    const names = await pseudonymise(tx, [...due.flatMap((r) => [r.askedById, r.personHelpedId, r.volunteerId]), ...events.map((x) => x.actorId)]);
    const as = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
    const actorsOf = new Map<string, string[]>();
    for (const x of events) if (x.actorId) actorsOf.set(x.helpRequestId, [...(actorsOf.get(x.helpRequestId) ?? []), x.actorId]);
    const changed: string[] = [];
    for (const r of due) {
      // Conditional on the asker still being the person: another instance that got here first leaves nothing to do.
      const rows = await tx
        .update(hr)
        .set({ askedById: as(r.askedById)!, personHelpedId: as(r.personHelpedId)!, volunteerId: as(r.volunteerId), title: "", description: "" })
        .where(and(eq(hr.id, r.id), notLike(hr.askedById, `${PSEUDONYM_PREFIX}%`)))
        .returning({ id: hr.id });
      if (rows.length === 0) continue;
      changed.push(r.id);
      // Its history in one statement: notes cleared, each actor replaced by their pseudonym.
      const actors = actorsOf.get(r.id) ?? [];
      const actorId = actors.length
        ? sql`case ${e.actorId} ${sql.join(
            actors.map((a) => sql`when ${a} then ${as(a)}`),
            sql` `,
          )} else ${e.actorId} end`
        : e.actorId;
      await tx.update(e).set({ note: null, actorId }).where(eq(e.helpRequestId, r.id));
    }
    return changed;
  };
}

/**
 * Closed help requests past their term are pseudonymised, not deleted: the statistics count them (asked,
 * matched, volunteers, mantelzorgers per month), so the row and its status history stay. A request that
 * became a case (ESCALATED) follows the case's term instead (escalation.retention.ts).
 */
export function helpRequestRetention(db: Database<HelpRequestTables>, pseudonymiseRequests: HelpRequestPseudonymiser, closedDays: number): RetentionRule {
  const hr = db.tables.helpRequests;
  return {
    kind: "helpRequests",
    async apply(now) {
      const before = new Date(now.getTime() - closedDays * 86_400_000);
      let pseudonymised = 0;
      for (;;) {
        const done = await db.transaction(async (tx) => {
          const due = await tx
            .select({ id: hr.id })
            .from(hr)
            .where(and(inArray(hr.status, CLOSED), lt(hr.updatedAt, before), notLike(hr.askedById, `${PSEUDONYM_PREFIX}%`)))
            .orderBy(asc(hr.id))
            .limit(BATCH);
          const changed = await pseudonymiseRequests(
            tx,
            due.map((r) => r.id),
          );
          return { seen: due.length, changed: changed.length };
        });
        pseudonymised += done.changed;
        if (done.seen < BATCH) break;
      }
      return { removed: 0, pseudonymised };
    },
  };
}
