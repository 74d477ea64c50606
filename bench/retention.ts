/**
 * Retention after a jump of two years: many closed help requests (each with its status history of four
 * events, among a few thousand people) all past their term at once, pseudonymised in one pass of
 * `retention.run()`. Reports the time per row, and a second pass that finds nothing left.
 *
 *   npx tsx bench/retention.ts [--rows 20000] [--database postgres://...]   (default: a fresh SQLite file)
 *
 * Writes bench/results/retention.json and bench/results/retention.md.
 */
import "reflect-metadata";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config/env.js";
import { ShiftableClock } from "../src/shared/clock.js";
import { seedReferenceData } from "../seeds/seed-runner.js";
import { BENCH_DIR } from "./generate.js";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const ROWS = Number(arg("--rows") ?? 20_000);
const PEOPLE = Math.max(10, Math.round(ROWS / 10));
const DAY = 24 * 3600_000;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-bench-retention-"));
  const databaseUrl = arg("--database") ?? join(dir, "bench.sqlite");
  const clock = new ShiftableClock();
  const app = await createApp(
    loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      JWT_SECRET: "bench-secret-that-is-long-enough-for-hs256",
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
    }),
    { clock },
  );
  await seedReferenceData(app.services);
  const { db } = app.services;
  const t = db.tables;
  const now = clock.now();
  const loadStart = performance.now();
  await db.transaction(async (tx) => {
    for (let i = 0; i < PEOPLE; i += 500) {
      const rows = [];
      for (let j = i; j < Math.min(PEOPLE, i + 500); j++) rows.push({ id: `bench-person-${j}`, firstName: `P${j}`, email: `p${j}@bench.example`, createdAt: now });
      await tx.insert(t.people).values(rows);
    }
    for (let i = 0; i < ROWS; i += 200) {
      const requests = [];
      const events: (typeof t.helpRequestEvents.$inferInsert)[] = [];
      for (let j = i; j < Math.min(ROWS, i + 200); j++) {
        const asker = `bench-person-${j % PEOPLE}`;
        const volunteer = `bench-person-${(j * 7 + 1) % PEOPLE}`;
        requests.push({
          id: `bench-hr-${j}`,
          personHelpedId: asker,
          askedById: asker,
          categoryId: "cat_groceries",
          neighbourhoodId: "nb_dordrecht-oud-krispijn",
          title: `Boodschappen ${j}`,
          description: "Melk, brood en de apotheek",
          urgency: "NORMAL" as const,
          vogRequired: false,
          windowStart: now,
          windowEnd: new Date(now.getTime() + DAY),
          status: "DONE" as const,
          volunteerId: volunteer,
          releaseCount: 0,
          createdAt: now,
          updatedAt: now,
        });
        const steps = [
          [null, "OPEN", asker],
          ["OPEN", "MATCHED", volunteer],
          ["MATCHED", "IN_PROGRESS", volunteer],
          ["IN_PROGRESS", "DONE", volunteer],
        ] as const;
        steps.forEach(([from, to, actor], k) =>
          events.push({ id: `bench-ev-${j}-${k}`, helpRequestId: `bench-hr-${j}`, fromStatus: from, toStatus: to, actorId: actor, note: k === 3 ? "Gedaan" : null, at: now }),
        );
      }
      await tx.insert(t.helpRequests).values(requests);
      await tx.insert(t.helpRequestEvents).values(events);
    }
  });
  const loadMs = performance.now() - loadStart;

  clock.advance(731 * DAY);
  const start = performance.now();
  const first = await app.services.retention.run();
  const passMs = performance.now() - start;
  const again = performance.now();
  const second = await app.services.retention.run();
  const emptyMs = performance.now() - again;
  const done = first.find((c) => c.kind === "helpRequests")!.pseudonymised;
  if (done !== ROWS) throw new Error(`expected ${ROWS} pseudonymised, got ${done}`);
  if (second.some((c) => c.pseudonymised + c.removed > 0)) throw new Error("a second pass changed rows again");

  const result = {
    database: databaseUrl.startsWith("postgres") ? "postgres" : "sqlite",
    rows: ROWS,
    people: PEOPLE,
    eventsPerRow: 4,
    loadMs: Math.round(loadMs),
    passMs: Math.round(passMs),
    msPerRow: Number((passMs / ROWS).toFixed(3)),
    emptyPassMs: Math.round(emptyMs),
  };
  const name = `retention${result.database === "postgres" ? "-pg" : ""}`;
  writeFileSync(join(BENCH_DIR, "results", `${name}.json`), JSON.stringify(result, null, 2) + "\n");
  writeFileSync(
    join(BENCH_DIR, "results", `${name}.md`),
    `# Retention after a two-year jump (${result.database})\n\n` +
      `| rows (closed help requests) | people | events per row | pass | per row | second pass (nothing due) |\n| --- | --- | --- | --- | --- | --- |\n` +
      `| ${ROWS} | ${PEOPLE} | 4 | ${result.passMs} ms | ${result.msPerRow} ms | ${result.emptyPassMs} ms |\n`,
  );
  console.log(JSON.stringify(result));
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
