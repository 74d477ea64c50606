import { and, count, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import { DataRightsReason } from "../data-rights/data-rights.errors.js";
import type { HelpRequestTables } from "./help-request.tables.js";

/** What a cleared free text reads. */
const CLEARED = "[verwijderd]";

/**
 * The help-requests module's part of an erasure. It waits while the person holds a match as volunteer
 * or has a request still open. Then the requests they asked or were helped with keep their shape
 * (status, category, times: statistics and the volunteer's own history stay whole) but lose their
 * title and description; notes the person wrote on any request's history are cleared, as are all
 * notes on the history of their own requests (they speak about them).
 */
export function helpRequestEraser(db: Database<HelpRequestTables>): PersonalDataEraser {
  return {
    section: "helpRequests",
    async blockers(personId) {
      const r = db.tables.helpRequests;
      const [matches] = await db.read
        .select({ n: count() })
        .from(r)
        .where(and(eq(r.volunteerId, personId), inArray(r.status, ["MATCHED", "IN_PROGRESS"])));
      const [open] = await db.read
        .select({ n: count() })
        .from(r)
        .where(and(or(eq(r.personHelpedId, personId), eq(r.askedById, personId)), inArray(r.status, ["OPEN", "MATCHED", "IN_PROGRESS"])));
      return [
        { reason: DataRightsReason.ERASURE_BLOCKED_OPEN_MATCH, count: Number(matches.n) },
        { reason: DataRightsReason.ERASURE_BLOCKED_OPEN_REQUEST, count: Number(open.n) },
      ];
    },
    async erase(personId) {
      const { helpRequests: r, helpRequestEvents: e } = db.tables;
      return db.transaction(async (tx) => {
        const own = await tx
          .update(r)
          .set({ title: CLEARED, description: CLEARED })
          .where(or(eq(r.personHelpedId, personId), eq(r.askedById, personId)))
          .returning({ id: r.id });
        const ownIds = own.map((x) => x.id);
        const notes = await tx
          .update(e)
          .set({ note: null })
          .where(ownIds.length > 0 ? or(eq(e.actorId, personId), inArray(e.helpRequestId, ownIds)) : eq(e.actorId, personId))
          .returning({ id: e.id });
        return {
          erased: [
            erasedLine("titles and descriptions of your help requests (the requests stay, without them, for statistics)", own.length),
            erasedLine("notes in request histories", notes.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
