import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApolloServer, HeaderMap } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import vary from "vary";
import type { Logger } from "pino";
import { DomainError } from "../shared/errors.js";
import type { CorsSettings } from "../config/env.js";
import type { Context } from "./context.js";
import { OriginPolicy } from "./cors.js";
import { formatEnglish, type Language, type MessageParams, negotiateLanguage } from "../shared/i18n.js";
import { type ErrorFacts, errorJson } from "./errors.js";
import { currentRequest } from "./observability.js";
import { GraphQLReason } from "./graphql.errors.js";
import type { HttpRoute } from "./routes.js";

/** An HTTP answer as the idempotency hook keeps it and gives it back. */
export interface HttpAnswer {
  status: number;
  headers: [string, string][];
  body: string;
}

/** What became of a POST with an `Idempotency-Key`: its answer (first or replayed), or a refusal. */
export type IdempotentOutcome = { kind: "ANSWER"; answer: HttpAnswer; replayed: boolean } | { kind: "KEY_REUSED" } | { kind: "IN_PROGRESS" };

/**
 * Runs a POST that carries an `Idempotency-Key` at most once per principal and key (the app passes
 * the idempotency module's). The handler asks it, in this order, whether the key is well formed,
 * who the caller is (null when nobody can be named: the header is then refused) and whether the
 * body carries its document, then hands it the request to run.
 */
