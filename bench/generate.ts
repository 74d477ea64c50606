/**
 * Deterministic benchmark data: `npx tsx bench/generate.ts --size city [--anchor 2026-11-25] [--force]`.
 *
 * The file gets exactly the app's schema (it is created through the app's own openDatabase() +
 * migrate()), then it is filled with better-sqlite3 prepared statements inside large transactions.
 * Every value comes from seeded streams (bench/lib/prng.ts), so the same size and anchor date always
 * give the same rows. Times are relative to the anchor (default: today, 00:00 UTC) because open
 * requests must have their windows in the future when the benchmarks run; a file whose anchor is more
 * than a week old is rebuilt.
 */
import "reflect-metadata";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hash } from "@node-rs/argon2";
import BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "../src/db/client.js";
import { defineTables } from "../src/app.tables.js";
import { normaliseText } from "../src/modules/initiatives/initiative.search.js";
import { areas as dordrechtAreas, categories, neighbourhoods as dordrechtNeighbourhoods, teams as dordrechtTeams } from "../seeds/reference-data.js";
import { Prng, cumulative } from "./lib/prng.js";
import { type Size, type SizeName, sizeNamed } from "./lib/sizes.js";
import { DESCRIPTION_ASKS, DESCRIPTION_OPENINGS, FIRST_NAMES, LANGUAGES, LAST_NAMES, STREETS, TITLES } from "./lib/words.js";

/** Bump when the generated rows change, so existing files are rebuilt. */
export const GENERATOR_VERSION = 5;
const MAX_ANCHOR_AGE_DAYS = 7;

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = resolve(BENCH_DIR, "data");

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface DataManifest {
  size: SizeName;
  generator: number;
  file: string;
  /** "Now" of the data set: requests span the two years before it; open ones have windows after it. */
  anchor: string;
  anchorMs: number;
  builtAt: string;
  buildSeconds: number;
  fileBytes: number;
  counts: Record<string, number>;
  statuses: Record<string, number>;
  /** Open requests whose window ends after the anchor (what volunteers can browse). */
  liveOpen: number;
  neighbourhoodIds: string[];
  categoryIds: string[];
  probes: {
    /** A typical volunteer: two neighbourhoods, five categories, VOG verified. */
    browseVolunteer: string;
    /** A volunteer who covers every neighbourhood and category (the widest browse). */
    wideVolunteer: string;
    /** A resident with an account, to ask for help. */
    resident: string;
    /** A coordinator (sees the finer statistics, e.g. escalations by trigger and outcome). */
    coordinator: string;
  };
}

export function dataFile(size: SizeName): string {
  return resolve(DATA_DIR, `${size}.sqlite`);
}

function manifestFile(size: SizeName): string {
  return resolve(DATA_DIR, `${size}.json`);
}

export function readManifest(size: SizeName): DataManifest | null {
  const file = manifestFile(size);
  if (!existsSync(file) || !existsSync(dataFile(size))) return null;
  try {
    // The file lives next to its manifest, wherever the repository is checked out.
    return { ...(JSON.parse(readFileSync(file, "utf8")) as DataManifest), file: dataFile(size) };
  } catch {
    return null;
  }
}

/** Why an existing file must be rebuilt, or null when it can be used as it is. */
export function staleReason(m: DataManifest | null, now = Date.now()): string | null {
  if (!m) return "missing";
  if (m.generator !== GENERATOR_VERSION) return `generator version ${m.generator} != ${GENERATOR_VERSION}`;
  if (now - m.anchorMs > MAX_ANCHOR_AGE_DAYS * DAY) return `anchor ${m.anchor} is more than ${MAX_ANCHOR_AGE_DAYS} days old`;
  return null;
}

export function todayUtc(now = Date.now()): number {
  return Math.floor(now / DAY) * DAY;
}

/** Builds the data file for a size unless a usable one exists; returns its manifest. */
export async function ensureData(sizeName: SizeName, opts: { force?: boolean; anchorMs?: number; log?: (line: string) => void } = {}): Promise<DataManifest> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const existing = readManifest(sizeName);
  const reason = opts.force ? "forced" : staleReason(existing);
  if (!reason && existing && (opts.anchorMs === undefined || opts.anchorMs === existing.anchorMs)) {
    // The app may have gained migrations since the file was built: apply them, as the server would.
    const db = openDatabase(existing.file, { tables: defineTables });
    await db.migrate();
    await db.close();
    return existing;
  }
  log(`[data] building ${sizeName} (${reason ?? "other anchor"})`);
  return build(sizeNamed(sizeName), opts.anchorMs ?? todayUtc(), log);
}

interface Place {
  id: string;
  areaId: string;
  name: string;
  latitude: number;
  longitude: number;
}

/** City: the first 10 of Dordrecht's 12 neighbourhoods. Large: a region of 100 (Dordrecht's 12 + 88 around it). */
function placesFor(size: Size) {
  if (size.neighbourhoods <= dordrechtNeighbourhoods.length) {
    const nbs: Place[] = dordrechtNeighbourhoods.slice(0, size.neighbourhoods);
    const areaIds = new Set(nbs.map((n) => n.areaId));
    return {
      areas: dordrechtAreas.filter((a) => areaIds.has(a.id)),
      neighbourhoods: nbs,
      teams: dordrechtTeams.filter((t) => areaIds.has(t.areaId)),
    };
  }
  const towns = [
    ["Zwijndrecht", 51.8175, 4.6391],
    ["Papendrecht", 51.8316, 4.6875],
    ["Sliedrecht", 51.8214, 4.7745],
    ["Alblasserdam", 51.8656, 4.6606],
    ["Hendrik-Ido-Ambacht", 51.8444, 4.6381],
    ["Hardinxveld-Giessendam", 51.8255, 4.8427],
    ["Gorinchem", 51.8306, 4.9742],
    ["Molenlanden", 51.8853, 4.8119],
  ] as const;
  const quarters = ["Centrum", "Noord", "Zuid", "Oost", "West", "Haven", "Park", "Dijk", "Polder", "Veld", "Hof"];
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const extraAreas = towns.map(([town]) => ({ id: `area_${slug(town)}`, municipality: town, name: town }));
  const extraNbs: Place[] = towns.flatMap(([town, lat, lon], t) =>
    quarters.map((q, k) => ({
      id: `nb_${slug(town)}-${slug(q)}`,
      areaId: extraAreas[t].id,
      name: `${town} ${q}`,
      latitude: lat + ((k % 4) - 1.5) * 0.006,
      longitude: lon + (Math.floor(k / 4) - 1) * 0.009,
    })),
  );
  const nbs = [...dordrechtNeighbourhoods, ...extraNbs].slice(0, size.neighbourhoods);
  const extraTeams = extraAreas.flatMap((a) => [
    { id: `team_${a.id.slice(5)}-swt`, areaId: a.id, kind: "SOCIAL_TEAM" as const, name: `Sociaal team ${a.name}` },
    { id: `team_${a.id.slice(5)}-jt`, areaId: a.id, kind: "YOUTH_TEAM" as const, name: `Jeugdteam ${a.name}` },
  ]);
  return { areas: [...dordrechtAreas, ...extraAreas], neighbourhoods: nbs, teams: [...dordrechtTeams, ...extraTeams] };
}

