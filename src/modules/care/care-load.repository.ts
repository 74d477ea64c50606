import { type SQL, and, asc, eq, gte, inArray, isNull, lt, lte } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { newId } from "../../shared/ids.js";
import type { CheckinRow, RespiteRow, SignalRow } from "./care.rows.js";
import type { CareTables, LoadReason, Strain } from "./care.tables.js";

/** Load: members' check-ins, the overload and missed-shift signals, and respite asked for. */
export class CareLoadRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
  }

  // ---- check-ins -----------------------------------------------------------------------

  async insertCheckin(row: CheckinRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.careCheckins).values(row);
    });
  }

  async latestCheckins(circleId: string): Promise<{ personId: string; strain: Strain; at: Date }[]> {
    const c = this.t.careCheckins;
    const rows = await this.db.read.select({ personId: c.personId, strain: c.strain, at: c.at }).from(c).where(eq(c.circleId, circleId)).orderBy(asc(c.at));
    const latest = new Map<string, { personId: string; strain: Strain; at: Date }>();
    for (const r of rows) latest.set(r.personId, r);
    return [...latest.values()];
  }

  // ---- signals -------------------------------------------------------------------------

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
}
