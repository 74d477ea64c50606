import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer } from "../support/builders.js";
import { type GqlResult, type TestApp, codeOf, gql, reasonOf, startSecondInstance, startTestApp } from "../support/test-app.js";

const DAY = 24 * HOUR;
const REGISTERED = Date.parse("2027-02-10T08:00:00Z");
const PINNED = Date.parse("2027-03-10T08:00:00Z");
const LATER = Date.parse("2027-09-10T08:00:00Z");

const ADVANCE = `mutation($h: Float!) { advanceClock(hours: $h) }`;
const SWEEP = `mutation { runSweeps { expiredRequests retention { kind removed pseudonymised } } }`;
const LOGIN = `mutation($e: String!) { login(email: $e, password: "correct horse battery") { token } }`;
const REQUEST = `query($id: ID!) { helpRequest(id: $id) { id title description status personHelped { id firstName } volunteer { id firstName } history { note actor { id } } } }`;
const MINE = `query { myHelpRequests(first: 50) { edges { node { id } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on HelpRequest { title description personHelped { id } } } }`;
const CASE = `query($id: ID!) { escalation(id: $id) { id status reasonNote audit { note actor { id } } consents { purpose } } }`;
const REPORT = `query { retentionReport { kinds { kind removed pseudonymised } lastRunAt } }`;
const STATS = `query($m: String) {
  stats(from: $m, to: $m, neighbourhoodIds: ["${NB.oudKrispijn}"]) {
    cells(first: 10) { edges { node { month requests { value suppressed } requestsByCategory { category { id } requests { value suppressed } }
      matchedByVolunteers { value suppressed } medianHoursToMatch { value suppressed } activeVolunteers { value suppressed }
      escalations { trigger outcome cases { value suppressed } } } } }
  }
}`;

const ok = (r: GqlResult) => {
  expect(r.errors).toBeUndefined();
  return r.data;
};

/**
 * March 2027 in Oud-Krispijn: six residents ask for groceries; five are helped (DONE) by five
 * volunteers, one withdraws (CANCELLED); five more residents ask for company and flag their request to
 * the social team, which closes each case. In September one resident asks again and withdraws. The
 * clock is then moved, through the API, to just short of and just past each term.
 */
