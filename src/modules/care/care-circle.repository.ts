import { and, asc, count, eq, gt, gte, inArray, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { CareTables } from "./care.tables.js";
import { Rollback, outcomeOf } from "../../db/rollback.js";
import type { CircleRow, InvitationRow, MemberRow } from "./care.rows.js";

export type LeaveOutcome = { ok: true; reopened: string[]; swapsWithdrawn: string[]; promoted: string | null } | { ok: false; reason: "LAST_COORDINATOR" | "GONE" };
export type RedeemOutcome = { outcome: "OK" | "UNKNOWN" | "EXPIRED" | "USED" | "REVOKED" | "ALREADY_MEMBER"; circleId?: string };

/** Care circles, their members and invitations. */
export class CareCircleRepository {
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

  async allCircleIds(): Promise<string[]> {
    const rows = await this.db.read.select({ id: this.t.careCircles.id }).from(this.t.careCircles);
    return rows.map((r) => r.id);
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
    return outcomeOf<boolean, false>(() =>
      this.db.transaction(async (tx) => {
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
        // The member taking over left meanwhile: undo the demotion, or the circle has no coordinator.
        if (promoted.length === 0) throw new Rollback(false);
        return true;
      }),
    );
  }

  /**
   * Ends a membership (leaving or removal): pending swaps with them are withdrawn, the future shifts
   * they hold open up (free of any volunteer request, so the sweep posts them afresh), and their
   * calendar feed URLs stop at once (the version is bumped, so a later return does not revive them).
   * `successor` becomes coordinator in the same transaction; a circle with members left must keep a
   * coordinator, else nothing is kept (LAST_COORDINATOR).
   */
  async endMembership(circleId: string, personId: string, now: Date, successor: string | null): Promise<LeaveOutcome> {
    const { careMembers: m, careShifts: s, careSwaps: w } = this.t;
    return outcomeOf<LeaveOutcome, LeaveOutcome>(() =>
      this.db.transaction(async (tx) => {
        await this.db.lockKey(tx, `care-circle-roles:${circleId}`);
        const gone = await tx
          .update(m)
          .set({ leftAt: now, role: "MEMBER", calendarVersion: sql`${m.calendarVersion} + 1` })
          .where(and(eq(m.circleId, circleId), eq(m.personId, personId), isNull(m.leftAt)))
          .returning({ id: m.personId });
        if (gone.length === 0) throw new Rollback<LeaveOutcome>({ ok: false, reason: "GONE" });
        if (successor) {
          const up = await tx
            .update(m)
            .set({ role: "COORDINATOR" })
            .where(and(eq(m.circleId, circleId), eq(m.personId, successor), isNull(m.leftAt)))
            .returning({ id: m.personId });
          if (up.length === 0) throw new Rollback<LeaveOutcome>({ ok: false, reason: "GONE" });
        }
        const rest = await tx
          .select({ role: m.role })
          .from(m)
          .where(and(eq(m.circleId, circleId), isNull(m.leftAt)));
        if (rest.length > 0 && !rest.some((r) => r.role === "COORDINATOR")) throw new Rollback<LeaveOutcome>({ ok: false, reason: "LAST_COORDINATOR" });
        const theirs = await tx
          .select({ id: w.id, shiftId: w.shiftId })
          .from(w)
          .innerJoin(s, eq(s.id, w.shiftId))
          .where(and(eq(s.circleId, circleId), eq(w.status, "PENDING"), or(eq(w.fromId, personId), eq(w.toId, personId))));
        if (theirs.length) {
          await tx
            .update(w)
            .set({ status: "CANCELLED", decidedAt: now })
            .where(
              and(
                inArray(
                  w.id,
                  theirs.map((r) => r.id),
                ),
                eq(w.status, "PENDING"),
              ),
            )
            .returning({ id: w.id });
        }
        const reopened = await tx
          .update(s)
          .set({ status: "OPEN", assigneeId: null, releasedById: personId, flagged: false, coverRequested: false, helpRequestId: null, updatedAt: now })
          .where(and(eq(s.circleId, circleId), eq(s.assigneeId, personId), eq(s.status, "COVERED"), gt(s.startsAt, now)))
          .returning({ id: s.id });
        return { ok: true as const, reopened: reopened.map((r) => r.id), swapsWithdrawn: theirs.map((r) => r.shiftId), promoted: successor };
      }),
    );
  }

  /** Revokes every calendar feed URL the member was given: returns the new version to sign. */
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

  /**
   * Stores an invitation. One sent by e-mail is stored only while fewer than `emailLimit` were sent for
   * the circle since `since` (counted in the same transaction); returns whether it was stored.
   */
  async insertInvitation(row: InvitationRow, emailLimit?: { max: number; since: Date }): Promise<boolean> {
    const inv = this.t.careInvitations;
    return this.db.transaction(async (tx) => {
      if (row.byEmail && emailLimit) {
        const [sent] = await tx
          .select({ n: count() })
          .from(inv)
          .where(and(eq(inv.circleId, row.circleId), eq(inv.byEmail, true), gte(inv.createdAt, emailLimit.since)));
        if ((sent?.n ?? 0) >= emailLimit.max) return false;
      }
      await tx.insert(inv).values(row);
      return true;
    });
  }

  /** An invitation as the notifications of it need it: never its code. */
  async findInvitation(id: string) {
    const inv = this.t.careInvitations;
    const [row] = await this.db.read.select().from(inv).where(eq(inv.id, id));
    return row;
  }

  /**
   * Uses a single-use invitation: the first redeemer wins, an expired or used code does nothing. By
   * code (`codeHash`), or by id for the one account an e-mailed invitation was addressed to (another
   * person's id is as unknown as a wrong code).
   */
  async redeem(by: { codeHash: string } | { id: string }, personId: string, now: Date): Promise<RedeemOutcome> {
    const inv = this.t.careInvitations;
    const m = this.t.careMembers;
    return this.db.transaction(async (tx) => {
      const [found] = await tx
        .select()
        .from(inv)
        .where("codeHash" in by ? eq(inv.codeHash, by.codeHash) : eq(inv.id, by.id));
      if (!found || ("id" in by && found.inviteePersonId !== personId)) return { outcome: "UNKNOWN" };
      if (found.usedById) return { outcome: "USED", circleId: found.circleId };
      if (found.revokedAt) return { outcome: "REVOKED", circleId: found.circleId };
      if (found.expiresAt.getTime() <= now.getTime()) return { outcome: "EXPIRED", circleId: found.circleId };
      const [existing] = await tx
        .select()
        .from(m)
        .where(and(eq(m.circleId, found.circleId), eq(m.personId, personId)));
      if (existing && existing.leftAt === null) return { outcome: "ALREADY_MEMBER", circleId: found.circleId };
      const used = await tx
        .update(inv)
        .set({ usedById: personId, usedAt: now })
        .where(and(eq(inv.id, found.id), isNull(inv.usedById), isNull(inv.revokedAt)))
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
}
