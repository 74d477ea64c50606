/**
 * Statistics floor: the whole answer of the `stats` query (every figure of every neighbourhood and
 * month, suppressed as the server suppresses it) computed straight from the SQLite file with
 * better-sqlite3 prepared statements, then written as JSON. Counts that need no sets (volunteers,
 * escalations, initiatives, places) are aggregated in SQL; the requests asked, with their first match,
 * are read in one statement and counted in one pass (faster here than SQL's count(distinct) and
 * window functions for the median). No GraphQL, no
 * drizzle, no HTTP. Run as a worker on the server core (BENCH_CONFIG: file, queries, requests,
 * warmupRequests); prints one JSON line: per query the latencies, the cells and the answer.
 *
 * The suppression rules are the app's own pure functions (src/modules/stats/stats.suppression.ts),
 * so the floor measures how the figures are read and assembled, not different rules.
 */
import "reflect-metadata";
import BetterSqlite3 from "better-sqlite3";
import { monthIndex, monthRange, parseMonth } from "../src/modules/stats/stats.months.js";
import {
  type Basis,
  type Figure,
  type PlacementSpan,
  SUPPRESSION_THRESHOLD,
  countFigure,
  hidden,
  measureFigure,
  median,
  newBasis,
  placementGroupPublishable,
  protectParts,
  shareFigure,
  shown,
  utilisationFigure,
} from "../src/modules/stats/stats.suppression.js";
import type { StatsCell } from "../src/modules/stats/stats.service.js";
import { config, result } from "./lib/proc.js";
import { round, summarise } from "./lib/stats.js";

export interface FloorQuery {
  from: string;
  to: string;
  /** null: every neighbourhood (the whole city). */
  neighbourhoodIds: string[] | null;
}

/** One cell as the benchmark compares it: the service's own cell shape (the GraphQL answer is normalised to it). */
export type ComparableCell = StatsCell;

interface Tally {
  count: number;
  basis: Basis;
}
const tally = (): Tally => ({ count: 0, basis: newBasis() });

interface Cell {
  requests: Tally;
  matched: Tally;
  unmatched: Tally;
  hours: number[];
  mantelzorgers: Basis;
  categories: Map<string, Tally>;
  volunteers: Basis;
  escalations: Map<string, { trigger: string; outcome: string | null } & Tally>;
  initiatives: Set<string>;
  places: number;
  placed: Map<string, PlacementSpan[]>;
}

const newCell = (): Cell => ({
  requests: tally(),
  matched: tally(),
  unmatched: tally(),
  hours: [],
  mantelzorgers: newBasis(),
  categories: new Map(),
  volunteers: newBasis(),
  escalations: new Map(),
  initiatives: new Set(),
  places: 0,
  placed: new Map(),
});

