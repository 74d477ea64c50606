import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_JWT_SECRET } from "./tokens.js";

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = resolve(BENCH_DIR, "..");

/** The server under test runs on core 0, load generators and clients on core 1. */
export const SERVER_CORE = 0;
export const CLIENT_CORE = 1;

const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export function tasksetAvailable(): boolean {
  return hasTaskset;
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  label: string;
  output(): string;
  exited: Promise<number | null>;
  /** Sends the signal and waits for the exit; kills hard after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

/**
 * Starts `node <args>` pinned to one core (taskset execs node, so the pid is node's own).
 * stdout/stderr are kept (last 64 kB) and, when `echo` is set, copied to our stderr with a label.
 */
export function spawnNode(core: number, args: string[], env: Record<string, string>, label: string, echo = false, cwd = ROOT): Proc {
  const [cmd, argv] = hasTaskset ? ["taskset", ["-c", String(core), process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 65_536) out = out.slice(-65_536);
    if (echo) process.stderr.write(d.toString().replace(/^(?=.)/gm, `  [${label}] `));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((r) => child.once("exit", (code, signal) => r(code ?? (signal ? 128 : null))));
  return {
    child,
    pid: child.pid!,
    label,
    output: () => out,
    exited,
    stop: async (signal = "SIGTERM", graceMs = 20_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

export async function waitForHttp(url: string, proc: Proc, timeoutMs = 60_000, headers?: Record<string, string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.label} exited with ${proc.child.exitCode}:\n${proc.output()}`);
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.label} did not answer ${url} within ${timeoutMs} ms:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface AppServer {
  proc: Proc;
  url: string;
  wsUrl: string;
  port: number;
}

/**
 * The real server, as production runs it (`npm start`): compiled to dist/ (built first when missing or
 * out of date) with NODE_ENV=production, a fixed JWT secret, no seeding, no sweep, warn-level logs,
 * pinned to the server core. BENCH_SERVER_RUNTIME=tsx runs the sources through tsx instead (as
 * `npm run start:dev` does), and so does a checkout without the build script.
 */
export async function startAppServer(opts: {
  file: string;
  cpuProf?: { dir: string; name: string };
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Another checkout of the project to run instead of this one (bench/ab.ts compares two). */
  root?: string;
}): Promise<AppServer> {
  const port = await freePort();
  // Every thread writes its own profile (tsx runs its module hooks in a worker): collect them in a
  // scratch folder and keep the main thread's, the one with by far the most samples.
  const scratch = opts.cpuProf ? resolve(opts.cpuProf.dir, `.${opts.cpuProf.name}.d`) : null;
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
  }
  const node = scratch ? [`--cpu-prof`, `--cpu-prof-dir=${scratch}`] : [];
  const proc = spawnNode(
    SERVER_CORE,
    [...node, ...startFlags(opts.root ?? ROOT), ...(opts.nodeArgs ?? []), ...serverEntry(opts.root ?? ROOT)],
    {
      NODE_ENV: "production",
      DATABASE_URL: opts.file,
      PORT: String(port),
      HOST: "127.0.0.1",
      JWT_SECRET: BENCH_JWT_SECRET,
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
      ...opts.env,
    },
    "server",
    false,
    opts.root,
  );
  if (scratch && opts.cpuProf) {
    const target = resolve(opts.cpuProf.dir, opts.cpuProf.name);
    const stop = proc.stop;
    proc.stop = async (signal, graceMs) => {
      const code = await stop(signal, graceMs);
      const files = readdirSync(scratch)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => resolve(scratch, f))
        .sort((a, b) => statSync(b).size - statSync(a).size);
      if (files[0]) renameSync(files[0], target);
      rmSync(scratch, { recursive: true, force: true });
      return code;
    };
  }
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, proc);
  return { proc, port, url: `http://127.0.0.1:${port}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
}

/** The server's entry: the compiled build, brought up to date first, or the sources through tsx (see startAppServer). */
function serverEntry(root: string): string[] {
  const build = resolve(root, "scripts/build.mjs");
  if (process.env.BENCH_SERVER_RUNTIME === "tsx" || !existsSync(build)) return ["--import", "tsx", "src/main.ts"];
  const built = spawnSync(process.execPath, [build, "--if-stale"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error(`building ${root} for the benchmark failed (exit ${built.status})`);
  return [resolve(root, "dist/src/main.js")];
}

/** The Node flags `npm start` runs the server with (package.json), so it is measured as it runs. */
function startFlags(root: string): string[] {
  const start = (JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  const words = start.trim().split(/\s+/);
  if (words[0] !== "node") return [];
  const end = words.indexOf("--import");
  return words.slice(1, end < 0 ? undefined : end).filter((w) => w.startsWith("--"));
}

/**
 * A bench script run as its own process on a core (`node --import tsx bench/...`), ready once a GET of
 * `readyPath` (with `readyHeaders`) answers 2xx.
 */
export async function startBenchProcess(core: number, script: string, env: Record<string, string>, label: string, readyPath = "/healthz", readyHeaders?: Record<string, string>) {
  const port = await freePort();
  const proc = spawnNode(core, ["--import", "tsx", resolve(BENCH_DIR, script)], { PORT: String(port), HOST: "127.0.0.1", ...env }, label);
  await waitForHttp(`http://127.0.0.1:${port}${readyPath}`, proc, 60_000, readyHeaders);
  return { proc, port, url: `http://127.0.0.1:${port}` };
}

/**
 * Runs a worker script on the client core with its config in BENCH_CONFIG; its last stdout line is
 * its JSON result. Its stderr is shown with a label.
 */
export async function runWorker<T>(script: string, config: unknown, label: string, timeoutMs = 30 * 60_000, core = CLIENT_CORE): Promise<T> {
  const proc = spawnNode(core, ["--import", "tsx", resolve(BENCH_DIR, script)], { BENCH_CONFIG: JSON.stringify(config) }, label, false);
  let stdout = "";
  proc.child.stdout!.on("data", (d) => (stdout += d));
  proc.child.stderr!.on("data", (d) => process.stderr.write(d.toString().replace(/^(?=.)/gm, `  [${label}] `)));
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  // The result is the last JSON line (a worker run with a V8 trace flag prints more after it).
  const last =
    stdout
      .trim()
      .split("\n")
      .findLast((l) => l.startsWith("{")) ?? "";
  if (code !== 0) throw new Error(`${label} failed with exit code ${code}:\n${proc.output().slice(-4000)}`);
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${label} printed no JSON result:\n${proc.output().slice(-4000)}`);
  }
}

/** CPU time (user + system) a process has used so far, in seconds; NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return NaN;
  const stat = readFileSync(file, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size of a process in bytes. */
export function rssBytes(pid: number): number {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return NaN;
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(file, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

export function config<T>(): T {
  const raw = process.env.BENCH_CONFIG;
  if (!raw) throw new Error("BENCH_CONFIG is not set");
  return JSON.parse(raw) as T;
}

export function result(value: unknown): void {
  process.stdout.write(`\n${JSON.stringify(value)}\n`);
}

/** Busy CPU time per core so far, in seconds (from /proc/stat). */
export function coreBusySeconds(): number[] {
  if (!existsSync("/proc/stat")) return [];
  return readFileSync("/proc/stat", "utf8")
    .split("\n")
    .filter((l) => /^cpu\d+ /.test(l))
    .map((l) => {
      const [, user, nice, system, , , irq, softirq, steal] = l.trim().split(/\s+/).map(Number);
      return (user + nice + system + irq + softirq + steal) / CLK_TCK;
    });
}

/** BENCH_QUIET_WAIT_MS: how long to wait for a quiet machine (default ten minutes; 0 measures at once). */
let quietWaitMs = Number(process.env.BENCH_QUIET_WAIT_MS ?? 10 * 60_000);

/** How long `waitForQuiet` waits at most by default (a smoke run shortens it). */
export function setQuietWait(ms: number): void {
  quietWaitMs = ms;
}

/**
 * Waits until nothing else keeps the cores busy (another test run, a build): a benchmark on a
 * shared machine measures the neighbours otherwise. Gives up after `maxWaitMs` and says so.
 */
export async function waitForQuiet(log: (line: string) => void, threshold = 0.15, maxWaitMs = quietWaitMs): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  let told = false;
  for (;;) {
    const a = coreBusySeconds();
    await new Promise((r) => setTimeout(r, 1000));
    const b = coreBusySeconds();
    const busiest = Math.max(0, ...b.map((x, i) => x - a[i]));
    if (busiest <= threshold) {
      if (told) log(`[quiet] the machine is quiet again`);
      return true;
    }
    if (Date.now() > deadline) {
      log(`[quiet] still busy (${Math.round(busiest * 100)}% of a core) after ${maxWaitMs / 1000} s: measuring anyway`);
      return false;
    }
    if (!told) log(`[quiet] other processes keep a core ${Math.round(busiest * 100)}% busy: waiting before measuring`);
    told = true;
    await new Promise((r) => setTimeout(r, 4000));
  }
}

/** Settings written as `K=V,K=V` (a variant's environment in bench/ab.ts and bench/ab-fanout.ts). */
export function envPairs(text: string | undefined): Record<string, string> | null {
  if (!text) return null;
  return Object.fromEntries(text.split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}
