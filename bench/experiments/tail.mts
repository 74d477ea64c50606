/**
 * One fan-out run of the server alone, with each event's time from publish to its last delivery in
 * order: finds the slow events (and, with NODE_ARGS="--cpu-prof --cpu-prof-dir=…" or "--trace-gc", what
 * the server did meanwhile). Not a figure of record: those come from bench/run.ts.
 *   NODE_ARGS="…" npx tsx bench/experiments/tail.mts [subscribers=10000] [events=100]
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { prepareCopy, runSubscribers, workerSettings } from "../benchmarks/fanout.js";
import { DATA_DIR, ensureData } from "../generate.js";
import { startAppServer } from "../lib/proc.js";
const count = Number(process.argv[2] ?? 10000);
const m = await ensureData("city");
const copy = prepareCopy(m, count);
const settings = workerSettings(count, { events: Number(process.argv[3] ?? 100), warmupEvents: 5, budgetSeconds: 600 });
const server = await startAppServer({ file: copy.file, nodeArgs: (process.env.NODE_ARGS ?? "").split(" ").filter(Boolean) });
let log = "";
server.proc.child.stdout!.on("data", (d) => (log += d));
server.proc.child.stderr!.on("data", (d) => (log += d));
const r = await runSubscribers(m, server, copy, settings, "tail");
await server.proc.stop();
// What the server printed (its trace output, with a trace flag), for reading beside the per-event times.
writeFileSync(resolve(DATA_DIR, "tail-server.log"), log);
const { lastDeliveryByEventMs, sampleMessage: _sample, ...rest } = r;
console.log(JSON.stringify(rest));
console.log((lastDeliveryByEventMs ?? []).join(" "));
