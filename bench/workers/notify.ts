/**
 * The e-mail notification benchmark's orchestrator, on the client core: a local SMTP server that accepts
 * and discards (counting messages, bytes and the time of the last one), the askForHelp client, and the
 * two servers under test (started on the server core): "on" sends e-mail to this SMTP server, "off" has
 * e-mail off (production without SMTP_URL). The floor (bench/workers/notify-floor.ts) runs on the server
 * core too, sending to the same SMTP server.
 */
import "reflect-metadata";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { NotifyFanoutRun, NotifyFloorRun, NotifyLatency, NotifyResult } from "../benchmarks/notify.js";
import { summariseProfile } from "../lib/cpuprofile.js";
import { type AppServer, SERVER_CORE, config, cpuSeconds, result, runWorker, startAppServer } from "../lib/proc.js";
import { ASK_MUTATION } from "../lib/queries.js";
import { percentile, round, summarise } from "../lib/stats.js";
import { signToken } from "../lib/tokens.js";

interface Config {
  size: string;
  onFile: string;
  offFile: string;
  resident: string;
  bigCategory: string;
  smallCategory: string;
  volunteers: number;
  fitting: number;
  repeats: number;
  iterations: number;
  warmup: number;
  dailyCap: number;
  profileDir?: string;
}

const cfg = config<Config>();
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The pool of the server's EmailChannel (notification.channel.ts) and the sender's messages in flight (notification.sender.ts). */
const POOL = { maxConnections: 4, senderConcurrency: 8 };

