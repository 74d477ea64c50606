import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPerson } from "../support/builders.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const hasBrowser = hasChromium("the CORS browser test");

/** What the page's script found out, left in `globalThis.__outcome`. */
interface Outcome {
  public: { ok: true; status: number; categories: number; requestId: string | null } | { ok: false; error: string };
  me: { ok: true; firstName: string | null } | { ok: false; error: string };
  socket: { opened: boolean; ack: boolean; categories: number; completed: boolean; closeCode: number | null };
}

/**
 * The script of a browser app on another origin: a JSON POST (which takes a preflight), one with a
 * bearer token, and a graphql-ws socket that runs a query and completes. It is plain JavaScript, served as is.
 */
const PAGE_SCRIPT = `
const { api, token } = JSON.parse(document.getElementById("settings").textContent);
const post = async (query, headers = {}) => {
  try {
    const res = await fetch(api, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
    return { ok: true, status: res.status, requestId: res.headers.get("x-request-id"), body: await res.json() };
  } catch (err) {
    return { ok: false, error: err.name + ": " + err.message };
  }
};
const socket = () =>
  new Promise((resolve) => {
    const seen = { opened: false, ack: false, categories: 0, completed: false, closeCode: null };
    const ws = new WebSocket(api.replace(/^http/, "ws"), "graphql-transport-ws");
    const done = () => resolve(seen);
    setTimeout(done, 5000);
    ws.onopen = () => {
      seen.opened = true;
      ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: "Bearer " + token } }));
    };
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "connection_ack") {
        seen.ack = true;
        ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "{ helpCategories { id } }" } }));
      } else if (msg.type === "next") seen.categories = msg.payload.data.helpCategories.length;
      else if (msg.type === "complete") {
        seen.completed = true;
        ws.close(1000);
      }
    };
    ws.onclose = (e) => {
      seen.closeCode = e.code;
      done();
    };
  });
(async () => {
  const pub = await post("{ helpCategories { id } }");
  const me = await post("{ me { person { firstName } } }", { authorization: "Bearer " + token });
  globalThis.__outcome = {
    public: pub.ok ? { ok: true, status: pub.status, categories: pub.body.data.helpCategories.length, requestId: pub.requestId } : pub,
    me: me.ok ? { ok: true, firstName: me.body.data?.me.person.firstName ?? null } : me,
    socket: await socket(),
  };
})();
`;

/** A web server for one origin, serving the app page with the API's URL and a token. */
async function startPageServer(settings: () => { api: string; token: string }): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    if (req.url !== "/") return res.writeHead(404).end();
    // `<` escaped so nothing in the settings can end the script element.
    const json = JSON.stringify(settings()).replace(/</g, "\\u003c");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>Partner app</title></head><body>
<script type="application/json" id="settings">${json}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(!hasBrowser)("a browser page on another origin calling the API, in headless Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  let partner: { server: Server; origin: string };
  let stranger: { server: Server; origin: string };
  let token = "";
  /** What reached the API: method and Origin of each request, Origin of each WebSocket handshake. */
  const seen: { requests: string[]; upgrades: string[] } = { requests: [], upgrades: [] };

  beforeAll(async () => {
    const settings = () => ({ api: t.url, token });
    partner = await startPageServer(settings);
    stranger = await startPageServer(settings);
    // Only the partner's origin is listed; the stranger differs from it by the port alone.
    t = await startTestApp({ name: "sqlite" }, { CORS_ORIGINS: partner.origin });
    t.app.server.prependListener("request", (req) => seen.requests.push(`${req.method} ${req.headers.origin ?? "-"}`));
    t.app.server.prependListener("upgrade", (req) => seen.upgrades.push(req.headers.origin ?? "-"));
    token = (await buildPerson(t, { firstName: "Partnergebruiker" })).token;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    for (const s of [partner, stranger]) if (s) await new Promise((resolve) => s.server.close(resolve));
    await t?.close();
  });

  /** Opens the page of an origin in a fresh context and waits for its script to finish. */
  async function outcomeAt(origin: string): Promise<Outcome> {
    const context = await browser.newContext({ serviceWorkers: "block" });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(String(err)));
      await page.goto(`${origin}/`, { waitUntil: "load" });
      await page.waitForFunction(() => "__outcome" in globalThis, undefined, { timeout: 10_000 });
      expect(errors).toEqual([]);
      return (await page.evaluate(() => (globalThis as unknown as { __outcome: Outcome }).__outcome)) as Outcome;
    } finally {
      await context.close();
    }
  }

  it("an allowed origin's page reads a JSON POST after its preflight, its user's data with a bearer token, and a query over graphql-ws", async () => {
    seen.requests.length = 0;
    seen.upgrades.length = 0;
    const outcome = await outcomeAt(partner.origin);
    expect(outcome.public).toEqual({ ok: true, status: 200, categories: expect.any(Number), requestId: expect.any(String) });
    expect(outcome.public.ok && outcome.public.categories).toBeGreaterThan(0);
    expect(outcome.me).toEqual({ ok: true, firstName: "Partnergebruiker" });
    expect(outcome.socket).toEqual({ opened: true, ack: true, categories: expect.any(Number), completed: true, closeCode: 1000 });
    expect(outcome.socket.categories).toBeGreaterThan(0);
    // The browser asked first: a JSON body, and then the Authorization header, are not "simple".
    expect(seen.requests.filter((r) => r === `OPTIONS ${partner.origin}`).length).toBeGreaterThanOrEqual(1);
    expect(seen.requests.filter((r) => r === `POST ${partner.origin}`)).toHaveLength(2);
    expect(seen.upgrades).toEqual([partner.origin]);
  }, 20_000);

  it("a page on an origin not listed gets a TypeError from fetch (the POST is never sent) and its WebSocket is refused", async () => {
    seen.requests.length = 0;
    seen.upgrades.length = 0;
    const outcome = await outcomeAt(stranger.origin);
    expect(outcome.public).toEqual({ ok: false, error: expect.stringMatching(/^TypeError: /) });
    expect(outcome.me).toEqual({ ok: false, error: expect.stringMatching(/^TypeError: /) });
    // Refused during the handshake (403): the socket never opens and closes abnormally.
    expect(outcome.socket).toEqual({ opened: false, ack: false, categories: 0, completed: false, closeCode: 1006 });
    // The preflights reached the API and were answered without Allow-Origin, so the browser stopped there.
    expect(seen.requests.length).toBeGreaterThanOrEqual(1);
    expect(seen.requests.every((r) => r === `OPTIONS ${stranger.origin}`)).toBe(true);
    expect(seen.upgrades).toEqual([stranger.origin]);
  }, 20_000);
});
