import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, askForHelp, buildCoordinator, buildOrganisation, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const TAKE_ON = `mutation($id: ID!, $o: ID!, $a: ID!) { takeOnHelpRequest(id: $id, organisationId: $o, assigneeId: $a) { id status } }`;
const CONTACT = `query($id: ID!) { helpRequest(id: $id) { contact { fullName } } }`;
const ADD = `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`;
const VERIFY = `{ verifyAccessLog { ok checked anchorSeq headSeq broken { kind seq } } }`;
const LOG = `query($s: ID!) { accessLog(subjectId: $s, first: 100) { edges { node { id at } } } }`;
const REPORT = `query { retentionReport { kinds { kind removed pseudonymised } } }`;

/**
 * The access log is kept RETENTION_ACCESS_LOG_YEARS (5) and then pruned from its oldest end by its own
 * module, which moves the hash chain's anchor past what it removes: what remains still verifies.
 */
describe.each(backends())("the access log's retention on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let mo: Account;
  let resident: Account;
  let requestId: string;

  const ok = <T>(r: { data?: T; errors?: unknown }): T => {
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const advanceDays = async (days: number) => {
    // advanceClock takes at most a year at a time.
    for (let left = days; left > 0; left -= Math.min(left, 360))
      ok(await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: Math.min(left, 360) * 24 }, coordinator.token));
  };
  const sweep = async () => ok(await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token));
  const entries = async () => ok<{ accessLog: { edges: { node: { id: string; at: string } }[] } }>(await t.gql(LOG, { s: resident.id }, coordinator.token)).accessLog.edges;

  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true" });
    coordinator = await buildCoordinator(t);
    const org = await buildOrganisation(t, { coordinator, name: "Wijkwinkel Bewaren" });
    mo = await buildVolunteer(t, { firstName: "Mo", categoryIds: [CAT.paperwork] });
    ok(await t.gql(ADD, { o: org.id, p: mo.id }, org.organiser.token));
    resident = await buildPerson(t, { firstName: "Truus", lastName: "Bakker" });
    requestId = (await askForHelp(t, resident.token, { categoryId: CAT.paperwork, title: "Formulieren" })).id;
    ok(await t.gql(TAKE_ON, { id: requestId, o: org.id, a: mo.id }, org.organiser.token));
  });
  afterAll(async () => t?.close());

  it("removes entries older than five years from the oldest end, keeps the newer ones, counts them once, and the chain still verifies", async () => {
    ok(await t.gql(CONTACT, { id: requestId }, mo.token));
    ok(await t.gql(CONTACT, { id: requestId }, mo.token));
    const old = (await entries()).map((e) => e.node.id);
    expect(old.length).toBeGreaterThanOrEqual(2);

    // Four years on: a newer read. A day short of five years after the first: nothing is due.
    await advanceDays(4 * 365);
    ok(await t.gql(CONTACT, { id: requestId }, mo.token));
    await advanceDays(365);
    await sweep();
    expect((await entries()).map((e) => e.node.id)).toEqual(expect.arrayContaining(old));

    // Past five years for the first reads, not for the newer one.
    await advanceDays(3);
    await sweep();
    await sweep();
    const left = (await entries()).map((e) => e.node.id);
    for (const id of old) expect(left).not.toContain(id);
    expect(left).toHaveLength(1);

    const report = ok<{ retentionReport: { kinds: { kind: string; removed: number }[] } }>(await t.gql(REPORT, {}, coordinator.token)).retentionReport;
    expect(report.kinds.find((k) => k.kind === "accessLog")?.removed).toBeGreaterThanOrEqual(old.length);
    const v = ok<{ verifyAccessLog: { ok: boolean; broken: unknown[]; anchorSeq: number } }>(await t.gql(VERIFY, {}, coordinator.token)).verifyAccessLog;
    expect(v.ok).toBe(true);
    expect(v.broken ?? []).toEqual([]);
    expect(v.anchorSeq).toBeGreaterThan(0);
  });
});
