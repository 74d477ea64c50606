/**
 * The markdown summary of a results JSON. Every figure in it comes from the JSON; regenerate with
 * `npx tsx bench/lib/report.ts bench/results/city.json` (writes bench/results/city.md).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowseResult } from "../benchmarks/browse.js";
import type { FanoutTier } from "../benchmarks/fanout.js";
import type { GrowthEntry } from "../benchmarks/growth.js";
import type { NotifyResult } from "../benchmarks/notify.js";
import type { StatsResult, StatsScenario } from "../benchmarks/stats.js";
import type { WorstQueryResult } from "../benchmarks/worst-query.js";
import type { SweepResult } from "../benchmarks/sweep.js";
import type { ProfileSummary } from "./cpuprofile.js";
import type { HeapDiff } from "./heapsnapshot.js";

export interface Target {
  name: string;
  target: string;
  value: string;
  pass: boolean | null;
}

export interface Results {
  name: string;
  command: string;
  smoke: boolean;
  startedAt: string;
  seconds: number;
  machine: Record<string, string | number | boolean>;
  data: Record<
    string,
    { anchor: string; counts: Record<string, number>; statuses: Record<string, number>; liveOpen: number; fileMB: number; buildSeconds: number; migrations: number }
  >;
  settings: Record<string, unknown>;
  browse?: BrowseResult;
  fanout?: FanoutTier[];
  growth?: GrowthEntry[];
  sweep?: SweepResult;
  stats?: StatsResult;
  worstQuery?: WorstQueryResult;
  notify?: NotifyResult;
  targets: Target[];
  notes: string[];
  errors: { benchmark: string; message: string }[];
}

export interface ProfileResults {
  name: string;
  command: string;
  startedAt: string;
  size: string;
  browse?: { load: unknown; profile: ProfileSummary };
  fanout?: { subscribers: number; run: unknown; profile: ProfileSummary }[];
  heap?: HeapDiff;
  /** The same subscribers' heap after `events` events, against the heap once they had subscribed. */
  heapAfterEvents?: HeapDiff & { events: number };
  errors: { benchmark: string; message: string }[];
}

