/**
 * Start-up time and memory of the server run from TypeScript through tsx (how `npm start` ran it up to
 * 0.1.0), from the compiled build, and through `npm start`'s script (which hashes the sources to see
 * that dist/ is current, then runs it in the same process): time from spawning `node` to the first
 * successful GraphQL answer, and the process's resident memory (VmRSS) at that moment and after a
 * short warm-up, plus its peak (VmHWM). Runs alternate between the two, so a busy moment of a shared
 * machine hurts both alike.
 *
 *   npm run build && npx tsx bench/startup.ts [--runs 5] [--core 0]
 *
 * Each run starts on its own copy of one database (reference data seeded, migrations applied): the
 * figure is a restart, as an operator does it. A first start on an empty database seeds first (see
 * test/reliability/first-start.test.ts for that time).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, freePort, spawnNode } from "./lib/proc.js";
import { percentile } from "./lib/stats.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, core: { type: "string", default: "0" }, warmup: { type: "string", default: "200" } } });
const runs = Number(values.runs);
const core = Number(values.core);
const warmupRequests = Number(values.warmup);

const variants = [
  { name: "tsx (node --import tsx src/main.ts)", args: ["--import", "tsx", "src/main.ts"] },
  { name: "compiled (node dist/src/main.js)", args: ["dist/src/main.js"] },
  { name: "npm start (scripts/start.mjs: source hash, then dist/)", args: ["scripts/start.mjs"] },
] as const;

if (!existsSync(join(ROOT, "dist", "src", "main.js"))) {
  console.error("dist/ is missing: run `npm run build` first.");
  process.exit(1);
}

const QUERY = JSON.stringify({ query: "{ helpCategories { id name } areas { name neighbourhoods { name } } }" });
const env = (file: string, port: number) => ({
  NODE_ENV: "production",
  JWT_SECRET: "startup-benchmark-secret-long-enough-for-hs256",
  DATABASE_URL: file,
  HOST: "127.0.0.1",
  PORT: String(port),
  LOG_LEVEL: "warn",
  SWEEP_INTERVAL_MS: "0",
});

/** VmRSS and VmHWM of a process, in MiB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

async function answered(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: QUERY });
    if (!res.ok) return false;
    const body = (await res.json()) as { data?: { helpCategories?: unknown[] } };
    return (body.data?.helpCategories?.length ?? 0) > 0;
  } catch {
    return false;
  }
}

interface Run {
  startMs: number;
  rssAtStart: number;
  rssAfterWarmup: number;
  peak: number;
}

async function measure(args: readonly string[], template: string, dir: string, i: number): Promise<Run> {
  const file = join(dir, `run-${i}.sqlite`);
  copyFileSync(template, file);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const began = performance.now();
  const proc = spawnNode(core, [...args], env(file, port), `run ${i}`);
  try {
    for (;;) {
      if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
      if (await answered(url)) break;
      if (performance.now() - began > 120_000) throw new Error(`no answer within 120 s:\n${proc.output()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const startMs = performance.now() - began;
    const atStart = memory(proc.pid);
    for (let n = 0; n < warmupRequests; n++) await answered(url);
    const after = memory(proc.pid);
    return { startMs, rssAtStart: atStart.rss, rssAfterWarmup: after.rss, peak: after.peak };
  } finally {
    await proc.stop();
    rmSync(file, { force: true });
  }
}

const dir = mkdtempSync(join(tmpdir(), "zorgzaam-startup-"));
try {
  // One database both variants start from: created, migrated and seeded (reference data) by a first start.
  const template = join(dir, "template.sqlite");
  {
    const port = await freePort();
    const proc = spawnNode(core, ["dist/src/main.js"], env(template, port), "template");
    const deadline = Date.now() + 180_000;
    while (!(await answered(`http://127.0.0.1:${port}/graphql`))) {
      if (proc.child.exitCode !== null || Date.now() > deadline) throw new Error(`template start failed:\n${proc.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await proc.stop();
  }
  const results = variants.map(() => [] as Run[]);
  for (let i = 0; i < runs; i++) {
    for (const [v, variant] of variants.entries()) {
      const run = await measure(variant.args, template, dir, i * variants.length + v);
      results[v].push(run);
      console.error(`${variant.name} run ${i + 1}: ${run.startMs.toFixed(0)} ms, RSS ${run.rssAtStart.toFixed(1)} MiB`);
    }
  }
  const fmt = (xs: number[], digits = 0) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `${percentile(sorted, 50).toFixed(digits)} (${sorted[0].toFixed(digits)}–${sorted[sorted.length - 1].toFixed(digits)})`;
  };
  const lines = [
    `Node ${process.version}, ${runs} runs each, alternating; median (min–max); server pinned to core ${core}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} at the end.`,
    "",
    "| server | start to first answer, ms | RSS at first answer, MiB | RSS after " + warmupRequests + " requests, MiB | peak RSS, MiB |",
    "| --- | --- | --- | --- | --- |",
    ...variants.map((variant, v) => {
      const r = results[v];
      return `| ${variant.name} | ${fmt(r.map((x) => x.startMs))} | ${fmt(
        r.map((x) => x.rssAtStart),
        1,
      )} | ${fmt(
        r.map((x) => x.rssAfterWarmup),
        1,
      )} | ${fmt(
        r.map((x) => x.peak),
        1,
      )} |`;
    }),
  ];
  console.log(lines.join("\n"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
