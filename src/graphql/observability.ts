import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { trace } from "@opentelemetry/api";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Language } from "../shared/i18n.js";
import type { Context } from "./context.js";
import type { RequestPlugin } from "./plugins.js";
import { QUIET_ROUTES, route, routeOf } from "./routes.js";

// ---- request scope: the request id and its logger follow the request through every await --------

export interface RequestScope {
  requestId: string;
  log: Logger;
  operationName?: string;
  operationType?: string;
  clientId?: string;
  /** The client's network address as the context has it (the access log records it). */
  address?: string;
  /** The request's URL, parsed once for the route here and for the handler. */
  url?: URL;
  /** The language the answer is given in (the handler negotiates it); error messages follow it. */
  language?: Language;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** The scope of the request being handled, if any. */
export const currentRequest = (): RequestScope | undefined => scope.getStore();
/** The logger of the request being handled (it carries the request id), if any. */
export const requestLog = (): Logger | undefined => scope.getStore()?.log;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Wraps the HTTP handler: settles the request id (a well-formed incoming x-request-id, or a new one),
 * gives the request a pino child logger carrying it (and the trace id when the request is traced),
 * and on completion logs one line (method, route, status, duration, operation, client: never bodies,
 * query strings or tokens) and records the metrics. The request's server span, when tracing is on,
 * is the HTTP instrumentation's (src/tracing.ts); it is given the request id.
 */
export function instrumentHttp(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>, opts: { log: Logger; metrics: Metrics }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers["x-request-id"] = requestId;
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = routeOf(url.pathname);
    // The request's logger is made on first use: most requests log one line at most, at a level
    // that may be off.
    let log: Logger | undefined;
    const span = trace.getActiveSpan();
    const traceId = span?.isRecording() ? span.spanContext().traceId : undefined;
    span?.setAttribute("zorgzaam.request_id", requestId);
    const store: RequestScope = {
      requestId,
      url,
      get log() {
        return (log ??= opts.log.child(traceId ? { requestId, traceId } : { requestId }));
      },
    };
    res.once("close", () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.headersSent ? res.statusCode : 499;
      opts.metrics.recordHttp(route, req.method ?? "?", status, seconds);
      const level = QUIET_ROUTES.has(route) ? "debug" : "info";
      if (!opts.log.isLevelEnabled(level)) return;
      const line = {
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(store.operationName !== undefined ? { operation: store.operationName || "anonymous", operationType: store.operationType } : {}),
        ...(store.clientId ? { clientId: store.clientId } : {}),
      };
      store.log[level](line, "request");
    });
    void scope.run(store, () => handler(req, res));
  };
}

// ---- metrics ---------------------------------------------------------------------------------------

/** What the WebSocket side reports for the metrics. */
export interface SocketStats {
  connections: number;
  operations: number;
  /** Subscriptions receiving events (set up and following their topic). */
  attached: number;
  delivered: number;
  executed: number;
}

const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const MAX_OPERATION_NAMES = 500;

