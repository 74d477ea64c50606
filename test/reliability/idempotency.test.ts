import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdempotencyRepository } from "../../src/modules/idempotency/idempotency.repository.js";
import { IdempotencyService } from "../../src/modules/idempotency/idempotency.service.js";
import { backends } from "../support/backends.js";
import { ASK, CAT, NB, buildCoordinator, buildPerson, buildVolunteer, askForHelp, window } from "../support/builders.js";
import { buildPartnerKey } from "../support/partners.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

describe.each(backends())("Idempotency-Key on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const post = async (body: unknown, token: string | undefined, key?: string, extra: Record<string, string> = {}) => {
    const res = await fetch(t.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(key !== undefined ? { "idempotency-key": key } : {}),
        ...extra,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, replayed: res.headers.get("idempotency-replayed"), json: (await res.json()) as any };
  };
  const askBody = (title: string) => ({ query: ASK, variables: { input: { categoryId: CAT.groceries, title, description: "Graag", ...window(t) } } });
  const countAsked = async (token: string) => (await t.gql(`{ myHelpRequests(first: 100) { edges { node { id } } } }`, {}, token)).data.myHelpRequests.edges.length;

  it("replays the stored answer for a retry with the same key instead of acting twice", async () => {
    const resident = await buildPerson(t);
    const body = askBody("Eenmalig");
    const first = await post(body, resident.token, "retry-1");
    const second = await post(body, resident.token, "retry-1");
    expect(first.replayed).toBe("false");
    expect(second.replayed).toBe("true");
    expect(second.json).toEqual(first.json);
    expect(await countAsked(resident.token)).toBe(1);
  });

  it("IDEMPOTENCY_KEY_REUSED: the same key with a different request is refused and changes nothing", async () => {
    const resident = await buildPerson(t);
    await post(askBody("Een"), resident.token, "reuse-1");
    const other = await post(askBody("Twee"), resident.token, "reuse-1");
    expect(other.status).toBe(422);
    expect(other.json.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(await countAsked(resident.token)).toBe(1);
  });

  it("turns ten concurrent retries into one effect, all answered with the same result", async () => {
    const resident = await buildPerson(t);
    const body = askBody("Gelijktijdig");
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, resident.token, "burst-1")));
    const ids = new Set(answers.map((a) => a.json.data.askForHelp.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.replayed === "false")).toHaveLength(1);
    expect(await countAsked(resident.token)).toBe(1);
    // An accept retried concurrently: one acceptance, the retries get the same success, not a CONFLICT.
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const accept = { query: `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, variables: { id: req.id } };
    const accepts = await Promise.all(Array.from({ length: 5 }, () => post(accept, volunteer.token, "accept-1")));
    expect(accepts.map((a) => a.json.data?.acceptHelpRequest?.status)).toEqual(Array(5).fill("MATCHED"));
    const h = await t.gql(`query($id: ID!) { helpRequest(id: $id) { history { toStatus } } }`, { id: req.id }, resident.token);
    expect(h.data.helpRequest.history.filter((e: any) => e.toStatus === "MATCHED")).toHaveLength(1);
  });

  it("keeps keys apart per person, replays stored errors, and refuses malformed keys", async () => {
    const a = await buildPerson(t);
    const b = await buildPerson(t);
    const body = askBody("Van A");
    await post(body, a.token, "shared-key");
    const fromB = await post(body, b.token, "shared-key");
    expect(fromB.replayed).toBe("false");
    expect(await countAsked(b.token)).toBe(1);
    const bad = { query: ASK, variables: { input: { categoryId: "cat_nope", title: "X", description: "Y", ...window(t) } } };
    const e1 = await post(bad, a.token, "err-1");
    const e2 = await post(bad, a.token, "err-1");
    expect(e1.json.errors[0].extensions.reason).toBe("UNKNOWN_CATEGORY");
    expect(e2.replayed).toBe("true");
    expect((await post(askBody("X"), a.token, "")).status).toBe(400);
    expect((await post(askBody("X"), a.token, "x".repeat(300))).status).toBe(400);
  });

  it("IDEMPOTENCY_KEY_IN_PROGRESS: a retry while another instance still runs the first request waits, then gets 409 with Retry-After and runs nothing", async () => {
    const resident = await buildPerson(t);
    const body = askBody("Nog bezig");
    // The hold another instance takes while it runs the request: its lease outlasts the retry's wait (15 s).
    const holder = new IdempotencyRepository(t.app.services.db);
    const principal = `person:${resident.id}`;
    const now = t.clock.now();
    expect(await holder.claim(principal, "held-1", IdempotencyService.hashRequest(body), now, new Date(Date.now() + 60_000))).toBe(true);
    const retry = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${resident.token}`, "idempotency-key": "held-1" },
      body: JSON.stringify(body),
    });
    expect(retry.status).toBe(409);
    expect(retry.headers.get("retry-after")).toBe("1");
    expect(await retry.json()).toEqual({
      errors: [{ message: "A request with this Idempotency-Key is still running; retry shortly.", extensions: { code: "CONFLICT", reason: "IDEMPOTENCY_KEY_IN_PROGRESS" } }],
    });
    expect(await countAsked(resident.token)).toBe(0);
    // Once the holder lets go without an answer (its request failed on our side), the next retry runs it.
    await holder.release(principal, "held-1");
    expect((await post(body, resident.token, "held-1")).replayed).toBe("false");
    expect(await countAsked(resident.token)).toBe(1);
  });

  const ACCEPT_WITH_CONTACT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { id status contact { fullName phone address } } }`;
  const LOG = `query($subjectId: ID) { accessLog(subjectId: $subjectId, first: 100) { edges { node { fields objectId reader { id } } } } }`;

  it("CONTACT_DETAILS_HIDDEN: a replay reads again with the caller's current rights: contact shown while matched (and logged), hidden after release", async () => {
    const resident = await buildPerson(t, { phone: "06 9876 5432", address: "Replaystraat 9, Dordrecht" });
    const volunteer = await buildVolunteer(t);
    const coordinator = await buildCoordinator(t);
    const req = await askForHelp(t, resident.token);
    const body = { query: ACCEPT_WITH_CONTACT, variables: { id: req.id } };
    const reads = async () => (await t.gql(LOG, { subjectId: resident.id }, coordinator.token)).data.accessLog.edges.map((e: any) => e.node);

    const first = await post(body, volunteer.token, "accept-contact");
    expect(first.json.data.acceptHelpRequest.contact.phone).toBe("06 9876 5432");
    expect(first.json.data.acceptHelpRequest).toEqual({ id: req.id, status: "MATCHED", contact: expect.any(Object) });
    const loggedFirst = (await reads()).length;
    expect(loggedFirst).toBeGreaterThan(0);

    // While matched, a replay shows the contact again, and that read is logged like any other.
    const again = await post(body, volunteer.token, "accept-contact");
    expect(again.replayed).toBe("true");
    expect(again.json).toEqual(first.json);
    const logged = await reads();
    expect(logged).toHaveLength(loggedFirst + 1);
    expect(logged.every((e: any) => e.reader.id === volunteer.id && e.objectId === req.id && e.fields.includes("phone"))).toBe(true);

    // Released: the match is over, and so is the replay's view of the contact.
    await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    const afterRelease = await post(body, volunteer.token, "accept-contact");
    expect(afterRelease.replayed).toBe("true");
    expect(JSON.stringify(afterRelease.json)).not.toContain("9876");
    expect(JSON.stringify(afterRelease.json)).not.toContain("Replaystraat");
    expect(afterRelease.json.data.acceptHelpRequest?.contact ?? null).toBeNull();
    expect(afterRelease.json.errors.map((e: any) => e.extensions.reason)).toContain("CONTACT_DETAILS_HIDDEN");
    expect(await reads()).toHaveLength(loggedFirst + 1);
  });

  it("keeps no answer in the database: the stored record holds neither contact details nor names, and not in clear", async () => {
    const resident = await buildPerson(t, { firstName: "Gerritje", phone: "06 5555 1234", address: "Opslagweg 3, Dordrecht" });
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const first = await post({ query: ACCEPT_WITH_CONTACT, variables: { id: req.id } }, volunteer.token, "stored-1");
    expect(first.json.data.acceptHelpRequest.contact.fullName).toContain("Gerritje");
    const s = t.app.services;
    const rows = await s.db.read.select().from(s.db.tables.idempotencyKeys);
    const stored = JSON.stringify(rows.filter((r) => r.key === "stored-1"));
    expect(stored).toContain("stored-1");
    for (const secret of ["Gerritje", "5555", "Opslagweg", req.id, "MATCHED"]) expect(stored).not.toContain(secret);
  });

  it("IDEMPOTENCY_KEY_NEEDS_CALLER: an anonymous caller is refused the header; partner apps' keys are kept apart from each other and from people", async () => {
    const register = (email: string) => ({
      query: `mutation($input: RegisterInput!) { register(input: $input) { me { email } } }`,
      variables: { input: { email, password: "correct horse battery", firstName: "A", lastName: "B", neighbourhoodId: "nb_dordrecht-wielwijk" } },
    });
    const anonymous = await post(register("anon-idem@test.example"), undefined, "anon-1");
    expect(anonymous.status).toBe(400);
    expect(anonymous.json.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", reason: "IDEMPOTENCY_KEY_NEEDS_CALLER" });
    expect((await t.gql(`mutation { login(email: "anon-idem@test.example", password: "correct horse battery") { token } }`)).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

    // Two partner apps (public keys, no person) using the same key value each get their own answer.
    const coordinator = await buildCoordinator(t);
    const appA = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const appB = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const read = { query: `query { helpCategories { id } }` };
    const a = await post(read, undefined, "shared-app-key", { "x-api-key": appA.secret });
    const b = await post(read, undefined, "shared-app-key", { "x-api-key": appB.secret });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.replayed, b.replayed]).toEqual(["false", "false"]);
    expect((await post(read, undefined, "shared-app-key", { "x-api-key": appA.secret })).replayed).toBe("true");
  });

  it("IDEMPOTENCY_KEY_NEEDS_DOCUMENT: a request with a key must send its document, not only a persisted query's hash", async () => {
    const resident = await buildPerson(t);
    const r = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: "a".repeat(64) } } }, resident.token, "hash-only");
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", reason: "IDEMPOTENCY_KEY_NEEDS_DOCUMENT" });
  });

  it("treats a retry whose JSON lists its keys in another order (variables included) as the same request", async () => {
    const resident = await buildPerson(t);
    const w = window(t);
    const first = `{"query":${JSON.stringify(ASK)},"variables":{"input":{"categoryId":"${CAT.groceries}","title":"Volgorde","description":"Graag","windowStart":"${w.windowStart}","windowEnd":"${w.windowEnd}"}}}`;
    const reordered = `{"variables":{"input":{"windowEnd":"${w.windowEnd}","description":"Graag","windowStart":"${w.windowStart}","title":"Volgorde","categoryId":"${CAT.groceries}"}},"query":${JSON.stringify(ASK)}}`;
    const a = await post(first, resident.token, "order-1");
    const b = await post(reordered, resident.token, "order-1");
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.replayed).toBe("true");
    expect(b.json).toEqual(a.json);
    expect(await countAsked(resident.token)).toBe(1);
  });

  it("replays root fields without an identity as answered, next to objects read again, in the order asked", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const body = {
      query: `mutation($id: ID!) { __typename vog: declareVog(issuedOn: "2026-01-10") { vogStatus } accepted: acceptHelpRequest(id: $id) { id status } }`,
      variables: { id: req.id },
    };
    const first = await post(body, volunteer.token, "mixed-1");
    expect(first.json.errors).toBeUndefined();
    expect(Object.keys(first.json.data)).toEqual(["__typename", "vog", "accepted"]);
    const again = await post(body, volunteer.token, "mixed-1");
    expect(again.replayed).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(Object.keys(again.json.data)).toEqual(["__typename", "vog", "accepted"]);
  });

  it("replays a partner app's request under its own key, reading the result again with the app's scopes", async () => {
    const coordinator = await buildCoordinator(t);
    const app = await buildPartnerKey(t, coordinator, ["PUBLIC_READ", "REQUESTS_WRITE"]);
    const body = {
      query: `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id status askedOnBehalf personHelped { firstName } } }`,
      variables: {
        input: { categoryId: CAT.groceries, title: "Via de app", description: "Graag", ...window(t), personHelped: { firstName: "Wim", neighbourhoodId: NB.wielwijk } },
      },
    };
    const first = await post(body, undefined, "app-ask-1", { "x-api-key": app.secret });
    expect(first.json.errors).toBeUndefined();
    expect(first.json.data.askForHelp).toMatchObject({ status: "OPEN", askedOnBehalf: true, personHelped: { firstName: "Wim" } });
    const again = await post(body, undefined, "app-ask-1", { "x-api-key": app.secret });
    expect(again.replayed).toBe("true");
    expect(again.json).toEqual(first.json);
  });
});
