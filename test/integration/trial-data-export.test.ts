import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, buildCoordinator, buildPerson } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const FIELDS = `id status subjectId downloadUrl`;
const REQUEST = `mutation { requestDataExport { ${FIELDS} } }`;
const REQUEST_FOR = `mutation($p: ID!, $b: String!) { requestDataExportFor(personId: $p, basis: $b) { ${FIELDS} } }`;
const ONE = `query($id: ID!) { dataExport(id: $id) { ${FIELDS} } }`;
const MINE = `{ myDataExports { ${FIELDS} } }`;

const download = (t: TestApp, path: string, token?: string) => fetch(new URL(path, t.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function settled(t: TestApp, id: string, token: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await t.gql(ONE, { id }, token);
    expect(r.errors).toBeUndefined();
    if (r.data.dataExport.status !== "RUNNING") return r.data.dataExport;
    if (Date.now() > deadline) throw new Error("the export did not finish");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Data exports tried from outside: who else can reach a file full of someone's personal data. */
describe.each(backends())("data export from outside on $name", (backend) => {
  let t: TestApp;
  let head: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    head = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  it("COORDINATOR_ONLY: a volunteer or resident cannot export someone else's data, whatever the basis", async () => {
    const victim = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const nosy = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    for (const b of ["she asked me", "x".repeat(10_000)]) {
      const r = await t.gql(REQUEST_FOR, { p: victim.id, b }, nosy.token);
      expect(reasonOf(r)).toBe("COORDINATOR_ONLY");
    }
    expect((await t.gql(MINE, {}, nosy.token)).data.myDataExports).toHaveLength(0);
  });

  it("DATA_EXPORT_NOT_FOUND: a coordinator whose role was taken away no longer reads nor downloads the export they made of someone else", async () => {
    const former = await buildCoordinator(t);
    const subject = await buildPerson(t, { firstName: "Gerda", lastName: "Onderwerp", neighbourhoodId: NB.wielwijk, address: "Privéstraat 3" });
    const asked = await t.gql(REQUEST_FOR, { p: subject.id, b: "asked at the desk on Monday" }, former.token);
    expect(asked.errors).toBeUndefined();
    const job = await settled(t, asked.data.requestDataExportFor.id, former.token);
    expect(job.status).toBe("READY");
    const link = job.downloadUrl as string;
    expect((await t.gql(`mutation($p: ID!) { revokeRole(personId: $p, role: COORDINATOR) }`, { p: former.id }, head.token)).errors).toBeUndefined();

    const read = await t.gql(ONE, { id: job.id }, former.token);
    expect(read.data?.dataExport?.downloadUrl ?? null).toBeNull();
    expect(reasonOf(read)).toBe("DATA_EXPORT_NOT_FOUND");
    expect(JSON.stringify((await t.gql(MINE, {}, former.token)).data)).not.toContain(job.id);
    // The link handed out before the role went opens nothing any more, with or without their token.
    for (const token of [former.token, undefined]) {
      const res = await download(t, link, token);
      expect(res.status).not.toBe(200);
      expect(await res.text()).not.toContain("Privéstraat");
    }
    // The subject's own export is untouched by this.
    const own = await t.gql(REQUEST, {}, subject.token);
    expect(own.errors).toBeUndefined();
  });

  it("a download link refuses a garbage or expired bearer token beside it and answers only GET", async () => {
    const p = await buildPerson(t);
    const r = await t.gql(REQUEST, {}, p.token);
    const job = await settled(t, r.data.requestDataExport.id, p.token);
    for (const auth of ["Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer " + "a".repeat(5000)]) {
      const res = await fetch(new URL(job.downloadUrl, t.url), { headers: { authorization: auth } });
      expect([auth.slice(0, 12), res.status]).toEqual([auth.slice(0, 12), 403]);
    }
    expect((await download(t, job.downloadUrl, p.token)).status).toBe(200);
    expect(codeOf(await t.gql(ONE, { id: job.id }))).toBe("UNAUTHENTICATED");
  });

  // A download link is bound to the session it was read in: a link taken with a stolen session stops working
  // once its owner logs out everywhere (or the account is disabled), not only when it expires.
  it("a link read in a session that has since ended (logoutEverywhere) downloads nothing", async () => {
    const p = await buildPerson(t, { address: "Geheimweg 12" });
    const r = await t.gql(REQUEST, {}, p.token);
    const job = await settled(t, r.data.requestDataExport.id, p.token);
    expect((await t.gql(`mutation { logoutEverywhere }`, {}, p.token)).errors).toBeUndefined();
    const res = await download(t, job.downloadUrl);
    expect(await res.text()).not.toContain("Geheimweg");
    expect(res.status).not.toBe(200);
  });
});
