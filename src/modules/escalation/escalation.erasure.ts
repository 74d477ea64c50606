import { and, count, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser } from "../data-rights/data-erasure.types.js";
import { DataRightsReason } from "../data-rights/data-rights.errors.js";
import type { EscalationTables } from "./escalation.tables.js";

/** The legal duty a closed case about a person is kept under. */
export const CASE_LEGAL_BASIS = "Jeugdwet/Wmo 2015 dossierplicht";

/**
 * The escalation module's part of an erasure. It waits while a case about the person is open. Closed
 * cases about them and the consents given for them are kept under the professionals' record-keeping
 * duty and so restricted, not erased: each case is recorded as restricted (data-rights), after which
 * only the professionals of its teams read it (coordinators no longer do), and the person row it
 * points at no longer carries a name.
 */
export function escalationEraser(db: Database<EscalationTables>): PersonalDataEraser {
  return {
    section: "cases",
    async blockers(personId) {
      const e = db.tables.escalations;
      const [open] = await db.read
        .select({ n: count() })
        .from(e)
        .where(and(eq(e.subjectId, personId), ne(e.status, "CLOSED")));
      return [{ reason: DataRightsReason.ERASURE_BLOCKED_OPEN_CASE, count: Number(open.n) }];
    },
    async erase(personId) {
      const { escalations: e, consents: c } = db.tables;
      return db.transaction(async (tx) => {
        const cases = await tx.select({ id: e.id }).from(e).where(eq(e.subjectId, personId));
        const [consents] = await tx.select({ n: count() }).from(c).where(eq(c.subjectId, personId));
        const keptFor = "the professionals of the case's teams";
        return {
          erased: [],
          restricted: [
            { what: "escalation cases about you", count: cases.length, legalBasis: CASE_LEGAL_BASIS, keptFor, objectIds: cases.map((c) => c.id) },
            { what: "consents for sharing your details with a team", count: Number(consents.n), legalBasis: CASE_LEGAL_BASIS, keptFor },
          ].filter((r) => r.count > 0),
        };
      });
    },
  };
}
