import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { ASK, CAT, buildPerson, buildVolunteer, askForHelp, window } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

describe.each(backends())("Idempotency-Key on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const post = async (body: unknown, token: string | undefined, key?: string) => {
    const res = await fetch(t.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(key !== undefined ? { "idempotency-key": key } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, replayed: res.headers.get("idempotency-replayed"), json: (await res.json()) as any };
  };
  const askBody = (title: string) => ({ query: ASK, variables: { input: { categoryId: CAT.groceries, title, description: "Graag", ...window(t) } } });
  const countAsked = async (token: string) =>
    (await t.gql(`{ myHelpRequests(first: 100) { edges { node { id } } } }`, {}, token)).data.myHelpRequests.edges.length;

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
});
