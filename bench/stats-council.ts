/**
 * What the council's further figures cost per report. The neighbourhood cells are kept (stats_cells,
 * see stats-cells.ts); the figures the report adds beside them are read from the rows on every report:
 * the teams' cases and their norms, hours of informal help, active care circles, intensively loaded
 * mantelzorgers and the buddy programmes. Measured on the city data set, the last full year before the
 * anchor for the whole city, through the app's own services (no HTTP, no cache): the whole of
 * StatsCouncil.figures (what /reports/council and the councilStats query compute), the kept cells alone,
 * and each further part on its own, with the rows it reads.
 *
 *   npx tsx bench/stats-council.ts [--size city] [--repeat 20] [--dialect sqlite|postgres]
 *                                  [--database postgres://postgres@127.0.0.1:5432/test]
 *
 * Writes bench/results/stats-council-<size>[-postgres].{json,md}.
 */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { count } from "drizzle-orm";
import { DateTime } from "luxon";
import { STATS_ZONE, monthRange } from "../src/modules/stats/stats.months.js";
import { CareCircleFiguresRepository, careCircleSources } from "../src/modules/stats/stats.circles.js";
import { InformalHoursRepository, informalHoursSource } from "../src/modules/stats/stats.informal.js";
import { StatsRepository } from "../src/modules/stats/stats.repository.js";
import { BENCH_DIR } from "./generate.js";
import { dialectArg, openBenchApp } from "./lib/bench-app.js";
import type { SizeName } from "./lib/sizes.js";
import { type Summary, round, summarise } from "./lib/stats.js";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const size = (arg("--size") ?? "city") as SizeName;
const repeat = Number(arg("--repeat") ?? 20);
const dialect = dialectArg(arg("--dialect"));
const pgServer = arg("--database") ?? "postgres://postgres@127.0.0.1:5432/test";
const engine = dialect === "postgres" ? "PostgreSQL" : "SQLite";

function summary(values: number[]): Summary {
  const s = summarise(values);
  return { count: s.count, mean: round(s.mean), p50: round(s.p50), p90: round(s.p90), p99: round(s.p99), max: round(s.max) };
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: Summary; value: T }> {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    value = await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: summary(times), value };
}

