/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per module
 * (npm package, node internals, or a folder of src/), and total (inclusive) time of the app's own
 * functions and of a few library entry points.
 */
import { readFileSync } from "node:fs";
import { ROOT } from "./proc.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Row {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Time the process was busy (everything but "(idle)"). */
  busyMs: number;
  samples: number;
  byModule: Row[];
  bySelfTime: Row[];
  /** Inclusive time of functions in src/ (a caller's time includes its callees). */
  srcInclusive: Row[];
}

const ROOT_MARKER = `${ROOT}/`;

/** Where a frame comes from: an npm package, node itself, a folder of the app, or a V8 pseudo-frame. */
export function moduleOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  if (url.startsWith("node:")) {
    const parts = url.slice(5).split("/");
    return `node:${parts[0] === "internal" ? parts.slice(0, 2).join("/") : parts[0]}`;
  }
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const path = url.replace(/^file:\/\//, "");
  const rel = path.includes(ROOT_MARKER) ? path.slice(path.indexOf(ROOT_MARKER) + ROOT_MARKER.length) : path;
  const parts = rel.split("/");
  if (parts[0] === "src" && parts[1] === "modules") return parts.slice(0, 3).join("/");
  if (parts[0] === "src") return parts.length > 2 ? parts.slice(0, 2).join("/") : rel;
  return parts.slice(0, 2).join("/");
}

function shortUrl(url: string): string {
  if (!url) return "";
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) return url.slice(nm + 14);
  const path = url.replace(/^file:\/\//, "");
  return path.includes(ROOT_MARKER) ? path.slice(path.indexOf(ROOT_MARKER) + ROOT_MARKER.length) : path;
}

export function functionKey(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  const where = shortUrl(frame.url);
  // Line numbers of files compiled on the fly (src/ under tsx) do not match the source: leave them out.
  const line = frame.url.includes("/node_modules/") || frame.url.startsWith("node:") ? `:${frame.lineNumber + 1}` : "";
  return where ? `${name} ${where}${line}` : name;
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    if (dt <= 0) continue;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    total += dt;
    if (node.callFrame.functionName === "(idle)") idle += dt;
    const key = functionKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const mod = moduleOf(node.callFrame);
    modules.set(mod, (modules.get(mod) ?? 0) + dt);
    // Inclusive time of the app's own functions: each function once per sample, however deep it recurs.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (!/\/src\//.test(f.url) || f.url.includes("/node_modules/")) continue;
      const k = functionKey(f);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const busy = total - idle;
  const rows = (m: Map<string, number>, n: number, skipIdle = true) =>
    [...m.entries()]
      .filter(([k]) => !(skipIdle && k === "(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((ms / busy) * 1000) / 10 }));
  return {
    file,
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    samples: profile.samples.length,
    byModule: rows(modules, top),
    bySelfTime: rows(self, top),
    srcInclusive: rows(inclusive, top),
  };
}
