/**
 * Fan-out clients, run on the client core. Opens `count` WebSocket subscribers, then publishes events
 * one at a time and times each delivery from the moment the event was sent to the moment a
 * subscriber received it (same process, same clock).
 *
 * - `graphql`: graphql-ws clients (`createClient` over `ws`), each a volunteer with its own token,
 *   subscribed to helpRequestPosted; an event is an askForHelp mutation sent over HTTP by a resident.
 * - `raw`: plain `ws` clients of the raw broadcast floor (bench/ws-floor-server.ts); an event is a
 *   POST /publish, after which the floor sends one message of the same size to every socket.
 *
 * Reads the server's RSS and CPU time from /proc at the points that matter.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { SERVER_CORE, config, coreBusySeconds, cpuSeconds, result, rssBytes } from "../lib/proc.js";
import { ASK_MUTATION, POSTED_SUBSCRIPTION } from "../lib/queries.js";
import { round, summarise } from "../lib/stats.js";
import { signToken } from "../lib/tokens.js";

interface FanoutConfig {
  mode: "graphql" | "raw";
  wsUrl: string;
  /** graphql: the /graphql URL for the mutation; raw: the floor's /publish URL. */
  publishUrl: string;
  serverPid: number;
  count: number;
  events: number;
  warmupEvents: number;
  /** Stop publishing once the measured phase has run this long (the report says how many were sent). */
  budgetSeconds: number;
  eventTimeoutMs: number;
  connectBatch: number;
  /** graphql: file with the subscribers' person ids; publisher is a resident. */
  idsFile?: string;
  publisherId?: string;
  categoryId?: string;
  /** Wait after connecting before weighing the server (ms). */
  settleMs?: number;
  /** Make the server (started with --heapsnapshot-signal=SIGUSR2) write a heap snapshot before and after subscribing. */
  heapSnapshot?: { healthUrl: string };
}

const cfg = config<FanoutConfig>();
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Titles have a fixed width so the floor can send messages of exactly the same size. */
const measuredTitle = (k: number) => `Fan-out ${String(k).padStart(4, "0")}`;
const probeTitle = (k: number) => `Fan-out p${String(k).padStart(3, "0")}`;

const MAX_EVENTS = 10_000;
const sendAt = new Float64Array(MAX_EVENTS).fill(NaN);
const received = new Uint32Array(MAX_EVENTS);
const probeReceived = new Map<number, number>();
let latencies = new Float64Array(1024);
let latencyCount = 0;
const waiters = new Map<number, () => void>();
let sampleMessage: string | null = null;

function onTitle(title: string | undefined, now: number) {
  if (!title) return;
  if (title[8] === "p") {
    const k = Number(title.slice(9));
    const n = (probeReceived.get(k) ?? 0) + 1;
    probeReceived.set(k, n);
    if (n === cfg.count) waiters.get(-1 - k)?.();
    return;
  }
  const k = Number(title.slice(8));
  if (latencyCount === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[latencyCount++] = now - sendAt[k];
  received[k] += 1;
  if (received[k] === cfg.count) waiters.get(k)?.();
}

function waitAll(key: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolveWait) => {
    const timer = setTimeout(() => {
      waiters.delete(key);
      resolveWait(false);
    }, timeoutMs);
    waiters.set(key, () => {
      clearTimeout(timer);
      waiters.delete(key);
      resolveWait(true);
    });
  });
}

let failedConnects = 0;
const closeCodes = new Map<string, number>();
const noteClose = (code: string) => closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);

/** The graphql-ws client's socket; the first one keeps a copy of a `next` message to size the floor's. */
class SampledWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols);
    if (sampleMessage === null) {
      const listen = (data: WebSocket.RawData) => {
        const text = data.toString();
        if (text.includes('"type":"next"') && text.includes('"Fan-out 0')) {
          sampleMessage = text;
          this.off("message", listen);
        }
      };
      this.on("message", listen);
    }
  }
}