// -- the SMTP server: accepts, counts, discards ---------------------------------------------------------
let accepted = 0;
let bytes = 0;
let lastAt = 0;
let capture = false;
let captured: string | null = null;
let waiter: { count: number; resolve: () => void } | null = null;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (c: Buffer) => {
      size += c.length;
      if (capture) chunks.push(c);
    });
    stream.on("end", () => {
      accepted++;
      bytes += size;
      lastAt = performance.now();
      if (capture) {
        captured = Buffer.concat(chunks).toString("utf8");
        capture = false;
      }
      callback();
      if (waiter && accepted >= waiter.count) {
        waiter.resolve();
        waiter = null;
      }
    });
  },
});
const reset = () => {
  accepted = 0;
  bytes = 0;
  lastAt = 0;
};
const waitForAccepted = (count: number, timeoutMs: number) =>
  accepted >= count
    ? Promise.resolve()
    : new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${accepted} of ${count} messages arrived within ${timeoutMs} ms`)), timeoutMs);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });

async function main() {
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
  const smtpPort = (sink.server.address() as { port: number }).port;
  const token = await signToken(cfg.resident);
  let titleNo = 0;
  const ask = async (server: AppServer, categoryId: string): Promise<number> => {
    const start = new Date(Date.now() + 24 * 3600_000);
    start.setUTCMinutes(0, 0, 0);
    const input = {
      categoryId,
      title: `Boodschappen ${++titleNo}`,
      description: "Benchmark: een verzoek om te meten wat een e-mail aan de vrijwilligers kost.",
      windowStart: start.toISOString(),
      windowEnd: new Date(start.getTime() + 4 * 3600_000).toISOString(),
      urgency: "NORMAL",
    };
    const t0 = performance.now();
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ASK_MUTATION, variables: { input } }),
    });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`askForHelp failed (${res.status}): ${text.slice(0, 400)}`);
    return performance.now() - t0;
  };

  const common = { NOTIFY_NEW_REQUESTS_PER_DAY: String(cfg.dailyCap), PUBLIC_URL: "https://zorgzaam.example" };
  const [on, off] = await Promise.all([
    startAppServer({
      file: cfg.onFile,
      env: { ...common, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
      cpuProf: cfg.profileDir ? { dir: cfg.profileDir, name: `notify-${cfg.size}.cpuprofile` } : undefined,
    }),
    startAppServer({ file: cfg.offFile, env: common }),
  ]);
  let stopped = false;
  // Stopping writes the CPU profile (when asked for): once.
  const stopServers = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all([on.proc.stop(), off.proc.stop()]);
  };
  try {
    // -- warm-up: both servers answer; the "on" one decides and sends to the few -------------------------
    log(`[notify] warm-up: ${cfg.warmup} pair(s) of askForHelp (${cfg.fitting} e-mails each on the "on" server)`);
    capture = true;
    for (let i = 0; i < Math.max(1, cfg.warmup); i++) {
      reset();
      await ask(off, cfg.smallCategory);
      await ask(on, cfg.smallCategory);
      await waitForAccepted(cfg.fitting, 60_000);
    }

    // -- one request to the many, `repeats` times ------------------------------------------------------
    const runs: NotifyFanoutRun[] = [];
    for (let i = 0; i < cfg.repeats; i++) {
      await sleep(500);
      reset();
      const cpu0 = cpuSeconds(on.proc.pid);
      const t0 = performance.now();
      const askMs = await ask(on, cfg.bigCategory);
      const committed = t0 + askMs;
      await waitForAccepted(cfg.volunteers, 600_000);
      const cpu1 = cpuSeconds(on.proc.pid);
      const last = lastAt;
      const count = accepted;
      const size = bytes;
      await sleep(1000);
      const ms = last - committed;
      const run: NotifyFanoutRun = {
        ms: round(ms, 1),
        cpuMs: round((cpu1 - cpu0) * 1000, 0),
        messagesPerSecond: round(count / (ms / 1000), 0),
        accepted: count,
        extra: accepted - count,
        bytesPerMessage: Math.round(size / count),
        askMs: round(askMs, 1),
      };
      runs.push(run);
      log(`[notify] ${cfg.volunteers} e-mails: ${run.ms} ms from commit to the last, server CPU ${run.cpuMs} ms, ${run.messagesPerSecond}/s, ${run.extra} extra`);
    }
    const median = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];

    // -- askForHelp latency, e-mail on and off, in turns ---------------------------------------------------
    log(`[notify] latency: ${cfg.iterations} pairs`);
    const onMs: number[] = [];
    const offMs: number[] = [];
    reset();
    const cpuOn0 = cpuSeconds(on.proc.pid);
    const cpuOff0 = cpuSeconds(off.proc.pid);
    for (let i = 0; i < cfg.iterations; i++) {
      // Alternate which goes first, so neither always follows the other's work.
      const order = i % 2 === 0 ? [on, off] : [off, on];
      for (const server of order) {
        const ms = await ask(server, cfg.smallCategory);
        if (server === on) {
          onMs.push(ms);
          // The pass runs after the answer: wait for its messages, so it does not overlap the next request.
          await waitForAccepted((i + 1) * cfg.fitting, 60_000);
          await sleep(20);
        } else {
          offMs.push(ms);
        }
      }
    }
    await sleep(500);
    const withP95 = (values: number[]) => {
      const s = summarise(values);
      const sorted = Float64Array.from(values).sort();
      const r = (x: number) => round(x, 2);
      return { count: s.count, mean: r(s.mean), p50: r(s.p50), p90: r(s.p90), p95: r(percentile(sorted, 95)), p99: r(s.p99), max: r(s.max) };
    };
    const onS = withP95(onMs);
    const offS = withP95(offMs);
    const latency: NotifyLatency = {
      iterations: cfg.iterations,
      fitting: cfg.fitting,
      on: onS,
      off: offS,
      overheadP50Percent: round((onS.p50 / offS.p50 - 1) * 100, 1),
      overheadP95Percent: round((onS.p95 / offS.p95 - 1) * 100, 1),
      cpuMsPerRequest: {
        on: round(((cpuSeconds(on.proc.pid) - cpuOn0) * 1000) / cfg.iterations, 2),
        off: round(((cpuSeconds(off.proc.pid) - cpuOff0) * 1000) / cfg.iterations, 2),
      },
      messagesAccepted: accepted,
      messagesExpected: cfg.iterations * cfg.fitting,
    };
    log(
      `[notify] askForHelp p50/p95: on ${onS.p50}/${onS.p95} ms, off ${offS.p50}/${offS.p95} ms (${latency.overheadP50Percent}% / ${latency.overheadP95Percent}%), ` +
        `${latency.messagesAccepted}/${latency.messagesExpected} e-mails`,
    );
    await stopServers();

    // -- the floor: nodemailer alone, the same messages -------------------------------------------------
    let floor: NotifyFloorRun | null = null;
    let sampleSubject: string | null = null;
    if (captured) {
      const mail = await simpleParser(captured);
      sampleSubject = mail.subject ?? null;
      const unsubscribe = /<([^>]+)>/.exec(String(mail.headers.get("list-unsubscribe") ?? ""))?.[1] ?? "";
      await sleep(500);
      reset();
      const own = await runWorker<{ cpuMs: number; ms: number }>(
        "workers/notify-floor.ts",
        {
          smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
          count: cfg.volunteers,
          warmup: cfg.fitting,
          concurrency: POOL.senderConcurrency,
          maxConnections: POOL.maxConnections,
          from: mail.from?.text ?? "Zorgzaam <noreply@zorgzaam.invalid>",
          subject: mail.subject ?? "",
          text: mail.text ?? "",
          html: typeof mail.html === "string" ? mail.html : "",
          unsubscribe,
          language: String(mail.headers.get("content-language") ?? "nl"),
          domain: DOMAIN_OF(mail.messageId),
        },
        "notify-floor",
        10 * 60_000,
        SERVER_CORE,
      );
      const count = accepted - cfg.fitting;
      floor = {
        ms: round(own.ms, 1),
        cpuMs: round(own.cpuMs, 0),
        messagesPerSecond: round(count / (own.ms / 1000), 0),
        accepted: count,
        bytesPerMessage: Math.round(bytes / accepted),
      };
      log(`[notify] floor: ${floor.ms} ms, CPU ${floor.cpuMs} ms, ${floor.messagesPerSecond}/s`);
    }

    const out: NotifyResult = {
      size: cfg.size,
      volunteers: cfg.volunteers,
      dailyCap: cfg.dailyCap,
      mostPerVolunteerToday: Math.max(cfg.repeats, cfg.warmup + cfg.iterations),
      smtpPool: POOL,
      runs,
      median,
      floor,
      ratioMs: floor ? round(median.ms / floor.ms, 2) : null,
      ratioCpu: floor ? round(median.cpuMs / floor.cpuMs, 2) : null,
      latency,
      profile: cfg.profileDir ? summariseProfile(`${cfg.profileDir}/notify-${cfg.size}.cpuprofile`) : undefined,
      sampleSubject,
    };
    result(out);
  } finally {
    await stopServers();
    await new Promise<void>((r) => sink.close(() => r()));
  }
}

function DOMAIN_OF(messageId: string | undefined): string {
  return /@([^>]+)>?$/.exec(messageId ?? "")?.[1] ?? "zorgzaam.invalid";
}

main().catch((err) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
