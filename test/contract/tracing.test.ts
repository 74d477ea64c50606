// Tracing starts before the app's modules are loaded: the instrumentations patch node:http, pg,
// ioredis and graphql as they load, so the app and the helpers that import it come in afterwards.
import { randomBytes, randomUUID } from "node:crypto";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTracing } from "../../src/tracing.js";

const exporter = new InMemorySpanExporter();
const tracing = (await startTracing({ serviceName: "zorgzaam-test", exporter }))!;
const { backends } = await import("../support/backends.js");
const { collect, keptLog, reasonOf, startTestApp } = await import("../support/test-app.js");
type TestApp = Awaited<ReturnType<typeof startTestApp>>;

afterAll(async () => tracing.shutdown());

/** A login with variables, and one with the values written into the document. */
const LOGIN = `mutation TraceLogin($e: String!, $p: String!) {
  login(email: $e, password: $p) { token }
  again: login(email: "nobody-literal@example.org", password: "not the password either") { token }
}`;

/** Waits until `find` returns something from the exported spans (a server span ends after its response is sent). */
async function eventually<T>(find: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline)
      throw new Error(
        `no ${what} among ${exporter
          .getFinishedSpans()
          .map((s) => s.name)
          .join(", ")}`,
      );
    await new Promise((r) => setTimeout(r, 20));
  }
}

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const traceOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

/**
 * The spans of one trace as a tree: exactly one span whose parent is not among them (the root, which
 * may continue a caller's span), every other span hanging below it.
 */
function treeOf(spans: ReadableSpan[]) {
  const byId = new Map(spans.map((s) => [idOf(s), s]));
  const parent = (s: ReadableSpan) => (s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined);
  const roots = spans.filter((s) => !parent(s));
  expect(roots.map((s) => s.name)).toHaveLength(1);
  const ancestors = (s: ReadableSpan) => {
    const out: ReadableSpan[] = [];
    for (let p = parent(s); p; p = parent(p)) out.push(p);
    return out;
  };
  return { root: roots[0], parent, ancestors };
}

/** A GraphQL POST with our own headers; answers the parsed body and the response headers. */
async function post(t: TestApp, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: unknown[] }, requestId: res.headers.get("x-request-id")! };
}

/** The server span of the request with this id (set by us in `x-request-id`). */
const serverSpanOf = (requestId: string) =>
  eventually(() => exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.attributes["zorgzaam.request_id"] === requestId), `server span of request ${requestId}`);

