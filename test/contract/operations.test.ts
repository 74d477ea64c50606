import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

/** One sample of the Prometheus text exposition format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the Prometheus text format (version 0.0.4) strictly: every line is a HELP or TYPE comment
 * or a sample, every sample belongs to a declared metric family; anything else fails the test.
 */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const suffixes = ["_bucket", "_sum", "_count", "_total", "_created", ""];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (m) {
      if (m[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"], line).toContain(m[3]);
        types.set(m[2], m[3]);
      }
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)(?: -?[0-9]+)?$/.exec(line);
    expect(m, `not a Prometheus sample line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    if (m![2]) {
      const labelText = m![2];
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
      let consumed = 0;
      for (let l = re.exec(labelText); l; l = re.exec(labelText)) {
        labels[l[1]] = l[2];
        consumed += l[0].length;
      }
      expect(consumed, `malformed labels: ${line}`).toBe(labelText.length);
    }
    const name = m![1];
    const family = suffixes.map((s) => (s && name.endsWith(s) ? name.slice(0, -s.length) : name)).find((f) => types.has(f));
    expect(family, `sample without a TYPE line: ${line}`).toBeDefined();
    samples.push({ name, labels, value: Number(m![3]) });
  }
  return { samples, types };
  // (Prometheus reads NaN case-insensitively; prom-client writes "Nan" for an empty event-loop histogram.)
}

const matches = (s: Sample, name: string, labels: Record<string, string>) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v);

describe.each(backends())("operations endpoints on $name", (backend) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    base = t.url.replace(/\/graphql$/, "");
  });
  afterAll(async () => t?.close());

  const scrape = async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const parsed = parsePrometheus(await res.text());
    const value = (name: string, labels: Record<string, string> = {}) => parsed.samples.filter((s) => matches(s, name, labels)).reduce((sum, s) => sum + s.value, 0);
    return { ...parsed, value };
  };

  it("/healthz says the process is up and /readyz that the database answers with every migration applied", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("serves /metrics in the Prometheus text format with the families operators alert on", async () => {
    const { types } = await scrape();
    expect(Object.fromEntries([...types].filter(([name]) => name.startsWith("zorgzaam_")))).toMatchObject({
      zorgzaam_http_requests_total: "counter",
      zorgzaam_http_request_duration_seconds: "histogram",
      zorgzaam_graphql_operations_total: "counter",
      zorgzaam_graphql_operation_duration_seconds: "histogram",
      zorgzaam_rate_limited_total: "counter",
      zorgzaam_websocket_connections_open: "gauge",
      zorgzaam_subscriptions_open: "gauge",
    });
    expect(types.get("process_cpu_seconds_total")).toBe("counter");
    expect(types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
  });

  it("counts and times each operation by name, and the HTTP request, when a query runs", async () => {
    const before = await scrape();
    const op = { operation: "ContractMetricsProbe", type: "query", transport: "http" };
    for (let i = 0; i < 3; i++) {
      const r = await t.gql(`query ContractMetricsProbe { helpCategories { id } }`);
      expect(r.errors).toBeUndefined();
    }
    const broken = await t.gql(`query ContractMetricsBroken { helpCategoriez { id } }`);
    expect(broken.errors).toBeDefined();
    const after = await scrape();

    expect(after.value("zorgzaam_graphql_operations_total", { ...op, outcome: "ok" }) - before.value("zorgzaam_graphql_operations_total", { ...op, outcome: "ok" })).toBe(3);
    expect(after.value("zorgzaam_graphql_operations_total", { transport: "http", outcome: "invalid" })).toBeGreaterThan(
      before.value("zorgzaam_graphql_operations_total", { transport: "http", outcome: "invalid" }),
    );
    const count = (s: typeof after) => s.value("zorgzaam_graphql_operation_duration_seconds_count", { operation: "ContractMetricsProbe", type: "query" });
    expect(count(after) - count(before)).toBe(3);
    const sum = after.value("zorgzaam_graphql_operation_duration_seconds_sum", { operation: "ContractMetricsProbe" });
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(30);
    const inf = after.value("zorgzaam_graphql_operation_duration_seconds_bucket", { operation: "ContractMetricsProbe", le: "+Inf" });
    expect(inf).toBe(count(after));
    const posts = (s: typeof after) => s.value("zorgzaam_http_requests_total", { route: "/graphql", method: "POST", status: "200" });
    expect(posts(after) - posts(before)).toBeGreaterThanOrEqual(3);
    const httpCount = (s: typeof after) => s.value("zorgzaam_http_request_duration_seconds_count", { route: "/graphql" });
    expect(httpCount(after) - httpCount(before)).toBeGreaterThanOrEqual(4);
  });

  it("shows open WebSocket connections and subscriptions, and counts operations over WebSocket", async () => {
    const before = await scrape();
    /** Scrapes until `name` reaches `expected` (the socket's messages are handled asynchronously), or fails after 5 s. */
    const settles = async (name: string, expected: number) => {
      const deadline = Date.now() + 5000;
      let seen = (await scrape()).value(name);
      while (seen !== expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        seen = (await scrape()).value(name);
      }
      expect(seen, name).toBe(expected);
    };
    const client = t.ws();
    const sub = collect(client, `subscription ContractLive { initiativePublished { cursor } }`);
    await settles("zorgzaam_subscriptions_open", before.value("zorgzaam_subscriptions_open") + 1);
    const during = await scrape();
    expect(during.value("zorgzaam_websocket_connections_open") - before.value("zorgzaam_websocket_connections_open")).toBe(1);
    expect(during.value("zorgzaam_graphql_operations_total", { operation: "ContractLive", type: "subscription", transport: "ws", outcome: "ok" })).toBe(1);
    sub.unsubscribe();
    await settles("zorgzaam_subscriptions_open", before.value("zorgzaam_subscriptions_open"));
    await client.dispose();
    await settles("zorgzaam_websocket_connections_open", before.value("zorgzaam_websocket_connections_open"));
  });
});

describe("operations endpoints: readiness and a protected /metrics", () => {
  let t: TestApp;
  let base: string;
  const token = "metrics-token-for-the-contract-test";
  beforeAll(async () => {
    t = await startTestApp({ name: "sqlite" }, { METRICS_TOKEN: token });
    base = t.url.replace(/\/graphql$/, "");
  });
  afterAll(async () => t?.close());

  it("/readyz answers 503 while the newest migration is missing from the database, and ready again once it is there", async () => {
    const db = new Sqlite(t.databaseUrl);
    try {
      // drizzle's migration table on SQLite has no usable id: the creation time identifies the row.
      const newest = db.prepare('select max(created_at) as createdAt from "__drizzle_migrations"').get() as { createdAt: number };
      db.prepare('update "__drizzle_migrations" set created_at = 0 where created_at = ?').run(newest.createdAt);
      const missing = await fetch(`${base}/readyz`);
      expect(missing.status).toBe(503);
      expect(await missing.json()).toEqual({ status: "unavailable" });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      db.prepare('update "__drizzle_migrations" set created_at = ? where created_at = 0').run(newest.createdAt);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    } finally {
      db.close();
    }
  });

  it("/metrics with METRICS_TOKEN set answers only to that bearer token", async () => {
    const anonymous = await fetch(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("zorgzaam_http_requests_total");
  });
});
