import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../support/test-app.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) console.warn(`SKIPPED: the GraphiQL browser test needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

/** Flags that keep Chromium from reaching out on its own (updates, sync, field trials, QUIC probing). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const isLocal = (url: string) => {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
};

/** The text of a CodeMirror 5 editor (GraphiQL 3 keeps its instance on the wrapper element); runs in the page. */
const editorValue = (element: unknown): string => (element as { CodeMirror?: { getValue(): string } }).CodeMirror?.getValue() ?? "";

/** Whether GraphiQL's stored tab state names the operation; runs in the page. */
const tabStateNames = (operationName: string): boolean => {
  const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } }).localStorage;
  for (let i = 0; i < storage.length; i++) {
    if ((storage.getItem(storage.key(i) ?? "") ?? "").includes(`"operationName":"${operationName}"`)) return true;
  }
  return false;
};

describe("the offline GraphQL IDE", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it("serves GraphiQL to a browser from installed packages under a strict Content-Security-Policy, and JSON to GraphQL clients", async () => {
    const page = await fetch(t.url, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self' ws: wss:/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const path of assets) {
      expect(path.startsWith("/graphiql/"), path).toBe(true);
      const asset = await fetch(new URL(path, t.url));
      expect(asset.status, path).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
    const json = await fetch(`${t.url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { accept: "application/json", "apollo-require-preflight": "1" } });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ data: { __typename: "Query" } });
  });

  it.skipIf(!hasBrowser)(
    "in headless Chromium: a query typed into GraphiQL runs and shows its result, and no request leaves the machine",
    async () => {
      let browser: Browser | undefined;
      try {
        browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
        const context = await browser.newContext({ serviceWorkers: "block" });
        const requests: string[] = [];
        const outside: string[] = [];
        await context.route("**/*", async (route) => {
          const url = route.request().url();
          requests.push(`${route.request().method()} ${url}`);
          if (isLocal(url)) await route.continue();
          else {
            outside.push(url);
            await route.abort("blockedbyclient");
          }
        });
        const page = await context.newPage();
        page.on("websocket", (ws) => {
          if (!isLocal(ws.url())) outside.push(ws.url());
        });
        const pageErrors: string[] = [];
        page.on("pageerror", (err) => pageErrors.push(String(err)));
        page.on("console", (msg) => {
          if (msg.type() === "error") pageErrors.push(msg.text());
        });

        await page.goto(t.url, { waitUntil: "load" });
        const editor = page.locator(".graphiql-query-editor .CodeMirror").first();
        await editor.waitFor({ state: "visible", timeout: 20_000 });
        await editor.click();
        await page.keyboard.press("Control+A");
        await page.keyboard.press("Delete");
        // The editor closes brackets itself; typing the closing ones steps over them.
        await page.keyboard.type("query IdeCheck { helpCategories { code name } }", { delay: 5 });
        await page.keyboard.press("Escape"); // close the completion list, if open
        const typed = await editor.evaluate(editorValue);
        expect(typed.replace(/\s+/g, " ").trim()).toBe("query IdeCheck { helpCategories { code name } }");

        // GraphiQL takes the operation name from the editor after a short debounce and keeps it in its
        // tab state: run only once it has, as a person would (a click within that moment sends the old name).
        await page.waitForFunction(tabStateNames, "IdeCheck", { timeout: 10_000 });
        const answered = page.waitForResponse((r) => r.url() === t.url && r.request().method() === "POST" && (r.request().postData() ?? "").includes("IdeCheck"));
        await page.locator(".graphiql-execute-button").click();
        const response = await answered;
        expect(response.status()).toBe(200);
        // What the result pane shows (read from its editor: CodeMirror renders only the visible lines).
        const shownText = () => page.locator(".graphiql-response .CodeMirror").first().evaluate(editorValue);
        await expect.poll(shownText, { timeout: 15_000 }).toContain('"helpCategories"');
        const shown = await shownText();
        expect(shown).toContain('"data"');
        expect(shown).toContain('"code"');
        expect(shown).not.toContain('"errors"');

        expect(outside).toEqual([]);
        expect(requests.some((r) => r.includes("/graphiql/graphiql.min.js"))).toBe(true);
        expect(requests.some((r) => r.startsWith("POST ") && r.endsWith("/graphql"))).toBe(true);
        expect(pageErrors.filter((e) => /Content Security Policy|Refused to/.test(e))).toEqual([]);
      } finally {
        await browser?.close();
      }
    },
    120_000,
  );
});
