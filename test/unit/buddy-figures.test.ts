import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { programmeFigures } from "../../src/modules/buddies/buddy.figures.js";
import { rankCandidates } from "../../src/modules/buddies/buddy.ranking.js";
import type { BuddyRow, MatchRow, ParticipantRow } from "../../src/modules/buddies/buddy.repository.js";
import { STATS_ZONE, monthRange } from "../../src/modules/stats/stats.months.js";

const DAY = 86_400_000;
const march = DateTime.fromObject({ year: 2026, month: 3, day: 1 }, { zone: STATS_ZONE });
const at = (day: number) => new Date(march.toMillis() + day * DAY);

const participant = (i: number, o: Partial<ParticipantRow> = {}): ParticipantRow => ({
  id: `bpart_${i}`,
  programmeId: "bprog_1",
  personId: `per_${i}`,
  referral: "PROFESSIONAL",
  referredById: "per_prof",
  consentAt: at(1),
  consentNote: null,
  neighbourhoodId: "nb_a",
  languages: ["ar"],
  interests: [],
  weekdays: [2],
  status: "MATCHED",
  referredAt: at(1),
  skipNote: null,
  updatedAt: at(1),
  ...o,
});
const match = (i: number, o: Partial<MatchRow> = {}): MatchRow => ({
  id: `bmatch_${i}`,
  programmeId: "bprog_1",
  participantId: `bpart_${i}`,
  buddyId: `buddy_${i}`,
  status: "ACTIVE",
  checkinEveryDays: 7,
  startedAt: at(2),
  plannedEndAt: at(300),
  nextCheckinDue: at(9),
  missedInRow: 0,
  pausedAt: null,
  pausedDays: 0,
  endedAt: null,
  endedById: null,
  matchedById: "per_org",
  updatedAt: at(2),
  ...o,
});

describe("a buddy programme's figures", () => {
  const range = monthRange(march, march);

  it("shows a count resting on five referred participants and withholds one on four, zero included", () => {
    const five = [0, 1, 2, 3, 4].map((i) => participant(i));
    const [month] = programmeFigures(
      range,
      five,
      five.map((_, i) => match(i)),
      [],
    );
    expect(month.matched).toEqual({ value: 5, suppressed: false });
    expect(month.waiting).toEqual({ value: null, suppressed: true });
    const [fewer] = programmeFigures(
      range,
      five.slice(0, 4),
      five.slice(0, 4).map((_, i) => match(i)),
      [],
    );
    expect(fewer.matched).toEqual({ value: null, suppressed: true });
  });

  it("does not count fresh self sign-ups as established accounts: five who signed up this month are withheld", () => {
    const selves = [0, 1, 2, 3, 4].map((i) => participant(i, { referral: "SELF", referredById: null, status: "WAITING" }));
    expect(programmeFigures(range, selves, [], [])[0].waiting).toEqual({ value: null, suppressed: true });
    const [april] = programmeFigures(monthRange(march.plus({ months: 1 }), march.plus({ months: 1 })), selves, [], []);
    expect(april.waiting).toEqual({ value: 5, suppressed: false });
  });

  it("withholds 'ended well' when it or its rest would single out fewer than five", () => {
    const ten = Array.from({ length: 10 }, (_, i) => participant(i, { status: "ENDED" }));
    const ended = ten.map((_, i) => match(i, { status: "ENDED", endedAt: at(20) }));
    const verdicts = (n: number) =>
      ended.slice(0, n).flatMap((m) => (["BUDDY", "PARTICIPANT"] as const).map((role) => ({ matchId: m.id, personId: "x", role, wentWell: true, note: null, at: at(20) })));
    expect(programmeFigures(range, ten, ended, verdicts(5))[0].endedWell).toEqual({ value: 5, suppressed: false });
    expect(programmeFigures(range, ten, ended, verdicts(7))[0].endedWell).toEqual({ value: null, suppressed: true });
    expect(programmeFigures(range, ten, ended, verdicts(5))[0].meanDurationDays).toEqual({ value: 18, suppressed: false });
  });
});

describe("ranking buddy candidates", () => {
  const buddy = (id: string, o: Partial<BuddyRow>): BuddyRow => ({
    id,
    programmeId: "bprog_1",
    personId: `per_${id}`,
    neighbourhoodId: "nb_b",
    languages: ["nl"],
    interests: [],
    weekdays: [5],
    capacity: 2,
    status: "ACTIVE",
    trainedAt: at(0),
    trainingRecordedById: "per_org",
    appliedAt: at(0),
    ...o,
  });

  it("puts a shared language first, then the same neighbourhood, and a buddy who already has someone lower", () => {
    const p = participant(1, { interests: ["koken"] });
    const ranked = rankCandidates(
      p,
      [
        buddy("b_none", {}),
        buddy("b_lang", { languages: ["AR"] }),
        buddy("b_near", { neighbourhoodId: "nb_a2", interests: ["Koken"] }),
        buddy("b_busy", { languages: ["ar"], neighbourhoodId: "nb_a", weekdays: [2] }),
      ],
      new Map([["b_busy", 1]]),
      (id) => (id === "nb_a" || id === "nb_a2" ? "west" : "oost"),
    );
    expect(ranked.map((c) => c.buddy.id)).toEqual(["b_busy", "b_lang", "b_near", "b_none"]);
    expect(ranked[0].reasons).toEqual(["SHARED_LANGUAGE", "SAME_NEIGHBOURHOOD", "AVAILABILITY_OVERLAP"]);
    expect(ranked[2].reasons).toEqual(["NEAR_NEIGHBOURHOOD", "SHARED_INTERESTS", "LOW_LOAD"]);
  });
});
