import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { gql } from "../support/test-app.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs `npm run seed -- <args>` (the same script, without npm's banner) and returns its output. */
function runSeed(env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const proc = spawn(process.execPath, ["--import", "tsx", "seeds/seed.ts", ...args], {
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

const DEMO: [string, string][] = [
  ["coordinator@zorgzaam.example", "COORDINATOR"],
  ["anna@zorgzaam.example", "RESIDENT"],
  ["mohammed@zorgzaam.example", "VOLUNTEER"],
  ["sanne@zorgzaam.example", "VOLUNTEER"],
  ["henk@zorgzaam.example", "MANTELZORGER"],
  ["fatima@zorgzaam.example", "ORGANISER"],
  ["eva@zorgzaam.example", "PROFESSIONAL"],
  ["ruud@zorgzaam.example", "ORGANISER"],
];
const LOGIN = `mutation($e: String!) { login(email: $e, password: "zorgzaam-demo") { token me { roles } } }`;

describe("a fresh start seeds demo people and prints their logins; npm run seed -- --reset starts over", () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess | null = null;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "zorgzaam-seed-"));
    env = { DATABASE_URL: join(dir, "zorgzaam.sqlite"), JWT_SECRET: "seed-test-secret-that-is-long-enough-for-hs256", SWEEP_INTERVAL_MS: "0" };
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints a login per role on first start, and each one works with the role it names", async () => {
    server = await startServerProcess(env);
    const printed = server.output();
    expect(printed).toMatch(/password "zorgzaam-demo"/);
    for (const [email] of DEMO) expect(printed).toContain(email);
    for (const [email, role] of DEMO) {
      const r = await gql(server.url, LOGIN, { e: email });
      expect(r.errors, email).toBeUndefined();
      expect(r.data.login.me.roles, email).toContain(role);
    }
    const volunteer = (await gql(server.url, LOGIN, { e: "mohammed@zorgzaam.example" })).data.login.token;
    expect((await gql(server.url, `{ myVolunteerProfile { vogStatus } }`, {}, volunteer)).data.myVolunteerProfile.vogStatus).toBe("VERIFIED");
    const anna = (await gql(server.url, LOGIN, { e: "anna@zorgzaam.example" })).data.login.token;
    const open = await gql(server.url, `{ myHelpRequests(relation: ASKED) { edges { node { status } } } }`, {}, anna);
    expect(open.data.myHelpRequests.edges.filter((e: any) => e.node.status === "OPEN").length).toBeGreaterThanOrEqual(2);
    // A person registered during the demo, to see the reset remove them.
    const reg = await gql(server.url, `mutation($i: RegisterInput!) { register(input: $i) { token } }`, {
      i: { email: "extra@test.example", password: "correct horse battery", firstName: "Extra", lastName: "Person", neighbourhoodId: "nb_dordrecht-wielwijk" },
    });
    expect(reg.errors).toBeUndefined();
    expect(await server.stop()).toBe(0);
    server = null;
  }, 120_000);

  it("leaves a seeded database alone without --reset, and reseeds it with --reset", async () => {
    const again = await runSeed(env, []);
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/nothing seeded/);

    const reset = await runSeed(env, ["--reset"]);
    expect(reset.code, reset.output).toBe(0);
    for (const [email] of DEMO) expect(reset.output).toContain(email);

    server = await startServerProcess(env);
    expect(server.output()).not.toContain("Demo accounts"); // not empty any more: nothing printed again
    const gone = await gql(server.url, `mutation { login(email: "extra@test.example", password: "correct horse battery") { token } }`);
    expect(gone.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    for (const [email, role] of DEMO) expect((await gql(server.url, LOGIN, { e: email })).data.login.me.roles).toContain(role);
    const areas = await gql(server.url, `{ areas { name teams { kind } } }`);
    expect(areas.data.areas.map((a: any) => a.name).sort()).toEqual(["Centrum", "Oost", "West"]);
  }, 120_000);
});