const CATEGORY_WEIGHTS: Record<string, number> = {
  GROCERIES: 22,
  TRANSPORT: 18,
  ODD_JOBS: 12,
  COMPANY: 16,
  PAPERWORK: 9,
  DIGITAL: 10,
  LANGUAGE: 5,
  YOUNG_PARENTS: 4,
  RESPITE: 4,
};
const URGENCIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;
const URGENCY_CUM = cumulative([15, 60, 18, 7]);

type Status = "OPEN" | "MATCHED" | "IN_PROGRESS" | "DONE" | "CANCELLED" | "EXPIRED" | "ESCALATED";

function pickStatus(r: Prng, table: [Status, number][]): Status {
  let x = r.float();
  for (const [s, p] of table) {
    if (x < p) return s;
    x -= p;
  }
  return table[table.length - 1][0];
}
const PAST: [Status, number][] = [
  ["DONE", 0.64],
  ["EXPIRED", 0.19],
  ["CANCELLED", 0.14],
  ["ESCALATED", 0.03],
];
const LIVE_AHEAD: [Status, number][] = [
  ["OPEN", 0.68],
  ["MATCHED", 0.24],
  ["CANCELLED", 0.08],
];
const LIVE_STARTED: [Status, number][] = [
  ["OPEN", 0.45],
  ["MATCHED", 0.12],
  ["IN_PROGRESS", 0.25],
  ["DONE", 0.1],
  ["CANCELLED", 0.08],
];

