import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { backends } from "../support/backends.js";
import { type Account, CAT, askForHelp, buildCoordinator, buildOrganisation, buildPerson, buildVolunteer, type OrganisationFixture, TEAM } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, codeOf, gql, reasonOf, startSecondInstance, startTestApp } from "../support/test-app.js";

const TAKE_ON = `mutation($id: ID!, $o: ID!, $a: ID!) { takeOnHelpRequest(id: $id, organisationId: $o, assigneeId: $a) { id status } }`;
const CONTACT = `query($id: ID!) { helpRequest(id: $id) { contact { fullName address } } }`;
const ADD = `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`;
const VERIFY = `{ verifyAccessLog { ok checked unchained anchorSeq headSeq broken { kind seq entryId detail } } }`;
const MY_LOG = `{ accessLog(first: 100) { edges { node { id purpose fields objectId objectType result readerRoles readerTeam readerOrganisations clientAddress apiClientId reader { id firstName } } } } }`;

/** Raw SQL on the test's database, as someone with access to the database server could run it. */
function rawSql(t: TestApp, backend: string) {
  return async (sql: string): Promise<Record<string, unknown>[]> => {
    if (backend === "postgres") {
      const c = new pg.Client({ connectionString: t.databaseUrl });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    }
    const db = new BetterSqlite3(t.databaseUrl);
    try {
      db.pragma("busy_timeout = 5000");
      const stmt = db.prepare(sql);
      return stmt.reader ? (stmt.all() as Record<string, unknown>[]) : (stmt.run(), []);
    } finally {
      db.close();
    }
  };
}

