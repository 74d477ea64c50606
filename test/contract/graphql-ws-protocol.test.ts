import type { Duplex } from "node:stream";
import fc from "fast-check";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { backends } from "../support/backends.js";
import { buildOrganisation, postInitiative, type OrganisationFixture } from "../support/builders.js";
import { type TestApp, collect, startSecondInstance, startTestApp } from "../support/test-app.js";

const PUBLISHED = `subscription { initiativePublished { cursor initiative { id title } } }`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function waitForAsync(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Operations the server says are running on its sockets (its /metrics), so a test publishes only once a subscription is in place. */
async function subscriptionsOpen(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, "/metrics"))).text();
  return Number(/^zorgzaam_subscriptions_open (\d+)/m.exec(text)?.[1] ?? "NaN");
}

const closeCode = (e: unknown): number | undefined =>
  typeof e === "object" && e !== null && "code" in e && typeof (e as { code: unknown }).code === "number" ? (e as { code: number }).code : undefined;

/** The retry policy the README recommends to partner apps: retry drops and restarts, never a refused credential. */
function reconnectingClient(url: string, events: { connected: number; closes: number[] }): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 30,
    retryWait: async () => sleep(150),
    shouldRetry: (e) => closeCode(e) !== 4403,
    on: {
      connected: () => {
        events.connected += 1;
      },
      closed: (e) => {
        const code = closeCode(e);
        if (code !== undefined) events.closes.push(code);
      },
    },
  });
}

