import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, HOUR, NB, TEAM, buildOrganisation, buildPerson, buildProfessional, postInitiative } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const REFER = `mutation($input: ReferralInput!) { referToParticipationPlace(input: $input) { id status participant { id firstName } referredBy { id } organisation { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptPlacement(id: $id, note: "Welkom") { status decisionNote acceptedAt } }`;
const START = `mutation($id: ID!, $at: DateTimeISO) { startPlacement(id: $id, startedAt: $at) { status startedAt } }`;
const END = `mutation($id: ID!, $at: DateTimeISO) { endPlacement(id: $id, endedAt: $at, reason: "Betaald werk gevonden") { status endedAt endReason } }`;
const UTILISATION = `query($from: DateTimeISO, $to: DateTimeISO) {
  participationUtilisation(from: $from, to: $to) {
    from to
    region { places filledPlaces freePlaces utilisation utilisationPercentage startedParticipants activeParticipants endedParticipants }
    byArea { area { id } places filledPlaces utilisation }
    byNeighbourhood { neighbourhood { id } places filledPlaces }
    byOrganisation { organisation { id } places filledPlaces freePlaces utilisation startedParticipants activeParticipants endedParticipants }
  }
}`;
const DAY = 24 * HOUR;

describe.each(backends())("participation places on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const refer = async (professional: Account, initiativeId: string, firstName: string) => {
    const r = await t.gql(
      REFER,
      { input: { initiativeId, participant: { firstName, neighbourhoodId: NB.wielwijk, phone: "06 5555 0000" }, note: "Wil graag buiten werken." } },
      professional.token,
    );
    expect(r.errors).toBeUndefined();
    return r.data.referToParticipationPlace as { id: string; status: string; participant: { id: string } };
  };

  it("runs a placement from referral to end, and reports utilisation per organisation, neighbourhood, area and region", async () => {
    const org = await buildOrganisation(t, { kind: "LEARNING_WORK_COMPANY", neighbourhoodId: "nb_dordrecht-stadspolders" });
    const places = await postInitiative(t, org, { kind: "PARTICIPATION_PLACE", title: "Groenploeg", capacity: 20, schedule: null, neighbourhoodId: "nb_dordrecht-stadspolders" });
    const professional = await buildProfessional(t, TEAM.westSocial, org.coordinator);
    // Three groups of five (figures about people are published for groups of at least five): the
    // Piets started long ago, the Keeses this month and end again, the Lottes start now; Noor is declined.
    const names = ["Piet", "Kees", "Lotte"].flatMap((n) => [1, 2, 3, 4, 5].map((i) => `${n} ${i}`));
    const referrals = [];
    for (const name of [...names, "Noor"]) referrals.push(await refer(professional, places.id, name));
    expect(referrals[0]).toMatchObject({ status: "REFERRED", participant: { firstName: "Piet 1" } });

    for (const r of referrals.slice(0, 15)) expect((await t.gql(ACCEPT, { id: r.id }, org.organiser.token)).data.acceptPlacement.status).toBe("ACCEPTED");
    const declined = await t.gql(`mutation($id: ID!) { declinePlacement(id: $id, note: "Past niet") { status decisionNote } }`, { id: referrals[15].id }, org.organiser.token);
    expect(declined.data.declinePlacement).toEqual({ status: "DECLINED", decisionNote: "Past niet" });

    const now = t.clock.now().getTime();
    const [piets, keeses, lottes] = [referrals.slice(0, 5), referrals.slice(5, 10), referrals.slice(10, 15)];
    for (const r of piets) await t.gql(START, { id: r.id, at: new Date(now - 400 * DAY).toISOString() }, org.organiser.token);
    for (const r of keeses) await t.gql(START, { id: r.id, at: new Date(now - 20 * DAY).toISOString() }, org.organiser.token);
    for (const r of lottes) expect((await t.gql(START, { id: r.id }, org.organiser.token)).data.startPlacement.status).toBe("STARTED");
    for (const r of keeses) {
      const ended = await t.gql(END, { id: r.id, at: new Date(now - 2 * DAY).toISOString() }, org.organiser.token);
      expect(ended.data.endPlacement).toMatchObject({ status: "ENDED", endReason: "Betaald werk gevonden" });
    }
    // A participation place's placements are not published per place (only over groups of five, below).
    const taken = await t.gql(`query($id: ID!) { initiative(id: $id) { capacity placesTaken placesLeft } }`, { id: places.id });
    expect(taken.data.initiative).toEqual({ capacity: 20, placesTaken: 0, placesLeft: null });

    const report = await t.gql(UTILISATION, {});
    expect(report.errors).toBeUndefined();
    const u = report.data.participationUtilisation;
    expect(new Date(u.to).getTime() - new Date(u.from).getTime()).toBe(365 * DAY);
    const mine = u.byOrganisation.find((o: any) => o.organisation.id === org.id);
    expect(mine).toEqual({
      organisation: { id: org.id },
      places: 20,
      filledPlaces: 10,
      freePlaces: 10,
      utilisation: 0.5,
      startedParticipants: 10,
      activeParticipants: 15,
      endedParticipants: 5,
    });
    expect(u.byNeighbourhood.find((n: any) => n.neighbourhood.id === "nb_dordrecht-stadspolders")).toMatchObject({ places: 20, filledPlaces: 10 });
    expect(u.byArea.find((a: any) => a.area.id === "area_dordrecht-oost")).toMatchObject({ places: 20, filledPlaces: 10, utilisation: 0.5 });
    expect(u.region.places).toBeGreaterThanOrEqual(20);

    // A period that ended before the Keeses left counts them as filling a place then.
    const earlier = await t.gql(UTILISATION, { from: new Date(now - 30 * DAY).toISOString(), to: new Date(now - 10 * DAY).toISOString() });
    const then = earlier.data.participationUtilisation.byOrganisation.find((o: any) => o.organisation.id === org.id);
    expect(then).toMatchObject({ filledPlaces: 10, startedParticipants: 5, activeParticipants: 10, endedParticipants: 0 });

    // Everyone concerned sees the placement; the organiser sees contact details (logged).
    const q = `query($id: ID!) { node(id: $id) { ... on Placement { status contact { fullName phone } } } }`;
    expect((await t.gql(q, { id: referrals[0].id }, org.organiser.token)).data.node).toEqual({ status: "STARTED", contact: { fullName: "Piet 1", phone: "06 5555 0000" } });
    expect((await t.gql(q, { id: referrals[0].id }, professional.token)).data.node.contact.fullName).toBe("Piet 1");
    const list = await t.gql(`{ participationPlacements(filter: { statuses: [STARTED] }) { edges { node { id } } } }`, {}, org.organiser.token);
    expect(list.data.participationPlacements.edges.map((e: any) => e.node.id).sort()).toEqual([...piets, ...lottes].map((r) => r.id).sort());
    const referred = await t.gql(`{ participationPlacements(first: 50) { edges { node { id status } } } }`, {}, professional.token);
    expect(referred.data.participationPlacements.edges).toHaveLength(16);
  });

  it("PARTICIPATION_PLACES_FULL: starting more placements at once than there are places fills each place once", async () => {
    const org = await buildOrganisation(t, { kind: "LEARNING_WORK_COMPANY" });
    const places = await postInitiative(t, org, { kind: "PARTICIPATION_PLACE", capacity: 2, schedule: null });
    const professional = await buildProfessional(t, TEAM.westSocial, org.coordinator);
    const referrals = [];
    for (const name of ["A", "B", "C", "D"]) referrals.push(await refer(professional, places.id, `Deelnemer ${name}`));
    for (const r of referrals) await t.gql(ACCEPT, { id: r.id }, org.organiser.token);
    const results = await Promise.all(referrals.map((r) => t.gql(START, { id: r.id }, org.organiser.token)));
    const started = results.filter((r) => r.data?.startPlacement?.status === "STARTED");
    const full = results.filter((r) => reasonOf(r) === "PARTICIPATION_PLACES_FULL");
    expect(started).toHaveLength(2);
    expect(full).toHaveLength(2);
    expect(codeOf(full[0])).toBe("CONFLICT");
    const startedIds = referrals.filter((_, i) => results[i].data?.startPlacement).map((r) => r.id);
    const waiting = referrals.filter((_, i) => !results[i].data?.startPlacement).map((r) => r.id);
    await t.gql(END, { id: startedIds[0] }, org.organiser.token);
    expect((await t.gql(START, { id: waiting[0] }, org.organiser.token)).data.startPlacement.status).toBe("STARTED");
    expect(reasonOf(await t.gql(START, { id: waiting[1] }, org.organiser.token))).toBe("PARTICIPATION_PLACES_FULL");
  });

  it("ROLE_REQUIRED, NOT_A_PARTICIPATION_PLACE, PLACEMENT_WRONG_STATUS, INVALID_PLACEMENT_DATE, INVALID_PERIOD, PLACEMENT_NOT_FOUND: refuses what the rules do not allow", async () => {
    const org = await buildOrganisation(t, { kind: "LEARNING_WORK_COMPANY" });
    const places = await postInitiative(t, org, { kind: "PARTICIPATION_PLACE", capacity: 3, schedule: null });
    const activity = await postInitiative(t, org, { kind: "ACTIVITY" });
    const professional = await buildProfessional(t, TEAM.westSocial, org.coordinator);
    const resident = await buildPerson(t);

    const input = { initiativeId: places.id, participant: { firstName: "Sam", neighbourhoodId: NB.wielwijk } };
    expect(reasonOf(await t.gql(REFER, { input }, resident.token))).toBe("ROLE_REQUIRED");
    expect(reasonOf(await t.gql(REFER, { input: { ...input, initiativeId: activity.id } }, professional.token))).toBe("NOT_A_PARTICIPATION_PLACE");
    expect(reasonOf(await t.gql(REFER, { input: { initiativeId: places.id } }, professional.token))).toBe("INVALID_INPUT");
    expect(reasonOf(await t.gql(REFER, { input: { initiativeId: places.id, participantId: resident.id } }, professional.token))).toBe("UNKNOWN_PARTICIPANT");
    const r = await refer(professional, places.id, "Sam");

    expect(reasonOf(await t.gql(START, { id: r.id }, org.organiser.token))).toBe("PLACEMENT_WRONG_STATUS");
    expect(reasonOf(await t.gql(ACCEPT, { id: r.id }, professional.token))).toBe("NOT_AN_ORGANISER");
    await t.gql(ACCEPT, { id: r.id }, org.organiser.token);
    expect(reasonOf(await t.gql(ACCEPT, { id: r.id }, org.organiser.token))).toBe("PLACEMENT_WRONG_STATUS");
    const now = t.clock.now().getTime();
    const future = await t.gql(START, { id: r.id, at: new Date(now + DAY).toISOString() }, org.organiser.token);
    expect(reasonOf(future)).toBe("INVALID_PLACEMENT_DATE");
    expect(future.errors![0].extensions!.field).toBe("startedAt");
    expect(reasonOf(await t.gql(START, { id: r.id, at: new Date(now - 6 * 366 * DAY).toISOString() }, org.organiser.token))).toBe("INVALID_PLACEMENT_DATE");
    await t.gql(START, { id: r.id, at: new Date(now - 10 * DAY).toISOString() }, org.organiser.token);
    expect(reasonOf(await t.gql(END, { id: r.id, at: new Date(now - 20 * DAY).toISOString() }, org.organiser.token))).toBe("INVALID_PLACEMENT_DATE");

    const stranger = await buildPerson(t);
    const others = await t.gql(`query($o: ID!) { participationPlacements(filter: { organisationId: $o }) { edges { node { id } } } }`, { o: org.id }, stranger.token);
    expect(reasonOf(others)).toBe("NOT_AN_ORGANISER");
    expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: r.id }, stranger.token)).data.node).toBeNull();
    expect(reasonOf(await t.gql(END, { id: r.id }, stranger.token))).toBe("PLACEMENT_NOT_FOUND");
    expect((await t.gql(`{ participationPlacements { edges { node { id } } } }`, {}, stranger.token)).data.participationPlacements.edges).toEqual([]);

    const backwards = await t.gql(UTILISATION, { from: new Date(now).toISOString(), to: new Date(now - DAY).toISOString() });
    expect(codeOf(backwards)).toBe("BAD_USER_INPUT");
    expect(reasonOf(backwards)).toBe("INVALID_PERIOD");
    expect(reasonOf(await t.gql(UTILISATION, { from: new Date(now - 20 * 366 * DAY).toISOString() }))).toBe("INVALID_PERIOD");
  });
});
