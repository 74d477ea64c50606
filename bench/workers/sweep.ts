/**
 * Times the expiry sweep (services.helpRequests.expireDue(), as the server's timer calls it) on a copy
 * of a data set, run on the server core. The app's clock is moved forward to create a backlog:
 * - at the real time: the requests whose window ended since the data set's anchor;
 * - idle: nothing due (what every instance pays each SWEEP_INTERVAL_MS);
 * - +1 day and +30 days: every OPEN or MATCHED request whose window ends by then.
 */
import "reflect-metadata";
import BetterSqlite3 from "better-sqlite3";
import { createServices } from "../../src/app.services.js";
import { openDatabase } from "../../src/db/client.js";
import { defineTables } from "../../src/app.tables.js";
import { createEventBus } from "../../src/graphql/pubsub.js";
import { ShiftableClock } from "../../src/shared/clock.js";
import { config, result } from "../lib/proc.js";
import { round, summarise } from "../lib/stats.js";
import { BENCH_JWT_SECRET } from "../lib/tokens.js";

interface SweepConfig {
  file: string;
  idleRuns: number;
}

const DAY = 86_400_000;
const cfg = config<SweepConfig>();

async function main() {
  const db = openDatabase(cfg.file, { tables: defineTables });
  await db.migrate();
  const clock = new ShiftableClock();
  const services = await createServices(db, createEventBus(), clock, { jwtSecret: BENCH_JWT_SECRET, tokenTtlSeconds: 3600 });
  const probe = new BetterSqlite3(cfg.file, { readonly: true });
  const dueAt = probe.prepare("select count(*) from help_requests where status in ('OPEN', 'MATCHED') and window_end <= ?").pluck();
  const runs: { label: string; clockOffsetDays: number; due: number; expired: number; ms: number; usPerRequest: number | null }[] = [];
  let offsetDays = 0;
  const timeOnce = async (label: string, keep = true) => {
    const due = dueAt.get(clock.now().getTime()) as number;
    const t0 = performance.now();
    const expired = await services.helpRequests.expireDue();
    const ms = performance.now() - t0;
    if (keep) runs.push({ label, clockOffsetDays: offsetDays, due, expired, ms: round(ms, 3), usPerRequest: expired ? round((ms * 1000) / expired, 1) : null });
    return ms;
  };
  await timeOnce("catch-up at the real time");
  const idle: number[] = [];
  for (let i = 0; i < cfg.idleRuns; i++) idle.push(await timeOnce("idle", false));
  const idleSummary = summarise(idle);
  runs.push({ label: `idle (nothing due), p50 of ${idle.length}`, clockOffsetDays: 0, due: 0, expired: 0, ms: round(idleSummary.p50, 3), usPerRequest: null });
  clock.advance(DAY);
  offsetDays = 1;
  await timeOnce("clock +1 day");
  clock.advance(29 * DAY);
  offsetDays = 30;
  await timeOnce("clock +30 days");
  const expiredTotal = runs.reduce((n, r) => n + r.expired, 0);
  probe.close();
  await db.close();
  result({
    runs,
    idleMs: { p50: round(idleSummary.p50, 3), p99: round(idleSummary.p99, 3), max: round(idleSummary.max, 3) },
    expiredTotal,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
