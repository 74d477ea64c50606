import "reflect-metadata";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { DATA_DIR, type DataManifest } from "../generate.js";
import { SERVER_CORE, runWorker, waitForQuiet } from "../lib/proc.js";

export interface SweepResult {
  size: string;
  helpRequests: number;
  runs: { label: string; clockOffsetDays: number; due: number; expired: number; ms: number; usPerRequest: number | null }[];
  idleMs: { p50: number; p99: number; max: number };
  expiredTotal: number;
}

/** The expiry sweep over a copy of the data set (it writes), on the server core. */
export async function runSweep(m: DataManifest, idleRuns: number, log: (line: string) => void): Promise<SweepResult> {
  const file = resolve(DATA_DIR, `${m.size}-sweep.sqlite`);
  const files = [file, `${file}-wal`, `${file}-shm`];
  for (const f of files) rmSync(f, { force: true });
  copyFileSync(m.file, file);
  if (existsSync(`${m.file}-wal`)) copyFileSync(`${m.file}-wal`, `${file}-wal`);
  try {
    await waitForQuiet(log);
    log(`[sweep] ${m.size}: expireDue() on a copy of ${m.counts.help_requests} requests`);
    const r = await runWorker<Omit<SweepResult, "size" | "helpRequests">>("workers/sweep.ts", { file, idleRuns }, "sweep", 30 * 60_000, SERVER_CORE);
    for (const run of r.runs) log(`[sweep]   ${run.label}: ${run.expired} expired in ${run.ms} ms`);
    return { size: m.size, helpRequests: m.counts.help_requests, ...r };
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}
