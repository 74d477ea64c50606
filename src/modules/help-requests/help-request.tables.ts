import { sql } from "drizzle-orm";
import type { Kit } from "../../db/kit.js";
import type { Database } from "../../db/client.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";

export type Urgency = "LOW" | "NORMAL" | "HIGH" | "URGENT";
/** Whom the matched volunteer of a request contacts. */
export type ContactVia = "PERSON_HELPED" | "ASKER";
export type HelpRequestStatus = "OPEN" | "MATCHED" | "IN_PROGRESS" | "DONE" | "CANCELLED" | "EXPIRED" | "ESCALATED";

/** Help requests (hulpvragen) and the history of their status changes. */
export function defineHelpRequestTables(k: Kit, deps: PlaceTables & PersonTables) {
  const helpRequests = k.table(
    "help_requests",
    {
      id: k.text("id").primaryKey(),
      personHelpedId: k
        .text("person_helped_id")
        .notNull()
        .references(() => deps.people.id),
      askedById: k
        .text("asked_by_id")
        .notNull()
        .references(() => deps.people.id),
      categoryId: k
        .text("category_id")
        .notNull()
        .references(() => deps.helpCategories.id),
      neighbourhoodId: k
        .text("neighbourhood_id")
        .notNull()
        .references(() => deps.neighbourhoods.id),
      title: k.text("title").notNull(),
      description: k.text("description").notNull(),
      urgency: k.text("urgency").$type<Urgency>().notNull(),
      vogRequired: k.bool("vog_required").notNull(),
      windowStart: k.time("window_start").notNull(),
      windowEnd: k.time("window_end").notNull(),
      status: k.text("status").$type<HelpRequestStatus>().notNull(),
      volunteerId: k.text("volunteer_id").references(() => deps.people.id),
      /** The organisation that took the request on for its own volunteers (see the initiatives module). */
      organisationId: k.text("organisation_id"),
      /** The organisation (e.g. a wijkwinkel) the request was asked for: its organisers share it with the asker. */
      askingOrganisationId: k.text("asking_organisation_id"),
      /** Whom the matched volunteer contacts: the person helped or whoever asked. */
      contactVia: k.text("contact_via").$type<ContactVia>().notNull().default("PERSON_HELPED"),
      /** Asked with a partner app's sandbox key: it reaches no volunteer, organisation, team or statistic. */
      sandbox: k.bool("sandbox").notNull().default(false),
      /** The language the person helped needs (ISO 639 code), when it matters; volunteers' languages are fitted to it. */
      language: k.text("language"),
      /** The requester's choice: volunteers offer to help and the asking side picks one (help-request.choice.service.ts). */
      choiceMode: k.bool("choice_mode").notNull().default(false),
      releaseCount: k.int("release_count").notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      k.index("help_requests_browse_new_idx").on(t.status, t.neighbourhoodId, t.createdAt),
      k.index("help_requests_browse_soon_idx").on(t.status, t.neighbourhoodId, t.windowStart),
      k.index("help_requests_status_end_idx").on(t.status, t.windowEnd),
      // Retention: closed requests by the time of their last change (help-request.retention.ts).
      k.index("help_requests_status_updated_idx").on(t.status, t.updatedAt),
      k.index("help_requests_person_idx").on(t.personHelpedId),
      k.index("help_requests_asked_by_idx").on(t.askedById),
      k.index("help_requests_volunteer_idx").on(t.volunteerId),
      // Statistics scan requests by the time they were asked (modules/stats).
      k.index("help_requests_created_idx").on(t.createdAt),
      // Browsing: the open requests alone, in each browse order, carrying every column the fit is
      // decided on. A page is read in order and stops after the page is full, so its cost does not
      // grow with the history of closed requests nor with how many neighbourhoods a volunteer covers.
      k
        .index("help_requests_open_newest_idx")
        .on(t.createdAt, t.id, t.neighbourhoodId, t.categoryId, t.windowEnd, t.windowStart, t.vogRequired, t.urgency, t.askedById, t.personHelpedId, t.sandbox)
        .where(sql`status = 'OPEN'`),
      k
        .index("help_requests_open_soonest_idx")
        .on(t.windowStart, t.id, t.neighbourhoodId, t.categoryId, t.windowEnd, t.vogRequired, t.urgency, t.askedById, t.personHelpedId, t.sandbox)
        .where(sql`status = 'OPEN'`),
    ],
  );

  const helpRequestEvents = k.table(
    "help_request_events",
    {
      id: k.text("id").primaryKey(),
      helpRequestId: k
        .text("help_request_id")
        .notNull()
        .references(() => helpRequests.id),
      fromStatus: k.text("from_status").$type<HelpRequestStatus>(),
      toStatus: k.text("to_status").$type<HelpRequestStatus>().notNull(),
      actorId: k.text("actor_id"),
      note: k.text("note"),
      at: k.time("at").notNull(),
    },
    (t) => [
      k.index("help_request_events_request_idx").on(t.helpRequestId, t.at),
      // Statistics scan matches (and other transitions) by time (modules/stats).
      k.index("help_request_events_status_at_idx").on(t.toStatus, t.at),
    ],
  );

  return { helpRequests, helpRequestEvents };
}

export type HelpRequestTables = ReturnType<typeof defineHelpRequestTables>;
/** The database as the help-request repositories see it: their tables and the people they join. */
export type HelpRequestDatabase = Database<HelpRequestTables & PersonTables>;
