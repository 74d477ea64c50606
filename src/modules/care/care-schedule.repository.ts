import { type SQL, and, asc, eq, gt, gte, inArray, isNull, lt, lte, ne, or } from "drizzle-orm";
import { keysetPage } from "../../db/keyset.js";
import type { Database, Db } from "../../db/client.js";
import { Rollback, outcomeOf } from "../../db/rollback.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import type { ShiftRow, SwapRow } from "./care.rows.js";
import type { CareTables, ShiftStatus } from "./care.tables.js";

export type ClaimOutcome = "OK" | "NOT_OPEN" | "OVERLAP";
export type SwapOutcome = "OK" | "NOT_PENDING" | "OVERLAP" | "SHIFT_CHANGED";

const HOLDING: ShiftStatus[] = ["COVERED"];

/** The schedule: shifts as members and volunteers hold them, swaps between members, and how shifts end. */
export class CareScheduleRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
  }

  // ---- shifts --------------------------------------------------------------------------

  async findShift(id: string): Promise<ShiftRow | undefined> {
    const rows = await this.db.read.select().from(this.t.careShifts).where(eq(this.t.careShifts.id, id));
    return rows[0];
  }

  async shifts(
    filter: { circleId?: string; assigneeId?: string; from: Date | null; to: Date | null; statuses: ShiftStatus[] | null },
    page: PageRequest,
    cursorScope = "",
  ): Promise<Page<ShiftRow>> {
    const s = this.t.careShifts;
    const conds: SQL[] = [];
    if (filter.circleId) conds.push(eq(s.circleId, filter.circleId));
    if (filter.assigneeId) conds.push(eq(s.assigneeId, filter.assigneeId));
    if (filter.from) conds.push(gte(s.endsAt, filter.from));
    if (filter.to) conds.push(lt(s.startsAt, filter.to));
    conds.push(filter.statuses?.length ? inArray(s.status, filter.statuses) : ne(s.status, "CANCELLED"));
    const keyset = keysetPage(s.startsAt, s.id, page, "asc");
    const rows = await this.db.read
      .select()
      .from(s)
      .where(and(...conds, keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows, page, (r) => r.startsAt.getTime(), cursorScope);
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
        .set({ status: "OPEN", assigneeId: null, releasedById: personId, coverRequested, flagged: false, helpRequestId: null, updatedAt: now })
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

  // ---- how shifts end ------------------------------------------------------------------

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

  /** Shifts that ended while still open were missed. Returns them. */
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
  async decideSwap(swap: SwapRow, accept: boolean, now: Date): Promise<SwapOutcome> {
    const w = this.t.careSwaps;
    const s = this.t.careShifts;
    return outcomeOf<SwapOutcome, "OVERLAP" | "SHIFT_CHANGED">(() =>
      this.db.transaction(async (tx) => {
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
      }),
    );
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
        .where(
          and(
            inArray(
              w.id,
              stale.map((r) => r.id),
            ),
            eq(w.status, "PENDING"),
          ),
        )
        .returning({ id: w.id });
      const ids = new Set(done.map((r) => r.id));
      return stale.filter((r) => ids.has(r.id));
    });
  }
}
