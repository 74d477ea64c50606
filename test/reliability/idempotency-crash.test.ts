import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { gql } from "../support/test-app.js";

const ASK = `mutation($i: AskForHelpInput!) { askForHelp(input: $i) { id title } }`;

/**
 * A key whose first request died with its process (SIGKILL while it ran) does not stay stuck: once the
 * dead holder's lease runs out, a retry of the same request runs it and is answered.
 */
describe("Idempotency-Key across a SIGKILL (SQLite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-idem-crash-"));
  const file = join(dir, "idem.sqlite");
  const env = { DATABASE_URL: file, JWT_SECRET: "idempotency-crash-secret-long-enough-for-hs256", SEED_ON_EMPTY: "true", SWEEP_INTERVAL_MS: "0" };
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  const pendingKeys = (): string[] => {
    const db = new BetterSqlite3(file);
    try {
      return (db.prepare("select key from idempotency_keys where state = 'PENDING'").all() as { key: string }[]).map((r) => r.key);
    } finally {
      db.close();
    }
  };
  const send = (url: string, token: string, key: string, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": key },
      body: JSON.stringify(body),
    });

  it("answers a retry of every key left in progress by a killed server, instead of 409 for the key's lifetime", async () => {
    server = await startServerProcess(env);
    const reg = await gql(
      server.url,
      `mutation { register(input: { email: "idem@test.example", password: "correct horse battery", firstName: "I", lastName: "D", neighbourhoodId: "nb_dordrecht-wielwijk" }) { token } }`,
    );
    expect(reg.errors).toBeUndefined();
    const token = reg.data.register.token as string;

    const bodies = new Map<string, unknown>();
    let stuck: string[] = [];
    let n = 0;
    for (let round = 0; round < 8 && stuck.length === 0; round++) {
      if (!server) server = await startServerProcess(env);
      const url = server.url;
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const key = `crash-key-${n++}`;
          const body = {
            query: ASK,
            variables: {
              i: {
                categoryId: "cat_groceries",
                title: key,
                description: "load",
                windowStart: new Date(Date.now() + 3600_000).toISOString(),
                windowEnd: new Date(Date.now() + 48 * 3600_000).toISOString(),
              },
            },
          };
          bodies.set(key, body);
          await send(url, token, key, body)
            .then((r) => r.text())
            .catch(() => undefined);
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 300)));
      await server.stop("SIGKILL");
      stop = true;
      await Promise.all(workers);
      server = null;
      stuck = pendingKeys();
    }
    expect(stuck.length).toBeGreaterThan(0);

    server = await startServerProcess(env);
    const url = server.url;
    const retries = await Promise.all(
      stuck.map(async (key) => {
        const res = await send(url, token, key, bodies.get(key));
        return { key, status: res.status, json: (await res.json()) as { data?: { askForHelp?: { title: string } }; errors?: unknown[] } };
      }),
    );
    for (const r of retries) {
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.data?.askForHelp?.title).toBe(r.key);
    }
    // A second retry is a replay of that answer, not another request.
    const again = await send(url, token, stuck[0], bodies.get(stuck[0]));
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    await server.stop("SIGTERM");
    server = null;
    expect(pendingKeys()).toEqual([]);
    console.log(`idempotency after SIGKILL: ${stuck.length} keys left in progress, all answered on retry`);
  }, 240_000);
});