async function main() {
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const loadAtStart = round(loadavg()[0]);
  const bench = await openBenchApp(size, dialect, pgServer, log);
  const { app, manifest, loadSeconds } = bench;
  const s = app.services;
  const year = DateTime.fromMillis(manifest.anchorMs, { zone: STATS_ZONE }).year - 1;
  const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: STATS_ZONE });
  const range = monthRange(from, from.plus({ months: 11 }));
  const start = from.toJSDate();
  const end = from.plus({ years: 1 }).toJSDate();
  const neighbourhoodIds = manifest.neighbourhoodIds;
  const repo = new StatsRepository(s.db);
  const now = () => s.clock.now();
  const createdAt = (ids: string[]) => repo.createdAt(ids);
  const [hours, circles, loaded] = [
    informalHoursSource(new InformalHoursRepository(s.db), createdAt, now),
    ...careCircleSources(new CareCircleFiguresRepository(s.db), createdAt, now),
  ];

  // The cells of the year are computed and stored by the first read; every later report reads them.
  const firstCells = await timed(1, () => s.stats.report({ from: `${year}-01`, to: `${year}-12` }));
  const cells = await timed(repeat, () => s.stats.report({ from: `${year}-01`, to: `${year}-12` }));
  const whole = await timed(repeat, () => s.statsCouncil.figures(year, null));
  const teamCases = await timed(repeat, () => repo.teamCases(start, end, null));
  const teamIds = [...new Set(teamCases.value.map((r) => r.teamId))].sort();
  const subjects = teamCases.value.map((r) => r.raisedById ?? r.subjectId);
  const accounts = await timed(repeat, () => repo.createdAt(subjects));
  const norms = await timed(repeat, () => Promise.all(teamIds.map((id) => s.caseNorms.classify(id, start, end))));
  const informal = await timed(repeat, () => hours.cells(range, neighbourhoodIds));
  const active = await timed(repeat, () => circles.cells(range, neighbourhoodIds));
  const intensive = await timed(repeat, () => loaded.cells(range, neighbourhoodIds));
  const buddies = await timed(repeat, () => s.buddies.matches.councilFigures(range));
  const t = s.db.tables;
  const rowCount = async (table: typeof t.volunteerHours | typeof t.careShifts | typeof t.careLoadSignals | typeof t.buddyMatches) =>
    Number((await s.db.read.select({ n: count() }).from(table))[0].n);
  const rows = {
    escalationsInYear: teamCases.value.length,
    normCases: norms.value.reduce((n, list) => n + list.length, 0),
    volunteerHours: await rowCount(t.volunteerHours),
    careShifts: await rowCount(t.careShifts),
    careLoadSignals: await rowCount(t.careLoadSignals),
    buddyMatches: await rowCount(t.buddyMatches),
  };
  const parts = [
    { what: "the year's kept neighbourhood cells (stats.report)", ms: cells.ms },
    { what: "teams: the year's cases (teamCases)", ms: teamCases.ms },
    { what: "teams: when the accounts behind them registered (createdAt)", ms: accounts.ms },
    { what: `teams: first-contact and closing norms (classify, ${teamIds.length} teams)`, ms: norms.ms },
    { what: "hours of informal help (volunteer hours and care shifts)", ms: informal.ms },
    { what: "active care circles", ms: active.ms },
    { what: "intensively loaded mantelzorgers", ms: intensive.ms },
    { what: "buddy programmes", ms: buddies.ms },
  ];
  const result = {
    size,
    dialect,
    loadAverage: { atStart: loadAtStart, atEnd: round(loadavg()[0]), cores: availableParallelism() },
    ...(loadSeconds === undefined ? {} : { loadSeconds }),
    anchor: manifest.anchor,
    year,
    neighbourhoods: neighbourhoodIds.length,
    repeat,
    firstCellsReadMs: firstCells.ms.max,
    councilFiguresMs: whole.ms,
    furtherFiguresP50Ms: round(whole.ms.p50 - cells.ms.p50),
    parts,
    rows,
  };
  const md = [
    `# The council report's further figures (${size}, ${engine})`,
    "",
    `\`npx tsx bench/stats-council.ts --size ${size} --repeat ${repeat}${dialect === "postgres" ? " --dialect postgres" : ""}\`; the year ${year} for the whole city (${neighbourhoodIds.length} neighbourhoods), anchor ${manifest.anchor}; the app's services on ${engine}${loadSeconds === undefined ? "" : ` (the generated rows copied in, ${loadSeconds} s)`}, no HTTP, no cache.`,
    "",
    "| what | p50 ms | p99 ms | mean ms |",
    "| --- | --- | --- | --- |",
    `| **StatsCouncil.figures: the whole report (cells, totals, teams, norms, sources, buddies)** | ${whole.ms.p50} | ${whole.ms.p99} | ${whole.ms.mean} |`,
    ...parts.map((p) => `| ${p.what} | ${p.ms.p50} | ${p.ms.p99} | ${p.ms.mean} |`),
    "",
    `Load average (1 min) of the machine: ${result.loadAverage.atStart} at the start, ${result.loadAverage.atEnd} at the end, on ${result.loadAverage.cores} cores (other work shares them).`,
    "",
    `The further figures add ${result.furtherFiguresP50Ms} ms (p50) to the ${cells.ms.p50} ms of the kept cells. The first read of the year's cells (computing and storing them) took ${result.firstCellsReadMs} ms.`,
    "",
    `Rows behind them: ${Object.entries(rows)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}.${rows.volunteerHours + rows.careShifts === 0 ? " The generated data set records no volunteer hours and no care shifts, so the informal-hours and care-circle parts read empty tables here." : ""}`,
    "",
  ].join("\n");
  const name = `stats-council-${size}${dialect === "postgres" ? "-postgres" : ""}`;
  writeFileSync(join(BENCH_DIR, "results", `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(BENCH_DIR, "results", `${name}.md`), md);
  process.stdout.write(md);
  await bench.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
