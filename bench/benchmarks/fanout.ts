import "reflect-metadata";
import { copyFileSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { DATA_DIR, type DataManifest } from "../generate.js";
import { Prng } from "../lib/prng.js";
import { type AppServer, SERVER_CORE, runWorker, startAppServer, startBenchProcess, waitForQuiet } from "../lib/proc.js";
import { round } from "../lib/stats.js";

export interface FanoutRun {
  mode: string;
  subscribers: number;
  connected: number;
  failedConnects: number;
  closeCodes: Record<string, number>;
  connectSeconds: number;
  probes: number;
  allReceivedProbe: boolean;
  maxProbeReceived: number;
  published: number;
  expectedDeliveries: number;
  delivered: number;
  missing: number;
  eventsTimedOut: number;
  phaseSeconds: number;
  deliveriesPerSecond: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  lastDeliveryMs: { p50: number; p99: number; max: number };
  publishResponseMs: { p50: number; p99: number };
  serverCpuSeconds: number;
  deliveriesPerCpuSecond: number;
  clientCpuShare: number;
  serverCpuShare: number;
  otherCpuShareOnServerCore: number;
  serverRssMB: { baseline: number; subscribed: number; afterWarmup: number; end: number };
  mbPer1000: number;
  mbPer1000AfterEvents: number;
  sampleMessage: string | null;
  lastDeliveryByEventMs?: number[];
}

export interface FanoutTier {
  subscribers: number;
  messageBytes: number | null;
  server: FanoutRun;
  floor: FanoutRun | null;
  /** Deliveries per server CPU-second, relative to the raw broadcast's. */
  ratioPerCpuSecond: number | null;
  /** Deliveries per wall-clock second, relative to the raw broadcast's. */
  ratioPerSecond: number | null;
}

export interface FanoutOptions {
  manifest: DataManifest;
  tiers: number[];
  events: number;
  warmupEvents: number;
  budgetSeconds: number;
  log: (line: string) => void;
  cpuProf?: { dir: string; name: string };
  /** Heap snapshots of the server before and after subscribing, written to this folder (no floor run). */
  heapDir?: string;
}

/**
 * A copy of the data set plus `count` volunteers who cover every neighbourhood and category (so every
 * posted request fits all of them). The copy takes the benchmark's writes; the data file stays as built.
 */
export function prepareCopy(m: DataManifest, count: number): { file: string; idsFile: string } {
  const file = resolve(DATA_DIR, `${m.size}-fanout.sqlite`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  copyFileSync(m.file, file);
  if (existsSync(`${m.file}-wal`)) copyFileSync(`${m.file}-wal`, `${file}-wal`);
  const db = new BetterSqlite3(file);
  const r = new Prng(`zorgzaam-bench:${m.size}:fanout`);
  const at = m.anchorMs - 86_400_000;
  const person = db.prepare(
    "insert into people (id, first_name, last_name, email, password_hash, phone, address, neighbourhood_id, birth_date, created_by_id, team_id, created_at) values (?, ?, ?, ?, null, null, null, ?, null, null, null, ?)",
  );
  const role = db.prepare("insert into person_roles (person_id, role, granted_at, granted_by_id) values (?, ?, ?, null)");
  const profile = db.prepare(
    "insert into volunteer_profiles (person_id, languages, availability, vog_status, vog_issued_on, vog_verified_by_id, vog_verified_at, updated_at) values (?, '[\"nl\"]', '[]', 'VERIFIED', null, null, ?, ?)",
  );
  const cat = db.prepare("insert into volunteer_categories (person_id, category_id) values (?, ?)");
  const nb = db.prepare("insert into volunteer_neighbourhoods (person_id, neighbourhood_id) values (?, ?)");
  const ids: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = r.id("per");
      ids.push(id);
      person.run(id, "Vrijwilliger", `Fan-out ${i}`, `fanout-${i}@bench.zorgzaam.example`, m.neighbourhoodIds[i % m.neighbourhoodIds.length], at);
      role.run(id, "RESIDENT", at);
      role.run(id, "VOLUNTEER", at);
      profile.run(id, at, at);
      for (const c of m.categoryIds) cat.run(id, c);
      for (const n of m.neighbourhoodIds) nb.run(id, n);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const idsFile = resolve(DATA_DIR, `${m.size}-fanout-ids.json`);
  writeFileSync(idsFile, JSON.stringify(ids));
  return { file, idsFile };
}

/** What the subscriber worker is told for every run: how many, how many events, and its patience. */
export function workerSettings(count: number, o: { events: number; warmupEvents: number; budgetSeconds: number }) {
  return {
    serverPid: 0,
    count,
    events: o.events,
    warmupEvents: o.warmupEvents,
    budgetSeconds: o.budgetSeconds,
    eventTimeoutMs: 30_000,
    connectBatch: 250,
    settleMs: count >= 1000 ? 2000 : 500,
  };
}

/** Runs `count` graphql-ws subscribers against a running server, on the client core: volunteers who fit every event. */
export function runSubscribers(
  m: DataManifest,
  server: AppServer,
  copy: { idsFile: string },
  settings: ReturnType<typeof workerSettings>,
  label: string,
  heapSnapshot = false,
): Promise<FanoutRun> {
  return runWorker<FanoutRun>(
    "workers/fanout-clients.ts",
    {
      ...settings,
      mode: "graphql",
      serverPid: server.proc.pid,
      wsUrl: server.wsUrl,
      publishUrl: server.url,
      idsFile: copy.idsFile,
      publisherId: m.probes.resident,
      categoryId: m.categoryIds[0],
      heapSnapshot: heapSnapshot ? { healthUrl: `http://127.0.0.1:${server.port}/healthz` } : undefined,
    },
    label,
  );
}

/** Subscription fan-out through the real server, then the raw broadcast floor, for each subscriber count. */
export async function runFanout(o: FanoutOptions): Promise<FanoutTier[]> {
  const m = o.manifest;
  const { file, idsFile } = prepareCopy(m, Math.max(...o.tiers));
  const tiers: FanoutTier[] = [];
  try {
    for (const count of o.tiers) {
      const common = workerSettings(count, o);
      await waitForQuiet(o.log);
      o.log(`[fanout] ${count} graphql-ws subscribers, ${o.events} askForHelp events`);
      const server = await startAppServer({
        file,
        cpuProf: o.cpuProf ? { dir: o.cpuProf.dir, name: `${o.cpuProf.name}-${count}.cpuprofile` } : undefined,
        nodeArgs: o.heapDir ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${o.heapDir}`] : [],
      });
      let graphqlRun: FanoutRun;
      try {
        graphqlRun = await runSubscribers(m, server, { idsFile }, common, `subscribers×${count}`, o.heapDir !== undefined);
      } catch (err) {
        o.log(`[fanout] server output:\n${server.proc.output().slice(-3000)}`);
        throw err;
      } finally {
        await server.proc.stop();
      }
      o.log(
        `[fanout] server: ${graphqlRun.delivered}/${graphqlRun.expectedDeliveries} delivered, p50 ${graphqlRun.latencyMs.p50} ms, p99 ${graphqlRun.latencyMs.p99} ms, ` +
          `${graphqlRun.deliveriesPerSecond}/s, ${graphqlRun.mbPer1000} MB per 1,000`,
      );
      let floorRun: FanoutRun | null = null;
      const sample = graphqlRun.sampleMessage;
      if (!o.cpuProf && !o.heapDir) {
        const template = sample ? sample.replace(/Fan-out \d{4}/, "{{TITLE}}") : undefined;
        await waitForQuiet(o.log);
        const floor = await startBenchProcess(SERVER_CORE, "ws-floor-server.ts", template ? { TEMPLATE: template } : {}, "ws-floor");
        try {
          floorRun = await runWorker<FanoutRun>(
            "workers/fanout-clients.ts",
            { ...common, mode: "raw", serverPid: floor.proc.pid, wsUrl: `ws://127.0.0.1:${floor.port}/graphql`, publishUrl: `${floor.url}/publish` },
            `raw×${count}`,
          );
        } finally {
          await floor.proc.stop();
        }
        o.log(
          `[fanout] floor:  ${floorRun.delivered}/${floorRun.expectedDeliveries} delivered, p50 ${floorRun.latencyMs.p50} ms, p99 ${floorRun.latencyMs.p99} ms, ` +
            `${floorRun.deliveriesPerSecond}/s, ${floorRun.mbPer1000} MB per 1,000`,
        );
      }
      tiers.push({
        subscribers: count,
        messageBytes: sample ? Buffer.byteLength(sample) : null,
        server: graphqlRun,
        floor: floorRun,
        ratioPerCpuSecond: floorRun ? round(graphqlRun.deliveriesPerCpuSecond / floorRun.deliveriesPerCpuSecond, 3) : null,
        ratioPerSecond: floorRun ? round(graphqlRun.deliveriesPerSecond / floorRun.deliveriesPerSecond, 3) : null,
      });
    }
  } finally {
    for (const f of [file, `${file}-wal`, `${file}-shm`, idsFile]) rmSync(f, { force: true });
  }
  return tiers;
}
