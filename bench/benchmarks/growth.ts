import "reflect-metadata";
import type { DataManifest } from "../generate.js";
import { type CapturedQuery, capturePlans } from "../lib/plans.js";
import { type AppServer, runWorker, startAppServer, waitForQuiet } from "../lib/proc.js";
import { BROWSE_BODY } from "../lib/queries.js";
import { signToken } from "../lib/tokens.js";
import { type LoadResult, jsonHeaders, startFloor, verifyIdentical } from "./browse.js";

export interface GrowthEntry {
  size: string;
  helpRequests: number;
  liveOpen: number;
  neighbourhoods: number;
  fileMB: number;
  plans: Record<string, CapturedQuery>;
  /** Single client, sequential requests: the latency one volunteer sees on an idle server. */
  latency: Record<string, { volunteer: string; server: LoadResult; floor: LoadResult }>;
}

/**
 * Browse latency on an idle server as the data grows: one client, one request at a time, for a
 * typical volunteer (two neighbourhoods) and the widest one (every neighbourhood and category), with
 * the query plans of the SQL the repository generates.
 */
export async function runGrowth(o: { manifests: DataManifest[]; requests: number; warmupRequests: number; resultsDir: string; log: (line: string) => void }) {
  const out: GrowthEntry[] = [];
  for (const m of o.manifests) {
    const volunteers = { typical: m.probes.browseVolunteer, wide: m.probes.wideVolunteer };
    const plans = await capturePlans(m.file, volunteers);
    for (const [label, q] of Object.entries(plans)) {
      o.log(`[growth] ${m.size} ${label}: ${q.plan.join(" | ")} (${q.medianMs} ms)`);
    }
    let server: AppServer | null = null;
    let floor: Awaited<ReturnType<typeof startFloor>> | null = null;
    const latency: GrowthEntry["latency"] = {};
    try {
      server = await startAppServer({ file: m.file });
      floor = await startFloor(m.file);
      for (const [label, personId] of Object.entries(volunteers)) {
        const token = await signToken(personId);
        await verifyIdentical(server.url, `${floor.url}/graphql`, token, o.resultsDir, `${m.size}-${label}`);
        const seq = async (url: string, pid: number, who: string) => {
          await waitForQuiet(o.log);
          return runWorker<LoadResult>(
            "workers/load.ts",
            { mode: "sequential", url, body: BROWSE_BODY, headers: jsonHeaders(token), targetPid: pid, requests: o.requests, warmupRequests: o.warmupRequests },
            `seq→${who}`,
          );
        };
        const s = await seq(server.url, server.proc.pid, "server");
        const f = await seq(`${floor.url}/graphql`, floor.proc.pid, "floor");
        latency[label] = { volunteer: personId, server: s, floor: f };
        o.log(`[growth] ${m.size} ${label}: server p50 ${s.latencyMs.p50} ms p99 ${s.latencyMs.p99} ms; floor p50 ${f.latencyMs.p50} ms p99 ${f.latencyMs.p99} ms`);
      }
    } finally {
      await floor?.proc.stop();
      await server?.proc.stop();
    }
    out.push({
      size: m.size,
      helpRequests: m.counts.help_requests,
      liveOpen: m.liveOpen,
      neighbourhoods: m.counts.neighbourhoods,
      fileMB: Math.round(m.fileBytes / 1e6),
      plans,
      latency,
    });
  }
  return out;
}
