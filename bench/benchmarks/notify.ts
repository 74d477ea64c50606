import "reflect-metadata";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { DATA_DIR, type DataManifest } from "../generate.js";
import { Prng } from "../lib/prng.js";
import { runWorker, waitForQuiet } from "../lib/proc.js";
import type { Summary } from "../lib/stats.js";

/** One request to the 5,000 (or the smoke run's few): from commit to the last message SMTP accepted. */
export interface NotifyFanoutRun {
  /** From the askForHelp answer (after its commit) to the last message the SMTP server accepted. */
  ms: number;
  /** The server's CPU (user + system, /proc/<pid>/stat) from just before the mutation to the last message accepted. */
  cpuMs: number;
  messagesPerSecond: number;
  accepted: number;
  /** Messages that arrived in the second after the last expected one (should be 0: nobody is told twice). */
  extra: number;
  bytesPerMessage: number;
  askMs: number;
}

/** The same messages through nodemailer alone (bench/workers/notify-floor.ts, on the server core). */
export interface NotifyFloorRun {
  ms: number;
  /** process.cpuUsage() of the floor process over the sending. */
  cpuMs: number;
  messagesPerSecond: number;
  accepted: number;
  bytesPerMessage: number;
}

/** askForHelp latency on two servers, one with e-mail on and one with it off, in turns. */
export interface NotifyLatency {
  iterations: number;
  /** Volunteers each request of this part fits (each gets one e-mail per request on the "on" server). */
  fitting: number;
  on: Summary & { p95: number };
  off: Summary & { p95: number };
  /** on/off of p50 and p95 latency, minus 1, in percent. */
  overheadP50Percent: number;
  overheadP95Percent: number;
  /** Server CPU per askForHelp (the mutation and, for "on", deciding and sending its e-mails). */
  cpuMsPerRequest: { on: number; off: number };
  messagesAccepted: number;
  messagesExpected: number;
}

export interface NotifyResult {
  size: string;
  volunteers: number;
  /** NOTIFY_NEW_REQUESTS_PER_DAY the "on" server ran with, and the most any one volunteer was due today. */
  dailyCap: number;
  mostPerVolunteerToday: number;
  smtpPool: { maxConnections: number; senderConcurrency: number };
  runs: NotifyFanoutRun[];
  median: NotifyFanoutRun;
  floor: NotifyFloorRun | null;
  /** Server time over the floor's, and server CPU over the floor's (median run). */
  ratioMs: number | null;
  ratioCpu: number | null;
  latency: NotifyLatency;
  /** A summary of the server's CPU profile over the measured runs, when asked for (--notify-profile). */
  profile?: unknown;
  sampleSubject: string | null;
}

export interface NotifyOptions {
  manifest: DataManifest;
  /** Volunteers who fit the measured request (5,000). */
  volunteers: number;
  /** Measured requests to all of them (the daily cap is set so that each volunteer may get every one). */
  repeats: number;
  /** askForHelp pairs (on, off) for the latency comparison, and warm-up pairs before them. */
  iterations: number;
  warmup: number;
  /** Volunteers a latency request fits. */
  fitting: number;
  profileDir?: string;
  log: (line: string) => void;
}

/** The e-mail domain of the benchmark's volunteers. */
const DOMAIN = "bench.zorgzaam.example";

/**
 * A copy of the data set in which exactly `big` volunteers fit a request of the resident's in category
 * A, and exactly `small` (others) fit one in category B: the existing volunteers' cover of the resident's
 * neighbourhood is removed (in the copy), and the new ones have an account, an e-mail address and the
 * default switches (new requests by e-mail: on).
 */
