import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { MessageRow } from "./care.rows.js";
import type { CareTables } from "./care.tables.js";

/** Messages of a circle's thread and of its shifts' threads. SQL only. */
export class CareMessageRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
  }

  async insert(row: MessageRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.careMessages).values(row);
    });
  }

  /** The thread's latest `limit` messages before the cursor (createdAt, id), returned oldest first. */
  async thread(circleId: string, shiftId: string | null, limit: number, before?: { at: Date; id: string }): Promise<MessageRow[]> {
    const m = this.t.careMessages;
    const where = [eq(m.circleId, circleId), shiftId ? eq(m.shiftId, shiftId) : isNull(m.shiftId)];
    if (before) where.push(or(lt(m.createdAt, before.at), and(eq(m.createdAt, before.at), lt(m.id, before.id)))!);
    const rows = await this.db.read
      .select()
      .from(m)
      .where(and(...where))
      .orderBy(desc(m.createdAt), desc(m.id))
      .limit(limit);
    return rows.reverse();
  }
}