async function build(size: Size, anchorMs: number, log: (line: string) => void): Promise<DataManifest> {
  const started = Date.now();
  mkdirSync(DATA_DIR, { recursive: true });
  const final = dataFile(size.name);
  const tmp = `${final}.building`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });

  // 1. The app's schema, exactly: its own open + migrate.
  const appDb = openDatabase(tmp, { tables: defineTables });
  await appDb.migrate();
  await appDb.close();

  // 2. Bulk load with prepared statements; secondary indexes are dropped and recreated with their own SQL.
  const db = new BetterSqlite3(tmp);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("cache_size = -1000000");
  db.pragma("temp_store = MEMORY");
  const indexes = db.prepare("select name, sql from sqlite_master where type = 'index' and sql is not null").all() as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`drop index "${ix.name}"`);

  const counts: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  let liveOpen = 0;
  const bump = (table: string, n = 1) => (counts[table] = (counts[table] ?? 0) + n);
  let pending = 0;
  db.exec("begin");
  const tick = () => {
    if (++pending >= 100_000) {
      db.exec("commit");
      db.exec("begin");
      pending = 0;
    }
  };

  const T0 = anchorMs - 730 * DAY;
  const places = placesFor(size);
  const nbs = places.neighbourhoods;
  const cats = categories;
  const catCum = cumulative(cats.map((c) => CATEGORY_WEIGHTS[c.code] ?? 5));
  const catIndexByCode = new Map(cats.map((c, i) => [c.code, i]));

  // Reference data.
  const insArea = db.prepare("insert into areas (id, municipality, name) values (?, ?, ?)");
  for (const a of places.areas) {
    insArea.run(a.id, a.municipality, a.name);
    bump("areas");
  }
  const insNb = db.prepare("insert into neighbourhoods (id, area_id, name, latitude, longitude) values (?, ?, ?, ?, ?)");
  for (const n of nbs) {
    insNb.run(n.id, n.areaId, n.name, n.latitude, n.longitude);
    bump("neighbourhoods");
  }
  const insCat = db.prepare("insert into help_categories (id, code, name, name_nl, description) values (?, ?, ?, ?, ?)");
  for (const c of cats) {
    insCat.run(c.id, c.code, c.name, c.nameNl, c.description);
    bump("help_categories");
  }
  const insTeam = db.prepare("insert into teams (id, area_id, kind, name) values (?, ?, ?, ?)");
  for (const t of places.teams) {
    insTeam.run(t.id, t.areaId, t.kind, t.name);
    bump("teams");
  }

  // People.
  const passwordHash = await hash("zorgzaam-bench-password");
  const insPerson = db.prepare(
    `insert into people (id, first_name, last_name, email, password_hash, phone, address, neighbourhood_id, birth_date, created_by_id, team_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insRole = db.prepare("insert into person_roles (person_id, role, granted_at, granted_by_id) values (?, ?, ?, ?)");
  const pr = new Prng(`zorgzaam-bench:${size.name}:people`);
  const nbCum = cumulative(nbs.map(() => pr.range(0.6, 1.4)));
  const town = (nb: Place) => places.areas.find((a) => a.id === nb.areaId)!.municipality;
  const towns = nbs.map(town);
  const birthDate = (minAge: number, maxAge: number) => {
    const ms = anchorMs - pr.range(minAge, maxAge) * 365.25 * DAY;
    return new Date(ms).toISOString().slice(0, 10);
  };
  let personSeq = 0;
  const addPerson = (opts: { account: boolean; nb: number; minAge: number; maxAge: number; createdBy?: string | null; createdAt: number }) => {
    const id = pr.id("per");
    const first = pr.pick(FIRST_NAMES);
    const last = pr.pick(LAST_NAMES);
    personSeq += 1;
    const email = opts.account
      ? `${first}.${last}.${personSeq}@bench.zorgzaam.example`
          .toLowerCase()
          .normalize("NFD")
          .replace(/[^a-z0-9.@]+/g, "")
      : null;
    insPerson.run(
      id,
      first,
      last,
      email,
      opts.account ? passwordHash : null,
      pr.chance(0.8) ? `06 ${String(pr.int(10_000_000, 99_999_999))}` : null,
      `${pr.pick(STREETS)} ${pr.int(1, 240)}, ${towns[opts.nb]}`,
      nbs[opts.nb].id,
      birthDate(opts.minAge, opts.maxAge),
      opts.createdBy ?? null,
      null,
      opts.createdAt,
    );
    bump("people");
    tick();
    return id;
  };
  const grant = (personId: string, role: string, at: number, by: string | null = null) => {
    insRole.run(personId, role, at, by);
    bump("person_roles");
    tick();
  };
  const accountCreatedAt = () => Math.floor(T0 - 365 * DAY + pr.float() * (anchorMs - (T0 - 365 * DAY) - DAY));

  // Coordinators (they verify VOGs): one per 25,000 residents.
  const coordinators: string[] = [];
  for (let i = 0; i < Math.max(1, Math.round(size.residents / 25_000)); i++) {
    const at = T0 - 400 * DAY;
    const id = addPerson({ account: true, nb: pr.weighted(nbCum), minAge: 30, maxAge: 60, createdAt: at });
    grant(id, "RESIDENT", at);
    grant(id, "COORDINATOR", at);
    coordinators.push(id);
  }

  // Residents; about 3% are also mantelzorgers who registered one relative without an account.
  const residentIds: string[] = new Array(size.residents);
  const residentNb = new Uint16Array(size.residents);
  const carers: { id: string; relative: string; relativeNb: number; at: number }[] = [];
  for (let i = 0; i < size.residents; i++) {
    const nb = pr.weighted(nbCum);
    const at = accountCreatedAt();
    const id = addPerson({ account: true, nb, minAge: 18, maxAge: 96, createdAt: at });
    residentIds[i] = id;
    residentNb[i] = nb;
    grant(id, "RESIDENT", at);
    if (pr.chance(0.03)) {
      grant(id, "MANTELZORGER", at);
      const relNb = pr.chance(0.7) ? nb : pr.weighted(nbCum);
      const relative = addPerson({ account: false, nb: relNb, minAge: 70, maxAge: 99, createdBy: id, createdAt: at + HOUR });
      carers.push({ id, relative, relativeNb: relNb, at });
    }
  }

  // Volunteers with profiles. #0 covers everything (the widest browse); #1 is a typical volunteer.
  const insProfile = db.prepare(
    `insert into volunteer_profiles (person_id, languages, availability, vog_status, vog_issued_on, vog_verified_by_id, vog_verified_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insVolCat = db.prepare("insert into volunteer_categories (person_id, category_id) values (?, ?)");
  const insVolNb = db.prepare("insert into volunteer_neighbourhoods (person_id, neighbourhood_id) values (?, ?)");
  const volunteerIds: string[] = new Array(size.volunteers);
  const volunteerCats: number[][] = new Array(size.volunteers);
  const volunteerVog: boolean[] = new Array(size.volunteers);
  const volunteersByNb: number[][] = nbs.map(() => []);
  const sameArea = (nb: number) => nbs.map((n, i) => (n.areaId === nbs[nb].areaId && i !== nb ? i : -1)).filter((i) => i >= 0);
  for (let v = 0; v < size.volunteers; v++) {
    const home = v === 1 ? Math.min(2, nbs.length - 1) : pr.weighted(nbCum);
    const at = accountCreatedAt();
    const id = addPerson({ account: true, nb: home, minAge: 17, maxAge: 80, createdAt: at });
    grant(id, "RESIDENT", at);
    grant(id, "VOLUNTEER", at);
    let covered: number[];
    let catIdx: number[];
    let vog: string;
    if (v === 0) {
      covered = nbs.map((_, i) => i);
      catIdx = cats.map((_, i) => i);
      vog = "VERIFIED";
    } else if (v === 1) {
      covered = [home, Math.min(home + 1, nbs.length - 1)].filter((x, i, all) => all.indexOf(x) === i);
      catIdx = ["GROCERIES", "TRANSPORT", "COMPANY", "DIGITAL", "ODD_JOBS"].map((c) => catIndexByCode.get(c)!);
      vog = "VERIFIED";
    } else {
      covered = [home];
      const near = sameArea(home);
      if (pr.chance(0.5)) covered.push(near.length && pr.chance(0.8) ? pr.pick(near) : pr.weighted(nbCum));
      if (pr.chance(0.2)) covered.push(near.length && pr.chance(0.8) ? pr.pick(near) : pr.weighted(nbCum));
      covered = [...new Set(covered)];
      const want = pr.int(2, 5);
      const chosen = new Set<number>();
      while (chosen.size < want) chosen.add(pr.weighted(catCum));
      catIdx = [...chosen];
      const x = pr.float();
      vog = x < 0.55 ? "VERIFIED" : x < 0.65 ? "PENDING" : x < 0.95 ? "NONE" : "REJECTED";
    }
    const languages = ["nl", ...pr.sample(LANGUAGES, pr.chance(0.4) ? pr.int(1, 2) : 0)];
    // Drawn, so the rest of the data stays as it was, but not stored: the browse benchmark's floor knows
    // nothing of availability, and a volunteer who states none is shown every request that fits the profile.
    const _slots = Array.from({ length: pr.int(1, 4) }, () => {
      const from = pr.pick([9, 10, 13, 14, 18, 19]);
      return { weekday: pr.int(1, 7), from: `${String(from).padStart(2, "0")}:00`, to: `${String(from + pr.int(2, 3)).padStart(2, "0")}:00` };
    });
    const issued = vog === "NONE" ? null : birthDateLike(at + pr.range(0, 30) * DAY);
    const reviewed = vog === "VERIFIED" || vog === "REJECTED";
    const reviewedAt = reviewed ? Math.min(anchorMs - HOUR, at + pr.range(1, 20) * DAY) : null;
    insProfile.run(id, JSON.stringify(languages), JSON.stringify([]), vog, issued, reviewed ? pr.pick(coordinators) : null, reviewedAt, reviewedAt ?? at);
    bump("volunteer_profiles");
    for (const c of catIdx) {
      insVolCat.run(id, cats[c].id);
      bump("volunteer_categories");
      tick();
    }
    for (const n of covered) {
      insVolNb.run(id, nbs[n].id);
      bump("volunteer_neighbourhoods");
      tick();
    }
    volunteerIds[v] = id;
    volunteerCats[v] = catIdx;
    volunteerVog[v] = vog === "VERIFIED";
    for (const n of covered) volunteersByNb[n].push(v);
  }
  log(`[data] ${size.name}: ${counts.people} people in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Help requests and their history.
  const insRequest = db.prepare(
    `insert into help_requests (id, person_helped_id, asked_by_id, category_id, neighbourhood_id, title, description, urgency,
       vog_required, window_start, window_end, status, volunteer_id, release_count, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insEvent = db.prepare("insert into help_request_events (id, help_request_id, from_status, to_status, actor_id, note, at) values (?, ?, ?, ?, ?, ?, ?)");
  const rq = new Prng(`zorgzaam-bench:${size.name}:requests`);
  const escalated: { id: string; helped: string; nb: number; cat: number; urgency: string; at: number }[] = [];
  const growth = 0.6; // 60% more requests a day at the end of the two years than at the start
  const volunteerFor = (nb: number, cat: number, needsVog: boolean): string => {
    const pool = volunteersByNb[nb];
    if (pool.length === 0) return volunteerIds[rq.int(0, volunteerIds.length - 1)];
    let v = pool[rq.int(0, pool.length - 1)];
    for (let t = 0; t < 6 && (!volunteerCats[v].includes(cat) || (needsVog && !volunteerVog[v])); t++) {
      v = pool[rq.int(0, pool.length - 1)];
    }
    return volunteerIds[v];
  };
  for (let i = 0; i < size.requests; i++) {
    // Creation times follow a slowly growing rate over two years, during the day.
    const u = (i + rq.float()) / size.requests;
    const x = (Math.sqrt(1 + 2 * growth * u * (1 + growth / 2)) - 1) / growth;
    const day = Math.floor((T0 + x * 730 * DAY) / DAY) * DAY;
    let created = day + Math.floor((7 + rq.float() * 14) * HOUR) + rq.int(0, 59) * 1000;
    if (created >= anchorMs - MIN) created = anchorMs - rq.int(2, 600) * MIN;

    let askedBy: string;
    let helped: string;
    let nb: number;
    if (carers.length && rq.chance(0.1)) {
      const c = carers[rq.int(0, carers.length - 1)];
      askedBy = c.id;
      helped = c.relative;
      nb = c.relativeNb;
    } else {
      const r = Math.floor(size.residents * Math.pow(rq.float(), 1.6));
      askedBy = helped = residentIds[r];
      nb = residentNb[r];
    }
    const cat = rq.weighted(catCum);
    const code = cats[cat].code;
    const urgency = URGENCIES[rq.weighted(URGENCY_CUM)];
    const vogRequired = rq.chance(0.08);
    const lead = urgency === "URGENT" ? rq.range(1, 24) * HOUR : urgency === "HIGH" ? rq.range(6, 72) * HOUR : urgency === "NORMAL" ? rq.range(1, 14) * DAY : rq.range(3, 21) * DAY;
    const windowStart = Math.ceil((created + lead) / (15 * MIN)) * 15 * MIN;
    const windowEnd = windowStart + (rq.chance(0.45) ? rq.int(2, 12) * HOUR : rq.int(1, 28) * DAY);
    const status = windowEnd <= anchorMs ? pickStatus(rq, PAST) : windowStart > anchorMs ? pickStatus(rq, LIVE_AHEAD) : pickStatus(rq, LIVE_STARTED);
    const id = rq.id("hr");
    const title = rq.pick(TITLES[code] ?? ["Hulp gevraagd"]);
    const description = `${rq.pick(DESCRIPTION_OPENINGS)}. ${title} ${rq.pick(["graag", "alstublieft", "als het kan", "deze week"])}. ${rq.pick(DESCRIPTION_ASKS)}`;

    // History: created, maybe an earlier volunteer who released it, then the way to its status.
    const limit = Math.min(windowEnd, anchorMs - MIN);
    const events: [string | null, Status, string | null, string | null, number][] = [[null, "OPEN", askedBy, null, created]];
    let t = created;
    const later = (until: number, share: number) => (t = Math.max(t + MIN, Math.floor(t + (until - t) * share)));
    let releaseCount = 0;
    if (status !== "ESCALATED" && status !== "CANCELLED" && rq.chance(0.04)) {
      const earlier = volunteerFor(nb, cat, vogRequired);
      events.push(["OPEN", "MATCHED", earlier, null, later(limit, rq.range(0.05, 0.25))]);
      events.push(["MATCHED", "OPEN", earlier, "Het lukt mij helaas toch niet.", later(limit, rq.range(0.05, 0.2))]);
      releaseCount = 1;
    }
    let volunteer: string | null = null;
    const match = () => {
      volunteer = volunteerFor(nb, cat, vogRequired);
      events.push(["OPEN", "MATCHED", volunteer, null, later(Math.min(windowStart, anchorMs - MIN), rq.range(0.05, 0.6))]);
    };
    switch (status) {
      case "MATCHED":
        match();
        break;
      case "IN_PROGRESS":
      case "DONE":
        match();
        t = Math.max(t + MIN, Math.min(windowStart + rq.int(0, 30) * MIN, anchorMs - 2 * MIN));
        events.push(["MATCHED", "IN_PROGRESS", volunteer, null, t]);
        if (status === "DONE") {
          events.push(["IN_PROGRESS", "DONE", volunteer, rq.chance(0.3) ? "Gedaan, fijne middag gehad!" : null, later(limit, rq.range(0.1, 0.6))]);
        }
        break;
      case "EXPIRED":
        if (rq.chance(0.15)) match();
        events.push([events[events.length - 1][1], "EXPIRED", null, "The wanted time window passed.", Math.max(t + MIN, windowEnd + rq.int(0, 60) * 1000)]);
        break;
      case "CANCELLED": {
        if (rq.chance(0.3)) match();
        events.push([events[events.length - 1][1], "CANCELLED", askedBy, rq.chance(0.5) ? "Mijn zoon komt toch." : null, later(limit, rq.range(0.1, 0.8))]);
        break;
      }
      case "ESCALATED":
        events.push(["OPEN", "ESCALATED", null, "Doorgezet naar het sociaal wijkteam.", later(limit, rq.range(0.1, 0.5))]);
        break;
      case "OPEN":
        break;
    }
    const updated = events[events.length - 1][4];
    insRequest.run(
      id,
      helped,
      askedBy,
      cats[cat].id,
      nbs[nb].id,
      title,
      description,
      urgency,
      vogRequired ? 1 : 0,
      windowStart,
      windowEnd,
      status,
      status === "OPEN" ? null : volunteer,
      releaseCount,
      created,
      updated,
    );
    bump("help_requests");
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === "OPEN" && windowEnd > anchorMs) liveOpen += 1;
    if (status === "ESCALATED") escalated.push({ id, helped, nb, cat, urgency, at: updated });
    tick();
    for (const [from, to, actor, note, at] of events) {
      insEvent.run(rq.id("hre"), id, from, to, actor, note, at);
      bump("help_request_events");
      tick();
    }
    if ((i + 1) % 500_000 === 0) log(`[data] ${size.name}: ${i + 1} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  addCityLife({
    db,
    size,
    anchorMs,
    T0,
    nbs,
    teams: places.teams,
    cats,
    residentIds,
    residentNb,
    carers,
    coordinators,
    volunteerIds,
    escalated,
    bump,
    tick,
    grant,
  });
  db.exec("commit");
  log(`[data] ${size.name}: rows written in ${((Date.now() - started) / 1000).toFixed(1)} s; creating indexes`);
  for (const ix of indexes) db.exec(ix.sql);
  db.pragma("locking_mode = NORMAL");
  db.pragma("journal_mode = WAL");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  for (const f of [final, `${final}-wal`, `${final}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, final);

  const { size: fileBytes } = await import("node:fs").then((fs) => fs.statSync(final));
  const manifest: DataManifest = {
    size: size.name,
    generator: GENERATOR_VERSION,
    file: final,
    anchor: new Date(anchorMs).toISOString(),
    anchorMs,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((Date.now() - started) / 100) / 10,
    fileBytes,
    counts,
    statuses,
    liveOpen,
    neighbourhoodIds: nbs.map((n) => n.id),
    categoryIds: cats.map((c) => c.id),
    probes: { browseVolunteer: volunteerIds[1], wideVolunteer: volunteerIds[0], resident: residentIds[0], coordinator: coordinators[0] },
  };
  writeFileSync(manifestFile(size.name), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`[data] ${size.name}: done in ${manifest.buildSeconds} s (${(fileBytes / 1e6).toFixed(0)} MB)`);
  return manifest;
}

interface CityLife {
  db: BetterSqlite3.Database;
  size: Size;
  anchorMs: number;
  /** Start of the two years of requests. */
  T0: number;
  nbs: Place[];
  teams: { id: string; areaId: string; kind: string }[];
  cats: { id: string; code: string }[];
  residentIds: string[];
  residentNb: Uint16Array;
  carers: { id: string; relative: string; relativeNb: number; at: number }[];
  coordinators: string[];
  volunteerIds: string[];
  escalated: { id: string; helped: string; nb: number; cat: number; urgency: string; at: number }[];
  bump: (table: string, n?: number) => void;
  tick: () => void;
  grant: (personId: string, role: string, at: number, by?: string | null) => void;
}

const FLAG_REASONS = ["TOO_COMPLEX", "HEALTH", "FINANCIAL", "HOUSING", "SAFETY", "OTHER"] as const;
const OUTCOMES = ["PROFESSIONAL_SUPPORT", "HANDED_BACK", "REFERRED", "NO_ACTION"] as const;
const OUTCOME_CUM = cumulative([45, 25, 20, 10]);
const ACK_HOURS: Record<string, number> = { URGENT: 4, HIGH: 24, NORMAL: 72, LOW: 120 };
const INITIATIVE_KINDS = ["ACTIVITY", "MEETING_PLACE", "COURSE", "SERVICE"] as const;
const INITIATIVE_KIND_CUM = cumulative([40, 25, 25, 10]);
export const INITIATIVE_TITLES: Record<(typeof INITIATIVE_KINDS)[number], string[]> = {
  ACTIVITY: ["Samen wandelen", "Buurtmaaltijd", "Spelletjesmiddag", "Samen koken", "Tuinieren in de buurttuin", "Bingo in de wijk"],
  MEETING_PLACE: ["Koffieochtend", "Inloop voor mantelzorgers", "Huiskamer van de wijk", "Open tafel", "Praatcafe"],
  COURSE: ["Digitaal de baas", "Taalcafe Nederlands", "Omgaan met je smartphone", "Valpreventie", "Koken voor een persoon"],
  SERVICE: ["Repair cafe", "Belastinghulp", "Formulierenspreekuur", "Klusjesdienst"],
};
const ORGANISATION_KINDS = ["WIJKWINKEL", "COMMUNITY_CENTRE", "WELFARE", "SHOP"] as const;

/**
 * What the statistics read besides help requests, in proportion to the city: escalations (from
 * escalated requests, direct requests and overloaded care circles), care circles around the
 * mantelzorgers' relatives, organisations with initiatives, their dates and sign-ups, and a
 * participation place per neighbourhood with two years of placements. Each part has its own stream,
 * so the rows generated before (people, requests) do not change.
 */
function addCityLife(c: CityLife): void {
  const { db, anchorMs, T0, nbs, bump, tick } = c;
  const residentsByNb: number[][] = nbs.map(() => []);
  for (let i = 0; i < c.residentIds.length; i++) residentsByNb[c.residentNb[i]].push(i);
  const teamOf = (nb: number, kind: string) =>
    c.teams.find((t) => t.areaId === nbs[nb].areaId && t.kind === kind) ?? c.teams.find((t) => t.areaId === nbs[nb].areaId) ?? c.teams[0];
  const distinctResidents = (r: Prng, nb: number, k: number): string[] => {
    const pool = residentsByNb[nb].length >= k * 2 ? residentsByNb[nb] : residentsByNb.flat();
    const chosen = new Set<number>();
    while (chosen.size < Math.min(k, pool.length)) chosen.add(pool[r.int(0, pool.length - 1)]);
    return [...chosen].map((i) => c.residentIds[i]);
  };

  // Care circles: every mantelzorger's relative has one, the mantelzorger coordinates it, a few others join.
  const cr = new Prng(`zorgzaam-bench:${c.size.name}:care`);
  const insCircle = db.prepare("insert into care_circles (id, name, care_receiver_id, neighbourhood_id, created_by_id, created_at) values (?, ?, ?, ?, ?, ?)");
  const insMember = db.prepare(
    `insert into care_circle_members (circle_id, person_id, role, relation, joined_at, left_at, calendar_version)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insSignal = db.prepare(
    `insert into care_load_signals (id, circle_id, person_id, reason, detail, since, last_seen_at, resolved_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const overloaded: { circleId: string; receiver: string; nb: number; signalId: string; at: number }[] = [];
  for (const carer of c.carers) {
    const circleId = cr.id("circle");
    const createdAt = carer.at + 2 * HOUR;
    insCircle.run(
      circleId,
      cr.pick(["Zorg voor mama", "Zorg voor papa", "Zorg voor oma", "Zorg voor opa", "Mantelzorg", "Familie"]),
      carer.relative,
      nbs[carer.relativeNb].id,
      carer.id,
      createdAt,
    );
    bump("care_circles");
    insMember.run(circleId, carer.id, "COORDINATOR", "FAMILY", createdAt, null, 1);
    bump("care_circle_members");
    for (const other of distinctResidents(cr, carer.relativeNb, cr.int(0, 3))) {
      if (other === carer.id) continue;
      const joined = createdAt + cr.range(1, 60) * DAY;
      const left = cr.chance(0.1) ? Math.min(anchorMs - HOUR, joined + cr.range(30, 300) * DAY) : null;
      insMember.run(circleId, other, "MEMBER", cr.pick(["FAMILY", "FRIEND", "NEIGHBOUR"]), joined, left, 1);
      bump("care_circle_members");
      tick();
    }
    if (cr.chance(0.06)) {
      const at = Math.max(createdAt + DAY, T0 + cr.float() * (anchorMs - T0 - 2 * DAY));
      const signalId = cr.id("load");
      const since = at - cr.range(14, 42) * DAY;
      insSignal.run(
        signalId,
        circleId,
        carer.id,
        cr.chance(0.5) ? "INTENSIVE_HOURS" : "HIGH_STRAIN",
        "Draagt al weken de meeste zorg.",
        since,
        at,
        cr.chance(0.7) ? Math.min(anchorMs - HOUR, at + cr.range(7, 60) * DAY) : null,
      );
      bump("care_load_signals");
      overloaded.push({ circleId, receiver: carer.relative, nb: carer.relativeNb, signalId, at });
    }
    tick();
  }

  // Escalations: every escalated request, direct requests for help from a professional, and overloaded circles.
  const es = new Prng(`zorgzaam-bench:${c.size.name}:escalations`);
  const insEscalation = db.prepare(
    `insert into escalations (id, dedupe_key, trigger, flag_reason, reason_note, help_request_id, circle_id, subject_id, raised_by_id,
       neighbourhood_id, category_id, urgency, lead_team_id, co_team_id, routing_note, status, outcome, assignee_id, consent_bypass_basis,
       created_at, acknowledge_by, acknowledged_at, closed_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insAudit = db.prepare("insert into escalation_audit (id, escalation_id, kind, actor_id, note, at) values (?, ?, ?, ?, ?, ?)");
  const raise = (e: {
    family: string;
    trigger: string;
    flag: string | null;
    helpRequestId: string | null;
    circleId: string | null;
    subject: string;
    raisedBy: string | null;
    nb: number;
    categoryId: string | null;
    urgency: string;
    at: number;
  }) => {
    const id = es.id("esc");
    const age = anchorMs - e.at;
    const x = es.float();
    const status =
      age > 45 * DAY
        ? x < 0.95
          ? "CLOSED"
          : "IN_CARE"
        : age > 7 * DAY
          ? x < 0.5
            ? "CLOSED"
            : x < 0.85
              ? "IN_CARE"
              : "ACKNOWLEDGED"
          : x < 0.5
            ? "NEW"
            : x < 0.8
              ? "ACKNOWLEDGED"
              : "IN_CARE";
    const ackHours = ACK_HOURS[e.urgency] ?? 72;
    const acknowledgedAt = status === "NEW" ? null : Math.min(anchorMs - 2 * MIN, e.at + es.range(0.2, 1) * ackHours * HOUR);
    const closedAt = status === "CLOSED" ? Math.min(anchorMs - MIN, acknowledgedAt! + es.range(2, 40) * DAY) : null;
    const outcome = status === "CLOSED" ? OUTCOMES[es.weighted(OUTCOME_CUM)] : null;
    const safety = e.flag === "SAFETY";
    const lead = teamOf(e.nb, "SOCIAL_TEAM");
    insEscalation.run(
      id,
      `${e.family}:0`,
      e.trigger,
      e.flag,
      e.flag ? "Zorgen gemeld bij het helpen." : null,
      e.helpRequestId,
      e.circleId,
      e.subject,
      e.raisedBy,
      nbs[e.nb].id,
      e.categoryId,
      safety ? "URGENT" : e.urgency,
      lead.id,
      null,
      "Adult: sociaal wijkteam of the area.",
      status,
      outcome,
      null,
      safety ? "Wmo 2015 art. 5.2.6 (veiligheid)" : null,
      e.at,
      e.at + ackHours * HOUR,
      acknowledgedAt,
      closedAt,
      closedAt ?? acknowledgedAt ?? e.at,
    );
    bump("escalations");
    const audit: [string, number | null, string | null][] = [
      ["RAISED", e.at, e.trigger],
      ["ACKNOWLEDGED", acknowledgedAt, null],
    ];
    if (status === "IN_CARE" || status === "CLOSED") audit.push(["IN_CARE", acknowledgedAt, null]);
    if (closedAt) audit.push(["CLOSED", closedAt, outcome]);
    for (const [kind, at, note] of audit) {
      if (at === null) continue;
      insAudit.run(es.id("audit"), id, kind, kind === "RAISED" ? e.raisedBy : c.coordinators[0], note, at);
      bump("escalation_audit");
      tick();
    }
  };
  for (const r of c.escalated) {
    const x = es.float();
    const trigger = x < 0.45 ? "OPEN_TOO_LONG" : x < 0.6 ? "REPEATEDLY_RELEASED" : "FLAGGED";
    const flag = trigger === "FLAGGED" ? es.pick(FLAG_REASONS) : null;
    raise({
      family: `hr:${r.id}`,
      trigger,
      flag,
      helpRequestId: r.id,
      circleId: null,
      subject: r.helped,
      raisedBy: flag ? c.volunteerIds[es.int(0, c.volunteerIds.length - 1)] : null,
      nb: r.nb,
      categoryId: c.cats[r.cat].id,
      urgency: r.urgency,
      at: r.at,
    });
  }
  const direct = Math.round(c.size.requests * 0.004);
  for (let i = 0; i < direct; i++) {
    const r = es.int(0, c.residentIds.length - 1);
    const id = c.residentIds[r];
    raise({
      family: `direct:${es.id("esc")}`,
      trigger: "DIRECT_REQUEST",
      flag: es.pick(FLAG_REASONS),
      helpRequestId: null,
      circleId: null,
      subject: id,
      raisedBy: id,
      nb: c.residentNb[r],
      categoryId: null,
      urgency: es.pick(["NORMAL", "NORMAL", "HIGH", "URGENT"]),
      at: Math.floor(T0 + ((i + es.float()) / direct) * (anchorMs - T0 - HOUR)),
    });
  }
  for (const o of overloaded) {
    raise({
      family: `care:${o.signalId}`,
      trigger: "CARE_OVERLOAD",
      flag: null,
      helpRequestId: null,
      circleId: o.circleId,
      subject: o.receiver,
      raisedBy: null,
      nb: o.nb,
      categoryId: null,
      urgency: "HIGH",
      at: o.at,
    });
  }

  // Organisations (four per neighbourhood and a learning-work company), each with an organiser.
  const ir = new Prng(`zorgzaam-bench:${c.size.name}:initiatives`);
  const insOrg = db.prepare(
    `insert into organisations (id, name, kind, description, neighbourhood_id, address, phone, email, website, verified_at, verified_by_id,
       created_by_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insOrgMember = db.prepare("insert into organisation_members (organisation_id, person_id, role, added_by_id, added_at) values (?, ?, ?, ?, ?)");
  const insInitiative = db.prepare(
    `insert into initiatives (id, organisation_id, kind, status, title, description, neighbourhood_id, address, capacity, taken_count,
       waitlist_count, last_position, min_age, max_age, accessibility, recurrence, first_starts_at, last_ends_at, search_title, search_text,
       published_at, closed_at, close_reason, created_by_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insOccurrence = db.prepare("insert into initiative_occurrences (initiative_id, starts_at, ends_at) values (?, ?, ?)");
  const insInitCat = db.prepare("insert into initiative_categories (initiative_id, category_id) values (?, ?)");
  const insInitLang = db.prepare("insert into initiative_languages (initiative_id, language) values (?, ?)");
  const insSignup = db.prepare(
    `insert into initiative_signups (id, initiative_id, person_id, signed_up_by_id, status, position, note, created_at, updated_at,
       promoted_at, cancelled_at, cancelled_by_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insPlacement = db.prepare(
    `insert into participation_placements (id, initiative_id, organisation_id, participant_id, referred_by_id, status, note, decision_note,
       referred_at, accepted_at, started_at, ended_at, end_reason, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const organisers = new Set<string>();
  const addOrganisation = (nb: number, kind: string, name: string) => {
    const id = ir.id("org");
    let organiser = distinctResidents(ir, nb, 1)[0];
    for (let t = 0; t < 20 && organisers.has(organiser); t++) organiser = distinctResidents(ir, nb, 1)[0];
    const at = T0 - ir.range(30, 400) * DAY;
    if (!organisers.has(organiser)) c.grant(organiser, "ORGANISER", at);
    organisers.add(organiser);
    insOrg.run(id, name, kind, `${name}: voor en door de buurt.`, nbs[nb].id, null, null, null, null, at + DAY, c.coordinators[0], organiser, at, at + DAY);
    bump("organisations");
    insOrgMember.run(id, organiser, "ORGANISER", null, at);
    bump("organisation_members");
    return { id, organiser };
  };
  const ORG_NAMES: Record<string, string> = { WIJKWINKEL: "Wijkwinkel", COMMUNITY_CENTRE: "Buurthuis", WELFARE: "Welzijn", SHOP: "Buurtsuper" };
  const monthStart = (offset: number) => {
    const d = new Date(anchorMs);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  };
  for (let nb = 0; nb < nbs.length; nb++) {
    const orgs = ORGANISATION_KINDS.map((kind) => addOrganisation(nb, kind, `${ORG_NAMES[kind]} ${nbs[nb].name}`));
    // Initiatives: two to four start each month, from two years back to next month.
    for (let m = -24; m <= 1; m++) {
      const count = ir.int(2, 4);
      for (let k = 0; k < count; k++) {
        const org = ir.pick(orgs);
        const kind = INITIATIVE_KINDS[ir.weighted(INITIATIVE_KIND_CUM)];
        const title = ir.pick(INITIATIVE_TITLES[kind]);
        const first = monthStart(m) + ir.int(0, 27) * DAY + ir.int(36, 76) * 15 * MIN;
        const minutes = ir.pick([90, 120, 120, 180]);
        const y = ir.float();
        const recurrence =
          y < 0.3
            ? null
            : y < 0.8
              ? { frequency: "WEEKLY", interval: 1, count: ir.int(4, 12), until: null }
              : { frequency: "MONTHLY", interval: 1, count: ir.int(3, 6), until: null };
        const starts: number[] = [first];
        for (let j = 1; recurrence && j < recurrence.count!; j++) {
          if (recurrence.frequency === "WEEKLY") starts.push(first + j * 7 * DAY);
          else {
            const d = new Date(first);
            starts.push(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + j, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()));
          }
        }
        const lastEnds = starts[starts.length - 1] + minutes * MIN;
        const createdAt = Math.min(anchorMs - ir.int(2, 48) * HOUR, first - ir.range(7, 30) * DAY);
        const z = ir.float();
        const status = lastEnds <= anchorMs ? (z < 0.7 ? "ENDED" : z < 0.92 ? "PUBLISHED" : z < 0.97 ? "CANCELLED" : "DRAFT") : z < 0.9 ? "PUBLISHED" : "DRAFT";
        const publishedAt = status === "DRAFT" ? null : Math.min(anchorMs - HOUR, createdAt + ir.range(0, 3) * DAY);
        const closedAt =
          status === "ENDED" ? Math.min(anchorMs - MIN, lastEnds + ir.range(1, 10) * DAY) : status === "CANCELLED" ? publishedAt! + (first - publishedAt!) * ir.float() : null;
        const capacity = ir.chance(0.25) ? null : ir.int(8, 30);
        const id = ir.id("ini");
        const catIdx = ir.sample(
          c.cats.map((_, i) => i),
          ir.int(1, 2),
        );
        // Sign-ups: up to the places (and a waiting list beyond), fewer for dates still to come.
        let demand = capacity ? Math.round(capacity * ir.range(0.3, 1.3)) : ir.int(3, 25);
        if (first > anchorMs) demand = Math.round(demand * ir.range(0.2, 0.8));
        if (status === "DRAFT") demand = 0;
        const people = distinctResidents(ir, nb, demand);
        let confirmed = 0;
        let waitlisted = 0;
        const signups: unknown[][] = [];
        for (let p = 0; p < people.length; p++) {
          const signedAt = Math.min(anchorMs - MIN, publishedAt! + (Math.min(first, anchorMs) - publishedAt!) * ir.float());
          const full = capacity !== null && confirmed >= capacity;
          let st = full ? "WAITLISTED" : "CONFIRMED";
          let cancelledAt: number | null = null;
          if (status === "CANCELLED") {
            st = "CANCELLED";
            cancelledAt = closedAt;
          } else if (ir.chance(0.08)) {
            st = "CANCELLED";
            cancelledAt = Math.min(anchorMs - MIN, signedAt + (Math.max(signedAt, Math.min(first, anchorMs)) - signedAt) * ir.float());
          }
          if (st === "CONFIRMED") confirmed += 1;
          if (st === "WAITLISTED") waitlisted += 1;
          signups.push([ir.id("sgn"), id, people[p], people[p], st, p + 1, null, signedAt, cancelledAt ?? signedAt, null, cancelledAt, cancelledAt ? people[p] : null]);
        }
        const searchText = normaliseText([title, `${title} in ${nbs[nb].name}`, nbs[nb].name, kind.replace(/_/g, " "), ...catIdx.map((i) => c.cats[i].code)].join(" "));
        insInitiative.run(
          id,
          org.id,
          kind,
          status,
          title,
          `${title} in ${nbs[nb].name}. Iedereen is welkom.`,
          nbs[nb].id,
          null,
          capacity,
          confirmed,
          waitlisted,
          signups.length,
          null,
          null,
          null,
          recurrence ? JSON.stringify(recurrence) : null,
          first,
          lastEnds,
          normaliseText(title),
          searchText,
          publishedAt,
          closedAt,
          status === "CANCELLED" ? "Te weinig begeleiders." : null,
          org.organiser,
          createdAt,
          closedAt ?? publishedAt ?? createdAt,
        );
        bump("initiatives");
        for (const s of starts) {
          insOccurrence.run(id, s, s + minutes * MIN);
          bump("initiative_occurrences");
          tick();
        }
        for (const i of catIdx) {
          insInitCat.run(id, c.cats[i].id);
          bump("initiative_categories");
        }
        insInitLang.run(id, "nl");
        bump("initiative_languages");
        for (const s of signups) {
          insSignup.run(...s);
          bump("initiative_signups");
          tick();
        }
      }
    }

    // A participation place at a learning-work company, with placements over the two years.
    const lwc = addOrganisation(nb, "LEARNING_WORK_COMPANY", `Leerwerkbedrijf ${nbs[nb].name}`);
    const placeId = ir.id("ini");
    const capacity = ir.int(6, 16);
    const publishedAt = T0 - ir.range(30, 200) * DAY;
    const ended = ir.chance(0.1);
    const closedAt = ended ? anchorMs - ir.range(10, 180) * DAY : null;
    const until = closedAt ?? anchorMs;
    let taken = 0;
    const placements: unknown[][] = [];
    for (let slot = 0; slot < capacity; slot++) {
      let t = publishedAt + ir.range(0, 60) * DAY;
      while (t < until - DAY) {
        const participant = distinctResidents(ir, nb, 1)[0];
        const referredAt = t - ir.range(7, 30) * DAY;
        if (ir.chance(0.1)) {
          placements.push([
            ir.id("plc"),
            placeId,
            lwc.id,
            participant,
            ir.pick(c.coordinators),
            "DECLINED",
            null,
            "Past nu niet.",
            referredAt,
            null,
            null,
            null,
            null,
            referredAt + 5 * DAY,
          ]);
        }
        const end = t + ir.range(60, 300) * DAY;
        const running = end >= until && !ended;
        const endedAt = running ? null : Math.min(end, until - MIN);
        if (running) taken += 1;
        placements.push([
          ir.id("plc"),
          placeId,
          lwc.id,
          participant,
          ir.pick(c.coordinators),
          running ? "STARTED" : "ENDED",
          null,
          null,
          referredAt,
          t - ir.range(1, 7) * DAY,
          t,
          endedAt,
          endedAt ? "Doorgestroomd naar werk of opleiding." : null,
          endedAt ?? t,
        ]);
        t = end + ir.range(7, 60) * DAY;
      }
    }
    const title = `Participatieplekken ${nbs[nb].name}`;
    insInitiative.run(
      placeId,
      lwc.id,
      "PARTICIPATION_PLACE",
      ended ? "ENDED" : "PUBLISHED",
      title,
      "Werken en leren met begeleiding op maat.",
      nbs[nb].id,
      null,
      capacity,
      taken,
      0,
      0,
      18,
      null,
      null,
      null,
      null,
      null,
      normaliseText(title),
      normaliseText(`${title} participation place`),
      publishedAt,
      closedAt,
      ended ? "Het project is afgerond." : null,
      lwc.organiser,
      publishedAt - DAY,
      closedAt ?? publishedAt,
    );
    bump("initiatives");
    for (const p of placements) {
      insPlacement.run(...p);
      bump("participation_placements");
      tick();
    }
  }
}

function birthDateLike(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function main() {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const size = (value("--size") ?? "tiny") as SizeName;
  const anchor = value("--anchor");
  const manifest = await ensureData(size, {
    force: args.includes("--force"),
    anchorMs: anchor ? Date.parse(`${anchor}T00:00:00Z`) : undefined,
  });
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
