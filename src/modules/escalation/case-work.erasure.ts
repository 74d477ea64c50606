import { count, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataEraser } from "../data-rights/data-erasure.types.js";
import { CASE_LEGAL_BASIS } from "./escalation.erasure.js";
import type { EscalationTables } from "./escalation.tables.js";

/**
 * Casework's part of an erasure: restricted with the case, not erased. A case about the person is kept
 * under the professionals' record-keeping duty (escalation.erasure.ts), and its notes, contact moments
 * and documents are its record; they stay readable only by the case's teams, as they always were.
 * The escalation module's blocker (an open case) covers casework too.
 */
export function caseWorkEraser(db: Database<EscalationTables>): PersonalDataEraser {
  return {
    section: "casework",
    async erase(personId) {
      const { escalations: e, caseNotes: n, caseDocuments: d } = db.tables;
      return db.transaction(async (tx) => {
        const cases = (await tx.select({ id: e.id }).from(e).where(eq(e.subjectId, personId))).map((c) => c.id);
        if (cases.length === 0) return { erased: [], restricted: [] };
        const [notes] = await tx.select({ n: count() }).from(n).where(inArray(n.escalationId, cases));
        const [docs] = await tx.select({ n: count() }).from(d).where(inArray(d.escalationId, cases));
        const keptFor = "the professionals of the case's teams";
        return {
          erased: [],
          restricted: [
            { what: "notes and contact moments on cases about you", count: Number(notes.n), legalBasis: CASE_LEGAL_BASIS, keptFor },
            { what: "documents on cases about you", count: Number(docs.n), legalBasis: CASE_LEGAL_BASIS, keptFor },
          ].filter((r) => r.count > 0),
        };
      });
    },
  };
}
