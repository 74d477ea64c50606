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
  /** Also measure the peers (default: yes; never with `cpuProf`). */
  peers?: boolean;
}

/** A peer's run: the same answer from another usual stack (bench/peers/), beside the floor; not a target. */
export interface PeerResult {
  name: PeerName;
  label: string;
  headers: Record<string, string>;
  load: LoadResult;
  /** Server/peer throughput. */
  ratio: number | null;
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
  /** Server/floor throughput: the target. */
  ratio: number | null;
  /** The peers, measured after the floor in the same way (absent in results from before they ran). */
  peers?: PeerResult[];
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
 * Asks the real server and the floor (or a peer: `label`) the same question and insists on
 * byte-identical answers; a time boundary (a window ending between the two calls) gets two more tries.
 */
export async function verifyIdentical(serverUrl: string, floorUrl: string, token: string, resultsDir: string, tag: string, label = "floor") {
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
  writeFileSync(dump, JSON.stringify({ server: a, [label]: b }, null, 2));
  throw new Error(
    `${label.toUpperCase()} MISMATCH: the ${label}'s answer differs from the server's at byte ${i}:\n` +
      `  server: …${JSON.stringify(a.slice(Math.max(0, i - 60), i + 80))}\n` +
      `  ${`${label}:`.padEnd(7)} …${JSON.stringify(b.slice(Math.max(0, i - 60), i + 80))}\n` +
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

/**
 * The PEERS: the same answer from the stacks such a server is usually built on, pinned like the floor,
 * reading what the floor reads (bench/lib/browse-source.ts). Reported beside the floor, not targets.
 */
export const PEERS = [
  { name: "mercurius", label: "fastify + mercurius (graphql-jit)", script: "peers/mercurius-server.ts", readyPath: "/healthz" },
  {
    name: "apollo",
    label: "Apollo Server 5 + type-graphql",
    script: "peers/apollo-server.ts",
    // Apollo's standalone server has no health route: a GET query with its CSRF preflight header.
    readyPath: "/graphql?query=%7B__typename%7D",
    readyHeaders: { "apollo-require-preflight": "true" },
  },
] as const;
export type PeerName = (typeof PEERS)[number]["name"];

/** Starts a peer on the server core; `url` is its GraphQL endpoint. */
export async function startPeer(name: PeerName, file: string) {
  const peer: (typeof PEERS)[number] = PEERS.find((p) => p.name === name)!;
  const env = { DATABASE_URL: file, JWT_SECRET: BENCH_JWT_SECRET, NODE_ENV: "production" };
  const started = await startBenchProcess(SERVER_CORE, peer.script, env, peer.name, peer.readyPath, "readyHeaders" in peer ? peer.readyHeaders : undefined);
  return { ...started, url: `${started.url}/graphql`, label: peer.label };
}

/** Starts the named peers at once; stops those that started when one does not. */
export async function startPeers(names: readonly PeerName[], file: string) {
  const started = await Promise.allSettled(names.map((name) => startPeer(name, file)));
  const up = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    for (const peer of up) await peer.proc.stop();
    throw failed.reason;
  }
  return up;
}

/** The what-if floor: the browse statement without an index hint, on the plan SQLite picks itself. */
export const BROWSE_INDEX = "none";

/**
 * Throughput and latency of the Browse query under 50 connections: the real server, then the floor,
 * then each peer, one after the other in the same way; every answer is checked against the server's first.
 */
export async function runBrowse(o: BrowseOptions): Promise<BrowseResult> {
  const m = o.manifest;
  const token = await signToken(m.probes.browseVolunteer);
  let server: AppServer | null = null;
  let floor: Awaited<ReturnType<typeof startFloor>> | null = null;
  const peers = new Map<PeerName, Awaited<ReturnType<typeof startPeer>>>();
  try {
    server = await startAppServer({ file: m.file, cpuProf: o.cpuProf });
    floor = o.cpuProf ? null : await startFloor(m.file);
    if (floor && o.peers !== false) {
      const names = PEERS.map((p) => p.name);
      for (const [i, peer] of (await startPeers(names, m.file)).entries()) peers.set(names[i], peer);
    }
    let answer: Awaited<ReturnType<typeof post>>;
    let floorHeaders: Record<string, string> = {};
    const peerHeaders = new Map<PeerName, Record<string, string>>();
    if (floor) {
      const both = await verifyIdentical(server.url, `${floor.url}/graphql`, token, o.resultsDir, m.size);
      answer = both.server;
      floorHeaders = both.floor.headers;
      o.log(`[browse] server and floor answers are byte-identical (${answer.text.length} bytes)`);
      for (const [name, peer] of peers) {
        peerHeaders.set(name, (await verifyIdentical(server.url, peer.url, token, o.resultsDir, `${m.size}-${name}`, name)).floor.headers);
        o.log(`[browse] server and ${name} answers are byte-identical`);
      }
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
    const strip = (h: Record<string, string>) => {
      const { date: _d, "x-request-id": _r, ...rest } = h;
      return rest;
    };
    o.log(`[browse] server: ${o.connections} connections, ${o.warmupSeconds} s warm-up, ${o.durationSeconds} s measured`);
    const serverLoad = await load(server.url, server.proc.pid, "load→server");
    o.log(`[browse] server: ${serverLoad.rps} req/s, p50 ${serverLoad.latencyMs.p50} ms, p99 ${serverLoad.latencyMs.p99} ms`);
    let floorLoad: LoadResult | null = null;
    let indexedLoad: LoadResult | null = null;
    const peerLoads: PeerResult[] = [];
    if (floor) {
      floorLoad = await load(`${floor.url}/graphql`, floor.proc.pid, "load→floor");
      o.log(`[browse] floor:  ${floorLoad.rps} req/s, p50 ${floorLoad.latencyMs.p50} ms, p99 ${floorLoad.latencyMs.p99} ms`);
      await floor.proc.stop();
      floor = null;
      for (const [name, peer] of peers) {
        const l = await load(peer.url, peer.proc.pid, `load→${name}`);
        o.log(`[browse] ${name}: ${l.rps} req/s, p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms`);
        peerLoads.push({
          name,
          label: peer.label,
          headers: strip(peerHeaders.get(name) ?? {}),
          load: l,
          ratio: l.rps && serverLoad.rps ? round(serverLoad.rps / l.rps, 3) : null,
        });
        await peer.proc.stop();
        peers.delete(name);
      }
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
      peers: peerLoads,
    };
  } finally {
    await floor?.proc.stop();
    for (const peer of peers.values()) await peer.proc.stop();
    await server?.proc.stop();
  }
}
