import { and, eq, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { HelpRequestAfterTables } from "./help-request.after.tables.js";
import type { HelpRequestChoiceTables } from "./help-request.choice.tables.js";

/** What a cleared free text reads. */
const CLEARED = "[verwijderd]";

/**
 * Erasure of choosing and what came after the help. Offers the person made lose their note (and are
 * withdrawn while waiting); thanks
 * they gave or received are deleted (a private message between two people, of use to nobody else);
 * follow-ups they gave lose their note; the hours they recorded stay, without them, for the statistics
 * of hours per neighbourhood and month.
 */
export function helpRequestAfterEraser(db: Database<HelpRequestChoiceTables & HelpRequestAfterTables>): PersonalDataEraser {
  return {
    section: "helpAfter",
    async erase(personId) {
      const { helpRequestOffers: o, helpRequestThanks: th, helpRequestFollowUps: f, volunteerHours: h } = db.tables;
      return db.transaction(async (tx) => {
        // An offer still waiting for the requester's choice is withdrawn: nobody can pick a person who is gone.
        await tx
          .update(o)
          .set({ status: "WITHDRAWN" })
          .where(and(eq(o.volunteerId, personId), eq(o.status, "OFFERED")));
        const offers = await tx.update(o).set({ note: CLEARED }).where(eq(o.volunteerId, personId)).returning({ id: o.id });
        const thanks = await tx
          .delete(th)
          .where(or(eq(th.thankedById, personId), eq(th.volunteerId, personId)))
          .returning({ id: th.helpRequestId });
        const followUps = await tx.update(f).set({ note: null }).where(eq(f.answeredById, personId)).returning({ id: f.helpRequestId });
        const hours = await tx.update(h).set({ volunteerId: null }).where(eq(h.volunteerId, personId)).returning({ id: h.helpRequestId });
        return {
          erased: [
            erasedLine("notes of your offers to help", offers.length),
            erasedLine("thanks you gave or received", thanks.length),
            erasedLine("notes of your follow-ups", followUps.length),
            erasedLine("your link to the hours you recorded (the minutes stay, without you, for statistics)", hours.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
