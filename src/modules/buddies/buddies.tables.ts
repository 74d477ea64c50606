import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";

export type BuddyProgrammeKind = "YOUNG_PARENTS" | "DIVORCING_PARENTS" | "STATUSHOUDERS" | "LONELY_ELDERLY" | "OTHER";
export type BuddyFrequency = "WEEKLY" | "FORTNIGHTLY" | "MONTHLY";
export type BuddyReferral = "PROFESSIONAL" | "DESK" | "SELF";
export type BuddyParticipantStatus = "WAITING" | "MATCHED" | "ENDED";
export type BuddyStatus = "APPLIED" | "ACTIVE";
export type BuddyMatchStatus = "ACTIVE" | "PAUSED" | "ENDED";
export type BuddySignalKind = "MISSED_CHECKIN" | "ESCALATION_DUE";
export type BuddyMatchRole = "BUDDY" | "PARTICIPANT";

/**
 * Buddy (maatje) programmes: an organisation's programme, its extra coordinators, the participants
 * (referred or signed up, with consent), the volunteers who applied as buddies, the matches between
 * them with their check-ins, the signals the sweep raises on missed check-ins, and the evaluations.
 */
export function defineBuddyTables(k: Kit, core: PlaceTables & PersonTables) {
  const buddyProgrammes = k.table(
    "buddy_programmes",
    {
      id: k.text("id").primaryKey(),
      /** The organisation (initiatives module) that runs it; its organisers coordinate. */
      organisationId: k.text("organisation_id").notNull(),
      name: k.text("name").notNull(),
      kind: k.text("kind").$type<BuddyProgrammeKind>().notNull(),
      /** The municipality's own name for an OTHER programme. */
      kindName: k.text("kind_name"),
      intakeCriteria: k.text("intake_criteria").notNull(),
      /** The named training a buddy must have followed before a match; null when none is asked. */
      trainingName: k.text("training_name"),
      vogRequired: k.bool("vog_required").notNull(),
      worksWithMinorsOrFamilies: k.bool("works_with_minors_or_families").notNull(),
      frequency: k.text("frequency").$type<BuddyFrequency>().notNull(),
      minMonths: k.int("min_months").notNull(),
      maxMonths: k.int("max_months").notNull(),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("buddy_programmes_org_idx").on(t.organisationId)],
  );

  const buddyProgrammeCoordinators = k.table(
    "buddy_programme_coordinators",
    {
      programmeId: k
        .text("programme_id")
        .notNull()
        .references(() => buddyProgrammes.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      addedById: k.text("added_by_id").notNull(),
      addedAt: k.time("added_at").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.programmeId, t.personId] })],
  );

  const buddyParticipants = k.table(
    "buddy_participants",
    {
      id: k.text("id").primaryKey(),
      programmeId: k
        .text("programme_id")
        .notNull()
        .references(() => buddyProgrammes.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      referral: k.text("referral").$type<BuddyReferral>().notNull(),
      referredById: k.text("referred_by_id"),
      /** Consent to take part and to share first name, neighbourhood and languages with a buddy. */
      consentAt: k.time("consent_at").notNull(),
      consentNote: k.text("consent_note"),
      neighbourhoodId: k.text("neighbourhood_id").references(() => core.neighbourhoods.id),
      languages: k.json<string[]>("languages").notNull(),
      interests: k.json<string[]>("interests").notNull(),
      /** ISO weekdays (1 = Monday) the participant can meet. */
      weekdays: k.json<number[]>("weekdays").notNull(),
      status: k.text("status").$type<BuddyParticipantStatus>().notNull(),
      /** First referred, first served: the waiting list is ordered by (referredAt, id). */
      referredAt: k.time("referred_at").notNull(),
      skipNote: k.text("skip_note"),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.index("buddy_participants_queue_idx").on(t.programmeId, t.status, t.referredAt), k.index("buddy_participants_person_idx").on(t.personId)],
  );

  const buddyVolunteers = k.table(
    "buddy_volunteers",
    {
      id: k.text("id").primaryKey(),
      programmeId: k
        .text("programme_id")
        .notNull()
        .references(() => buddyProgrammes.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      neighbourhoodId: k.text("neighbourhood_id").references(() => core.neighbourhoods.id),
      languages: k.json<string[]>("languages").notNull(),
      interests: k.json<string[]>("interests").notNull(),
      weekdays: k.json<number[]>("weekdays").notNull(),
      /** How many participants at once. */
      capacity: k.int("capacity").notNull(),
      status: k.text("status").$type<BuddyStatus>().notNull(),
      trainedAt: k.time("trained_at"),
      trainingRecordedById: k.text("training_recorded_by_id"),
      appliedAt: k.time("applied_at").notNull(),
    },
    (t) => [k.uniqueIndex("buddy_volunteers_one_idx").on(t.programmeId, t.personId), k.index("buddy_volunteers_person_idx").on(t.personId)],
  );

  const buddyMatches = k.table(
    "buddy_matches",
    {
      id: k.text("id").primaryKey(),
      programmeId: k
        .text("programme_id")
        .notNull()
        .references(() => buddyProgrammes.id),
      participantId: k
        .text("participant_id")
        .notNull()
        .references(() => buddyParticipants.id),
      buddyId: k
        .text("buddy_id")
        .notNull()
        .references(() => buddyVolunteers.id),
      status: k.text("status").$type<BuddyMatchStatus>().notNull(),
      checkinEveryDays: k.int("checkin_every_days").notNull(),
      startedAt: k.time("started_at").notNull(),
      /** The planned end: a programme match may run far longer than a help request's 90 days. */
      plannedEndAt: k.time("planned_end_at").notNull(),
      nextCheckinDue: k.time("next_checkin_due").notNull(),
      missedInRow: k.int("missed_in_row").notNull(),
      pausedAt: k.time("paused_at"),
      pausedDays: k.int("paused_days").notNull(),
      endedAt: k.time("ended_at"),
      endedById: k.text("ended_by_id"),
      matchedById: k.text("matched_by_id").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.index("buddy_matches_programme_idx").on(t.programmeId, t.status), k.index("buddy_matches_due_idx").on(t.status, t.nextCheckinDue)],
  );

  const buddyCheckins = k.table(
    "buddy_checkins",
    {
      id: k.text("id").primaryKey(),
      matchId: k
        .text("match_id")
        .notNull()
        .references(() => buddyMatches.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      note: k.text("note"),
      at: k.time("at").notNull(),
    },
    (t) => [k.index("buddy_checkins_match_idx").on(t.matchId, t.at)],
  );

  const buddySignals = k.table(
    "buddy_signals",
    {
      id: k.text("id").primaryKey(),
      /** One signal per match, kind and due moment: the sweep may run on two instances at once. */
      dedupeKey: k.text("dedupe_key").notNull().unique(),
      programmeId: k.text("programme_id").notNull(),
      matchId: k
        .text("match_id")
        .notNull()
        .references(() => buddyMatches.id),
      kind: k.text("kind").$type<BuddySignalKind>().notNull(),
      dueAt: k.time("due_at").notNull(),
      createdAt: k.time("created_at").notNull(),
      acknowledgedAt: k.time("acknowledged_at"),
      acknowledgedById: k.text("acknowledged_by_id"),
    },
    (t) => [k.index("buddy_signals_programme_idx").on(t.programmeId, t.createdAt)],
  );

  const buddyEvaluations = k.table(
    "buddy_evaluations",
    {
      matchId: k
        .text("match_id")
        .notNull()
        .references(() => buddyMatches.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      role: k.text("role").$type<BuddyMatchRole>().notNull(),
      wentWell: k.bool("went_well").notNull(),
      note: k.text("note"),
      at: k.time("at").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.matchId, t.role] })],
  );

  return { buddyProgrammes, buddyProgrammeCoordinators, buddyParticipants, buddyVolunteers, buddyMatches, buddyCheckins, buddySignals, buddyEvaluations };
}

export type BuddyTables = ReturnType<typeof defineBuddyTables>;
