import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { backends } from "../support/backends.js";
import { ASK, type Account, CAT, NB, buildCoordinator, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type TestApp, collect, gql, reasonOf, startSecondInstance, startTestApp } from "../support/test-app.js";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const ME = `{ me { email } }`;
const POSTED = `subscription { helpRequestPosted { helpRequest { id } } }`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A token whose session state each instance has read and remembers, used by someone racing its end: requests
 * fired on both instances of one database while the logout, the logout everywhere or the disabling is being
 * committed. Whatever started after the ending was answered must be refused on both, and an open socket on
 * the other instance must hear nothing that happened after it.
 */
describe.each(backends())("session state under attack on $name", (backend) => {
  let t: TestApp;
  let other: App;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    other = await startSecondInstance(t, backend);
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const login = async (a: Account) => (await gql(t.url, LOGIN, { e: a.email, p: "correct horse battery" })).data.login.token as string;
  const urls = () => [t.url, other.url];

  /** Fires requests with `token` on both instances until `stop` is set; returns those started after `after()` became true. */
  const hammer = (token: string, afterEnd: () => boolean) => {
    let stop = false;
    const late: Promise<{ ok: boolean; reason: string | undefined }>[] = [];
    const loops = urls().map(async (url) => {
      while (!stop) {
        const startedAfter = afterEnd();
        const r = gql(url, ME, {}, token).then((x) => ({ ok: !x.errors && Boolean(x.data?.me), reason: reasonOf(x) }));
        if (startedAfter) late.push(r);
        await r;
      }
    });
    return {
      late,
      stop: async () => {
        stop = true;
        await Promise.all(loops);
      },
    };
  };

  for (const ending of ["logout", "logoutEverywhere", "disableAccount"] as const) {
    it(`${ending}: no request started after it was answered is served, on either instance`, async () => {
      for (let round = 0; round < 5; round++) {
        const p = await buildPerson(t);
        const token = await login(p);
        // Both instances have read and remembered the state.
        for (const url of urls()) expect((await gql(url, ME, {}, token)).errors).toBeUndefined();
        let ended = false;
        const h = hammer(token, () => ended);
        await sleep(15);
        const on = round % 2 === 0 ? t.url : other.url;
        const r =
          ending === "disableAccount"
            ? await gql(on, `mutation($id: ID!) { disableAccount(personId: $id) }`, { id: p.id }, coordinator.token)
            : await gql(on, `mutation { ${ending} }`, {}, token);
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        ended = true;
        await sleep(30);
        await h.stop();
        const late = await Promise.all(h.late);
        expect(late.length).toBeGreaterThan(0);
        expect(
          late.filter((x) => x.ok),
          `round ${round}`,
        ).toEqual([]);
        for (const url of urls()) expect(reasonOf(await gql(url, ME, {}, token))).toMatch(/SESSION_ENDED|ACCOUNT_DISABLED|TOKEN_REVOKED/);
      }
    });
  }

  /** Asks on the socket's own instance, where its events are published whatever the backend. */
  const askOnOther = async (token: string) => {
    const r = await gql(
      other.url,
      ASK,
      { input: { categoryId: CAT.groceries, title: "Boodschappen", description: "Wie helpt?", neighbourhoodId: NB.wielwijk, ...window(t) } },
      token,
    );
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data.askForHelp as { id: string };
  };

  // Two instances share live events only through Redis (README, "Running at scale": two instances run on
  // PostgreSQL and Redis; one SQLite file serves one instance), so the socket cases run where they do.
  const sharedBus = !!backend.redisUrl;

  it.runIf(sharedBus)("after a logout on one instance, the other refuses a new socket with the token, and a new operation on a socket already open", async () => {
    const v = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk] });
    const { createClient } = await import("graphql-ws");
    const WebSocket = (await import("ws")).default;
    const connect = () =>
      createClient({
        url: other.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${v.token}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      });
    const open = connect();
    try {
      const first = collect(open, POSTED);
      await sleep(400);
      expect(first.error).toBeNull();
      expect((await t.gql(`mutation { logout }`, {}, v.token)).errors).toBeUndefined();
      const fresh = connect();
      try {
        const refused = collect(fresh, POSTED);
        await sleep(600);
        expect((refused.error as { code?: number } | null)?.code).toBe(4403);
      } finally {
        await fresh.dispose();
      }
      const second = collect(open, POSTED);
      await sleep(600);
      const refusedOperation = second.items[0]?.errors?.[0]?.extensions?.code ?? (second.error as { code?: number } | null)?.code;
      expect(refusedOperation, "a new operation on the open socket").toBeDefined();
    } finally {
      await open.dispose();
    }
  });

  it.runIf(sharedBus)("a socket on the other instance hears nothing asked after its session was ended everywhere", async () => {
    const v = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk] });
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const { createClient } = await import("graphql-ws");
    const WebSocket = (await import("ws")).default;
    const client = createClient({ url: other.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${v.token}` }, retryAttempts: 0 });
    try {
      const there = collect(client, POSTED);
      await sleep(400);
      const before = await askOnOther(resident.token);
      expect((await there.next(3000)).data.helpRequestPosted.helpRequest.id).toBe(before.id);
      expect((await t.gql(`mutation { logoutEverywhere }`, {}, v.token)).errors).toBeUndefined();
      const after = await askOnOther(resident.token);
      await there.quiet(1500);
      expect(there.items.map((i) => i.data?.helpRequestPosted.helpRequest.id)).not.toContain(after.id);
    } finally {
      await client.dispose();
    }
  });
});
