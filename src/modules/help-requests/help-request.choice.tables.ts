import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { HelpRequestTables } from "./help-request.tables.js";

/** Where a volunteer's offer to help with a choice-mode request stands. */
export type HelpOfferStatus = "OFFERED" | "WITHDRAWN" | "PICKED" | "RELEASED";

/**
 * Offers to help with a request in choice mode: one per volunteer and request, with a short note.
 * The asking side picks one (PICKED); the others are RELEASED with a notice, or were WITHDRAWN.
 */
export function defineHelpRequestChoiceTables(k: Kit, deps: PersonTables & HelpRequestTables) {
  const helpRequestOffers = k.table(
    "help_request_offers",
    {
      id: k.text("id").primaryKey(),
      helpRequestId: k
        .text("help_request_id")
        .notNull()
        .references(() => deps.helpRequests.id),
      volunteerId: k
        .text("volunteer_id")
        .notNull()
        .references(() => deps.people.id),
      note: k.text("note").notNull(),
      status: k.text("status").$type<HelpOfferStatus>().notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.uniqueIndex("help_request_offers_request_volunteer_idx").on(t.helpRequestId, t.volunteerId), k.index("help_request_offers_volunteer_idx").on(t.volunteerId)],
  );
  return { helpRequestOffers };
}

export type HelpRequestChoiceTables = ReturnType<typeof defineHelpRequestChoiceTables>;
