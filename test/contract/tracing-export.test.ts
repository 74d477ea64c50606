import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/env.js";
import { backends, createPgDatabase } from "../support/backends.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";

/** A span as OTLP/HTTP's JSON encoding carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
  scope: string;
}

/** An OTLP/HTTP trace receiver on loopback: what a collector at OTEL_EXPORTER_OTLP_ENDPOINT would get. */
async function startReceiver() {
  const spans: OtlpSpan[] = [];
  const requests: { path: string; headers: IncomingHttpHeaders; service?: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as {
        resourceSpans?: {
          resource?: { attributes?: OtlpSpan["attributes"] };
          scopeSpans?: { scope?: { name: string }; spans?: Omit<OtlpSpan, "scope">[] }[];
        }[];
      };
      for (const rs of body.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue;
        requests.push({ path: req.url ?? "", headers: req.headers, service });
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ ...s, scope: ss.scope?.name ?? "" });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (s: OtlpSpan, key: string) => {
  const value = s.attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

describe.each(backends())("traces exported over OTLP by the server process on $name", (backend) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: ServerProcess;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    receiver = await startReceiver();
    let databaseUrl: string;
    if (backend.name === "postgres") {
      const pgdb = await createPgDatabase();
      databaseUrl = pgdb.url;
      cleanup = pgdb.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "zorgzaam-otlp-"));
      databaseUrl = join(dir, "test.sqlite");
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    server = await startServerProcess({
      DATABASE_URL: databaseUrl,
      ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
      JWT_SECRET: "a-secret-for-the-tracing-export-test-only",
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: "x-collector-key=key%20for%20the%20collector",
      OTEL_SERVICE_NAME: "zorgzaam-export-test",
    });
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await cleanup?.();
  });

  it(`a server started as npm start starts it sends one tree per request to OTEL_EXPORTER_OTLP_ENDPOINT: HTTP, GraphQL and ${backend.name === "postgres" ? "pg" : "SQLite"} spans${backend.redisUrl ? " and ioredis" : ""}`, async () => {
    const requestId = `export-${randomUUID()}`;
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({
        query: `mutation ExportedLogin($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
        variables: { e: `nobody-${randomUUID()}@example.org`, p: "not the password" },
      }),
    });
    expect(res.status).toBe(200);

    // Spans are sent in batches about once a second.
    const deadline = Date.now() + 15_000;
    let root: OtlpSpan | undefined;
    while (!(root = receiver.spans.find((s) => attribute(s, "zorgzaam.request_id") === requestId)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(root, `the request's server span; got ${receiver.spans.map((s) => s.name).join(", ")}`).toBeDefined();
    expect(receiver.requests[0]).toMatchObject({ path: "/v1/traces", service: "zorgzaam-export-test" });
    expect(receiver.requests[0].headers["x-collector-key"]).toBe("key for the collector");

    // The rest of the trace ends before the server span, so it is in the same batch or an earlier one.
    const trace = receiver.spans.filter((s) => s.traceId === root!.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    expect(trace.filter((s) => !s.parentSpanId || !byId.has(s.parentSpanId))).toEqual([root]);
    expect(root!.name).toBe("POST /graphql");
    const operation = trace.find((s) => s.name === "mutation ExportedLogin");
    expect(operation?.parentSpanId).toBe(root!.spanId);
    for (const name of ["graphql.parse", "graphql.validate"]) expect(trace.find((s) => s.name === name)?.parentSpanId, name).toBe(root!.spanId);
    const below = (s: OtlpSpan): boolean => s.parentSpanId === operation!.spanId || (!!s.parentSpanId && !!byId.get(s.parentSpanId) && below(byId.get(s.parentSpanId)!));
    const sql = trace.filter((s) => attribute(s, "db.system.name") === (backend.name === "postgres" ? "postgresql" : "sqlite"));
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.every(below)).toBe(true);
    if (backend.name === "postgres") expect(sql.some((s) => s.scope === "@opentelemetry/instrumentation-pg")).toBe(true);
    if (backend.redisUrl) {
      const redis = trace.filter((s) => s.scope === "@opentelemetry/instrumentation-ioredis");
      expect(redis.length).toBeGreaterThan(0);
      expect(redis.every(below)).toBe(true);
    }
  });
});

describe("tracing errors", () => {
  it("a batch of spans the endpoint refuses is logged as an error, and the server goes on answering", async () => {
    const refusing = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(400, { "content-type": "application/json" }).end('{"message":"not today"}'));
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const dir = mkdtempSync(join(tmpdir(), "zorgzaam-otlp-"));
    const server = await startServerProcess({
      DATABASE_URL: join(dir, "test.sqlite"),
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`,
    });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' });
        expect(res.status).toBe(200);
      }
      const deadline = Date.now() + 10_000;
      while (!server.output().includes('"component":"tracing"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const line = server
        .output()
        .split("\n")
        .find((l) => l.includes('"component":"tracing"'));
      expect(line, server.output()).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ level: 50, msg: "OpenTelemetry reported an error" });
    } finally {
      await server.stop();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("tracing settings", () => {
  it("are off without OTEL_EXPORTER_OTLP_ENDPOINT, and a malformed header list or sampling share stops the start with the variable's name", () => {
    const none = loadConfig({});
    expect(none.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(none.OTEL_EXPORTER_OTLP_HEADERS).toBeUndefined();
    expect(none.OTEL_TRACES_SAMPLER_ARG).toBe(1);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: "api-key=a%2Cb, x-tenant=dordrecht" }).OTEL_EXPORTER_OTLP_HEADERS).toEqual({ "api-key": "a,b", "x-tenant": "dordrecht" });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: "just-a-key" })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS: expected name=value pairs/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: "api-key=%E0%A4%A" })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS: the value of api-key/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: "1.5" })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });
});
