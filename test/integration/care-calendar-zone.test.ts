import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAT, HOUR, NB, buildPerson } from "../support/builders.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { type TestApp, gql } from "../support/test-app.js";

/** Wall-clock time in Amsterdam, e.g. "2026-12-08 10:00". */
const amsterdam = (at: Date) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(at);

/**
 * The feed is read the way a phone reads it: by a calendar parser that knows nothing of the server's
 * zone. The server runs in a zone that is neither UTC nor Amsterdam, and the feed is parsed again in a
 * process in yet another zone, so any time written in the server's own zone shows up as hours off.
 */
describe("the iCalendar feed of a server in another time zone", () => {
  let server: ServerProcess;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "zorgzaam-tz-"));
    server = await startServerProcess({
      TZ: "America/Sao_Paulo",
      DATABASE_URL: join(dir, "tz.sqlite"),
      JWT_SECRET: "calendar-zone-test-secret-long-enough-for-hs256",
      SEED_ON_EMPTY: "true",
      SWEEP_INTERVAL_MS: "0",
      LOG_LEVEL: "info",
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes every shift as a UTC instant, read back at its Amsterdam time by a parser in a third zone", async () => {
    const t = { gql: (q: string, v?: Record<string, unknown>, token?: string) => gql(server.url, q, v, token) } as unknown as TestApp;
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Henk" });
    const c = await t.gql(
      `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
      { i: { name: "Zorg voor moeder", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } },
      carer.token,
    );
    expect(c.errors).toBeUndefined();
    const circleId = c.data.createCareCircle.id as string;
    const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(Date.now() + 24 * HOUR));
    // 10:00 and a late one at 23:30, which falls on another date in UTC and in the server's zone.
    for (const [title, time] of [
      ["Boodschappen", "10:00"],
      ["Avondronde", "23:30"],
    ]) {
      const r = await t.gql(
        `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`,
        { c: circleId, i: { title, categoryId: CAT.groceries, startDate: tomorrow, startTime: time, durationMinutes: 60, weekdays: [1, 2, 3, 4, 5, 6, 7] } },
        carer.token,
      );
      expect(r.errors).toBeUndefined();
    }
    const shifts = (
      await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts(first: 6) { edges { node { id title startsAt endsAt } } } } }`, { c: circleId }, carer.token)
    ).data.careCircle.shifts.edges.map((e: any) => e.node);
    for (const s of shifts)
      expect(await t.gql(`mutation($id: ID!) { claimCareShift(id: $id) { status } }`, { id: s.id }, carer.token)).toMatchObject({
        data: { claimCareShift: { status: "COVERED" } },
      });
    const url = (await t.gql(`mutation($c: ID!) { careCalendarFeed(circleId: $c) }`, { c: circleId }, carer.token)).data.careCalendarFeed as string;
    const res = await fetch(new URL(new URL(url).pathname, server.url));
    expect(res.status).toBe(200);
    const body = await res.text();

    // Every instant is UTC: no floating local times, no zone the server made up.
    const times = body.split(/\r?\n/).filter((l) => /^(DTSTART|DTEND|DTSTAMP)/.test(l));
    expect(times.length).toBe(shifts.length * 3);
    for (const line of times) expect(line).toMatch(/^(DTSTART|DTEND|DTSTAMP):\d{8}T\d{6}Z$/);

    // Parsed here...
    const events = new ICAL.Component(ICAL.parse(body)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const expected = Object.fromEntries(shifts.map((s: any) => [s.id, { start: amsterdam(new Date(s.startsAt)), end: amsterdam(new Date(s.endsAt)), title: s.title }]));
    for (const e of events) {
      expect({ start: amsterdam(e.startDate.toJSDate()), end: amsterdam(e.endDate.toJSDate()), title: e.summary }).toEqual(expected[e.uid]);
    }
    expect(
      Object.values(expected)
        .map((x: any) => x.start.slice(11))
        .sort(),
    ).toEqual(["10:00", "10:00", "10:00", "23:30", "23:30", "23:30"]);

    // ...and by a parser in a process in a zone that is neither UTC, Amsterdam nor the server's.
    const script = `import ICAL from "ical.js"; let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const evs = new ICAL.Component(ICAL.parse(s)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
      console.log(JSON.stringify(evs.map((e) => [e.uid, e.startDate.toJSDate().toISOString()])));
    });`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { input: body, env: { ...process.env, TZ: "Pacific/Kiritimati" }, encoding: "utf8" });
    const parsed = Object.fromEntries(JSON.parse(out) as [string, string][]);
    for (const s of shifts) expect(amsterdam(new Date(parsed[s.id]))).toBe(expected[s.id].start);
  }, 60_000);
});