const n = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || Number.isNaN(x) ? "–" : x.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export function renderMarkdown(r: Results): string {
  const out: string[] = [];
  out.push(`# Benchmark results: ${r.name}`);
  out.push("");
  out.push(`Generated from \`${r.name}.json\` by bench/lib/report.ts; do not edit by hand. Command: \`${r.command}\`.`);
  out.push(
    `Started ${r.startedAt}, took ${n(r.seconds, 0)} s. ` +
      Object.entries(r.machine)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ") +
      ".",
  );
  if (r.smoke) out.push("", "**Smoke run** (tiny data, short runs): checks that the scripts work; the figures mean nothing.");
  if (r.errors.length) {
    out.push("", "## Errors", "");
    for (const e of r.errors) out.push(`- **${e.benchmark}**: ${e.message.split("\n").join(" ")}`);
  }

  out.push("", "## Targets", "");
  out.push(
    table(
      ["target", "wanted", "measured", "met"],
      r.targets.map((t) => [t.name, t.target, t.value, t.pass === null ? "–" : t.pass ? "yes" : "**no**"]),
    ),
  );

  out.push("", "## Data", "");
  out.push(
    table(
      ["size", "anchor", "neighbourhoods", "people", "volunteers", "help requests", "events", "open (live)", "file MB", "built in s"],
      Object.entries(r.data).map(([size, d]) => [
        size,
        d.anchor.slice(0, 10),
        n(d.counts.neighbourhoods),
        n(d.counts.people),
        n(d.counts.volunteer_profiles),
        n(d.counts.help_requests),
        n(d.counts.help_request_events),
        n(d.liveOpen),
        n(d.fileMB),
        n(d.buildSeconds),
      ]),
    ),
  );

  if (r.browse) {
    const b = r.browse;
    const peers = b.peers ?? [];
    out.push("", `## Browse (${b.size}): 50 connections, server vs floor${peers.length ? " and peers" : ""}`, "");
    out.push(
      `Answer: ${b.edges} edges, ${n(b.responseBytes)} bytes, hasNextPage ${b.hasNextPage}; server and floor answers byte-identical: ${b.identical ? "yes" : "not checked"}` +
        (peers.length ? `; so were the peers' (${peers.map((p) => p.label).join(", ")}).` : "."),
    );
    out.push("");
    const row = (label: string, l: BrowseResult["server"] | null) =>
      l
        ? [
            label,
            n(l.rps),
            n(l.latencyMs.p50),
            n(l.latencyMs.p99),
            n(l.requests, 0),
            `${l.non2xx ?? 0}/${l.errors ?? 0}/${l.mismatches ?? 0}`,
            n((l.targetCpuShare ?? NaN) * 100, 0),
            n((l.otherCpuShareOnServerCore ?? NaN) * 100, 0),
            n((l.loadgenCpuShare ?? NaN) * 100, 0),
          ]
        : [label, "–", "–", "–", "–", "–", "–", "–", "–"];
    out.push(
      table(
        ["", "req/s", "p50 ms", "p99 ms", "requests", "non-2xx/errors/mismatches", "target CPU %", "other load on its core %", "load generator CPU %"],
        [
          row("server", b.server),
          row("floor", b.floor),
          ...peers.map((p) => row(`peer: ${p.label}`, p.load)),
          ...(b.floorOnBrowseIndex ? [row("what-if: floor on SQLite's own plan (no index hint)", b.floorOnBrowseIndex)] : []),
        ],
      ),
    );
    out.push("", `Server/floor throughput ratio: **${n(b.ratio, 3)}**.`);
    if (peers.length) {
      out.push(
        `Server/peer throughput ratios (not targets: where the server stands among the stacks such a server is usually built on): ` +
          peers.map((p) => `${p.label} **${n(p.ratio, 3)}**`).join(", ") +
          ".",
      );
    }
    if (b.floorOnBrowseIndex?.rps && b.server.rps) {
      out.push(
        `What-if (not the target): the same answer with the browse statement left to SQLite's own plan (no index hint) gives ${n(b.floorOnBrowseIndex.rps)} req/s; the server is ${n(b.server.rps / b.floorOnBrowseIndex.rps, 3)}x of that.`,
      );
    }
  }

  if (r.fanout?.length) {
    out.push("", "## Subscription fan-out", "");
    out.push(
      table(
        [
          "subscribers",
          "run",
          "connected",
          "events",
          "delivered/expected",
          "p50 ms",
          "p99 ms",
          "last delivery p99 ms",
          "deliveries/s",
          "deliveries per CPU-s",
          "server CPU s",
          "server CPU %",
          "other load on its core %",
          "client CPU %",
          "RSS MB (idle → subscribed → after events)",
          "MB per 1,000",
        ],
        r.fanout.flatMap((t) =>
          [
            ["server", t.server],
            ["raw floor", t.floor],
          ]
            .filter((x): x is [string, NonNullable<FanoutTier["floor"]>] => x[1] !== null)
            .map(([label, f]) => [
              n(t.subscribers, 0),
              label,
              n(f.connected, 0),
              n(f.published, 0),
              `${n(f.delivered, 0)}/${n(f.expectedDeliveries, 0)}`,
              n(f.latencyMs.p50),
              n(f.latencyMs.p99),
              n(f.lastDeliveryMs.p99),
              n(f.deliveriesPerSecond, 0),
              n(f.deliveriesPerCpuSecond, 0),
              n(f.serverCpuSeconds),
              n((f.serverCpuShare ?? NaN) * 100, 0),
              n((f.otherCpuShareOnServerCore ?? NaN) * 100, 0),
              n(f.clientCpuShare * 100, 0),
              `${n(f.serverRssMB.baseline)} → ${n(f.serverRssMB.subscribed)} → ${n(f.serverRssMB.end)}`,
              n(f.mbPer1000, 2),
            ]),
        ),
      ),
    );
    out.push("");
    for (const t of r.fanout) {
      out.push(
        `- ${n(t.subscribers, 0)} subscribers: message ${t.messageBytes ?? "–"} bytes; server/raw broadcast per CPU-second **${n(t.ratioPerCpuSecond, 3)}**, per wall-clock second ${n(t.ratioPerSecond, 3)}.`,
      );
    }
  }

  if (r.growth?.length) {
    out.push("", "## Growth: one client, sequential browse requests", "");
    out.push(
      table(
        [
          "size",
          "help requests",
          "open (live)",
          "neighbourhoods",
          "volunteer",
          "server p50 ms",
          "server p99 ms",
          "floor p50 ms",
          "floor p99 ms",
          "browse SQL alone ms",
          "same SQL, SQLite's own plan ms",
        ],
        r.growth.flatMap((g) =>
          Object.entries(g.latency).map(([label, l]) => {
            const plan = g.plans[`browse (${label})`];
            return [
              g.size,
              n(g.helpRequests, 0),
              n(g.liveOpen, 0),
              n(g.neighbourhoods, 0),
              label,
              n(l.server.latencyMs.p50, 2),
              n(l.server.latencyMs.p99, 2),
              n(l.floor.latencyMs.p50, 2),
              n(l.floor.latencyMs.p99, 2),
              n(plan?.medianMs, 2),
              n(plan?.withBrowseIndex?.medianMs, 2),
            ];
          }),
        ),
      ),
    );
    for (const g of r.growth) {
      out.push("", `### Query plans (${g.size})`, "");
      for (const [label, q] of Object.entries(g.plans)) {
        out.push(`${label}${q.fullScan ? " — **full table scan**" : ""}, ${q.rows} rows, ${q.medianMs} ms:`, "", "```", ...q.plan, "```", "");
      }
      const first = Object.values(g.plans)[0];
      if (first) out.push("<details><summary>browse SQL as the repository generates it</summary>", "", "```sql", first.sql, "```", "", "</details>");
    }
  }

  if (r.sweep) {
    const s = r.sweep;
    out.push("", `## Expiry sweep (${s.size}, ${n(s.helpRequests, 0)} requests)`, "");
    out.push(
      table(
        ["run", "clock", "due", "expired", "ms", "µs per request"],
        s.runs.map((x) => [x.label, `+${x.clockOffsetDays} d`, n(x.due, 0), n(x.expired, 0), n(x.ms, 2), n(x.usPerRequest)]),
      ),
    );
  }

  if (r.stats) {
    const st = r.stats;
    out.push("", `## Statistics (${st.size}, ${n(st.helpRequests, 0)} requests): the dashboard's \`stats\` query, server vs floor`, "");
    out.push(
      `A coordinator's token; the twelve months ending at the data's anchor (${st.anchor.slice(0, 10)}); every figure of every cell, pages of ${st.pageSize} cells. ` +
        "One client, one dashboard load at a time. *Computing*: the server started with `STATS_CACHE_SECONDS=0`, so every request computes the report; " +
        "*cached*: the default (60 s), so repeated loads come from the server's cache. " +
        "*Floor*: the same answer straight from the SQLite file with better-sqlite3 prepared statements (`bench/stats-floor.ts`, the app's suppression rules), on the server core, without HTTP.",
      "",
    );
    out.push(
      table(
        [
          "query",
          "period",
          "cells (months x neighbourhoods)",
          "requests per load",
          "KB per load",
          "run",
          "p50 ms",
          "p99 ms",
          "mean ms",
          "server CPU ms per load",
          "other load on its core %",
        ],
        st.scenarios.flatMap((s) => {
          const cells = `${n(s.cells, 0)} (${s.months} x ${s.neighbourhoods})`;
          const period = `${s.from} – ${s.to}`;
          const row = (label: string, x: StatsScenario["server"] | null, per: "load" | "request") =>
            x
              ? [
                  s.label,
                  period,
                  cells,
                  n(x.pagesPerLoad, 0),
                  n(x.bytesPerLoad / 1024),
                  label,
                  n((per === "load" ? x.perLoadMs : x.perRequestMs).p50, 2),
                  n((per === "load" ? x.perLoadMs : x.perRequestMs).p99, 2),
                  n((per === "load" ? x.perLoadMs : x.perRequestMs).mean, 2),
                  n(x.serverCpuMsPerLoad, 1),
                  n(x.otherCpuShareOnServerCore * 100, 0),
                ]
              : [s.label, period, cells, "–", "–", label, "–", "–", "–", "–", "–"];
          return [
            row("server, computing: per request", s.server, "request"),
            ...(s.server.pagesPerLoad > 1 ? [row("server, computing: whole load", s.server, "load")] : []),
            row("server, cached (default): whole load", s.serverCached, "load"),
            [s.label, period, cells, "–", n(s.floor.bytes / 1024), "floor", n(s.floor.latencyMs.p50, 2), n(s.floor.latencyMs.p99, 2), n(s.floor.latencyMs.mean, 2), "–", "–"],
          ];
        }),
      ),
    );
    out.push("");
    for (const s of st.scenarios) {
      out.push(
        `- ${s.label}: server (computing, per request) / floor at p50: **${n(s.ratioP50, 2)}x**; ` +
          (s.differingCells === 0 ? "the server's and the floor's figures are identical in every cell." : `**${s.differingCells} cells differ**: ${s.difference}`),
      );
    }
    out.push("", `### Query plans of the statistics SQL (${st.size})`, "");
    out.push(st.fullScans.length ? `Statements that read a whole table: ${st.fullScans.join("; ")}.` : "No statement reads a whole table without an index.", "");
    for (const [label, q] of Object.entries(st.plans)) {
      out.push(`${label}${q.fullScan ? " — **full table scan**" : ""}, ${n(q.rows, 0)} rows, ${q.medianMs} ms:`, "", "```", ...q.plan, "```", "");
    }
  }

  if (r.worstQuery) {
    const w = r.worstQuery;
    out.push("", `## Worst queries within the default limits (${w.size})`, "");
    out.push(
      `Limits: depth ${w.limits.maxDepth}, ${w.limits.maxAliases} aliases, ${n(w.limits.maxTokens, 0)} tokens, cost ${n(w.limits.maxCost, 0)}. ` +
        "Each shape is made as large as the limits admit (by the server's own rules), then sent one at a time; another client probes `/healthz` meanwhile. " +
        `Server CPU is measured on the server process over ${w.runs[0]?.requests ?? "–"} requests per query, less what the idle server used in the second before (its timers and pollers).`,
      "",
    );
    out.push(
      table(
        ["query", "shape", "cost", "tokens", "outcome", "KB", "server CPU ms per query", "with idle CPU", "p50 ms", "max ms", "/healthz max ms"],
        w.runs.map((x) => [
          x.name,
          x.shape,
          n(x.cost, 0),
          n(x.tokens, 0),
          x.outcome,
          n(x.bytes / 1024),
          n(x.serverCpuMs),
          n(x.serverCpuRawMs),
          n(x.latencyMs.p50),
          n(x.latencyMs.max),
          n(x.healthzMaxMs),
        ]),
      ),
    );
    if (w.worst)
      out.push(
        "",
        `Worst accepted: **${w.worst.name}**, ${n(w.worst.serverCpuMs)} ms of server CPU per query (${n(w.worst.timesTrivial)}x the trivial query); target ${w.target}.`,
      );
  }

  if (r.notify) {
    const x = r.notify;
    out.push("", `## E-mail notifications of a new request (${x.size}): ${n(x.volunteers, 0)} fitting volunteers, server vs nodemailer alone`, "");
    out.push(
      "One askForHelp fitting every one of them, through the real server with `SMTP_URL` pointing at a local SMTP server that accepts and discards (bench/workers/notify.ts, client core); " +
        "time from the answer to the mutation (after its commit) to the last message accepted, and the server's CPU over the same span (/proc, the mutation included). " +
        `The server ran with NOTIFY_NEW_REQUESTS_PER_DAY=${x.dailyCap}; no volunteer was due more than ${x.mostPerVolunteerToday} messages that day, so the cap held nobody back. ` +
        `*Floor*: nodemailer alone (bench/workers/notify-floor.ts, server core) sending as many messages like the server's (same parts and headers) with the same pool (${x.smtpPool.maxConnections} connections, ${x.smtpPool.senderConcurrency} in flight); its CPU is its process.cpuUsage().`,
      "",
    );
    const row = (label: string, v: { ms: number; cpuMs: number; messagesPerSecond: number; accepted: number; bytesPerMessage: number }) => [
      label,
      n(v.ms, 0),
      n(v.cpuMs, 0),
      n(v.messagesPerSecond, 0),
      n(v.accepted, 0),
      n(v.bytesPerMessage, 0),
    ];
    out.push(
      table(
        ["run", "ms to the last message", "CPU ms", "messages/s", "accepted", "bytes per message"],
        [...x.runs.map((v, i) => row(`server, run ${i + 1}`, v)), ...(x.floor ? [row("nodemailer alone (floor)", x.floor)] : [])],
      ),
    );
    out.push("", `Median run over the floor: **${n(x.ratioMs, 2)}x** the time, **${n(x.ratioCpu, 2)}x** the CPU.`, "");
    const l = x.latency;
    out.push(
      `### askForHelp latency, e-mail on vs off (${l.iterations} each, in turns, ${l.fitting} volunteers fit each request)`,
      "",
      "Two servers on copies of the same data, one sending e-mail and one with e-mail off; requests alternate between them (which goes first alternates too). " +
        'After each request to the "on" server the client waits until its e-mails arrived, so the pass never overlaps a measured request: this is what a notification adds to the mutation itself.',
      "",
      table(
        ["server", "p50 ms", "p95 ms", "p99 ms", "mean ms", "server CPU ms per request (with its e-mails)"],
        [
          ["e-mail on", n(l.on.p50, 2), n(l.on.p95, 2), n(l.on.p99, 2), n(l.on.mean, 2), n(l.cpuMsPerRequest.on, 2)],
          ["e-mail off", n(l.off.p50, 2), n(l.off.p95, 2), n(l.off.p99, 2), n(l.off.mean, 2), n(l.cpuMsPerRequest.off, 2)],
        ],
      ),
      "",
      `On over off: p50 ${n(l.overheadP50Percent)}%, p95 ${n(l.overheadP95Percent)}% (target under 5%); ${n(l.messagesAccepted, 0)} of ${n(l.messagesExpected, 0)} e-mails arrived.`,
    );
  }

  if (r.notes.length) {
    out.push("", "## Notes", "");
    for (const note of r.notes) out.push(`- ${note}`);
  }
  return `${out.join("\n")}\n`;
}

