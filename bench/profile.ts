/**
 * CPU profiles of the real server (node --cpu-prof) under the browse load and during a fan-out, with a
 * summary of where the time goes: bench/results/profile-<size>.json and .md. The raw .cpuprofile files
 * go to bench/data/profiles/ (open them in Chrome DevTools or speedscope).
 *
 *   npx tsx bench/profile.ts [--size city] [--only browse,fanout,heap] [--tiers 1000] [--events 200] [--duration 10] [--heap-events 50]
 *
 * `heap`: heap snapshots of the server before and after 1,000 (first tier) subscribers connect, and after
 * `--heap-events` (50) events reached them, compared by constructor: what a subscriber costs in memory,
 * and what delivering to it leaves behind.
 * Profiling slows the server down; take the figures from bench/run.ts, the proportions from here.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { runBrowse } from "./benchmarks/browse.js";
import { runFanout } from "./benchmarks/fanout.js";
import { DATA_DIR, ensureData } from "./generate.js";
import { summariseProfile } from "./lib/cpuprofile.js";
import { diffSnapshots } from "./lib/heapsnapshot.js";
import { BENCH_DIR } from "./lib/proc.js";
import { type ProfileResults, renderProfileMarkdown } from "./lib/report.js";
import type { SizeName } from "./lib/sizes.js";

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const size = (value("--size") ?? "city") as SizeName;
const only = new Set((value("--only") ?? "browse,fanout,heap").split(","));
const tiers = (value("--tiers") ?? "1000").split(",").map(Number);
const events = Number(value("--events") ?? 200);
const duration = Number(value("--duration") ?? 10);
/** Events published before the heap's third snapshot (0: only before and after subscribing). */
const heapEvents = Number(value("--heap-events") ?? 50);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  const resultsDir = resolve(BENCH_DIR, "results");
  const dir = resolve(DATA_DIR, "profiles");
  mkdirSync(dir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const m = await ensureData(size, { log });
  const out: ProfileResults = {
    name: `profile-${size}`,
    command: `npx tsx bench/profile.ts ${args.join(" ")}`.trim(),
    startedAt: new Date().toISOString(),
    size,
    errors: [],
  };
  if (only.has("browse")) {
    try {
      const name = `browse-${size}.cpuprofile`;
      rmSync(resolve(dir, name), { force: true });
      const load = await runBrowse({ manifest: m, connections: 50, warmupSeconds: 3, durationSeconds: duration, resultsDir, log, cpuProf: { dir, name } });
      out.browse = { load: load.server, profile: summariseProfile(resolve(dir, name)) };
      log(`[profile] browse: ${resolve(dir, name)}`);
    } catch (err) {
      out.errors.push({ benchmark: "browse", message: String(err) });
    }
  }
  if (only.has("fanout")) {
    out.fanout = [];
    for (const count of tiers) {
      try {
        const base = `fanout-${size}`;
        rmSync(resolve(dir, `${base}-${count}.cpuprofile`), { force: true });
        const [tier] = await runFanout({ manifest: m, tiers: [count], events, warmupEvents: 5, budgetSeconds: 240, log, cpuProf: { dir, name: base } });
        out.fanout.push({ subscribers: count, run: { ...tier.server, sampleMessage: undefined }, profile: summariseProfile(resolve(dir, `${base}-${count}.cpuprofile`)) });
        log(`[profile] fan-out: ${resolve(dir, `${base}-${count}.cpuprofile`)}`);
      } catch (err) {
        out.errors.push({ benchmark: `fan-out ${count}`, message: String(err) });
      }
    }
  }
  if (only.has("heap")) {
    const heapDir = resolve(dir, `heap-${size}`);
    rmSync(heapDir, { recursive: true, force: true });
    mkdirSync(heapDir, { recursive: true });
    const count = tiers[0];
    try {
      await runFanout({ manifest: m, tiers: [count], events: heapEvents, warmupEvents: 1, budgetSeconds: 120, log, heapDir });
      const snaps = readdirSync(heapDir)
        .filter((f) => f.endsWith(".heapsnapshot"))
        .map((f) => resolve(heapDir, f))
        .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
      if (snaps.length < (heapEvents > 0 ? 3 : 2)) throw new Error(`expected ${heapEvents > 0 ? 3 : 2} heap snapshots in ${heapDir}, found ${snaps.length}`);
      out.heap = diffSnapshots(snaps[0], snaps[1], count);
      log(`[profile] heap: ${out.heap.bytesPerSubscriber} bytes of JS heap per subscriber`);
      if (heapEvents > 0) {
        out.heapAfterEvents = { events: heapEvents, ...diffSnapshots(snaps[1], snaps[2], count) };
        log(`[profile] heap: ${out.heapAfterEvents.bytesPerSubscriber} bytes more per subscriber after ${heapEvents} events`);
      }
    } catch (err) {
      out.errors.push({ benchmark: "heap", message: String(err) });
    }
  }
  writeFileSync(resolve(resultsDir, `${out.name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  const md = renderProfileMarkdown(out);
  writeFileSync(resolve(resultsDir, `${out.name}.md`), md);
  log(`\n${md}`);
  if (out.errors.length) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
