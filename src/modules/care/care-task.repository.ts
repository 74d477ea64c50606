import { type SQL, and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import type { CareTables } from "./care.tables.js";
import { newId } from "../../shared/ids.js";
import type { ShiftRow, TaskRow } from "./care.rows.js";
import type { Occurrence } from "./recurrence.js";

/** Care tasks and the shifts derived from them. */
export class CareTaskRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
  }

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
    return this.db.read
      .select()
      .from(this.t.careTasks)
      .where(inArray(this.t.careTasks.id, [...ids]));
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
   * Brings a task's future shifts in line with its occurrences. Unclaimed shifts follow the task
   * (moved, cancelled, reopened); shifts someone holds stay and are flagged when they no longer match,
   * so nobody loses a commitment silently. So do shifts whose volunteer request is still out, unless
   * that request was withdrawn (`withdrawnRequests`): those follow the task like any unclaimed shift
   * and lose the request. Returns whether anything changed.
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
}
