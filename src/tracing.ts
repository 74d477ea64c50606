import { createRequire, register } from "node:module";
import type { IncomingMessage } from "node:http";
import type { GatewayExecutor } from "@apollo/server-gateway-interface";
import {
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  ROOT_CONTEXT,
  DiagLogLevel,
  context,
  createContextKey,
  diag,
  propagation,
  trace,
} from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { DocumentNode, GraphQLError, OperationDefinitionNode } from "graphql";
import { QUIET_ROUTES, routeOf } from "./graphql/routes.js";

// This file loads @opentelemetry/api only: the SDK, the exporter and the instrumentations are
// imported by startTracing, so a process that does not trace never loads them. It must not import
// graphql, pg, ioredis or node:http (other than their types): main.ts imports it before the
// instrumentations are in place.

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT): spans are sent to `<endpoint>/v1/traces` in batches. */
  endpoint?: string;
  /** Headers for the OTLP endpoint, e.g. a collector's API key. */
  headers?: Record<string, string>;
  /** The share of new traces recorded (0-1); a caller's decision in `traceparent` is followed. */
  sampleRatio?: number;
  /** Tests: spans go to this exporter as each one ends, instead of OTLP. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Where OpenTelemetry's own errors go (a span batch the endpoint did not take); unreported until set. */
  logErrorsTo(log: { error(fields: object, message: string): void }): void;
  /** Sends the spans still buffered and stops tracing. */
  shutdown(): Promise<void>;
}

/** The modules whose ES-module imports the loader hook intercepts, so their instrumentations can patch them. */
const HOOKED_IMPORTS = ["node:http", "http", "pg", "ioredis"];
/** CommonJS packages whose instrumentations patch prototypes every importer shares (see startTracing). */
const PATCHED_ON_LOAD = ["pg", "ioredis"];

/** This process's tracer while tracing runs; without it no span is made and nothing is wrapped. */
let tracer: Tracer | null = null;

/** In the context of an operation span of ours: the span (see operationAware). */
const OPERATION_SPAN = createContextKey("zorgzaam.graphql-operation");

/**
 * Starts OpenTelemetry tracing for the process when an OTLP endpoint is configured (or, in tests, an
 * exporter is given); otherwise does nothing and returns null.
 *
 * The instrumentations of node:http (a server span per request, continuing an incoming W3C
 * `traceparent`), graphql (parse and validate; execution: see traceOperations), pg and ioredis patch
 * those modules as they are loaded, so this must run before the app is imported (main.ts imports it
 * afterwards). graphql's files are loaded with `require` (its CommonJS build), which the
 * instrumentations hook by themselves; node:http, pg and ioredis are imported from ES modules, which
 * takes import-in-the-middle's loader hook, registered here for those modules only.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing | null> {
  if (!options.endpoint && !options.exporter) return null;
  if (tracer) throw new Error("tracing has already been started in this process");
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, { data: { include: HOOKED_IMPORTS } });
  const [sdk, { resourceFromAttributes }, { registerInstrumentations }, http, graphql, pg, ioredis] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/instrumentation"),
    import("@opentelemetry/instrumentation-http"),
    import("@opentelemetry/instrumentation-graphql"),
    import("@opentelemetry/instrumentation-pg"),
    import("@opentelemetry/instrumentation-ioredis"),
  ]);
  let processor;
  if (options.exporter) {
    processor = new sdk.SimpleSpanProcessor(options.exporter);
  } else {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    const url = `${options.endpoint!.replace(/\/+$/, "")}/v1/traces`;
    processor = new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url, headers: options.headers }), { scheduledDelayMillis: 1000 });
  }
  const provider = new sdk.NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [processor],
  });
  // Globally: the AsyncLocalStorage context manager that carries the active span across awaits, and
  // the W3C trace-context propagator that reads `traceparent`.
  provider.register();
  const graphqlInstrumentation = new graphql.GraphQLInstrumentation({ ignoreResolveSpans: true, allowValues: false });
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new http.HttpInstrumentation({
        // Probes and scrapes every few seconds would bury the traces that matter.
        ignoreIncomingRequestHook: (req) => QUIET_ROUTES.has(routeOf(pathOf(req.url))),
        // A low-cardinality route in place of the path, and no query string: a calendar URL holds a
        // secret token. No client address either, as the logs keep none.
        startIncomingSpanHook: (req) => {
          const route = routeOf(pathOf(req.url));
          return { "http.route": route, "url.path": route, ...REMOVED_HTTP_ATTRIBUTES };
        },
        requestHook: (span, req) => {
          if (isIncoming(req)) span.updateName(`${req.method} ${routeOf(pathOf(req.url))}`);
        },
        // Outgoing HTTP calls only as part of a traced request or operation.
        requireParentforOutgoingSpans: true,
      }),
      graphqlInstrumentation,
      new pg.PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      // The command's name only: a key can hold an email address (the login throttle's).
      new ioredis.IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  graphqlInstrumentation.setTracerProvider(operationAware(provider));
  // Loaded once through `require` now, pg and ioredis are patched whoever imports them later and
  // however: the loader hook only recognises an import by the package's name, and vitest imports
  // dependencies by their file URL.
  const require = createRequire(import.meta.url);
  for (const name of PATCHED_ON_LOAD) require(name);
  tracer = provider.getTracer("zorgzaam");
  return {
    logErrorsTo: (log) => {
      const error = (message: string, ...args: unknown[]) =>
        log.error({ error: message, ...(args.length ? { details: args.map(String) } : {}) }, "OpenTelemetry reported an error");
      const ignore = () => undefined;
      diag.setLogger({ error, warn: ignore, info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
    },
    shutdown: async () => {
      unregister();
      tracer = null;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}

/** Attributes the HTTP instrumentation records that we do not (an undefined value is not recorded). */
const REMOVED_HTTP_ATTRIBUTES: Record<string, undefined> = {
  "url.query": undefined,
  "client.address": undefined,
  "network.peer.address": undefined,
  "network.peer.port": undefined,
};

