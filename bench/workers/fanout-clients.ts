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
 * The subscribers are dealt over several threads of this process (one core all the same): each thread
 * has its own heap, so one's garbage collection holds up its share of the deliveries, not all of them.
 * With one heap for 10,000 graphql-ws clients, a full collection every few seconds held the whole client
 * for 150-200 ms, and those events made the p99 of whichever server was measured. Every thread times a
 * delivery on the same clock (the process's monotonic clock) against the send time the publishing
 * thread wrote into shared memory.
 *
 * Reads the server's RSS and CPU time from /proc at the points that matter.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
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
  /** Threads the subscribers are dealt over (default: 4 from 2,000 subscribers, else 1). */
  clientThreads?: number;
}

const cfg = config<FanoutConfig>();
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Titles have a fixed width so the floor can send messages of exactly the same size. */
const measuredTitle = (k: number) => `Fan-out ${String(k).padStart(4, "0")}`;
const probeTitle = (k: number) => `Fan-out p${String(k).padStart(3, "0")}`;

const MAX_EVENTS = 10_000;
const MAX_PROBES = 256;

/** What the threads share: when each event was sent, and how many subscribers received each event and probe. */
interface Shared {
  sendAt: Float64Array;
  received: Int32Array;
  probes: Int32Array;
}
const sharedBytes = MAX_EVENTS * 8 + MAX_EVENTS * 4 + MAX_PROBES * 4;
function sharedViews(buffer: SharedArrayBuffer): Shared {
  return {
    sendAt: new Float64Array(buffer, 0, MAX_EVENTS),
    received: new Int32Array(buffer, MAX_EVENTS * 8, MAX_EVENTS),
    probes: new Int32Array(buffer, MAX_EVENTS * 12, MAX_PROBES),
  };
}
/** One clock for every thread: the process's monotonic clock, in ms. */
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

let shared: Shared;
let latencies = new Float64Array(1024);
let latencyCount = 0;
let sampleMessage: string | null = null;
/** Called when this thread's receipt was the last one of an event (the publishing thread waits on it). */
let onComplete: (key: number) => void = () => undefined;

function onTitle(title: string | undefined, now: number) {
  if (!title) return;
  if (title[8] === "p") {
    const k = Number(title.slice(9));
    if (Atomics.add(shared.probes, k, 1) + 1 === cfg.count) onComplete(-1 - k);
    return;
  }
  const k = Number(title.slice(8));
  if (latencyCount === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[latencyCount++] = now - shared.sendAt[k];
  if (Atomics.add(shared.received, k, 1) + 1 === cfg.count) onComplete(k);
}

const waiters = new Map<number, () => void>();
/** Resolves true once every subscriber (on any thread) received the event or probe `key` (probe k is -1 - k). */
function waitAll(key: number, timeoutMs: number): Promise<boolean> {
  const count = () => (key >= 0 ? Atomics.load(shared.received, key) : Atomics.load(shared.probes, -1 - key));
  return new Promise((resolveWait) => {
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const done = (ok: boolean) => {
      if (timer) clearTimeout(timer);
      waiters.delete(key);
      resolveWait(ok);
    };
    // This thread's last receipt wakes it at once; another thread's is seen by polling.
    waiters.set(key, () => done(true));
    const poll = () => {
      if (count() >= cfg.count) done(true);
      else if (Date.now() > deadline) done(false);
      else timer = setTimeout(poll, 1);
    };
    poll();
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

/** This thread's graphql-ws subscribers, `from` to `to` of the list: one volunteer each. */
async function connectGraphql(from: number, to: number): Promise<Client[]> {
  const all = JSON.parse(readFileSync(cfg.idsFile!, "utf8")) as string[];
  if (all.length < cfg.count) throw new Error(`only ${all.length} subscriber ids for ${cfg.count} clients`);
  const ids = all.slice(from, to);
  const tokens = await Promise.all(ids.map((id) => signToken(id)));
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
          next: (msg) => onTitle(msg.data?.helpRequestPosted?.helpRequest?.title, nowMs()),
          error: (err) => noteClose(`subscription error: ${JSON.stringify(err).slice(0, 200)}`),
          complete: () => undefined,
        },
      );
      clients.push(client);
    }
    const deadline = Date.now() + 30_000;
    while (connected + failedConnects < target && Date.now() < deadline) await sleep(5);
  }
  return clients;
}

/** An event through the real server: an askForHelp mutation by a resident; resolves to its response time. */
async function graphqlPublisher(): Promise<(title: string) => Promise<number>> {
  const publisherToken = await signToken(cfg.publisherId!);
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
  return publish;
}

/** This thread's plain ws subscribers of the floor, `from` to `to`. */
async function connectRaw(from: number, to: number): Promise<WebSocket[]> {
  const clients: WebSocket[] = [];
  let connected = 0;
  for (let start = from; start < to; start += cfg.connectBatch) {
    const end = Math.min(to, start + cfg.connectBatch);
    for (let i = start; i < end; i++) {
      const ws = new WebSocket(cfg.wsUrl);
      ws.on("open", () => void (connected += 1));
      ws.on("error", () => void (failedConnects += 1));
      ws.on("close", (code) => noteClose(String(code)));
      ws.on("message", (data) => {
        const now = nowMs();
        const msg = JSON.parse(data.toString()) as { payload?: { data?: { helpRequestPosted?: { helpRequest?: { title?: string } } } } };
        onTitle(msg.payload?.data?.helpRequestPosted?.helpRequest?.title, now);
      });
      clients.push(ws);
    }
    const deadline = Date.now() + 30_000;
    while (connected + failedConnects < end - from && Date.now() < deadline) await sleep(5);
  }
  return clients;
}

