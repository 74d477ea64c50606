import { type SQL, and, asc, eq, gt, gte, inArray, isNull, lt, lte, ne, or } from "drizzle-orm";
import { afterKey } from "../../db/keyset.js";
import type { Database, Db } from "../../db/client.js";
import { Rollback } from "../../db/rollback.js";
import { newId } from "../../shared/ids.js";
import { type CursorKey, type Page, encodeCursor } from "../../shared/pagination.js";
import type { CareTables, CircleRole, LoadReason, Relation, ShiftStatus, Strain, SwapStatus } from "./care.tables.js";
import type { Occurrence } from "./recurrence.js";

export interface CircleRow {
  id: string;
  name: string;
  careReceiverId: string;
  neighbourhoodId: string;
  createdById: string;
  createdAt: Date;
}
export interface MemberRow {
  circleId: string;
  personId: string;
  role: CircleRole;
  relation: Relation;
  joinedAt: Date;
  leftAt: Date | null;
  calendarVersion: number;
}
export interface TaskRow {
  id: string;
  circleId: string;
  title: string;
  categoryId: string;
  notes: string | null;
  vogRequired: boolean;
  startDate: string;
  startTime: string;
  durationMinutes: number;
  weekdays: number[];
  intervalWeeks: number;
  endDate: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
export interface ShiftRow {
  id: string;
  taskId: string;
  circleId: string;
  occurrence: string;
  startsAt: Date;
  endsAt: Date;
  status: ShiftStatus;
  /** The task's title and notes as they are for this shift (null on shifts older than this copy). */
  title: string | null;
  notes: string | null;
  assigneeId: string | null;
  flagged: boolean;
  coverRequested: boolean;
  helpRequestId: string | null;
  updatedAt: Date;
}
export interface SwapRow {
  id: string;
  shiftId: string;
  fromId: string;
  toId: string;
  status: SwapStatus;
  createdAt: Date;
  decidedAt: Date | null;
}
export interface RespiteRow {
  id: string;
  circleId: string;
  helpRequestId: string;
  windowStart: Date;
  windowEnd: Date;
  createdAt: Date;
}
export interface SignalRow {
  id: string;
  circleId: string;
  personId: string;
  reason: LoadReason;
  detail: string;
  since: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

export type ClaimOutcome = "OK" | "NOT_OPEN" | "OVERLAP";
export type RedeemOutcome = { outcome: "OK" | "UNKNOWN" | "EXPIRED" | "USED" | "ALREADY_MEMBER"; circleId?: string };

const HOLDING: ShiftStatus[] = ["COVERED"];

/** Care circles, their members, invitations, tasks, shifts, swaps, check-ins and load signals. */
export class CareRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
  }

  // ---- circles and members -------------------------------------------------------------