const isIncoming = (req: object): req is IncomingMessage => "httpVersion" in req && !("path" in req);

function pathOf(url: string | undefined): string {
  if (!url) return "/";
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The graphql instrumentation's tracers, except that graphql-js's execution directly inside one of
 * our operation spans is that span: graphql-jit runs compiled operations without graphql-js's
 * `execute`, so the operation span is what every operation has, compiled or not, and a graphql-js
 * execution span below it would only repeat it. The spans made during execution hang below the
 * operation span. Elsewhere (Apollo's own execution with GRAPHQL_JIT_AFTER=0, subscription events
 * being delivered) the instrumentation's execution span stays.
 */
function operationAware(provider: TracerProvider): TracerProvider {
  return {
    getTracer(name, version, options) {
      const inner = provider.getTracer(name, version, options);
      const tracerOf: Tracer = {
        startSpan(spanName, spanOptions, ctx = context.active()) {
          const parent = trace.getSpan(ctx);
          if (spanName === "graphql.execute" && parent && ctx.getValue(OPERATION_SPAN) === parent) {
            return trace.wrapSpanContext(parent.spanContext());
          }
          return inner.startSpan(spanName, spanOptions, ctx);
        },
        startActiveSpan: inner.startActiveSpan.bind(inner) as Tracer["startActiveSpan"],
      };
      return tracerOf;
    },
  };
}

// ---- operation spans --------------------------------------------------------------------------------

/** The span name and attributes of an operation (OpenTelemetry's GraphQL conventions). */
function nameOperation(span: Span, type: string, name: string | null | undefined): void {
  span.updateName(name ? `${type} ${name}` : type);
  span.setAttribute("graphql.operation.type", type);
  if (name) span.setAttribute("graphql.operation.name", name);
}

function inOperation(parent: Context, span: Span): Context {
  return trace.setSpan(parent, span).setValue(OPERATION_SPAN, span);
}

function endWith(span: Span, failure?: unknown): void {
  if (failure !== undefined) {
    span.recordException(failure instanceof Error ? failure : String(failure));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Runs each HTTP operation Apollo hands to its executor in a span of its own, below the request's
 * server span, with the SQL, Redis and outgoing HTTP spans of its resolvers below it. Unwrapped when
 * tracing is off.
 */
export function traceOperations(executor: GatewayExecutor): GatewayExecutor {
  if (!tracer) return executor;
  const ours = tracer;
  return (rc) => {
    const parentContext = context.active();
    if (!trace.getSpan(parentContext)?.isRecording()) return executor(rc);
    const span = ours.startSpan("GraphQL Operation", { kind: SpanKind.INTERNAL }, parentContext);
    nameOperation(span, rc.operation?.operation ?? "unknown", rc.operationName);
    return context
      .with(inOperation(parentContext, span), () => executor(rc))
      .then(
        (result) => {
          if (result.errors?.length) failed(span, result.errors);
          span.end();
          return result;
        },
        (err: unknown) => {
          endWith(span, err);
          throw err;
        },
      );
  };
}

/**
 * Runs graphql-ws's handling of one client message. A subscribe message is one operation, handled
 * until it completes (a subscription until the client or the server ends it): it gets a span of its
 * own, a trace of its own, with parsing, validation, credential checks and setting up the
 * subscription below it.
 */
export function traceSocketMessage(message: { type: string }, handle: () => Promise<void>): Promise<void> {
  if (!tracer || message.type !== "subscribe") return handle();
  const span = tracer.startSpan("GraphQL Operation", { kind: SpanKind.SERVER, attributes: { "network.protocol.name": "graphql-ws" } }, ROOT_CONTEXT);
  return context.with(inOperation(ROOT_CONTEXT, span), handle).then(
    () => span.end(),
    (err: unknown) => {
      endWith(span, err);
      throw err;
    },
  );
}

/** Names the WebSocket operation being handled by the operation `document` holds (once it is parsed). */
export function nameSocketOperation(document: DocumentNode, operationName: string | null | undefined): void {
  const span = operationSpan();
  if (!span) return;
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  const op = operationName ? operations.find((d) => d.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (op) nameOperation(span, op.operation, op.name?.value);
}

/** Marks the WebSocket operation being handled as failed (refused, invalid or failing). */
export function failSocketOperation(errors: readonly GraphQLError[]): void {
  const span = operationSpan();
  if (span) failed(span, errors);
}

/**
 * Marks an operation's span as failed with what the first error is, never its message (graphql-js
 * writes a variable's value into the message when it does not coerce): a domain error's reason
 * (INVALID_CREDENTIALS, ...), else the error's code (GRAPHQL_VALIDATION_FAILED, ...).
 */
function failed(span: Span, errors: readonly { extensions?: Record<string, unknown>; originalError?: unknown }[]): void {
  const reason = (errors[0]?.originalError as { reason?: unknown } | undefined)?.reason;
  const code = errors[0]?.extensions?.code;
  span.setAttribute("error.type", typeof reason === "string" ? reason : typeof code === "string" ? code : "GraphQLError");
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function operationSpan(): Span | undefined {
  if (!tracer) return undefined;
  const span = context.active().getValue(OPERATION_SPAN) as Span | undefined;
  return span?.isRecording() ? span : undefined;
}

// ---- SQLite statements ------------------------------------------------------------------------------

interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown;
}

/**
 * Gives a better-sqlite3 statement a client span per run (`run`, `get`, `all`; raw and pluck modes are
 * the same statement), as the pg instrumentation does for PostgreSQL: only below a traced request or
 * operation, with the SQL text and never the values. better-sqlite3 has no OpenTelemetry instrumentation.
 */
export function traceStatement<S extends Statement>(statement: S, sql: string): S {
  if (!tracer) return statement;
  const ours = tracer;
  const operation = /^\s*(\w+)/.exec(sql)?.[1].toUpperCase() ?? "SQL";
  const table = /\b(?:from|into|update)\s+[`"]?(\w+)/i.exec(sql)?.[1];
  const name = table ? `${operation} ${table}` : operation;
  const attributes = {
    "db.system.name": "sqlite",
    "db.operation.name": operation,
    "db.query.text": sql,
    ...(table ? { "db.collection.name": table } : {}),
  };
  for (const method of ["run", "get", "all"] as const) {
    const original = statement[method];
    statement[method] = function (this: S, ...params: unknown[]) {
      const parent = context.active();
      // A sampled parent, recording or not: inside an operation span graphql-js's execution is a
      // non-recording stand-in for it (see operationAware).
      if (!((trace.getSpanContext(parent)?.traceFlags ?? 0) & TraceFlags.SAMPLED)) return original.apply(this, params);
      const span = ours.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
      try {
        return original.apply(this, params);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    };
  }
  return statement;
}
