import { asc, desc, eq, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { HelpRequestAfterTables } from "./help-request.after.tables.js";
import type { HelpRequestChoiceTables } from "./help-request.choice.tables.js";

/**
 * The part of a data export about choosing and what came after the help: the offers to help the person
 * made (with their notes), the thanks they gave or received, the follow-ups they gave, and the hours
 * they recorded. Others are not named: a request is referred to by its id, which the `helpRequests`
 * section describes.
 */
export function helpRequestAfterExporter(db: Database<HelpRequestChoiceTables & HelpRequestAfterTables>): PersonalDataExporter {
  return {
    section: "helpAfter",
    tables: ["helpRequestOffers", "helpRequestThanks", "helpRequestFollowUps", "volunteerHours"],
    async export(personId) {
      const { helpRequestOffers: o, helpRequestThanks: th, helpRequestFollowUps: f, volunteerHours: h } = db.tables;
      const [offers, thanks, followUps, hours] = await Promise.all([
        db.read.select().from(o).where(eq(o.volunteerId, personId)).orderBy(asc(o.createdAt), asc(o.id)),
        db.read
          .select()
          .from(th)
          .where(or(eq(th.thankedById, personId), eq(th.volunteerId, personId)))
          .orderBy(asc(th.createdAt)),
        db.read.select().from(f).where(eq(f.answeredById, personId)).orderBy(asc(f.createdAt)),
        db.read.select().from(h).where(eq(h.volunteerId, personId)).orderBy(desc(h.month), asc(h.helpRequestId)),
      ]);
      return {
        offersToHelp: offers.map((x) => ({ helpRequestId: x.helpRequestId, note: x.note, status: x.status, createdAt: iso(x.createdAt), updatedAt: iso(x.updatedAt) })),
        thanks: thanks.map((x) => ({
          helpRequestId: x.helpRequestId,
          yourPart: x.thankedById === personId ? "GAVE" : "RECEIVED",
          message: x.message,
          createdAt: iso(x.createdAt),
        })),
        followUps: followUps.map((x) => ({
          helpRequestId: x.helpRequestId,
          happened: x.happened,
          moreNeeded: x.moreNeeded,
          note: x.note,
          linkedRequestId: x.linkedRequestId,
          professionalAsked: x.escalationId !== null,
          createdAt: iso(x.createdAt),
        })),
        volunteerHours: hours.map((x) => ({ helpRequestId: x.helpRequestId, month: x.month, minutes: x.minutes, updatedAt: iso(x.updatedAt) })),
      };
    },
  };
}
