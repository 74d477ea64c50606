import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { backends } from "../support/backends.js";
import { type Account, NB, buildCoordinator, buildPerson, buildVolunteer } from "../support/builders.js";
import { TEST_JWT_SECRET, type TestApp, codeOf, collect, gql, reasonOf, startSecondInstance, startTestApp } from "../support/test-app.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const SESSIONS = `{ mySessions { id current userAgent address createdAt lastSeenAt expiresAt } }`;
const POSTED = `subscription { helpRequestPosted { helpRequest { id } } }`;

async function closed(sub: { error: unknown }, ms = 8000): Promise<{ code?: number; reason?: string }> {
  const deadline = Date.now() + ms;
  while (!sub.error) {
    if (Date.now() > deadline) throw new Error("the socket stayed open");
    await sleep(20);
  }
  return sub.error as { code?: number; reason?: string };
}

async function loginAs(url: string, a: Account, userAgent = "vitest-browser/1.0"): Promise<string> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": userAgent },
    body: JSON.stringify({ query: LOGIN, variables: { e: a.email, p: "correct horse battery" } }),
  });
  const body = (await res.json()) as { data: { login: { token: string } } };
  return body.data.login.token;
}

describe.each(backends())("login sessions on $name", (backend) => {
  let t: TestApp;
  /** A second instance on the same database, as a deployment with two would have. */
  let other: App;
  beforeAll(async () => {
    t = await startTestApp(backend, { CREDENTIAL_RECHECK_SECONDS: "1" });
    other = await startSecondInstance(t, backend, { CREDENTIAL_RECHECK_SECONDS: "1" });
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it("lists the person's open sessions with the current one marked, and shows no one else's", async () => {
    const p = await buildPerson(t);
    const phone = await loginAs(t.url, p, "Phone/2.0");
    const r = await t.gql(SESSIONS, {}, phone);
    expect(r.errors).toBeUndefined();
    expect(r.data.mySessions).toHaveLength(2); // register opened one too
    const current = r.data.mySessions.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0].userAgent).toBe("Phone/2.0");
    expect(current[0].address).toMatch(/127\.0\.0\.1/);
    expect(new Date(current[0].expiresAt).getTime()).toBeGreaterThan(Date.now());
    const stranger = await buildPerson(t);
    const theirs = await t.gql(SESSIONS, {}, stranger.token);
    expect(theirs.data.mySessions.map((s: { id: string }) => s.id)).not.toContain(current[0].id);
    expect(codeOf(await t.gql(SESSIONS))).toBe("UNAUTHENTICATED");
  });

  it("SESSION_NOT_FOUND: another person cannot end your session; you can end one of yours", async () => {
    const p = await buildPerson(t);
    const laptop = await loginAs(t.url, p);
    const id = (await t.gql(SESSIONS, {}, laptop)).data.mySessions.find((s: { current: boolean }) => s.current).id;
    const stranger = await buildPerson(t);
    const denied = await t.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id }, stranger.token);
    expect(reasonOf(denied)).toBe("SESSION_NOT_FOUND");
    expect((await t.gql(`{ me { email } }`, {}, laptop)).errors).toBeUndefined();
    const anonymous = await t.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    const garbage = await t.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id: "x".repeat(5000) }, p.token);
    expect(reasonOf(garbage)).toBe("SESSION_NOT_FOUND");
    const ended = await t.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id }, p.token);
    expect(ended.data.endSession).toBe(true);
    expect(reasonOf(await t.gql(`{ me { email } }`, {}, laptop))).toBe("SESSION_ENDED");
  });

  it("SESSION_ENDED: logout ends only the current session, at once, on both instances", async () => {
    const p = await buildPerson(t);
    const a = await loginAs(t.url, p);
    const b = await loginAs(t.url, p);
    // Both instances have verified (and cached) the token before it is ended.
    expect((await gql(other.url, `{ me { email } }`, {}, a)).errors).toBeUndefined();
    expect((await t.gql(`{ me { email } }`, {}, a)).errors).toBeUndefined();
    const out = await t.gql(`mutation { logout }`, {}, a);
    expect(out.data.logout).toBe(true);
    const here = await t.gql(`{ me { email } }`, {}, a);
    expect(codeOf(here)).toBe("UNAUTHENTICATED");
    expect(reasonOf(here)).toBe("SESSION_ENDED");
    expect(reasonOf(await gql(other.url, `{ me { email } }`, {}, a))).toBe("SESSION_ENDED");
    expect((await gql(other.url, `{ me { email } }`, {}, b)).errors).toBeUndefined();
    expect(reasonOf(await t.gql(`mutation { logout }`, {}, a))).toBe("SESSION_ENDED");
  });

  it("logoutEverywhere on one instance refuses every old token on both, and closes an open socket with 4403 on each", async () => {
    const v = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk] });
    const second = await loginAs(t.url, v);
    const here = collect(t.ws(second), POSTED);
    const { createClient } = await import("graphql-ws");
    const WebSocket = (await import("ws")).default;
    const client = createClient({ url: other.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${v.token}` }, retryAttempts: 0 });
    try {
      const there = collect(client, POSTED);
      await sleep(400);
      expect(here.error).toBeNull();
      expect(there.error).toBeNull();
      const r = await gql(other.url, `mutation { logoutEverywhere }`, {}, second);
      expect(r.data.logoutEverywhere).toBe(2);
      for (const token of [v.token, second]) {
        expect(reasonOf(await t.gql(`{ me { email } }`, {}, token))).toBe("SESSION_ENDED");
        expect(reasonOf(await gql(other.url, `{ me { email } }`, {}, token))).toBe("SESSION_ENDED");
      }
      // The instance that ended them closes its socket at once; the other within CREDENTIAL_RECHECK_SECONDS.
      const [c1, c2] = await Promise.all([closed(there, 3000), closed(here, 5000)]);
      expect(c1.code).toBe(4403);
      expect(c2.code).toBe(4403);
      expect(c1.reason).toMatch(/session has ended/);
      // A new socket with an old token is refused.
      const again = collect(t.ws(v.token), POSTED);
      expect((await closed(again)).code).toBe(4403);
      // Logging in again works.
      const fresh = await loginAs(t.url, v);
      expect((await t.gql(SESSIONS, {}, fresh)).data.mySessions).toHaveLength(1);
    } finally {
      await client.dispose();
    }
  });

  it("logout closes only the socket of the session that ended; a disabled account's socket closes too", async () => {
    const v = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk] });
    const other = await loginAs(t.url, v);
    const stays = collect(t.ws(other), POSTED);
    const ends = collect(t.ws(v.token), POSTED);
    await sleep(400);
    expect((await t.gql(`mutation { logout }`, {}, v.token)).data.logout).toBe(true);
    expect((await closed(ends)).code).toBe(4403);
    expect(await stays.quiet(1500)).toBe(true);
    expect(stays.error).toBeNull();
    const coordinator = await buildCoordinator(t);
    expect((await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: v.id }, coordinator.token)).errors).toBeUndefined();
    expect((await closed(stays)).code).toBe(4403);
  });

  it("forgets sessions ended over a day ago; their tokens stay refused", async () => {
    const p = await buildPerson(t);
    await t.gql(`mutation { logout }`, {}, p.token);
    const s = t.app.services;
    const { eq } = await import("drizzle-orm");
    await s.db.transaction(async (tx) => {
      await tx
        .update(s.db.tables.sessions)
        .set({ endedAt: new Date(Date.now() - 2 * 86_400_000) })
        .where(eq(s.db.tables.sessions.personId, p.id));
    });
    expect(await s.accounts.prune()).toBeGreaterThanOrEqual(1);
    const left = await s.db.read.select().from(s.db.tables.sessions).where(eq(s.db.tables.sessions.personId, p.id));
    expect(left).toHaveLength(0);
    expect(reasonOf(await t.gql(`{ me { email } }`, {}, p.token))).toBe("SESSION_ENDED");
  });

  it("refuses garbage and session-less tokens issued before logoutEverywhere, with a clear error", async () => {
    const p = await buildPerson(t);
    for (const bad of ["garbage", "a.b.c", "x".repeat(10_000)]) {
      const r = await t.gql(`{ me { email } }`, {}, bad);
      expect(codeOf(r)).toBe("UNAUTHENTICATED");
    }
    const { SignJWT } = await import("jose");
    const legacy = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(p.id)
      .setIssuer("zorgzaam")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 5)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    expect((await t.gql(`{ me { email } }`, {}, legacy)).errors).toBeUndefined();
    await t.gql(`mutation { logoutEverywhere }`, {}, p.token);
    expect(reasonOf(await t.gql(`{ me { email } }`, {}, legacy))).toBe("SESSION_ENDED");
  });
});
