import { type ECDH, createECDH, randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";

/** http_ece ships no types: the one function used here. */
const ece = createRequire(import.meta.url)("http_ece") as {
  decrypt(body: Buffer, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string }): Buffer;
};

/** A browser's subscription as `PushSubscription.toJSON()` gives it. */
export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A message the endpoint accepted: its VAPID identity checked, its payload decrypted. */
export interface PushReceived {
  /** The subscription's path on the endpoint (one per browser). */
  browser: string;
  payload: Record<string, unknown>;
  /** The decrypted payload as sent. */
  plaintext: string;
  ttl: string | undefined;
  urgency: string | undefined;
  topic: string | undefined;
  /** The VAPID JWT's claims and the key it carried. */
  vapid: { aud: string; sub: string; exp: number; k: string };
}

/**
 * A push service on loopback for one test file. Each `browser()` is a subscription whose keys the test
 * made (an ECDH P-256 pair and a 16-byte authentication secret), as a browser makes them; a message to
 * it must carry a valid VAPID `Authorization: vapid t=<ES256 JWT>, k=<key>` (signature checked against
 * the key, `aud` the endpoint's origin, `exp` in the future and within a day, `sub` present) and an
 * aes128gcm body that decrypts with the browser's keys, or it is refused (401/400) and noted in
 * `refused`. `answer(browser, status)` makes the service answer a browser's next messages with a status
 * (404/410: gone, 429/500: later) without delivering them.
 */
export interface PushEndpoint {
  origin: string;
  received: PushReceived[];
  /** Requests refused, with why (a bad signature, a body that does not decrypt). */
  refused: string[];
  /** Every request, delivered or not, per browser. */
  attempts: Map<string, number>;
  browser(name?: string): BrowserSubscription & { name: string };
  to(browser: string): PushReceived[];
  answer(browser: string, status: number | null): void;
  waitFor(predicate: (received: PushReceived[]) => boolean, ms?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const browsers = new Map<string, { ecdh: ECDH; auth: string }>();
  const answers = new Map<string, number>();
  const received: PushReceived[] = [];
  const refused: string[] = [];
  const attempts = new Map<string, number>();
  let origin = "";

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const name = decodeURIComponent((req.url ?? "/").replace(/^\/push\//, ""));
      attempts.set(name, (attempts.get(name) ?? 0) + 1);
      const browser = browsers.get(name);
      if (req.method !== "POST" || !browser) return void res.writeHead(404).end();
      let vapid: PushReceived["vapid"];
      try {
        vapid = await checkVapid(req.headers.authorization, origin);
      } catch (err) {
        refused.push(`${name}: ${(err as Error).message}`);
        return void res.writeHead(401).end((err as Error).message);
      }
      const status = answers.get(name);
      if (status !== undefined) return void res.writeHead(status).end(`answered ${status}`);
      let plaintext: string;
      try {
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error(`content-encoding ${req.headers["content-encoding"]}`);
        plaintext = ece.decrypt(body, { version: "aes128gcm", privateKey: browser.ecdh, authSecret: browser.auth }).toString("utf8");
      } catch (err) {
        refused.push(`${name}: does not decrypt: ${(err as Error).message}`);
        return void res.writeHead(400).end();
      }
      received.push({
        browser: name,
        plaintext,
        payload: JSON.parse(plaintext) as Record<string, unknown>,
        ttl: header(req, "ttl"),
        urgency: header(req, "urgency"),
        topic: header(req, "topic"),
        vapid,
      });
      res.writeHead(201, { location: `${origin}/message/${received.length}` }).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let count = 0;

  return {
    origin,
    received,
    refused,
    attempts,
    browser(name = `browser-${++count}-${randomBytes(4).toString("hex")}`) {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16).toString("base64url");
      browsers.set(name, { ecdh, auth });
      return { name, endpoint: `${origin}/push/${encodeURIComponent(name)}`, keys: { p256dh: ecdh.getPublicKey("base64url"), auth } };
    },
    to: (browser) => received.filter((r) => r.browser === browser),
    answer(browser, status) {
      if (status === null) answers.delete(browser);
      else answers.set(browser, status);
    },
    async waitFor(predicate, ms = 10_000, what = "push messages") {
      const until = Date.now() + ms;
      while (!predicate(received)) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; received ${received.length}, refused: ${refused.join(" | ") || "none"}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Checks a VAPID Authorization header (RFC 8292) and returns its claims; throws saying what is wrong. */
async function checkVapid(authorization: string | undefined, origin: string): Promise<PushReceived["vapid"]> {
  const m = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!m) throw new Error(`no VAPID authorization: ${authorization}`);
  const [, token, k] = m;
  const raw = Buffer.from(k, "base64url");
  if (raw.length !== 65 || raw[0] !== 4) throw new Error("k is not an uncompressed P-256 key");
  if (decodeProtectedHeader(token).alg !== "ES256") throw new Error("not ES256");
  const key = await importJWK({ kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33).toString("base64url") }, "ES256");
  const { payload } = await jwtVerify(token, key, { audience: origin, algorithms: ["ES256"], requiredClaims: ["exp", "sub"] });
  const exp = payload.exp!;
  if (exp * 1000 > Date.now() + 24 * 3600_000) throw new Error("exp more than 24 hours ahead");
  if (typeof payload.sub !== "string" || !payload.sub) throw new Error("no sub");
  return { aud: String(payload.aud), sub: payload.sub, exp, k };
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
