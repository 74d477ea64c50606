import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphiql } from "../../graphiql/build.js";
import { graphiqlAssetsDir } from "../../src/graphql/graphiql.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const require = createRequire(import.meta.url);

const hasBrowser = hasChromium("the GraphiQL browser test");

const QUERY = "query IdeCheck { helpCategories { code name } }";

/** What a model of GraphiQL's Monaco editors holds, found by the end of its URI (e.g. "response.json"); runs in the page. */
const editorText = (uriEnd: string): string => {
  type Model = { uri: { path: string }; getValue(): string };
  const monaco = (globalThis as { __MONACO?: { editor: { getModels(): Model[] } } }).__MONACO;
  return (
    monaco?.editor
      .getModels()
      .find((m) => m.uri.path.endsWith(uriEnd))
      ?.getValue() ?? ""
  );
};

/** Whether GraphiQL's stored tab state names the operation; runs in the page. */
const tabStateNames = (operationName: string): boolean => {
  const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } }).localStorage;
  for (let i = 0; i < storage.length; i++) {
    if ((storage.getItem(storage.key(i) ?? "") ?? "").includes(`"operationName":"${operationName}"`)) return true;
  }
  return false;
};

interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page and returns its serious and critical findings. axe is evaluated through the
 * browser's debugging protocol, which the page's CSP does not govern: the page itself still loads no script
 * from anywhere but the server.
 */
