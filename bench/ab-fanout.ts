/**
 * The fan-out of this checkout's server and of a variant, in turns: each takes the same subscribers
 * (volunteers who fit every event) and the same events, alternating for `--rounds` rounds, so the
 * machine's drift falls on both alike. Reports the server's CPU per delivery and the delivery latency of
 * every run. A quick check between changes, like bench/ab.ts; the figures of record come from run.ts.
 *   npx tsx bench/ab-fanout.ts [--size city] [--subscribers 5000] [--events 100] [--rounds 2]
 *     [--variant K=V,...] [--variant-root ../other-checkout]
 */
import { parseArgs } from "node:util";
import { prepareCopy, runSubscribers, workerSettings } from "./benchmarks/fanout.js";
import { ensureData } from "./generate.js";
import { envPairs, startAppServer } from "./lib/proc.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "city" },
    subscribers: { type: "string", default: "5000" },
    events: { type: "string", default: "100" },
    rounds: { type: "string", default: "2" },
    variant: { type: "string" },
    "variant-root": { type: "string" },
  },
});
if (!values.variant && !values["variant-root"]) {
  console.error("name a variant: --variant K=V,... and/or --variant-root <checkout>");
  process.exit(2);
}
const count = Number(values.subscribers);
const manifest = await ensureData(values.size as "city");
const copy = prepareCopy(manifest, count);
const settings = workerSettings(count, { events: Number(values.events), warmupEvents: 5, budgetSeconds: 600 });
const sides = [
  { name: "server", env: {}, root: undefined as string | undefined, cpu: 0, delivered: 0 },
  {
    name: `server with ${[values.variant, values["variant-root"]].filter(Boolean).join(" ")}`,
    env: envPairs(values.variant) ?? {},
    root: values["variant-root"],
    cpu: 0,
    delivered: 0,
  },
];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const side of round % 2 ? [...sides].reverse() : sides) {
    const server = await startAppServer({ file: copy.file, env: side.env, root: side.root });
    try {
      const run = await runSubscribers(manifest, server, copy, settings, side.name);
      if (run.missing > 0) throw new Error(`${side.name}: ${run.missing} deliveries missing`);
      side.cpu += run.serverCpuSeconds;
      side.delivered += run.delivered;
      console.log(
        `${side.name}: ${((1e6 * run.serverCpuSeconds) / run.delivered).toFixed(2)} µs CPU per delivery, ` +
          `latency p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms (${run.delivered} deliveries)`,
      );
    } finally {
      await server.proc.stop();
    }
  }
}
const [a, b] = sides.map((s) => s.cpu / s.delivered);
console.log(`CPU per delivery, variant/server: ${(b / a).toFixed(3)}`);
process.exit(0);
