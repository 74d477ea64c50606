/**
 * Compares two V8 heap snapshots (before and after subscribing): which kinds of objects grew, and
 * by how much per subscriber. Objects are grouped by constructor name (closures by function name,
 * strings, arrays and V8 internals by kind).
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  name: string;
  count: number;
  bytes: number;
}

function groups(file: string): { total: number; byName: Map<string, HeapGroup> } {
  const s = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf("type");
  const iName = fields.indexOf("name");
  const iSize = fields.indexOf("self_size");
  const byName = new Map<string, HeapGroup>();
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]];
    const size = s.nodes[i + iSize];
    const raw = s.strings[s.nodes[i + iName]];
    let name: string;
    if (type === "object") name = raw || "Object";
    else if (type === "closure") name = `(closure) ${raw || "anonymous"}`;
    else if (type === "string" || type === "concatenated string" || type === "sliced string") name = "(string)";
    else if (type === "array") name = `(array) ${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}`;
    else if (type === "native") name = `(native) ${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}`;
    else if (type === "hidden" || type === "object shape") name = `(${type}) ${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}`;
    else name = `(${type})`;
    total += size;
    const g = byName.get(name) ?? { name, count: 0, bytes: 0 };
    g.count += 1;
    g.bytes += size;
    byName.set(name, g);
  }
  return { total, byName };
}

export interface HeapDiff {
  before: string;
  after: string;
  subscribers: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  bytesPerSubscriber: number;
  top: (HeapGroup & { perSubscriber: number; bytesPerSubscriber: number })[];
}

export function diffSnapshots(before: string, after: string, subscribers: number, top = 30): HeapDiff {
  const a = groups(before);
  const b = groups(after);
  const rows = [...b.byName.values()].map((g) => {
    const old = a.byName.get(g.name) ?? { count: 0, bytes: 0 };
    return { name: g.name, count: g.count - old.count, bytes: g.bytes - old.bytes };
  });
  rows.sort((x, y) => y.bytes - x.bytes);
  return {
    before,
    after,
    subscribers,
    heapBeforeMB: Math.round(a.total / 1e5) / 10,
    heapAfterMB: Math.round(b.total / 1e5) / 10,
    bytesPerSubscriber: Math.round((b.total - a.total) / subscribers),
    top: rows.slice(0, top).map((r) => ({
      ...r,
      perSubscriber: Math.round((r.count / subscribers) * 10) / 10,
      bytesPerSubscriber: Math.round(r.bytes / subscribers),
    })),
  };
}