/**
 * Prometheus metrics of one app instance, in its own registry (several apps may share a process in
 * tests). Operation names are client-chosen, so they are bounded: malformed names and names beyond
 * the first 500 are counted as "other".
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();
  private readonly httpRequests: Counter<"route" | "method" | "status">;
  private readonly httpDuration: Histogram<"route">;
  private readonly operations: Counter<"operation" | "type" | "transport" | "outcome">;
  private readonly operationDuration: Histogram<"operation" | "type">;
  private readonly rateLimitedTotal: Counter<"client">;

  constructor(sockets: () => SocketStats) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: "zorgzaam_http_requests_total",
      help: "HTTP requests by route, method and status.",
      labelNames: ["route", "method", "status"],
      registers,
    });
    this.httpDuration = new Histogram({
      name: "zorgzaam_http_request_duration_seconds",
      help: "HTTP request latency by route.",
      labelNames: ["route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.operations = new Counter({
      name: "zorgzaam_graphql_operations_total",
      help: "GraphQL operations by name, type, transport (http, ws) and outcome (ok, error, invalid).",
      labelNames: ["operation", "type", "transport", "outcome"],
      registers,
    });
    this.operationDuration = new Histogram({
      name: "zorgzaam_graphql_operation_duration_seconds",
      help: "Latency of GraphQL operations over HTTP, from receiving the request to the response, by operation name and type.",
      labelNames: ["operation", "type"],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.rateLimitedTotal = new Counter({
      name: "zorgzaam_rate_limited_total",
      help: "Requests refused for a rate limit, by API client id (anonymous: per-address limit).",
      labelNames: ["client"],
      registers,
    });
    new Gauge({
      name: "zorgzaam_websocket_connections_open",
      help: "WebSocket (graphql-ws) connections open on this instance.",
      registers,
      collect() {
        this.set(sockets().connections);
      },
    });
    new Gauge({
      name: "zorgzaam_subscriptions_open",
      help: "GraphQL operations running on WebSockets on this instance (subscriptions, and queries while they run).",
      registers,
      collect() {
        this.set(sockets().operations);
      },
    });
    new Gauge({
      name: "zorgzaam_subscriptions_attached",
      help: "Subscriptions set up and following their topic's events on this instance.",
      registers,
      collect() {
        this.set(sockets().attached);
      },
    });
    new Counter({
      name: "zorgzaam_subscription_messages_total",
      help: "Subscription events written to sockets on this instance.",
      registers,
      collect() {
        this.reset();
        this.inc(sockets().delivered);
      },
    });
    new Counter({
      name: "zorgzaam_subscription_executions_total",
      help: "Executions of subscription operations for those messages: subscribers alike share one execution per event.",
      registers,
      collect() {
        this.reset();
        this.inc(sockets().executed);
      },
    });
  }

  /** A bounded label for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return "anonymous";
    if (!OPERATION_NAME.test(name)) return "other";
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return "other";
    this.names.add(name);
    return name;
  }

  recordHttp(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method: ["GET", "POST", "HEAD", "OPTIONS"].includes(method) ? method : "other", status: String(status) });
    this.httpDuration.observe({ route }, seconds);
  }

  recordOperation(transport: "http" | "ws", name: string | null | undefined, type: string, outcome: "ok" | "error" | "invalid", seconds?: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, type, transport, outcome });
    if (seconds !== undefined) this.operationDuration.observe({ operation, type }, seconds);
  }

  rateLimited(clientId: string | null): void {
    this.rateLimitedTotal.inc({ client: clientId ?? "anonymous" });
  }

  /** GET /metrics in the Prometheus text format; with a token configured, only for `Authorization: Bearer <token>`. */
  route(token?: string) {
    return route(
      (pathname) => pathname === "/metrics",
      async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
        if (token && req.headers.authorization !== `Bearer ${token}`) {
          res.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" }).end("Send the metrics token.");
          return true;
        }
        const text = await this.registry.metrics();
        res.writeHead(200, { "content-type": this.registry.contentType, "cache-control": "no-store" }).end(text);
        return true;
      },
    );
  }

  /** Counts and times each operation over HTTP. */
  apolloPlugin(): RequestPlugin<Context> {
    return (rc) => {
      const started = performance.now();
      const store = currentRequest();
      if (store && rc.contextValue.client) store.clientId = rc.contextValue.client.clientId;
      return {
        didResolveOperation: (r) => {
          if (store) {
            store.operationName = r.operationName ?? "";
            store.operationType = r.operation?.operation ?? "unknown";
          }
        },
        willSendResponse: (r) => {
          const type = r.operation?.operation ?? "unknown";
          const outcome = !r.operation ? "invalid" : r.errors?.length ? "error" : "ok";
          this.recordOperation("http", r.operationName, type, outcome, (performance.now() - started) / 1000);
        },
      };
    };
  }
}
