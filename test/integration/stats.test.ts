import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import {
  type Account,
  CAT,
  HOUR,
  NB,
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
} from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type GqlResult, type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const FIGURES = `
  month closed
  neighbourhood { id }
  requests { value suppressed }
  requestsByCategory { category { id } requests { value suppressed } }
  matchedByVolunteers { value suppressed }
  medianHoursToMatch { value suppressed }
  initiativeFillRate { value suppressed }
  participationUtilisation { value suppressed }
  activeVolunteers { value suppressed }
  mantelzorgersSupported { value suppressed }`;
const STATS = `query($from: String, $to: String, $areaId: ID, $nbs: [ID!], $first: Int, $after: String) {
  stats(from: $from, to: $to, areaId: $areaId, neighbourhoodIds: $nbs) {
    from to months suppressionThreshold
    cells(first: $first, after: $after) { edges { cursor node { ${FIGURES} } } pageInfo { hasNextPage hasPreviousPage endCursor } }
  }
}`;
const ESCALATIONS = `query($from: String, $to: String, $nbs: [ID!]) {
  stats(from: $from, to: $to, neighbourhoodIds: $nbs) { cells(first: 100) { edges { node { month neighbourhood { id } escalations { trigger outcome cases { value suppressed } } } } } }
}`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const FLAG = `mutation($id: ID!) { flagHelpRequest(id: $id, reason: TOO_COMPLEX) { escalationId } }`;
const REFER = `mutation($input: ReferralInput!) { referToParticipationPlace(input: $input) { id } }`;

/**
 * The month the figures are built in: the accounts are made on 10 February 2027, the requests from
 * 10 March 2027, 09:00 in Dordrecht; the figures are read in May, once March and April have ended.
 */
const MONTH = "2027-03";
const NEXT_MONTH = "2027-04";
const REGISTERED = Date.parse("2027-02-10T08:00:00Z");
const PINNED = Date.parse("2027-03-10T08:00:00Z");
const READ_AT = Date.parse("2027-05-02T08:00:00Z");
const DAY = 24 * HOUR;

const shown = (value: number) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };
const none = { value: null, suppressed: false };

