import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { gql } from "../support/test-app.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token me { roles } } }`;

/** Runs `npm run create-coordinator` (the same script, without npm's banner). */
function createCoordinator(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const proc = spawn(process.execPath, ["--import", "tsx", "seeds/create-coordinator.ts"], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    proc.stdout.on("data", (d) => (output += d));
    proc.stderr.on("data", (d) => (output += d));
    proc.once("exit", (code) => done({ code, output }));
  });
}

describe("a production start seeds reference data only; the first coordinator comes from the environment", () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess | null = null;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "zorgzaam-prod-seed-"));
    env = { NODE_ENV: "production", DATABASE_URL: join(dir, "prod.sqlite"), JWT_SECRET: "production-seed-secret-long-enough-for-hs256", SWEEP_INTERVAL_MS: "0" };
  });
  afterAll(async () => {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  const people = () => {
    const db = new BetterSqlite3(env.DATABASE_URL, { readonly: true });
    try {
      return (db.prepare("select email from people order by email").all() as { email: string }[]).map((r) => r.email);
    } finally {
      db.close();
    }
  };

  it("NODE_ENV=production on an empty database: places, teams and categories, no demo people, and the coordinator of ZORGZAAM_COORDINATOR_*", async () => {
    server = await startServerProcess({ ...env, ZORGZAAM_COORDINATOR_EMAIL: "wethouder@gemeente.example", ZORGZAAM_COORDINATOR_PASSWORD: "a long secret from the vault" });
    expect(server.output()).not.toContain("zorgzaam-demo");
    expect(server.output()).not.toContain("Demo accounts");
    const demo = await gql(server.url, LOGIN, { e: "coordinator@zorgzaam.example", p: "zorgzaam-demo" });
    expect(demo.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const areas = await gql(server.url, `{ areas { name teams { kind } } helpCategories { id } }`);
    expect(areas.data.areas.map((a: any) => a.name).sort()).toEqual(["Centrum", "Oost", "West"]);
    expect(areas.data.helpCategories.length).toBeGreaterThan(0);
    const first = await gql(server.url, LOGIN, { e: "wethouder@gemeente.example", p: "a long secret from the vault" });
    expect(first.errors).toBeUndefined();
    expect(first.data.login.me.roles).toContain("COORDINATOR");
    expect(await server.stop()).toBe(0);
    server = null;
    expect(people()).toEqual(["wethouder@gemeente.example"]);
  }, 120_000);

  it("npm run create-coordinator takes the account from the environment; a restart neither seeds demo people nor changes the password", async () => {
    const missing = await createCoordinator(env);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain("ZORGZAAM_COORDINATOR_EMAIL");
    const made = await createCoordinator({ ...env, ZORGZAAM_COORDINATOR_EMAIL: "tweede@gemeente.example", ZORGZAAM_COORDINATOR_PASSWORD: "another long secret here" });
    expect(made.code, made.output).toBe(0);
    expect(made.output).not.toContain("another long secret here");
    // Running it again for an existing account grants the role and keeps its password.
    const again = await createCoordinator({ ...env, ZORGZAAM_COORDINATOR_EMAIL: "tweede@gemeente.example", ZORGZAAM_COORDINATOR_PASSWORD: "a different password now" });
    expect(again.code, again.output).toBe(0);

    server = await startServerProcess(env);
    const second = await gql(server.url, LOGIN, { e: "tweede@gemeente.example", p: "another long secret here" });
    expect(second.errors).toBeUndefined();
    expect(second.data.login.me.roles).toContain("COORDINATOR");
    expect((await gql(server.url, LOGIN, { e: "tweede@gemeente.example", p: "a different password now" })).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await server.stop()).toBe(0);
    server = null;
    expect(people()).toEqual(["tweede@gemeente.example", "wethouder@gemeente.example"]);
  }, 120_000);
});