export interface IdempotencyHook {
  isValidKey: (key: string) => boolean;
  principal: (context: Context) => string | null;
  hasDocument: (body: unknown) => boolean;
  /** `execute` runs a body with the request's own context and rights. */
  run: (principal: string, key: string, body: unknown, execute: (body: unknown) => Promise<HttpAnswer>) => Promise<IdempotentOutcome>;
}

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  bodyLimit: number;
  log: Logger;
  /** Builds the per-request context from the Authorization header; throws UNAUTHENTICATED for a bad token. */
  context: (authorization: string | undefined, requestId: string, req: IncomingMessage) => Promise<Context>;
  /**
   * Checks a request before it runs (a key's rate limit and allow-list): a refusal is answered as
   * it is; otherwise the request runs with the returned body and query string (an allow-listed
   * document may be filled in), and the headers are added to the answer either way.
   */
  admit?: (
    context: Context,
    request: { method: string; search: string; body: unknown; address: string | undefined },
  ) => Promise<
    { ok: true; body: unknown; search: string; headers: Record<string, string> } | { ok: false; status: number; headers: Record<string, string>; error: GraphQLFormattedError }
  >;
  ready: () => Promise<boolean>;
  /** Requests with an `Idempotency-Key`; without a hook the header is ignored. */
  idempotency?: IdempotencyHook;
  /** The language of a request without a usable Accept-Language header (DEFAULT_LANGUAGE; nl when not given). */
  defaultLanguage?: Language;
  /** Browser origins that may call /graphql (CORS); without it, no CORS headers and no preflights. */
  cors?: CorsSettings;
  /**
   * max-age in seconds of anonymous GET queries of the public graph, which then carry an ETag and
   * answer If-None-Match with 304; 0 or unset: every answer is `private, no-store`.
   */
  publicCacheSeconds?: number;
  /** Extra routes tried before /graphql (see `route`). */
  routes?: HttpRoute[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The English ICU template of the message (the key of its translations). */
    readonly template: string,
    readonly params?: MessageParams,
  ) {
    super(formatEnglish(template, params));
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A lean node:http front for Apollo: a body limit (413), malformed JSON answered with a JSON 400
 * that never echoes the body into logs, health endpoints, and Apollo's executeHTTPGraphQLRequest
 * for /graphql. No Express: measured on the browse query it costs a third of the throughput.
 */
export function createHttpHandler(opts: HttpOptions) {
  const { apollo, bodyLimit, log } = opts;
  const origins = opts.cors ? new OriginPolicy(opts.cors) : null;
  const publicCache = opts.publicCacheSeconds ?? 0;
  const defaultLanguage = opts.defaultLanguage ?? "nl";
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const language = negotiateLanguage(req.headers["accept-language"], defaultLanguage);
    // The request's scope (instrumentHttp, which the app always puts in front) carries the language to
    // the error formatter.
    const request = currentRequest();
    if (request) request.language = language;
    return handle(req, res, language, request?.url);
  };
  async function handle(req: IncomingMessage, res: ServerResponse, language: Language, parsed?: URL): Promise<void> {
    const incomingId = req.headers["x-request-id"];
    const requestId = typeof incomingId === "string" && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    res.setHeader("x-request-id", requestId);
    const url = parsed ?? new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
      if (url.pathname === "/readyz") {
        const ok = await opts.ready().catch(() => false);
        return sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "unavailable" });
      }
      for (const tried of opts.routes ?? []) {
        const answered = tried(req, res, url.pathname);
        if (answered === true || (answered !== false && (await answered))) return;
      }
      // Every GraphQL answer, error or not, says in which language its messages and labels are (the
      // routes above answer in their own way: health, metrics, calendars, unsubscribe pages).
      res.setHeader("content-language", language);
      if (url.pathname !== "/graphql") throw new HttpError(404, "NOT_FOUND", "Nothing here; GraphQL lives at /graphql.");
      if (origins) {
        const answered = origins.apply(req, res);
        if (answered === true || (answered !== false && (await answered))) return;
      }
      // Answers depend on who asks unless they are a public GET (below): no cache may keep them.
      res.setHeader("cache-control", "private, no-store");
      if (req.method !== "GET" && req.method !== "POST") {
        res.setHeader("allow", "GET, POST");
        throw new HttpError(405, "METHOD_NOT_ALLOWED", "Use GET or POST.");
      }
      const raw = req.method === "POST" ? await readBody(req, bodyLimit) : "";
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      let body: unknown = raw;
      if (req.method === "POST" && (headers.get("content-type") ?? "").toLowerCase().includes("json")) {
        body = parseJson(raw);
      }
      let context: Context;
      try {
        context = await opts.context(req.headers.authorization, requestId, req);
        context.language = language;
      } catch (err) {
        if (err instanceof DomainError) {
          return sendError(res, 401, err.template, err, err.params);
        }
        throw err;
      }
      let search = url.search;
      if (opts.admit) {
        const admission = await opts.admit(context, { method: req.method, search, body, address: req.socket.remoteAddress });
        for (const [key, value] of Object.entries(admission.headers)) res.setHeader(key, value);
        if (!admission.ok) return sendJson(res, admission.status, { errors: [admission.error] });
        body = admission.body;
        search = admission.search;
      }
      const idempotencyKey = req.method === "POST" ? headers.get("idempotency-key") : undefined;
      if (idempotencyKey !== undefined && opts.idempotency) {
        if (!opts.idempotency.isValidKey(idempotencyKey)) {
          throw new HttpError(400, "BAD_REQUEST", "Idempotency-Key must be 1-200 visible ASCII characters.");
        }
        const principal = opts.idempotency.principal(context);
        if (principal === null) {
          // Keys are kept per caller; without a login or an API key, callers behind one address
          // cannot be told apart, and one would be answered with another's result.
          return sendError(res, 400, "An Idempotency-Key needs a caller to keep it for: log in or send an API key, or leave the header out.", {
            code: "BAD_USER_INPUT",
            reason: GraphQLReason.IDEMPOTENCY_KEY_NEEDS_CALLER,
          });
        }
        if (!opts.idempotency.hasDocument(body)) {
          // A replay reads the result again with the original document, so the document must be sent.
          return sendError(res, 400, "A request with an Idempotency-Key must send its document in `query`, not only its hash.", {
            code: "BAD_USER_INPUT",
            reason: GraphQLReason.IDEMPOTENCY_KEY_NEEDS_DOCUMENT,
          });
        }
        const execute = async (run: unknown): Promise<HttpAnswer> => {
          const r = await apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: req.method!, headers, search, body: run },
            context: async () => context,
          });
          let text = "";
          if (r.body.kind === "complete") text = r.body.string;
          else for await (const chunk of r.body.asyncIterator) text += chunk;
          return { status: r.status ?? 200, headers: [...r.headers], body: text };
        };
        const outcome = await opts.idempotency.run(principal, idempotencyKey, body, execute);
        if (outcome.kind === "KEY_REUSED") {
          return sendError(res, 422, "This Idempotency-Key was used for a different request.", {
            code: "BAD_USER_INPUT",
            reason: GraphQLReason.IDEMPOTENCY_KEY_REUSED,
          });
        }
        if (outcome.kind === "IN_PROGRESS") {
          res.setHeader("retry-after", "1");
          return sendError(res, 409, "A request with this Idempotency-Key is still running; retry shortly.", {
            code: "CONFLICT",
            reason: GraphQLReason.IDEMPOTENCY_KEY_IN_PROGRESS,
          });
        }
        res.statusCode = statusForMediaType(req.headers.accept, outcome.answer.status, outcome.answer.body);
        for (const [key, value] of outcome.answer.headers) res.setHeader(key, value);
        res.setHeader("idempotency-replayed", String(outcome.replayed));
        res.end(outcome.answer.body);
        return;
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method, headers, search, body },
        context: async () => context,
      });
      res.statusCode = response.status ?? 200;
      for (const [key, value] of response.headers) res.setHeader(key, value);
      if (response.body.kind === "complete") {
        const text = response.body.string;
        res.statusCode = statusForMediaType(req.headers.accept, res.statusCode, text);
        if (publicCache > 0 && req.method === "GET" && res.statusCode === 200 && !viewerDependent(req) && withoutErrors(text)) {
          const etag = strongEtag(text);
          res.setHeader("cache-control", `public, max-age=${publicCache}`);
          res.setHeader("etag", etag);
          // The answer differs by media type, and a request with credentials must not be given it.
          vary(res, "Accept, Accept-Language, Authorization, X-Api-Key, Cookie");
          if (matchesNoneOf(req.headers["if-none-match"], etag)) {
            res.removeHeader("content-type");
            res.removeHeader("content-length");
            res.statusCode = 304;
            res.end();
            return;
          }
        }
        res.end(text);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (err) {
      if (err instanceof HttpError) {
        return sendError(res, err.status, err.template, { code: err.code }, err.params);
      }
      log.error({ err, requestId }, "request failed");
      if (!res.headersSent) {
        sendError(res, 500, "Something went wrong on our side; it has been logged.", { code: "INTERNAL_SERVER_ERROR" });
      } else {
        res.destroy();
      }
    }
  }
}