/** A raw graphql-transport-ws socket: what it received and how it was closed. */
async function rawSocket(url: string, protocol = "graphql-transport-ws") {
  const socket = new WebSocket(url, protocol);
  const messages: { type: string; id?: string; payload?: unknown }[] = [];
  /** Messages that came as binary frames (the protocol's messages are text). */
  const binary: string[] = [];
  socket.on("message", (data, isBinary) => {
    messages.push(JSON.parse(String(data)));
    if (isBinary) binary.push(String(data));
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return { socket, messages, binary, closed, send: (value: unknown) => socket.send(JSON.stringify(value)) };
}

describe.each(backends())("graphql-ws protocol with the official client on $name", (backend) => {
  let t: TestApp;
  let org: OrganisationFixture;
  const upgrades: Duplex[] = [];
  const clients: Client[] = [];
  let second: App | null = null;
  beforeAll(async () => {
    t = await startTestApp(backend);
    org = await buildOrganisation(t);
    t.app.server.on("upgrade", (_req, socket: Duplex) => upgrades.push(socket));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await second?.close();
    await t?.close();
  });

  it("a client whose socket the server drops reconnects on its own, and its subscription keeps delivering", async () => {
    const open = await subscriptionsOpen(t.url);
    const events = { connected: 0, closes: [] as number[] };
    const client = reconnectingClient(t.wsUrl, events);
    clients.push(client);
    const sub = collect(client, PUBLISHED);
    await waitFor(() => events.connected === 1, 5000, "the first connection");
    await waitForAsync(async () => (await subscriptionsOpen(t.url)) === open + 1, 5000, "the subscription");
    await sleep(200);
    const before = await postInitiative(t, org, { title: "Voor de onderbreking" });
    expect((await sub.next(3000)).data.initiativePublished.initiative).toEqual({ id: before.id, title: "Voor de onderbreking" });

    const socket = upgrades.at(-1)!;
    socket.destroy(); // the server side of the connection goes away without a close frame
    await waitFor(() => events.connected === 2, 5000, "the reconnection");
    expect(events.closes[0]).toBe(1006);
    await waitForAsync(async () => (await subscriptionsOpen(t.url)) === open + 1, 5000, "the subscription again");
    await sleep(200);
    const after = await postInitiative(t, org, { title: "Na de onderbreking" });
    expect((await sub.next(3000)).data.initiativePublished.initiative).toEqual({ id: after.id, title: "Na de onderbreking" });
    expect(sub.error).toBeNull();
    expect(sub.completed).toBe(false);
  });

  it("a client reconnects to the restarted server after a graceful stop (1012) and its subscription continues there", async () => {
    const open = await subscriptionsOpen(t.url);
    const events = { connected: 0, closes: [] as number[] };
    const client = reconnectingClient(t.wsUrl, events);
    clients.push(client);
    const sub = collect(client, PUBLISHED);
    await waitFor(() => events.connected === 1, 5000, "the first connection");
    await waitForAsync(async () => (await subscriptionsOpen(t.url)) === open + 1, 5000, "the subscription");

    const port = t.app.port;
    await t.app.close();
    await waitFor(() => events.closes.length >= 1, 3000, "the close");
    expect(events.closes[0]).toBe(1012);
    second = await startSecondInstance(t, backend, { PORT: String(port) }, { clock: t.clock });
    await waitFor(() => events.connected === 2, 10_000, "the reconnection to the restarted server");
    // Every subscription of the stopped server (this client's and the first test's) is back on the new one.
    await waitForAsync(async () => (await subscriptionsOpen(t.url)) === open + 1, 10_000, "the subscriptions on the restarted server");
    await sleep(200);
    // Same port, so the test kit's helpers now talk to the restarted server.
    const published = await postInitiative(t, org, { title: "Na de herstart" });
    expect((await sub.next(3000)).data.initiativePublished.initiative).toEqual({ id: published.id, title: "Na de herstart" });
    expect(sub.error).toBeNull();
  });
});

describe("graphql-ws protocol rules", () => {
  let t: TestApp;
  let org: OrganisationFixture;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    org = await buildOrganisation(t);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t?.close();
  });

  it("closes a socket that sends no connection_init within 3 seconds with 4408", async () => {
    const raw = await rawSocket(t.wsUrl);
    const opened = Date.now();
    const closed = await raw.closed;
    expect(closed.code).toBe(4408);
    expect(closed.reason).toMatch(/initialisation timeout/i);
    expect(closed.at - opened).toBeGreaterThanOrEqual(2500);
    expect(closed.at - opened).toBeLessThan(6000);
  });

  it("answers subscribe before connection_ack with 4401 Unauthorized, and runs nothing", async () => {
    const raw = await rawSocket(t.wsUrl);
    raw.send({ id: "1", type: "subscribe", payload: { query: PUBLISHED } });
    const closed = await raw.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toBe("Unauthorized");
    expect(raw.messages).toEqual([]);
  });

  it("refuses a bad credential at connection_init with 4403 Forbidden, and a client with the recommended policy does not retry it", async () => {
    const raw = await rawSocket(t.wsUrl);
    raw.send({ type: "connection_init", payload: { authorization: "Bearer not-a-token" } });
    const closed = await raw.closed;
    expect(closed.code).toBe(4403);
    expect(raw.messages).toEqual([]);

    let attempts = 0;
    const client = createClient({
      url: t.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: "Bearer not-a-token" },
      retryAttempts: 5,
      retryWait: async () => sleep(50),
      shouldRetry: (e) => closeCode(e) !== 4403,
      on: { connecting: () => void (attempts += 1) },
    });
    const sub = collect(client, PUBLISHED);
    await expect(sub.next(3000)).rejects.toThrow(/ended/);
    expect(closeCode(sub.error)).toBe(4403);
    expect(attempts).toBe(1);
    await client.dispose();
  });

  it("acknowledges, answers ping with pong, and refuses a second connection_init (4429) and a duplicate operation id (4409)", async () => {
    const raw = await rawSocket(t.wsUrl);
    raw.send({ type: "connection_init", payload: {} });
    await waitFor(() => raw.messages.length >= 1, 2000, "connection_ack");
    expect(raw.messages[0].type).toBe("connection_ack");
    raw.send({ type: "ping" });
    await waitFor(() => raw.messages.length >= 2, 2000, "pong");
    expect(raw.messages[1].type).toBe("pong");
    raw.send({ type: "connection_init", payload: {} });
    expect((await raw.closed).code).toBe(4429);

    const dup = await rawSocket(t.wsUrl);
    dup.send({ type: "connection_init", payload: {} });
    await waitFor(() => dup.messages.length >= 1, 2000, "connection_ack");
    dup.send({ id: "same", type: "subscribe", payload: { query: PUBLISHED } });
    await sleep(200);
    dup.send({ id: "same", type: "subscribe", payload: { query: PUBLISHED } });
    const closed = await dup.closed;
    expect(closed.code).toBe(4409);
    expect(closed.reason).toMatch(/already exists/);
  });

  it("sends every message as a UTF-8 text frame, subscription events with their operation id included", async () => {
    const open = await subscriptionsOpen(t.url);
    const raw = await rawSocket(t.wsUrl);
    raw.send({ type: "connection_init", payload: {} });
    await waitFor(() => raw.messages.length >= 1, 2000, "connection_ack");
    raw.send({ id: "tekst-één", type: "subscribe", payload: { query: PUBLISHED } });
    await waitForAsync(async () => (await subscriptionsOpen(t.url)) === open + 1, 5000, "the subscription");
    await sleep(200);
    const posted = await postInitiative(t, org, { title: "Koffie & taart in het buurthuis ☕" });
    await waitFor(() => raw.messages.some((m) => m.type === "next"), 3000, "the event");
    const next = raw.messages.find((m) => m.type === "next")!;
    expect(next.id).toBe("tekst-één");
    expect(next.payload).toEqual({
      data: { initiativePublished: { cursor: expect.any(String), initiative: { id: posted.id, title: "Koffie & taart in het buurthuis ☕" } } },
    });
    expect(raw.binary).toEqual([]);
    raw.socket.close();
  });

  it("does not speak the legacy subscriptions-transport-ws protocol, and closes on a malformed message (4400)", async () => {
    await expect(rawSocket(t.wsUrl, "graphql-ws")).rejects.toThrow(/no subprotocol/);
    const raw = await rawSocket(t.wsUrl);
    raw.send({ type: "connection_init", payload: {} });
    await waitFor(() => raw.messages.length >= 1, 2000, "connection_ack");
    raw.send({ type: "subscribe", payload: { query: PUBLISHED } }); // no id
    expect((await raw.closed).code).toBe(4400);
    const health = await t.gql(`{ helpCategories { id } }`);
    expect(health.data.helpCategories.length).toBeGreaterThan(0);
  });

  it("closes with 4400 and a reason when a client sends a message only a server sends (next, error, connection_ack), and keeps serving", async () => {
    const mistakes = [{ id: "1", type: "next", payload: { data: { x: 1 } } }, { id: "1", type: "error", payload: [{ message: "boom" }] }, { type: "connection_ack" }];
    for (const mistake of mistakes) {
      const raw = await rawSocket(t.wsUrl);
      raw.send({ type: "connection_init", payload: {} });
      await waitFor(() => raw.messages.length >= 1, 2000, "connection_ack");
      raw.send(mistake);
      const closed = await raw.closed;
      expect(closed.code, mistake.type).toBe(4400);
      expect(closed.reason).toBe(`A client may not send "${mistake.type}" messages`);
    }
    const health = await t.gql(`{ helpCategories { id } }`);
    expect(health.data.helpCategories.length).toBeGreaterThan(0);
  });

  it("TOO_MANY_SUBSCRIPTIONS: runs exactly WS_MAX_SUBSCRIPTIONS (50) operations on one socket and refuses the next", async () => {
    const open = await subscriptionsOpen(t.url);
    const raw = await rawSocket(t.wsUrl);
    raw.send({ type: "connection_init", payload: {} });
    await waitFor(() => raw.messages.length >= 1, 2000, "connection_ack");
    for (let i = 1; i <= 51; i++) raw.send({ id: String(i), type: "subscribe", payload: { query: PUBLISHED } });
    await waitFor(() => raw.messages.some((m) => m.type === "error"), 3000, "the refusal");
    await waitForAsync(async () => (await subscriptionsOpen(t.url)) === open + 50, 5000, "fifty subscriptions");
    const errors = raw.messages.filter((m) => m.type === "error");
    expect(errors.map((m) => m.id)).toEqual(["51"]);
    expect((errors[0].payload as { extensions: { reason: string } }[])[0].extensions.reason).toBe("TOO_MANY_SUBSCRIPTIONS");
    raw.socket.close();
  });

  it("closes no socket with 4500 over generated hostile conversations (malformed, server-only, duplicate, early, oversized messages) and keeps serving", async () => {
    const json = (v: unknown) => JSON.stringify(v);
    const id = fc.oneof(fc.constantFrom("1", "2", "__proto__", "constructor", ""), fc.string({ maxLength: 8 }), fc.integer());
    const query = fc.oneof(
      fc.constantFrom(
        PUBLISHED,
        `{ helpCategories { id } }`,
        `subscription { helpRequestPosted { helpRequest { id } } }`,
        `mutation { login(email: "a", password: "b") { token } }`,
        "{",
        "",
      ),
      fc.string(),
      fc.integer(),
    );
    const variables = fc.oneof(
      fc.constant(undefined),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 })),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant({ deep: JSON.parse("[".repeat(500) + "]".repeat(500)) }),
    );
    const frame = fc.oneof(
      fc.constant(json({ type: "connection_init", payload: {} })),
      fc.constant(json({ type: "connection_init", payload: { authorization: "Bearer nope" } })),
      fc
        .record({
          id,
          type: fc.constant("subscribe"),
          payload: fc.record({ query, variables, operationName: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 5 }), fc.integer()) }, { requiredKeys: [] }),
        })
        .map(json),
      // Well-formed messages of the kinds only a server sends.
      fc
        .record({ id: fc.string({ minLength: 1, maxLength: 4 }), type: fc.constant("next"), payload: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })) })
        .map(json),
      fc
        .record({
          id: fc.string({ minLength: 1, maxLength: 4 }),
          type: fc.constant("error"),
          payload: fc.array(fc.record({ message: fc.string() }), { minLength: 1, maxLength: 2 }),
        })
        .map(json),
      fc.constant(json({ type: "connection_ack" })),
      fc
        .record(
          { id, type: fc.constantFrom("next", "error", "complete", "connection_ack", "ping", "pong", "bogus", "Subscribe"), payload: fc.jsonValue({ maxDepth: 2 }) },
          { requiredKeys: ["type"] },
        )
        .map(json),
      fc.jsonValue({ maxDepth: 3 }).map(json),
      fc.string({ maxLength: 50 }),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.constant("x".repeat(70_000)),
    );
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 6 }), async (frames) => {
        const raw = await rawSocket(t.wsUrl);
        raw.socket.on("error", () => undefined);
        for (const f of frames) if (raw.socket.readyState === WebSocket.OPEN) raw.socket.send(f);
        const closed = await Promise.race([raw.closed, sleep(150).then(() => null)]);
        if (raw.socket.readyState !== WebSocket.CLOSED) raw.socket.terminate();
        const code = closed?.code ?? 0;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(code, JSON.stringify(frames.map((f) => String(f).slice(0, 200)))).not.toBe(4500);
        if (code >= 4400 && code < 4500) expect(closed?.reason).not.toBe("");
      }),
      { numRuns: 500 },
    );
    const health = await t.gql(`{ helpCategories { id } }`);
    expect(health.data.helpCategories.length).toBeGreaterThan(0);
    const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(client);
    const ok = await collect(client, `query { helpCategories { id } }`).next(3000);
    expect(ok.data.helpCategories.length).toBeGreaterThan(0);
    expect(codes.get(4500) ?? 0).toBe(0);
  }, 120_000);
});