describe.each(backends())("retention on $name", (backend) => {
  let t: TestApp;
  let second: App;
  let coordinator: Account;
  let professional: Account;
  const residents: Account[] = [];
  const volunteers: Account[] = [];
  const early: string[] = [];
  let late: string;
  const cases: string[] = [];
  /** The requests the cases came from (ESCALATED). */
  const flaggedRequests: string[] = [];
  let statsBefore: unknown;
  let carer: Account;
  let circleId: string;
  let shiftId: string;
  /** What every pass on either instance reported, added up per kind. */
  const passes = new Map<string, { kind: string; removed: number; pseudonymised: number }>();

  const fresh = async (a: Account) => ({ ...a, token: ok(await t.gql(LOGIN, { e: a.email })).login.token as string });
  const moveTo = async (at: number) => {
    const c = await fresh(coordinator);
    let left = (at - t.clock.now().getTime()) / HOUR;
    expect(left).toBeGreaterThanOrEqual(0);
    while (left > 0) {
      const step = Math.min(left, 8760);
      ok(await t.gql(ADVANCE, { h: step }, c.token));
      left -= step;
    }
  };
  const sweep = async (url = t.url) => {
    const c = await fresh(coordinator);
    const r = await gql(url, SWEEP, {}, c.token);
    expect(r.errors).toBeUndefined();
    for (const x of r.data.runSweeps.retention) {
      const was = passes.get(x.kind) ?? { kind: x.kind, removed: 0, pseudonymised: 0 };
      passes.set(x.kind, { kind: x.kind, removed: was.removed + x.removed, pseudonymised: was.pseudonymised + x.pseudonymised });
    }
    return Object.fromEntries((r.data.runSweeps.retention as { kind: string; removed: number; pseudonymised: number }[]).map((x) => [x.kind, x]));
  };
  const consentsOf = async (escalationId: string) => {
    const { db } = t.app.services;
    return db.read.select().from(db.tables.consents).where(eq(db.tables.consents.escalationId, escalationId));
  };
  const stats = async () => {
    const c = await fresh(coordinator);
    return ok(await t.gql(STATS, { m: "2027-03" }, c.token)).stats.cells.edges.map((e: any) => e.node);
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true", STATS_CACHE_SECONDS: "0" });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    professional = await buildProfessional(t, TEAM.westSocial, coordinator);
    for (let i = 0; i < 5; i++) volunteers.push(await buildVolunteer(t, { categoryIds: [CAT.groceries], neighbourhoodIds: [NB.oudKrispijn], firstName: `Vol${i}` }));
    for (let i = 0; i < 11; i++) residents.push(await buildPerson(t, { neighbourhoodId: NB.oudKrispijn, firstName: `Bewoner${i}` }));
    t.clock.advance(PINNED - t.clock.now().getTime());
    for (let i = 0; i < 6; i++) {
      const r = await askForHelp(t, residents[i].token, { neighbourhoodId: NB.oudKrispijn, title: `Boodschappen ${i}`, description: `Adres en sleutel bij buren ${i}` });
      early.push(r.id);
      if (i === 5) {
        ok(await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id, reason: "Mijn dochter komt") { status } }`, { id: r.id }, residents[i].token));
        continue;
      }
      t.clock.advance(HOUR);
      ok(await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: r.id }, volunteers[i].token));
      ok(await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: r.id }, volunteers[i].token));
      ok(await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id, note: "Alles gehaald bij de Jumbo") { status } }`, { id: r.id }, volunteers[i].token));
    }
    for (let i = 6; i < 11; i++) {
      const r = await askForHelp(t, residents[i].token, { neighbourhoodId: NB.oudKrispijn, categoryId: CAT.company, title: "Gezelschap" });
      const flagged = ok(
        await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: TOO_COMPLEX, note: "Ik red het niet meer alleen") { escalationId } }`, { id: r.id }, residents[i].token),
      );
      cases.push(flagged.flagHelpRequest.escalationId);
      flaggedRequests.push(r.id);
      ok(await t.gql(`mutation($id: ID!) { giveConsent(escalationId: $id, purpose: "Ondersteuning") { status } }`, { id: cases.at(-1) }, residents[i].token));
      ok(await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: NO_ACTION) { status } }`, { id: cases.at(-1) }, professional.token));
    }
    // A care circle: a one-off shift on 12 March with care notes, held by the carer, and a check-in.
    carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk, firstName: "Mantel" });
    circleId = ok(
      await t.gql(
        `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
        { i: { name: "Zorg voor Riet", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } },
        carer.token,
      ),
    ).createCareCircle.id;
    const task = {
      title: "Insuline",
      categoryId: CAT.groceries,
      notes: "Insuline om 12:00, sleutel onder de mat",
      startDate: "2027-03-12",
      startTime: "12:00",
      durationMinutes: 30,
    };
    ok(await t.gql(`mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`, { c: circleId, i: task }, carer.token));
    const shifts = ok(await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts(first: 10) { edges { node { id } } } } }`, { c: circleId }, carer.token)).careCircle.shifts.edges;
    expect(shifts).toHaveLength(1);
    shiftId = shifts[0].node.id;
    ok(await t.gql(`mutation($id: ID!) { claimCareShift(id: $id) { id } }`, { id: shiftId }, carer.token));
    ok(await t.gql(`mutation($c: ID!) { careCheckIn(circleId: $c, strain: HIGH, note: "Ik slaap slecht") }`, { c: circleId }, carer.token));

    t.clock.advance(LATER - t.clock.now().getTime());
    late = (await askForHelp(t, residents[0].token, { neighbourhoodId: NB.oudKrispijn, title: "Later" })).id;
    ok(await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id: late }, residents[0].token));
    t.clock.advance(Date.parse("2027-10-01T08:00:00Z") - t.clock.now().getTime());
    statsBefore = await stats();

    // A second instance on the same database and the same clock, sweeping at the same moments.
    second = await startSecondInstance(t, backend, { CLOCK_CONTROL: "true" }, { clock: t.clock });
  }, 180_000);

  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it("care notes and check-ins stay a year less a day, and go a day after their year", async () => {
    const SHIFT_ENDS = Date.parse("2027-03-12T11:30:00Z");
    const notes = async () => ok(await t.gql(`query($id: ID!) { careShift(id: $id) { notes assignee { id } } }`, { id: shiftId }, (await fresh(carer)).token)).careShift;
    const checkins = async () => (await t.app.services.db.read.select().from(t.app.services.db.tables.careCheckins)).length;
    await moveTo(PINNED + 365 * DAY - DAY);
    expect((await sweep()).careCircles).toEqual({ kind: "careCircles", removed: 0, pseudonymised: 0 });
    expect((await notes()).notes).toBe("Insuline om 12:00, sleutel onder de mat");
    expect(await checkins()).toBe(1);
    await moveTo(SHIFT_ENDS + 365 * DAY + DAY);
    const [a, b] = await Promise.all([sweep(t.url), sweep(second.url)]);
    expect([a.careCircles.removed + b.careCircles.removed, a.careCircles.pseudonymised + b.careCircles.pseudonymised]).toEqual([1, 1]);
    // The shift stays, held by the same member, without its notes; the check-in is gone.
    expect(await notes()).toEqual({ notes: null, assignee: { id: carer.id } });
    expect(await checkins()).toBe(0);
    expect(await stats()).toEqual(statsBefore);
  });

  it("a day short of each term leaves everything, and statistics keep their totals", async () => {
    // The last of the early requests closed on 10 March 2027 in the afternoon: two years less a day later.
    await moveTo(PINNED + 730 * DAY - DAY);
    const report = await sweep();
    expect(report.helpRequests).toEqual({ kind: "helpRequests", removed: 0, pseudonymised: 0 });
    expect(report.escalations).toEqual({ kind: "escalations", removed: 0, pseudonymised: 0 });
    const c = await fresh(coordinator);
    for (const id of early) expect(ok(await t.gql(REQUEST, { id }, c.token)).helpRequest.title).not.toBe("");
    expect(await stats()).toEqual(statsBefore);
  });

  it("two instances sweeping at once pseudonymise each closed request past two years once", async () => {
    await moveTo(PINNED + 730 * DAY + 2 * DAY);
    const [a, b] = await Promise.all([sweep(t.url), sweep(second.url)]);
    expect(a.helpRequests.pseudonymised + b.helpRequests.pseudonymised).toBe(6);
    expect(a.helpRequests.removed + b.helpRequests.removed).toBe(0);
    // Nothing left for a further pass.
    expect((await sweep()).helpRequests.pseudonymised).toBe(0);
  });

  it("a pseudonymised request keeps its figures but nothing of the people or their words", async () => {
    expect(await stats()).toEqual(statsBefore);
    const c = await fresh(coordinator);
    for (const [i, id] of early.entries()) {
      const r = ok(await t.gql(REQUEST, { id }, c.token)).helpRequest;
      expect(r.status).toBe(i === 5 ? "CANCELLED" : "DONE");
      expect([r.title, r.description]).toEqual(["", ""]);
      expect(r.personHelped.id).not.toBe(residents[i].id);
      expect(r.personHelped.firstName).toBe("");
      if (i < 5) expect(r.volunteer.id).not.toBe(volunteers[i].id);
      for (const h of r.history) {
        expect(h.note).toBeNull();
        expect([residents[i].id, volunteers[i]?.id]).not.toContain(h.actor?.id);
      }
      const n = ok(await t.gql(NODE, { id }, c.token)).node;
      expect([n.title, n.description]).toEqual(["", ""]);
    }
    // The asker and the volunteer no longer find it among their requests; the later one is untouched.
    const asker = await fresh(residents[0]);
    const mine = ok(await t.gql(MINE, {}, asker.token)).myHelpRequests.edges.map((e: any) => e.node.id);
    expect(mine).toContain(late);
    expect(mine).not.toContain(early[0]);
    const volunteer = await fresh(volunteers[0]);
    expect(ok(await t.gql(MINE, {}, volunteer.token)).myHelpRequests.edges.map((e: any) => e.node.id)).not.toContain(early[0]);
    expect(ok(await t.gql(REQUEST, { id: late }, c.token)).helpRequest.title).toBe("Later");
    // The same person gets the same pseudonym in every request: distinct counts stay what they were.
    const helped = ok(await t.gql(REQUEST, { id: early[0] }, c.token)).helpRequest.personHelped.id;
    expect(helped).toMatch(/^pseudonym-/);
  });

  it("the later request goes once its own two years have passed", async () => {
    await moveTo(LATER + 730 * DAY - DAY);
    expect((await sweep()).helpRequests.pseudonymised).toBe(0);
    await moveTo(LATER + 730 * DAY + DAY);
    expect((await sweep()).helpRequests.pseudonymised).toBe(1);
    expect(await stats()).toEqual(statsBefore);
  });

  it("closed escalation cases stay fifteen years, then are pseudonymised once with the same figures", async () => {
    const closedAt = PINNED + 6 * HOUR;
    const shortOf = new Date(closedAt);
    shortOf.setUTCFullYear(shortOf.getUTCFullYear() + 15);
    await moveTo(shortOf.getTime() - DAY);
    expect((await sweep()).escalations.pseudonymised).toBe(0);
    let c = await fresh(coordinator);
    const kept = ok(await t.gql(CASE, { id: cases[0] }, c.token)).escalation;
    expect([kept.reasonNote, kept.consents]).toEqual(["Ik red het niet meer alleen", [{ purpose: "Ondersteuning" }]]);
    // Who gave a consent is shown to nobody but its giver; the stored record names the person until the term.
    expect((await consentsOf(cases[0])).map((g) => [g.subjectId, g.givenById])).toEqual([[residents[6].id, residents[6].id]]);
    expect(ok(await t.gql(REQUEST, { id: flaggedRequests[0] }, c.token)).helpRequest).toMatchObject({
      status: "ESCALATED",
      title: "Gezelschap",
      personHelped: { id: residents[6].id },
    });
    await moveTo(shortOf.getTime() + DAY);
    const [a, b] = await Promise.all([sweep(t.url), sweep(second.url)]);
    expect(a.escalations.pseudonymised + b.escalations.pseudonymised).toBe(5);
    expect(await stats()).toEqual(statsBefore);
    c = await fresh(coordinator);
    for (const [i, id] of cases.entries()) {
      const x = ok(await t.gql(CASE, { id }, c.token)).escalation;
      expect(x.status).toBe("CLOSED");
      expect(x.reasonNote).toBeNull();
      expect(x.consents).toEqual([{ purpose: "Ondersteuning" }]);
      const [g] = await consentsOf(id);
      expect([g.subjectId, g.givenById].every((p) => p.startsWith("pseudonym-"))).toBe(true);
      for (const e of x.audit) {
        expect(e.note).toBeNull();
        expect(e.actor?.id).not.toBe(residents[6 + i].id);
        expect(e.actor?.id).not.toBe(professional.id);
      }
      // The request the case came from goes with it: it never closed, so its own term never reached it.
      const r = ok(await t.gql(REQUEST, { id: flaggedRequests[i] }, c.token)).helpRequest;
      expect([r.title, r.description, r.personHelped.firstName]).toEqual(["", "", ""]);
      expect(r.personHelped.id).toMatch(/^pseudonym-/);
      for (const h of r.history) expect([h.note, h.actor?.id === residents[6 + i].id]).toEqual([null, false]);
    }
  });

  it("coordinators read the totals, each row counted once across both instances; nobody else reads them", async () => {
    const c = await fresh(coordinator);
    const report = ok(await t.gql(REPORT, {}, c.token)).retentionReport;
    expect(report.kinds).toEqual([...passes.values()]);
    expect(report.kinds.find((k: any) => k.kind === "helpRequests")).toEqual({ kind: "helpRequests", removed: 0, pseudonymised: 7 });
    expect(report.kinds.find((k: any) => k.kind === "escalations")).toEqual({ kind: "escalations", removed: 0, pseudonymised: 5 });
    // One shift lost its notes; the check-in and any load signal resolved since are among the removed rows counted above.
    expect(report.kinds.find((k: any) => k.kind === "careCircles").pseudonymised).toBe(1);
    // The server's clock runs on from where it was moved: the last pass was a moment ago, fifteen years on.
    expect(t.clock.now().getTime() - Date.parse(report.lastRunAt)).toBeGreaterThanOrEqual(0);
    expect(t.clock.now().getTime() - Date.parse(report.lastRunAt)).toBeLessThan(60_000);
    expect(ok(await gql(second.url, REPORT, {}, c.token)).retentionReport.kinds).toEqual(report.kinds);
    const resident = await fresh(residents[1]);
    const p = await fresh(professional);
    for (const token of [resident.token, p.token]) {
      const r = await t.gql(REPORT, {}, token);
      expect([codeOf(r), reasonOf(r)]).toEqual(["FORBIDDEN", "COORDINATOR_ONLY"]);
    }
    expect(codeOf(await t.gql(REPORT, {}))).toBe("UNAUTHENTICATED");
  });
});
