import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, TEAM, buildCoordinator, buildProfessional } from "../support/builders.js";
import {
  CANDIDATES,
  CHECK_IN,
  DAY,
  END,
  EVALUATE,
  MATCH,
  PAUSE,
  RESUME,
  SIGNALS,
  WAITING,
  buildBuddy,
  buildProgramme,
  participantAccount,
  refer,
} from "../support/buddy-builders.js";
import { type TestApp, reasonOf, startTestApp } from "../support/test-app.js";

const FIGURES = `query($id: ID!, $from: String, $to: String) {
  buddyProgramme(id: $id) { figures(from: $from, to: $to) { month waiting { value suppressed } matched { value suppressed } started { value suppressed } ended { value suppressed } endedWell { value suppressed } meanDurationDays { value suppressed } } }
}`;
const MINE = `query { myBuddyParticipations { id status waitingListPosition programme { id } } }`;
const MATCH_VIEW = `query($id: ID!) { node(id: $id) { ... on BuddyMatch { id status myRole missedInRow checkins { by note } evaluations { role wentWell } participant { person { firstName } } buddy { person { firstName languages } contact { fullName } } } } }`;

describe.each(backends())("a taalmaatje programme over simulated months on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const sweep = () => t.app.services.sweeps.run();
  const advanceDays = async (days: number) => {
    t.clock.advance(days * DAY);
    await sweep();
  };

  it("eight participants and five buddies: ranked candidates, the waiting list served in order (BUDDY_QUEUE_SKIP_NEEDS_REASON, BUDDY_NOT_ELIGIBLE), check-ins, a missed check-in signalled and escalated, a pause, an end evaluated by both (BUDDY_MATCH_ALREADY_ENDED, BUDDY_EVALUATION_ALREADY_GIVEN, BUDDY_MATCH_NOT_ACTIVE, BUDDY_MATCH_NOT_PAUSED, BUDDY_CHECKIN_NOT_IN_MATCH), and figures suppressed as the statistics are", async () => {
    const municipal = await buildCoordinator(t);
    const p = await buildProgramme(t);
    const organiser = p.org.organiser;
    const prof = await buildProfessional(t, TEAM.westSocial, municipal);

    // Eight participants: five referred by a professional, two by the desk, one signing up herself; an hour apart.
    const people: Account[] = [];
    const participants: string[] = [];
    const names = ["Amal", "Bashir", "Dalia", "Farid", "Hana", "Jamal", "Lina", "Omar"];
    for (const [i, name] of names.entries()) {
      const person = await participantAccount(t, name, i % 2 ? NB.wielwijk : NB.oudKrispijn);
      people.push(person);
      const languages = i === 0 ? ["ti", "en"] : ["ar", "nl"];
      const row =
        i < 5
          ? await refer(t, prof.token, p.id, { personId: person.id, languages, consentNote: "mondeling, bij het wijkteam" })
          : i < 7
            ? await refer(t, organiser.token, p.id, { personId: person.id, languages })
            : await refer(t, person.token, p.id, { languages });
      expect(row).toMatchObject({ status: "WAITING", waitingListPosition: i + 1, referral: i < 5 ? "PROFESSIONAL" : i < 7 ? "DESK" : "SELF" });
      participants.push(row.id);
      t.clock.advance(3600_000);
    }

    // Five buddies; one speaks Tigrinya. Not yet trained: not proposed, and refused when matched.
    const buddies = [];
    for (const [i, name] of ["Bram", "Carla", "Dirk", "Esther", "Frank"].entries()) {
      buddies.push(await buildBuddy(t, p, { firstName: name, languages: i === 2 ? ["nl", "ti"] : ["nl"], weekdays: i === 2 ? [2] : [5], train: false }));
    }
    expect((await t.gql(CANDIDATES, { id: participants[0] }, organiser.token)).data.buddyCandidates).toEqual([]);
    const untrained = await t.gql(MATCH, { input: { participantId: participants[0], buddyId: buddies[2].id } }, organiser.token);
    expect(reasonOf(untrained)).toBe("BUDDY_NOT_ELIGIBLE");
    for (const b of buddies)
      expect((await t.gql(`mutation($id: ID!) { recordBuddyTraining(buddyId: $id) { status } }`, { id: b.id }, organiser.token)).data.recordBuddyTraining.status).toBe("ACTIVE");

    // The platform proposes the Tigrinya speaker first for Amal, with the reasons.
    const ranked = (await t.gql(CANDIDATES, { id: participants[0] }, organiser.token)).data.buddyCandidates;
    expect(ranked).toHaveLength(5);
    expect(ranked[0]).toMatchObject({ buddy: { id: buddies[2].id }, sharedLanguages: ["ti"], currentLoad: 0 });
    expect(ranked[0].reasons).toEqual(expect.arrayContaining(["SHARED_LANGUAGE", "AVAILABILITY_OVERLAP", "LOW_LOAD"]));
    expect(ranked[0].score).toBeGreaterThan(ranked[1].score);

    // Serving out of order needs a reason on record.
    const skip = await t.gql(MATCH, { input: { participantId: participants[1], buddyId: buddies[0].id } }, organiser.token);
    expect(reasonOf(skip)).toBe("BUDDY_QUEUE_SKIP_NEEDS_REASON");

    // Five matches, in waiting-list order; the first planned a year ahead (programme matches may exceed 90 days).
    const matches: string[] = [];
    const order = [2, 0, 1, 3, 4];
    for (let i = 0; i < 5; i++) {
      const plannedEndAt = i === 0 ? new Date(t.clock.now().getTime() + 365 * DAY).toISOString() : undefined;
      const r = await t.gql(MATCH, { input: { participantId: participants[i], buddyId: buddies[order[i]].id, plannedEndAt } }, organiser.token);
      expect(r.errors).toBeUndefined();
      expect(r.data.matchBuddy).toMatchObject({ status: "ACTIVE", checkinEveryDays: 7, participant: { status: "MATCHED" } });
      matches.push(r.data.matchBuddy.id);
    }
    expect(
      new Date((await t.gql(`query($id: ID!) { node(id: $id) { ... on BuddyMatch { plannedEndAt } } }`, { id: matches[0] }, organiser.token)).data.node.plannedEndAt).getTime(),
    ).toBeGreaterThan(t.clock.now().getTime() + 300 * DAY);

    // Three still wait, in order; each sees only their own position.
    const waiting = (await t.gql(WAITING, { id: p.id }, organiser.token)).data.buddyProgramme.waitingList;
    expect(waiting.map((w: any) => [w.id, w.waitingListPosition, w.person.firstName])).toEqual([
      [participants[5], 1, "Jamal"],
      [participants[6], 2, "Lina"],
      [participants[7], 3, "Omar"],
    ]);
    expect((await t.gql(MINE, {}, people[7].token)).data.myBuddyParticipations).toEqual([
      { id: participants[7], status: "WAITING", waitingListPosition: 3, programme: { id: p.id } },
    ]);

    // Week one: everyone but the fifth match checks in (buddy or participant).
    await advanceDays(6);
    for (let i = 0; i < 4; i++) {
      const who = i % 2 ? people[i] : buddies[order[i]].volunteer;
      const r = await t.gql(CHECK_IN, { id: matches[i], note: "Samen naar de bibliotheek" }, who.token);
      expect(r.errors).toBeUndefined();
      expect(r.data.checkInBuddyMatch.missedInRow).toBe(0);
    }
    // Someone outside the match cannot check in: another buddy, another participant, the coordinator.
    for (const outsider of [buddies[1].volunteer, people[5], organiser]) {
      expect(reasonOf(await t.gql(CHECK_IN, { id: matches[0] }, outsider.token))).toBe("BUDDY_CHECKIN_NOT_IN_MATCH");
    }

    // The fifth match misses its check-in: after the grace days the sweep signals it to the coordinator.
    await advanceDays(5);
    let signals = (await t.gql(SIGNALS, { id: p.id }, organiser.token)).data.buddyProgramme.signals;
    expect(signals.map((s: any) => [s.kind, s.match.id])).toEqual([["MISSED_CHECKIN", matches[4]]]);
    await sweep();
    expect((await t.gql(SIGNALS, { id: p.id }, organiser.token)).data.buddyProgramme.signals).toHaveLength(1);
    const ack = await t.gql(`mutation($id: ID!) { acknowledgeBuddySignal(id: $id) { acknowledgedAt } }`, { id: signals[0].id }, organiser.token);
    expect(ack.data.acknowledgeBuddySignal.acknowledgedAt).not.toBeNull();

    // The second match pauses; no check-in is due while paused, and a check-in is refused.
    expect((await t.gql(PAUSE, { id: matches[1] }, people[1].token)).data.pauseBuddyMatch.status).toBe("PAUSED");
    expect(reasonOf(await t.gql(CHECK_IN, { id: matches[1] }, people[1].token))).toBe("BUDDY_MATCH_NOT_ACTIVE");

    // Four weeks on: the others keep checking in weekly; the fifth keeps missing and is due for escalation.
    for (let week = 0; week < 4; week++) {
      for (const i of [0, 2, 3]) expect((await t.gql(CHECK_IN, { id: matches[i] }, buddies[order[i]].volunteer.token)).errors).toBeUndefined();
      await advanceDays(7);
    }
    signals = (await t.gql(SIGNALS, { id: p.id }, organiser.token)).data.buddyProgramme.signals;
    expect(new Set(signals.map((s: any) => s.match.id))).toEqual(new Set([matches[4]]));
    expect(signals.filter((s: any) => s.kind === "ESCALATION_DUE")).toHaveLength(1);
    expect(signals.filter((s: any) => s.kind === "MISSED_CHECKIN").length).toBeGreaterThanOrEqual(4);

    // Resumed: the schedule starts again from now.
    const resumed = await t.gql(RESUME, { id: matches[1] }, buddies[order[1]].volunteer.token);
    expect(resumed.data.resumeBuddyMatch.status).toBe("ACTIVE");
    expect(Math.abs(new Date(resumed.data.resumeBuddyMatch.nextCheckinDue).getTime() - (t.clock.now().getTime() + 7 * DAY))).toBeLessThan(5000);
    expect(reasonOf(await t.gql(RESUME, { id: matches[1] }, organiser.token))).toBe("BUDDY_MATCH_NOT_PAUSED");

    // Months later the first match ends well, evaluated by both; ending it twice is refused.
    for (let week = 0; week < 20; week++) {
      t.clock.advance(7 * DAY);
      for (const i of [0, 1, 2, 3]) await t.gql(CHECK_IN, { id: matches[i] }, people[i].token);
    }
    await sweep();
    const ended = await t.gql(END, { id: matches[0], e: { wentWell: true, note: "Amal spreekt nu Nederlands bij de huisarts." } }, buddies[order[0]].volunteer.token);
    expect(ended.data.endBuddyMatch.status).toBe("ENDED");
    expect(reasonOf(await t.gql(END, { id: matches[0], e: { wentWell: true } }, people[0].token))).toBe("BUDDY_MATCH_ALREADY_ENDED");
    expect(reasonOf(await t.gql(PAUSE, { id: matches[0] }, organiser.token))).toBe("BUDDY_MATCH_ALREADY_ENDED");
    expect((await t.gql(EVALUATE, { id: matches[0], e: { wentWell: true } }, people[0].token)).errors).toBeUndefined();
    expect(reasonOf(await t.gql(EVALUATE, { id: matches[0], e: { wentWell: false } }, people[0].token))).toBe("BUDDY_EVALUATION_ALREADY_GIVEN");
    const seen = (await t.gql(MATCH_VIEW, { id: matches[0] }, organiser.token)).data.node;
    expect(seen.evaluations.map((e: any) => [e.role, e.wentWell]).sort()).toEqual([
      ["BUDDY", true],
      ["PARTICIPANT", true],
    ]);
    // Each side sees only their own evaluation.
    expect((await t.gql(MATCH_VIEW, { id: matches[0] }, people[0].token)).data.node.evaluations).toEqual([{ role: "PARTICIPANT", wentWell: true }]);

    // The freed buddy serves the waiting list in order: Jamal first, then the others move up.
    const next = (await t.gql(CANDIDATES, { id: participants[5] }, organiser.token)).data.buddyCandidates;
    expect(next.map((c: any) => c.buddy.id)).toEqual([buddies[order[0]].id]);
    expect(reasonOf(await t.gql(MATCH, { input: { participantId: participants[7], buddyId: buddies[order[0]].id } }, organiser.token))).toBe("BUDDY_QUEUE_SKIP_NEEDS_REASON");
    const served = await t.gql(MATCH, { input: { participantId: participants[5], buddyId: buddies[order[0]].id } }, organiser.token);
    expect(served.errors).toBeUndefined();
    expect((await t.gql(MINE, {}, people[7].token)).data.myBuddyParticipations[0].waitingListPosition).toBe(2);
    expect((await t.gql(MINE, {}, people[6].token)).data.myBuddyParticipations[0].waitingListPosition).toBe(1);

    // Figures: the month the five matches started rests on five referred participants (shown); one ending is withheld.
    const startMonth = t.app.services.clock.now();
    const r = await t.gql(FIGURES, { id: p.id, from: "2020-01", to: "2021-12" }, municipal.token);
    expect(r.errors).toBeUndefined();
    const all = (await t.gql(FIGURES, { id: p.id }, organiser.token)).data.buddyProgramme.figures;
    const withStarts = all.filter((m: any) => !m.started.suppressed);
    expect(withStarts.map((m: any) => m.started.value)).toEqual([5]);
    const endMonth = all.find(
      (m: any) => m.month === new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit" }).format(startMonth).slice(0, 7),
    );
    expect(endMonth.ended).toEqual({ value: null, suppressed: true });
    expect(endMonth.endedWell).toEqual({ value: null, suppressed: true });
    expect(endMonth.meanDurationDays).toEqual({ value: null, suppressed: true });
    expect(endMonth.matched).toEqual({ value: 6, suppressed: false });
    // A buddy asking for the figures is refused.
    expect(reasonOf(await t.gql(FIGURES, { id: p.id }, buddies[0].volunteer.token))).toBe("NOT_A_PROGRAMME_COORDINATOR");
  }, 240_000);
});
