import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer } from "../support/builders.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type GqlResult, type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const require = createRequire(import.meta.url);
const hasBrowser = hasChromium("the council report's browser and accessibility test");

const REGISTERED = Date.parse("2026-12-10T08:00:00Z");
const ASKED = Date.parse("2027-03-10T08:00:00Z");
const READ_AT = Date.parse("2028-01-15T08:00:00Z");

const FIGURE = "{ value suppressed }";
const SERIES = `{ cells(first: 100) { edges { node { month neighbourhood { id } value ${FIGURE} } } } perMonth { month value ${FIGURE} } perQuarter { quarter value ${FIGURE} } perNeighbourhood { neighbourhood { id } value ${FIGURE} } overall ${FIGURE} }`;
const COUNCIL = `query($year: Int!, $areaId: ID) { councilStats(year: $year, areaId: $areaId) {
  year areaId months suppressionThreshold
  teams { team { id } cases ${FIGURE} byTrigger { trigger cases ${FIGURE} } byOutcome { outcome cases ${FIGURE} } acknowledgedWithinNorm ${FIGURE}
    medianHoursToAcknowledge ${FIGURE} medianDaysToClose ${FIGURE} overdueNow ${FIGURE}
    firstContactNorm { met ${FIGURE} missed ${FIGURE} openOverdue ${FIGURE} } closeNorm { met ${FIGURE} missed ${FIGURE} openOverdue ${FIGURE} } }
  informalHours ${SERIES} activeCareCircles ${SERIES} intensiveMantelzorgers ${SERIES}
  buddyProgrammes { programmeId name months { month matched ${FIGURE} } } } }`;

/**
 * The council report page: seven residents of Oud-Krispijn ask in March 2027, five are matched, six
 * residents of Wielwijk flag theirs to the west social team, which acknowledges and closes them. Read in
 * January 2028, as a coordinator, as a partner with stats:read, and as everyone who may not.
 */
