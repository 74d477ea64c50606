import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, TEAM, buildCoordinator, buildProfessional } from "../support/builders.js";
import { MATCH, type Programme, buildBuddy, buildProgramme, participantAccount, refer } from "../support/buddy-builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const REGISTERED = Date.parse("2027-01-10T08:00:00Z");
const MATCHED = Date.parse("2027-02-10T08:00:00Z");
const READ_AT = Date.parse("2027-04-15T08:00:00Z");

const FIGURES = `query($id: ID!, $from: String, $to: String) {
  buddyProgramme(id: $id) { figures(from: $from, to: $to) { month waiting { value suppressed } matched { value suppressed } started { value suppressed } ended { value suppressed } endedWell { value suppressed } meanDurationDays { value suppressed } } }
}`;

/**
 * The council report shows each buddy programme per month as the programme's own figures: six people
 * referred in January, five matched in February. February's starts equal the matches in the rows; the
 * one person still waiting is withheld, in the report as in the programme's figures.
 */
describe.each(backends())("buddy programmes in the council report on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let p: Programme;

  beforeAll(async () => {
    t = await startTestApp(backend, { TOKEN_TTL_SECONDS: String(365 * 24 * 3600) });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    p = await buildProgramme(t);
    const prof = await buildProfessional(t, TEAM.westSocial, coordinator);
    const participants: string[] = [];
    for (let i = 0; i < 6; i++) {
      const person = await participantAccount(t, `Deelnemer${i}`, NB.wielwijk);
      participants.push((await refer(t, prof.token, p.id, { personId: person.id })).id);
      t.clock.advance(3600_000);
    }
    const buddies = [];
    for (let i = 0; i < 5; i++) buddies.push(await buildBuddy(t, p, { firstName: `Maatje${i}` }));
    t.clock.advance(MATCHED - t.clock.now().getTime());
    for (let i = 0; i < 5; i++) {
      const r = await t.gql(MATCH, { input: { participantId: participants[i], buddyId: buddies[i].id } }, p.org.organiser.token);
      expect(r.errors).toBeUndefined();
    }
    t.clock.advance(READ_AT - t.clock.now().getTime());
    await t.app.services.sweeps.run();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("February's starts equal the matches in the rows; every month equals the programme's own figures; the one waiting person is withheld", async () => {
    const db = t.app.services.db;
    const matches = (await db.read.select().from(db.tables.buddyMatches)).filter((m) => m.programmeId === p.id);
    const february = matches.filter((m) => m.startedAt.getTime() >= Date.parse("2027-01-31T23:00:00Z") && m.startedAt.getTime() < Date.parse("2027-02-28T23:00:00Z"));
    expect(february).toHaveLength(5);
    const res = await fetch(new URL("/reports/council?year=2027&format=csv", t.url), { headers: { authorization: `Bearer ${coordinator.token}` } });
    expect(res.status).toBe(200);
    const rows = (await res.text())
      .trim()
      .split("\r\n")
      .map((l) => l.split(","))
      .filter((r) => r[0] === "buddy" && r[2] === "Taalmaatjes Dordrecht");
    const find = (month: string, figure: string) => rows.find((r) => r[1] === month && r[3] === figure)?.slice(4, 6);
    expect(find("2027-02", "started")).toEqual([String(february.length), "false"]);
    expect(find("2027-02", "matched")).toEqual(["5", "false"]);
    expect(find("2027-02", "waiting")).toEqual(["", "true"]);
    expect(find("2027-01", "waiting")).toEqual(["6", "false"]);
    const own = (await t.gql(FIGURES, { id: p.id, from: "2027-01", to: "2027-12" }, coordinator.token)).data.buddyProgramme.figures;
    expect(own).toHaveLength(12);
    for (const m of own) {
      for (const key of ["waiting", "matched", "started", "ended", "endedWell", "meanDurationDays"]) {
        expect(find(m.month, key), `${m.month} ${key}`).toEqual([m[key].value === null ? "" : String(m[key].value), String(m[key].suppressed)]);
      }
    }
    const html = await (await fetch(new URL("/reports/council?year=2027&lang=en", t.url), { headers: { authorization: `Bearer ${coordinator.token}` } })).text();
    expect(html).toContain("Programme: Taalmaatjes Dordrecht");
    // Through GraphQL, councilStats gives the programme's own figures, the withheld waiting person null.
    const council = await t.gql(
      `query($year: Int!) { councilStats(year: $year) { buddyProgrammes { programmeId name months { month waiting { value suppressed } matched { value suppressed } started { value suppressed } ended { value suppressed } endedWell { value suppressed } meanDurationDays { value suppressed } } } } }`,
      { year: 2027 },
      coordinator.token,
    );
    expect(council.errors).toBeUndefined();
    const programme = council.data.councilStats.buddyProgrammes.find((x: { programmeId: string }) => x.programmeId === p.id);
    expect(programme.name).toBe("Taalmaatjes Dordrecht");
    expect(programme.months).toEqual(own);
    expect(programme.months.find((m: { month: string }) => m.month === "2027-02").waiting).toEqual({ value: null, suppressed: true });
  });
});
