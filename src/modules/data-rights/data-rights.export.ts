import { asc, eq, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataExporter, iso } from "./data-export.types.js";
import { type PersonalDataEraser, erasedLine } from "./data-erasure.types.js";
import type { DataRightsTables } from "./data-rights.tables.js";

/** The data-rights module's own part: the exports made of the person's data, and those they asked for others (without whose). */
export function dataRightsExporter(db: Database<DataRightsTables>): PersonalDataExporter {
  return {
    section: "dataExports",
    tables: ["dataExports"],
    async export(personId) {
      const t = db.tables.dataExports;
      const rows = await db.read
        .select({ id: t.id, subjectId: t.subjectId, requestedById: t.requestedById, basis: t.basis, status: t.status, createdAt: t.createdAt, finishedAt: t.finishedAt })
        .from(t)
        .where(or(eq(t.subjectId, personId), eq(t.requestedById, personId)))
        .orderBy(asc(t.createdAt), asc(t.id));
      return rows.map((r) => ({
        id: r.id,
        ofYourData: r.subjectId === personId,
        requestedBy: r.requestedById === r.subjectId ? "SELF" : r.subjectId === personId ? "COORDINATOR" : "YOU_FOR_SOMEONE_ELSE",
        basis: r.basis,
        status: r.status,
        createdAt: iso(r.createdAt),
        finishedAt: iso(r.finishedAt),
      }));
    },
  };
}

/** The data-rights module's own part of an erasure: the export files of the person's data go (a copy must not outlive the original). */
export function dataRightsEraser(db: Database<DataRightsTables>): PersonalDataEraser {
  return {
    section: "dataExports",
    async erase(personId) {
      const t = db.tables.dataExports;
      return db.transaction(async (tx) => {
        const rows = await tx.delete(t).where(eq(t.subjectId, personId)).returning({ id: t.id });
        return { erased: [erasedLine("data exports of your data", rows.length)], restricted: [] };
      });
    },
  };
}