/** An event of the floor: POST /publish; resolves to its response time. */
function rawPublisher(): (title: string) => Promise<number> {
  return async (title: string) => {
    const t0 = performance.now();
    const res = await fetch(cfg.publishUrl, { method: "POST", body: JSON.stringify({ title }) });
    await res.text();
    if (res.status !== 204 && res.status !== 200) throw new Error(`publish failed (${res.status})`);
    return performance.now() - t0;
  };
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

/** This thread's share of the subscribers. */
const connectShare = (from: number, to: number): Promise<(Client | WebSocket)[]> => (cfg.mode === "graphql" ? connectGraphql(from, to) : connectRaw(from, to));

function dispose(clients: (Client | WebSocket)[]) {
  for (const c of clients) {
    if ("dispose" in c) void c.dispose();
    else c.terminate();
  }
}

/** What a subscriber thread reports when the run ends. */
interface ShareReport {
  latencies: Float64Array;
  failedConnects: number;
  closeCodes: [string, number][];
}

/** A subscriber thread: connects its share, tells the publishing thread, and reports when told the run is over. */
async function subscriberThread() {
  const { buffer, from, to } = workerData as { buffer: SharedArrayBuffer; from: number; to: number };
  shared = sharedViews(buffer);
  const clients = await connectShare(from, to);
  const port = parentPort!;
  port.once("message", () => {
    const report: ShareReport = { latencies: latencies.slice(0, latencyCount), failedConnects, closeCodes: [...closeCodes] };
    port.postMessage(report);
    dispose(clients);
    setTimeout(() => port.close(), 100);
  });
  port.postMessage("connected");
}

async function main() {
  const buffer = new SharedArrayBuffer(sharedBytes);
  shared = sharedViews(buffer);
  shared.sendAt.fill(Number.NaN);
  onComplete = (key) => waiters.get(key)?.();
  const threads = Math.max(1, Math.min(16, cfg.clientThreads ?? (cfg.count >= 2000 ? 4 : 1)));
  const bounds = (i: number) => [Math.floor((i * cfg.count) / threads), Math.floor(((i + 1) * cfg.count) / threads)] as const;
  if (cfg.heapSnapshot) await heapSnapshot(cfg.heapSnapshot);
  const baselineRss = rssBytes(cfg.serverPid);
  const tConnect = performance.now();
  // The other threads connect their shares while this one connects its own.
  const others = Array.from({ length: threads - 1 }, (_, j) => {
    const [from, to] = bounds(j + 1);
    // A thread does not get the parent's TypeScript loader by itself: it registers tsx, then loads this file.
    const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { buffer, from, to } });
    const connected = new Promise<void>((resolveConnected, reject) => {
      worker.once("message", () => resolveConnected());
      worker.once("error", reject);
    });
    return { worker, connected };
  });
  const own = await connectShare(...bounds(0));
  await Promise.all(others.map((o) => o.connected));
  const connectSeconds = (performance.now() - tConnect) / 1000;
  const publish = cfg.mode === "graphql" ? await graphqlPublisher() : rawPublisher();
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
    await publish(probeTitle(k));
    if (await done) {
      allReceivedProbe = true;
      if (probes >= cfg.warmupEvents) break;
    } else {
      log(`[fanout] probe ${k}: ${Atomics.load(shared.probes, k)} of ${cfg.count} received`);
    }
  }
  const maxProbe = Math.max(0, ...shared.probes.subarray(0, probes));
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
    shared.sendAt[k] = nowMs();
    mutationMs.push(await publish(measuredTitle(k)));
    published += 1;
    if (!(await done)) timedOut += 1;
    lastReceipt = performance.now();
    spreadMs.push(nowMs() - shared.sendAt[k]);
  }
  const phaseSeconds = (lastReceipt - t0) / 1000;
  const serverCpu = cpuSeconds(cfg.serverPid) - cpu0;
  const otherOnServerCore = Math.max(0, coreBusySeconds()[SERVER_CORE] - core0 - serverCpu);
  const self = process.cpuUsage(self0);
  const endRss = rssBytes(cfg.serverPid);
  // A third snapshot after the events: what subscribers keep once they have been delivered to.
  if (cfg.heapSnapshot && published > 0) await heapSnapshot(cfg.heapSnapshot);

  // Every thread's latencies and connection faults, then their sockets closed.
  const reports = await Promise.all(
    others.map(
      ({ worker }) =>
        new Promise<ShareReport>((resolveReport) => {
          worker.once("message", (report: ShareReport) => resolveReport(report));
          worker.postMessage("finish");
        }),
    ),
  );
  let all = latencies.subarray(0, latencyCount);
  for (const r of reports) {
    const merged = new Float64Array(all.length + r.latencies.length);
    merged.set(all);
    merged.set(r.latencies, all.length);
    all = merged;
    failedConnects += r.failedConnects;
    for (const [code, n] of r.closeCodes) closeCodes.set(code, (closeCodes.get(code) ?? 0) + n);
  }
  log(
    `[fanout] ${cfg.count - failedConnects} of ${cfg.count} ${cfg.mode === "graphql" ? "graphql-ws" : "raw ws"} clients connected over ${threads} thread(s) (${failedConnects} failed)`,
  );
  const delivered = all.length;
  const expected = published * cfg.count;
  const lat = summarise(all);
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
  dispose(own);
  setTimeout(() => process.exit(0), 200);
}

(isMainThread ? main() : subscriberThread()).catch((err) => {
  console.error(err);
  process.exit(1);
});
