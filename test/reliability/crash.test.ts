import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { gql } from "../support/test-app.js";

const KILLS = 24;

/**
 * Acknowledged writes survive a crash: a write load runs against a real server process that is killed
 * with SIGKILL at random moments, then restarted; every mutation that was answered with success must be
 * in the database, and SQLite's integrity check must pass.
 */
describe("durability under SIGKILL (SQLite, synchronous=FULL)", () => {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-crash-"));
  const file = join(dir, "crash.sqlite");
  const env = { DATABASE_URL: file, JWT_SECRET: "crash-test-secret-long-enough-for-hs256-signing", SEED_ON_EMPTY: "true", SWEEP_INTERVAL_MS: "0" };
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged write across ${KILLS} kills`, async () => {
    server = await startServerProcess(env);
    const reg = await gql(
      server.url,
      `mutation { register(input: { email: "crash@test.example", password: "correct horse battery", firstName: "C", lastName: "T", neighbourhoodId: "nb_dordrecht-wielwijk" }) { token } }`,
    );
    const token = reg.data.register.token as string;
    const acknowledged = new Map<string, string>(); // title -> id
    let sent = 0;
    let counter = 0;
    for (let round = 0; round < KILLS; round++) {
      if (!server) server = await startServerProcess(env);
      const url = server.url;
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const title = `crash-${round}-${counter++}`;
          sent++;
          try {
            const r = await gql(
              url,
              `mutation($i: AskForHelpInput!) { askForHelp(input: $i) { id title } }`,
              {
                i: {
                  categoryId: "cat_groceries",
                  title,
                  description: "load",
                  windowStart: new Date(Date.now() + 3600_000).toISOString(),
                  windowEnd: new Date(Date.now() + 48 * 3600_000).toISOString(),
                },
              },
              token,
            );
            if (r.status === 200 && r.data?.askForHelp?.title === title) acknowledged.set(title, r.data.askForHelp.id);
          } catch {
            // the connection died with the server: not acknowledged
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      await new Promise((r) => setTimeout(r, 60 + Math.floor(Math.random() * 340)));
      await server.stop("SIGKILL");
      stop = true;
      await Promise.all(workers);
      server = null;
    }
    // A clean start after the last kill, then read the file directly.
    server = await startServerProcess(env);
    const me = await gql(server.url, `{ me { email } }`, {}, token);
    expect(me.data.me.email).toBe("crash@test.example");
    await server.stop("SIGTERM");
    server = null;
    const db = new BetterSqlite3(file, { readonly: true });
    const integrity = db.pragma("integrity_check", { simple: true });
    const stored = new Map((db.prepare("select id, title from help_requests where title like 'crash-%'").all() as { id: string; title: string }[]).map((r) => [r.title, r.id]));
    db.close();
    expect(integrity).toBe("ok");
    const lost = [...acknowledged].filter(([title, id]) => stored.get(title) !== id);
    expect(acknowledged.size).toBeGreaterThan(KILLS);
    expect(lost).toEqual([]);
    console.log(`durability: ${KILLS} kills, ${sent} writes sent, ${acknowledged.size} acknowledged, ${stored.size} stored, 0 lost, integrity ok`);
  }, 300_000);
});
