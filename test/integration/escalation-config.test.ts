import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/env.js";
import { backends } from "../support/backends.js";
import { type Account, HOUR, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer, rowCounts, window } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const STATE = `query($id: ID!) { helpRequest(id: $id) { status escalation { escalationId } } }`;
const QUEUE = `query($team: ID!) { teamQueue(teamId: $team, first: 100) { edges { node { id trigger } } } }`;
const CIRCLE = `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`;

async function releaseTimes(t: TestApp, requestId: string, volunteer: Account, times: number) {
  for (let i = 0; i < times; i++) {
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: requestId }, volunteer.token)).errors).toBeUndefined();
    expect((await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { status } }`, { id: requestId }, volunteer.token)).errors).toBeUndefined();
  }
}

async function overloadedCircle(t: TestApp) {
  const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk });
  const circleId = (await t.gql(CIRCLE, { input: { name: "Zorg voor vader", careReceiver: { firstName: "Piet", neighbourhoodId: NB.wielwijk } } }, carer.token)).data
    .createCareCircle.id as string;
  expect((await t.gql(`mutation($c: ID!) { careCheckIn(circleId: $c, strain: HIGH) }`, { c: circleId }, carer.token)).errors).toBeUndefined();
  return { carer, circleId };
}

describe("escalation settings are parsed once", () => {
  it("refuses an unknown trigger name in ESCALATION_TRIGGERS and accepts NONE", () => {
    expect(() => loadConfig({ ESCALATION_TRIGGERS: "FLAGGED,SOMETIMES" })).toThrow(/ESCALATION_TRIGGERS: unknown trigger\(s\) SOMETIMES/);
    expect(loadConfig({ ESCALATION_TRIGGERS: "NONE" }).ESCALATION_TRIGGERS).toEqual([]);
    expect(loadConfig({}).ESCALATION_TRIGGERS).toEqual(["OPEN_TOO_LONG", "REPEATEDLY_RELEASED", "FLAGGED", "CARE_OVERLOAD", "DIRECT_REQUEST", "MISSED_SHIFTS", "MISSED_CHECKINS"]);
  });
});

describe.each(backends())("configured escalation triggers on $name", (backend) => {
  let t: TestApp;
  let westSocial: Account;
  beforeAll(async () => {
    t = await startTestApp(backend, {
      ESCALATE_OPEN_AFTER_HOURS: "URGENT:1,HIGH:2,NORMAL:3,LOW:4",
      ESCALATE_AFTER_RELEASES: "2",
      CARE_SUSTAINED_OVERLOAD_DAYS: "2",
      ESCALATION_TRIGGERS: "OPEN_TOO_LONG, REPEATEDLY_RELEASED, CARE_OVERLOAD",
    });
    westSocial = await buildProfessional(t, TEAM.westSocial, await buildCoordinator(t));
  });
  afterAll(async () => t?.close());

  it("applies the configured limits: open hours per urgency, releases, days of overload", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const normal = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, ...window(t, 1, 48) });
    const low = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, urgency: "LOW", ...window(t, 1, 48) });
    t.clock.advance(3.5 * HOUR);
    await t.app.services.sweeps.run();
    expect((await t.gql(STATE, { id: normal.id }, resident.token)).data.helpRequest.status).toBe("ESCALATED");
    expect((await t.gql(STATE, { id: low.id }, resident.token)).data.helpRequest.status).toBe("OPEN");
    t.clock.advance(-3.5 * HOUR);

    const volunteer = await buildVolunteer(t);
    const released = await askForHelp(t, resident.token);
    await releaseTimes(t, released.id, volunteer, 2);
    const state = (await t.gql(STATE, { id: released.id }, resident.token)).data.helpRequest;
    expect(state.status).toBe("ESCALATED");

    const { circleId } = await overloadedCircle(t);
    t.clock.advance(2.5 * 24 * HOUR);
    await t.app.services.sweeps.run();
    t.clock.advance(-2.5 * 24 * HOUR);
    const queue = (await t.gql(QUEUE, { team: TEAM.westSocial }, westSocial.token)).data.teamQueue.edges.map((e: any) => e.node);
    expect(queue.find((e: any) => e.id === state.escalation.escalationId)?.trigger).toBe("REPEATEDLY_RELEASED");
    const db = t.app.services.db;
    expect((await db.read.select().from(db.tables.escalations)).filter((e) => e.circleId === circleId).map((e) => e.trigger)).toEqual(["CARE_OVERLOAD"]);
  });

  it("ESCALATION_TRIGGER_OFF: flags and direct requests are refused when switched off, and nothing is written", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const req = await askForHelp(t, resident.token);
    const { carer, circleId } = await overloadedCircle(t);
    const before = await rowCounts(t);
    const attempts = [
      t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: SAFETY) { status } }`, { id: req.id }, resident.token),
      t.gql(`mutation($c: ID!) { flagCareCircle(circleId: $c, reason: HEALTH) { status } }`, { c: circleId }, carer.token),
      t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { status } }`, { i: { reason: "FINANCIAL" } }, resident.token),
      t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { status } }`, { i: { reason: "HOUSING", helpRequestId: req.id } }, resident.token),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(codeOf(r)).toBe("FORBIDDEN");
      expect(reasonOf(r)).toBe("ESCALATION_TRIGGER_OFF");
    }
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe.each(backends())("every time-based trigger switched off on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { ESCALATION_TRIGGERS: "FLAGGED,DIRECT_REQUEST" });
  });
  afterAll(async () => t?.close());

  it("leaves requests open too long, released requests and overloaded carers to the informal network, while flags still work", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const urgent = await askForHelp(t, resident.token, { urgency: "URGENT", ...window(t, 1, 48) });
    const volunteer = await buildVolunteer(t);
    const released = await askForHelp(t, resident.token);
    await releaseTimes(t, released.id, volunteer, 3);
    expect((await t.gql(STATE, { id: released.id }, resident.token)).data.helpRequest).toEqual({ status: "OPEN", escalation: null });
    const { circleId } = await overloadedCircle(t);
    t.clock.advance(30 * 24 * HOUR);
    await t.app.services.sweeps.run();
    expect((await t.app.services.care.sustainedOverload()).map((s) => s.circleId)).toContain(circleId); // stored, not routed
    t.clock.advance(-30 * 24 * HOUR);
    expect((await t.gql(STATE, { id: urgent.id }, resident.token)).data.helpRequest).toEqual({ status: "EXPIRED", escalation: null });
    const db = t.app.services.db;
    expect(await db.read.select().from(db.tables.escalations)).toEqual([]);
    const later = await askForHelp(t, resident.token);
    const flagged = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH) { status } }`, { id: later.id }, resident.token);
    expect(flagged.data.flagHelpRequest.status).toBe("NEW");
  });
});
