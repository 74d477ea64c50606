import { sql } from "drizzle-orm";
import { defineApiClientTables } from "../modules/api-clients/api-client.tables.js";
import { defineCareTables } from "../modules/care/care.tables.js";
import { defineEscalationTables } from "../modules/escalation/escalation.tables.js";
import { defineIdempotencyTables } from "../modules/idempotency/idempotency.tables.js";
import { defineInitiativeTables } from "../modules/initiatives/initiative.tables.js";
import type { Kit } from "./kit.js";

export type Role = "RESIDENT" | "VOLUNTEER" | "MANTELZORGER" | "ORGANISER" | "PROFESSIONAL" | "COORDINATOR";
export type Urgency = "LOW" | "NORMAL" | "HIGH" | "URGENT";
/** Whom the matched volunteer of a request contacts. */
export type ContactVia = "PERSON_HELPED" | "ASKER";
export type HelpRequestStatus = "OPEN" | "MATCHED" | "IN_PROGRESS" | "DONE" | "CANCELLED" | "EXPIRED" | "ESCALATED";
export type VogStatus = "NONE" | "PENDING" | "VERIFIED" | "REJECTED";
export type TeamKind = "SOCIAL_TEAM" | "YOUTH_TEAM";
export interface AvailabilitySlot {
  weekday: number;
  from: string;
  to: string;
}

/**
 * The core tables (places, people, volunteers, help requests, access log), declared once for both
 * SQL dialects. Times are stored as instants (epoch milliseconds on SQLite, timestamptz on
 * PostgreSQL); ids are opaque prefixed strings. Modules declare their own tables next to their code
 * and are composed in `defineTables`.
 */
