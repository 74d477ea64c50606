import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import WebSocket from "ws";
import { afterAll, describe, expect, it } from "vitest";
import { backupSqlite, integrityCheck } from "../../src/modules/operations/backup.js";
import { askForHelp, buildPerson } from "../support/builders.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { gql, startTestApp } from "../support/test-app.js";

const ASK = `mutation($i: AskForHelpInput!) { askForHelp(input: $i) { id title } }`;
const input = (title: string) => ({
  i: {
    categoryId: "cat_groceries",
    title,
    description: "x",
    windowStart: new Date(Date.now() + 3600_000).toISOString(),
    windowEnd: new Date(Date.now() + 48 * 3600_000).toISOString(),
  },
});

describe("graceful shutdown and online backup (SQLite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-shutdown-"));
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("on SIGTERM drains in-flight requests, tells WebSocket clients to reconnect (1012) and exits 0; a restart loses nothing", async () => {
    const file = join(dir, "graceful.sqlite");
    const env = { DATABASE_URL: file, JWT_SECRET: "graceful-test-secret-long-enough-for-hs256", SEED_ON_EMPTY: "true", SWEEP_INTERVAL_MS: "100" };
    server = await startServerProcess(env);
    const reg = await gql(
      server.url,
      `mutation { register(input: { email: "g@test.example", password: "correct horse battery", firstName: "G", lastName: "T", neighbourhoodId: "nb_dordrecht-wielwijk" }) { token } }`,
    );
    const token = reg.data.register.token as string;
    const socket = new WebSocket(server.wsUrl, "graphql-transport-ws");
    await new Promise((r) => socket.once("open", r));
    socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    await new Promise((r) => socket.once("message", r));
    const closed = new Promise<number>((r) => socket.once("close", (code) => r(code)));

    const inFlight = Array.from({ length: 30 }, (_, i) => gql(server!.url, ASK, input(`graceful-${i}`), token).catch(() => null));
    await new Promise((r) => setTimeout(r, 5));
    const exit = server.stop("SIGTERM");
    const answers = await Promise.all(inFlight);
    expect(await exit).toBe(0);
    expect(await closed).toBe(1012);
    const acknowledged = answers.filter((a) => a?.status === 200 && a.data?.askForHelp).map((a) => a!.data.askForHelp.id as string);
    expect(answers.filter((a) => a && a.status >= 500)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);

    server = await startServerProcess(env);
    const mine = await gql(server.url, `{ myHelpRequests(first: 100) { edges { node { id } } } }`, {}, token);
    const ids = mine.data.myHelpRequests.edges.map((e: any) => e.node.id);
    for (const id of acknowledged) expect(ids).toContain(id);
    await server.stop("SIGTERM");
    server = null;
  }, 120_000);

  it("makes a consistent online backup while writes go on; the copy restores and matches", async () => {
    const t = await startTestApp();
    try {
      const resident = await buildPerson(t);
      for (let i = 0; i < 20; i++) await askForHelp(t, resident.token, { title: `voor-backup-${i}` });
      let stop = false;
      const writer = (async () => {
        let i = 0;
        while (!stop) await askForHelp(t, resident.token, { title: `tijdens-backup-${i++}` });
      })();
      const dest = join(dir, "copy.sqlite");
      const result = await backupSqlite(t.databaseUrl, dest);
      stop = true;
      await writer;
      expect(result.pages).toBeGreaterThan(0);
      expect(integrityCheck(dest)).toBe("ok");

      // Every row in the copy is in the live database, identical; the rows from before are all there.
      const live = new BetterSqlite3(t.databaseUrl, { readonly: true });
      const copy = new BetterSqlite3(dest, { readonly: true });
      const rows = (db: BetterSqlite3.Database) => db.prepare("select * from help_requests order by id").all() as Record<string, unknown>[];
      const liveById = new Map(rows(live).map((r) => [r.id, JSON.stringify(r)]));
      const copied = rows(copy);
      for (const r of copied) expect(liveById.get(r.id)).toBe(JSON.stringify(r));
      expect(copied.filter((r) => String(r.title).startsWith("voor-backup-"))).toHaveLength(20);
      live.close();
      copy.close();

      // Restore: a server started on the copy answers with the data.
      const restored = await startTestApp({ name: "sqlite" }, { DATABASE_URL: dest });
      try {
        const me = await restored.gql(`{ myHelpRequests(first: 100) { edges { node { title } } } }`, {}, resident.token);
        const titles = me.data.myHelpRequests.edges.map((e: any) => e.node.title);
        expect(titles.filter((x: string) => x.startsWith("voor-backup-"))).toHaveLength(20);
      } finally {
        await restored.close();
      }
    } finally {
      await t.close();
    }
  }, 120_000);
});
