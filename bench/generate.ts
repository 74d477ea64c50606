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
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hash } from "@node-rs/argon2";
import BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "../src/db/client.js";
import { areas as dordrechtAreas, categories, neighbourhoods as dordrechtNeighbourhoods, teams as dordrechtTeams } from "../seeds/reference-data.js";
import { Prng, cumulative } from "./lib/prng.js";
import { type Size, type SizeName, sizeNamed } from "./lib/sizes.js";
import {
  DESCRIPTION_ASKS,
  DESCRIPTION_OPENINGS,
  FIRST_NAMES,
  LANGUAGES,
  LAST_NAMES,
  STREETS,
  TITLES,
} from "./lib/words.js";

/** Bump when the generated rows change, so existing files are rebuilt. */
export const GENERATOR_VERSION = 3;
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
export async function ensureData(
  sizeName: SizeName,
  opts: { force?: boolean; anchorMs?: number; log?: (line: string) => void } = {},
): Promise<DataManifest> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const existing = readManifest(sizeName);
  const reason = opts.force ? "forced" : staleReason(existing);
  if (!reason && existing && (opts.anchorMs === undefined || opts.anchorMs === existing.anchorMs)) {
    // The app may have gained migrations since the file was built: apply them, as the server would.
    const db = openDatabase(existing.file);
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
const PAST: [Status, number][] = [["DONE", 0.64], ["EXPIRED", 0.19], ["CANCELLED", 0.14], ["ESCALATED", 0.03]];
const LIVE_AHEAD: [Status, number][] = [["OPEN", 0.68], ["MATCHED", 0.24], ["CANCELLED", 0.08]];
const LIVE_STARTED: [Status, number][] = [["OPEN", 0.45], ["MATCHED", 0.12], ["IN_PROGRESS", 0.25], ["DONE", 0.1], ["CANCELLED", 0.08]];

async function build(size: Size, anchorMs: number, log: (line: string) => void): Promise<DataManifest> {
  const started = Date.now();
  mkdirSync(DATA_DIR, { recursive: true });
  const final = dataFile(size.name);
  const tmp = `${final}.building`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });

  // 1. The app's schema, exactly: its own open + migrate.
  const appDb = openDatabase(tmp);
  await appDb.migrate();
  await appDb.close();

  // 2. Bulk load with prepared statements; secondary indexes are dropped and recreated with their own SQL.
  const db = new BetterSqlite3(tmp);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("cache_size = -1000000");
  db.pragma("temp_store = MEMORY");
  const indexes = db
    .prepare("select name, sql from sqlite_master where type = 'index' and sql is not null")
    .all() as { name: string; sql: string }[];
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
  for (const a of places.areas) insArea.run(a.id, a.municipality, a.name), bump("areas");
  const insNb = db.prepare("insert into neighbourhoods (id, area_id, name, latitude, longitude) values (?, ?, ?, ?, ?)");
  for (const n of nbs) insNb.run(n.id, n.areaId, n.name, n.latitude, n.longitude), bump("neighbourhoods");
  const insCat = db.prepare("insert into help_categories (id, code, name, name_nl, description) values (?, ?, ?, ?, ?)");
  for (const c of cats) insCat.run(c.id, c.code, c.name, c.nameNl, c.description), bump("help_categories");
  const insTeam = db.prepare("insert into teams (id, area_id, kind, name) values (?, ?, ?, ?)");
  for (const t of places.teams) insTeam.run(t.id, t.areaId, t.kind, t.name), bump("teams");

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
      ? `${first}.${last}.${personSeq}@bench.zorgzaam.example`.toLowerCase().normalize("NFD").replace(/[^a-z0-9.@]+/g, "")
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
  const carers: { id: string; relative: string; relativeNb: number }[] = [];
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
      carers.push({ id, relative, relativeNb: relNb });
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
    const slots = Array.from({ length: pr.int(1, 4) }, () => {
      const from = pr.pick([9, 10, 13, 14, 18, 19]);
      return { weekday: pr.int(1, 7), from: `${String(from).padStart(2, "0")}:00`, to: `${String(from + pr.int(2, 3)).padStart(2, "0")}:00` };
    });
    const issued = vog === "NONE" ? null : birthDateLike(at + pr.range(0, 30) * DAY);
    const reviewed = vog === "VERIFIED" || vog === "REJECTED";
    const reviewedAt = reviewed ? Math.min(anchorMs - HOUR, at + pr.range(1, 20) * DAY) : null;
    insProfile.run(
      id,
      JSON.stringify(languages),
      JSON.stringify(slots),
      vog,
      issued,
      reviewed ? pr.pick(coordinators) : null,
      reviewedAt,
      reviewedAt ?? at,
    );
    bump("volunteer_profiles");
    for (const c of catIdx) insVolCat.run(id, cats[c].id), bump("volunteer_categories"), tick();
    for (const n of covered) insVolNb.run(id, nbs[n].id), bump("volunteer_neighbourhoods"), tick();
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
  const insEvent = db.prepare(
    "insert into help_request_events (id, help_request_id, from_status, to_status, actor_id, note, at) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const rq = new Prng(`zorgzaam-bench:${size.name}:requests`);
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
    const lead =
      urgency === "URGENT" ? rq.range(1, 24) * HOUR
      : urgency === "HIGH" ? rq.range(6, 72) * HOUR
      : urgency === "NORMAL" ? rq.range(1, 14) * DAY
      : rq.range(3, 21) * DAY;
    const windowStart = Math.ceil((created + lead) / (15 * MIN)) * 15 * MIN;
    const windowEnd = windowStart + (rq.chance(0.45) ? rq.int(2, 12) * HOUR : rq.int(1, 28) * DAY);
    const status =
      windowEnd <= anchorMs ? pickStatus(rq, PAST)
      : windowStart > anchorMs ? pickStatus(rq, LIVE_AHEAD)
      : pickStatus(rq, LIVE_STARTED);
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
    tick();
    for (const [from, to, actor, note, at] of events) {
      insEvent.run(rq.id("hre"), id, from, to, actor, note, at);
      bump("help_request_events");
      tick();
    }
    if ((i + 1) % 500_000 === 0) log(`[data] ${size.name}: ${i + 1} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
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
    probes: { browseVolunteer: volunteerIds[1], wideVolunteer: volunteerIds[0], resident: residentIds[0] },
  };
  writeFileSync(manifestFile(size.name), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`[data] ${size.name}: done in ${manifest.buildSeconds} s (${(fileBytes / 1e6).toFixed(0)} MB)`);
  return manifest;
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
