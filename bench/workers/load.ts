/**
 * Load generator, run on the client core. Two modes:
 * - `autocannon`: N connections for a warm-up, then a measured run; throughput and latency.
 * - `sequential`: one client, one request at a time, on one keep-alive socket; latency per request.
 * It reads the target's CPU time from /proc before and after the measured part, to show the target
 * was saturated (and the generator was not the limit).
 */
import "reflect-metadata";
import { Agent, request } from "node:http";
import autocannon from "autocannon";
import { SERVER_CORE, config, coreBusySeconds, cpuSeconds, result } from "../lib/proc.js";
import { round, summarise } from "../lib/stats.js";

interface LoadConfig {
  mode: "autocannon" | "sequential";
  url: string;
  body: string;
  headers: Record<string, string>;
  targetPid: number;
  /** autocannon */
  connections?: number;
  warmupSeconds?: number;
  durationSeconds?: number;
  expectBody?: string;
  /** sequential */
  warmupRequests?: number;
  requests?: number;
}

const cfg = config<LoadConfig>();

async function cannon() {
  const base = {
    url: cfg.url,
    method: "POST" as const,
    headers: cfg.headers,
    body: cfg.body,
    connections: cfg.connections ?? 50,
  };
  await autocannon({ ...base, duration: cfg.warmupSeconds ?? 3 });
  const cpu0 = cpuSeconds(cfg.targetPid);
  const core0 = coreBusySeconds()[SERVER_CORE];
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon({ ...base, duration: cfg.durationSeconds ?? 10, expectBody: cfg.expectBody });
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(cfg.targetPid);
  const core1 = coreBusySeconds()[SERVER_CORE];
  const self = process.cpuUsage(self0);
  const completed = r.requests.total;
  return {
    mode: "autocannon",
    connections: base.connections,
    seconds: round(seconds, 2),
    requests: completed,
    rps: round(completed / seconds, 1),
    latencyMs: { mean: r.latency.mean, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    targetCpuShare: round((cpu1 - cpu0) / seconds, 3),
    /** Share of the server core used by anything but the target (other processes, interrupts). */
    otherCpuShareOnServerCore: round(Math.max(0, core1 - core0 - (cpu1 - cpu0)) / seconds, 3),
    loadgenCpuShare: round((self.user + self.system) / 1e6 / seconds, 3),
  };
}

async function sequential() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(cfg.url);
  const body = Buffer.from(cfg.body);
  const once = () =>
    new Promise<number>((resolveOnce, reject) => {
      const t0 = process.hrtime.bigint();
      const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { ...cfg.headers, "content-length": body.length } }, (res) => {
        res.on("data", () => undefined);
        res.on("end", () => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else resolveOnce(Number(process.hrtime.bigint() - t0) / 1e6);
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  for (let i = 0; i < (cfg.warmupRequests ?? 50); i++) await once();
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < (cfg.requests ?? 500); i++) latencies.push(await once());
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const s = summarise(latencies);
  return {
    mode: "sequential",
    requests: latencies.length,
    seconds: round(seconds, 2),
    latencyMs: { mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) },
  };
}

(cfg.mode === "sequential" ? sequential() : cannon()).then(result, (err) => {
  console.error(err);
  process.exit(1);
});
