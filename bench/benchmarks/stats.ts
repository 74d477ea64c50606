/**
 * The statistics query as the municipality's dashboard sends it: a coordinator's token, one year of
 * months ending at the data's anchor, for the whole city and for one neighbourhood, every page of
 * cells. One client on the client core, one dashboard load at a time, against the real server on the
 * server core; beside it the floor (bench/stats-floor.ts) computes the same answer from the SQLite
 * file with prepared statements on the server core. The two answers must have the same figures.
 *
 * Run as a script (with BENCH_CONFIG) this file is that client: see `client()` below.
 */
import "reflect-metadata";
import { Agent, request } from "node:http";
import { resolve } from "node:path";
import { DateTime } from "luxon";
import type { DataManifest } from "../generate.js";
import { type CapturedQuery, captureStatsPlans } from "../lib/plans.js";
import { type AppServer, CLIENT_CORE, SERVER_CORE, config, coreBusySeconds, cpuSeconds, result, runWorker, startAppServer, waitForQuiet } from "../lib/proc.js";
import { round, summarise } from "../lib/stats.js";
import { signToken } from "../lib/tokens.js";
import type { ComparableCell, FloorQuery, FloorRun } from "../stats-floor.js";

/** What the dashboard asks for: every figure of every cell, a page of at most 100 cells at a time. */
export const STATS_QUERY = `query Dashboard($from: String, $to: String, $neighbourhoodIds: [ID!], $first: Int, $after: String) {
  stats(from: $from, to: $to, neighbourhoodIds: $neighbourhoodIds) {
    from to months suppressionThreshold generatedAt
    cells(first: $first, after: $after) {
      edges { node {
        month closed neighbourhood { id name }
        requests { value suppressed }
        requestsByCategory { category { id code name } requests { value suppressed } }
        matchedByVolunteers { value suppressed }
        medianHoursToMatch { value suppressed }
        escalations { trigger outcome cases { value suppressed } }
        initiativeFillRate { value suppressed }
        participationUtilisation { value suppressed }
        activeVolunteers { value suppressed }
        mantelzorgersSupported { value suppressed }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
export const STATS_PAGE_SIZE = 100;

type Latency = { mean: number; p50: number; p90: number; p99: number; max: number };

export interface StatsClientRun {
  /** Requests (pages) one dashboard load takes. */
  pagesPerLoad: number;
  cells: number;
  bytesPerLoad: number;
  loads: number;
  /** A whole dashboard load: every page, one after the other. */
  perLoadMs: Latency;
  /** Each request on its own. */
  perRequestMs: Latency;
  /** CPU time of the server per load (ms), and the CPU share of other processes on its core. */
  serverCpuMsPerLoad: number;
  otherCpuShareOnServerCore: number;
}

export interface StatsScenario {
  label: string;
  from: string;
  to: string;
  neighbourhoodIds: string[] | null;
  months: number;
  neighbourhoods: number;
  cells: number;
  /** The server computing every request (STATS_CACHE_SECONDS=0). */
  server: StatsClientRun;
  /** The server as configured by default (STATS_CACHE_SECONDS=60): repeated loads come from its cache. */
  serverCached: StatsClientRun | null;
  floor: Omit<FloorRun, "answer">;
  /** Server p50 per request (computing) / floor p50. */
  ratioP50: number | null;
  /** Cells whose figures differ between the server and the floor (0: the same answer). */
  differingCells: number;
  difference: string | null;
}

export interface StatsResult {
  size: string;
  helpRequests: number;
  anchor: string;
  coordinator: string;
  pageSize: number;
  scenarios: StatsScenario[];
  plans: Record<string, CapturedQuery>;
  /** Statements of the stats repository that read a whole table (no index serves them). */
  fullScans: string[];
}

interface ClientConfig {
  url: string;
  token: string;
  targetPid: number;
  queries: Record<string, { from: string; to: string; neighbourhoodIds: string[] | null }>;
  requests: number;
  warmupRequests: number;
}

interface Edge {
  node: {
    month: string;
    closed: boolean;
    neighbourhood: { id: string };
    requests: ComparableCell["requests"];
    requestsByCategory: { category: { id: string }; requests: ComparableCell["requests"] }[];
    escalations: ComparableCell["escalations"];
  } & Record<string, unknown>;
}

/** The server's cells in the floor's shape. */
function comparable(edges: Edge[]): ComparableCell[] {
  return edges.map(({ node: c }) => ({
    month: c.month,
    neighbourhoodId: c.neighbourhood.id,
    closed: c.closed,
    requests: c.requests,
    requestsByCategory: c.requestsByCategory.map((r) => ({ categoryId: r.category.id, requests: r.requests })),
    matchedByVolunteers: c.matchedByVolunteers as ComparableCell["matchedByVolunteers"],
    medianHoursToMatch: c.medianHoursToMatch as ComparableCell["medianHoursToMatch"],
    escalations: c.escalations,
    initiativeFillRate: c.initiativeFillRate as ComparableCell["initiativeFillRate"],
    participationUtilisation: c.participationUtilisation as ComparableCell["participationUtilisation"],
    activeVolunteers: c.activeVolunteers as ComparableCell["activeVolunteers"],
    mantelzorgersSupported: c.mantelzorgersSupported as ComparableCell["mantelzorgersSupported"],
  }));
}

/** The client (run on the client core): sequential dashboard loads, every page of each. */
async function client() {
  const cfg = config<ClientConfig>();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(cfg.url);
  const post = (body: Buffer) =>
    new Promise<{ ms: number; text: string }>((resolvePost, reject) => {
      const t0 = process.hrtime.bigint();
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${cfg.token}`, "content-length": body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (d: Buffer) => chunks.push(d));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200 || text.startsWith('{"errors"') || text.includes('"errors":[')) {
              reject(new Error(`status ${res.statusCode}: ${text.slice(0, 600)}`));
            } else resolvePost({ ms: Number(process.hrtime.bigint() - t0) / 1e6, text });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const load = async (variables: ClientConfig["queries"][string]) => {
    const pages: number[] = [];
    const edges: Edge[] = [];
    let bytes = 0;
    let after: string | null = null;
    const t0 = process.hrtime.bigint();
    for (;;) {
      const body = Buffer.from(JSON.stringify({ query: STATS_QUERY, operationName: "Dashboard", variables: { ...variables, first: STATS_PAGE_SIZE, after } }));
      const r = await post(body);
      pages.push(r.ms);
      bytes += r.text.length;
      const page = (JSON.parse(r.text) as { data: { stats: { cells: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } }).data.stats.cells;
      edges.push(...page.edges);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, pages, edges, bytes };
  };
  const out: Record<string, StatsClientRun & { answer: ComparableCell[] }> = {};
  for (const [label, variables] of Object.entries(cfg.queries)) {
    for (let i = 0; i < cfg.warmupRequests; i++) await load(variables);
    const perLoad: number[] = [];
    const perRequest: number[] = [];
    let last: Awaited<ReturnType<typeof load>> | null = null;
    const cpu0 = cpuSeconds(cfg.targetPid);
    const core0 = coreBusySeconds()[SERVER_CORE];
    const w0 = performance.now();
    for (let i = 0; i < cfg.requests; i++) {
      last = await load(variables);
      perLoad.push(last.ms);
      perRequest.push(...last.pages);
    }
    const seconds = (performance.now() - w0) / 1000;
    const cpu = cpuSeconds(cfg.targetPid) - cpu0;
    const core = coreBusySeconds()[SERVER_CORE] - core0;
    const lat = (values: number[]): Latency => {
      const s = summarise(values);
      return { mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) };
    };
    out[label] = {
      pagesPerLoad: last!.pages.length,
      cells: last!.edges.length,
      bytesPerLoad: last!.bytes,
      loads: perLoad.length,
      perLoadMs: lat(perLoad),
      perRequestMs: lat(perRequest),
      serverCpuMsPerLoad: round((cpu * 1000) / perLoad.length, 2),
      otherCpuShareOnServerCore: round(Math.max(0, core - cpu) / seconds, 3),
      answer: comparable(last!.edges),
    };
  }
  agent.destroy();
  result(out);
}