const heapTable = (h: HeapDiff) =>
  table(
    ["kind", "objects per subscriber", "bytes per subscriber", "MB in all"],
    h.top.map((r) => [`\`${r.name}\``, n(r.perSubscriber), n(r.bytesPerSubscriber, 0), n(r.bytes / 1e6, 2)]),
  );

export function renderProfileMarkdown(p: ProfileResults): string {
  const out: string[] = [];
  out.push(`# CPU profile of the server: ${p.size}`, "");
  out.push(`Generated from \`${p.name}.json\` by bench/lib/report.ts. Command: \`${p.command}\`. Started ${p.startedAt}.`);
  out.push("Self time is where the CPU was when sampled; shares are of the busy (non-idle) time.");
  const section = (title: string, s: ProfileSummary) => {
    out.push("", `## ${title}`, "", `${n(s.samples, 0)} samples, ${n(s.busyMs / 1000, 1)} s busy of ${n(s.totalMs / 1000, 1)} s.`, "");
    out.push(
      "### By module (self time)",
      "",
      table(
        ["module", "ms", "%"],
        s.byModule.map((r) => [r.name, n(r.ms, 0), n(r.share)]),
      ),
    );
    out.push(
      "",
      "### Top functions (self time)",
      "",
      table(
        ["function", "ms", "%"],
        s.bySelfTime.map((r) => [`\`${r.name}\``, n(r.ms, 0), n(r.share)]),
      ),
    );
    out.push(
      "",
      "### src/ functions (inclusive time)",
      "",
      table(
        ["function", "ms", "%"],
        s.srcInclusive.map((r) => [`\`${r.name}\``, n(r.ms, 0), n(r.share)]),
      ),
    );
  };
  if (p.browse) section("Browse under load", p.browse.profile);
  for (const f of p.fanout ?? []) section(`Fan-out to ${n(f.subscribers, 0)} subscribers`, f.profile);
  if (p.heap) {
    const h = p.heap;
    out.push("", `## Memory of ${n(h.subscribers, 0)} subscribers (JS heap, snapshots before and after they subscribed)`, "");
    out.push(`JS heap ${n(h.heapBeforeMB)} MB → ${n(h.heapAfterMB)} MB: **${n(h.bytesPerSubscriber, 0)} bytes per subscriber**. Largest growth by kind:`, "");
    out.push(heapTable(h));
  }
  if (p.heapAfterEvents) {
    const h = p.heapAfterEvents;
    out.push("", `## What ${n(h.events, 0)} events left behind (JS heap, snapshots after subscribing and after the events)`, "");
    out.push(`JS heap ${n(h.heapBeforeMB)} MB → ${n(h.heapAfterMB)} MB: **${n(h.bytesPerSubscriber, 0)} bytes per subscriber**. Largest growth by kind:`, "");
    out.push(heapTable(h));
  }
  if (p.errors.length) {
    out.push("", "## Errors", "");
    for (const e of p.errors) out.push(`- **${e.benchmark}**: ${e.message.split("\n").join(" ")}`);
  }
  return `${out.join("\n")}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx bench/lib/report.ts bench/results/<name>.json");
    process.exit(1);
  }
  const json = JSON.parse(readFileSync(file, "utf8")) as Results & ProfileResults;
  const md = "targets" in json ? renderMarkdown(json) : renderProfileMarkdown(json);
  writeFileSync(file.replace(/\.json$/, ".md"), md);
}
