import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import fc from "fast-check";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { gql } from "../support/test-app.js";

const HTTP_CASES = 2000;
const WS_CASES = 500;

/** Fragments of our own schema, so generated documents get past the parser and reach deeper layers. */
const FIELDS = ["helpCategories", "neighbourhoods", "areas", "teams", "me", "openHelpRequests", "helpRequest", "node", "nodes", "serverTime", "__schema", "__typename"];
const MUTATIONS = ["askForHelp", "acceptHelpRequest", "login", "register", "cancelHelpRequest", "createCareCircle", "claimCareShift", "grantRole"];

const name = fc.constantFrom(...FIELDS, ...MUTATIONS, "x", "id", "edges", "node");
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ minLength: 5000, maxLength: 20000 }));
const deep = fc.integer({ min: 10, max: 300 }).map((n) => `{ ${"areas { neighbourhoods { area { ".repeat(Math.ceil(n / 3))} name ${"} } }".repeat(Math.ceil(n / 3))} }`);
const aliases = fc.integer({ min: 31, max: 3000 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ")} }`);
const fragmentsBomb = fc
  .integer({ min: 2, max: 40 })
  .map((n) => `query { ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { areas { name } ...F${i + 1} }`).join(" ")} fragment F${n} on Query { __typename }`);
const randomDoc = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc
    .array(fc.oneof(name, fc.constantFrom("{", "}", "(", ")", ":", "$", "!", "...", "@include", "query", "mutation", "subscription", "fragment", "on", '"', "#")), {
      maxLength: 80,
    })
    .map((t) => t.join(" ")),
  name.map((n) => `{ ${n} }`),
  fc
    .tuple(fc.constantFrom(...MUTATIONS), fc.dictionary(fc.constantFrom("id", "input", "email", "password", "code"), scalar))
    .map(([m]) => `mutation($v: String) { ${m}(id: $v, input: $v) { __typename } }`),
  deep,
  aliases,
  fragmentsBomb,
);
const operation = fc.record(
  {
    query: fc.oneof(randomDoc, scalar, fc.constant(undefined)),
    variables: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), scalar, fc.constant(undefined)),
    operationName: fc.oneof(fc.string(), fc.constant(undefined), fc.integer()),
  },
  { requiredKeys: [] },
);
const rawBody = fc.oneof(
  operation.map((o) => Buffer.from(JSON.stringify(o))),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), // invalid UTF-8 and garbage
  fc.string().map((s) => Buffer.from(s)),
  fc.integer({ min: 100_001, max: 400_000 }).map((n) => Buffer.from(JSON.stringify({ query: `{ __typename }`, variables: { x: "y".repeat(n) } }))),
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/graphql-response+json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
);

function tableCounts(file: string): Record<string, number> {
  const db = new BetterSqlite3(file, { readonly: true });
  const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as { name: string }[];
  const counts = Object.fromEntries(tables.map((t) => [t.name, (db.prepare(`select count(*) as n from "${t.name}"`).get() as { n: number }).n]));
  db.close();
  return counts;
}

describe("hostile input changes nothing and crashes nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-fuzz-"));
  const file = join(dir, "fuzz.sqlite");
  let server: ServerProcess;
  let before: Record<string, number>;
  beforeAll(async () => {
    server = await startServerProcess({ DATABASE_URL: file, JWT_SECRET: "fuzz-test-secret-long-enough-for-hs256-sign", SEED_ON_EMPTY: "true", SWEEP_INTERVAL_MS: "0" });
    before = tableCounts(file);
  }, 60_000);
  afterAll(async () => {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it(`answers ${HTTP_CASES} generated HTTP requests without a 5xx and writes nothing`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        rawBody,
        contentType,
        fc.constantFrom("POST", "GET"),
        fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: fc.string(), weight: 1 }),
        async (body, type, method, auth) => {
          const url = method === "GET" ? `${server.url}?query=${encodeURIComponent(body.toString("latin1").slice(0, 1500))}` : server.url;
          const headers: Record<string, string> = { "apollo-require-preflight": "1" };
          if (type) headers["content-type"] = type;
          if (auth !== undefined) headers.authorization = /^[\x20-\x7e]*$/.test(auth) ? auth : "Bearer x";
          const res = await fetch(url, { method, headers, body: method === "POST" ? body : undefined });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: HTTP_CASES },
    );
    expect(server.proc.exitCode).toBeNull();
    expect(tableCounts(file)).toEqual(before);
    const ok = await gql(server.url, `{ helpCategories { id } }`);
    expect(ok.data.helpCategories.length).toBeGreaterThan(0);
    console.log(`fuzz http: ${HTTP_CASES} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 240_000);

  it(`survives ${WS_CASES} generated WebSocket conversations and writes nothing`, async () => {
    const frame = fc.oneof(
      fc.constant(JSON.stringify({ type: "connection_init" })),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
      fc
        .record({ id: fc.oneof(fc.string(), fc.integer()), type: fc.constantFrom("subscribe", "complete", "ping", "pong", "next", "error", "bogus"), payload: operation })
        .map((m) => JSON.stringify(m)),
      fc.integer({ min: 70_000, max: 200_000 }).map((n) => "z".repeat(n)),
    );
    const protocol = fc.constantFrom("graphql-transport-ws", "graphql-ws", "nonsense");
    let closes = 0;
    await fc.assert(
      fc.asyncProperty(protocol, fc.array(frame, { minLength: 1, maxLength: 6 }), async (proto, frames) => {
        const socket = new WebSocket(server.wsUrl, proto);
        socket.on("error", () => undefined);
        const done = new Promise<void>((resolve) => {
          socket.once("close", () => resolve());
          setTimeout(resolve, 300);
        });
        await new Promise<void>((resolve) => {
          socket.once("open", () => resolve());
          socket.once("close", () => resolve());
        });
        for (const f of frames) if (socket.readyState === WebSocket.OPEN) socket.send(f);
        await done;
        if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
        closes++;
      }),
      { numRuns: WS_CASES },
    );
    expect(server.proc.exitCode).toBeNull();
    expect(tableCounts(file)).toEqual(before);
    const ok = await gql(server.url, `{ helpCategories { id } }`);
    expect(ok.data.helpCategories.length).toBeGreaterThan(0);
    console.log(`fuzz ws: ${closes} conversations, server alive, 0 rows changed`);
  }, 400_000);
});
