import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { InitiativeTables } from "./initiative.tables.js";

/**
 * The initiatives module's part of an erasure: the person leaves the organisations they were a member
 * of; their sign-ups and placements keep their shape (an initiative's counts stay whole) but lose the
 * notes written with them.
 */
export function initiativeEraser(db: Database<InitiativeTables>): PersonalDataEraser {
  return {
    section: "initiatives",
    async erase(personId) {
      const { organisationMembers: m, initiativeSignups: s, participationPlacements: p } = db.tables;
      return db.transaction(async (tx) => {
        const members = await tx.delete(m).where(eq(m.personId, personId)).returning({ p: m.personId });
        const signups = await tx.update(s).set({ note: null }).where(eq(s.personId, personId)).returning({ id: s.id });
        const placements = await tx.update(p).set({ note: null, decisionNote: null }).where(eq(p.participantId, personId)).returning({ id: p.id });
        return {
          erased: [
            erasedLine("memberships of organisations", members.length),
            erasedLine("notes with sign-ups", signups.length),
            erasedLine("notes with placements", placements.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