describe.each(backends())("the access log's hash chain on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let org: OrganisationFixture;
  let mo: Account;
  let resident: Account;
  let requestId: string;
  let sql: ReturnType<typeof rawSql>;
  const verify = async () => {
    const r = await t.gql(VERIFY, {}, coordinator.token);
    expect(r.errors).toBeUndefined();
    return r.data.verifyAccessLog;
  };

  beforeAll(async () => {
    t = await startTestApp(backend);
    sql = rawSql(t, backend.name);
    coordinator = await buildCoordinator(t);
    org = await buildOrganisation(t, { coordinator, name: "Wijkwinkel Keten" });
    mo = await buildVolunteer(t, { firstName: "Mo", categoryIds: [CAT.paperwork] });
    expect((await t.gql(ADD, { o: org.id, p: mo.id }, org.organiser.token)).errors).toBeUndefined();
    resident = await buildPerson(t, { firstName: "Truus", lastName: "Bakker", address: "Dorpsstraat 9" });
    requestId = (await askForHelp(t, resident.token, { categoryId: CAT.paperwork, title: "Hulp bij formulieren" })).id;
    expect((await t.gql(TAKE_ON, { id: requestId, o: org.id, a: mo.id }, org.organiser.token)).errors).toBeUndefined();
  });
  afterAll(async () => t?.close());

  it("a read through the API leaves an entry with who, in which role and organisation, what, whose, why, when, from where and the result", async () => {
    const seen = await t.gql(CONTACT, { id: requestId }, mo.token);
    expect(seen.data.helpRequest.contact).toEqual({ fullName: "Truus Bakker", address: "Dorpsstraat 9" });

    const all = await t.gql(
      `query($s: ID!) { accessLog(subjectId: $s) { edges { node { id at ${MY_LOG.match(/node \{ id (.*) \} \} \} \}$/)![1]} subject { id } } } } }`,
      { s: resident.id },
      coordinator.token,
    );
    expect(all.errors).toBeUndefined();
    const entry = all.data.accessLog.edges[0].node;
    expect(entry).toMatchObject({
      purpose: "assigned by organisation",
      fields: ["fullName", "address", "phone"],
      objectId: requestId,
      objectType: "HelpRequest",
      result: "GRANTED",
      readerRoles: ["RESIDENT", "VOLUNTEER"],
      readerTeam: null,
      readerOrganisations: ["Wijkwinkel Keten"],
      apiClientId: null,
      reader: { id: mo.id, firstName: "Mo" },
      subject: { id: resident.id },
    });
    expect(entry.clientAddress).toMatch(/127\.0\.0\.1|::1/);
    expect(Date.parse(entry.at)).toBeGreaterThan(0);
    // Stored with its place in the chain and its request id.
    const [row] = await sql(`select seq, prev_hash, hash, request_id from access_log where id = '${entry.id}'`);
    expect(row).toMatchObject({ prev_hash: expect.stringMatching(/^[0-9a-f]{64}$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/), request_id: expect.any(String) });
    expect(Number(row!.seq)).toBeGreaterThan(0);
    expect(await verify()).toMatchObject({ ok: true, checked: Number(row!.seq), unchained: 0, anchorSeq: 0, headSeq: Number(row!.seq), broken: null });
  });

  it("the person sees who read their data by role and organisation, not where from", async () => {
    const mine = await t.gql(MY_LOG, {}, resident.token);
    expect(mine.errors).toBeUndefined();
    const nodes = mine.data.accessLog.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) {
      expect(n).toMatchObject({ readerRoles: ["RESIDENT", "VOLUNTEER"], readerOrganisations: ["Wijkwinkel Keten"], readerTeam: null, reader: { id: mo.id, firstName: "Mo" } });
      // The reader's address and app are theirs, not the person's: only a coordinator sees them.
      expect(n.clientAddress).toBeNull();
      expect(n.apiClientId).toBeNull();
    }
    // Mo joins a social team: the next read shows the team; the earlier entries keep what was true then.
    const granted = await t.gql(
      `mutation($id: ID!, $team: ID!) { grantRole(personId: $id, role: PROFESSIONAL, teamId: $team) }`,
      { id: mo.id, team: TEAM.westSocial },
      coordinator.token,
    );
    expect(granted.errors).toBeUndefined();
    expect((await t.gql(CONTACT, { id: requestId }, mo.token)).errors).toBeUndefined();
    const later = (await t.gql(MY_LOG, {}, resident.token)).data.accessLog.edges.map((e: any) => e.node);
    expect(later).toHaveLength(nodes.length + 1);
    expect(later[0]).toMatchObject({
      readerRoles: ["PROFESSIONAL", "RESIDENT", "VOLUNTEER"],
      readerTeam: "Sociaal team Dordrecht West",
      readerOrganisations: ["Wijkwinkel Keten"],
    });
    expect(later.slice(1)).toEqual(nodes);
    // Someone else's log stays closed.
    const other = await t.gql(`query($s: ID!) { accessLog(subjectId: $s) { edges { node { id } } } }`, { s: resident.id }, mo.token);
    expect(reasonOf(other)).toBe("ACCESS_LOG_OF_OTHERS");
  });

  it("ACCESS_LOG_VERIFY_COORDINATOR_ONLY: a volunteer, the person, an organiser, anonymous and a partner key cannot verify the access log", async () => {
    for (const who of [mo, resident, org.organiser]) {
      const r = await t.gql(VERIFY, {}, who.token);
      expect([codeOf(r), reasonOf(r)]).toEqual(["FORBIDDEN", "ACCESS_LOG_VERIFY_COORDINATOR_ONLY"]);
      expect(r.data?.verifyAccessLog ?? null).toBeNull();
    }
    expect(codeOf(await t.gql(VERIFY))).toBe("UNAUTHENTICATED");
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const keyedRun = await keyed(t, key.secret, VERIFY);
    expect(codeOf(keyedRun)).toBe("FORBIDDEN");
    expect(keyedRun.data?.verifyAccessLog ?? null).toBeNull();
  });

  it("concurrent reads through two app instances on one database keep one unbroken chain", async () => {
    const second: App = await startSecondInstance(t, backend, { DEFAULT_LANGUAGE: "en" });
    try {
      const before = (await verify()).headSeq as number;
      const reads = Array.from({ length: 40 }, (_, i) => gql(i % 2 ? second.url : t.url, CONTACT, { id: requestId }, mo.token));
      const answers = await Promise.all(reads);
      for (const a of answers) expect(a.data.helpRequest.contact.fullName).toBe("Truus Bakker");
      const report = await verify();
      expect(report).toMatchObject({ ok: true, broken: null, headSeq: before + 40, checked: before + 40 });
      const [n] = await sql(`select count(*) as n, count(distinct prev_hash) as links from access_log`);
      expect(Number(n!.n)).toBe(before + 40);
      // No two entries link to the same predecessor: the chain did not fork.
      expect(Number(n!.links)).toBe(before + 40);
    } finally {
      await second.close();
    }
  });

  it("an altered, reordered or removed entry is reported as the first broken link", async () => {
    const head = (await verify()).headSeq as number;
    expect(head).toBeGreaterThan(10);
    const idAt = async (seq: number) => (await sql(`select id from access_log where seq = ${seq}`))[0]!.id as string;

    // Altered: one field of entry 5.
    await sql(`update access_log set purpose = 'curiosity' where seq = 5`);
    expect((await verify()).broken).toMatchObject({ kind: "ALTERED_ENTRY", seq: 5, entryId: await idAt(5) });
    await sql(`update access_log set purpose = 'assigned by organisation' where seq = 5`);
    expect((await verify()).ok).toBe(true);

    // Reordered: entries 7 and 8 swap places.
    const seven = await idAt(7);
    await sql(`update access_log set seq = -1 where seq = 7`);
    await sql(`update access_log set seq = 7 where seq = 8`);
    await sql(`update access_log set seq = 8 where seq = -1`);
    const swapped = await verify();
    expect(swapped.ok).toBe(false);
    expect(swapped.broken).toMatchObject({ kind: "BROKEN_LINK", seq: 7 });
    await sql(`update access_log set seq = -1 where seq = 8`);
    await sql(`update access_log set seq = 8 where seq = 7`);
    await sql(`update access_log set seq = 7 where seq = -1`);
    expect(await idAt(7)).toBe(seven);
    expect((await verify()).ok).toBe(true);

    // Removed from the end: the chain stops short of its recorded head.
    await sql(`create table removed_tail as select * from access_log where seq = ${head}`);
    await sql(`delete from access_log where seq = ${head}`);
    expect((await verify()).broken).toMatchObject({ kind: "HEAD_MISMATCH", seq: head - 1 });
    await sql(`insert into access_log select * from removed_tail`);
    expect((await verify()).ok).toBe(true);

    // Retention prunes a prefix and moves the anchor: what is left still verifies.
    const cut = (await sql(`select at from access_log where seq = 4`))[0]!.at;
    const cutAt = cut instanceof Date ? cut : new Date(Number(cut));
    const pruned = await t.app.services.accessLog.pruneBefore(new Date(cutAt.getTime() + 1));
    expect(pruned).toBeGreaterThanOrEqual(4);
    const afterPrune = await verify();
    expect(afterPrune).toMatchObject({ ok: true, broken: null });
    expect(afterPrune.anchorSeq).toBeGreaterThanOrEqual(4);
    // Deleting further from the start without moving the anchor is caught.
    const first = afterPrune.anchorSeq + 1;
    await sql(`delete from access_log where seq = ${first}`);
    expect((await verify()).broken).toMatchObject({ kind: "MISSING_ENTRY", seq: first });

    // Removed from the middle.
    await sql(`delete from access_log where seq = 20`);
    expect((await verify()).broken).toMatchObject({ kind: "MISSING_ENTRY", seq: first });
  });
});