export function defineCoreTables(k: Kit) {
  const appSettings = k.table("app_settings", {
    key: k.text("key").primaryKey(),
    value: k.text("value").notNull(),
  });

  const areas = k.table("areas", {
    id: k.text("id").primaryKey(),
    municipality: k.text("municipality").notNull(),
    name: k.text("name").notNull(),
  });

  const neighbourhoods = k.table(
    "neighbourhoods",
    {
      id: k.text("id").primaryKey(),
      areaId: k.text("area_id")
        .notNull()
        .references(() => areas.id),
      name: k.text("name").notNull(),
      latitude: k.real("latitude").notNull(),
      longitude: k.real("longitude").notNull(),
    },
    (t) => [k.index("neighbourhoods_area_idx").on(t.areaId)],
  );

  const helpCategories = k.table("help_categories", {
    id: k.text("id").primaryKey(),
    code: k.text("code").notNull().unique(),
    name: k.text("name").notNull(),
    nameNl: k.text("name_nl").notNull(),
    description: k.text("description").notNull(),
  });

  const teams = k.table(
    "teams",
    {
      id: k.text("id").primaryKey(),
      areaId: k.text("area_id")
        .notNull()
        .references(() => areas.id),
      kind: k.text("kind").$type<TeamKind>().notNull(),
      name: k.text("name").notNull(),
    },
    (t) => [k.uniqueIndex("teams_area_kind_idx").on(t.areaId, t.kind)],
  );

  const people = k.table(
    "people",
    {
      id: k.text("id").primaryKey(),
      firstName: k.text("first_name").notNull(),
      lastName: k.text("last_name"),
      email: k.text("email").unique(),
      passwordHash: k.text("password_hash"),
      phone: k.text("phone"),
      address: k.text("address"),
      neighbourhoodId: k.text("neighbourhood_id").references(() => neighbourhoods.id),
      birthDate: k.text("birth_date"),
      createdById: k.text("created_by_id"),
      teamId: k.text("team_id").references(() => teams.id),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("people_created_by_idx").on(t.createdById)],
  );

  const personRoles = k.table(
    "person_roles",
    {
      personId: k.text("person_id")
        .notNull()
        .references(() => people.id),
      role: k.text("role").$type<Role>().notNull(),
      grantedAt: k.time("granted_at").notNull(),
      grantedById: k.text("granted_by_id"),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.role] })],
  );

  const volunteerProfiles = k.table("volunteer_profiles", {
    personId: k.text("person_id")
      .primaryKey()
      .references(() => people.id),
    languages: k.json<string[]>("languages").notNull(),
    availability: k.json<AvailabilitySlot[]>("availability").notNull(),
    vogStatus: k.text("vog_status").$type<VogStatus>().notNull(),
    vogIssuedOn: k.text("vog_issued_on"),
    vogVerifiedById: k.text("vog_verified_by_id"),
    vogVerifiedAt: k.time("vog_verified_at"),
    updatedAt: k.time("updated_at").notNull(),
  });

  const volunteerCategories = k.table(
    "volunteer_categories",
    {
      personId: k.text("person_id")
        .notNull()
        .references(() => people.id),
      categoryId: k.text("category_id")
        .notNull()
        .references(() => helpCategories.id),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.categoryId] })],
  );

  const volunteerNeighbourhoods = k.table(
    "volunteer_neighbourhoods",
    {
      personId: k.text("person_id")
        .notNull()
        .references(() => people.id),
      neighbourhoodId: k.text("neighbourhood_id")
        .notNull()
        .references(() => neighbourhoods.id),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.neighbourhoodId] })],
  );

  const helpRequests = k.table(
    "help_requests",
    {
      id: k.text("id").primaryKey(),
      personHelpedId: k.text("person_helped_id")
        .notNull()
        .references(() => people.id),
      askedById: k.text("asked_by_id")
        .notNull()
        .references(() => people.id),
      categoryId: k.text("category_id")
        .notNull()
        .references(() => helpCategories.id),
      neighbourhoodId: k.text("neighbourhood_id")
        .notNull()
        .references(() => neighbourhoods.id),
      title: k.text("title").notNull(),
      description: k.text("description").notNull(),
      urgency: k.text("urgency").$type<Urgency>().notNull(),
      vogRequired: k.bool("vog_required").notNull(),
      windowStart: k.time("window_start").notNull(),
      windowEnd: k.time("window_end").notNull(),
      status: k.text("status").$type<HelpRequestStatus>().notNull(),
      volunteerId: k.text("volunteer_id").references(() => people.id),
      /** The organisation that took the request on for its own volunteers (see the initiatives module). */
      organisationId: k.text("organisation_id"),
      /** The organisation (e.g. a wijkwinkel) the request was asked for: its organisers share it with the asker. */
      askingOrganisationId: k.text("asking_organisation_id"),
      /** Whom the matched volunteer contacts: the person helped or whoever asked. */
      contactVia: k.text("contact_via").$type<ContactVia>().notNull().default("PERSON_HELPED"),
      /** Asked with a partner app's sandbox key: it reaches no volunteer, organisation, team or statistic. */
      sandbox: k.bool("sandbox").notNull().default(false),
      releaseCount: k.int("release_count").notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      k.index("help_requests_browse_new_idx").on(t.status, t.neighbourhoodId, t.createdAt),
      k.index("help_requests_browse_soon_idx").on(t.status, t.neighbourhoodId, t.windowStart),
      k.index("help_requests_status_end_idx").on(t.status, t.windowEnd),
      k.index("help_requests_person_idx").on(t.personHelpedId),
      k.index("help_requests_asked_by_idx").on(t.askedById),
      k.index("help_requests_volunteer_idx").on(t.volunteerId),
      // Statistics scan requests by the time they were asked (modules/stats).
      k.index("help_requests_created_idx").on(t.createdAt),
      // Browsing: the open requests alone, in each browse order, carrying every column the fit is
      // decided on. A page is read in order and stops after the page is full, so its cost does not
      // grow with the history of closed requests nor with how many neighbourhoods a volunteer covers.
      k.index("help_requests_open_newest_idx")
        .on(t.createdAt, t.id, t.neighbourhoodId, t.categoryId, t.windowEnd, t.windowStart, t.vogRequired, t.urgency, t.askedById, t.personHelpedId, t.sandbox)
        .where(sql`status = 'OPEN'`),
      k.index("help_requests_open_soonest_idx")
        .on(t.windowStart, t.id, t.neighbourhoodId, t.categoryId, t.windowEnd, t.vogRequired, t.urgency, t.askedById, t.personHelpedId, t.sandbox)
        .where(sql`status = 'OPEN'`),
    ],
  );

  const helpRequestEvents = k.table(
    "help_request_events",
    {
      id: k.text("id").primaryKey(),
      helpRequestId: k.text("help_request_id")
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

  const accessLog = k.table(
    "access_log",
    {
      id: k.text("id").primaryKey(),
      readerId: k.text("reader_id").notNull(),
      subjectId: k.text("subject_id").notNull(),
      fields: k.json<string[]>("fields").notNull(),
      purpose: k.text("purpose").notNull(),
      objectId: k.text("object_id"),
      at: k.time("at").notNull(),
    },
    (t) => [
      k.index("access_log_subject_idx").on(t.subjectId, t.at),
      k.index("access_log_reader_idx").on(t.readerId, t.at),
    ],
  );

  /**
   * The event log (outbox): every change writes its event here in the same transaction; pub/sub only
   * says "wake up", and subscribers catch up from a sequence number after a reconnect.
   */
  const eventLog = k.table(
    "event_log",
    {
      seq: k.serial("seq"),
      topic: k.text("topic").notNull(),
      entityId: k.text("entity_id").notNull(),
      kind: k.text("kind").notNull(),
      at: k.time("at").notNull(),
    },
    (t) => [k.index("event_log_topic_seq_idx").on(t.topic, t.seq), k.index("event_log_at_idx").on(t.at)],
  );

  return {
    eventLog,
    appSettings,
    areas,
    neighbourhoods,
    helpCategories,
    teams,
    people,
    personRoles,
    volunteerProfiles,
    volunteerCategories,
    volunteerNeighbourhoods,
    helpRequests,
    helpRequestEvents,
    accessLog,
  };
}

export type CoreTables = ReturnType<typeof defineCoreTables>;

/** Every table of Zorgzaam: the core and each module's own. */
export function defineTables(k: Kit) {
  const core = defineCoreTables(k);
  return {
    ...core,
    ...defineCareTables(k, core),
    ...defineEscalationTables(k, core),
    ...defineIdempotencyTables(k),
    ...defineInitiativeTables(k, core),
    ...defineApiClientTables(k, core),
  };
}

export type Tables = ReturnType<typeof defineTables>;
