import { asc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { BuddyTables } from "./buddies.tables.js";

/**
 * The buddy-programme module's part of a data export: the programmes the person started or helps
 * coordinate, their places as participant (with the consent recorded) and as buddy, the matches they
 * were in with their check-ins and their own evaluations, and the signals they acknowledged. The other
 * side's evaluation is theirs, not the person's, and is left out.
 */
export function buddyExporter(db: Database<BuddyTables>): PersonalDataExporter {
  return {
    section: "buddyProgrammes",
    tables: ["buddyProgrammes", "buddyProgrammeCoordinators", "buddyParticipants", "buddyVolunteers", "buddyMatches", "buddyCheckins", "buddySignals", "buddyEvaluations"],
    async export(personId) {
      const t = db.tables;
      const r = db.read;
      const created = await r
        .select({ id: t.buddyProgrammes.id, name: t.buddyProgrammes.name, createdAt: t.buddyProgrammes.createdAt })
        .from(t.buddyProgrammes)
        .where(eq(t.buddyProgrammes.createdById, personId));
      const coordinating = await r.select().from(t.buddyProgrammeCoordinators).where(eq(t.buddyProgrammeCoordinators.personId, personId));
      const participations = await r.select().from(t.buddyParticipants).where(eq(t.buddyParticipants.personId, personId)).orderBy(asc(t.buddyParticipants.referredAt));
      const buddyRoles = await r.select().from(t.buddyVolunteers).where(eq(t.buddyVolunteers.personId, personId)).orderBy(asc(t.buddyVolunteers.appliedAt));
      const m = t.buddyMatches;
      const sides = [...participations.map((p) => p.id), ...buddyRoles.map((b) => b.id)];
      const matches = sides.length
        ? await r
            .select()
            .from(m)
            .where(or(inArray(m.participantId, sides), inArray(m.buddyId, sides)))
            .orderBy(asc(m.startedAt))
        : [];
      const checkins = await r.select().from(t.buddyCheckins).where(eq(t.buddyCheckins.personId, personId)).orderBy(asc(t.buddyCheckins.at));
      const evaluations = await r.select().from(t.buddyEvaluations).where(eq(t.buddyEvaluations.personId, personId));
      const acknowledged = await r.select().from(t.buddySignals).where(eq(t.buddySignals.acknowledgedById, personId));
      return {
        programmesStarted: created.map((p) => ({ ...p, createdAt: iso(p.createdAt) })),
        coordinatorOf: coordinating.map((c) => ({ programmeId: c.programmeId, addedAt: iso(c.addedAt) })),
        participations: participations.map((p) => ({
          id: p.id,
          programmeId: p.programmeId,
          referral: p.referral,
          status: p.status,
          consentAt: iso(p.consentAt),
          consentNote: p.consentNote,
          languages: p.languages,
          interests: p.interests,
          weekdays: p.weekdays,
          referredAt: iso(p.referredAt),
        })),
        asBuddy: buddyRoles.map((b) => ({
          id: b.id,
          programmeId: b.programmeId,
          status: b.status,
          languages: b.languages,
          interests: b.interests,
          weekdays: b.weekdays,
          trainedAt: iso(b.trainedAt),
          appliedAt: iso(b.appliedAt),
        })),
        matches: matches.map((x) => ({
          id: x.id,
          programmeId: x.programmeId,
          status: x.status,
          startedAt: iso(x.startedAt),
          plannedEndAt: iso(x.plannedEndAt),
          endedAt: iso(x.endedAt),
        })),
        checkins: checkins.map((c) => ({ matchId: c.matchId, at: iso(c.at), note: c.note })),
        evaluations: evaluations.map((e) => ({ matchId: e.matchId, role: e.role, wentWell: e.wentWell, note: e.note, at: iso(e.at) })),
        signalsAcknowledged: acknowledged.map((s) => ({ id: s.id, kind: s.kind, acknowledgedAt: iso(s.acknowledgedAt) })),
      };
    },
  };
}