describe.each(backends())("the council report on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let professional: Account;
  let volunteer: Account;
  let statsKey: string;
  let publicKey: string;
  let browser: Browser | null = null;

  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const get = (query: string, headers: Record<string, string> = {}) => fetch(new URL(`/reports/council${query}`, t.url), { headers });
  const bearer = (a: Account) => ({ authorization: `Bearer ${a.token}` });

  beforeAll(async () => {
    t = await startTestApp(backend, { TOKEN_TTL_SECONDS: String(3 * 365 * 24 * 3600) });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    professional = await buildProfessional(t, TEAM.westSocial, coordinator);
    const volunteers: Account[] = [];
    for (let i = 0; i < 5; i++) volunteers.push(await buildVolunteer(t, { categoryIds: Object.values(CAT), neighbourhoodIds: [NB.oudKrispijn], firstName: `Vol${i}` }));
    volunteer = volunteers[0];
    const residents: Account[] = [];
    for (let i = 0; i < 7; i++) residents.push(await buildPerson(t, { neighbourhoodId: NB.oudKrispijn }));
    const wielwijk: Account[] = [];
    for (let i = 0; i < 6; i++) wielwijk.push(await buildPerson(t, { neighbourhoodId: NB.wielwijk }));
    const binnenstad: Account[] = [];
    const centre: Account[] = [];
    for (let i = 0; i < 2; i++) {
      binnenstad.push(await buildPerson(t, { neighbourhoodId: NB.binnenstad }));
      centre.push(await buildVolunteer(t, { categoryIds: Object.values(CAT), neighbourhoodIds: [NB.binnenstad], firstName: `Cen${i}` }));
    }
    statsKey = (await buildPartnerKey(t, coordinator, ["STATS_READ"], { expiresInDays: 730 })).secret;
    publicKey = (await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { expiresInDays: 730 })).secret;
    t.clock.advance(ASKED - t.clock.now().getTime());
    const asked = [];
    for (const who of residents) asked.push(await askForHelp(t, who.token, { categoryId: CAT.groceries, neighbourhoodId: NB.oudKrispijn }));
    for (let i = 0; i < 5; i++) ok(await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: asked[i].id }, volunteers[i].token));
    // Hours of informal help: five volunteers record theirs in Oud-Krispijn, two in the Binnenstad (too few to show).
    const done = async (id: string, v: Account, minutes: number) => {
      ok(await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id }, v.token));
      ok(await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id) { status } }`, { id }, v.token));
      ok(await t.gql(`mutation($r: ID!, $m: Int) { recordVolunteerHours(helpRequestId: $r, minutes: $m) { minutes } }`, { r: id, m: minutes }, v.token));
    };
    for (let i = 0; i < 5; i++) await done(asked[i].id, volunteers[i], 60 + 30 * i);
    for (let i = 0; i < 2; i++) {
      const r = await askForHelp(t, binnenstad[i].token, { categoryId: CAT.groceries, neighbourhoodId: NB.binnenstad });
      ok(await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: r.id }, centre[i].token));
      await done(r.id, centre[i], 45);
    }
    const cases: string[] = [];
    for (const who of wielwijk) {
      const r = await askForHelp(t, who.token, { categoryId: CAT.company, neighbourhoodId: NB.wielwijk });
      cases.push(ok(await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: TOO_COMPLEX) { escalationId } }`, { id: r.id }, who.token)).flagHelpRequest.escalationId);
    }
    t.clock.advance(2 * HOUR);
    for (const id of cases) {
      ok(await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id }, professional.token));
      ok(await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: PROFESSIONAL_SUPPORT) { status } }`, { id }, professional.token));
    }
    t.clock.advance(READ_AT - t.clock.now().getTime());
    if (hasBrowser) browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("a coordinator reads the year in Dutch by default, in English by Accept-Language or ?lang, with charts as SVG and the numbers in tables", async () => {
    const nl = await get("?year=2027", bearer(coordinator));
    expect(nl.status).toBe(200);
    expect(nl.headers.get("content-type")).toMatch(/text\/html/);
    expect(nl.headers.get("cache-control")).toBe("no-store");
    const html = await nl.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain("Raadsinformatie Zorgzaam 2027");
    expect(html.match(/<svg/g)?.length).toBe(4);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain("Voorbeeldtarieven");
    const en = await (await get("?year=2027", { ...bearer(coordinator), "accept-language": "en-GB,en;q=0.8" })).text();
    expect(en).toContain("Council information Zorgzaam 2027");
    expect(await (await get("?year=2027&lang=en", bearer(coordinator))).text()).toContain('<html lang="en">');
  });

  it("the CSV has every figure, withheld ones empty, totals equal to the sum of their cells, team figures and estimates with their tariff", async () => {
    const res = await get("?year=2027&format=csv", bearer(coordinator));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    const rows = (await res.text())
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    const find = (section: string, month: string, who: string, figure: string) => rows.find((r) => r[0] === section && r[1] === month && r[2] === who && r[3] === figure);
    expect(find("cell", "2027-03", "Oud-Krispijn", "requests")?.slice(4, 6)).toEqual(["7", "false"]);
    expect(find("cell", "2027-03", "Binnenstad", "requests")?.slice(4, 6)).toEqual(["", "true"]);
    // A total over a withheld cell is withheld: every month has neighbourhoods without requests.
    expect(find("total", "2027", "", "requests")?.slice(4, 6)).toEqual(["", "true"]);
    const team = rows.filter((r) => r[0] === "team" && r[3] === "cases");
    expect(team.map((r) => r.slice(4, 6))).toEqual([["6", "false"]]);
    const estimate = rows.find((r) => r[0] === "estimate (example tariffs)" && r[3] === "cases:PROFESSIONAL_SUPPORT EUR");
    expect(estimate?.slice(4)).toEqual(["12000", "false", "20 h x EUR 100"]);
  });

  it("hours of informal help equal the minutes recorded and the care shifts held, per neighbourhood and month; a few helpers' hours stay withheld, and so does every total over them", async () => {
    const db = t.app.services.db;
    const recorded = await db.read.select().from(db.tables.volunteerHours);
    const shifts = (await db.read.select().from(db.tables.careShifts)).filter((s) => s.status === "DONE" || s.status === "COVERED");
    expect(shifts).toEqual([]);
    const minutesOf = (nb: string, month: string) => recorded.filter((r) => r.neighbourhoodId === nb && r.month === month).reduce((n, r) => n + r.minutes, 0);
    const helpersOf = (nb: string, month: string) => new Set(recorded.filter((r) => r.neighbourhoodId === nb && r.month === month).map((r) => r.volunteerId)).size;
    expect(helpersOf(NB.oudKrispijn, "2027-03")).toBe(5);
    expect(helpersOf(NB.binnenstad, "2027-03")).toBe(2);
    const rows = (await (await get("?year=2027&format=csv", bearer(coordinator))).text())
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    const find = (section: string, month: string, who: string) => rows.find((r) => r[0] === section && r[1] === month && r[2] === who && r[3] === "informalHours")?.slice(4, 6);
    expect(find("cell", "2027-03", "Oud-Krispijn")).toEqual([String(minutesOf(NB.oudKrispijn, "2027-03") / 60), "false"]);
    expect(minutesOf(NB.oudKrispijn, "2027-03") / 60).toBe(10);
    expect(minutesOf(NB.binnenstad, "2027-03")).toBe(90);
    expect(find("cell", "2027-03", "Binnenstad")).toEqual(["", "true"]);
    // Totals over the withheld Binnenstad cell are withheld: its hours cannot be had by subtraction.
    expect(find("total", "2027-03", "")).toEqual(["", "true"]);
    expect(find("total", "2027-Q1", "")).toEqual(["", "true"]);
    expect(find("total", "2027", "Binnenstad")).toEqual(["", "true"]);
    expect(find("total", "2027", "")).toEqual(["", "true"]);
    const published = rows.filter((r) => r[3] === "informalHours" && r[5] === "false");
    expect(published.every((r) => r[0] !== "cell" || r[2] !== "Binnenstad")).toBe(true);
    const html = await (await get("?year=2027&lang=en", bearer(coordinator))).text();
    expect(html).toContain("Hours of informal help");
    expect(html).not.toContain("Not yet available");
  });

  it("team norms: closing within its norm equals the cases closed in time; parts resting on nobody or few stay withheld", async () => {
    const db = t.app.services.db;
    const cases = (await db.read.select().from(db.tables.escalations)).filter((e) => e.leadTeamId === TEAM.westSocial || e.coTeamId === TEAM.westSocial);
    const inTime = cases.filter((e) => e.closedAt && e.closedAt.getTime() - e.createdAt.getTime() <= 24 * HOUR);
    expect(inTime).toHaveLength(6);
    const rows = (await (await get("?year=2027&format=csv", bearer(coordinator))).text())
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    const norm = (figure: string) => rows.find((r) => r[0] === "team" && r[3] === figure)?.slice(4, 6);
    expect(norm("close:met")).toEqual([String(inTime.length), "false"]);
    expect(norm("close:missed")).toEqual(["", "true"]);
    expect(norm("close:openOverdue")).toEqual(["", "true"]);
    // Closed within two hours without a contact moment: the first-contact norm does not apply, nothing is shown.
    expect(norm("firstContact:met")).toEqual(["", "true"]);
    const html = await (await get("?year=2027&lang=en", bearer(coordinator))).text();
    expect(html).toContain("Team norms");
  });

  it("401 without credentials or with a bad key; 403 for a volunteer, a professional and a key without stats:read; a stats:read key reads it. No refusal carries a figure", async () => {
    const refusals: [Record<string, string>, number][] = [
      [{}, 401],
      [{ "x-api-key": "zz_not-a-real-key" }, 401],
      [bearer(volunteer), 403],
      [bearer(professional), 403],
      [{ "x-api-key": publicKey }, 403],
    ];
    for (const [headers, status] of refusals) {
      for (const format of ["", "&format=csv"]) {
        const res = await get(`?year=2027${format}`, headers);
        expect(res.status, JSON.stringify(headers)).toBe(status);
        const body = await res.text();
        expect(body).not.toMatch(/Oud-Krispijn|<svg|cell,|requests/);
      }
    }
    const partner = await get("?year=2027&format=csv", { "x-api-key": statsKey });
    expect(partner.status).toBe(200);
    expect(await partner.text()).toContain("cell,2027-03,Oud-Krispijn,requests,7,false");
  });

  it("councilStats gives the report's further figures through GraphQL: the same numbers as the CSV, withheld ones null with suppressed true", async () => {
    const shown = (value: number) => ({ value, suppressed: false });
    const hidden = { value: null, suppressed: true };
    const byCoordinator = ok(await t.gql(COUNCIL, { year: 2027 }, coordinator.token)).councilStats;
    expect(byCoordinator).toMatchObject({ year: 2027, areaId: null, suppressionThreshold: 5 });
    expect(byCoordinator.months).toHaveLength(12);
    const team = byCoordinator.teams.find((x: { team: { id: string } }) => x.team.id === TEAM.westSocial);
    expect(team).toMatchObject({
      cases: shown(6),
      byTrigger: [{ trigger: "FLAGGED", cases: shown(6) }],
      byOutcome: [{ outcome: "PROFESSIONAL_SUPPORT", cases: shown(6) }],
      closeNorm: { met: shown(6), missed: hidden, openOverdue: hidden },
      firstContactNorm: { met: hidden, missed: hidden, openOverdue: hidden },
    });
    const hours = byCoordinator.informalHours;
    const cell = (nb: string) =>
      hours.cells.edges.find((e: { node: { month: string; neighbourhood: { id: string } } }) => e.node.month === "2027-03" && e.node.neighbourhood.id === nb)?.node.value;
    expect(cell(NB.oudKrispijn)).toEqual(shown(10));
    // Two helpers in the Binnenstad: withheld, and so is every total over that cell.
    expect(cell(NB.binnenstad)).toEqual(hidden);
    expect(hours.perMonth.find((x: { month: string }) => x.month === "2027-03").value).toEqual(hidden);
    expect(hours.perQuarter.find((x: { quarter: string }) => x.quarter === "2027-Q1").value).toEqual(hidden);
    expect(hours.perNeighbourhood.find((x: { neighbourhood: { id: string } }) => x.neighbourhood.id === NB.binnenstad).value).toEqual(hidden);
    expect(hours.overall).toEqual(hidden);
    // No circle held a shift and nobody signalled a load: every cell rests on nobody, and is withheld like a small one.
    expect(byCoordinator.activeCareCircles.overall).toEqual(hidden);
    expect(byCoordinator.intensiveMantelzorgers.cells.edges.every((e: { node: { value: unknown } }) => JSON.stringify(e.node.value) === JSON.stringify(hidden))).toBe(true);
    // The CSV says the same.
    const rows = (await (await get("?year=2027&format=csv", bearer(coordinator))).text())
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    expect(rows.find((r) => r[0] === "cell" && r[1] === "2027-03" && r[2] === "Oud-Krispijn" && r[3] === "informalHours")?.slice(4, 6)).toEqual(["10", "false"]);
    // A stats:read key reads the same; an area narrows the neighbourhoods.
    const byKey = await keyed(t, statsKey, COUNCIL, { year: 2027 });
    expect(byKey.errors).toBeUndefined();
    expect(byKey.data.councilStats).toEqual(byCoordinator);
    const west = ok(await t.gql(COUNCIL, { year: 2027, areaId: "area_dordrecht-west" }, coordinator.token)).councilStats;
    expect(west.areaId).toBe("area_dordrecht-west");
    expect(west.informalHours.perNeighbourhood.map((x: { neighbourhood: { id: string } }) => x.neighbourhood.id)).not.toContain(NB.binnenstad);
  });

  it("councilStats is refused (FORBIDDEN, SCOPE_REQUIRED) to anonymous callers, a volunteer, a professional and a key without stats:read, and no refusal carries a figure", async () => {
    const refusals: GqlResult[] = [
      await t.gql(COUNCIL, { year: 2027 }),
      await t.gql(COUNCIL, { year: 2027 }, volunteer.token),
      await t.gql(COUNCIL, { year: 2027 }, professional.token),
      await keyed(t, publicKey, COUNCIL, { year: 2027 }),
    ];
    for (const r of refusals) {
      expect([codeOf(r), reasonOf(r)]).toEqual(["FORBIDDEN", "SCOPE_REQUIRED"]);
      expect(r.data?.councilStats ?? null).toBeNull();
    }
  });

  it.runIf(hasBrowser)("renders in Chromium with its charts and tables, prints without the download link, and axe finds nothing serious or critical", async () => {
    const context = await browser!.newContext({ extraHTTPHeaders: bearer(coordinator) });
    const page = await context.newPage();
    for (const lang of ["nl", "en"]) {
      const res = await page.goto(new URL(`/reports/council?year=2027&lang=${lang}`, t.url).toString());
      expect(res?.status()).toBe(200);
      expect(await page.locator("svg").count()).toBe(4);
      expect(await page.locator("table").count()).toBeGreaterThanOrEqual(5);
      expect(await page.locator("[role=img][aria-label]").count()).toBe(4);
      await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }
        ).axe;
        return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ["violations"] })).violations;
      });
      const serious = violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact} ${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
      expect(serious).toEqual([]);
    }
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".noprint").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    await context.close();
  });
});