/** Cells whose figures differ, and the first difference. */
function compare(server: ComparableCell[], floor: ComparableCell[]): { differing: number; first: string | null } {
  const key = (c: ComparableCell) => `${c.month}/${c.neighbourhoodId}`;
  const floorBy = new Map(floor.map((c) => [key(c), JSON.stringify(c)]));
  let differing = Math.abs(server.length - floor.length);
  let first: string | null = server.length !== floor.length ? `${server.length} cells from the server, ${floor.length} from the floor` : null;
  for (const c of server) {
    const a = JSON.stringify(c);
    const b = floorBy.get(key(c));
    if (a === b) continue;
    differing += 1;
    first ??= `${key(c)}: server ${a.slice(0, 700)} / floor ${(b ?? "missing").slice(0, 700)}`;
  }
  const order = server.map(key).join() === floor.map(key).join();
  if (!order && differing === 0) first = "same cells, in another order";
  return { differing, first };
}

/** The dashboard's period: the twelve months ending with the month of the day before the anchor (Europe/Amsterdam). */
export function dashboardPeriod(anchorMs: number): { from: string; to: string } {
  const last = DateTime.fromMillis(anchorMs - 24 * 3600_000, { zone: "Europe/Amsterdam" }).startOf("month");
  return { from: last.minus({ months: 11 }).toFormat("yyyy-LL"), to: last.toFormat("yyyy-LL") };
}

