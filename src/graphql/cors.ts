import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";
import type { CorsSettings } from "../config/env.js";

/** Request headers a partner's browser app sends: JSON, a token or key, CSRF's preflight header, idempotency, revalidation. */
const ALLOWED_HEADERS = ["content-type", "authorization", "x-api-key", "apollo-require-preflight", "x-apollo-operation-name", "idempotency-key", "x-request-id", "if-none-match"];

/** Response headers a browser app may read beyond the safelisted ones: request id, rate limit, ETag, replays. */
const EXPOSED_HEADERS = ["x-request-id", "etag", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after", "idempotency-replayed"];

/** `scheme://host:*` matches the host on any port, or on none; anything else is compared whole. */
function matcherOf(entry: string): string | RegExp {
  if (!entry.endsWith(":*")) return entry;
  const base = entry.slice(0, -2).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${base}(?::\\d{1,5})?$`, "i");
}

/**
 * Which browser origins may use the API, from the CORS settings. HTTP requests go through the `cors`
 * package (preflights, Access-Control-Allow-*, Vary: Origin); WebSocket handshakes, which browsers do
 * not subject to CORS, are checked against the same list by `allowsSocket`.
 */
export class OriginPolicy {
  private readonly matchers: (string | RegExp)[];
  private readonly middleware: ReturnType<typeof cors>;

  constructor(private readonly settings: CorsSettings) {
    this.matchers = settings.origins === "*" ? [] : settings.origins.map(matcherOf);
    this.middleware = cors({
      // An array makes the package reflect an allowed origin and add Vary: Origin to every answer,
      // so a cache never hands one origin's answer to another.
      origin: settings.origins === "*" ? "*" : this.matchers,
      credentials: settings.credentials,
      methods: ["GET", "POST"],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: settings.maxAgeSeconds,
      preflightContinue: true,
    });
  }

  /** Whether a browser page on this origin may call the API. */
  allows(origin: string): boolean {
    if (this.settings.origins === "*") return true;
    const lower = origin.toLowerCase();
    return this.matchers.some((m) => (typeof m === "string" ? m === lower : m.test(lower)));
  }

  /**
   * Whether a WebSocket handshake may go on: clients that send no Origin (servers, mobile apps) as
   * before, a page of the server's own (GraphiQL), and the allowed origins. A browser page elsewhere
   * would otherwise ride on the credentials it can put in connectionParams, with no CORS to stop it.
   */
  allowsSocket(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.allows(origin)) return true;
    if (this.settings.ownOrigin && origin.toLowerCase() === this.settings.ownOrigin.toLowerCase()) return true;
    try {
      return host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
    } catch {
      return false;
    }
  }

  /**
   * Adds the CORS headers to a /graphql answer; answers a preflight (OPTIONS) itself with 204 and
   * returns true, whether or not the origin is allowed: a disallowed one gets no Allow-Origin, which
   * the browser reads as a refusal.
   */
  apply(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
    // The `cors` package calls back at once for a fixed list of origins: the answer is then given
    // without a promise; a promise only if it ever calls back later.
    let settled: { ok: boolean } | { err: unknown } | undefined;
    let later: { resolve: (ok: boolean) => void; reject: (err: unknown) => void } | undefined;
    this.middleware(req, res, (err?: unknown) => {
      const outcome = err ? { err } : { ok: this.answerPreflight(req, res) };
      if (!later) settled = outcome;
      else if ("err" in outcome) later.reject(outcome.err);
      else later.resolve(outcome.ok);
    });
    if (settled) {
      if ("err" in settled) throw settled.err;
      return settled.ok;
    }
    return new Promise((resolve, reject) => (later = { resolve, reject }));
  }

  /** Answers a preflight (OPTIONS) with 204; true when it did. */
  private answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== "OPTIONS") return false;
    res.writeHead(204, { "content-length": "0", allow: "GET, POST, OPTIONS" }).end();
    return true;
  }
}
