import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";

export type CircleRole = "COORDINATOR" | "MEMBER";
export type Relation = "FAMILY" | "FRIEND" | "NEIGHBOUR" | "VOLUNTEER" | "OTHER";
export type ShiftStatus = "OPEN" | "COVERED" | "DONE" | "MISSED" | "CANCELLED";
export type SwapStatus = "PENDING" | "ACCEPTED" | "DECLINED" | "CANCELLED";
export type Strain = "LOW" | "MODERATE" | "HIGH";
/** MISSED_SHIFTS concerns the circle as a whole: its person is the care receiver. */
export type LoadReason = "INTENSIVE_HOURS" | "HIGH_STRAIN" | "MISSED_SHIFTS";

/** Care circles (zorgnetwerken): members, invitations, tasks, derived shifts, swaps, check-ins and load signals. */
export function defineCareTables(k: Kit, core: PlaceTables & PersonTables) {
  const careCircles = k.table(
    "care_circles",
    {
      id: k.text("id").primaryKey(),
      name: k.text("name").notNull(),
      careReceiverId: k
        .text("care_receiver_id")
        .notNull()
        .references(() => core.people.id),
      neighbourhoodId: k
        .text("neighbourhood_id")
        .notNull()
        .references(() => core.neighbourhoods.id),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("care_circles_receiver_idx").on(t.careReceiverId)],
  );

  const careMembers = k.table(
    "care_circle_members",
    {
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => core.people.id),
      role: k.text("role").$type<CircleRole>().notNull(),
      relation: k.text("relation").$type<Relation>().notNull(),
      joinedAt: k.time("joined_at").notNull(),
      leftAt: k.time("left_at"),
      /** Bumped to revoke every calendar feed URL handed out before. */
      calendarVersion: k.int("calendar_version").notNull(),
      /** The member lets the circle's coordinators see their strain answers (off by default: see care-load.policy.ts). */
      shareLoad: k.bool("share_load").notNull().default(false),
    },
    (t) => [k.primaryKey({ columns: [t.circleId, t.personId] }), k.index("care_members_person_idx").on(t.personId)],
  );

  const careInvitations = k.table(
    "care_invitations",
    {
      id: k.text("id").primaryKey(),
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      codeHash: k.text("code_hash").notNull().unique(),
      relation: k.text("relation").$type<Relation>().notNull(),
      invitedById: k.text("invited_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
      expiresAt: k.time("expires_at").notNull(),
      usedById: k.text("used_by_id"),
      usedAt: k.time("used_at"),
      /** Sent by e-mail at the coordinator's request (counted against the circle's daily limit). The address itself is never stored. */
      byEmail: k.bool("by_email").notNull().default(false),
      /** The account the address belonged to, when it did: only that person can accept it by its id (acceptCareInvitation). */
      inviteePersonId: k.text("invitee_person_id"),
      /** Revoked by a coordinator before anyone used it: it can no longer be redeemed. */
      revokedAt: k.time("revoked_at"),
    },
    (t) => [k.index("care_invitations_circle_idx").on(t.circleId)],
  );

  const careTasks = k.table(
    "care_tasks",
    {
      id: k.text("id").primaryKey(),
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      title: k.text("title").notNull(),
      categoryId: k
        .text("category_id")
        .notNull()
        .references(() => core.helpCategories.id),
      notes: k.text("notes"),
      vogRequired: k.bool("vog_required").notNull(),
      /** First (or only) date, YYYY-MM-DD in Europe/Amsterdam. */
      startDate: k.text("start_date").notNull(),
      /** Local start time HH:MM. */
      startTime: k.text("start_time").notNull(),
      durationMinutes: k.int("duration_minutes").notNull(),
      /** ISO weekdays (1 = Monday); empty for a one-off task. */
      weekdays: k.json<number[]>("weekdays").notNull(),
      intervalWeeks: k.int("interval_weeks").notNull(),
      endDate: k.text("end_date"),
      active: k.bool("active").notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.index("care_tasks_circle_idx").on(t.circleId)],
  );

  const careShifts = k.table(
    "care_shifts",
    {
      id: k.text("id").primaryKey(),
      taskId: k
        .text("task_id")
        .notNull()
        .references(() => careTasks.id),
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      /** The occurrence this shift stands for (local date of the task's series). */
      occurrence: k.text("occurrence").notNull(),
      startsAt: k.time("starts_at").notNull(),
      endsAt: k.time("ends_at").notNull(),
      status: k.text("status").$type<ShiftStatus>().notNull(),
      /**
       * The task's title and care notes as they are for this shift: they follow the task until the shift
       * starts and are kept as they were after that. Null only on shifts made before they were kept here.
       */
      title: k.text("title"),
      notes: k.text("notes"),
      assigneeId: k.text("assignee_id").references(() => core.people.id),
      /** A claimed shift that no longer matches its task after the task changed. */
      flagged: k.bool("flagged").notNull(),
      coverRequested: k.bool("cover_requested").notNull(),
      /** Who last gave the shift back (or left the circle holding it): the others are asked to take it, not them. */
      releasedById: k.text("released_by_id"),
      /** Reserved before the gap request is created, so exactly one request exists per gap (no FK: see service). */
      helpRequestId: k.text("help_request_id"),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      k.uniqueIndex("care_shifts_occurrence_idx").on(t.taskId, t.occurrence),
      k.index("care_shifts_circle_time_idx").on(t.circleId, t.startsAt),
      k.index("care_shifts_assignee_time_idx").on(t.assigneeId, t.startsAt),
      k.index("care_shifts_status_time_idx").on(t.status, t.startsAt),
      // Retention: shifts by when they ended, to clear their notes (care.retention.ts).
      k.index("care_shifts_ends_idx").on(t.endsAt),
      k.uniqueIndex("care_shifts_help_request_idx").on(t.helpRequestId),
    ],
  );

  const careSwaps = k.table(
    "care_swaps",
    {
      id: k.text("id").primaryKey(),
      shiftId: k
        .text("shift_id")
        .notNull()
        .references(() => careShifts.id),
      fromId: k.text("from_id").notNull(),
      toId: k.text("to_id").notNull(),
      status: k.text("status").$type<SwapStatus>().notNull(),
      createdAt: k.time("created_at").notNull(),
      decidedAt: k.time("decided_at"),
    },
    (t) => [k.index("care_swaps_shift_idx").on(t.shiftId)],
  );

  const careCheckins = k.table(
    "care_checkins",
    {
      id: k.text("id").primaryKey(),
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      personId: k.text("person_id").notNull(),
      strain: k.text("strain").$type<Strain>().notNull(),
      note: k.text("note"),
      at: k.time("at").notNull(),
    },
    // The second index serves retention, which deletes check-ins by age (care.retention.ts).
    (t) => [k.index("care_checkins_person_idx").on(t.circleId, t.personId, t.at), k.index("care_checkins_at_idx").on(t.at)],
  );

  /** Overload signals per member; the escalation module routes sustained ones to the wijkteam. */
  const careLoadSignals = k.table(
    "care_load_signals",
    {
      id: k.text("id").primaryKey(),
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      personId: k.text("person_id").notNull(),
      reason: k.text("reason").$type<LoadReason>().notNull(),
      detail: k.text("detail").notNull(),
      since: k.time("since").notNull(),
      lastSeenAt: k.time("last_seen_at").notNull(),
      resolvedAt: k.time("resolved_at"),
    },
    // The second index serves retention, which deletes resolved signals by age (care.retention.ts).
    (t) => [k.index("care_load_signals_open_idx").on(t.circleId, t.personId, t.reason, t.resolvedAt), k.index("care_load_signals_resolved_idx").on(t.resolvedAt)],
  );

  /** Respite asked for by a circle (a RESPITE help request), shown in the circle's schedule. */
  const careRespites = k.table(
    "care_respites",
    {
      id: k.text("id").primaryKey(),
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      helpRequestId: k.text("help_request_id").notNull().unique(),
      windowStart: k.time("window_start").notNull(),
      windowEnd: k.time("window_end").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("care_respites_circle_idx").on(t.circleId, t.windowEnd)],
  );

  /**
   * Announcements and messages of a circle (shiftId null) or of one shift's thread. The author is
   * cleared when they are erased; the thread stays.
   */
  const careMessages = k.table(
    "care_messages",
    {
      id: k.text("id").primaryKey(),
      circleId: k
        .text("circle_id")
        .notNull()
        .references(() => careCircles.id),
      shiftId: k.text("shift_id").references(() => careShifts.id),
      authorId: k.text("author_id"),
      announcement: k.bool("announcement").notNull(),
      body: k.text("body").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("care_messages_thread_idx").on(t.circleId, t.shiftId, t.createdAt), k.index("care_messages_author_idx").on(t.authorId)],
  );

  return { careCircles, careMembers, careInvitations, careTasks, careShifts, careSwaps, careCheckins, careLoadSignals, careRespites, careMessages };
}

export type CareTables = ReturnType<typeof defineCareTables>;
