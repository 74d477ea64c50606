import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { Rollback, outcomeOf } from "../../db/rollback.js";
import type { CircleRole } from "./care.tables.js";
import type { CareTables } from "./care.tables.js";

/** Running a circle: open invitations, roles, circles without a coordinator, load sharing. SQL only. */
export class CareRunningRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
  }

  /** Invitations nobody used yet that have not expired and were not revoked, newest first. */
  async openInvitations(circleId: string, now: Date) {
    const inv = this.t.careInvitations;
    return this.db.read
      .select({ id: inv.id, relation: inv.relation, invitedById: inv.invitedById, createdAt: inv.createdAt, expiresAt: inv.expiresAt, byEmail: inv.byEmail })
      .from(inv)
      .where(and(eq(inv.circleId, circleId), isNull(inv.usedById), isNull(inv.revokedAt), gt(inv.expiresAt, now)))
      .orderBy(asc(inv.createdAt));
  }

  /** Revokes an unused invitation of the circle; false when it was used, revoked or is not the circle's. */
  async revokeInvitation(circleId: string, id: string, now: Date): Promise<boolean> {
    const inv = this.t.careInvitations;
    return this.db.transaction(async (tx) => {
      const done = await tx
        .update(inv)
        .set({ revokedAt: now })
        .where(and(eq(inv.id, id), eq(inv.circleId, circleId), isNull(inv.usedById), isNull(inv.revokedAt)))
        .returning({ id: inv.id });
      return done.length > 0;
    });
  }

  /** Changes a current member's role; a demotion that would leave no coordinator is undone. */
  async setRole(circleId: string, personId: string, role: CircleRole): Promise<"OK" | "GONE" | "LAST_COORDINATOR"> {
    const m = this.t.careMembers;
    return outcomeOf<"OK", "GONE" | "LAST_COORDINATOR">(() =>
      this.db.transaction(async (tx) => {
        await this.db.lockKey(tx, `care-circle-roles:${circleId}`);
        const changed = await tx
          .update(m)
          .set({ role })
          .where(and(eq(m.circleId, circleId), eq(m.personId, personId), isNull(m.leftAt)))
          .returning({ id: m.personId });
        if (changed.length === 0) throw new Rollback("GONE");
        const left = await tx
          .select({ id: m.personId })
          .from(m)
          .where(and(eq(m.circleId, circleId), eq(m.role, "COORDINATOR"), isNull(m.leftAt)));
        if (left.length === 0) throw new Rollback("LAST_COORDINATOR");
        return "OK" as const;
      }),
    );
  }

  /** Circles with nobody coordinating them (for the municipality), with how many members remain. */
  async circlesWithoutCoordinator() {
    const { careCircles: c, careMembers: m } = this.t;
    const rows = await this.db.read
      .select({
        id: c.id,
        neighbourhoodId: c.neighbourhoodId,
        createdAt: c.createdAt,
        coordinators: sql<number>`count(case when ${m.role} = 'COORDINATOR' then 1 end)`,
        members: sql<number>`count(${m.personId})`,
      })
      .from(c)
      .leftJoin(m, and(eq(m.circleId, c.id), isNull(m.leftAt)))
      .groupBy(c.id, c.neighbourhoodId, c.createdAt)
      .orderBy(asc(c.createdAt));
    return rows.filter((r) => Number(r.coordinators) === 0).map((r) => ({ id: r.id, neighbourhoodId: r.neighbourhoodId, memberCount: Number(r.members) }));
  }

  /**
   * Makes a person coordinator of a circle that has none, as a member (re-joining if they once left);
   * false when the circle has a coordinator by now.
   */
  async appoint(circleId: string, personId: string, now: Date): Promise<boolean> {
    const m = this.t.careMembers;
    return this.db.transaction(async (tx) => {
      await this.db.lockKey(tx, `care-circle-roles:${circleId}`);
      const coordinators = await tx
        .select({ id: m.personId })
        .from(m)
        .where(and(eq(m.circleId, circleId), eq(m.role, "COORDINATOR"), isNull(m.leftAt)));
      if (coordinators.length > 0) return false;
      const [existing] = await tx
        .select()
        .from(m)
        .where(and(eq(m.circleId, circleId), eq(m.personId, personId)));
      if (existing) {
        await tx
          .update(m)
          .set({ role: "COORDINATOR", leftAt: null, joinedAt: existing.leftAt ? now : existing.joinedAt })
          .where(and(eq(m.circleId, circleId), eq(m.personId, personId)))
          .returning({ id: m.personId });
      } else {
        await tx.insert(m).values({ circleId, personId, role: "COORDINATOR", relation: "OTHER", joinedAt: now, leftAt: null, calendarVersion: 1 });
      }
      return true;
    });
  }

  async setShareLoad(circleId: string, personId: string, share: boolean): Promise<void> {
    const m = this.t.careMembers;
    await this.db.transaction(async (tx) => {
      await tx
        .update(m)
        .set({ shareLoad: share })
        .where(and(eq(m.circleId, circleId), eq(m.personId, personId), isNull(m.leftAt)))
        .returning({ id: m.personId });
    });
  }
}
