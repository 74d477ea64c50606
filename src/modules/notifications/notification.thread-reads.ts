import { and, desc, eq, isNull, lte } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { CareTables } from "../care/care.tables.js";
import type { CareThreadsForNotifications, ThreadShiftState } from "./notification.sources.js";

/**
 * What deciding reads of a care circle's message threads: who wrote the latest message of a thread, and
 * a shift's time and who covers it through its help request. Never a message's text. SQL only.
 */
export class ThreadReads implements CareThreadsForNotifications {
  constructor(private readonly db: Database<Pick<CareTables, "careMessages" | "careShifts">>) {}

  async latestAuthor(circleId: string, shiftId: string | null, at: Date): Promise<string | null> {
    const m = this.db.tables.careMessages;
    const rows = await this.db.read
      .select({ authorId: m.authorId })
      .from(m)
      .where(and(eq(m.circleId, circleId), shiftId ? eq(m.shiftId, shiftId) : isNull(m.shiftId), lte(m.createdAt, at)))
      .orderBy(desc(m.createdAt), desc(m.id))
      .limit(1);
    return rows[0]?.authorId ?? null;
  }

  async threadShift(id: string): Promise<ThreadShiftState | undefined> {
    const s = this.db.tables.careShifts;
    const rows = await this.db.read
      .select({ circleId: s.circleId, startsAt: s.startsAt, status: s.status, assigneeId: s.assigneeId, helpRequestId: s.helpRequestId })
      .from(s)
      .where(eq(s.id, id));
    const row = rows[0];
    return row && { circleId: row.circleId, startsAt: row.startsAt, coveringVolunteerId: row.status === "COVERED" && row.helpRequestId !== null ? row.assigneeId : null };
  }
}
