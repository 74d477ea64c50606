import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, HOUR, NB, TEAM, buildCoordinator, buildProfessional } from "../support/builders.js";
import { addNote, openCase } from "../support/cases.js";
import { type TestApp, reasonOf, startTestApp } from "../support/test-app.js";

const DAY = 24 * HOUR;
const QUEUE = `query($team: ID!, $overdueFor: [CaseNorm!], $triggers: [EscalationTrigger!], $nbs: [ID!], $bands: [String!], $assignee: ID, $statuses: [EscalationStatus!], $first: Int, $after: String) {
  teamQueue(teamId: $team, overdueFor: $overdueFor, triggers: $triggers, neighbourhoodIds: $nbs, ageBands: $bands, assigneeId: $assignee, statuses: $statuses, first: $first, after: $after) {
    edges { node { id firstContactBy firstContactAt firstContactOverdue closeBy closeOverdue case { ageBand } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SUMMARY = `query($team: ID!, $from: DateTimeISO, $to: DateTimeISO) { caseNormsSummary(teamId: $team, from: $from, to: $to) { cases firstContact { met missed openOverdue openInTime } close { met missed openOverdue openInTime } } }`;
const CLOSE = `mutation($id: ID!) { closeEscalation(id: $id, outcome: PROFESSIONAL_SUPPORT) { status closedAt } }`;

describe.each(backends())("case norms: first contact and closing, per urgency, on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let west: Account;
  let westColleague: Account;
  let centrum: Account;
  beforeAll(async () => {
    t = await startTestApp(backend, { FIRST_CONTACT_WITHIN_HOURS: "URGENT:4,HIGH:24,NORMAL:72,LOW:168", CLOSE_WITHIN_HOURS: "URGENT:168,HIGH:720,NORMAL:1440,LOW:2160" });
    coordinator = await buildCoordinator(t);
    west = await buildProfessional(t, TEAM.westSocial, coordinator);
    westColleague = await buildProfessional(t, TEAM.westSocial, coordinator);
    centrum = await buildProfessional(t, TEAM.centrumSocial, coordinator);
  });
  afterAll(async () => t?.close());

  const queue = async (token: string, vars: Record<string, unknown>, team = TEAM.westSocial) => {
    const r = await t.gql(QUEUE, { team, first: 50, ...vars }, token);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data.teamQueue.edges.map((e: any) => e.node) as any[];
  };
  const ids = (rows: any[]) => rows.map((r) => r.id);

  it("UNKNOWN_AGE_BAND: two teams work for three simulated months; each finds its overdue cases by filter, records contact moments, and meets or misses its closing target visibly, in the case and in its summary", async () => {
    const start = t.clock.now();
    // West: a NORMAL case contacted on day 1 (first contact 72 h, close 60 days), one never contacted, one URGENT.
    const a = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 40 });
    const b = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 70 });
    const u = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 40, urgency: "URGENT" });
    const cz = await openCase(t, { neighbourhoodId: NB.binnenstad, age: 40 });
    const caseA = (await queue(west.token, {})).find((r) => r.id === a.escalationId);
    expect(new Date(caseA.firstContactBy).getTime() - start.getTime()).toBeGreaterThanOrEqual(72 * HOUR - 60_000);
    expect(new Date(caseA.closeBy).getTime() - new Date(caseA.firstContactBy).getTime()).toBe((1440 - 72) * HOUR);
    // After 5 hours the URGENT case is past its first-contact norm (4 h), the NORMAL ones (72 h) not yet.
    t.clock.advance(5 * HOUR);
    const urgent = await queue(west.token, { overdueFor: ["FIRST_CONTACT"] });
    expect(ids(urgent)).toEqual([u.escalationId]);
    expect(urgent[0].firstContactOverdue).toBe(true);
    // Contacted now: late for U (its norm is missed), in time for A.
    await addNote(t, westColleague.token, { escalationId: u.escalationId, channel: "VISIT", body: "Huisbezoek" });
    expect((await addNote(t, west.token, { escalationId: a.escalationId, channel: "PHONE", body: "Eerste gesprek", agreed: "Bezoek volgende week" })).errors).toBeUndefined();
    expect(await queue(west.token, { overdueFor: ["FIRST_CONTACT"] })).toEqual([]);
    t.clock.advance(DAY - 5 * HOUR);
    t.clock.advance(3 * DAY);
    await t.app.services.sweeps.run();
    // Day 4: B was never contacted.
    const overdue = await queue(west.token, { overdueFor: ["FIRST_CONTACT"] });
    expect(ids(overdue)).toEqual([b.escalationId]);
    expect(overdue[0]).toMatchObject({ firstContactOverdue: true, firstContactAt: null, closeOverdue: false });
    const all = await queue(west.token, {});
    expect(all.find((r) => r.id === a.escalationId)).toMatchObject({ firstContactOverdue: false });
    expect(all.find((r) => r.id === a.escalationId).firstContactAt).not.toBeNull();
    // Centrum's queue is its own.
    expect(ids(await queue(centrum.token, { overdueFor: ["FIRST_CONTACT"] }, TEAM.centrumSocial))).toEqual([cz.escalationId]);
    await addNote(t, centrum.token, { escalationId: cz.escalationId, channel: "MEETING", body: "Gesprek op kantoor" });
    expect(await queue(centrum.token, { overdueFor: ["FIRST_CONTACT"] }, TEAM.centrumSocial)).toEqual([]);
    // B is contacted late: no longer overdue, but its norm is missed.
    await addNote(t, west.token, { escalationId: b.escalationId, channel: "PHONE", body: "Eindelijk bereikt" });
    expect(await queue(west.token, { overdueFor: ["FIRST_CONTACT"] })).toEqual([]);
    // Day 6: URGENT closes within its week; A is closed after a month (in time).
    t.clock.advance(2 * DAY);
    expect((await t.gql(CLOSE, { id: u.escalationId }, west.token)).errors).toBeUndefined();
    t.clock.advance(25 * DAY);
    await t.app.services.sweeps.run();
    expect((await t.gql(CLOSE, { id: a.escalationId }, west.token)).data.closeEscalation.status).toBe("CLOSED");
    // Day 65: B is past its 60 days, the filter finds it; Centrum's case too, in its own queue.
    t.clock.advance(34 * DAY);
    await t.app.services.sweeps.run();
    const late = await queue(west.token, { overdueFor: ["CLOSE"] });
    expect(ids(late)).toEqual([b.escalationId]);
    expect(late[0].closeOverdue).toBe(true);
    expect(ids(await queue(centrum.token, { overdueFor: ["CLOSE"] }, TEAM.centrumSocial))).toEqual([cz.escalationId]);
    const mid = await t.gql(SUMMARY, { team: TEAM.westSocial }, west.token);
    expect(mid.data.caseNormsSummary).toEqual({
      cases: 3,
      firstContact: { met: 1, missed: 2, openOverdue: 0, openInTime: 0 },
      close: { met: 2, missed: 0, openOverdue: 1, openInTime: 0 },
    });
    // Day 95: B closes late, Centrum's case stays open; both teams' summaries show it, a coordinator reads both.
    t.clock.advance(30 * DAY);
    await t.gql(CLOSE, { id: b.escalationId }, west.token);
    const westSummary = await t.gql(SUMMARY, { team: TEAM.westSocial, from: start.toISOString(), to: t.clock.now().toISOString() }, coordinator.token);
    expect(westSummary.data.caseNormsSummary.close).toEqual({ met: 2, missed: 1, openOverdue: 0, openInTime: 0 });
    const centrumSummary = await t.gql(SUMMARY, { team: TEAM.centrumSocial }, centrum.token);
    expect(centrumSummary.data.caseNormsSummary).toEqual({
      cases: 1,
      firstContact: { met: 0, missed: 1, openOverdue: 0, openInTime: 0 },
      close: { met: 0, missed: 0, openOverdue: 1, openInTime: 0 },
    });
    // A team's summary is for its members and coordinators.
    expect(reasonOf(await t.gql(SUMMARY, { team: TEAM.westSocial }, centrum.token))).toBe("NOT_A_TEAM_MEMBER");
    expect(reasonOf(await t.gql(QUEUE, { team: TEAM.westSocial, bands: ["30-40"] }, west.token))).toBe("UNKNOWN_AGE_BAND");
  });

  it("the queue's search: by trigger, neighbourhood, age band, assignee and status, keyset pages kept under a filter; a cursor of another search is refused", async () => {
    const young = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 20 });
    const old = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 85 });
    const safety = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 50, reason: "SAFETY" });
    const other = await openCase(t, { neighbourhoodId: NB.oudKrispijn, age: 50 });
    const open = ids(await queue(west.token, {}));
    expect(open).toEqual(expect.arrayContaining([young.escalationId, old.escalationId, safety.escalationId]));
    const bands = await queue(west.token, { bands: ["80+", "18-27"] });
    expect(ids(bands)).toEqual(expect.arrayContaining([young.escalationId, old.escalationId]));
    expect(bands.every((r) => ["80+", "18-27"].includes(r.case.ageBand))).toBe(true);
    expect(ids(bands)).not.toContain(safety.escalationId);
    const inWielwijk = ids(await queue(west.token, { nbs: [NB.wielwijk] }));
    expect(inWielwijk).toEqual(expect.arrayContaining([young.escalationId, old.escalationId, safety.escalationId]));
    const nbOfOther = (await t.app.services.escalation.find(other.escalationId))!;
    if (nbOfOther.leadTeamId === TEAM.westSocial) expect(inWielwijk).not.toContain(other.escalationId);
    await t.gql(`mutation($id: ID!, $p: ID!) { assignEscalation(id: $id, professionalId: $p) { id } }`, { id: old.escalationId, p: westColleague.id }, west.token);
    expect(ids(await queue(west.token, { assignee: westColleague.id }))).toEqual([old.escalationId]);
    expect(ids(await queue(west.token, { triggers: ["DIRECT_REQUEST"] }))).not.toContain(young.escalationId);
    expect(ids(await queue(west.token, { triggers: ["FLAGGED"], bands: ["18-27"], nbs: [NB.wielwijk] }))).toContain(young.escalationId);
    // Keyset pages through a filtered queue: one at a time, the same cases in the same order.
    const filter = { nbs: [NB.wielwijk], statuses: ["NEW", "ACKNOWLEDGED", "IN_CARE"] };
    const whole = ids(await queue(west.token, filter));
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const r: any = await t.gql(QUEUE, { team: TEAM.westSocial, ...filter, first: 1, after }, west.token);
      paged.push(...r.data.teamQueue.edges.map((e: any) => e.node.id));
      if (!r.data.teamQueue.pageInfo.hasNextPage) break;
      after = r.data.teamQueue.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole);
    const first = await t.gql(QUEUE, { team: TEAM.westSocial, ...filter, first: 1 }, west.token);
    const wrong = await t.gql(QUEUE, { team: TEAM.westSocial, nbs: [NB.oudKrispijn], first: 1, after: first.data.teamQueue.pageInfo.endCursor }, west.token);
    expect(reasonOf(wrong)).toBe("INVALID_CURSOR");
  });
});
