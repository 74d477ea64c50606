import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import {
  type Account,
  CAT,
  SIGN_UP,
  TEAM,
  askForHelp,
  buildCoordinator,
  buildOrganisation,
  buildPerson,
  buildProfessional,
  buildVolunteer,
  postInitiative,
  schedule,
  window,
} from "../support/builders.js";
import { type GqlResult, type TestApp, startTestApp } from "../support/test-app.js";

/**
 * Attacks on the published statistics (docs/statistics-privacy.md): each one tries a route by which
 * a figure resting on fewer than five people was once recovered, and checks that nothing withheld
 * follows from what is published.
 */
const CELL = `query($from: String, $to: String, $nbs: [ID!]) {
  stats(from: $from, to: $to, neighbourhoodIds: $nbs) {
    cells(first: 100) { edges { node {
      month closed neighbourhood { id }
      requests { value suppressed }
      requestsByCategory { category { id } requests { value suppressed } }
      matchedByVolunteers { value suppressed }
      medianHoursToMatch { value suppressed }
      initiativeFillRate { value suppressed }
      participationUtilisation { value suppressed }
      activeVolunteers { value suppressed }
      mantelzorgersSupported { value suppressed }
    } } }
  }
}`;
const UTILISATION = `query($from: DateTimeISO, $to: DateTimeISO) {
  participationUtilisation(from: $from, to: $to) {
    region { places filledPlaces freePlaces startedParticipants activeParticipants endedParticipants }
    byNeighbourhood { neighbourhood { id } places filledPlaces freePlaces utilisation startedParticipants activeParticipants endedParticipants }
    byOrganisation { organisation { id } places filledPlaces freePlaces utilisation startedParticipants activeParticipants endedParticipants }
  }
}`;
const PLACES = `query($id: ID!) { initiative(id: $id) { capacity placesTaken placesLeft waitingListLength } }`;
const REFER = `mutation($input: ReferralInput!) { referToParticipationPlace(input: $input) { id } }`;

const NB = {
  categories: "nb_dordrecht-oud-krispijn",
  naming: "nb_dordrecht-reeland",
  padding: "nb_dordrecht-nieuw-krispijn",
  places: "nb_dordrecht-stadspolders",
  empty: "nb_dordrecht-wielwijk",
};
const MONTH = "2027-03";
const REGISTERED = Date.parse("2027-02-10T08:00:00Z");
const ASKED = Date.parse("2027-03-10T08:00:00Z");
const READ = Date.parse("2027-04-05T08:00:00Z");
const MARCH = { from: "2027-03-01T00:00:00+01:00", to: "2027-03-31T23:00:00+02:00" };

const withoutPlace = (cell: any) => {
  const { neighbourhood: _n, ...rest } = cell;
  return rest;
};

