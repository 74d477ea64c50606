import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";
import type { HelpRequestTables } from "./help-request.tables.js";

/** What the requester says is still needed after help was given. */
export type MoreNeeded = "NOTHING" | "NEW_REQUEST" | "PROFESSIONAL";

/**
 * After the help (a DONE request): the private thank-you to the volunteer, the requester's follow-up,
 * and the time the volunteer spent. At most one of each per request (the request is their key).
 */
export function defineHelpRequestAfterTables(k: Kit, deps: PersonTables & PlaceTables & HelpRequestTables) {
  const helpRequestThanks = k.table(
    "help_request_thanks",
    {
      helpRequestId: k
        .text("help_request_id")
        .primaryKey()
        .references(() => deps.helpRequests.id),
      thankedById: k
        .text("thanked_by_id")
        .notNull()
        .references(() => deps.people.id),
      volunteerId: k
        .text("volunteer_id")
        .notNull()
        .references(() => deps.people.id),
      message: k.text("message").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("help_request_thanks_volunteer_idx").on(t.volunteerId)],
  );

  const helpRequestFollowUps = k.table("help_request_follow_ups", {
    helpRequestId: k
      .text("help_request_id")
      .primaryKey()
      .references(() => deps.helpRequests.id),
    answeredById: k
      .text("answered_by_id")
      .notNull()
      .references(() => deps.people.id),
    happened: k.bool("happened").notNull(),
    moreNeeded: k.text("more_needed").$type<MoreNeeded>().notNull(),
    /** The new request opened for what is still needed (it links back through this row). */
    linkedRequestId: k.text("linked_request_id").references(() => deps.helpRequests.id),
    /** The escalation case opened when a professional is needed. */
    escalationId: k.text("escalation_id"),
    note: k.text("note"),
    createdAt: k.time("created_at").notNull(),
  });

  const volunteerHours = k.table(
    "volunteer_hours",
    {
      helpRequestId: k
        .text("help_request_id")
        .primaryKey()
        .references(() => deps.helpRequests.id),
      /** Null once the entry passed its term: the minutes stay for the statistics, without the person. */
      volunteerId: k.text("volunteer_id").references(() => deps.people.id),
      neighbourhoodId: k
        .text("neighbourhood_id")
        .notNull()
        .references(() => deps.neighbourhoods.id),
      /** YYYY-MM, the Europe/Amsterdam month in which the help's window started. */
      month: k.text("month").notNull(),
      minutes: k.int("minutes").notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.index("volunteer_hours_volunteer_idx").on(t.volunteerId, t.month), k.index("volunteer_hours_neighbourhood_idx").on(t.month, t.neighbourhoodId)],
  );

  return { helpRequestThanks, helpRequestFollowUps, volunteerHours };
}

export type HelpRequestAfterTables = ReturnType<typeof defineHelpRequestAfterTables>;