/** The prepared statements of one query (period and neighbourhoods), and how to turn them into the answer. */
export function prepareFloor(db: BetterSqlite3.Database, q: FloorQuery) {
  const range = monthRange(parseMonth(q.from)!, parseMonth(q.to)!);
  const b = range.bounds;
  const from = b[0];
  const to = b[b.length - 1];
  const months = `mo(i, s, e) as (values ${range.labels.map((_, i) => `(${i}, ${b[i]}, ${b[i + 1]})`).join(", ")})`;
  const all = db.prepare("select id, name from neighbourhoods").all() as { id: string; name: string }[];
  const categoryIds = (db.prepare("select id from help_categories").all() as { id: string }[]).map((c) => c.id).sort((x, y) => x.localeCompare(y));
  const names = new Map(all.map((n) => [n.id, n.name]));
  const nbIds = (q.neighbourhoodIds ? [...new Set(q.neighbourhoodIds)] : all.map((n) => n.id)).sort((x, y) => (names.get(x) ?? x).localeCompare(names.get(y) ?? y));
  const only = (col: string) => (q.neighbourhoodIds ? ` and ${col} in (${nbIds.map(() => "?").join(", ")})` : "");
  const nbParams = q.neighbourhoodIds ? nbIds : [];
  /** When an account was created; null for people without an account (no e-mail). */
  const account = (col: string) => `(select pp.created_at from people pp where pp.id = ${col} and pp.email is not null)`;

  // The requests asked in the period with their first match in it, and when the asker's account was made.
  const asked = db.prepare(
    `with fm as (
       select e.help_request_id id, min(e.at) at from help_request_events e join help_requests hr on hr.id = e.help_request_id
       where hr.created_at >= ? and hr.created_at < ?${only("hr.neighbourhood_id")} and e.to_status = 'MATCHED' and e.at >= ? and e.at < ? group by e.help_request_id)
     select hr.created_at c, hr.neighbourhood_id nb, hr.category_id cat, hr.person_helped_id p, hr.asked_by_id a, ${account("hr.asked_by_id")} ac, fm.at at
     from help_requests hr left join fm on fm.id = hr.id where hr.created_at >= ? and hr.created_at < ?${only("hr.neighbourhood_id")}`,
  );
  const careRelations = db.prepare("select cm.person_id m, cc.care_receiver_id r from care_circle_members cm join care_circles cc on cc.id = cm.circle_id");
  const volunteers = db.prepare(
    `select x.at at, x.nb nb, x.v v, ${account("x.v")} vc from (
       select e.at at, hr.neighbourhood_id nb, case when hr.organisation_id is not null then hr.volunteer_id else e.actor_id end v
       from help_request_events e join help_requests hr on hr.id = e.help_request_id
       where e.to_status = 'MATCHED' and e.at >= ? and e.at < ?${only("hr.neighbourhood_id")}) x
     where x.v is not null`,
  );
  const escalations = db.prepare(
    `select created_at c, closed_at closed, neighbourhood_id nb, trigger, outcome, subject_id s, coalesce(raised_by_id, subject_id) r,
       ${account("coalesce(raised_by_id, subject_id)")} rc
     from escalations where created_at >= ? and created_at < ?${only("neighbourhood_id")}`,
  );
  const dated = db.prepare(
    `select distinct o.starts_at at, i.neighbourhood_id nb, i.id id, i.capacity cap, org.verified_at verified
     from initiative_occurrences o join initiatives i on i.id = o.initiative_id join organisations org on org.id = i.organisation_id
     where o.starts_at >= ? and o.starts_at < ? and i.capacity is not null and i.status in ('PUBLISHED', 'ENDED') and org.verified_at is not null${only("i.neighbourhood_id")}`,
  );
  const signups = db.prepare(
    `select s.initiative_id id, s.person_id p, s.signed_up_by_id by, ${account("s.signed_up_by_id")} bc, s.created_at c, s.promoted_at promoted, s.cancelled_at cancelled
     from initiative_signups s where s.status in ('CONFIRMED', 'CANCELLED') and s.initiative_id in (
       select o.initiative_id from initiative_occurrences o join initiatives i on i.id = o.initiative_id
       where o.starts_at >= ? and o.starts_at < ? and i.capacity is not null${only("i.neighbourhood_id")})`,
  );
  const openPlace = `p.kind = 'PARTICIPATION_PLACE' and p.status in ('PUBLISHED', 'ENDED') and p.published_at is not null
    and org.verified_at is not null and org.verified_at < mo.e
    and p.published_at < ? and (p.closed_at is null or p.closed_at >= ?)${only("p.neighbourhood_id")}`;
  const places = db.prepare(
    `with ${months} select mo.i m, p.neighbourhood_id nb, sum(coalesce(p.capacity, 0)) places
     from initiatives p join organisations org on org.id = p.organisation_id join mo on p.published_at < mo.e and (p.closed_at is null or p.closed_at >= mo.s)
     where ${openPlace} group by 1, 2`,
  );
  const placed = db.prepare(
    `with ${months} select mo.i m, p.neighbourhood_id nb, p.organisation_id org, pl.participant_id person, pl.started_at s, pl.ended_at e
     from initiatives p join organisations org on org.id = p.organisation_id join mo on p.published_at < mo.e and (p.closed_at is null or p.closed_at >= mo.s)
     join participation_placements pl on pl.initiative_id = p.id and pl.started_at is not null and pl.started_at < mo.e
       and (pl.ended_at is null or pl.ended_at >= mo.s)
     where ${openPlace}`,
  );

  return {
    months: range.labels,
    neighbourhoodIds: nbIds,
    /** The answer: every cell, months oldest first, neighbourhoods by name. */
    answer(): ComparableCell[] {
      const now = Date.now();
      const nbIndex = new Map(nbIds.map((id, i) => [id, i]));
      const cells: Cell[] = Array.from({ length: range.labels.length * nbIds.length }, newCell);
      const at = (ms: number, nb: string): [number, Cell | undefined] => {
        const m = monthIndex(range, ms);
        const n = nbIndex.get(nb);
        return [m, m < 0 || n === undefined ? undefined : cells[m * nbIds.length + n]];
      };
      const established = (created: number | null, m: number) => created !== null && created < b[m];
      const add = (t: Tally, person: string, accountId: string, created: number | null, m: number) => {
        t.count += 1;
        t.basis.people.add(person);
        if (established(created, m)) t.basis.accounts.add(accountId);
      };
      const period = [from, to, ...nbParams];
      const carers = new Set((careRelations.all() as { m: string; r: string }[]).map((r) => `${r.m}|${r.r}`));
      for (const r of asked.all(from, to, ...nbParams, from, to, from, to, ...nbParams) as {
        c: number;
        nb: string;
        cat: string;
        p: string;
        a: string;
        ac: number | null;
        at: number | null;
      }[]) {
        const [m, c] = at(r.c, r.nb);
        if (!c) continue;
        add(c.requests, r.p, r.a, r.ac, m);
        let cat = c.categories.get(r.cat);
        if (!cat) c.categories.set(r.cat, (cat = tally()));
        add(cat, r.p, r.a, r.ac, m);
        if (r.at !== null && r.at < b[m + 1]) {
          add(c.matched, r.p, r.a, r.ac, m);
          c.hours.push(Math.max(0, r.at - r.c) / 3_600_000);
          if (r.a !== r.p && carers.has(`${r.a}|${r.p}`)) {
            c.mantelzorgers.people.add(r.a);
            if (established(r.ac, m)) c.mantelzorgers.accounts.add(r.a);
          }
        } else add(c.unmatched, r.p, r.a, r.ac, m);
      }
      for (const r of volunteers.all(...period) as { at: number; nb: string; v: string; vc: number | null }[]) {
        const [m, c] = at(r.at, r.nb);
        if (!c) continue;
        c.volunteers.people.add(r.v);
        if (established(r.vc, m)) c.volunteers.accounts.add(r.v);
      }
      for (const r of escalations.all(...period) as {
        c: number;
        closed: number | null;
        nb: string;
        trigger: string;
        outcome: string | null;
        s: string;
        r: string;
        rc: number | null;
      }[]) {
        const [m, c] = at(r.c, r.nb);
        if (!c) continue;
        const outcome = r.closed !== null && r.closed < b[m + 1] ? r.outcome : null;
        const key = `${r.trigger}|${outcome ?? ""}`;
        let g = c.escalations.get(key);
        if (!g) c.escalations.set(key, (g = { trigger: r.trigger, outcome, ...tally() }));
        add(g, r.s, r.r, r.rc, m);
      }
      const capacityOf = new Map<string, number>();
      for (const r of dated.all(...period) as { at: number; nb: string; id: string; cap: number; verified: number }[]) {
        const [m, c] = at(r.at, r.nb);
        if (!c || r.verified >= b[m + 1]) continue;
        capacityOf.set(r.id, r.cap);
        c.initiatives.add(r.id);
      }
      const signupsOf = new Map<string, { p: string; by: string; bc: number | null; c: number; promoted: number | null; cancelled: number | null }[]>();
      for (const r of signups.all(...period) as { id: string; p: string; by: string; bc: number | null; c: number; promoted: number | null; cancelled: number | null }[]) {
        const list = signupsOf.get(r.id);
        if (list) list.push(r);
        else signupsOf.set(r.id, [r]);
      }
      const placeParams = [to, from, ...nbParams];
      for (const r of places.all(...placeParams) as { m: number; nb: string; places: number }[]) {
        const n = nbIndex.get(r.nb);
        if (n !== undefined) cells[r.m * nbIds.length + n].places = r.places;
      }
      for (const r of placed.all(...placeParams) as { m: number; nb: string; org: string; person: string; s: number; e: number | null }[]) {
        const n = nbIndex.get(r.nb);
        if (n === undefined) continue;
        const c = cells[r.m * nbIds.length + n];
        let list = c.placed.get(r.org);
        if (!list) c.placed.set(r.org, (list = []));
        list.push({ participantId: r.person, startedAt: new Date(r.s), endedAt: r.e === null ? null : new Date(r.e) });
      }

      const out: ComparableCell[] = [];
      for (let m = 0; m < range.labels.length; m++) {
        const end = b[m + 1];
        const closed = end <= now;
        for (let n = 0; n < nbIds.length; n++) {
          const c = cells[m * nbIds.length + n];
          const base = { month: range.labels[m], neighbourhoodId: nbIds[n], closed };
          if (!closed) {
            out.push({
              ...base,
              requests: hidden,
              requestsByCategory: categoryIds.map((categoryId) => ({ categoryId, requests: hidden })),
              matchedByVolunteers: hidden,
              medianHoursToMatch: hidden,
              escalations: [],
              initiativeFillRate: hidden,
              participationUtilisation: hidden,
              activeVolunteers: hidden,
              mantelzorgersSupported: hidden,
            });
            continue;
          }
          const parts = protectParts(
            c.requests,
            categoryIds.map((key) => ({ key, ...(c.categories.get(key) ?? tally()) })),
          );
          const med = median(c.hours);
          let capacity = 0;
          let taken = 0;
          const fillBasis = newBasis();
          for (const id of c.initiatives) {
            const cap = capacityOf.get(id) ?? 0;
            const held = (signupsOf.get(id) ?? []).filter((s) => (s.promoted ?? s.c) < end && (s.cancelled === null || s.cancelled >= end));
            const holders = new Set(held.map((s) => s.p)).size;
            if (holders > 0 && holders < SUPPRESSION_THRESHOLD) continue;
            capacity += cap;
            taken += Math.min(cap, held.length);
            for (const s of held) {
              fillBasis.people.add(s.p);
              if (established(s.bc, m)) fillBasis.accounts.add(s.by);
            }
          }
          const placedBasis = newBasis();
          for (const list of c.placed.values()) {
            if (!placementGroupPublishable(list, b[m], end)) continue;
            for (const p of list) {
              placedBasis.people.add(p.participantId);
              placedBasis.accounts.add(p.participantId);
            }
          }
          const fill: Figure = capacity <= 0 ? shown(null) : countFigure(0, fillBasis).suppressed ? hidden : shown(Math.min(1, taken / capacity));
          out.push({
            ...base,
            requests: parts.total,
            requestsByCategory: parts.parts.map((p) => ({ categoryId: p.key, requests: p.figure })),
            matchedByVolunteers: shareFigure(c.matched, c.unmatched),
            medianHoursToMatch: measureFigure(med === null ? null : Math.round(med * 10) / 10, c.matched.basis),
            escalations: [...c.escalations.values()]
              .map((e) => ({ trigger: e.trigger, outcome: e.outcome, cases: countFigure(e.count, e.basis) }))
              .filter((e) => !e.cases.suppressed)
              .sort((x, y) => `${x.trigger}|${x.outcome}`.localeCompare(`${y.trigger}|${y.outcome}`)),
            initiativeFillRate: fill,
            participationUtilisation: utilisationFigure(placedBasis, c.places),
            activeVolunteers: countFigure(c.volunteers.people.size, c.volunteers),
            mantelzorgersSupported: countFigure(c.mantelzorgers.people.size, c.mantelzorgers),
          });
        }
      }
      return out;
    },
  };
}

interface FloorConfig {
  file: string;
  queries: Record<string, FloorQuery>;
  requests: number;
  warmupRequests: number;
}

export interface FloorRun {
  cells: number;
  bytes: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  answer: ComparableCell[];
}

function main() {
  const cfg = config<FloorConfig>();
  const db = new BetterSqlite3(cfg.file, { readonly: true });
  const out: Record<string, FloorRun> = {};
  for (const [label, q] of Object.entries(cfg.queries)) {
    const floor = prepareFloor(db, q);
    let json = "";
    for (let i = 0; i < cfg.warmupRequests; i++) json = JSON.stringify(floor.answer());
    const times: number[] = [];
    for (let i = 0; i < cfg.requests; i++) {
      const t0 = performance.now();
      json = JSON.stringify(floor.answer());
      times.push(performance.now() - t0);
    }
    const s = summarise(times);
    const answer = JSON.parse(json) as ComparableCell[];
    out[label] = {
      cells: answer.length,
      bytes: Buffer.byteLength(json),
      latencyMs: { mean: round(s.mean, 3), p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) },
      answer,
    };
  }
  db.close();
  result(out);
}

if (process.env.BENCH_CONFIG && process.argv[1]?.endsWith("stats-floor.ts")) main();