describe.each(backends())("attacks on the statistics on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  /** Ground truth of the categories cell: who asked what (request count, people). */
  const truth = new Map<string, { count: number; people: Set<string> }>();
  let transportRequestId: string;
  let helper: Account;
  let small: { id: string };
  let empty: { id: string };
  let smallPlaceId: string;
  let smallOrgId: string;
  let bigOrgId: string;
  let carryOrgId: string;
  const signupIds: string[] = [];
  let grocerToken: string;

  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const cellOf = async (neighbourhoodId: string, month = MONTH) => {
    const cells = ok(await t.gql(CELL, { from: month, to: month, nbs: [neighbourhoodId] })).stats.cells.edges.map((e: any) => e.node);
    expect(cells).toHaveLength(1);
    return cells[0];
  };
  const record = (categoryId: string, person: string) => {
    let c = truth.get(categoryId);
    if (!c) truth.set(categoryId, (c = { count: 0, people: new Set() }));
    c.count += 1;
    c.people.add(person);
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { STATS_CACHE_SECONDS: "0", TOKEN_TTL_SECONDS: String(365 * 24 * 3600) });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    const professional = await buildProfessional(t, TEAM.westSocial, coordinator);
    helper = await buildVolunteer(t, { categoryIds: Object.values(CAT), neighbourhoodIds: Object.values(NB), firstName: "Helper" });
    const resident = (neighbourhoodId: string) => buildPerson(t, { neighbourhoodId });
    // Registered a month before: these accounts count as established in March.
    const grocers: Account[] = [];
    for (let i = 0; i < 6; i++) grocers.push(await resident(NB.categories));
    const traveller = await resident(NB.categories);
    const writer = await resident(NB.categories);
    const joiners = [await resident(NB.categories), await resident(NB.categories)];
    const lonely = await resident(NB.naming);
    const victim = await resident(NB.padding);
    const bigOrg = await buildOrganisation(t, { coordinator, kind: "LEARNING_WORK_COMPANY", neighbourhoodId: NB.places });
    const smallOrg = await buildOrganisation(t, { coordinator, kind: "LEARNING_WORK_COMPANY", neighbourhoodId: NB.places });
    const carryOrg = await buildOrganisation(t, { coordinator, kind: "LEARNING_WORK_COMPANY", neighbourhoodId: NB.places });
    carryOrgId = carryOrg.id;
    const unverified = await buildOrganisation(t, { coordinator, kind: "LEARNING_WORK_COMPANY", neighbourhoodId: NB.places, verified: false });
    const shop = await buildOrganisation(t, { coordinator, neighbourhoodId: NB.categories });
    bigOrgId = bigOrg.id;
    smallOrgId = smallOrg.id;

    t.clock.advance(ASKED - t.clock.now().getTime());
    // Categories: six people ask for groceries once, one person three times for transport, one twice for digital help.
    const ask = async (who: Account, categoryId: string, neighbourhoodId = NB.categories) => {
      const r = await askForHelp(t, who.token, { categoryId, neighbourhoodId });
      if (neighbourhoodId === NB.categories) record(categoryId, who.id);
      return r;
    };
    for (const g of grocers) await ask(g, CAT.groceries);
    const longWindow = window(t, 1, 24 * 40);
    transportRequestId = (await askForHelp(t, traveller.token, { categoryId: CAT.transport, neighbourhoodId: NB.categories, ...longWindow })).id;
    record(CAT.transport, traveller.id);
    await ask(traveller, CAT.transport);
    await ask(traveller, CAT.transport);
    await ask(writer, "cat_digital");
    await ask(writer, "cat_digital");
    // Naming: one person in Reeland asks for paperwork help.
    await ask(lonely, CAT.paperwork, NB.naming);
    // Padding: the victim asks once; an attacker registers now as a mantelzorger and asks four times
    // for invented people, and four more accounts registered now ask once each.
    await ask(victim, CAT.company, NB.padding);
    const attacker = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.padding });
    for (let i = 0; i < 4; i++) {
      await askForHelp(t, attacker.token, { categoryId: CAT.company, neighbourhoodId: NB.padding, personHelped: { firstName: `Verzonnen${i}`, neighbourhoodId: NB.padding } });
    }
    for (let i = 0; i < 4; i++) await ask(await resident(NB.padding), CAT.company, NB.padding);

    // Places: a big initiative with six people signed up, a small one with two, and one nobody joined.
    const big = await postInitiative(t, shop, { capacity: 10, schedule: schedule(t, 48), neighbourhoodId: NB.categories });
    small = await postInitiative(t, shop, { title: "Alzheimercafé", capacity: 10, schedule: schedule(t, 72), neighbourhoodId: NB.categories });
    empty = await postInitiative(t, shop, { title: "Leesclub", capacity: 10, schedule: null, neighbourhoodId: NB.categories });
    for (const g of grocers) signupIds.push(ok(await t.gql(SIGN_UP, { input: { initiativeId: big.id } }, g.token)).signUpForInitiative.id);
    grocerToken = grocers[0].token;
    for (const j of joiners) ok(await t.gql(SIGN_UP, { input: { initiativeId: small.id } }, j.token));

    // Participation places: six people placed at a big company, two at a small one; an unverified
    // organisation offers ten places of its own.
    const place = async (org: typeof bigOrg, capacity: number, people: number, startedBefore = 0) => {
      const p = await postInitiative(t, org, { kind: "PARTICIPATION_PLACE", title: "Groenploeg", capacity, schedule: null, neighbourhoodId: NB.places });
      for (let i = 0; i < people; i++) {
        const id = ok(await t.gql(REFER, { input: { initiativeId: p.id, participant: { firstName: `Deelnemer${i}`, neighbourhoodId: NB.places } } }, professional.token))
          .referToParticipationPlace.id;
        ok(await t.gql(`mutation($id: ID!) { acceptPlacement(id: $id) { status } }`, { id }, org.organiser.token));
        const at = i < startedBefore ? "2027-01-15T09:00:00Z" : null;
        ok(await t.gql(`mutation($id: ID!, $at: DateTimeISO) { startPlacement(id: $id, startedAt: $at) { status } }`, { id, at }, org.organiser.token));
      }
      return p;
    };
    await place(bigOrg, 10, 6);
    smallPlaceId = (await place(smallOrg, 4, 2)).id;
    // Six people at a third company, one of them since January: "active but not started in March" is one person.
    await place(carryOrg, 6, 6, 1);
    const hidden = await t.gql(
      `mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { id } }`,
      {
        input: {
          organisationId: unverified.id,
          kind: "PARTICIPATION_PLACE",
          title: "Schaduwplekken",
          description: "Tien plekken.",
          neighbourhoodId: NB.places,
          capacity: 10,
          schedule: null,
          publish: true,
        },
      },
      unverified.organiser.token,
    );
    ok(hidden);
  }, 180_000);
  afterAll(async () => t?.close());

  it("publishes nothing of a running month, so reading it before and after a request tells nothing", async () => {
    const before = await cellOf(NB.categories);
    expect(before.closed).toBe(false);
    await askForHelp(t, (await buildPerson(t, { neighbourhoodId: NB.categories })).token, { categoryId: CAT.paperwork, neighbourhoodId: NB.categories });
    const after = await cellOf(NB.categories);
    expect(after).toEqual(before);
    expect(withoutPlace(after)).toEqual(withoutPlace(await cellOf(NB.empty)));
    t.clock.advance(READ - t.clock.now().getTime());
  });

  it("counts people, not requests: no withheld category follows from the total and the shown ones (6 people for groceries, 1 three times for transport, 1 twice for digital help)", async () => {
    record(CAT.paperwork, "late-asker");
    const cell = await cellOf(NB.categories);
    expect(cell.closed).toBe(true);
    expect(cell.requests.suppressed).toBe(false);
    expect(cell.requests.value).toBe([...truth.values()].reduce((n, c) => n + c.count, 0));
    const shownParts = cell.requestsByCategory.filter((c: any) => !c.requests.suppressed);
    const withheld = cell.requestsByCategory.filter((c: any) => c.requests.suppressed).map((c: any) => c.category.id as string);
    // Every shown category rests on five people or more.
    for (const c of shownParts) expect(truth.get(c.category.id)!.people.size).toBeGreaterThanOrEqual(5);
    // What the total gives away about the withheld ones together rests on nobody or on five people or more.
    const rest = cell.requests.value - shownParts.reduce((n: number, c: any) => n + c.requests.value, 0);
    const restPeople = new Set(withheld.flatMap((id: string) => [...(truth.get(id)?.people ?? [])]));
    expect(rest).toBe(withheld.reduce((n: number, id: string) => n + (truth.get(id)?.count ?? 0), 0));
    expect(restPeople.size === 0 || restPeople.size >= 5, `the withheld categories' sum ${rest} rests on ${restPeople.size} people`).toBe(true);
  });

  it("does not name a withheld category: one request for paperwork in Reeland looks exactly like a neighbourhood where nobody asked", async () => {
    const lonely = await cellOf(NB.naming);
    const nobody = await cellOf(NB.empty);
    expect(lonely.requestsByCategory.map((c: any) => c.category.id)).toContain(CAT.paperwork);
    expect(withoutPlace(lonely)).toEqual(withoutPlace(nobody));
  });

  it("ignores padding: four requests for invented people and four fresh accounts do not lift the victim's single request over the threshold", async () => {
    const padded = await cellOf(NB.padding);
    expect(padded.requests).toEqual({ value: null, suppressed: true });
    expect(withoutPlace(padded)).toEqual(withoutPlace(await cellOf(NB.empty)));
  });

  it("keeps an ended month as it was: a match, a sign-up given up or a new request afterwards change none of its figures", async () => {
    const before = await cellOf(NB.categories);
    const accepted = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: transportRequestId }, helper.token);
    expect(accepted.errors, JSON.stringify(accepted.errors)).toBeUndefined();
    ok(await t.gql(`mutation($id: ID!) { cancelSignup(id: $id) { status } }`, { id: signupIds[0] }, grocerToken));
    await askForHelp(t, (await buildPerson(t, { neighbourhoodId: NB.categories })).token, { categoryId: CAT.groceries, neighbourhoodId: NB.categories });
    expect(await cellOf(NB.categories)).toEqual(before);
    // The same cell in a longer period, or with other neighbourhoods, is the same too.
    const wide = ok(await t.gql(CELL, { from: "2027-01", to: "2027-04" })).stats.cells.edges.map((e: any) => e.node);
    expect(wide.find((c: any) => c.month === MONTH && c.neighbourhood.id === NB.categories)).toEqual(before);
  });

  it("leaves an initiative with two people signed up out of every figure: its own counts read like an empty one's, and the neighbourhood's fill rate is the big initiative's alone", async () => {
    const read = async (id: string) => ok(await t.gql(PLACES, { id })).initiative;
    expect(await read(small.id)).toEqual(await read(empty.id));
    const cell = await cellOf(NB.categories);
    // 6 of 10 places taken at the big initiative; the small one (2 of 10) would make it 8 of 20.
    expect(cell.initiativeFillRate).toEqual({ value: 0.6, suppressed: false });
    // The participation place of the small company publishes nothing per place either.
    expect(await read(smallPlaceId)).toEqual({ capacity: 4, placesTaken: 0, placesLeft: null, waitingListLength: 0 });
  });

  it("leaves two people at a small company, and a company where one person was there before the month, out of participation utilisation everywhere: per organisation, neighbourhood, region, and in the neighbourhood statistics", async () => {
    const u = ok(await t.gql(UTILISATION, MARCH)).participationUtilisation;
    const smallRow = u.byOrganisation.find((o: any) => o.organisation.id === smallOrgId);
    expect(smallRow).toMatchObject({ places: 4, filledPlaces: 0, startedParticipants: 0, activeParticipants: 0, endedParticipants: 0 });
    // 6 active and 5 started would give away the one who started in January.
    const carryRow = u.byOrganisation.find((o: any) => o.organisation.id === carryOrgId);
    expect(carryRow).toMatchObject({ places: 6, filledPlaces: 0, startedParticipants: 0, activeParticipants: 0, endedParticipants: 0 });
    expect(u.byOrganisation.find((o: any) => o.organisation.id === bigOrgId)).toMatchObject({ places: 10, filledPlaces: 6, activeParticipants: 6 });
    // Unverified organisations' places are not counted: 10 + 4 + 6 places, not 30.
    const nb = u.byNeighbourhood.find((n: any) => n.neighbourhood.id === NB.places);
    expect(nb).toMatchObject({ places: 20, filledPlaces: 6, activeParticipants: 6, startedParticipants: 6 });
    expect(u.region).toMatchObject({ places: 20, filledPlaces: 6, activeParticipants: 6, startedParticipants: 6 });
    // The neighbourhood statistics count the same places and the same people: 6 of 20.
    const cell = await cellOf(NB.places);
    expect(cell.participationUtilisation.suppressed).toBe(false);
    expect(cell.participationUtilisation.value).toBeCloseTo(6 / 20, 10);
  });
});
