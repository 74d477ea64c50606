/**
 * The statistics kept per neighbourhood and month (stats_cells) against computing them from the rows:
 * the city data set, one year for the whole city (10 neighbourhoods x 12 months) and for one
 * neighbourhood, through the app's own StatsService on the server's SQLite file (a copy) or, with
 * `--dialect postgres`, on the same rows copied into a fresh PostgreSQL database (bench/lib/pg-load.ts;
 * `bench_<size>` on the server of `--database`, dropped and created again), no HTTP and no cache. Measured: computing from the rows (what every request did before, less GraphQL), the first read
 * (which computes and stores the cells), reads of the stored cells, and a read right after a change in the
 * running month (the event is applied to the cells first). The kept answer must equal the rows', cell by
 * cell, or the run fails.
 *
 *   npx tsx bench/stats-cells.ts [--size city] [--repeat 50] [--dialect sqlite|postgres]
 *                                [--database postgres://postgres@127.0.0.1:5432/test]
 *
 * Writes bench/results/stats-cells-<size>.{json,md} (SQLite) or stats-cells-<size>-postgres.{json,md}.
 */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { desc } from "drizzle-orm";
import { DateTime } from "luxon";
import { BENCH_DIR } from "./generate.js";
import { dialectArg, openBenchApp } from "./lib/bench-app.js";
import type { SizeName } from "./lib/sizes.js";
import { type Summary, round, summarise } from "./lib/stats.js";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const size = (arg("--size") ?? "city") as SizeName;
const repeat = Number(arg("--repeat") ?? 50);
const dialect = dialectArg(arg("--dialect"));
const pgServer = arg("--database") ?? "postgres://postgres@127.0.0.1:5432/test";
const engine = dialect === "postgres" ? "PostgreSQL" : "SQLite";

/** Latencies summarised, to a hundredth of a millisecond. */
function summary(values: number[]): Summary {
  const s = summarise(values);
  return { count: s.count, mean: round(s.mean), p50: round(s.p50), p90: round(s.p90), p99: round(s.p99), max: round(s.max) };
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

async function main() {
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const loadAtStart = round(loadavg()[0]);
  const bench = await openBenchApp(size, dialect, pgServer, log);
  const { app, manifest, loadSeconds } = bench;
  const stats = app.services.stats;
  const to = DateTime.fromMillis(manifest.anchorMs - 86_400_000, { zone: "Europe/Amsterdam" }).startOf("month");
  const city = { from: to.minus({ months: 11 }).toFormat("yyyy-LL"), to: to.toFormat("yyyy-LL") };
  const one = { ...city, neighbourhoodIds: [manifest.neighbourhoodIds[0]] };

  const fromRows: number[] = [];
  for (let i = 0; i < Math.min(repeat, 3); i++) fromRows.push((await time(() => stats.reportFromRows(city))).ms);
  const first = await time(() => stats.report(city));
  const raw = await stats.reportFromRows(city);
  const differing = raw.cells.filter((c, i) => JSON.stringify(c) !== JSON.stringify({ ...first.value.cells[i], ...pick(c, first.value.cells[i]) })).length;
  const kept: number[] = [];
  for (let i = 0; i < repeat; i++) kept.push((await time(() => stats.report(city))).ms);
  const keptOne: number[] = [];
  for (let i = 0; i < repeat; i++) keptOne.push((await time(() => stats.report(one))).ms);
  // A change in the running month: its event is read after the cursor before the next report.
  const afterChange: number[] = [];
  const coordinator = manifest.probes.coordinator;
  const hr = app.services.db.tables.helpRequests;
  const [newest] = await app.services.db.read.select({ id: hr.id }).from(hr).orderBy(desc(hr.createdAt)).limit(1);
  for (let i = 0; i < Math.min(repeat, 10); i++) {
    // As a change of the newest request records it (asked in the running month: no ended month is touched).
    await app.services.db.transaction(() => app.services.db.recordEvents([{ topic: `help-request.changed.${newest.id}`, id: newest.id, kind: "BENCH" }]));
    afterChange.push((await time(() => stats.report(city))).ms);
  }
  const equal = deepEqualCells(first.value.cells, raw.cells);
  const result = {
    size,
    dialect,
    loadAverage: { atStart: loadAtStart, atEnd: round(loadavg()[0]), cores: availableParallelism() },
    ...(loadSeconds === undefined ? {} : { loadSeconds }),
    anchor: manifest.anchor,
    helpRequests: manifest.counts.helpRequests ?? manifest.counts.help_requests,
    period: city,
    cells: first.value.cells.length,
    coordinator,
    fromRowsMs: summary(fromRows),
    firstReadMs: round(first.ms),
    keptCityMs: summary(kept),
    keptOneNeighbourhoodMs: summary(keptOne),
    afterAnEventMs: summary(afterChange),
    equalToRows: equal,
    differingCells: equal ? 0 : differing,
  };
  const md = [
    `# Statistics kept per neighbourhood and month (${size}, ${engine})`,
    "",
    `\`npx tsx bench/stats-cells.ts --size ${size} --repeat ${repeat}${dialect === "postgres" ? " --dialect postgres" : ""}\`; ${result.helpRequests} help requests, anchor ${manifest.anchor}; one year ${city.from}..${city.to}, ${result.cells} cells; StatsService on ${engine}${dialect === "postgres" ? ` (the generated rows copied in, ${loadSeconds} s)` : ""}, no HTTP, no cache.`,
    "",
    "| what | p50 ms | p99 ms | mean ms |",
    "| --- | --- | --- | --- |",
    `| computed from the rows (before: every request) | ${result.fromRowsMs.p50} | ${result.fromRowsMs.p99} | ${result.fromRowsMs.mean} |`,
    `| first read (computes and stores the 120 cells) | ${result.firstReadMs} | | |`,
    `| city, year, kept cells | ${result.keptCityMs.p50} | ${result.keptCityMs.p99} | ${result.keptCityMs.mean} |`,
    `| one neighbourhood, year, kept cells | ${result.keptOneNeighbourhoodMs.p50} | ${result.keptOneNeighbourhoodMs.p99} | ${result.keptOneNeighbourhoodMs.mean} |`,
    `| city, year, right after an event (cursor read first) | ${result.afterAnEventMs.p50} | ${result.afterAnEventMs.p99} | ${result.afterAnEventMs.mean} |`,
    "",
    `Load average (1 min) of the machine: ${result.loadAverage.atStart} at the start, ${result.loadAverage.atEnd} at the end, on ${result.loadAverage.cores} cores (other work shares them).`,
    "",
    `Kept cells equal to the rows, cell by cell: **${equal ? "yes" : "NO"}**.`,
    "",
  ].join("\n");
  const name = `stats-cells-${size}${dialect === "postgres" ? "-postgres" : ""}`;
  writeFileSync(join(BENCH_DIR, "results", `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(BENCH_DIR, "results", `${name}.md`), md);
  process.stdout.write(md);
  await bench.close();
  if (!equal) process.exit(1);
}

function pick(a: object, b: object) {
  return Object.fromEntries(Object.keys(a).map((k) => [k, (b as Record<string, unknown>)[k]]));
}

/** Equal regardless of key order (PostgreSQL's jsonb reorders keys). */
function deepEqualCells(a: unknown[], b: unknown[]): boolean {
  const norm = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(norm)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, norm(x)]),
          )
        : v;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
