import { and, inArray, isNotNull, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { RetentionRule } from "../../shared/retention.js";
import type { BuddyTables } from "./buddies.tables.js";

/**
 * `days` after a buddy match ended, what it said about the two people goes: its check-ins are deleted,
 * the evaluations' notes and the participant's consent and skip notes are cleared. The match, the
 * participant's place and the verdicts stay: the programme's figures (duration, ended well) rest on them.
 * Each write is conditional on the row still being due, so two instances act once per row.
 */
export function buddyRetention(db: Database<BuddyTables>, days: number): RetentionRule {
  const t = db.tables;
  return {
    kind: "buddyProgrammes",
    async apply(now) {
      const before = new Date(now.getTime() - days * 86_400_000);
      return db.transaction(async (tx) => {
        const ended = await tx
          .select({ id: t.buddyMatches.id, participantId: t.buddyMatches.participantId })
          .from(t.buddyMatches)
          .where(and(isNotNull(t.buddyMatches.endedAt), lt(t.buddyMatches.endedAt, before)));
        if (!ended.length) return { removed: 0, pseudonymised: 0 };
        const ids = ended.map((m) => m.id);
        const gone = await tx.delete(t.buddyCheckins).where(inArray(t.buddyCheckins.matchId, ids)).returning({ id: t.buddyCheckins.id });
        const notes = await tx
          .update(t.buddyEvaluations)
          .set({ note: null })
          .where(and(inArray(t.buddyEvaluations.matchId, ids), isNotNull(t.buddyEvaluations.note)))
          .returning({ m: t.buddyEvaluations.matchId });
        const consent = await tx
          .update(t.buddyParticipants)
          .set({ consentNote: null, skipNote: null })
          .where(
            and(
              inArray(
                t.buddyParticipants.id,
                ended.map((m) => m.participantId),
              ),
              or(isNotNull(t.buddyParticipants.consentNote), isNotNull(t.buddyParticipants.skipNote)),
            ),
          )
          .returning({ id: t.buddyParticipants.id });
        return { removed: gone.length, pseudonymised: notes.length + consent.length };
      });
    },
  };
}
