import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import {
  type Account,
  CAT,
  HOUR,
  NB,
  TEAM,
  askForHelp,
  buildCoordinator,
  buildOrganisation,
  buildPerson,
  buildProfessional,
  buildVolunteer,
  postInitiative,
} from "../support/builders.js";
import { type GqlResult, type TestApp, startTestApp } from "../support/test-app.js";

const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const FLAG = `mutation($id: ID!) { flagHelpRequest(id: $id, reason: TOO_COMPLEX) { escalationId } }`;
const CANCEL = `mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`;
const STATS = `query($from: String, $to: String) { stats(from: $from, to: $to) { cells(first: 100) { edges { node { month neighbourhood { id } closed requests { value suppressed } matchedByVolunteers { value suppressed } activeVolunteers { value suppressed } } } } } }`;

const REGISTERED = Date.parse("2027-02-10T08:00:00Z");
const ASKED = Date.parse("2027-03-10T08:00:00Z");
const READ_AT = Date.parse("2027-05-02T08:00:00Z");
const PERIOD = { from: "2027-02", to: "2027-06" };

/**
 * The figures kept per neighbourhood and month (stats_cells) against the same figures computed from the
 * rows alone, cell by cell, after every kind of change that reaches back into an ended month: a late
 * match, a cancellation, a case re-routed and closed, the clock moved on, an erasure, retention.
 */
