import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { DataErasureStatus, DataRightsTables } from "./data-rights.tables.js";
import type { ErasureSection } from "./data-erasure.types.js";

export interface DataErasureRow {
  id: string;
  subjectId: string;
  requestedById: string;
  basis: string | null;
  status: DataErasureStatus;
  leaseUntil: Date;
  record: Record<string, ErasureSection> | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Erasure jobs: claim, finish inside the erasure's transaction, read. SQL only; the rules are DataErasureService's. */
export class DataErasureRepository {
  constructor(private readonly db: Database<DataRightsTables>) {}

  /**
   * Claims a RUNNING job for the subject unless one runs (a job past its lease is marked FAILED first).
   * Answers the job that runs now, and whether it is the one given.
   */
  async claim(job: DataErasureRow, now: Date): Promise<{ job: DataErasureRow; created: boolean }> {
    const t = this.db.tables.dataErasures;
    const created = await this.db.transaction(async (tx) => {
      await tx
        .update(t)
        .set({ status: "FAILED", finishedAt: now })
        .where(and(eq(t.subjectId, job.subjectId), eq(t.status, "RUNNING"), lt(t.leaseUntil, now)));
      const inserted = await tx.insert(t).values(job).onConflictDoNothing().returning({ id: t.id });
      return inserted.length === 1;
    });
    if (created) return { job, created };
    const running = await this.db.read
      .select()
      .from(t)
      .where(and(eq(t.subjectId, job.subjectId), eq(t.status, "RUNNING")))
      .limit(1);
    // Between the conflict and this read the running job may have finished: then it is the newest.
    return { job: (running[0] as DataErasureRow | undefined) ?? (await this.listFor({ subjectId: job.subjectId }, 1))[0], created: false };
  }

  /**
   * Runs `work` and marks the job DONE with its record in one transaction, only while the job still
   * runs; answers false (and rolls back) when it no longer does.
   */
  async runAndFinish(id: string, subjectId: string, work: () => Promise<Record<string, ErasureSection>>, at: () => Date): Promise<boolean> {
    const t = this.db.tables.dataErasures;
    return this.db
      .transaction(async (tx) => {
        const record = await work();
        const restrictions = Object.entries(record).flatMap(([section, part]) =>
          part.restricted.flatMap((r) =>
            (r.objectIds ?? []).map((objectId) => ({ objectId, subjectId, erasureId: id, section, legalBasis: r.legalBasis, keptFor: r.keptFor, createdAt: at() })),
          ),
        );
        if (restrictions.length > 0) await tx.insert(this.db.tables.dataRestrictions).values(restrictions).onConflictDoNothing();
        for (const part of Object.values(record)) for (const r of part.restricted) delete r.objectIds;
        const rows = await tx
          .update(t)
          .set({ status: "DONE", record, finishedAt: at() })
          .where(and(eq(t.id, id), eq(t.status, "RUNNING")))
          .returning({ id: t.id });
        // A job given up on (its lease ran out) must not be completed by a late run: undo all of it.
        if (rows.length !== 1) throw new StaleErasure();
        return true;
      })
      .catch((err: unknown) => {
        if (err instanceof StaleErasure) return false;
        throw err;
      });
  }

  /** The restriction of a kept object, or undefined when it is not restricted. */
  async restrictionOf(objectId: string): Promise<{ legalBasis: string; keptFor: string; createdAt: Date } | undefined> {
    const t = this.db.tables.dataRestrictions;
    const rows = await this.db.read.select({ legalBasis: t.legalBasis, keptFor: t.keptFor, createdAt: t.createdAt }).from(t).where(eq(t.objectId, objectId)).limit(1);
    return rows[0];
  }

  async fail(id: string, at: Date): Promise<void> {
    const t = this.db.tables.dataErasures;
    await this.db.transaction(async (tx) => {
      await tx
        .update(t)
        .set({ status: "FAILED", finishedAt: at })
        .where(and(eq(t.id, id), eq(t.status, "RUNNING")));
    });
  }

  async find(id: string): Promise<DataErasureRow | undefined> {
    const t = this.db.tables.dataErasures;
    const rows = await this.db.read.select().from(t).where(eq(t.id, id)).limit(1);
    return rows[0] as DataErasureRow | undefined;
  }

  /** Jobs about a subject or asked for by a person, newest first. */
  async listFor(by: { subjectId?: string; requestedById?: string }, limit: number): Promise<DataErasureRow[]> {
    const t = this.db.tables.dataErasures;
    const conds = [by.subjectId ? eq(t.subjectId, by.subjectId) : undefined, by.requestedById ? eq(t.requestedById, by.requestedById) : undefined].filter((c) => c !== undefined);
    const rows = await this.db.read
      .select()
      .from(t)
      .where(or(...conds))
      .orderBy(desc(t.createdAt), desc(t.id))
      .limit(limit);
    return rows as DataErasureRow[];
  }
}

class StaleErasure extends Error {}
