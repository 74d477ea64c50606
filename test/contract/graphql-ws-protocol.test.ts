import type { Duplex } from "node:stream";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config/env.js";
import { backends } from "../support/backends.js";
import { buildOrganisation, postInitiative, type OrganisationFixture } from "../support/builders.js";
import { TEST_JWT_SECRET, type TestApp, collect, startTestApp } from "../support/test-app.js";

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
    second = await createApp(
      loadConfig({
        NODE_ENV: "test",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: t.databaseUrl,
        JWT_SECRET: TEST_JWT_SECRET,
        SEED_ON_EMPTY: "false",
        SWEEP_INTERVAL_MS: "0",
        LOG_LEVEL: "silent",
        ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
      }),
      { clock: t.clock },
    );
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
  beforeAll(async () => {
    t = await startTestApp();
    org = await buildOrganisation(t);
  });
  afterAll(async () => t?.close());

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
});