describe.each(backends())("statistics kept as they happen on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let professional: Account;
  let volunteers: Account[];
  const requests: { id: string }[] = [];
  const cases: string[] = [];
  let leaver: Account;
  let leaverRequest: { id: string };
  let placeId: string;
  let company: Awaited<ReturnType<typeof buildOrganisation>>;

  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const stored = async (month?: string, neighbourhoodId?: string) => {
    const s = t.app.services;
    const c = s.db.tables.statsCells;
    const rows = await s.db.read
      .select({ n: count() })
      .from(c)
      .where(month && neighbourhoodId ? eq(c.neighbourhoodId, neighbourhoodId) : undefined);
    return month ? (await s.db.read.select().from(c).where(eq(c.neighbourhoodId, neighbourhoodId!))).filter((r) => r.month === month).length : Number(rows[0].n);
  };
  /** The served report (stored cells) equals the one computed from the rows, cell by cell. */
  const sameAsRows = async (period = PERIOD) => {
    const kept = await t.app.services.stats.report(period);
    const raw = await t.app.services.stats.reportFromRows(period);
    expect(kept.cells.length).toBe(raw.cells.length);
    for (let i = 0; i < raw.cells.length; i++) expect(kept.cells[i], `${raw.cells[i].month} ${raw.cells[i].neighbourhoodId}`).toEqual(raw.cells[i]);
    return kept;
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { TOKEN_TTL_SECONDS: String(5 * 365 * 24 * 3600) });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    professional = await buildProfessional(t, TEAM.westSocial, coordinator);
    volunteers = [];
    for (let i = 0; i < 6; i++)
      volunteers.push(await buildVolunteer(t, { categoryIds: Object.values(CAT), neighbourhoodIds: [NB.oudKrispijn, NB.wielwijk], firstName: `Vol${i}` }));
    const residents: Account[] = [];
    for (let i = 0; i < 8; i++) residents.push(await buildPerson(t, { neighbourhoodId: NB.oudKrispijn }));
    const wielwijk: Account[] = [];
    for (let i = 0; i < 6; i++) wielwijk.push(await buildPerson(t, { neighbourhoodId: NB.wielwijk }));
    leaver = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    t.clock.advance(ASKED - t.clock.now().getTime());
    for (const who of residents) requests.push(await askForHelp(t, who.token, { categoryId: CAT.groceries, neighbourhoodId: NB.oudKrispijn }));
    for (let i = 0; i < 5; i++) {
      t.clock.advance(HOUR);
      ok(await t.gql(ACCEPT, { id: requests[i].id }, volunteers[i].token));
    }
    for (const who of wielwijk) {
      const r = await askForHelp(t, who.token, { categoryId: CAT.company, neighbourhoodId: NB.wielwijk });
      cases.push(ok(await t.gql(FLAG, { id: r.id }, who.token)).flagHelpRequest.escalationId);
    }
    // A participation place of 8, open from March in Oud-Krispijn; its placements are recorded late.
    company = await buildOrganisation(t, { coordinator, kind: "LEARNING_WORK_COMPANY", neighbourhoodId: NB.oudKrispijn });
    placeId = (await postInitiative(t, company, { kind: "PARTICIPATION_PLACE", title: "Groenploeg", capacity: 8, schedule: null })).id;
    leaverRequest = await askForHelp(t, leaver.token, { neighbourhoodId: NB.binnenstad });
    ok(await t.gql(CANCEL, { id: leaverRequest.id }, leaver.token));
    t.clock.advance(READ_AT - t.clock.now().getTime());
  });
  afterAll(() => t?.close());

  it("the sweep stores the cells of ended months; the stats query serves them, equal to the rows, and leaves running months out", async () => {
    expect(await stored()).toBe(0);
    await t.app.services.sweeps.run();
    const neighbourhoods = t.app.services.places.listNeighbourhoods().length;
    // The sweep keeps the ended months of the last 24 for every neighbourhood.
    expect(await stored()).toBeGreaterThanOrEqual(4 * neighbourhoods);
    const report = await sameAsRows();
    const march = report.cells.find((c) => c.month === "2027-03" && c.neighbourhoodId === NB.oudKrispijn)!;
    expect(march.requests).toEqual({ value: 8, suppressed: false });
    expect(march.activeVolunteers).toEqual({ value: 5, suppressed: false });
    // Over HTTP too, for anyone: the ended months' figures, the running month withheld.
    const cells = ok(await t.gql(STATS, PERIOD)).stats.cells.edges.map((e: any) => e.node);
    expect(cells.find((c: any) => c.month === "2027-03" && c.neighbourhood.id === NB.oudKrispijn).requests).toEqual({ value: 8, suppressed: false });
    expect(cells.filter((c: any) => c.month === "2027-05").every((c: any) => !c.closed && c.requests.suppressed)).toBe(true);
  });

  it("a cancellation and a case re-routed and closed drop the cells they reach back into, and only those", async () => {
    // A request matched in March, cancelled in May by whoever asked it.
    ok(await t.gql(CANCEL, { id: requests[0].id }, await tokenOf(requests[0].id)));
    ok(await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id: cases[0] }, professional.token));
    ok(
      await t.gql(
        `mutation($id: ID!, $lead: ID!) { rerouteEscalation(id: $id, leadTeamId: $lead, reason: "Verhuisd naar Centrum") { status } }`,
        { id: cases[1], lead: TEAM.centrumSocial },
        coordinator.token,
      ),
    );
    ok(await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: NO_ACTION) { status } }`, { id: cases[0] }, professional.token));
    await t.app.services.stats["cells"].catchUp();
    expect(await stored("2027-03", NB.oudKrispijn)).toBe(0);
    expect(await stored("2027-03", NB.wielwijk)).toBe(0);
    // Months before the one the requests were asked in, and other neighbourhoods, are kept.
    expect(await stored("2027-02", NB.oudKrispijn)).toBe(1);
    expect(await stored("2027-03", NB.dubbeldam)).toBe(1);
    await sameAsRows();
    expect(await stored("2027-03", NB.oudKrispijn)).toBe(1);
  });

  it("moving the clock on closes months that are then computed once and kept", async () => {
    t.clock.advance(62 * 24 * HOUR);
    const before = await stored();
    const report = await sameAsRows();
    expect(report.cells.filter((c) => c.month === "2027-06").every((c) => c.closed)).toBe(true);
    expect(await stored()).toBeGreaterThan(before);
    await sameAsRows();
  });

  it("placements recorded late (dated in March), which record no events, drop the cells of their place's neighbourhood", async () => {
    const before = (await sameAsRows()).cells.find((c) => c.month === "2027-03" && c.neighbourhoodId === NB.oudKrispijn)!;
    expect(before.participationUtilisation).toEqual({ value: null, suppressed: true });
    for (let i = 0; i < 5; i++) {
      const id = ok(
        await t.gql(
          `mutation($input: ReferralInput!) { referToParticipationPlace(input: $input) { id } }`,
          { input: { initiativeId: placeId, participant: { firstName: `Deelnemer${i}`, neighbourhoodId: NB.oudKrispijn } } },
          professional.token,
        ),
      ).referToParticipationPlace.id;
      ok(await t.gql(`mutation($id: ID!) { acceptPlacement(id: $id) { status } }`, { id }, company.organiser.token));
      ok(await t.gql(`mutation($id: ID!, $at: DateTimeISO) { startPlacement(id: $id, startedAt: $at) { status } }`, { id, at: "2027-03-15T09:00:00Z" }, company.organiser.token));
    }
    const after = (await sameAsRows()).cells.find((c) => c.month === "2027-03" && c.neighbourhoodId === NB.oudKrispijn)!;
    expect(after.participationUtilisation).toEqual({ value: 5 / 8, suppressed: false });
  });

  it("an erasure drops every kept cell in its own transaction; they come back equal to what the rows now give", async () => {
    const r = await t.gql(`mutation { requestErasure { status } }`, {}, leaver.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.requestErasure.status).toBe("DONE");
    expect(await stored()).toBe(0);
    await sameAsRows();
  });

  it("retention's pseudonymisation drops them too, and the figures stay equal to the rows", async () => {
    await sameAsRows();
    t.clock.advance(800 * 24 * HOUR);
    const sweep = await t.app.services.sweeps.run();
    expect(sweep.retention.some((c) => c.pseudonymised > 0)).toBe(true);
    await sameAsRows();
    await sameAsRows({ from: "2027-01", to: "2027-12" });
  });

  /** The token of whoever asked a request (its asker logs in again). */
  async function tokenOf(requestId: string): Promise<string> {
    const s = t.app.services;
    const hr = s.db.tables.helpRequests;
    const [row] = await s.db.read.select({ askedById: hr.askedById }).from(hr).where(eq(hr.id, requestId));
    const [person] = await s.db.read.select({ email: s.db.tables.people.email }).from(s.db.tables.people).where(eq(s.db.tables.people.id, row.askedById));
    const login = await t.gql(`mutation($e: String!) { login(email: $e, password: "correct horse battery") { token } }`, { e: person.email });
    return login.data.login.token;
  }
});