  async insertCircle(circle: CircleRow, coordinator: Omit<MemberRow, "circleId">): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.careCircles).values(circle);
      await tx.insert(this.t.careMembers).values({ ...coordinator, circleId: circle.id });
    });
  }

  async findCircle(id: string): Promise<CircleRow | undefined> {
    const rows = await this.db.read.select().from(this.t.careCircles).where(eq(this.t.careCircles.id, id));
    return rows[0];
  }

  async circlesOf(personId: string): Promise<CircleRow[]> {
    const c = this.t.careCircles;
    const m = this.t.careMembers;
    const rows = await this.db.read
      .select({ circle: c })
      .from(m)
      .innerJoin(c, eq(c.id, m.circleId))
      .where(and(eq(m.personId, personId), isNull(m.leftAt)))
      .orderBy(asc(c.createdAt));
    return rows.map((r) => r.circle);
  }

  async members(circleId: string): Promise<MemberRow[]> {
    const m = this.t.careMembers;
    return this.db.read
      .select()
      .from(m)
      .where(and(eq(m.circleId, circleId), isNull(m.leftAt)))
      .orderBy(asc(m.joinedAt));
  }

  async member(circleId: string, personId: string): Promise<MemberRow | undefined> {
    const m = this.t.careMembers;
    const rows = await this.db.read
      .select()
      .from(m)
      .where(and(eq(m.circleId, circleId), eq(m.personId, personId), isNull(m.leftAt)));
    return rows[0];
  }

  /** Hands coordination from one member to another in one transaction. */
  async handOver(circleId: string, fromId: string, toId: string): Promise<boolean> {
    const m = this.t.careMembers;
    return this.db.transaction(async (tx) => {
      const demoted = await tx
        .update(m)
        .set({ role: "MEMBER" })
        .where(and(eq(m.circleId, circleId), eq(m.personId, fromId), eq(m.role, "COORDINATOR"), isNull(m.leftAt)))
        .returning({ id: m.personId });
      if (demoted.length === 0) return false;
      const promoted = await tx
        .update(m)
        .set({ role: "COORDINATOR" })
        .where(and(eq(m.circleId, circleId), eq(m.personId, toId), isNull(m.leftAt)))
        .returning({ id: m.personId });
      if (promoted.length === 0) throw new HandOverFailed();
      return true;
    }).catch((err) => {
      if (err instanceof HandOverFailed) return false;
      throw err;
    });
  }

  /**
   * The member leaves; the future shifts they hold open up again, free of any volunteer request they
   * once came from (so the sweep posts them afresh), and every pending swap they proposed or were asked
   * for is withdrawn. Returns the reopened shifts and the shifts whose swap was withdrawn.
   */
  async leave(circleId: string, personId: string, now: Date): Promise<{ reopened: string[]; swapsWithdrawn: string[] }> {
    const m = this.t.careMembers;
    const s = this.t.careShifts;
    const w = this.t.careSwaps;
    return this.db.transaction(async (tx) => {
      const theirs = await tx
        .select({ id: w.id, shiftId: w.shiftId })
        .from(w)
        .innerJoin(s, eq(s.id, w.shiftId))
        .where(and(eq(s.circleId, circleId), eq(w.status, "PENDING"), or(eq(w.fromId, personId), eq(w.toId, personId))));
      if (theirs.length) {
        await tx
          .update(w)
          .set({ status: "CANCELLED", decidedAt: now })
          .where(and(inArray(w.id, theirs.map((r) => r.id)), eq(w.status, "PENDING")))
          .returning({ id: w.id });
      }
      await tx
        .update(m)
        .set({ leftAt: now })
        .where(and(eq(m.circleId, circleId), eq(m.personId, personId), isNull(m.leftAt)))
        .returning({ id: m.personId });
      const reopened = await tx
        .update(s)
        .set({ status: "OPEN", assigneeId: null, flagged: false, coverRequested: false, helpRequestId: null, updatedAt: now })
        .where(and(eq(s.circleId, circleId), eq(s.assigneeId, personId), eq(s.status, "COVERED"), gt(s.startsAt, now)))
        .returning({ id: s.id });
      return { reopened: reopened.map((r) => r.id), swapsWithdrawn: theirs.map((r) => r.shiftId) };
    });
  }

  async bumpCalendarVersion(circleId: string, personId: string): Promise<number> {
    const m = this.t.careMembers;
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ v: m.calendarVersion })
        .from(m)
        .where(and(eq(m.circleId, circleId), eq(m.personId, personId)));
      const next = (row?.v ?? 0) + 1;
      await tx
        .update(m)
        .set({ calendarVersion: next })
        .where(and(eq(m.circleId, circleId), eq(m.personId, personId)))
        .returning({ id: m.personId });
      return next;
    });
  }

  // ---- invitations ---------------------------------------------------------------------

  async insertInvitation(row: {
    id: string;
    circleId: string;
    codeHash: string;
    relation: Relation;
    invitedById: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.careInvitations).values(row);
    });
  }

  /** Uses a single-use invitation: the first redeemer wins, an expired or used code does nothing. */
  async redeem(codeHash: string, personId: string, now: Date): Promise<RedeemOutcome> {
    const inv = this.t.careInvitations;
    const m = this.t.careMembers;
    return this.db.transaction(async (tx) => {
      const [found] = await tx.select().from(inv).where(eq(inv.codeHash, codeHash));
      if (!found) return { outcome: "UNKNOWN" };
      if (found.usedById) return { outcome: "USED", circleId: found.circleId };
      if (found.expiresAt.getTime() <= now.getTime()) return { outcome: "EXPIRED", circleId: found.circleId };
      const [existing] = await tx
        .select()
        .from(m)
        .where(and(eq(m.circleId, found.circleId), eq(m.personId, personId)));
      if (existing && existing.leftAt === null) return { outcome: "ALREADY_MEMBER", circleId: found.circleId };
      const used = await tx
        .update(inv)
        .set({ usedById: personId, usedAt: now })
        .where(and(eq(inv.id, found.id), isNull(inv.usedById)))
        .returning({ id: inv.id });
      if (used.length === 0) return { outcome: "USED", circleId: found.circleId };
      if (existing) {
        await tx
          .update(m)
          .set({ leftAt: null, role: "MEMBER", relation: found.relation, joinedAt: now })
          .where(and(eq(m.circleId, found.circleId), eq(m.personId, personId)))
          .returning({ id: m.personId });
      } else {
        await tx.insert(m).values({
          circleId: found.circleId,
          personId,
          role: "MEMBER",
          relation: found.relation,
          joinedAt: now,
          leftAt: null,
          calendarVersion: 1,
        });
      }
      return { outcome: "OK", circleId: found.circleId };
    });
  }

  // ---- tasks ---------------------------------------------------------------------------

  async insertTask(row: TaskRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.careTasks).values(row);
    });
  }

  async updateTask(id: string, set: Partial<TaskRow>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(this.t.careTasks).set(set).where(eq(this.t.careTasks.id, id)).returning({ id: this.t.careTasks.id });
    });
  }

  async findTask(id: string): Promise<TaskRow | undefined> {
    const rows = await this.db.read.select().from(this.t.careTasks).where(eq(this.t.careTasks.id, id));
    return rows[0];
  }

  async findTasksByIds(ids: readonly string[]): Promise<TaskRow[]> {
    return this.db.read.select().from(this.t.careTasks).where(inArray(this.t.careTasks.id, [...ids]));
  }

  async tasksOf(circleId: string, includeInactive = false): Promise<TaskRow[]> {
    const t = this.t.careTasks;
    const conds: SQL[] = [eq(t.circleId, circleId)];
    if (!includeInactive) conds.push(eq(t.active, true));
    return this.db.read
      .select()
      .from(t)
      .where(and(...conds))
      .orderBy(asc(t.createdAt));
  }

  async activeTasks(): Promise<TaskRow[]> {
    return this.db.read.select().from(this.t.careTasks).where(eq(this.t.careTasks.active, true));
  }

  // ---- shifts --------------------------------------------------------------------------

  /**
   * Brings a task's future shifts in line with its occurrences. Unclaimed shifts follow the task
   * (moved, cancelled, reopened); shifts someone holds are kept as they are and flagged when they no
   * longer match, so nobody loses a commitment silently. Returns whether anything changed.
   */
  /** Future shifts of a task that nobody holds but whose gap was posted to volunteers. */
  async unheldShiftsWithRequest(taskId: string, now: Date): Promise<ShiftRow[]> {
    const s = this.t.careShifts;
    return this.db.read
      .select()
      .from(s)
      .where(and(eq(s.taskId, taskId), gt(s.startsAt, now), eq(s.status, "OPEN"), isNull(s.assigneeId)))
      .then((rows) => rows.filter((r) => r.helpRequestId !== null));
  }

  /**
   * Brings a task's future shifts in line with its occurrences. Shifts someone holds stay and are
   * flagged; so do shifts whose volunteer request is still out, unless that request was withdrawn
   * (`withdrawnRequests`): those follow the task like any unclaimed shift and lose the request.
   */
  async syncShifts(task: TaskRow, desired: Occurrence[], now: Date, withdrawnRequests: ReadonlySet<string> = new Set()): Promise<boolean> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      const existing = await tx
        .select()
        .from(s)
        .where(and(eq(s.taskId, task.id), gt(s.startsAt, now)));
      const byOccurrence = new Map(existing.map((row) => [row.occurrence, row]));
      const wanted = new Map(desired.map((o) => [o.occurrence, o]));
      let changed = false;
      for (const row of existing) {
        const o = wanted.get(row.occurrence);
        const withdrawn = row.helpRequestId !== null && withdrawnRequests.has(row.helpRequestId);
        const held = row.assigneeId !== null || (row.helpRequestId !== null && !withdrawn);
        const sameTime = o && o.startsAt.getTime() === row.startsAt.getTime() && o.endsAt.getTime() === row.endsAt.getTime();
        if (o && sameTime && row.status !== "CANCELLED") {
          if (row.flagged) {
            await this.setShift(tx, row.id, { flagged: false, updatedAt: now });
            changed = true;
          }
          continue;
        }
        if (held && row.status !== "CANCELLED") {
          if (!row.flagged) {
            await this.setShift(tx, row.id, { flagged: true, updatedAt: now });
            changed = true;
          }
        } else if (o) {
          const detach = withdrawn ? { helpRequestId: null, coverRequested: false } : {};
          await this.setShift(tx, row.id, { startsAt: o.startsAt, endsAt: o.endsAt, status: "OPEN", flagged: false, updatedAt: now, ...detach });
          changed = true;
        } else if (row.status !== "CANCELLED") {
          await this.setShift(tx, row.id, { status: "CANCELLED", updatedAt: now, ...(withdrawn ? { helpRequestId: null } : {}) });
          changed = true;
        }
      }
      // Until a shift starts its title and care notes follow the task; after that they stay as they were.
      if (existing.some((row) => row.title !== task.title || row.notes !== task.notes)) {
        await tx
          .update(s)
          .set({ title: task.title, notes: task.notes })
          .where(and(eq(s.taskId, task.id), gt(s.startsAt, now)))
          .returning({ id: s.id });
      }
      const missing = desired.filter((o) => !byOccurrence.has(o.occurrence));
      if (missing.length) {
        const inserted = await tx
          .insert(s)
          .values(
            missing.map((o) => ({
              id: newId("CareShift"),
              taskId: task.id,
              circleId: task.circleId,
              occurrence: o.occurrence,
              startsAt: o.startsAt,
              endsAt: o.endsAt,
              status: "OPEN" as const,
              title: task.title,
              notes: task.notes,
              assigneeId: null,
              flagged: false,
              coverRequested: false,
              helpRequestId: null,
              updatedAt: now,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: s.id });
        changed ||= inserted.length > 0;
      }
      return changed;
    });
  }

  private async setShift(tx: Db, id: string, set: Partial<ShiftRow>) {
    await tx.update(this.t.careShifts).set(set).where(eq(this.t.careShifts.id, id)).returning({ id: this.t.careShifts.id });
  }

  async findShift(id: string): Promise<ShiftRow | undefined> {
    const rows = await this.db.read.select().from(this.t.careShifts).where(eq(this.t.careShifts.id, id));
    return rows[0];
  }

  async findShiftByHelpRequest(helpRequestId: string): Promise<ShiftRow | undefined> {
    const rows = await this.db.read.select().from(this.t.careShifts).where(eq(this.t.careShifts.helpRequestId, helpRequestId));
    return rows[0];
  }

  async shifts(
    filter: { circleId?: string; assigneeId?: string; from: Date | null; to: Date | null; statuses: ShiftStatus[] | null },
    after: CursorKey | null,
    limit: number,
    cursorScope = "",
  ): Promise<Page<ShiftRow>> {
    const s = this.t.careShifts;
    const conds: SQL[] = [];
    if (filter.circleId) conds.push(eq(s.circleId, filter.circleId));
    if (filter.assigneeId) conds.push(eq(s.assigneeId, filter.assigneeId));
    if (filter.from) conds.push(gte(s.endsAt, filter.from));
    if (filter.to) conds.push(lt(s.startsAt, filter.to));
    conds.push(filter.statuses?.length ? inArray(s.status, filter.statuses) : ne(s.status, "CANCELLED"));
    if (after) {
      conds.push(afterKey(s.startsAt, s.id, after, "asc"));
    }
    const rows = await this.db.read
      .select()
      .from(s)
      .where(and(...conds))
      .orderBy(asc(s.startsAt), asc(s.id))
      .limit(limit + 1);
    return {
      items: rows.slice(0, limit),
      hasNextPage: rows.length > limit,
      hasPreviousPage: after !== null,
      cursorOf: (r) => encodeCursor({ sort: r.startsAt.getTime(), id: r.id }, cursorScope),
    };
  }

  /** Shifts a person holds (covered, done) that touch [from, to): for load and the calendar. */
  async heldShifts(personId: string, from: Date, to: Date, circleId?: string): Promise<ShiftRow[]> {
    const s = this.t.careShifts;
    const conds: SQL[] = [eq(s.assigneeId, personId), inArray(s.status, ["COVERED", "DONE"]), lt(s.startsAt, to), gt(s.endsAt, from)];
    if (circleId) conds.push(eq(s.circleId, circleId));
    return this.db.read
      .select()
      .from(s)
      .where(and(...conds))
      .orderBy(asc(s.startsAt));
  }

  /**
   * Claims an open shift for a person unless they hold an overlapping one; the first claim wins. A
   * member's claim detaches the shift from any volunteer request (returned in `withdrawRequest` for the
   * caller to cancel): the shift is the member's now, to give back, swap or leave like any other.
   */
  async claim(shiftId: string, personId: string, now: Date): Promise<{ outcome: ClaimOutcome; withdrawRequest: string | null }> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      await this.db.lockKey(tx, `care-person:${personId}`);
      const [shift] = await tx.select().from(s).where(eq(s.id, shiftId));
      const none = { withdrawRequest: null };
      if (!shift || shift.status !== "OPEN" || shift.assigneeId !== null) return { outcome: "NOT_OPEN", ...none };
      if (await this.overlaps(tx, personId, shift.startsAt, shift.endsAt, shiftId)) return { outcome: "OVERLAP", ...none };
      const claimed = await tx
        .update(s)
        .set({ status: "COVERED", assigneeId: personId, coverRequested: false, flagged: false, helpRequestId: null, updatedAt: now })
        .where(and(eq(s.id, shiftId), eq(s.status, "OPEN"), isNull(s.assigneeId)))
        .returning({ id: s.id });
      return claimed.length ? { outcome: "OK", withdrawRequest: shift.helpRequestId } : { outcome: "NOT_OPEN", ...none };
    });
  }

  private async overlaps(tx: Db, personId: string, startsAt: Date, endsAt: Date, exceptId: string): Promise<boolean> {
    const s = this.t.careShifts;
    const rows = await tx
      .select({ id: s.id })
      .from(s)
      .where(and(eq(s.assigneeId, personId), inArray(s.status, HOLDING), lt(s.startsAt, endsAt), gt(s.endsAt, startsAt), ne(s.id, exceptId)))
      .limit(1);
    return rows.length > 0;
  }

  /** The holder gives the shift back (optionally asking the circle for cover). */
  async release(shiftId: string, personId: string, coverRequested: boolean, now: Date): Promise<boolean> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(s)
        .set({ status: "OPEN", assigneeId: null, coverRequested, flagged: false, helpRequestId: null, updatedAt: now })
        .where(and(eq(s.id, shiftId), eq(s.assigneeId, personId), eq(s.status, "COVERED"), gt(s.startsAt, now)))
        .returning({ id: s.id });
      if (rows.length) {
        await tx
          .update(this.t.careSwaps)
          .set({ status: "CANCELLED", decidedAt: now })
          .where(and(eq(this.t.careSwaps.shiftId, shiftId), eq(this.t.careSwaps.status, "PENDING")))
          .returning({ id: this.t.careSwaps.id });
      }
      return rows.length > 0;
    });
  }

  async setOutcome(shiftId: string, status: "DONE" | "MISSED", now: Date): Promise<boolean> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(s)
        .set({ status, updatedAt: now })
        .where(and(eq(s.id, shiftId), inArray(s.status, ["OPEN", "COVERED", "DONE", "MISSED"]), lte(s.startsAt, now)))
        .returning({ id: s.id });
      return rows.length > 0;
    });
  }

  /** Covered shifts that have ended without an outcome: the sweep closes them. */
  async coveredEnded(now: Date): Promise<ShiftRow[]> {
    const s = this.t.careShifts;
    return this.db.read
      .select()
      .from(s)
      .where(and(eq(s.status, "COVERED"), lte(s.endsAt, now)))
      .orderBy(asc(s.endsAt))
      .limit(1000);
  }

  /** Closes a covered shift that ended, unless someone recorded its outcome meanwhile. */
  async closeCovered(shiftId: string, status: "DONE" | "MISSED", now: Date): Promise<boolean> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(s)
        .set({ status, updatedAt: now })
        .where(and(eq(s.id, shiftId), eq(s.status, "COVERED"), lte(s.endsAt, now)))
        .returning({ id: s.id });
      return rows.length > 0;
    });
  }

  /**
   * Withdraws pending swaps nobody can accept any more: the shift started, or it is no longer held by
   * the member who proposed it. Returns the withdrawn swaps with their circle.
   */
  async withdrawStaleSwaps(now: Date): Promise<{ id: string; shiftId: string; circleId: string }[]> {
    const w = this.t.careSwaps;
    const s = this.t.careShifts;
    const stale = await this.db.read
      .select({ id: w.id, shiftId: w.shiftId, circleId: s.circleId })
      .from(w)
      .innerJoin(s, eq(s.id, w.shiftId))
      .where(and(eq(w.status, "PENDING"), or(lte(s.startsAt, now), ne(s.status, "COVERED"), isNull(s.assigneeId), ne(s.assigneeId, w.fromId))));
    if (stale.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const done = await tx
        .update(w)
        .set({ status: "CANCELLED", decidedAt: now })
        .where(and(inArray(w.id, stale.map((r) => r.id)), eq(w.status, "PENDING")))
        .returning({ id: w.id });
      const ids = new Set(done.map((r) => r.id));
      return stale.filter((r) => ids.has(r.id));
    });
  }

  /** How many of a circle's shifts that ended in [from, to) were missed, per circle with any. */
  async missedCounts(from: Date, to: Date): Promise<Map<string, number>> {
    const s = this.t.careShifts;
    const rows = await this.db.read
      .select({ circleId: s.circleId })
      .from(s)
      .where(and(eq(s.status, "MISSED"), gte(s.endsAt, from), lt(s.endsAt, to)));
    const out = new Map<string, number>();
    for (const r of rows) out.set(r.circleId, (out.get(r.circleId) ?? 0) + 1);
    return out;
  }

  /** Shifts that ended while still open were missed. Returns the affected circles. */
  async markMissed(now: Date): Promise<ShiftRow[]> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) =>
      tx
        .update(s)
        .set({ status: "MISSED", updatedAt: now })
        .where(and(eq(s.status, "OPEN"), lte(s.endsAt, now)))
        .returning(),
    );
  }

  /** Open shifts starting within (now, until] for which no volunteer request exists yet. */
  async gaps(now: Date, until: Date): Promise<ShiftRow[]> {
    const s = this.t.careShifts;
    return this.db.read
      .select()
      .from(s)
      .where(and(eq(s.status, "OPEN"), isNull(s.helpRequestId), gt(s.startsAt, now), lte(s.startsAt, until)))
      .orderBy(asc(s.startsAt))
      .limit(500);
  }

  /** Reserves the gap for a request id; only one reservation per shift can ever succeed. */
  async reserveGap(shiftId: string, helpRequestId: string, now: Date): Promise<boolean> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(s)
        .set({ helpRequestId, updatedAt: now })
        .where(and(eq(s.id, shiftId), eq(s.status, "OPEN"), isNull(s.helpRequestId)))
        .returning({ id: s.id });
      return rows.length > 0;
    });
  }

  /** Shifts with a reserved request id whose request may still need creating or syncing. */
  async shiftsWithRequests(since: Date): Promise<ShiftRow[]> {
    const s = this.t.careShifts;
    return this.db.read
      .select()
      .from(s)
      .where(and(gt(s.endsAt, since), ne(s.status, "CANCELLED")))
      .then((rows) => rows.filter((r) => r.helpRequestId !== null));
  }

  /** The volunteer who accepted the shift's request now covers it. */
  async coverByVolunteer(shiftId: string, volunteerId: string, now: Date): Promise<boolean> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(s)
        .set({ status: "COVERED", assigneeId: volunteerId, coverRequested: false, updatedAt: now })
        .where(and(eq(s.id, shiftId), eq(s.status, "OPEN"), isNull(s.assigneeId)))
        .returning({ id: s.id });
      return rows.length > 0;
    });
  }

  /** The volunteer released the request: the shift is open again. */
  async uncover(shiftId: string, volunteerId: string, now: Date): Promise<boolean> {
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(s)
        .set({ status: "OPEN", assigneeId: null, updatedAt: now })
        .where(and(eq(s.id, shiftId), eq(s.status, "COVERED"), eq(s.assigneeId, volunteerId)))
        .returning({ id: s.id });
      return rows.length > 0;
    });
  }

  // ---- swaps ---------------------------------------------------------------------------

  /** A new swap proposal replaces any pending one for the same shift. */
  async insertSwap(row: SwapRow): Promise<void> {
    const w = this.t.careSwaps;
    await this.db.transaction(async (tx) => {
      await tx
        .update(w)
        .set({ status: "CANCELLED", decidedAt: row.createdAt })
        .where(and(eq(w.shiftId, row.shiftId), eq(w.status, "PENDING")))
        .returning({ id: w.id });
      await tx.insert(w).values(row);
    });
  }

  async findSwap(id: string): Promise<SwapRow | undefined> {
    const rows = await this.db.read.select().from(this.t.careSwaps).where(eq(this.t.careSwaps.id, id));
    return rows[0];
  }

  async pendingSwaps(circleId: string): Promise<SwapRow[]> {
    const w = this.t.careSwaps;
    const s = this.t.careShifts;
    const rows = await this.db.read
      .select({ swap: w })
      .from(w)
      .innerJoin(s, eq(s.id, w.shiftId))
      .where(and(eq(s.circleId, circleId), eq(w.status, "PENDING")))
      .orderBy(asc(w.createdAt));
    return rows.map((r) => r.swap);
  }

  /** Accepts (shift moves to the other member, unless that creates an overlap) or declines a pending swap. */
  async decideSwap(swap: SwapRow, accept: boolean, now: Date): Promise<"OK" | "NOT_PENDING" | "OVERLAP" | "SHIFT_CHANGED"> {
    const w = this.t.careSwaps;
    const s = this.t.careShifts;
    return this.db.transaction(async (tx) => {
      if (accept) await this.db.lockKey(tx, `care-person:${swap.toId}`);
      const decided = await tx
        .update(w)
        .set({ status: accept ? "ACCEPTED" : "DECLINED", decidedAt: now })
        .where(and(eq(w.id, swap.id), eq(w.status, "PENDING")))
        .returning({ id: w.id });
      if (decided.length === 0) return "NOT_PENDING";
      if (!accept) return "OK";
      const [shift] = await tx.select().from(s).where(eq(s.id, swap.shiftId));
      if (!shift) return "SHIFT_CHANGED";
      if (await this.overlaps(tx, swap.toId, shift.startsAt, shift.endsAt, shift.id)) throw new Rollback<"OVERLAP" | "SHIFT_CHANGED">("OVERLAP");
      const moved = await tx
        .update(s)
        .set({ assigneeId: swap.toId, updatedAt: now })
        .where(and(eq(s.id, swap.shiftId), eq(s.assigneeId, swap.fromId), eq(s.status, "COVERED"), gt(s.startsAt, now)))
        .returning({ id: s.id });
      if (moved.length === 0) throw new Rollback<"OVERLAP" | "SHIFT_CHANGED">("SHIFT_CHANGED");
      return "OK" as const;
    }).catch((err) => {
      if (err instanceof Rollback) return err.outcome as "OVERLAP" | "SHIFT_CHANGED";
      throw err;
    });
  }

  // ---- load ----------------------------------------------------------------------------

  async insertCheckin(row: { id: string; circleId: string; personId: string; strain: Strain; note: string | null; at: Date }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.careCheckins).values(row);
    });
  }

  async latestCheckins(circleId: string): Promise<{ personId: string; strain: Strain; at: Date }[]> {
    const c = this.t.careCheckins;
    const rows = await this.db.read
      .select({ personId: c.personId, strain: c.strain, at: c.at })
      .from(c)
      .where(eq(c.circleId, circleId))
      .orderBy(asc(c.at));
    const latest = new Map<string, { personId: string; strain: Strain; at: Date }>();
    for (const r of rows) latest.set(r.personId, r);
    return [...latest.values()];
  }

  /** Opens a signal, or notes that an open one is still true. */
  async raiseSignal(circleId: string, personId: string, reason: LoadReason, detail: string, now: Date): Promise<void> {
    const g = this.t.careLoadSignals;
    await this.db.transaction(async (tx) => {
      const open = await tx
        .update(g)
        .set({ lastSeenAt: now, detail })
        .where(and(eq(g.circleId, circleId), eq(g.personId, personId), eq(g.reason, reason), isNull(g.resolvedAt)))
        .returning({ id: g.id });
      if (open.length === 0) {
        await tx.insert(g).values({ id: newId("CareLoadSignal"), circleId, personId, reason, detail, since: now, lastSeenAt: now, resolvedAt: null });
      }
    });
  }

  async resolveSignal(circleId: string, personId: string, reason: LoadReason, now: Date): Promise<void> {
    const g = this.t.careLoadSignals;
    await this.db.transaction(async (tx) => {
      await tx
        .update(g)
        .set({ resolvedAt: now })
        .where(and(eq(g.circleId, circleId), eq(g.personId, personId), eq(g.reason, reason), isNull(g.resolvedAt)))
        .returning({ id: g.id });
    });
  }

  /** Resolves a person's open signal of one reason in whichever circle it was raised. */
  async resolveSignalEverywhere(personId: string, reason: LoadReason, now: Date): Promise<void> {
    const g = this.t.careLoadSignals;
    await this.db.transaction(async (tx) => {
      await tx
        .update(g)
        .set({ resolvedAt: now })
        .where(and(eq(g.personId, personId), eq(g.reason, reason), isNull(g.resolvedAt)))
        .returning({ id: g.id });
    });
  }

  async openSignals(filter: { circleId?: string; personId?: string; reasons?: LoadReason[]; sinceBefore?: Date }): Promise<SignalRow[]> {
    const g = this.t.careLoadSignals;
    const conds: SQL[] = [isNull(g.resolvedAt)];
    if (filter.circleId) conds.push(eq(g.circleId, filter.circleId));
    if (filter.personId) conds.push(eq(g.personId, filter.personId));
    if (filter.reasons) conds.push(inArray(g.reason, filter.reasons));
    if (filter.sinceBefore) conds.push(lte(g.since, filter.sinceBefore));
    return this.db.read
      .select()
      .from(g)
      .where(and(...conds))
      .orderBy(asc(g.since));
  }

  // ---- respite --------------------------------------------------------------------------

  async insertRespite(row: RespiteRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.careRespites).values(row);
    });
  }

  /** A circle's respite whose window ends at or after `from`, in time order. */
  async respites(circleId: string, from: Date): Promise<RespiteRow[]> {
    const r = this.t.careRespites;
    return this.db.read
      .select()
      .from(r)
      .where(and(eq(r.circleId, circleId), gte(r.windowEnd, from)))
      .orderBy(asc(r.windowStart), asc(r.id))
      .limit(200);
  }

  async allCircleIds(): Promise<string[]> {
    const rows = await this.db.read.select({ id: this.t.careCircles.id }).from(this.t.careCircles);
    return rows.map((r) => r.id);
  }
}

class HandOverFailed extends Error {}
