import { and, inArray, isNotNull, lt } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { RetentionRule } from "../../shared/retention.js";
import type { HelpRequestAfterTables } from "./help-request.after.tables.js";
import type { HelpRequestChoiceTables } from "./help-request.choice.tables.js";
import type { HelpRequestStatus, HelpRequestTables } from "./help-request.tables.js";

const CLOSED: HelpRequestStatus[] = ["DONE", "CANCELLED", "EXPIRED"];

/**
 * Offers, thanks and follow-ups of a closed request go when the request itself is pseudonymised (the
 * same term, RETENTION_HELP_REQUEST_DAYS after it closed): they are about people and say nothing the
 * statistics need. Hours stay for the statistics, without the volunteer.
 */
export function helpRequestAfterRetention(db: Database<HelpRequestTables & HelpRequestChoiceTables & HelpRequestAfterTables>, closedDays: number): RetentionRule {
  return {
    kind: "helpAfter",
    async apply(now) {
      const before = new Date(now.getTime() - closedDays * 86_400_000);
      const { helpRequests: hr, helpRequestOffers: o, helpRequestThanks: th, helpRequestFollowUps: f, volunteerHours: h } = db.tables;
      return db.transaction(async (tx) => {
        const past = tx
          .select({ id: hr.id })
          .from(hr)
          .where(and(inArray(hr.status, CLOSED), lt(hr.updatedAt, before)));
        const offers = await tx.delete(o).where(inArray(o.helpRequestId, past)).returning({ id: o.id });
        const thanks = await tx.delete(th).where(inArray(th.helpRequestId, past)).returning({ id: th.helpRequestId });
        const followUps = await tx.delete(f).where(inArray(f.helpRequestId, past)).returning({ id: f.helpRequestId });
        const hours = await tx
          .update(h)
          .set({ volunteerId: null })
          .where(and(inArray(h.helpRequestId, past), isNotNull(h.volunteerId)))
          .returning({ id: h.helpRequestId });
        return { removed: offers.length + thanks.length + followUps.length, pseudonymised: hours.length };
      });
    },
  };
}
