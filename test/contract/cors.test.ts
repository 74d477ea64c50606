import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/env.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const PARTNER = "https://partner.example";
const OTHER = "https://evil.example";

/** A preflight as a browser sends it before a cross-origin POST with a token. */
const preflight = (t: TestApp, origin: string, headers = "content-type, authorization") =>
  fetch(t.url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers },
  });

const post = (t: TestApp, origin: string | null, query = `{ helpCategories { id } }`, contentType = "application/json") =>
  fetch(t.url, {
    method: "POST",
    headers: { "content-type": contentType, ...(origin ? { origin } : {}) },
    body: JSON.stringify({ query }),
  });

/** Opens a graphql-ws socket with the given Origin (none: as a non-browser client); resolves how the handshake went. */
function openSocket(url: string, origin?: string): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, "graphql-transport-ws", origin ? { origin } : {});
    socket.once("open", () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.once("unexpected-response", (_req, res) => {
      resolve({ opened: false, status: res.statusCode });
      socket.terminate();
    });
    socket.once("error", () => resolve({ opened: false }));
  });
}

const vary = (res: Response) => (res.headers.get("vary") ?? "").toLowerCase().split(/\s*,\s*/);

describe("CORS for browser apps on an allowed origin (CORS_ORIGINS)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: "sqlite" }, { CORS_ORIGINS: `${PARTNER}, https://second.example`, CORS_MAX_AGE_SECONDS: "900" });
  });
  afterAll(async () => t?.close());

  it("answers a preflight from an allowed origin with 204, the methods and headers the API takes, and a max age", async () => {
    const res = await preflight(t, PARTNER, "content-type, authorization, x-api-key, idempotency-key");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(res.headers.get("access-control-allow-methods")?.split(",")).toEqual(expect.arrayContaining(["GET", "POST"]));
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(",");
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "authorization", "x-api-key", "idempotency-key", "apollo-require-preflight", "if-none-match"]));
    expect(res.headers.get("access-control-max-age")).toBe("900");
    expect(vary(res)).toContain("origin");
    // No cookies are involved unless CORS_CREDENTIALS says so.
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("lets an allowed origin read the answer, and the headers a client needs (request id, rate limit, ETag)", async () => {
    const res = await post(t, PARTNER);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(vary(res)).toContain("origin");
    const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(",");
    expect(exposed).toEqual(expect.arrayContaining(["x-request-id", "etag", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after"]));
    expect(((await res.json()) as { data: { helpCategories: unknown[] } }).data.helpCategories.length).toBeGreaterThan(0);
    // Every listed origin, not just the first.
    expect((await post(t, "https://second.example")).headers.get("access-control-allow-origin")).toBe("https://second.example");
  });

  it("gives a disallowed origin no Access-Control-Allow-Origin, on the preflight and on the request", async () => {
    const pre = await preflight(t, OTHER);
    expect(pre.status).not.toBe(405);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await post(t, OTHER);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(vary(res)).toContain("origin");
    // An origin is compared whole: scheme, host and port.
    expect((await post(t, "http://partner.example")).headers.get("access-control-allow-origin")).toBeNull();
    expect((await post(t, "https://partner.example:8443")).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("keeps the CSRF protection: a simple cross-site POST (text/plain) is refused even from an allowed origin", async () => {
    const res = await post(t, PARTNER, `{ helpCategories { id } }`, "text/plain");
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
    // A GET without a header that forces a preflight is refused as well.
    const get = await fetch(`${t.url}?query=${encodeURIComponent("{ helpCategories { id } }")}`, { headers: { origin: PARTNER } });
    expect(get.status).toBe(400);
  });

  it("refuses a browser WebSocket from a disallowed origin, and takes an allowed one, its own origin and clients without Origin", async () => {
    expect(await openSocket(t.wsUrl, OTHER)).toEqual({ opened: false, status: 403 });
    expect(await openSocket(t.wsUrl, PARTNER)).toEqual({ opened: true });
    // GraphiQL served by the server itself subscribes from the server's own origin.
    expect(await openSocket(t.wsUrl, new URL(t.url).origin)).toEqual({ opened: true });
    expect(await openSocket(t.wsUrl)).toEqual({ opened: true });
  });
});

describe("CORS with credentials (CORS_CREDENTIALS=true)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: "sqlite" }, { CORS_ORIGINS: PARTNER, CORS_CREDENTIALS: "true" });
  });
  afterAll(async () => t?.close());

  it("names the exact origin with Access-Control-Allow-Credentials, never `*`", async () => {
    for (const res of [await preflight(t, PARTNER), await post(t, PARTNER)]) {
      expect(res.headers.get("access-control-allow-origin")).toBe(PARTNER);
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    }
    expect((await post(t, OTHER)).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("is refused at start together with CORS_ORIGINS=*", () => {
    expect(() => loadConfig({ NODE_ENV: "test", CORS_ORIGINS: "*", CORS_CREDENTIALS: "true" })).toThrow(/CORS_CREDENTIALS/);
  });
});

describe("CORS for any origin (CORS_ORIGINS=*)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: "sqlite" }, { CORS_ORIGINS: "*" });
  });
  afterAll(async () => t?.close());

  it("answers `*` without credentials, and still checks nothing on WebSockets but the credentials sent", async () => {
    const res = await post(t, OTHER);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(await openSocket(t.wsUrl, OTHER)).toEqual({ opened: true });
  });
});

describe("CORS defaults", () => {
  it("allow localhost origins on any port in development, and no origin in production", async () => {
    const dev = await startTestApp({ name: "sqlite" }, { NODE_ENV: "development" });
    const prod = await startTestApp({ name: "sqlite" }, { NODE_ENV: "production" });
    try {
      for (const origin of ["http://localhost:5173", "http://127.0.0.1:3000", "http://localhost"]) {
        expect((await post(dev, origin)).headers.get("access-control-allow-origin"), origin).toBe(origin);
        expect((await post(prod, origin)).headers.get("access-control-allow-origin"), origin).toBeNull();
      }
      expect((await post(dev, PARTNER)).headers.get("access-control-allow-origin")).toBeNull();
      expect(await openSocket(dev.wsUrl, "http://localhost:5173")).toEqual({ opened: true });
      expect(await openSocket(prod.wsUrl, "http://localhost:5173")).toEqual({ opened: false, status: 403 });
    } finally {
      await dev.close();
      await prod.close();
    }
  });

  it("refuse an entry that is not an origin", () => {
    expect(() => loadConfig({ NODE_ENV: "test", CORS_ORIGINS: "https://partner.example/app" })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ NODE_ENV: "test", CORS_ORIGINS: "partner.example" })).toThrow(/CORS_ORIGINS/);
  });
});