async function seriousFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeFinding[] }> } }).axe;
    return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ["violations"] })).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}) at ${n.target.join(" ")}: ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`));
}

describe("the offline GraphQL IDE", () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser | undefined;
  beforeAll(async () => {
    t = await startTestApp();
    origin = new URL(t.url).origin;
    if (hasBrowser) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /**
   * A context in which only the test server answers: anything else is aborted and recorded, as are web sockets
   * to elsewhere; errors and console errors (CSP reports among them) are collected.
   */
  async function offlineContext(colorScheme: "light" | "dark" = "light") {
    const context: BrowserContext = await browser!.newContext({ serviceWorkers: "block", colorScheme });
    const requests: string[] = [];
    const outside: string[] = [];
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      requests.push(`${route.request().method()} ${url}`);
      if (new URL(url).origin === origin) await route.continue();
      else {
        outside.push(url);
        await route.abort("blockedbyclient");
      }
    });
    const page = await context.newPage();
    const workers: string[] = [];
    page.on("worker", (worker) => workers.push(worker.url()));
    page.on("websocket", (ws) => {
      if (new URL(ws.url()).host !== new URL(origin).host) outside.push(ws.url());
    });
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(String(err)));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    return { context, page, requests, outside, workers, errors };
  }

  /** Opens the IDE and waits until its editors run (Monaco loads after the first render). */
  async function openIde(page: Page) {
    await page.goto(t.url, { waitUntil: "load" });
    await page.locator(".graphiql-query-editor .monaco-editor").first().waitFor({ state: "visible", timeout: 20_000 });
    await expect.poll(() => page.evaluate(editorText, "operation.graphql"), { timeout: 15_000 }).toContain("query Neighbourhoods");
  }

  it("serves GraphiQL to a browser from its own files under a strict Content-Security-Policy, and JSON to GraphQL clients", async () => {
    const page = await fetch(t.url, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|; )worker-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self' ws: wss:/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(["/graphiql/graphiql.js", "/graphiql/graphiql.css", "/graphiql/favicon.svg"]));
    // Monaco's workers are started by the bundle, not named in the page.
    for (const path of [...assets, "/graphiql/editor.worker.js", "/graphiql/json.worker.js", "/graphiql/graphql.worker.js", "/graphiql/codicon.ttf"]) {
      expect(path.startsWith("/graphiql/"), path).toBe(true);
      const asset = await fetch(new URL(path, t.url));
      expect(asset.status, path).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
    const icon = await fetch(new URL("/graphiql/favicon.svg", t.url));
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(await icon.text()).toMatch(/^<svg /);
    // Unchanged files cost a 304 on the next visit; a rebuilt bundle is fetched again.
    const bundle = await fetch(new URL("/graphiql/graphiql.js", t.url));
    const etag = bundle.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/".+"$/);
    expect((await fetch(new URL("/graphiql/graphiql.js", t.url), { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await fetch(new URL("/graphiql/THIRD-PARTY-LICENSES.txt", t.url))).status).toBe(404);
    expect((await fetch(new URL("/graphiql/../package.json", t.url))).status).toBe(404);

    const json = await fetch(`${t.url}?query=${encodeURIComponent("{ __typename }")}`, { headers: { accept: "application/json", "apollo-require-preflight": "1" } });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("serves the bundle graphiql/build.ts makes from the installed packages (rebuild with `npm run graphiql:build`)", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "zorgzaam-graphiql-"));
    try {
      await buildGraphiql(fresh);
      const committed = graphiqlAssetsDir();
      expect(readdirSync(committed).sort()).toEqual(readdirSync(fresh).sort());
      for (const file of readdirSync(fresh)) {
        expect(readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file))), `graphiql/assets/${file} is stale: run npm run graphiql:build`).toBe(true);
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!hasBrowser)(
    "in headless Chromium: a query typed into GraphiQL runs and shows its result, with nothing loaded from anywhere but the server",
    async () => {
      const { context, page, requests, outside, workers, errors } = await offlineContext();
      try {
        await openIde(page);
        await page.locator(".graphiql-query-editor .monaco-editor").first().click();
        await page.keyboard.press("Control+A");
        await page.keyboard.press("Delete");
        // The editor closes brackets itself; typing the closing ones steps over them.
        await page.keyboard.type(QUERY, { delay: 5 });
        await page.keyboard.press("Escape"); // close the completion list, if open
        expect((await page.evaluate(editorText, "operation.graphql")).replace(/\s+/g, " ").trim()).toBe(QUERY);

        // GraphiQL takes the operation name from the editor after a short debounce and keeps it in its
        // tab state: run only once it has, as a person would (a click within that moment sends the old name).
        await page.waitForFunction(tabStateNames, "IdeCheck", { timeout: 10_000 });
        const answered = page.waitForResponse((r) => r.url() === t.url && r.request().method() === "POST" && (r.request().postData() ?? "").includes("IdeCheck"));
        await page.locator(".graphiql-execute-button").click();
        expect((await answered).status()).toBe(200);
        // What the result pane shows (read from its editor's model: Monaco renders only the visible lines).
        await expect.poll(() => page.evaluate(editorText, "response.json"), { timeout: 15_000 }).toContain('"helpCategories"');
        const shown = await page.evaluate(editorText, "response.json");
        expect(shown).toContain('"data"');
        expect(shown).toContain('"code"');
        expect(shown).not.toContain('"errors"');
        // Monaco draws the lines after the model holds the text; under load that can take a moment.
        await expect.poll(() => page.locator(".graphiql-response .view-lines").first().textContent(), { timeout: 15_000 }).toContain("helpCategories");

        expect(outside).toEqual([]);
        expect(requests.some((r) => r === `GET ${origin}/graphiql/graphiql.js`)).toBe(true);
        expect(requests.some((r) => r === `POST ${t.url}`)).toBe(true);
        // Monaco's language services run in workers served by the same server (CSP worker-src 'self').
        expect(workers).toEqual(expect.arrayContaining([`${origin}/graphiql/graphql.worker.js`, `${origin}/graphiql/json.worker.js`]));
        expect(
          workers.every((url) => url.startsWith(`${origin}/graphiql/`)),
          workers.join(", "),
        ).toBe(true);

        // A link can carry an operation and its variables into the IDE.
        await page.goto(`${t.url}?query=${encodeURIComponent("query Linked { __typename }")}&variables=${encodeURIComponent('{ "first": 3 }')}`);
        await expect.poll(() => page.evaluate(editorText, "operation.graphql"), { timeout: 15_000 }).toBe("query Linked { __typename }");
        expect(await page.evaluate(editorText, "variables.json")).toBe('{ "first": 3 }');
        expect(outside).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it.skipIf(!hasBrowser)(
    "in headless Chromium: axe-core finds nothing serious or critical in GraphiQL, light or dark, in its editors, documentation, history, dialogs and completion list",
    async () => {
      for (const colorScheme of ["light", "dark"] as const) {
        const { context, page, outside, errors } = await offlineContext(colorScheme);
        try {
          await openIde(page);
          const findings: Record<string, string[]> = {};
          const check = async (state: string) => {
            findings[`${colorScheme}: ${state}`] = await seriousFindings(page);
          };
          await page.locator(".graphiql-execute-button").click();
          await expect.poll(() => page.evaluate(editorText, "response.json"), { timeout: 15_000 }).toContain('"neighbourhoods"');
          await check("a query's result shown");

          await page.locator('.graphiql-sidebar button[data-index="0"]').click(); // the documentation explorer
          await page.locator(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name").first().click();
          await page.locator(".graphiql-doc-explorer a.graphiql-doc-explorer-field-name").first().waitFor();
          await check("documentation of the Query type");

          await page.locator('.graphiql-sidebar button[data-index="1"]').click(); // the history
          await page.locator(".graphiql-history-item").first().waitFor();
          await check("history");

          for (const dialog of ["settings", "short-keys"]) {
            await page.locator(`.graphiql-sidebar button[data-value="${dialog}"]`).click();
            await page.locator(".graphiql-dialog").waitFor();
            await check(`the ${dialog} dialog`);
            await page.keyboard.press("Escape");
            await page.locator(".graphiql-dialog").waitFor({ state: "detached" });
          }

          await page.locator(".graphiql-query-editor .monaco-editor").first().click();
          await page.keyboard.press("Control+End");
          await page.keyboard.press("Enter");
          await page.keyboard.type("query Completion { hel", { delay: 5 });
          await page.keyboard.press("Control+Space");
          const suggestions = page.locator(".suggest-widget").first();
          await suggestions.locator(".monaco-list-row.focused").first().waitFor();
          // Settled: Monaco names the focused row to the editor only once it has resolved that completion and
          // drawn its row again with what that added (its type); checking before would check a half-drawn row.
          await page.waitForFunction(() => {
            const doc = (globalThis as unknown as { document: { querySelector(s: string): { id: string; getAttribute(a: string): string | null } | null } }).document;
            const focused = doc.querySelector(".suggest-widget .monaco-list-row.focused");
            return focused !== null && doc.querySelector(".graphiql-query-editor textarea")?.getAttribute("aria-activedescendant") === focused.id;
          });
          // The focused completion's documentation shows either beside the list or, shorter, inside its row;
          // Ctrl+Space switches between the two: check both.
          const besideFirst = /\bshows-details\b/.test((await suggestions.getAttribute("class")) ?? "");
          await check(`the completion list (documentation ${besideFirst ? "beside it" : "in the row"})`);
          await page.keyboard.press("Control+Space");
          await expect.poll(async () => /\bshows-details\b/.test((await suggestions.getAttribute("class")) ?? "")).toBe(!besideFirst);
          await check(`the completion list (documentation ${besideFirst ? "in the row" : "beside it"})`);

          expect(findings).toEqual(Object.fromEntries(Object.keys(findings).map((state) => [state, []])));
          expect(outside).toEqual([]);
          expect(errors).toEqual([]);
        } finally {
          await context.close();
        }
      }
    },
    180_000,
  );
});
