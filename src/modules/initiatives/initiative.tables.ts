import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";

export type OrganisationKind = "WIJKWINKEL" | "COMMUNITY_CENTRE" | "SHOP" | "WELFARE" | "LEARNING_WORK_COMPANY" | "OTHER";
export type MemberRole = "ORGANISER" | "VOLUNTEER";
export type InitiativeKind = "ACTIVITY" | "MEETING_PLACE" | "COURSE" | "SERVICE" | "PARTICIPATION_PLACE";
export type InitiativeStatus = "DRAFT" | "PUBLISHED" | "CANCELLED" | "ENDED";
export type SignupStatus = "CONFIRMED" | "WAITLISTED" | "CANCELLED";
export type PlacementStatus = "REFERRED" | "ACCEPTED" | "DECLINED" | "STARTED" | "ENDED";
export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY";

/** How a recurring initiative repeats; the dates themselves are stored in initiative_occurrences. */
export interface Recurrence {
  frequency: Frequency;
  interval: number;
  count: number | null;
  /** ISO instant of the last moment a date may start. */
  until: string | null;
}

/**
 * Neighbourhood initiatives (buurtinitiatieven): organisations and their members, initiatives with
 * their dates, categories and languages, sign-ups with a waiting list, and participation placements.
 */
export function defineInitiativeTables(k: Kit, core: PlaceTables & PersonTables) {
  const organisations = k.table(
    "organisations",
    {
      id: k.text("id").primaryKey(),
      name: k.text("name").notNull(),
      kind: k.text("kind").$type<OrganisationKind>().notNull(),
      description: k.text("description").notNull(),
      neighbourhoodId: k
        .text("neighbourhood_id")
        .notNull()
        .references(() => core.neighbourhoods.id),
      address: k.text("address"),
      phone: k.text("phone"),
      email: k.text("email"),
      website: k.text("website"),
      verifiedAt: k.time("verified_at"),
      verifiedById: k.text("verified_by_id"),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.index("organisations_created_idx").on(t.createdAt), k.index("organisations_neighbourhood_idx").on(t.neighbourhoodId)],
  );

  const organisationMembers = k.table(
    "organisation_members",
    {
      organisationId: k
        .text("organisation_id")
        .notNull()
        .references(() => organisations.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      role: k.text("role").$type<MemberRole>().notNull(),
      addedById: k.text("added_by_id"),
      addedAt: k.time("added_at").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.organisationId, t.personId] }), k.index("organisation_members_person_idx").on(t.personId)],
  );

  const initiatives = k.table(
    "initiatives",
    {
      id: k.text("id").primaryKey(),
      organisationId: k
        .text("organisation_id")
        .notNull()
        .references(() => organisations.id),
      kind: k.text("kind").$type<InitiativeKind>().notNull(),
      status: k.text("status").$type<InitiativeStatus>().notNull(),
      title: k.text("title").notNull(),
      description: k.text("description").notNull(),
      neighbourhoodId: k
        .text("neighbourhood_id")
        .notNull()
        .references(() => core.neighbourhoods.id),
      address: k.text("address"),
      /** Null: unlimited. For participation places: the number of places. */
      capacity: k.int("capacity"),
      /** Confirmed sign-ups, or started placements of a participation place; never above capacity. */
      takenCount: k.int("taken_count").notNull(),
      waitlistCount: k.int("waitlist_count").notNull(),
      /** Last sign-up position handed out: arrival order, assigned while the row is locked. */
      lastPosition: k.int("last_position").notNull(),
      minAge: k.int("min_age"),
      maxAge: k.int("max_age"),
      accessibility: k.text("accessibility"),
      recurrence: k.json<Recurrence>("recurrence"),
      firstStartsAt: k.time("first_starts_at"),
      lastEndsAt: k.time("last_ends_at"),
      /** Lower-cased, accent-free text for search; the title separately, for ranking. */
      searchTitle: k.text("search_title").notNull(),
      searchText: k.text("search_text").notNull(),
      publishedAt: k.time("published_at"),
      closedAt: k.time("closed_at"),
      closeReason: k.text("close_reason"),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      k.index("initiatives_discover_idx").on(t.status, t.neighbourhoodId, t.lastEndsAt),
      k.index("initiatives_published_idx").on(t.status, t.publishedAt),
      k.index("initiatives_organisation_idx").on(t.organisationId, t.createdAt),
      k.index("initiatives_kind_idx").on(t.kind, t.status),
    ],
  );

  const initiativeOccurrences = k.table(
    "initiative_occurrences",
    {
      initiativeId: k
        .text("initiative_id")
        .notNull()
        .references(() => initiatives.id),
      startsAt: k.time("starts_at").notNull(),
      endsAt: k.time("ends_at").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.initiativeId, t.startsAt] }), k.index("initiative_occurrences_ends_idx").on(t.initiativeId, t.endsAt)],
  );

  const initiativeCategories = k.table(
    "initiative_categories",
    {
      initiativeId: k
        .text("initiative_id")
        .notNull()
        .references(() => initiatives.id),
      categoryId: k
        .text("category_id")
        .notNull()
        .references(() => core.helpCategories.id),
    },
    (t) => [k.primaryKey({ columns: [t.initiativeId, t.categoryId] }), k.index("initiative_categories_category_idx").on(t.categoryId)],
  );

  const initiativeLanguages = k.table(
    "initiative_languages",
    {
      initiativeId: k
        .text("initiative_id")
        .notNull()
        .references(() => initiatives.id),
      language: k.text("language").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.initiativeId, t.language] })],
  );

  const initiativeSignups = k.table(
    "initiative_signups",
    {
      id: k.text("id").primaryKey(),
      initiativeId: k
        .text("initiative_id")
        .notNull()
        .references(() => initiatives.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      signedUpById: k
        .text("signed_up_by_id")
        .notNull()
        .references(() => core.people.id),
      status: k.text("status").$type<SignupStatus>().notNull(),
      position: k.int("position").notNull(),
      note: k.text("note"),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
      promotedAt: k.time("promoted_at"),
      cancelledAt: k.time("cancelled_at"),
      cancelledById: k.text("cancelled_by_id"),
    },
    (t) => [
      k.uniqueIndex("initiative_signups_position_idx").on(t.initiativeId, t.position),
      k.index("initiative_signups_status_idx").on(t.initiativeId, t.status, t.position),
      k.index("initiative_signups_person_idx").on(t.personId, t.createdAt),
      k.index("initiative_signups_signed_up_by_idx").on(t.signedUpById, t.createdAt),
    ],
  );

  const participationPlacements = k.table(
    "participation_placements",
    {
      id: k.text("id").primaryKey(),
      initiativeId: k
        .text("initiative_id")
        .notNull()
        .references(() => initiatives.id),
      organisationId: k
        .text("organisation_id")
        .notNull()
        .references(() => organisations.id),
      participantId: k
        .text("participant_id")
        .notNull()
        .references(() => core.people.id),
      referredById: k
        .text("referred_by_id")
        .notNull()
        .references(() => core.people.id),
      status: k.text("status").$type<PlacementStatus>().notNull(),
      note: k.text("note"),
      decisionNote: k.text("decision_note"),
      referredAt: k.time("referred_at").notNull(),
      acceptedAt: k.time("accepted_at"),
      startedAt: k.time("started_at"),
      endedAt: k.time("ended_at"),
      endReason: k.text("end_reason"),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      k.index("participation_placements_org_idx").on(t.organisationId, t.status),
      k.index("participation_placements_initiative_idx").on(t.initiativeId, t.status),
      k.index("participation_placements_participant_idx").on(t.participantId),
      k.index("participation_placements_referrer_idx").on(t.referredById, t.referredAt),
      k.index("participation_placements_started_idx").on(t.startedAt),
    ],
  );

  return {
    organisations,
    organisationMembers,
    initiatives,
    initiativeOccurrences,
    initiativeCategories,
    initiativeLanguages,
    initiativeSignups,
    participationPlacements,
  };
}

export type InitiativeTables = ReturnType<typeof defineInitiativeTables>;
