import { readFileSync } from "node:fs";
import { signToken } from "./lib/tokens.js";
import { BROWSE_BODY } from "./lib/queries.js";
import { startAppServer } from "./lib/proc.js";
const manifest = JSON.parse(readFileSync("bench/data/city.json", "utf8"));
const token = await signToken(manifest.probes.browseVolunteer);
const server = await startAppServer({ file: manifest.file, nodeArgs: ["--require", "/work/wt/tools/promise-count.cjs"], env: { PROMISE_SITES: process.env.PROMISE_SITES ?? "0" } });
for (let i = 0; i < 1500; i++) {
  const r = await fetch(server.url, { method: "POST", body: BROWSE_BODY, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
  await r.text();
}
await server.proc.stop();
