/**
 * Server, floor and the peers (bench/peers/) on the browse query, side by side in alternating
 * one-second slices, so all see the same machine: the CPU time each process spends per request,
 * summed over all slices, its ratio to the floor's, and the server's against each peer's. Less
 * sensitive to a noisy machine than separate throughput runs; a quick check between changes, not a
 * replacement for `run.ts --only browse`.
 *   taskset -c 1 npx tsx bench/ab.ts [--size city] [--slices 20] [--inflight 16] [--peers mercurius,apollo|none]
 *     [--variant K=V,...] [--variant-root ../other-checkout]
 */
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { cpuSeconds, envPairs, startAppServer } from "./lib/proc.js";
import { BROWSE_BODY } from "./lib/queries.js";
import { signToken } from "./lib/tokens.js";
import { PEERS, type PeerName, jsonHeaders, startFloor, startPeers, verifyIdentical } from "./benchmarks/browse.js";
import { ensureData } from "./generate.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "city" },
    slices: { type: "string", default: "20" },
    inflight: { type: "string", default: "16" },
    /** The peers that join the rotation (comma-separated), or "none". */
    peers: { type: "string", default: PEERS.map((p) => p.name).join(",") },
    /** A second server with these settings (K=V,K=V) joins the rotation, e.g. GRAPHQL_JIT_AFTER=0. */
    variant: { type: "string" },
    /** ... or the server of another checkout (e.g. a git worktree of the previous commit). */
    "variant-root": { type: "string" },
  },
});
const manifest = await ensureData(values.size as "city");
const token = await signToken(manifest.probes.browseVolunteer);
const server = await startAppServer({ file: manifest.file });
const floor = await startFloor(manifest.file);
const variantEnv = envPairs(values.variant);
const variantRoot = values["variant-root"];
const variant = variantEnv || variantRoot ? await startAppServer({ file: manifest.file, env: variantEnv ?? {}, root: variantRoot }) : null;
const peerNames = values.peers === "none" ? [] : (values.peers!.split(",") as PeerName[]);
for (const name of peerNames) if (!PEERS.some((p) => p.name === name)) throw new Error(`no peer named ${name} (${PEERS.map((p) => p.name).join(", ")})`);
const peers = await startPeers(peerNames, manifest.file);
const both = await verifyIdentical(server.url, `${floor.url}/graphql`, token, "/tmp", "ab");
for (const [i, peer] of peers.entries()) await verifyIdentical(server.url, peer.url, token, "/tmp", `ab-${peerNames[i]}`, peerNames[i]);
const body = Buffer.from(BROWSE_BODY);
const headers = { ...jsonHeaders(token), "content-length": String(body.length) };

/** Keeps `inflight` requests going against one target for `ms`; returns how many completed. */
async function slice(url: string, ms: number): Promise<number> {
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: Number(values.inflight) });
  const until = Date.now() + ms;
  let done = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ agent, host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          if (Buffer.concat(chunks).toString() !== both.server.text) reject(new Error(`${url}: a different answer`));
          else resolve();
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  const lane = async () => {
    while (Date.now() < until) {
      await one();
      done++;
    }
  };
  await Promise.all(Array.from({ length: Number(values.inflight) }, lane));
  agent.destroy();
  return done;
}

interface Target {
  name: string;
  url: string;
  pid: number;
  cpu: number;
  requests: number;
  seconds: number;
  peer?: PeerName;
}
const target = (name: string, url: string, pid: number, peer?: PeerName): Target => ({ name, url, pid, cpu: 0, requests: 0, seconds: 0, peer });
const targets: Target[] = [
  target("server", server.url, server.proc.pid),
  target("floor", `${floor.url}/graphql`, floor.proc.pid),
  ...(variant ? [target(`server with ${values.variant ?? variantRoot}`, variant.url, variant.proc.pid)] : []),
  ...peers.map((p, i) => target(`peer ${peerNames[i]} (${p.label})`, p.url, p.proc.pid, peerNames[i])),
];
try {
  for (const t of targets) await slice(t.url, 2000); // warm-up
  for (let i = 0; i < Number(values.slices); i++) {
    for (const t of i % 2 ? [...targets].reverse() : targets) {
      const cpu0 = cpuSeconds(t.pid);
      const t0 = performance.now();
      t.requests += await slice(t.url, 1000);
      t.seconds += (performance.now() - t0) / 1000;
      t.cpu += cpuSeconds(t.pid) - cpu0;
    }
  }
  const [s, f] = targets;
  const v = variant ? targets[2] : undefined;
  const per = (t: Target) => (t.cpu * 1e6) / t.requests;
  for (const t of targets) {
    console.log(
      `${t.name}: ${t.requests} requests, ${(t.requests / t.seconds).toFixed(1)} req/s, ${per(t).toFixed(0)} µs CPU per request, ${(per(t) / per(f)).toFixed(2)}x the floor's`,
    );
  }
  console.log(`ratio floor/server: CPU per request ${(per(f) / per(s)).toFixed(3)}, req/s ${(s.requests / s.seconds / (f.requests / f.seconds)).toFixed(3)}`);
  if (v) console.log(`ratio floor/variant: CPU per request ${(per(f) / per(v)).toFixed(3)}`);
  for (const p of targets) {
    if (!p.peer) continue;
    console.log(`ratio ${p.peer}/server: CPU per request ${(per(p) / per(s)).toFixed(3)} (above 1: the server spends less), floor/${p.peer} ${(per(f) / per(p)).toFixed(3)}`);
  }
} finally {
  await server.proc.stop();
  await floor.proc.stop();
  await variant?.proc.stop();
  for (const peer of peers) await peer.proc.stop();
}