export function prepareNotifyCopy(
  m: DataManifest,
  name: string,
  big: number,
  small: number,
): { file: string; neighbourhoodId: string; bigCategory: string; smallCategory: string } {
  const file = resolve(DATA_DIR, `${m.size}-notify-${name}.sqlite`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  copyFileSync(m.file, file);
  if (existsSync(`${m.file}-wal`)) copyFileSync(`${m.file}-wal`, `${file}-wal`);
  const db = new BetterSqlite3(file);
  const r = new Prng(`zorgzaam-bench:${m.size}:notify`);
  const at = m.anchorMs - 86_400_000;
  const neighbourhoodId = db.prepare("select neighbourhood_id from people where id = ?").pluck().get(m.probes.resident) as string;
  const [bigCategory, smallCategory] = m.categoryIds;
  // An existing profile's password hash: any non-null value makes an account; nobody signs in with these.
  const hash = db.prepare("select password_hash from people where password_hash is not null limit 1").pluck().get() as string;
  const person = db.prepare(
    "insert into people (id, first_name, last_name, email, password_hash, phone, address, neighbourhood_id, birth_date, created_by_id, team_id, created_at) values (?, ?, ?, ?, ?, null, null, ?, null, null, null, ?)",
  );
  const role = db.prepare("insert into person_roles (person_id, role, granted_at, granted_by_id) values (?, ?, ?, null)");
  const profile = db.prepare(
    "insert into volunteer_profiles (person_id, languages, availability, vog_status, vog_issued_on, vog_verified_by_id, vog_verified_at, updated_at) values (?, '[\"nl\"]', '[]', 'VERIFIED', null, null, ?, ?)",
  );
  const cat = db.prepare("insert into volunteer_categories (person_id, category_id) values (?, ?)");
  const nb = db.prepare("insert into volunteer_neighbourhoods (person_id, neighbourhood_id) values (?, ?)");
  db.transaction(() => {
    db.prepare("delete from volunteer_neighbourhoods where neighbourhood_id = ?").run(neighbourhoodId);
    for (let i = 0; i < big + small; i++) {
      const id = r.id("per");
      person.run(id, i % 3 === 0 ? "Anne-Marie" : i % 3 === 1 ? "Mohammed" : "Sanne", `Notify ${i}`, `notify-${i}@${DOMAIN}`, hash, neighbourhoodId, at);
      role.run(id, "RESIDENT", at);
      role.run(id, "VOLUNTEER", at);
      profile.run(id, at, at);
      cat.run(id, i < big ? bigCategory : smallCategory);
      nb.run(id, neighbourhoodId);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { file, neighbourhoodId, bigCategory, smallCategory };
}

/**
 * E-mail notifications of a new request: one request fitting `volunteers` volunteers through the real
 * server to a local SMTP server, beside nodemailer alone sending as many messages of the same size; then
 * askForHelp's latency with e-mail on and off, in turns. The orchestration (SMTP server, HTTP client)
 * runs on the client core (bench/workers/notify.ts), the servers and the floor on the server core.
 */
export async function runNotify(o: NotifyOptions): Promise<NotifyResult> {
  const m = o.manifest;
  const on = prepareNotifyCopy(m, "on", o.volunteers, o.fitting);
  const off = prepareNotifyCopy(m, "off", o.volunteers, o.fitting);
  // Each of the many gets every measured request; each of the few every warm-up and latency request.
  const dailyCap = Math.min(1000, Math.max(o.repeats, 1 + o.warmup + o.iterations));
  await waitForQuiet(o.log);
  o.log(`[notify] ${o.volunteers} volunteers by e-mail, ${o.repeats} run(s); latency: ${o.iterations} pairs, ${o.fitting} volunteers fit each`);
  try {
    return await runWorker<NotifyResult>(
      "workers/notify.ts",
      {
        size: m.size,
        onFile: on.file,
        offFile: off.file,
        resident: m.probes.resident,
        bigCategory: on.bigCategory,
        smallCategory: on.smallCategory,
        volunteers: o.volunteers,
        fitting: o.fitting,
        repeats: o.repeats,
        iterations: o.iterations,
        warmup: o.warmup,
        dailyCap,
        profileDir: o.profileDir,
      },
      "notify",
    );
  } finally {
    for (const copy of [on.file, off.file]) for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  }
}
