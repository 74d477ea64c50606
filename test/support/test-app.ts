import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { SignJWT } from "jose";
import { createClient, type Client } from "graphql-ws";
import { type Logger, pino } from "pino";
import WebSocket from "ws";
import { type App, type AppOptions, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/env.js";
import { type Clock, ShiftableClock } from "../../src/shared/clock.js";
import { seedReferenceData } from "../../seeds/seed-runner.js";
import { type Backend, createPgDatabase } from "./backends.js";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-signing";

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; reason?: string; field?: string } }[];
}

export interface TestApp {
  app: App;
  url: string;
  wsUrl: string;
  clock: ShiftableClock;
  databaseUrl: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  ws(token?: string): Client;
  /** A token that is correctly signed but expired. */
  expiredToken(personId: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the real server on a free port with a fresh database holding only reference data. */
export async function startTestApp(backend: Backend = { name: "sqlite" }, env: Record<string, string> = {}, options: Omit<AppOptions, "clock"> = {}): Promise<TestApp> {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  if (backend.name === "postgres") {
    const pgdb = await createPgDatabase();
    databaseUrl = pgdb.url;
    cleanup = pgdb.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), "zorgzaam-test-"));
    databaseUrl = join(dir, "test.sqlite");
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    SEED_ON_EMPTY: "false",
    SWEEP_INTERVAL_MS: "0",
    LOG_LEVEL: "silent",
    // Every operation compiled from its first run, so the suite checks graphql-jit's answers.
    GRAPHQL_JIT_AFTER: "1",
    // Tests read English messages unless they ask for another language (production's default is nl).
    DEFAULT_LANGUAGE: "en",
    ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
    ...env,
  });
  const clock = new ShiftableClock();
  const app = await createApp(config, { ...options, clock });
  await seedReferenceData(app.services);
  const clients: Client[] = [];
  return {
    app,
    url: app.url,
    wsUrl: app.url.replace(/^http/, "ws"),
    clock,
    databaseUrl,
    gql: (query, variables, token) => gql(app.url, query, variables, token),
    ws: (token) => {
      const client = createClient({
        url: app.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      });
      clients.push(client);
      return client;
    },
    expiredToken: async (personId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(personId)
        .setIssuer("zorgzaam")
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET)),
    close: async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.close();
      await cleanup();
    },
  };
}

export async function gql<T = any>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult<T>, "status">;
  return { status: res.status, ...body };
}

/** The first error's code, or undefined. */
export const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
export const reasonOf = (r: GqlResult) => r.errors?.[0]?.extensions?.reason;

/** Subscribes and collects results; `next(ms)` waits for the next one or rejects after ms. */
export function collect<T = any>(client: Client, query: string, variables?: Record<string, unknown>) {
  const items: { data?: T; errors?: GqlResult["errors"] }[] = [];
  const waiters: (() => void)[] = [];
  let ended: unknown = null;
  let completed = false;
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        items.push(value as never);
        waiters.splice(0).forEach((w) => w());
      },
      error: (err) => {
        // graphql-ws reports an operation refused in onSubscribe as an `error` message with GraphQL errors.
        if (Array.isArray(err)) items.push({ errors: err });
        else ended = err;
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => {
        completed = true;
        waiters.splice(0).forEach((w) => w());
      },
    },
  );
  let read = 0;
  return {
    items,
    get error() {
      return ended;
    },
    get completed() {
      return completed;
    },
    unsubscribe,
    async next(ms = 2000) {
      const deadline = Date.now() + ms;
      while (read >= items.length) {
        if (ended || (completed && read >= items.length)) throw new Error(`subscription ended: ${String(ended ?? "complete")}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no event within the time allowed");
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return items[read++];
    },
    /** Resolves when nothing more arrives within ms (asserts absence). */
    async quiet(ms = 500) {
      const before = items.length;
      await new Promise((r) => setTimeout(r, ms));
      return items.length === before;
    },
  };
}

/** Reads one counter or gauge from the instance's Prometheus metrics. */
export async function metric(t: Pick<TestApp, "url">, name: string): Promise<number> {
  const text = await (await fetch(new URL("/metrics", t.url))).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

/** Waits until exactly this many subscriptions follow their topic on the server (set up there, not just sent). */
export async function attached(t: Pick<TestApp, "url">, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await metric(t, "zorgzaam_subscriptions_attached")) !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} subscriptions attached`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A second instance on the test app's database (and its Redis, when the backend has one), as a deployment
 * with two would run: the same secret, no seeding, no sweeps. `env` overrides settings (`PORT` to take
 * over a stopped instance's port); `clock` shares a test app's moved clock. Close it before the test app.
 */
export function startSecondInstance(t: Pick<TestApp, "databaseUrl">, backend: Backend, env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<App> {
  return createApp(
    loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: t.databaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      LOG_LEVEL: "silent",
      ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
      ...env,
    }),
    { clock: options.clock ?? new ShiftableClock() },
  );
}

/** An info-level logger for a test app whose JSON lines are kept, parsed, in `lines` (request logs, traces). */
export function keptLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), lines };
}
