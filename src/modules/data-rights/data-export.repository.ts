import { and, desc, eq, lt, ne, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { DataExportStatus, DataRightsTables } from "./data-rights.tables.js";

export interface DataExportRow {
  id: string;
  subjectId: string;
  requestedById: string;
  basis: string | null;
  status: DataExportStatus;
  leaseUntil: Date;
  content: string | null;
  sizeBytes: number | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Export jobs: claim, finish by a conditional update, read. SQL only; the rules are DataExportService's. */
export class DataExportRepository {
  constructor(private readonly db: Database<DataRightsTables>) {}

  /**
   * Claims a new RUNNING job for the subject, unless one runs: a job whose lease ran out (its instance
   * died) is marked FAILED first, and earlier files of the subject are dropped (only the newest is kept).
   * Answers the job that runs now, and whether it is the one given.
   */
  async claim(job: DataExportRow, now: Date): Promise<{ job: DataExportRow; created: boolean }> {
    const t = this.db.tables.dataExports;
    const created = await this.db.transaction(async (tx) => {
      await tx
        .update(t)
        .set({ status: "FAILED", finishedAt: now })
        .where(and(eq(t.subjectId, job.subjectId), eq(t.status, "RUNNING"), lt(t.leaseUntil, now)));
      const inserted = await tx.insert(t).values(job).onConflictDoNothing().returning({ id: t.id });
      if (inserted.length === 0) return false;
      await tx
        .update(t)
        .set({ status: "EXPIRED", content: null })
        .where(and(eq(t.subjectId, job.subjectId), ne(t.id, job.id), or(eq(t.status, "READY"), eq(t.status, "EXPIRED"))));
      return true;
    });
    if (created) return { job, created };
    const running = await this.db.read
      .select()
      .from(t)
      .where(and(eq(t.subjectId, job.subjectId), eq(t.status, "RUNNING")))
      .limit(1);
    // Between the conflict and this read the running job may have finished: then it is the newest.
    return { job: (running[0] as DataExportRow | undefined) ?? (await this.newest(job.subjectId))!, created: false };
  }

  /** Stores the finished file, only while the job still runs (a job given up on stays given up). */
  async finish(id: string, content: string, sizeBytes: number, at: Date): Promise<boolean> {
    const t = this.db.tables.dataExports;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(t)
        .set({ status: "READY", content, sizeBytes, finishedAt: at })
        .where(and(eq(t.id, id), eq(t.status, "RUNNING")))
        .returning({ id: t.id });
      return rows.length === 1;
    });
  }

  async fail(id: string, at: Date): Promise<void> {
    const t = this.db.tables.dataExports;
    await this.db.transaction(async (tx) => {
      await tx
        .update(t)
        .set({ status: "FAILED", finishedAt: at })
        .where(and(eq(t.id, id), eq(t.status, "RUNNING")));
    });
  }

  /** Drops the files finished before `before`: they read EXPIRED from then on. Answers how many. */
  async dropFinishedBefore(before: Date): Promise<number> {
    const t = this.db.tables.dataExports;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(t)
        .set({ status: "EXPIRED", content: null })
        .where(and(eq(t.status, "READY"), lt(t.finishedAt, before)))
        .returning({ id: t.id });
      return rows.length;
    });
  }

  async find(id: string): Promise<DataExportRow | undefined> {
    const t = this.db.tables.dataExports;
    const rows = await this.db.read.select().from(t).where(eq(t.id, id)).limit(1);
    return rows[0] as DataExportRow | undefined;
  }

  async newest(subjectId: string): Promise<DataExportRow | undefined> {
    return (await this.listFor({ subjectId }, 1))[0];
  }

  /** Jobs about a subject or asked for by a person, newest first, without their files. */
  async listFor(by: { subjectId?: string; requestedById?: string }, limit: number): Promise<DataExportRow[]> {
    const t = this.db.tables.dataExports;
    const conds = [by.subjectId ? eq(t.subjectId, by.subjectId) : undefined, by.requestedById ? eq(t.requestedById, by.requestedById) : undefined].filter((c) => c !== undefined);
    const rows = await this.db.read
      .select({
        id: t.id,
        subjectId: t.subjectId,
        requestedById: t.requestedById,
        basis: t.basis,
        status: t.status,
        leaseUntil: t.leaseUntil,
        sizeBytes: t.sizeBytes,
        createdAt: t.createdAt,
        finishedAt: t.finishedAt,
      })
      .from(t)
      .where(or(...conds))
      .orderBy(desc(t.createdAt), desc(t.id))
      .limit(limit);
    return rows.map((r) => ({ ...r, content: null }));
  }
}
