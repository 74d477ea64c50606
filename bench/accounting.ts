/**
 * Where a browse request's CPU goes, by component, from CPU profiles of the server under the browse
 * load (bench/profile.ts writes them): the samples of the measured window only (start-up and warm-up
 * left out), each sample's own frame assigned to a component, in microseconds per request. Given two
 * profiles (before, after) it shows them side by side. Profiling slows the server down: read the
 * proportions and the differences, and take the absolute CPU per request from bench/ab.ts.
 *
 *   npx tsx bench/accounting.ts --profile a.cpuprofile --rate 906.9 [--profile b.cpuprofile --rate 1719] [--window 10] [--labels before,after]
 *
 * `--rate` is the profiled run's req/s (bench/profile.ts prints it), `--window` its measured seconds.
 * `--by function` lists functions instead of components: each one's own time and its inclusive time
 * (itself and what it called, counted once per sample), the `--top` (40) largest by own time.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    profile: { type: "string", multiple: true },
    rate: { type: "string", multiple: true },
    window: { type: "string", default: "10" },
    /** Column names for two profiles (default: before,after), e.g. floor,server. */
    labels: { type: "string", default: "before,after" },
    /** component (default) or function. */
    by: { type: "string", default: "component" },
    top: { type: "string", default: "40" },
  },
});
const profiles = values.profile ?? [];
const rates = (values.rate ?? []).map(Number);
if (profiles.length === 0 || profiles.length !== rates.length) throw new Error("give --profile and --rate once for each profile");
const windowUs = Number(values.window) * 1e6;

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The component a frame's own time counts for. */
function componentOf(node: ProfileNode): string {
  const { functionName: fn, url } = node.callFrame;
  if (fn === "(idle)") return "(idle)";
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(program)") return "V8 (program)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  // Native calls (SQLite's) count for the JavaScript frame that made them: drizzle's in the server.
  if (pkg === "drizzle-orm" || pkg === "better-sqlite3") return "SQL: SQLite and its driver";
  if (pkg === "@apollo/server" || pkg === "negotiator" || pkg === "@apollo/utils.keyvaluecache" || pkg === "lru-cache") return "Apollo's request pipeline";
  if (pkg === "graphql-jit" || pkg === "graphql" || pkg === "type-graphql" || pkg === "graphql-scalars" || pkg === "dataloader")
    return "GraphQL execution (graphql-jit, type-graphql, scalars)";
  if (pkg === "prom-client" || pkg === "pino" || pkg?.startsWith("@opentelemetry")) return "metrics, logs, tracing";
  if (pkg === "jose" || pkg === "cors" || pkg === "vary") return "auth and CORS libraries";
  if (pkg) return `other packages (${pkg})`;
  // The floor's own code calls better-sqlite3 directly: native calls count for their JavaScript caller.
  if (url.includes("/bench/")) return "the floor's code (its SQL calls included)";
  const ours = /\/(?:dist\/)?src\/(.*)\/[^/]+$/.exec(url)?.[1];
  if (ours !== undefined) return ours.startsWith("modules/") ? `our code: ${ours}` : `our code: ${ours.split("/")[0]}`;
  if (url.startsWith("node:internal/async_hooks") || url === "node:async_hooks") return "async context (AsyncLocalStorage)";
  if (url.startsWith("node:internal/crypto") || url === "node:crypto") return "crypto (hashes, ids)";
  if (/^node:(_http|internal\/http|internal\/streams|net|internal\/stream_base|events|buffer|internal\/url|url)/.test(url) || fn === "writev" || fn === "writeUtf8String")
    return "node:http, streams, sockets";
  if (url.startsWith("node:internal/modules") || url.startsWith("node:internal/deps")) return "module loading";
  if (!url) return "native (V8 builtins, JSON, Date)";
  return "other node internals";
}

function account(file: string, rate: number): Map<string, number> {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const from = total - windowUs;
  const out = new Map<string, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const component = componentOf(byId.get(profile.samples[i])!);
    out.set(component, (out.get(component) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const requests = rate * Number(values.window);
  for (const [k, v] of out) out.set(k, v / requests);
  out.delete("(idle)");
  return out;
}

/** `name file:line` of a frame, short enough for a table. */
function frameName(node: ProfileNode): string {
  const { functionName: fn, url } = node.callFrame as { functionName: string; url: string; lineNumber?: number };
  const line = (node.callFrame as { lineNumber?: number }).lineNumber;
  const where = url.replace(/^.*node_modules\//, "").replace(/^.*\/(dist\/)?src\//, "src/");
  return `${fn || "(anonymous)"}${where ? ` ${where}:${(line ?? 0) + 1}` : ""}`;
}

/** Own and inclusive time per function in the window, µs per request. */
function byFunction(file: string, rate: number): { own: Map<string, number>; inclusive: Map<string, number> } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) byId.get(c)!.parent = n.id;
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const from = total - windowUs;
  const own = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const dt = profile.timeDeltas[i] ?? 0;
    let node: ProfileNode | undefined = byId.get(profile.samples[i]);
    if (!node || node.callFrame.functionName === "(idle)") continue;
    const name = frameName(node);
    own.set(name, (own.get(name) ?? 0) + dt);
    const seen = new Set<string>();
    for (; node; node = node.parent === undefined ? undefined : byId.get(node.parent)) {
      const n = frameName(node);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
    }
  }
  const requests = rate * Number(values.window);
  for (const m of [own, inclusive]) for (const [k, v] of m) m.set(k, v / requests);
  return { own, inclusive };
}

if (values.by === "function") {
  for (const [i, file] of profiles.entries()) {
    const { own, inclusive } = byFunction(file, rates[i]);
    console.log(`\n${file}\n\n| function | own µs | inclusive µs |\n| --- | --- | --- |`);
    const top = [...own.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
    for (const [name, us] of top) console.log(`| \`${name}\` | ${us.toFixed(1)} | ${(inclusive.get(name) ?? 0).toFixed(1)} |`);
    console.log(`\n| function (inclusive) | µs |\n| --- | --- |`);
    const topIncl = [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
    for (const [name, us] of topIncl) console.log(`| \`${name}\` | ${us.toFixed(1)} |`);
  }
  process.exit(0);
}

const tables = profiles.map((p, i) => account(p, rates[i]));
const names = [...new Set(tables.flatMap((t) => [...t.keys()]))].sort((a, b) => (tables.at(-1)!.get(b) ?? 0) - (tables.at(-1)!.get(a) ?? 0));
const [first, second] = values.labels.split(",");
const head = profiles.length === 2 ? [`${first} µs`, `${second} µs`, "difference µs"] : ["µs"];
console.log(`| component | ${head.join(" | ")} |`);
console.log(`| --- | ${head.map(() => "---").join(" | ")} |`);
for (const name of names) {
  const cells = tables.map((t) => (t.get(name) ?? 0).toFixed(0));
  if (tables.length === 2) cells.push(((tables[1].get(name) ?? 0) - (tables[0].get(name) ?? 0)).toFixed(0));
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
const sums = tables.map((t) => [...t.values()].reduce((a, b) => a + b, 0));
console.log(`| **all** | ${sums.map((s) => s.toFixed(0)).join(" | ")}${tables.length === 2 ? ` | ${(sums[1] - sums[0]).toFixed(0)}` : ""} |`);