/**
 * Whether an error is a GraphQL request error: the document was refused before execution (parse,
 * validation including our depth, alias and cost limits, operation choice) or its variables did not
 * coerce. A BAD_USER_INPUT with a `reason` is one of our own refusals, not a coercion failure.
 */
const isRequestError = (e: { extensions?: { code?: unknown; reason?: unknown } }): boolean => {
  const code = e.extensions?.code;
  if (code === "GRAPHQL_PARSE_FAILED" || code === "GRAPHQL_VALIDATION_FAILED" || code === "OPERATION_RESOLUTION_FAILURE") return true;
  return code === "BAD_USER_INPUT" && e.extensions?.reason === undefined;
};

/**
 * The status of a GraphQL response by the media type the client asked for (GraphQL over HTTP).
 * Apollo answers request errors (parse, validation, variable coercion) with 400, which is what the
 * spec asks for `application/graphql-response+json`. A client that names `application/json` and not
 * the newer type is a legacy client: for that media type the spec asks for 200 with the errors in
 * the body, since such clients read errors from the body only. Clients that say nothing (or accept any type)
 * keep the 400, so generic HTTP tools see a failed request. Refusals of our own (a key's scope or
 * rate limit, an input refusal with a `reason`) keep their status whatever was asked for.
 */
export function statusForMediaType(accept: string | undefined, status: number, body: string): number {
  if (status !== 400 || !accept) return status;
  const types = accept
    .toLowerCase()
    .split(",")
    .map((part) => part.split(";")[0].trim());
  if (!types.includes("application/json") || types.includes("application/graphql-response+json")) return status;
  let parsed: { data?: unknown; errors?: { extensions?: { code?: unknown; reason?: unknown } }[] };
  try {
    parsed = JSON.parse(body);
  } catch {
    return status;
  }
  const errors = parsed.errors;
  if (!Array.isArray(errors) || errors.length === 0 || parsed.data !== undefined) return status;
  return errors.every(isRequestError) ? 200 : status;
}

/**
 * Whether a request carries anything that names a viewer: a login or Basic credentials, an API key,
 * or a cookie (none is read today, but a proxy in front may authenticate with one).
 */
function viewerDependent(req: IncomingMessage): boolean {
  return req.headers.authorization !== undefined || req.headers["x-api-key"] !== undefined || req.headers.cookie !== undefined;
}

/** Whether a GraphQL answer has no errors: a failed or partly failed answer is not worth keeping. */
function withoutErrors(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    return parsed.errors === undefined;
  } catch {
    return false;
  }
}

/** A strong validator over the exact bytes of the body (RFC 9110 8.8.3). */
function strongEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

/**
 * Whether If-None-Match names the current tag (RFC 9110 13.1.2: a list of tags or `*`, compared
 * weakly). An origin server evaluates it whatever the request's Cache-Control says: fetch() sends
 * `no-cache` with every conditional request, and such a client should still get its 304.
 */
function matchesNoneOf(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A GraphQL-shaped error answer (`{ errors: [one error] }`) for a request refused before, or instead of, running. */
function sendError(res: ServerResponse, status: number, message: string, facts: ErrorFacts, params?: MessageParams): void {
  sendJson(res, status, { errors: [errorJson(message, facts, params)] });
}

function parseJson(raw: string): unknown {
  if (raw.length === 0) throw new HttpError(400, "BAD_REQUEST", "The request body is empty; send a JSON object with a `query`.");
  try {
    return JSON.parse(raw);
  } catch {
    // Never log or echo the body: it may hold personal data or a password.
    throw new HttpError(400, "BAD_REQUEST", "The request body is not valid JSON.");
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new HttpError(413, "PAYLOAD_TOO_LARGE", "The request body is larger than {limit} bytes.", { limit }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, "PAYLOAD_TOO_LARGE", "The request body is larger than {limit} bytes.", { limit }));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", (err) => {
      if (!failed) {
        failed = true;
        reject(new HttpError(400, "BAD_REQUEST", "The request body could not be read."));
        void err;
      }
    });
  });
}
