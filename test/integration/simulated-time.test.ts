import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

/**
 * What scenario scripts do: move the server's clock over the API (`advanceClock`) and run the
 * time-based rules (`runSweeps`), on a server started with CLOCK_CONTROL=true.
 */
const ADVANCE = `mutation($h: Float!) { advanceClock(hours: $h) }`;
const SWEEP = `mutation { runSweeps { expiredRequests gapsPosted missedShifts escalationsRaised } }`;
const QUEUE = `query($team: ID!) { teamQueue(teamId: $team, first: 100) { edges { node { id trigger leadTeam { id } } } } }`;
const STATE = `query($id: ID!) { helpRequest(id: $id) { status escalation { escalationId status } history { toStatus } } }`;

/** A window from `startInHours` to `endInHours` after the server's now. */
function win(t: TestApp, startInHours: number, endInHours: number) {
  const now = t.clock.now().getTime();
  return { windowStart: new Date(now + startInHours * HOUR).toISOString(), windowEnd: new Date(now + endInHours * HOUR).toISOString() };
}

describe.each(backends())("simulated time over the API on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let westSocial: Account;
  let centrumSocial: Account;
  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true" });
    coordinator = await buildCoordinator(t);
    westSocial = await buildProfessional(t, TEAM.westSocial, coordinator);
    centrumSocial = await buildProfessional(t, TEAM.centrumSocial, coordinator);
  });
  afterAll(async () => t?.close());

  const advance = async (hours: number) => {
    const r = await t.gql(ADVANCE, { h: hours }, coordinator.token);
    expect(r.errors).toBeUndefined();
  };
  const sweep = async () => {
    const r = await t.gql(SWEEP, {}, coordinator.token);
    expect(r.errors).toBeUndefined();
    return r.data.runSweeps as { expiredRequests: number; gapsPosted: number; missedShifts: number; escalationsRaised: number };
  };
  const state = async (id: string, token: string) => (await t.gql(STATE, { id }, token)).data.helpRequest;

  it("UNAUTHENTICATED, COORDINATOR_ONLY: only a coordinator may move the clock or run the sweeps, even with CLOCK_CONTROL on", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const before = (await t.gql(`{ serverTime }`)).data.serverTime;
    for (const doc of [ADVANCE, SWEEP]) {
      const anonymous = await t.gql(doc, { h: 100 });
      expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
      expect(anonymous.data).toBeNull();
      for (const who of [resident, volunteer]) {
        const r = await t.gql(doc, { h: 100 }, who.token);
        expect(codeOf(r)).toBe("FORBIDDEN");
        expect(reasonOf(r)).toBe("COORDINATOR_ONLY");
      }
    }
    const after = (await t.gql(`{ serverTime }`)).data.serverTime;
    expect(new Date(after).getTime() - new Date(before).getTime()).toBeLessThan(60_000);
    const allowed = await t.gql(ADVANCE, { h: 0 }, coordinator.token);
    expect(allowed.errors).toBeUndefined();
  });

  it("ages requests past each urgency's limit: each lands in its area's team queue exactly once, however often and late the sweeps run", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const ask = (urgency: string, neighbourhoodId: string, window: object) => askForHelp(t, resident.token, { urgency, neighbourhoodId, ...window });
    // Windows that outlast each limit (URGENT 4 h, HIGH 24 h, NORMAL 72 h, LOW 7 days).
    const west = {
      URGENT: await ask("URGENT", NB.wielwijk, win(t, 1, 30 * 24)),
      HIGH: await ask("HIGH", NB.wielwijk, win(t, 1, 30 * 24)),
      NORMAL: await ask("NORMAL", NB.wielwijk, win(t, 1, 30 * 24)),
      LOW: await ask("LOW", NB.wielwijk, win(t, 1, 30 * 24)),
    };
    const centrum = await ask("NORMAL", NB.binnenstad, win(t, 1, 30 * 24));
    // The limit comes while the window is open, but the clock jumps past both: escalated, as on time.
    const limitFirst = await ask("NORMAL", NB.wielwijk, win(t, 24, 80));
    // The window ends before the limit: it expires, as it would have on time, and goes to nobody.
    const windowFirst = await ask("NORMAL", NB.wielwijk, win(t, 24, 48));

    const expectStatuses = async (expected: Record<string, string>) => {
      const ids: Record<string, string> = {
        URGENT: west.URGENT.id,
        HIGH: west.HIGH.id,
        NORMAL: west.NORMAL.id,
        LOW: west.LOW.id,
        centrum: centrum.id,
        limitFirst: limitFirst.id,
        windowFirst: windowFirst.id,
      };
      const actual: Record<string, string> = {};
      for (const key of Object.keys(expected)) actual[key] = (await state(ids[key], resident.token)).status;
      expect(actual).toEqual(expected);
    };

    await advance(5);
    await Promise.all([sweep(), sweep(), sweep()]);
    await expectStatuses({ URGENT: "ESCALATED", HIGH: "OPEN", NORMAL: "OPEN", LOW: "OPEN" });
    await advance(20);
    await sweep();
    await expectStatuses({ URGENT: "ESCALATED", HIGH: "ESCALATED", NORMAL: "OPEN", LOW: "OPEN" });
    // One late sweep after a jump of four days.
    await advance(96);
    await Promise.all([sweep(), sweep()]);
    await expectStatuses({ NORMAL: "ESCALATED", LOW: "OPEN", centrum: "ESCALATED", limitFirst: "ESCALATED", windowFirst: "EXPIRED" });
    await advance(48);
    await sweep();
    await sweep();
    await expectStatuses({ LOW: "ESCALATED", windowFirst: "EXPIRED" });

    const westQueue = (await t.gql(QUEUE, { team: TEAM.westSocial }, westSocial.token)).data.teamQueue.edges.map((e: any) => e.node);
    const centrumQueue = (await t.gql(QUEUE, { team: TEAM.centrumSocial }, centrumSocial.token)).data.teamQueue.edges.map((e: any) => e.node);
    const caseOf = async (id: string) => (await state(id, resident.token)).escalation.escalationId as string;
    for (const r of [...Object.values(west), limitFirst]) {
      const id = await caseOf(r.id);
      expect(westQueue.filter((e: any) => e.id === id)).toHaveLength(1);
      expect(westQueue.find((e: any) => e.id === id)).toMatchObject({ trigger: "OPEN_TOO_LONG", leadTeam: { id: TEAM.westSocial } });
      expect(centrumQueue.map((e: any) => e.id)).not.toContain(id);
    }
    const centrumCase = await caseOf(centrum.id);
    expect(centrumQueue.filter((e: any) => e.id === centrumCase)).toHaveLength(1);
    expect(westQueue.map((e: any) => e.id)).not.toContain(centrumCase);
    // One case per request in the database too, and one ESCALATED step in each history.
    const db = t.app.services.db;
    const cases = (await db.read.select().from(db.tables.escalations)).filter((e) => [...Object.values(west), limitFirst, centrum].some((r) => r.id === e.helpRequestId));
    expect(cases).toHaveLength(6);
    for (const r of [...Object.values(west), limitFirst, centrum]) {
      expect((await state(r.id, resident.token)).history.filter((h: any) => h.toStatus === "ESCALATED")).toHaveLength(1);
    }
    const expired = await state(windowFirst.id, resident.token);
    expect(expired.escalation).toBeNull();
    expect(expired.history.map((h: any) => h.toStatus)).toEqual(["OPEN", "EXPIRED"]);
  });

  it("escalates each request at most once per automatic trigger: a case the team handed back stays with the informal network", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const volunteer = await buildVolunteer(t);
    const slow = await askForHelp(t, resident.token, { urgency: "URGENT", neighbourhoodId: NB.wielwijk, ...win(t, 1, 20 * 24) });
    const released = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, ...win(t, 1, 20 * 24) });
    const releaseOnce = async () => {
      await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: released.id }, volunteer.token);
      await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { id } }`, { id: released.id }, volunteer.token);
    };
    for (let i = 0; i < 3; i++) await releaseOnce();
    await advance(5);
    await sweep();
    const handBack = async (requestId: string) => {
      const { escalation } = await state(requestId, resident.token);
      for (const doc of [
        `mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`,
        `mutation($id: ID!) { closeEscalation(id: $id, outcome: HANDED_BACK, note: "Een vrijwilliger past hier beter") { status } }`,
      ]) {
        expect((await t.gql(doc, { id: escalation.escalationId }, westSocial.token)).errors).toBeUndefined();
      }
    };
    for (const r of [slow, released]) {
      expect((await state(r.id, resident.token)).status).toBe("ESCALATED");
      await handBack(r.id);
      expect((await state(r.id, resident.token)).status).toBe("OPEN");
    }
    // Open past the limit again, released again: no second case from the same trigger.
    await releaseOnce();
    await advance(100);
    await sweep();
    await sweep();
    for (const r of [slow, released]) {
      const s = await state(r.id, resident.token);
      expect(s.status).toBe("OPEN");
      expect(s.escalation.status).toBe("CLOSED");
      expect(s.history.filter((h: any) => h.toStatus === "ESCALATED")).toHaveLength(1);
    }
    // A person who flags it still reaches the team.
    const flagged = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH) { status } }`, { id: slow.id }, resident.token);
    expect(flagged.data.flagHelpRequest.status).toBe("NEW");
  });

  it("NO_TEAM_FOR_AREA: a request in an area without a team is not escalated and holds up no other sweep work", async () => {
    const area = (await t.gql(`mutation { createArea(municipality: "Zaanstad", name: "Zaandam Noord") { id } }`, {}, coordinator.token)).data.createArea.id;
    const nb = (
      await t.gql(`mutation($a: ID!) { createNeighbourhood(areaId: $a, name: "Kogerveld", latitude: 52.4571, longitude: 4.8226) { id } }`, { a: area }, coordinator.token)
    ).data.createNeighbourhood.id;
    const resident = await buildPerson(t, { neighbourhoodId: nb });
    const nowhere = await askForHelp(t, resident.token, { urgency: "URGENT", neighbourhoodId: nb, ...win(t, 1, 10) });
    const west = await askForHelp(t, resident.token, { urgency: "URGENT", neighbourhoodId: NB.wielwijk, ...win(t, 1, 10) });
    const shortOne = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, ...win(t, 1, 3) });
    const direct = await t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { status } }`, { i: { reason: "HOUSING" } }, resident.token);
    expect(codeOf(direct)).toBe("CONFLICT");
    expect(reasonOf(direct)).toBe("NO_TEAM_FOR_AREA");

    await advance(5);
    const report = await sweep();
    expect(report.escalationsRaised).toBeGreaterThanOrEqual(1);
    expect(report.expiredRequests).toBeGreaterThanOrEqual(1);
    expect((await state(west.id, resident.token)).status).toBe("ESCALATED");
    expect((await state(shortOne.id, resident.token)).status).toBe("EXPIRED");
    expect((await state(nowhere.id, resident.token)).status).toBe("OPEN");
    // Once its window passes it expires like any other request.
    await advance(6);
    await sweep();
    expect((await state(nowhere.id, resident.token)).status).toBe("EXPIRED");
  });

  it("keeps expiring and escalating when another time-based rule fails", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const urgent = await askForHelp(t, resident.token, { urgency: "URGENT", neighbourhoodId: NB.wielwijk, ...win(t, 1, 48) });
    const short = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, ...win(t, 1, 2) });
    const care = t.app.services.care;
    const original = care.sweep;
    care.sweep = async () => {
      throw new Error("care rules failed");
    };
    try {
      await advance(5);
      const report = await sweep();
      expect(report).toMatchObject({ gapsPosted: 0, missedShifts: 0 });
      expect((await state(urgent.id, resident.token)).status).toBe("ESCALATED");
      expect((await state(short.id, resident.token)).status).toBe("EXPIRED");
    } finally {
      care.sweep = original;
    }
  });

  it("SHIFT_NOT_STARTED, NOT_YOUR_SHIFT: runs a care circle through eight weeks: the horizon rolls on, each gap becomes one request that expires, shifts end DONE or MISSED", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Henk" });
    const member = await buildPerson(t, { firstName: "Lies" });
    const other = await buildPerson(t, { firstName: "Kees" });
    const circleId = (
      await t.gql(
        `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
        { i: { name: "Zorg voor moeder", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } },
        carer.token,
      )
    ).data.createCareCircle.id;
    for (const m of [member, other]) {
      const code = (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c) { code } }`, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
      expect((await t.gql(`mutation($code: String!) { joinCareCircle(code: $code) { id } }`, { code }, m.token)).errors).toBeUndefined();
    }
    const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + 24 * HOUR));
    // Tuesdays are held by a member; Fridays nobody takes, so each one is a gap.
    const task = await t.gql(
      `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`,
      { c: circleId, i: { title: "Boodschappen voor Riet", categoryId: CAT.groceries, startDate: tomorrow, startTime: "10:00", durationMinutes: 60, weekdays: [2, 5] } },
      carer.token,
    );
    expect(task.errors).toBeUndefined();
    const SHIFTS = `query($c: ID!, $from: DateTimeISO, $after: String) { careCircle(id: $c) { shifts(first: 100, from: $from, after: $after) { edges { node { id startsAt status helpRequestId assignee { id } } } pageInfo { hasNextPage endCursor } } } }`;
    const allShifts = async (from: Date) => {
      const out: any[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await t.gql(SHIFTS, { c: circleId, from: from.toISOString(), after }, carer.token)).data.careCircle.shifts;
        out.push(...page.edges.map((e: any) => e.node));
        if (!page.pageInfo.hasNextPage) return out;
        after = page.pageInfo.endCursor;
      }
    };
    const weekday = (iso: string) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", weekday: "short" }).format(new Date(iso));
    const start = t.clock.now();
    const RECORD = `mutation($id: ID!, $o: ShiftOutcome!) { recordCareShiftOutcome(id: $id, outcome: $o) { status } }`;
    let checkedRefusals = false;

    for (let day = 0; day < 56; day++) {
      const now = t.clock.now().getTime();
      for (const s of await allShifts(new Date(now))) {
        const startsIn = new Date(s.startsAt).getTime() - now;
        if (weekday(s.startsAt) === "Tue" && s.status === "OPEN" && startsIn > 0 && startsIn <= 72 * HOUR) {
          expect((await t.gql(`mutation($id: ID!) { claimCareShift(id: $id) { status } }`, { id: s.id }, member.token)).errors).toBeUndefined();
          if (!checkedRefusals) {
            const early = await t.gql(RECORD, { id: s.id, o: "DONE" }, member.token);
            expect(reasonOf(early)).toBe("SHIFT_NOT_STARTED");
            const notMine = await t.gql(RECORD, { id: s.id, o: "MISSED" }, other.token);
            expect(codeOf(notMine)).toBe("FORBIDDEN");
            expect(reasonOf(notMine)).toBe("NOT_YOUR_SHIFT");
            checkedRefusals = true;
          }
        }
      }
      await sweep();
      if (day % 3 === 0) await sweep(); // running it again changes nothing
      await advance(24);
      for (const s of await allShifts(new Date(start.getTime() - 24 * HOUR))) {
        if (s.status === "COVERED" && new Date(s.startsAt).getTime() <= t.clock.now().getTime()) {
          const r = await t.gql(RECORD, { id: s.id, o: "DONE" }, member.token);
          expect(r.data?.recordCareShiftOutcome.status).toBe("DONE");
        }
      }
    }
    expect(checkedRefusals).toBe(true);
    await sweep(); // shifts that passed on the last day

    const now = t.clock.now().getTime();
    const shifts = await allShifts(new Date(start.getTime() - 24 * HOUR));
    const past = shifts.filter((s) => new Date(s.startsAt).getTime() + HOUR <= now);
    const future = shifts.filter((s) => new Date(s.startsAt).getTime() > now);
    // Eight weeks of Tuesdays and Fridays (the last one may still be running when today is one of them).
    expect(past.length).toBeGreaterThanOrEqual(15);
    // The horizon rolled along with the clock: shifts exist up to eight weeks past the simulated now
    // (the last one up to four days short of it: Friday to Tuesday is the longest gap of this schedule).
    expect(Math.max(...future.map((s) => new Date(s.startsAt).getTime())) - now).toBeGreaterThan(51.5 * 24 * HOUR);
    const tuesdays = past.filter((s) => weekday(s.startsAt) === "Tue");
    const fridays = past.filter((s) => weekday(s.startsAt) === "Fri");
    expect(tuesdays.map((s) => [s.status, s.assignee?.id])).toEqual(tuesdays.map(() => ["DONE", member.id]));
    expect(fridays.map((s) => s.status)).toEqual(fridays.map(() => "MISSED"));
    // Each gap became exactly one volunteer request, which expired when the shift passed.
    const db = t.app.services.db;
    const requests = (await db.read.select().from(db.tables.helpRequests)).filter((r) => r.title === "Boodschappen voor Riet");
    expect(new Set(fridays.map((s) => s.helpRequestId)).size).toBe(fridays.length);
    for (const s of fridays) {
      const mine = requests.filter((r) => r.windowStart.toISOString() === s.startsAt);
      expect(mine.map((r) => r.id)).toEqual([s.helpRequestId]);
      expect(mine[0].status).toBe("EXPIRED");
    }
    expect(requests.filter((r) => tuesdays.some((s) => s.startsAt === r.windowStart.toISOString()))).toEqual([]);
  });
});

describe("simulated time is off by default", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it("CLOCK_CONTROL_DISABLED: advanceClock and runSweeps are refused unless CLOCK_CONTROL=true", async () => {
    const before = (await t.gql(`{ serverTime }`)).data.serverTime;
    for (const doc of [ADVANCE, SWEEP]) {
      const r = await t.gql(doc, { h: 100 });
      expect(codeOf(r)).toBe("FORBIDDEN");
      expect(reasonOf(r)).toBe("CLOCK_CONTROL_DISABLED");
    }
    const after = (await t.gql(`{ serverTime }`)).data.serverTime;
    expect(new Date(after).getTime() - new Date(before).getTime()).toBeLessThan(60_000);
  });
});
