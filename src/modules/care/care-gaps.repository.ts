import { and, asc, eq, gt, isNull, lte, ne } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { CareTables } from "./care.tables.js";
import type { ShiftRow } from "./care.rows.js";

/** Gaps: open shifts posted to volunteers as help requests, and kept in step with those requests. */
export class CareGapsRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
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

  async findShiftByHelpRequest(helpRequestId: string): Promise<ShiftRow | undefined> {
    const rows = await this.db.read.select().from(this.t.careShifts).where(eq(this.t.careShifts.helpRequestId, helpRequestId));
    return rows[0];
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
        .set({ status: "OPEN", assigneeId: null, releasedById: volunteerId, updatedAt: now })
        .where(and(eq(s.id, shiftId), eq(s.status, "COVERED"), eq(s.assigneeId, volunteerId)))
        .returning({ id: s.id });
      return rows.length > 0;
    });
  }
}