describe.each(backends())("statistics per neighbourhood and month on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let categoryIds: string[];
  /** Every category, in the order of their ids: the given ones with their figures, the rest withheld. */
  const byCategory = (figures: Record<string, unknown>) => categoryIds.map((id) => ({ category: { id }, requests: figures[id] ?? hidden }));

  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const cellsOf = async (vars: Record<string, unknown>) => ok(await t.gql(STATS, { first: 100, ...vars })).stats.cells.edges.map((e: any) => e.node) as any[];
  const cellOf = async (month: string, neighbourhoodId: string) => {
    const cells = await cellsOf({ from: month, to: month, nbs: [neighbourhoodId] });
    expect(cells).toHaveLength(1);
    return cells[0];
  };
  const expectError = (r: GqlResult, code: string, reason: string) => expect([codeOf(r), reasonOf(r)]).toEqual([code, reason]);

  /**
   * The world of March 2027. Oud-Krispijn: 7 residents ask for groceries (5 matched by 5 volunteers,
   * after 1, 2, 4, 8 and 16 hours), 5 for company and 3 for transport (none matched); 5 company
   * requests and 1 transport request are flagged to the social team, the transport case is closed with
   * NO_ACTION; two initiatives with 8 and 2 places have 6 and 2 confirmed participants (one more
   * waits); a participation place with 8 places has 5 people placed. Wielwijk: 5 mantelzorgers ask for
   * the person they care for and a sixth for someone outside any circle; all 6 are matched.
   * Binnenstad: one request. Dubbeldam, just after midnight on 1 April: six requests a wijkwinkel
   * takes on for five of its volunteers. April: one more request in Oud-Krispijn. Every account that
   * asks, helps or signs up was registered in February, before the months counted.
   */
  beforeAll(async () => {
    t = await startTestApp(backend, { STATS_CACHE_SECONDS: "0", TOKEN_TTL_SECONDS: String(365 * 24 * 3600) });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    const professional = await buildProfessional(t, TEAM.westSocial, coordinator);
    const volunteers: Account[] = [];
    for (let i = 0; i < 5; i++)
      volunteers.push(await buildVolunteer(t, { categoryIds: Object.values(CAT), neighbourhoodIds: [NB.oudKrispijn, NB.wielwijk, NB.dubbeldam], firstName: `Vol${i}` }));

    const resident = () => buildPerson(t, { neighbourhoodId: NB.oudKrispijn });
    const groceries: Account[] = [];
    const company: Account[] = [];
    const transport: Account[] = [];
    for (let i = 0; i < 7; i++) groceries.push(await resident());
    for (let i = 0; i < 5; i++) company.push(await resident());
    for (let i = 0; i < 3; i++) transport.push(await resident());
    const carers: Account[] = [];
    for (let i = 0; i < 6; i++) carers.push(await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk }));
    const dubbeldamResidents: Account[] = [];
    for (let i = 0; i < 6; i++) dubbeldamResidents.push(await buildPerson(t, { neighbourhoodId: NB.dubbeldam }));
    const binnenstadResident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    t.clock.advance(PINNED - t.clock.now().getTime());
    const ask = (who: Account, categoryId: string) => askForHelp(t, who.token, { categoryId, neighbourhoodId: NB.oudKrispijn });
    const groceryRequests = [];
    for (const who of groceries) groceryRequests.push(await ask(who, CAT.groceries));
    const companyRequests = [];
    for (const who of company) companyRequests.push(await ask(who, CAT.company));
    const transportRequests = [];
    for (const who of transport) transportRequests.push(await ask(who, CAT.transport));

    // Matched after 1, 2, 4, 8 and 16 hours: the median is 4 hours.
    let waited = 0;
    for (const [i, hours] of [1, 2, 4, 8, 16].entries()) {
      t.clock.advance((hours - waited) * HOUR);
      waited = hours;
      expect(ok(await t.gql(ACCEPT, { id: groceryRequests[i].id }, volunteers[i].token)).acceptHelpRequest.status).toBe("MATCHED");
    }

    // Six cases raised by the residents themselves; one is closed.
    for (const [i, r] of companyRequests.entries()) ok(await t.gql(FLAG, { id: r.id }, company[i].token));
    const transportCase = ok(await t.gql(FLAG, { id: transportRequests[0].id }, transport[0].token)).flagHelpRequest.escalationId;
    ok(await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: NO_ACTION) { status } }`, { id: transportCase }, professional.token));

    // Initiatives with a date this month: 8 places (6 taken) and 2 places (2 taken, 1 waiting).
    const org = await buildOrganisation(t, { coordinator, neighbourhoodId: NB.oudKrispijn });
    const big = await postInitiative(t, org, { capacity: 8, schedule: schedule(t, 48) });
    const small = await postInitiative(t, org, { title: "Wandelclub", capacity: 2, schedule: schedule(t, 72) });
    for (const who of groceries.slice(0, 6)) {
      expect(ok(await t.gql(SIGN_UP, { input: { initiativeId: big.id } }, who.token)).signUpForInitiative.status).toBe("CONFIRMED");
    }
    const smallStatuses = [];
    for (const who of company.slice(0, 3)) smallStatuses.push(ok(await t.gql(SIGN_UP, { input: { initiativeId: small.id } }, who.token)).signUpForInitiative.status);
    expect(smallStatuses).toEqual(["CONFIRMED", "CONFIRMED", "WAITLISTED"]);

    // A participation place with 8 places; 5 people placed.
    const company2 = await buildOrganisation(t, { coordinator, kind: "LEARNING_WORK_COMPANY", neighbourhoodId: NB.oudKrispijn });
    const place = await postInitiative(t, company2, { kind: "PARTICIPATION_PLACE", title: "Groenploeg", capacity: 8, schedule: null });
    for (let i = 0; i < 5; i++) {
      const referral = ok(
        await t.gql(REFER, { input: { initiativeId: place.id, participant: { firstName: `Deelnemer${i}`, neighbourhoodId: NB.oudKrispijn } } }, professional.token),
      );
      const id = referral.referToParticipationPlace.id;
      ok(await t.gql(`mutation($id: ID!) { acceptPlacement(id: $id) { status } }`, { id }, company2.organiser.token));
      ok(await t.gql(`mutation($id: ID!) { startPlacement(id: $id) { status } }`, { id }, company2.organiser.token));
    }

    // Wielwijk: five mantelzorgers ask for the person they care for, a sixth for someone outside a circle.
    const carerRequests: string[] = [];
    for (let i = 0; i < 6; i++) {
      const carer = carers[i];
      const relative = { firstName: `Moeder${i}`, neighbourhoodId: NB.wielwijk };
      if (i < 5) {
        const circle = ok(
          await t.gql(
            `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { careReceiver { id } } }`,
            { input: { name: `Zorg ${i}`, careReceiver: relative } },
            carer.token,
          ),
        );
        carerRequests.push((await askForHelp(t, carer.token, { categoryId: CAT.paperwork, personHelpedId: circle.createCareCircle.careReceiver.id })).id);
      } else {
        carerRequests.push((await askForHelp(t, carer.token, { categoryId: CAT.paperwork, personHelped: relative })).id);
      }
    }
    t.clock.advance(HOUR);
    for (const [i, id] of carerRequests.entries()) ok(await t.gql(ACCEPT, { id }, volunteers[i % 5].token));

    // Elsewhere: one request in Binnenstad this month, one in Oud-Krispijn next month.
    await askForHelp(t, binnenstadResident.token, { neighbourhoodId: NB.binnenstad });

    // Dubbeldam, half past midnight on 1 April in Dordrecht (still 31 March in UTC): six requests that
    // a wijkwinkel takes on half an hour later for five of its volunteers; one gives its request back.
    const pool = await buildOrganisation(t, { coordinator, neighbourhoodId: NB.dubbeldam });
    for (const v of volunteers) {
      ok(
        await t.gql(
          `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`,
          { o: pool.id, p: v.id },
          pool.organiser.token,
        ),
      );
    }
    t.clock.advance(Date.parse("2027-03-31T22:30:00Z") - t.clock.now().getTime());
    const dubbeldam = [];
    for (let i = 0; i < 6; i++) {
      const who = dubbeldamResidents[i];
      dubbeldam.push(await askForHelp(t, who.token, { categoryId: CAT.company, neighbourhoodId: NB.dubbeldam }));
    }
    t.clock.advance(HOUR / 2);
    for (const [i, r] of dubbeldam.entries()) {
      const taken = await t.gql(
        `mutation($id: ID!, $o: ID!, $a: ID!) { takeOnHelpRequest(id: $id, organisationId: $o, assigneeId: $a) { status } }`,
        { id: r.id, o: pool.id, a: volunteers[i % 5].id },
        pool.organiser.token,
      );
      expect(ok(taken).takeOnHelpRequest.status).toBe("MATCHED");
    }
    ok(await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { status } }`, { id: dubbeldam[5].id }, volunteers[0].token));
    t.clock.advance(PINNED + 33 * DAY - t.clock.now().getTime());
    await ask(groceries[0], CAT.groceries);
    t.clock.advance(READ_AT - t.clock.now().getTime());
    categoryIds = (ok(await t.gql(`{ helpCategories { id } }`)).helpCategories as { id: string }[]).map((c) => c.id).sort((a, b) => a.localeCompare(b));
  }, 120_000);
  afterAll(async () => t?.close());

  it("gives the exact figures of an ended month, to anyone without a token; a category of fewer than five people is hidden, and so is the smallest other one so the total gives neither away", async () => {
    const cell = await cellOf(MONTH, NB.oudKrispijn);
    expect(cell).toMatchObject({ month: MONTH, closed: true, neighbourhood: { id: NB.oudKrispijn } });
    expect(cell.requests).toEqual(shown(15));
    // transport rests on 3 people; company (5) is hidden with it, so 15 - 7 gives only their sum (8 people).
    // Every category is listed; those nobody asked for are withheld like the small ones.
    expect(cell.requestsByCategory).toEqual(byCategory({ [CAT.groceries]: shown(7) }));
    expect(cell.matchedByVolunteers.suppressed).toBe(false);
    expect(cell.matchedByVolunteers.value).toBeCloseTo(5 / 15, 10);
    expect(cell.medianHoursToMatch).toEqual(shown(4));
    // The walking club (2 of 2 places taken) is left out: its two participants would follow from the rate.
    expect(cell.initiativeFillRate).toEqual(shown(0.75));
    expect(cell.participationUtilisation).toEqual(shown(0.625));
    expect(cell.activeVolunteers).toEqual(shown(5));
    expect(cell.mantelzorgersSupported).toEqual(hidden);
  });

  it("counts the mantelzorgers whose request for the person they care for was taken up, not those asking for someone outside their circle", async () => {
    const cell = await cellOf(MONTH, NB.wielwijk);
    expect(cell.requests).toEqual(shown(6));
    expect(cell.requestsByCategory).toEqual(byCategory({ [CAT.paperwork]: shown(6) }));
    expect(cell.matchedByVolunteers).toEqual(shown(1));
    expect(cell.medianHoursToMatch).toEqual(shown(1));
    expect(cell.activeVolunteers).toEqual(shown(5));
    expect(cell.mantelzorgersSupported).toEqual(shown(5));
    expect(cell.initiativeFillRate).toEqual(none);
    expect(cell.participationUtilisation).toEqual(none);
  });

  it("counts a request in the month it was asked in Dordrecht, and a wijkwinkel's volunteers (not its organiser) as active, also after one gave a request back", async () => {
    expect((await cellOf(MONTH, NB.dubbeldam)).requests).toEqual(hidden);
    const cell = await cellOf(NEXT_MONTH, NB.dubbeldam);
    expect(cell.requests).toEqual(shown(6));
    expect(cell.requestsByCategory).toEqual(byCategory({ [CAT.company]: shown(6) }));
    expect(cell.matchedByVolunteers).toEqual(shown(1));
    expect(cell.medianHoursToMatch).toEqual(shown(0.5));
    expect(cell.activeVolunteers).toEqual(shown(5));
  });

  it("SCOPE_REQUIRED: escalations by trigger and outcome need a coordinator's login (or a stats:read key); a group of fewer than five people is left out", async () => {
    const anonymous = await t.gql(ESCALATIONS, { from: MONTH, to: MONTH, nbs: [NB.oudKrispijn] });
    expectError(anonymous, "FORBIDDEN", "SCOPE_REQUIRED");
    const resident = await buildPerson(t);
    expectError(await t.gql(ESCALATIONS, { from: MONTH, to: MONTH, nbs: [NB.oudKrispijn] }, resident.token), "FORBIDDEN", "SCOPE_REQUIRED");
    const publicKey = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    expect(reasonOf(await keyed(t, publicKey.secret, ESCALATIONS, { from: MONTH, to: MONTH, nbs: [NB.oudKrispijn] }))).toBe("SCOPE_REQUIRED");
    const statsKey = await buildPartnerKey(t, coordinator, ["STATS_READ"]);
    const byKey = await keyed(t, statsKey.secret, ESCALATIONS, { from: MONTH, to: MONTH, nbs: [NB.oudKrispijn, NB.wielwijk] });
    const cells = ok(byKey).stats.cells.edges.map((e: any) => e.node);
    const byCoordinator = ok(await t.gql(ESCALATIONS, { from: MONTH, to: MONTH, nbs: [NB.oudKrispijn, NB.wielwijk] }, coordinator.token));
    expect(byCoordinator).toEqual(byKey.data);
    const byNb = Object.fromEntries(cells.map((c: any) => [c.neighbourhood.id, c.escalations]));
    const key = (e: any) => `${e.trigger}|${e.outcome}`;
    // The single NO_ACTION case is not even named.
    expect([...byNb[NB.oudKrispijn]].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([{ trigger: "FLAGGED", outcome: null, cases: shown(5) }]);
    expect(byNb[NB.wielwijk]).toEqual([]);
  });

  it("keeps other neighbourhoods and months apart: a single request is hidden there, and so is an empty cell, so the two look alike; places stay open into the next month", async () => {
    const binnenstad = await cellOf(MONTH, NB.binnenstad);
    const empty = {
      requests: hidden,
      requestsByCategory: byCategory({}),
      matchedByVolunteers: hidden,
      medianHoursToMatch: hidden,
      activeVolunteers: hidden,
      mantelzorgersSupported: hidden,
    };
    expect(binnenstad).toMatchObject(empty);
    const next = await cellOf(NEXT_MONTH, NB.oudKrispijn);
    expect(next).toMatchObject({ ...empty, month: NEXT_MONTH, closed: true, initiativeFillRate: none, participationUtilisation: shown(0.625) });
    const before = await cellOf("2027-02", NB.oudKrispijn);
    expect(before).toMatchObject({ ...empty, initiativeFillRate: none, participationUtilisation: none });
    // The same figures whether the cell is asked alone or in a longer period of every neighbourhood.
    const all = await cellsOf({ from: "2027-01", to: NEXT_MONTH });
    expect(all.find((c) => c.month === MONTH && c.neighbourhood.id === NB.oudKrispijn)).toEqual(await cellOf(MONTH, NB.oudKrispijn));
  });

  it("defaults to the twelve months up to the current one, which is withheld whole until it ends, and narrows to an area's neighbourhoods", async () => {
    const period = ok(await t.gql(`{ stats { from to months suppressionThreshold } }`)).stats;
    expect(period).toMatchObject({ from: "2026-06", to: "2027-05", suppressionThreshold: 5 });
    expect(period.months).toHaveLength(12);
    const running = await cellOf("2027-05", NB.oudKrispijn);
    expect(running).toMatchObject({ closed: false, requests: hidden, requestsByCategory: byCategory({}), participationUtilisation: hidden, initiativeFillRate: hidden });
    const neighbourhoods = ok(await t.gql(`{ neighbourhoods { id area { id } } }`)).neighbourhoods as { id: string; area: { id: string } }[];
    const areaId = neighbourhoods.find((n) => n.id === NB.oudKrispijn)!.area.id;
    const inArea = neighbourhoods.filter((n) => n.area.id === areaId).map((n) => n.id);
    const cells = await cellsOf({ from: MONTH, to: MONTH, areaId });
    expect(cells.map((c) => c.neighbourhood.id).sort()).toEqual([...inArea].sort());
    expect(cells.map((c) => c.neighbourhood.id)).not.toContain(NB.binnenstad);
  });

  it("INVALID_CURSOR, INVALID_PAGE_SIZE: pages through the cells month by month, each cell once", async () => {
    const neighbourhoods = ok(await t.gql(`{ neighbourhoods { id } }`)).neighbourhoods as { id: string }[];
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: any = ok(await t.gql(STATS, { from: MONTH, to: NEXT_MONTH, first: 7, after })).stats.cells;
      expect(page.edges.length).toBeLessThanOrEqual(7);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((e: any) => `${e.node.month}/${e.node.neighbourhood.id}`));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(2 * neighbourhoods.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 7));
    expect(seen.slice(0, neighbourhoods.length).every((k) => k.startsWith(`${MONTH}/`))).toBe(true);

    // A cursor of one report does not page another.
    const first = ok(await t.gql(STATS, { from: MONTH, to: NEXT_MONTH, first: 2 })).stats.cells.pageInfo.endCursor;
    expectError(await t.gql(STATS, { from: NEXT_MONTH, to: NEXT_MONTH, first: 2, after: first }), "BAD_USER_INPUT", "INVALID_CURSOR");
    expectError(await t.gql(STATS, { from: MONTH, to: MONTH, after: "nonsense" }), "BAD_USER_INPUT", "INVALID_CURSOR");
    expectError(await t.gql(STATS, { from: MONTH, to: MONTH, first: 0 }), "BAD_USER_INPUT", "INVALID_PAGE_SIZE");
    expectError(await t.gql(STATS, { from: MONTH, to: MONTH, first: 101 }), "BAD_USER_INPUT", "INVALID_PAGE_SIZE");
  });

  it("INVALID_STATS_PERIOD, AREA_NOT_FOUND, UNKNOWN_NEIGHBOURHOOD: a period backwards, over 24 months or not YYYY-MM, an unknown area or neighbourhood", async () => {
    const cases: [Record<string, unknown>, string, string, string][] = [
      [{ from: "2027-04", to: "2027-03" }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD", "from"],
      [{ from: "2025-01", to: "2027-01" }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD", "to"],
      [{ from: "2027-3", to: "2027-04" }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD", "from"],
      [{ from: "2027-01", to: "2027-13" }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD", "to"],
      [{ to: "maart 2027" }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD", "to"],
      [{ from: "2027-01-01", to: "2027-03" }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD", "from"],
      [{ from: MONTH, to: MONTH, nbs: ["nb_nowhere"] }, "BAD_USER_INPUT", "UNKNOWN_NEIGHBOURHOOD", "neighbourhoodIds"],
    ];
    for (const [vars, code, reason, field] of cases) {
      const r = await t.gql(STATS, vars);
      expect([codeOf(r), reasonOf(r), r.errors?.[0]?.extensions?.field], JSON.stringify(vars)).toEqual([code, reason, field]);
      expect(r.data).toBeNull();
    }
    expectError(await t.gql(STATS, { from: MONTH, to: MONTH, areaId: "area_nowhere" }), "NOT_FOUND", "AREA_NOT_FOUND");
    // Exactly 24 months is allowed.
    const longest = ok(await t.gql(`{ stats(from: "2025-01", to: "2026-12") { months } }`)).stats.months;
    expect(longest).toHaveLength(24);
    expect([longest[0], longest.at(-1)]).toEqual(["2025-01", "2026-12"]);
  });
});
