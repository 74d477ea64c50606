import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { DataManifest } from "../generate.js";
import { SERVER_CORE, type AppServer, runWorker, startAppServer, startBenchProcess, waitForQuiet } from "../lib/proc.js";
import { BROWSE_BODY } from "../lib/queries.js";
import { round } from "../lib/stats.js";
import { BENCH_JWT_SECRET, signToken } from "../lib/tokens.js";

export interface LoadResult {
  mode: string;
  connections?: number;
  seconds: number;
  requests: number;
  rps?: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx?: number;
  errors?: number;
  timeouts?: number;
  mismatches?: number;
  targetCpuShare?: number;
  otherCpuShareOnServerCore?: number;
  loadgenCpuShare?: number;
}

export interface BrowseOptions {
  manifest: DataManifest;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  resultsDir: string;
  log: (line: string) => void;
  /** Profile the server (node --cpu-prof) instead of comparing with the floor. */
  cpuProf?: { dir: string; name: string };
  /** Also run the floor forced onto the browse index (default: yes). */
  whatIf?: boolean;
}

export interface BrowseResult {
  size: string;
  volunteer: string;
  responseBytes: number;
  edges: number;
  hasNextPage: boolean;
  identical: boolean;
  headers: { server: Record<string, string>; floor: Record<string, string> };
  server: LoadResult;
  floor: LoadResult | null;
  ratio: number | null;
  /**
   * What-if, not part of the ratio: the floor with its browse statement forced onto
   * the plan SQLite picks itself, without the index the server names (same answer, verified): what
   * the open-requests index is worth.
   */
  floorOnBrowseIndex: LoadResult | null;
}

export const jsonHeaders = (token: string) => ({ "content-type": "application/json", authorization: `Bearer ${token}` });

export async function post(url: string, token: string, body = BROWSE_BODY) {
  const res = await fetch(url, { method: "POST", headers: jsonHeaders(token), body });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, text, headers };
}

/**
 * Asks the real server and the floor the same question and insists on byte-identical answers;
 * a time boundary (a window ending between the two calls) gets two more tries.
 */
export async function verifyIdentical(serverUrl: string, floorUrl: string, token: string, resultsDir: string, tag: string) {
  let last: { server: Awaited<ReturnType<typeof post>>; floor: Awaited<ReturnType<typeof post>> } | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = await post(serverUrl, token);
    const floor = await post(floorUrl, token);
    last = { server, floor };
    if (server.status !== 200 || server.text.includes('"errors"')) {
      throw new Error(`the server did not answer the Browse query (status ${server.status}): ${server.text.slice(0, 500)}`);
    }
    if (server.text === floor.text) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  const a = last!.server.text;
  const b = last!.floor.text;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const dump = resolve(resultsDir, `browse-mismatch-${tag}.json`);
  writeFileSync(dump, JSON.stringify({ server: a, floor: b }, null, 2));
  throw new Error(
    `FLOOR MISMATCH: the floor's answer differs from the server's at byte ${i}:\n` +
      `  server: …${JSON.stringify(a.slice(Math.max(0, i - 60), i + 80))}\n` +
      `  floor:  …${JSON.stringify(b.slice(Math.max(0, i - 60), i + 80))}\n` +
      `  both answers: ${dump}`,
  );
}

export async function startFloor(file: string, index?: string) {
  return startBenchProcess(
    SERVER_CORE,
    "floor-server.ts",
    { DATABASE_URL: file, JWT_SECRET: BENCH_JWT_SECRET, ...(index ? { FLOOR_INDEX: index } : {}) },
    index ? "floor+index" : "floor",
  );
}

/** The what-if floor: the browse statement without an index hint, on the plan SQLite picks itself. */
export const BROWSE_INDEX = "none";

