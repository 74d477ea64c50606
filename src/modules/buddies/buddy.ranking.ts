import type { BuddyRow, ParticipantRow } from "./buddy.repository.js";

export type CandidateReason = "SHARED_LANGUAGE" | "SAME_NEIGHBOURHOOD" | "NEAR_NEIGHBOURHOOD" | "SHARED_INTERESTS" | "AVAILABILITY_OVERLAP" | "LOW_LOAD";

export interface Candidate {
  buddy: BuddyRow;
  score: number;
  reasons: CandidateReason[];
  sharedLanguages: string[];
  sharedInterests: string[];
  sharedWeekdays: number[];
  load: number;
}

/** How much each kind of fit weighs. A shared language weighs most: a taalmaatje without one cannot start. */
const WEIGHT = { SHARED_LANGUAGE: 40, SAME_NEIGHBOURHOOD: 25, NEAR_NEIGHBOURHOOD: 12, SHARED_INTEREST: 5, MAX_INTERESTS: 3, AVAILABILITY_OVERLAP: 20, LOAD_PENALTY: 8 };

const shared = <T>(a: readonly T[], b: readonly T[]) => a.filter((x) => b.includes(x));
const lower = (xs: readonly string[]) => xs.map((x) => x.trim().toLowerCase());

/**
 * Ranks the buddies who can take this participant, best first, each with the reasons it fits: the
 * languages, neighbourhood (the same, or one in the same area), interests and weekdays they share,
 * and how many participants the buddy already has. Ties go to the buddy who applied first. Pure:
 * the service decides who is eligible and what the areas are.
 */
export function rankCandidates(
  participant: ParticipantRow,
  buddies: readonly BuddyRow[],
  load: ReadonlyMap<string, number>,
  areaOf: (neighbourhoodId: string | null) => string | null,
): Candidate[] {
  const out = buddies.map((buddy): Candidate => {
    const reasons: CandidateReason[] = [];
    let score = 0;
    const languages = shared(lower(participant.languages), lower(buddy.languages));
    if (languages.length) {
      reasons.push("SHARED_LANGUAGE");
      score += WEIGHT.SHARED_LANGUAGE;
    }
    if (participant.neighbourhoodId && participant.neighbourhoodId === buddy.neighbourhoodId) {
      reasons.push("SAME_NEIGHBOURHOOD");
      score += WEIGHT.SAME_NEIGHBOURHOOD;
    } else if (participant.neighbourhoodId && areaOf(participant.neighbourhoodId) !== null && areaOf(participant.neighbourhoodId) === areaOf(buddy.neighbourhoodId)) {
      reasons.push("NEAR_NEIGHBOURHOOD");
      score += WEIGHT.NEAR_NEIGHBOURHOOD;
    }
    const interests = shared(lower(participant.interests), lower(buddy.interests));
    if (interests.length) {
      reasons.push("SHARED_INTERESTS");
      score += WEIGHT.SHARED_INTEREST * Math.min(interests.length, WEIGHT.MAX_INTERESTS);
    }
    const weekdays = shared(participant.weekdays, buddy.weekdays);
    if (weekdays.length) {
      reasons.push("AVAILABILITY_OVERLAP");
      score += WEIGHT.AVAILABILITY_OVERLAP;
    }
    const current = load.get(buddy.id) ?? 0;
    if (current === 0) reasons.push("LOW_LOAD");
    score -= WEIGHT.LOAD_PENALTY * current;
    return { buddy, score, reasons, sharedLanguages: languages, sharedInterests: interests, sharedWeekdays: weekdays, load: current };
  });
  return out.sort((a, b) => b.score - a.score || a.buddy.appliedAt.getTime() - b.buddy.appliedAt.getTime() || a.buddy.id.localeCompare(b.buddy.id));
}
