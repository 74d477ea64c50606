/**
 * How many promises the server makes per browse request: every promise is also followed by the
 * request's async context (AsyncLocalStorage), so their number is a cost of its own. Starts the
 * compiled server with bench/lib/promise-count.cjs preloaded, sends 1,500 browse requests one at a
 * time (the first 500 are warm-up) and prints the count; `--sites` also lists where they are made.
 *   npx tsx bench/promises.ts [--size city] [--sites]
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureData } from "./generate.js";
import { BENCH_DIR, startAppServer } from "./lib/proc.js";
import { BROWSE_BODY } from "./lib/queries.js";
import { signToken } from "./lib/tokens.js";

const { values } = parseArgs({ options: { size: { type: "string", default: "city" }, sites: { type: "boolean", default: false } } });
const manifest = await ensureData(values.size as "city");
const token = await signToken(manifest.probes.browseVolunteer);
const file = join(mkdtempSync(join(tmpdir(), "zorgzaam-promises-")), "count.txt");
const server = await startAppServer({
  file: manifest.file,
  nodeArgs: ["--require", resolve(BENCH_DIR, "lib/promise-count.cjs")],
  env: { PROMISE_COUNT_FILE: file, PROMISE_SITES: values.sites ? "1" : "0" },
});
for (let i = 0; i < 1500; i++) {
  const res = await fetch(server.url, { method: "POST", body: BROWSE_BODY, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`browse answered ${res.status}`);
  await res.text();
}
await server.proc.stop();
process.stdout.write(readFileSync(file, "utf8"));
