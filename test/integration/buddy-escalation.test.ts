import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CHECK_IN, DAY, MATCH, SIGNALS, buildBuddy, buildProgramme, participantAccount, refer } from "../support/buddy-builders.js";
import { NB, TEAM, buildCoordinator, buildProfessional } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const QUEUE = `query($team: ID!) { teamQueue(teamId: $team, first: 50) { edges { node { id trigger urgency neighbourhood { id } personDetails { fullName } } } } }`;

/** A buddy match that keeps missing its check-ins goes to a professional team, as a care circle's missed shifts do. */
describe.each(backends())("buddy matches that stall, escalated on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());
  const advanceDays = async (days: number) => {
    t.clock.advance(days * DAY);
    await t.app.services.sweeps.run();
  };

  it("MISSED_CHECKINS: three missed check-ins in a row raise one case for the participant's neighbourhood team, unless the programme acknowledged the signal; a match that checks in raises none", async () => {
    const municipal = await buildCoordinator(t);
    const westSocial = await buildProfessional(t, TEAM.westSocial, municipal);
    const p = await buildProgramme(t);
    const organiser = p.org.organiser;

    const stalled = await participantAccount(t, "Samira", NB.wielwijk);
    const steady = await participantAccount(t, "Yusuf", NB.wielwijk);
    const acknowledged = await participantAccount(t, "Nour", NB.wielwijk);
    const ids: string[] = [];
    for (const person of [stalled, steady, acknowledged]) ids.push((await refer(t, organiser.token, p.id, { personId: person.id, languages: ["ar", "nl"] })).id);
    const buddies = [];
    for (const name of ["Bram", "Carla", "Dirk"]) buddies.push(await buildBuddy(t, p, { firstName: name }));
    const matches: string[] = [];
    for (const [i, participantId] of ids.entries()) {
      const r = await t.gql(MATCH, { input: { participantId, buddyId: buddies[i].id } }, organiser.token);
      expect(r.errors).toBeUndefined();
      matches.push(r.data.matchBuddy.id as string);
    }

    // Five weeks: the steady match checks in weekly; the other two never do.
    let acknowledgedOnce = false;
    for (let week = 0; week < 5; week++) {
      expect((await t.gql(CHECK_IN, { id: matches[1] }, buddies[1].volunteer.token)).errors).toBeUndefined();
      await advanceDays(7);
      const signals = (await t.gql(SIGNALS, { id: p.id }, organiser.token)).data.buddyProgramme.signals;
      const due = signals.find((s: any) => s.kind === "ESCALATION_DUE" && s.match.id === matches[2] && !s.acknowledgedAt);
      if (due && !acknowledgedOnce) {
        // The programme takes this one up itself: acknowledged before the escalation sweep sees it.
        expect((await t.gql(`mutation($id: ID!) { acknowledgeBuddySignal(id: $id) { id } }`, { id: due.id }, organiser.token)).errors).toBeUndefined();
        acknowledgedOnce = true;
      }
    }
    await advanceDays(1);
    await advanceDays(1);

    const cases = (await t.gql(QUEUE, { team: TEAM.westSocial }, westSocial.token)).data.teamQueue.edges.map((e: any) => e.node);
    const missed = cases.filter((c: any) => c.trigger === "MISSED_CHECKINS");
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ urgency: "HIGH", neighbourhood: { id: NB.wielwijk }, personDetails: null });
    // Raised once, however often the sweep runs.
    await advanceDays(1);
    expect((await t.gql(QUEUE, { team: TEAM.westSocial }, westSocial.token)).data.teamQueue.edges.filter((e: any) => e.node.trigger === "MISSED_CHECKINS")).toHaveLength(1);
  });
});