/** Throughput and latency of the Browse query under 50 connections: the real server, then the floor. */
export async function runBrowse(o: BrowseOptions): Promise<BrowseResult> {
  const m = o.manifest;
  const token = await signToken(m.probes.browseVolunteer);
  let server: AppServer | null = null;
  let floor: Awaited<ReturnType<typeof startFloor>> | null = null;
  try {
    server = await startAppServer({ file: m.file, cpuProf: o.cpuProf });
    floor = o.cpuProf ? null : await startFloor(m.file);
    let answer: Awaited<ReturnType<typeof post>>;
    let floorHeaders: Record<string, string> = {};
    if (floor) {
      const both = await verifyIdentical(server.url, `${floor.url}/graphql`, token, o.resultsDir, m.size);
      answer = both.server;
      floorHeaders = both.floor.headers;
      o.log(`[browse] server and floor answers are byte-identical (${answer.text.length} bytes)`);
    } else {
      answer = await post(server.url, token);
    }
    const parsed = JSON.parse(answer.text) as { data: { openHelpRequests: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } } };
    const load = async (url: string, pid: number, label: string) => {
      await waitForQuiet(o.log);
      const r = await runWorker<LoadResult>(
        "workers/load.ts",
        {
          mode: "autocannon",
          url,
          body: BROWSE_BODY,
          headers: jsonHeaders(token),
          targetPid: pid,
          connections: o.connections,
          warmupSeconds: o.warmupSeconds,
          durationSeconds: o.durationSeconds,
          expectBody: answer.text,
        },
        label,
      );
      if ((r.targetCpuShare ?? 1) < 0.9) {
        o.log(`[browse] warning: ${label} got ${Math.round((r.targetCpuShare ?? 0) * 100)}% of its core (other load ${Math.round((r.otherCpuShareOnServerCore ?? 0) * 100)}%)`);
      }
      return r;
    };
    o.log(`[browse] server: ${o.connections} connections, ${o.warmupSeconds} s warm-up, ${o.durationSeconds} s measured`);
    const serverLoad = await load(server.url, server.proc.pid, "load→server");
    o.log(`[browse] server: ${serverLoad.rps} req/s, p50 ${serverLoad.latencyMs.p50} ms, p99 ${serverLoad.latencyMs.p99} ms`);
    let floorLoad: LoadResult | null = null;
    let indexedLoad: LoadResult | null = null;
    if (floor) {
      floorLoad = await load(`${floor.url}/graphql`, floor.proc.pid, "load→floor");
      o.log(`[browse] floor:  ${floorLoad.rps} req/s, p50 ${floorLoad.latencyMs.p50} ms, p99 ${floorLoad.latencyMs.p99} ms`);
      await floor.proc.stop();
      floor = null;
      if (o.whatIf !== false) {
        const indexed = await startFloor(m.file, BROWSE_INDEX);
        try {
          await verifyIdentical(server.url, `${indexed.url}/graphql`, token, o.resultsDir, `${m.size}-indexed`);
          indexedLoad = await load(`${indexed.url}/graphql`, indexed.proc.pid, "load→floor+index");
          o.log(`[browse] floor on SQLite's own plan (what-if): ${indexedLoad.rps} req/s, p50 ${indexedLoad.latencyMs.p50} ms`);
        } finally {
          await indexed.proc.stop();
        }
      }
    }
    const strip = (h: Record<string, string>) => {
      const { date: _d, "x-request-id": _r, ...rest } = h;
      return rest;
    };
    return {
      size: m.size,
      volunteer: m.probes.browseVolunteer,
      responseBytes: Buffer.byteLength(answer.text),
      edges: parsed.data.openHelpRequests.edges.length,
      hasNextPage: parsed.data.openHelpRequests.pageInfo.hasNextPage,
      identical: floorLoad !== null,
      headers: { server: strip(answer.headers), floor: strip(floorHeaders) },
      server: serverLoad,
      floor: floorLoad,
      ratio: floorLoad?.rps && serverLoad.rps ? round(serverLoad.rps / floorLoad.rps, 3) : null,
      floorOnBrowseIndex: indexedLoad,
    };
  } finally {
    await floor?.proc.stop();
    await server?.proc.stop();
  }
}
