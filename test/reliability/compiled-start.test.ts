import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, describe, expect, it } from "vitest";
import { gql } from "../support/test-app.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const stamp = join(root, "dist", ".build-hash");
const compiledMain = join(root, "dist", "src", "main.js");

interface Started {
  proc: ChildProcess;
  url: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Runs `npm start`'s script (scripts/start.mjs) as its own process and waits until the server listens. */
async function npmStart(env: Record<string, string>): Promise<Started> {
  const proc = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`did not listen in time:\n${out}`)), 240_000);
    proc.stdout!.on("data", () => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[1]);
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return {
    proc,
    url,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      return exited;
    },
  };
}

/** The compiled server answers the API over HTTP and WebSocket, with the demo data the first start seeded. */
async function exercise(url: string): Promise<void> {
  const login = await gql(url, `mutation { login(email: "mohammed@zorgzaam.example", password: "zorgzaam-demo") { token me { roles } } }`);
  expect(login.errors).toBeUndefined();
  expect(login.data.login.me.roles).toContain("VOLUNTEER");
  const browse = await gql(url, `{ openHelpRequests(first: 5) { edges { node { id title } } } }`, undefined, login.data.login.token);
  expect(browse.errors).toBeUndefined();
  const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    const result = await new Promise<{ data?: { helpCategories: unknown[] }; errors?: unknown }>((done, fail) => {
      client.subscribe<{ helpCategories: unknown[] }>({ query: `{ helpCategories { id } }` }, { next: done as never, error: fail, complete: () => undefined });
    });
    expect(result.data?.helpCategories.length).toBeGreaterThan(0);
  } finally {
    await client.dispose();
  }
}

/**
 * `npm ci && npm start` stays one line: `npm start` compiles the sources to dist/ with tsc when dist/
 * is missing or out of date, then runs the compiled server, which finds its migrations and seeds the
 * embedded SQLite database as the TypeScript sources did.
 */
describe("npm start runs the compiled server", () => {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-compiled-"));
  const env = { DATABASE_URL: join(dir, "zorgzaam.sqlite"), JWT_SECRET: "compiled-start-secret-long-enough-for-hs256", SWEEP_INTERVAL_MS: "0" };
  let server: Started | null = null;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds dist/ when it is out of date, runs it, and seeds a new database on the first start", async () => {
    rmSync(stamp, { force: true }); // as after a checkout of other sources: the build no longer matches
    server = await npmStart(env);
    expect(server.output()).toMatch(/building dist\//);
    expect(existsSync(compiledMain)).toBe(true);
    expect(readFileSync(stamp, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
    expect(server.output()).toMatch(/seeded demo data/);
    await exercise(server.url);
    expect(await server.stop()).toBe(0);
    server = null;
  }, 300_000);

  it("starts from the existing build when the sources have not changed", async () => {
    const built = statSync(compiledMain).mtimeMs;
    const hash = readFileSync(stamp, "utf8");
    server = await npmStart(env);
    expect(server.output()).not.toMatch(/building dist\//);
    expect(statSync(compiledMain).mtimeMs).toBe(built);
    expect(readFileSync(stamp, "utf8")).toBe(hash);
    await exercise(server.url);
    expect(await server.stop()).toBe(0);
    server = null;
  }, 120_000);
});
