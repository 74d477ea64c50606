import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, NB, buildCoordinator } from "../support/builders.js";
import { ADD_TASK, CLAIM, buildCircle, shiftsOf } from "../support/care-circle.js";
import { type GqlResult, type TestApp, startTestApp } from "../support/test-app.js";

const REGISTERED = Date.parse("2027-01-10T08:00:00Z");
const PLANNED = Date.parse("2027-02-01T08:00:00Z");
const READ_AT = Date.parse("2027-04-15T08:00:00Z");

/**
 * Care shifts held count as hours of informal help in the care receiver's neighbourhood: a circle in
 * Wielwijk whose five members each hold a two-hour shift in February, and two of them one in March.
 * February is shown and equals the hours of the shifts in the rows; March rests on two people and is
 * withheld, as is every total over it. A shift nobody held counts for nothing.
 */
describe.each(backends())("care shifts in the council's informal hours on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let circle: { circleId: string; coordinator: Account; members: Account[] };

  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return r.data;
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { TOKEN_TTL_SECONDS: String(365 * 24 * 3600) });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    circle = await buildCircle(t, 4);
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await buildCircle(t, 0, `Ontvanger${i}`));
    t.clock.advance(PLANNED - t.clock.now().getTime());
    const people = [circle.coordinator, ...circle.members];
    const plan = async (date: string) =>
      ok(
        await t.gql(
          ADD_TASK,
          { c: circle.circleId, i: { title: "Boodschappen", categoryId: CAT.groceries, startDate: date, startTime: "10:00", durationMinutes: 120 } },
          circle.coordinator.token,
        ),
      );
    for (let i = 0; i < 5; i++) await plan(`2027-02-0${3 + i}`);
    await plan("2027-03-03");
    await plan("2027-03-04");
    await plan("2027-03-05"); // nobody holds this one
    const shifts = (await shiftsOf(t, circle.circleId, circle.coordinator.token)).sort((a: { startsAt: string }, b: { startsAt: string }) => a.startsAt.localeCompare(b.startsAt));
    expect(shifts).toHaveLength(8);
    for (let i = 0; i < 7; i++) ok(await t.gql(CLAIM, { id: shifts[i].id }, people[i % 5].token));
    // Four more circles in Wielwijk, each with one shift its coordinator holds in February: five active circles.
    for (const other of others) {
      ok(
        await t.gql(
          ADD_TASK,
          { c: other.circleId, i: { title: "Bezoek", categoryId: CAT.company, startDate: "2027-02-10", startTime: "14:00", durationMinutes: 60 } },
          other.coordinator.token,
        ),
      );
      const [shift] = await shiftsOf(t, other.circleId, other.coordinator.token);
      ok(await t.gql(CLAIM, { id: shift.id }, other.coordinator.token));
    }
    t.clock.advance(READ_AT - t.clock.now().getTime());
    await t.app.services.sweeps.run();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("February's hours equal the held shifts' hours from the rows; March (two people) and the totals over it are withheld", async () => {
    const db = t.app.services.db;
    const circles = await db.read.select().from(db.tables.careCircles);
    const inWielwijk = new Set(circles.filter((c) => c.neighbourhoodId === NB.wielwijk).map((c) => c.id));
    const held = (await db.read.select().from(db.tables.careShifts)).filter(
      (s) => inWielwijk.has(s.circleId) && s.assigneeId && (s.status === "DONE" || s.status === "COVERED") && s.endsAt.getTime() <= READ_AT,
    );
    const february = held.filter((s) => s.startsAt.toISOString().startsWith("2027-02"));
    const march = held.filter((s) => s.startsAt.toISOString().startsWith("2027-03"));
    expect(new Set(february.map((s) => s.assigneeId)).size).toBe(9);
    expect(new Set(march.map((s) => s.assigneeId)).size).toBe(2);
    const hours = february.reduce((n, s) => n + (s.endsAt.getTime() - s.startsAt.getTime()) / 3_600_000, 0);
    expect(hours).toBe(14);

    const res = await fetch(new URL("/reports/council?year=2027&format=csv", t.url), { headers: { authorization: `Bearer ${coordinator.token}` } });
    expect(res.status).toBe(200);
    const rows = (await res.text())
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    const find = (section: string, month: string, who: string) => rows.find((r) => r[0] === section && r[1] === month && r[2] === who && r[3] === "informalHours")?.slice(4, 6);
    expect(find("cell", "2027-02", "Wielwijk")).toEqual([String(hours), "false"]);
    expect(find("cell", "2027-03", "Wielwijk")).toEqual(["", "true"]);
    expect(find("cell", "2027-01", "Wielwijk")).toEqual(["", "true"]);
    expect(find("total", "2027", "Wielwijk")).toEqual(["", "true"]);
    expect(find("total", "2027-Q1", "")).toEqual(["", "true"]);
    // Running and future months are withheld whatever they hold.
    expect(find("cell", "2027-04", "Wielwijk")).toEqual(["", "true"]);

    // Active care circles: those with a shift held in the month, from the same rows.
    const circlesIn = (list: typeof held) => new Set(list.map((s) => s.circleId)).size;
    const active = (month: string) => rows.find((r) => r[0] === "cell" && r[1] === month && r[2] === "Wielwijk" && r[3] === "activeCareCircles")?.slice(4, 6);
    expect(circlesIn(february)).toBe(5);
    expect(active("2027-02")).toEqual([String(circlesIn(february)), "false"]);
    expect(circlesIn(march)).toBe(1);
    expect(active("2027-03")).toEqual(["", "true"]);
    // Nobody carries intensive load (no signal in the rows): zero is withheld like any small number.
    const signals = (await db.read.select().from(db.tables.careLoadSignals)).filter((s) => s.reason === "INTENSIVE_HOURS");
    expect(signals).toEqual([]);
    expect(rows.find((r) => r[0] === "cell" && r[1] === "2027-02" && r[2] === "Wielwijk" && r[3] === "intensiveMantelzorgers")?.slice(4, 6)).toEqual(["", "true"]);

    // The same cells through GraphQL (councilStats), withheld ones null with suppressed true.
    const council = await t.gql(
      `query($year: Int!) { councilStats(year: $year, areaId: "area_dordrecht-west") {
        informalHours { cells(first: 100) { edges { node { month neighbourhood { id } value { value suppressed } } } } }
        activeCareCircles { cells(first: 100) { edges { node { month neighbourhood { id } value { value suppressed } } } } }
        intensiveMantelzorgers { cells(first: 100) { edges { node { month neighbourhood { id } value { value suppressed } } } } } } }`,
      { year: 2027 },
      coordinator.token,
    );
    expect(council.errors).toBeUndefined();
    const cellOf = (series: string, month: string) =>
      council.data.councilStats[series].cells.edges.find(
        (e: { node: { month: string; neighbourhood: { id: string } } }) => e.node.month === month && e.node.neighbourhood.id === NB.wielwijk,
      )?.node.value;
    expect(cellOf("informalHours", "2027-02")).toEqual({ value: hours, suppressed: false });
    expect(cellOf("informalHours", "2027-03")).toEqual({ value: null, suppressed: true });
    expect(cellOf("activeCareCircles", "2027-02")).toEqual({ value: 5, suppressed: false });
    expect(cellOf("activeCareCircles", "2027-03")).toEqual({ value: null, suppressed: true });
    expect(cellOf("intensiveMantelzorgers", "2027-02")).toEqual({ value: null, suppressed: true });
  });

  it("the informal hours are not for a circle member without the coordinator's role", async () => {
    const res = await fetch(new URL("/reports/council?year=2027&format=csv", t.url), { headers: { authorization: `Bearer ${circle.members[0].token}` } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("informalHours");
    const council = await t.gql(`query { councilStats(year: 2027) { informalHours { overall { value } } } }`, {}, circle.members[0].token);
    expect(council.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "SCOPE_REQUIRED" });
    expect(council.data?.councilStats ?? null).toBeNull();
  });
});
