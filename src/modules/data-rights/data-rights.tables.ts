import { sql } from "drizzle-orm";
import type { Kit } from "../../db/kit.js";

export type DataExportStatus = "RUNNING" | "READY" | "FAILED" | "EXPIRED";
export type DataErasureStatus = "RUNNING" | "DONE" | "FAILED";

/**
 * Export jobs (GDPR art. 15 and 20). A job is claimed RUNNING, and its file is written with the status
 * READY in one update, so a crash leaves either a finished file or a RUNNING row whose lease runs out
 * (then it reads FAILED and a new request starts afresh), never half a file. The file is gzipped JSON,
 * base64 in a text column: one shape for SQLite and PostgreSQL, and it survives restarts.
 */
export function defineDataRightsTables(k: Kit) {
  const dataExports = k.table(
    "data_exports",
    {
      id: k.text("id").primaryKey(),
      subjectId: k.text("subject_id").notNull(),
      requestedById: k.text("requested_by_id").notNull(),
      /** Why a coordinator asked for someone else's data (the person's request at a desk); null when the person asked. */
      basis: k.text("basis"),
      status: k.text("status").$type<DataExportStatus>().notNull(),
      leaseUntil: k.time("lease_until").notNull(),
      content: k.text("content"),
      sizeBytes: k.int("size_bytes"),
      createdAt: k.time("created_at").notNull(),
      finishedAt: k.time("finished_at"),
    },
    (t) => [
      k.index("data_exports_subject_idx").on(t.subjectId, t.createdAt),
      k.index("data_exports_requested_by_idx").on(t.requestedById, t.createdAt),
      // One running job per person: a second claim conflicts here and is answered with the first.
      k
        .uniqueIndex("data_exports_running_idx")
        .on(t.subjectId)
        .where(sql`status = 'RUNNING'`),
    ],
  );
  /**
   * Erasure jobs (GDPR art. 17 and 18), kept as the record of what was erased and what is kept
   * restricted, and why. The whole erasure runs in one transaction that also writes `record` and DONE,
   * so a crash leaves either all of it done or none of it (the lease runs out, the row reads FAILED
   * and a new request starts afresh). The record names no erased fact, only what kind of data went.
   */
  const dataErasures = k.table(
    "data_erasures",
    {
      id: k.text("id").primaryKey(),
      subjectId: k.text("subject_id").notNull(),
      requestedById: k.text("requested_by_id").notNull(),
      /** Why a coordinator asked on someone's behalf; null when the person asked. */
      basis: k.text("basis"),
      status: k.text("status").$type<DataErasureStatus>().notNull(),
      leaseUntil: k.time("lease_until").notNull(),
      /** Per module section: what was erased and what is restricted, with the legal basis. */
      record: k.json<Record<string, { erased: string[]; restricted: { what: string; count: number; legalBasis: string; keptFor: string }[] }>>("record"),
      createdAt: k.time("created_at").notNull(),
      finishedAt: k.time("finished_at"),
    },
    (t) => [
      k.index("data_erasures_subject_idx").on(t.subjectId, t.createdAt),
      k.index("data_erasures_requested_by_idx").on(t.requestedById, t.createdAt),
      // One running erasure per person: a second claim conflicts here and is answered with the first.
      k
        .uniqueIndex("data_erasures_running_idx")
        .on(t.subjectId)
        .where(sql`status = 'RUNNING'`),
    ],
  );
  /**
   * What an erasure kept under a legal duty instead of erasing (GDPR art. 18): one row per kept object
   * (a case), with the duty. The module that holds the object asks here whether it is restricted and
   * then shows it only to those who keep it; the reason is shown with it.
   */
  const dataRestrictions = k.table(
    "data_restrictions",
    {
      objectId: k.text("object_id").primaryKey(),
      subjectId: k.text("subject_id").notNull(),
      erasureId: k.text("erasure_id").notNull(),
      section: k.text("section").notNull(),
      legalBasis: k.text("legal_basis").notNull(),
      keptFor: k.text("kept_for").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("data_restrictions_subject_idx").on(t.subjectId)],
  );
  return { dataExports, dataErasures, dataRestrictions };
}

export type DataRightsTables = ReturnType<typeof defineDataRightsTables>;