export async function runStats(o: { manifest: DataManifest; requests: number; warmupRequests: number; resultsDir: string; log: (line: string) => void }): Promise<StatsResult> {
  const m = o.manifest;
  const coordinator = m.probes.coordinator;
  if (!coordinator) throw new Error("the data set has no coordinator probe: rebuild it (npx tsx bench/generate.ts --force)");
  const { from, to } = dashboardPeriod(m.anchorMs);
  const one = m.neighbourhoodIds[0];
  const queries: Record<string, FloorQuery> = {
    city: { from, to, neighbourhoodIds: null },
    "one neighbourhood": { from, to, neighbourhoodIds: [one] },
  };

  await waitForQuiet(o.log);
  const plans = await captureStatsPlans(m.file, Object.fromEntries(Object.entries(queries).map(([k, q]) => [k, { from: q.from, to: q.to, neighbourhoodIds: q.neighbourhoodIds }])));
  for (const [label, q] of Object.entries(plans)) o.log(`[stats] ${label}: ${q.plan.join(" | ")} (${q.rows} rows, ${q.medianMs} ms)${q.fullScan ? " FULL SCAN" : ""}`);
  const fullScans = Object.entries(plans)
    .filter(([, q]) => q.fullScan)
    .map(([label]) => label);

  const token = await signToken(coordinator);
  const measure = async (cacheSeconds: string | null, requests: number, warmupRequests: number) => {
    let server: AppServer | null = null;
    try {
      server = await startAppServer({ file: m.file, env: cacheSeconds === null ? {} : { STATS_CACHE_SECONDS: cacheSeconds } });
      await waitForQuiet(o.log);
      return await runWorker<Record<string, StatsClientRun & { answer: ComparableCell[] }>>(
        "benchmarks/stats.ts",
        { url: server.url, token, targetPid: server.proc.pid, queries, requests, warmupRequests } satisfies ClientConfig,
        cacheSeconds === null ? "stats→server (cache)" : "stats→server",
        30 * 60_000,
        CLIENT_CORE,
      );
    } finally {
      await server?.proc.stop();
    }
  };

  const computed = await measure("0", o.requests, o.warmupRequests);
  const cached = await measure(null, o.requests, Math.max(1, Math.min(5, o.warmupRequests)));
  await waitForQuiet(o.log);
  const floor = await runWorker<Record<string, FloorRun>>(
    "stats-floor.ts",
    { file: m.file, queries, requests: o.requests, warmupRequests: o.warmupRequests },
    "stats floor",
    30 * 60_000,
    SERVER_CORE,
  );

  const scenarios: StatsScenario[] = Object.entries(queries).map(([label, q]) => {
    const s = computed[label];
    const c = cached[label];
    const f = floor[label];
    const diff = compare(s.answer, f.answer);
    const { answer: _s, ...server } = s;
    const { answer: _c, ...serverCached } = c;
    const { answer: _f, ...floorRun } = f;
    const months = new Set(s.answer.map((x) => x.month)).size;
    const neighbourhoods = new Set(s.answer.map((x) => x.neighbourhoodId)).size;
    o.log(
      `[stats] ${label}: ${s.cells} cells (${months} months x ${neighbourhoods} neighbourhoods) in ${s.pagesPerLoad} request(s); ` +
        `server p50 ${s.perRequestMs.p50} ms p99 ${s.perRequestMs.p99} ms per request, ${s.perLoadMs.p50} ms per load; ` +
        `cached p50 ${c.perLoadMs.p50} ms; floor p50 ${f.latencyMs.p50} ms p99 ${f.latencyMs.p99} ms; differing cells ${diff.differing}`,
    );
    return {
      label,
      from: q.from,
      to: q.to,
      neighbourhoodIds: q.neighbourhoodIds,
      months,
      neighbourhoods,
      cells: s.cells,
      server,
      serverCached,
      floor: floorRun,
      ratioP50: f.latencyMs.p50 > 0 ? round(s.perRequestMs.p50 / f.latencyMs.p50, 2) : null,
      differingCells: diff.differing,
      difference: diff.first,
    };
  });
  return {
    size: m.size,
    helpRequests: m.counts.help_requests,
    anchor: m.anchor,
    coordinator,
    pageSize: STATS_PAGE_SIZE,
    scenarios,
    plans,
    fullScans,
  };
}

/** Why the run must fail: the floor's figures differ from the server's (null when they agree). */
export function statsMismatch(r: StatsResult): string | null {
  const bad = r.scenarios.filter((s) => s.differingCells > 0);
  return bad.length
    ? `FLOOR MISMATCH: the floor's figures differ from the server's: ${bad.map((s) => `${s.label}: ${s.differingCells} cells, e.g. ${s.difference}`).join("; ")}`
    : null;
}

if (process.env.BENCH_CONFIG && process.argv[1] && resolve(process.argv[1]).endsWith("benchmarks/stats.ts")) {
  client().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
