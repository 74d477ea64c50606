// @ts-check
/**
 * The release build: compiles src/ and seeds/ to dist/ with tsc (tsconfig.build.json) and writes a
 * stamp, dist/.build-hash, with the hash of the sources it was built from. `npm start` compares the
 * stamp with the sources and builds again when they differ. Plain JavaScript: it runs before anything
 * is compiled, and without tsx.
 *
 *   node scripts/build.mjs             build (npm run build)
 *   node scripts/build.mjs --if-stale  build only when dist/ is missing or out of date
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const dist = join(root, "dist");
export const compiledMain = join(dist, "src", "main.js");
const stampFile = join(dist, ".build-hash");

/** What the build reads: the sources and the compiler settings (package versions are in node_modules, which a build does not track). */
const INPUT_DIRS = ["src", "seeds"];
const INPUT_FILES = ["tsconfig.json", "tsconfig.build.json"];

/** Files under a folder, sorted, so the hash does not depend on the order the file system lists them in. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/**
 * The SHA-256 of every input's path and content. Content, not modification times: a checkout, a copy
 * or a clock that moved does not make a stale build look fresh, or a fresh one stale.
 */
export function sourcesHash() {
  const hash = createHash("sha256");
  const files = [...INPUT_DIRS.flatMap((d) => filesUnder(join(root, d))), ...INPUT_FILES.map((f) => join(root, f))];
  for (const file of files) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file).split("\\").join("/")).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/** Whether there are sources to build from (a release image ships dist/ without them). */
export function hasSources() {
  return existsSync(join(root, "src", "main.ts"));
}

/** Why dist/ must be built again, or null when it matches the sources. */
export function staleReason() {
  if (!existsSync(compiledMain) || !existsSync(stampFile)) return "dist/ is missing";
  return readFileSync(stampFile, "utf8").trim() === sourcesHash() ? null : "the sources changed since dist/ was built";
}

/** Builds dist/ from scratch (so files of deleted sources do not linger) and stamps it; throws when tsc fails. */
export function build() {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    throw new Error("dist/ needs building and TypeScript is not installed (a devDependency): run `npm ci` with dev dependencies, then `npm run build`.");
  }
  const hash = sourcesHash();
  rmSync(dist, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal}); dist/ is not usable.`);
  writeFileSync(stampFile, `${hash}\n`);
}

/** Builds when dist/ is missing or out of date; says so on stderr (stdout stays the server's JSON log). */
export function buildIfStale() {
  if (!hasSources()) return;
  const reason = staleReason();
  if (!reason) return;
  const began = Date.now();
  process.stderr.write(`building dist/ with tsc (${reason}) ...\n`);
  build();
  process.stderr.write(`built dist/ in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes("--if-stale")) buildIfStale();
    else build();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
