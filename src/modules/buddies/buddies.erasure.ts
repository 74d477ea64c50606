import { and, eq, inArray, ne, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataEraser } from "../data-rights/data-erasure.types.js";
import type { BuddyTables } from "./buddies.tables.js";

const line = (what: string, n: number) => `${what}: ${n}`;

/**
 * Erasure in buddy programmes: a match that has not ended blocks it (the other side and the coordinator
 * must close it first). Then the person's coordinator roles go, their profile in programmes (languages,
 * interests, weekdays, neighbourhood) and every free text they wrote or that was written about them
 * (consent and skip notes, check-in and evaluation notes) is cleared. The rows themselves stay, linked to
 * the pseudonymised person, so a programme's figures and the other side's history still add up.
 */
export function buddyEraser(db: Database<BuddyTables>): PersonalDataEraser {
  const sidesOf = async (personId: string) => {
    const t = db.tables;
    const p = await db.read.select({ id: t.buddyParticipants.id }).from(t.buddyParticipants).where(eq(t.buddyParticipants.personId, personId));
    const b = await db.read.select({ id: t.buddyVolunteers.id }).from(t.buddyVolunteers).where(eq(t.buddyVolunteers.personId, personId));
    return { participants: p.map((x) => x.id), buddies: b.map((x) => x.id) };
  };
  return {
    section: "buddyProgrammes",
    async blockers(personId) {
      const { participants, buddies } = await sidesOf(personId);
      const ids = [...participants, ...buddies];
      if (!ids.length) return [];
      const m = db.tables.buddyMatches;
      const open = await db.read
        .select({ id: m.id })
        .from(m)
        .where(and(ne(m.status, "ENDED"), or(inArray(m.participantId, ids), inArray(m.buddyId, ids))));
      return open.length ? [{ reason: "ERASURE_BLOCKED_OPEN_MATCH", count: open.length }] : [];
    },
    async erase(personId) {
      const t = db.tables;
      return db.transaction(async (tx) => {
        const roles = await tx
          .delete(t.buddyProgrammeCoordinators)
          .where(eq(t.buddyProgrammeCoordinators.personId, personId))
          .returning({ p: t.buddyProgrammeCoordinators.personId });
        const places = await tx
          .update(t.buddyParticipants)
          .set({ consentNote: null, skipNote: null, languages: [], interests: [], weekdays: [], neighbourhoodId: null })
          .where(eq(t.buddyParticipants.personId, personId))
          .returning({ id: t.buddyParticipants.id });
        const buddies = await tx
          .update(t.buddyVolunteers)
          .set({ languages: [], interests: [], weekdays: [], neighbourhoodId: null })
          .where(eq(t.buddyVolunteers.personId, personId))
          .returning({ id: t.buddyVolunteers.id });
        const checkins = await tx.update(t.buddyCheckins).set({ note: null }).where(eq(t.buddyCheckins.personId, personId)).returning({ id: t.buddyCheckins.id });
        const evaluations = await tx.update(t.buddyEvaluations).set({ note: null }).where(eq(t.buddyEvaluations.personId, personId)).returning({ m: t.buddyEvaluations.matchId });
        return {
          erased: [
            line("coordinator roles in buddy programmes", roles.length),
            line("profiles as buddy programme participant", places.length),
            line("profiles as buddy", buddies.length),
            line("notes with buddy check-ins", checkins.length),
            line("notes with buddy match evaluations", evaluations.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