describe.each(backends())("traces on $name", (backend) => {
  let t: TestApp;
  const { log, lines } = keptLog();
  beforeAll(async () => {
    t = await startTestApp(backend, {}, { log });
  });
  afterAll(async () => t?.close());
  beforeEach(() => exporter.reset());

  it(`one GraphQL request is one trace: the HTTP server span, GraphQL parse, validate and operation spans below it, and the ${backend.name === "postgres" ? "pg" : "SQLite"} statements it ran below the operation${backend.redisUrl ? ", with the ioredis commands" : ""}`, async () => {
    const requestId = `trace-${randomUUID()}`;
    const answer = await post(t, LOGIN, { e: `nobody-${randomUUID()}@example.org`, p: "not the password" }, { "x-request-id": requestId });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeDefined(); // wrong credentials: still a whole request, database and throttle included

    const server = await serverSpanOf(requestId);
    expect(server.name).toBe("POST /graphql");
    expect(server.attributes["http.route"]).toBe("/graphql");
    const spans = traceOf(server.spanContext().traceId);
    const tree = treeOf(spans);
    expect(tree.root).toBe(server);
    expect(server.parentSpanContext).toBeUndefined();

    const named = (name: string) => spans.filter((s) => s.name === name);
    expect(named("graphql.parse").map((s) => tree.parent(s))).toEqual([server]);
    expect(named("graphql.validate").map((s) => tree.parent(s))).toEqual([server]);
    const [operation] = named("mutation TraceLogin");
    expect(operation, "the operation span").toBeDefined();
    expect(tree.parent(operation)).toBe(server);
    expect(operation.attributes).toMatchObject({ "graphql.operation.type": "mutation", "graphql.operation.name": "TraceLogin" });
    // Failed, with the reason and not the message.
    expect(operation.status.code).toBe(SpanStatusCode.ERROR);
    const reason = reasonOf({ status: 200, errors: answer.body.errors as never });
    expect(reason).toMatch(/^[A-Z_]+$/);
    expect(operation.attributes["error.type"]).toBe(reason);

    const sql = spans.filter((s) => s.attributes["db.system.name"] === (backend.name === "postgres" ? "postgresql" : "sqlite"));
    expect(sql.length, "SQL spans").toBeGreaterThan(0);
    for (const s of sql) expect(tree.ancestors(s), s.name).toContain(operation);
    const statements = sql.map((s) => String(s.attributes["db.query.text"]));
    expect(
      statements.some((text) => /^select/i.test(text)),
      statements.join("\n"),
    ).toBe(true);
    if (backend.name === "postgres") expect(sql.some((s) => s.instrumentationScope.name === "@opentelemetry/instrumentation-pg")).toBe(true);
    // Values are never recorded (statements with their placeholders, Redis commands without their keys).
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toMatch(/nobody-|not the password/);

    if (backend.redisUrl) {
      const redis = spans.filter((s) => s.attributes["db.system.name"] === "redis");
      expect(redis.length, "ioredis spans").toBeGreaterThan(0);
      for (const s of redis) expect(tree.ancestors(s), s.name).toContain(operation);
    }
  });

  it("gives every operation one operation span with its SQL below it, whichever engine runs it: graphql-js on its first run, graphql-jit afterwards, graphql-js alone with GRAPHQL_JIT_AFTER=0", async () => {
    const sqlSystem = backend.name === "postgres" ? "postgresql" : "sqlite";
    /** The trace of one login through `app`: its server span, its operation spans, its SQL spans. */
    const login = async (app: TestApp) => {
      const requestId = `trace-${randomUUID()}`;
      await post(app, LOGIN, { e: `nobody-${randomUUID()}@example.org`, p: "not the password" }, { "x-request-id": requestId });
      const server = await serverSpanOf(requestId);
      const spans = traceOf(server.spanContext().traceId);
      const tree = treeOf(spans);
      const operations = spans.filter((s) => s.attributes["graphql.operation.name"] === "TraceLogin");
      const sql = spans.filter((s) => s.attributes["db.system.name"] === sqlSystem);
      return { server, spans, tree, operations, sql };
    };
    for (const compileAfter of ["2", "0"]) {
      const other = await startTestApp(backend, { GRAPHQL_JIT_AFTER: compileAfter });
      try {
        for (const run of [1, 2]) {
          const { server, tree, operations, sql } = await login(other);
          const what = `GRAPHQL_JIT_AFTER=${compileAfter}, run ${run}`;
          expect(
            operations.map((s) => s.name),
            what,
          ).toEqual(["mutation TraceLogin"]);
          expect(tree.parent(operations[0]), what).toBe(server);
          expect(sql.length, what).toBeGreaterThan(0);
          for (const s of sql) expect(tree.ancestors(s), what).toContain(operations[0]);
        }
      } finally {
        await other.close();
      }
    }
  });

  it("continues a caller's trace from its W3C traceparent header", async () => {
    const traceId = randomBytes(16).toString("hex");
    const callerSpan = randomBytes(8).toString("hex");
    const requestId = `trace-${randomUUID()}`;
    const answer = await post(t, `query TraceContinued { helpCategories { id } }`, {}, { traceparent: `00-${traceId}-${callerSpan}-01`, "x-request-id": requestId });
    expect(answer.body.errors).toBeUndefined();
    const server = await serverSpanOf(requestId);
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext).toMatchObject({ traceId, spanId: callerSpan, isRemote: true });
    const spans = traceOf(traceId);
    expect(treeOf(spans).root).toBe(server);
    expect(spans.map((s) => s.name)).toContain("query TraceContinued");
  });

  it("writes the trace id into the request's log line", async () => {
    const requestId = `trace-${randomUUID()}`;
    await post(t, `query TraceLogged { helpCategories { id } }`, {}, { "x-request-id": requestId });
    const server = await serverSpanOf(requestId);
    const line = await eventually(() => lines.find((l) => l.requestId === requestId && l.msg === "request"), "request log line");
    expect(line).toMatchObject({ traceId: server.spanContext().traceId, operation: "TraceLogged", status: 200 });
  });

  it("names a server span by its route and records no path that holds a secret (a calendar token) or a query string", async () => {
    const secret = `forged-token-${randomBytes(12).toString("hex")}`;
    const requestId = `trace-${randomUUID()}`;
    const res = await fetch(new URL(`/calendar/${secret}.ics?key=${secret}`, t.url), { headers: { "x-request-id": requestId } });
    expect(res.status).toBe(404);
    const server = await serverSpanOf(requestId);
    expect(server.name).toBe("GET /calendar");
    expect(server.attributes["http.route"]).toBe("/calendar");
    expect(JSON.stringify(server.attributes)).not.toContain(secret);
  });

  it("gives a WebSocket subscription its own span, from subscribe to complete, with the work of setting it up below it", async () => {
    /** Subscribes, and waits until the document has been validated: inside the operation's span, which is still open. */
    const subscribe = async (client: ReturnType<TestApp["ws"]>, query: string) => {
      const before = exporter.getFinishedSpans().filter((s) => s.name === "graphql.validate").length;
      const sub = collect(client, query);
      const validate = await eventually(() => exporter.getFinishedSpans().filter((s) => s.name === "graphql.validate")[before], "validation of the subscription");
      return { sub, validate };
    };
    const client = t.ws();
    const { sub, validate } = await subscribe(client, `subscription TraceLive { initiativePublished { cursor } }`);
    expect(exporter.getFinishedSpans().some((s) => s.name === "subscription TraceLive")).toBe(false); // still running
    sub.unsubscribe();
    const operation = await eventually(() => exporter.getFinishedSpans().find((s) => s.name === "subscription TraceLive"), "subscription span");
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.parentSpanContext).toBeUndefined();
    expect(operation.attributes).toMatchObject({ "graphql.operation.type": "subscription", "graphql.operation.name": "TraceLive" });
    expect(validate.parentSpanContext?.spanId).toBe(idOf(operation));
    expect(validate.spanContext().traceId).toBe(operation.spanContext().traceId);
    expect(operation.status.code).not.toBe(SpanStatusCode.ERROR);

    // A second operation on the same socket is a trace of its own.
    const again = await subscribe(client, `subscription TraceLiveAgain { initiativePublished { cursor } }`);
    again.sub.unsubscribe();
    const second = await eventually(() => exporter.getFinishedSpans().find((s) => s.name === "subscription TraceLiveAgain"), "second subscription span");
    expect(second.spanContext().traceId).not.toBe(operation.spanContext().traceId);
    await client.dispose();
  });

  it("marks a refused WebSocket operation's span as an error", async () => {
    const client = t.ws();
    const sub = collect(client, `subscription TraceBroken { initiativePublishedd { cursor } }`);
    const span = await eventually(() => exporter.getFinishedSpans().find((s) => s.attributes["graphql.operation.name"] === "TraceBroken"), "refused operation span");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes["error.type"]).toBe("GRAPHQL_VALIDATION_FAILED");
    sub.unsubscribe();
    await client.dispose();
  });
});