async function connectGraphql(): Promise<{ clients: Client[]; publish: (title: string) => Promise<number> }> {
  const ids = (JSON.parse(readFileSync(cfg.idsFile!, "utf8")) as string[]).slice(0, cfg.count);
  if (ids.length < cfg.count) throw new Error(`only ${ids.length} subscriber ids for ${cfg.count} clients`);
  const tokens = await Promise.all(ids.map((id) => signToken(id)));
  const publisherToken = await signToken(cfg.publisherId!);
  const clients: Client[] = [];
  let connected = 0;
  for (let start = 0; start < ids.length; start += cfg.connectBatch) {
    const end = Math.min(ids.length, start + cfg.connectBatch);
    const target = end;
    for (let i = start; i < end; i++) {
      const client = createClient({
        url: cfg.wsUrl,
        webSocketImpl: SampledWebSocket,
        connectionParams: { authorization: `Bearer ${tokens[i]}` },
        retryAttempts: 0,
        shouldRetry: () => false,
        on: {
          connected: () => void (connected += 1),
          closed: (e) => noteClose(String((e as { code?: number })?.code ?? "?")),
          error: () => void (failedConnects += 1),
        },
      });
      client.subscribe<{ helpRequestPosted: { helpRequest: { title: string } } }>(
        { query: POSTED_SUBSCRIPTION },
        {
          next: (msg) => onTitle(msg.data?.helpRequestPosted?.helpRequest?.title, performance.now()),
          error: (err) => noteClose(`subscription error: ${JSON.stringify(err).slice(0, 200)}`),
          complete: () => undefined,
        },
      );
      clients.push(client);
    }
    const deadline = Date.now() + 30_000;
    while (connected + failedConnects < target && Date.now() < deadline) await sleep(5);
  }
  log(`[fanout] ${connected} of ${ids.length} graphql-ws clients connected (${failedConnects} failed)`);
  const input = (title: string) => {
    const start = new Date(Date.now() + 24 * 3600_000);
    start.setUTCMinutes(0, 0, 0);
    return {
      categoryId: cfg.categoryId,
      title,
      description: "Benchmark: een verzoek om te meten hoe snel het bij alle vrijwilligers aankomt.",
      windowStart: start.toISOString(),
      windowEnd: new Date(start.getTime() + 4 * 3600_000).toISOString(),
      urgency: "NORMAL",
    };
  };
  const publish = async (title: string) => {
    const t0 = performance.now();
    const res = await fetch(cfg.publishUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${publisherToken}` },
      body: JSON.stringify({ query: ASK_MUTATION, variables: { input: input(title) } }),
    });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`askForHelp failed (${res.status}): ${text.slice(0, 400)}`);
    return performance.now() - t0;
  };
  return { clients, publish };
}

async function connectRaw(): Promise<{ clients: WebSocket[]; publish: (title: string) => Promise<number> }> {
  const clients: WebSocket[] = [];
  let connected = 0;
  for (let start = 0; start < cfg.count; start += cfg.connectBatch) {
    const end = Math.min(cfg.count, start + cfg.connectBatch);
    for (let i = start; i < end; i++) {
      const ws = new WebSocket(cfg.wsUrl);
      ws.on("open", () => void (connected += 1));
      ws.on("error", () => void (failedConnects += 1));
      ws.on("close", (code) => noteClose(String(code)));
      ws.on("message", (data) => {
        const now = performance.now();
        const msg = JSON.parse(data.toString()) as { payload?: { data?: { helpRequestPosted?: { helpRequest?: { title?: string } } } } };
        onTitle(msg.payload?.data?.helpRequestPosted?.helpRequest?.title, now);
      });
      clients.push(ws);
    }
    const deadline = Date.now() + 30_000;
    while (connected + failedConnects < end && Date.now() < deadline) await sleep(5);
  }
  log(`[fanout] ${connected} of ${cfg.count} raw ws clients connected (${failedConnects} failed)`);
  const publish = async (title: string) => {
    const t0 = performance.now();
    const res = await fetch(cfg.publishUrl, { method: "POST", body: JSON.stringify({ title }) });
    await res.text();
    if (res.status !== 204 && res.status !== 200) throw new Error(`publish failed (${res.status})`);
    return performance.now() - t0;
  };
  return { clients, publish };
}

/** Signals the server to write a heap snapshot and waits until it answers again (writing blocks it). */
async function heapSnapshot(o: { healthUrl: string }) {
  process.kill(cfg.serverPid, "SIGUSR2");
  await sleep(500);
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(o.healthUrl)).ok) return;
    } catch {
      // still writing
    }
    await sleep(500);
  }
  throw new Error("the server did not come back after writing a heap snapshot");
}

async function main() {
  if (cfg.heapSnapshot) await heapSnapshot(cfg.heapSnapshot);
  const baselineRss = rssBytes(cfg.serverPid);
  const tConnect = performance.now();
  const conn = cfg.mode === "graphql" ? await connectGraphql() : await connectRaw();
  const connectSeconds = (performance.now() - tConnect) / 1000;
  // Subscriptions follow the connection ack by a few milliseconds; let them settle, then weigh the server.
  await sleep(cfg.settleMs ?? 2000);
  const subscribedRss = rssBytes(cfg.serverPid);
  if (cfg.heapSnapshot) await heapSnapshot(cfg.heapSnapshot);

  // Every subscriber is live once a probe event reaches all of them; probes also warm the server up.
  let probes = 0;
  let allReceivedProbe = false;
  const probeDeadline = Date.now() + 120_000;
  while (Date.now() < probeDeadline && probes < 200) {
    const k = probes++;
    const done = waitAll(-1 - k, cfg.eventTimeoutMs);
    await conn.publish(probeTitle(k));
    if (await done) {
      allReceivedProbe = true;
      if (probes >= cfg.warmupEvents) break;
    } else {
      log(`[fanout] probe ${k}: ${probeReceived.get(k) ?? 0} of ${cfg.count} received`);
    }
  }
  const maxProbe = Math.max(0, ...probeReceived.values());
  const warmRss = rssBytes(cfg.serverPid);

  const mutationMs: number[] = [];
  const spreadMs: number[] = [];
  let timedOut = 0;
  let published = 0;
  const cpu0 = cpuSeconds(cfg.serverPid);
  const core0 = coreBusySeconds()[SERVER_CORE];
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  let lastReceipt = t0;
  for (let k = 0; k < cfg.events && k < MAX_EVENTS; k++) {
    if ((performance.now() - t0) / 1000 > cfg.budgetSeconds) break;
    const done = waitAll(k, cfg.eventTimeoutMs);
    sendAt[k] = performance.now();
    mutationMs.push(await conn.publish(measuredTitle(k)));
    published += 1;
    if (!(await done)) timedOut += 1;
    lastReceipt = performance.now();
    spreadMs.push(lastReceipt - sendAt[k]);
  }
  const phaseSeconds = (lastReceipt - t0) / 1000;
  const serverCpu = cpuSeconds(cfg.serverPid) - cpu0;
  const otherOnServerCore = Math.max(0, coreBusySeconds()[SERVER_CORE] - core0 - serverCpu);
  const self = process.cpuUsage(self0);
  const endRss = rssBytes(cfg.serverPid);
  // A third snapshot after the events: what subscribers keep once they have been delivered to.
  if (cfg.heapSnapshot && published > 0) await heapSnapshot(cfg.heapSnapshot);

  const delivered = latencyCount;
  const expected = published * cfg.count;
  const lat = summarise(latencies.subarray(0, latencyCount));
  const spread = summarise(spreadMs);
  const mut = summarise(mutationMs);
  result({
    mode: cfg.mode,
    subscribers: cfg.count,
    connected: cfg.count - failedConnects,
    failedConnects,
    closeCodes: Object.fromEntries(closeCodes),
    connectSeconds: round(connectSeconds, 2),
    probes,
    allReceivedProbe,
    maxProbeReceived: maxProbe,
    published,
    expectedDeliveries: expected,
    delivered,
    missing: expected - delivered,
    eventsTimedOut: timedOut,
    phaseSeconds: round(phaseSeconds, 3),
    deliveriesPerSecond: round(delivered / phaseSeconds, 1),
    latencyMs: { mean: round(lat.mean), p50: round(lat.p50), p90: round(lat.p90), p99: round(lat.p99), max: round(lat.max) },
    lastDeliveryMs: { p50: round(spread.p50), p99: round(spread.p99), max: round(spread.max) },
    publishResponseMs: { p50: round(mut.p50), p99: round(mut.p99) },
    serverCpuSeconds: round(serverCpu, 2),
    deliveriesPerCpuSecond: round(delivered / serverCpu, 1),
    clientCpuShare: round((self.user + self.system) / 1e6 / phaseSeconds, 3),
    serverCpuShare: round(serverCpu / phaseSeconds, 3),
    otherCpuShareOnServerCore: round(otherOnServerCore / phaseSeconds, 3),
    serverRssMB: { baseline: round(baselineRss / 1e6, 1), subscribed: round(subscribedRss / 1e6, 1), afterWarmup: round(warmRss / 1e6, 1), end: round(endRss / 1e6, 1) },
    /** RSS the subscriptions added, before any event: the connection and subscription state. */
    mbPer1000: round(((subscribedRss - baselineRss) / 1e6 / cfg.count) * 1000, 2),
    /** The same after all events (includes heap the events grew and the GC has not returned). */
    mbPer1000AfterEvents: round(((endRss - baselineRss) / 1e6 / cfg.count) * 1000, 2),
    sampleMessage,
    /** Each measured event's time from publish to its last delivery, in order (finds the slow ones). */
    lastDeliveryByEventMs: spreadMs.map((v) => round(v)),
  });
  for (const c of conn.clients as (Client | WebSocket)[]) {
    if ("dispose" in c) void c.dispose();
    else c.terminate();
  }
  setTimeout(() => process.exit(0), 200);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
