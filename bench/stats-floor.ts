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
import BetterSqlite3 from "better-sqlite3";
import { monthIndex, monthRange, parseMonth } from "../src/modules/stats/stats.months.js";
import {
  type Figure,
  countFigure,
  measureFigure,
  median,
  protectParts,
  shareFigure,
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

interface Cell {
  n: number;
  people: Set<string>;
  matched: number;
  matchedPeople: Set<string>;
  unmatchedPeople: Set<string>;
  hours: number[];
  mantelzorgers: Set<string>;
  categories: Map<string, { key: string; count: number; people: Set<string> }>;
  volunteers: number;
  escalations: { trigger: string; outcome: string | null; count: number; people: number }[];
  capacity: number;
  taken: number;
  signedUp: number;
  places: number;
  placed: number;
}

const newCell = (): Cell => ({
  n: 0,
  people: new Set(),
  matched: 0,
  matchedPeople: new Set(),
  unmatchedPeople: new Set(),
  hours: [],
  mantelzorgers: new Set(),
  categories: new Map(),
  volunteers: 0,
  escalations: [],
  capacity: 0,
  taken: 0,
  signedUp: 0,
  places: 0,
  placed: 0,
});

/** The prepared statements of one query (period and neighbourhoods), and how to turn them into the answer. */
export function prepareFloor(db: BetterSqlite3.Database, q: FloorQuery) {
  const range = monthRange(parseMonth(q.from)!, parseMonth(q.to)!);
  const b = range.bounds;
  const from = b[0];
  const to = b[b.length - 1];
  // The month of an instant known to be in [from, to): a CASE over the month bounds (Europe/Amsterdam).
  const month = (col: string) => `case ${b.slice(1, -1).map((x, i) => `when ${col} < ${x} then ${i}`).join(" ")} else ${b.length - 2} end`;
  const months = `mo(i, s, e) as (values ${range.labels.map((_, i) => `(${i}, ${b[i]}, ${b[i + 1]})`).join(", ")})`;
  const all = db.prepare("select id, name from neighbourhoods").all() as { id: string; name: string }[];
  const names = new Map(all.map((n) => [n.id, n.name]));
  const nbIds = (q.neighbourhoodIds ? [...new Set(q.neighbourhoodIds)] : all.map((n) => n.id)).sort((x, y) =>
    (names.get(x) ?? x).localeCompare(names.get(y) ?? y),
  );
  const only = (col: string) => (q.neighbourhoodIds ? ` and ${col} in (${nbIds.map(() => "?").join(", ")})` : "");
  const nbParams = q.neighbourhoodIds ? nbIds : [];

  // The requests asked in the period with their first match (a match of such a request is never before `from`).
  const asked = db.prepare(
    `with fm as (
       select e.help_request_id id, min(e.at) at from help_request_events e join help_requests hr on hr.id = e.help_request_id
       where hr.created_at >= ? and hr.created_at < ?${only("hr.neighbourhood_id")} and e.to_status = 'MATCHED' and e.at >= ? group by e.help_request_id)
     select hr.created_at c, hr.neighbourhood_id nb, hr.category_id cat, hr.person_helped_id p, hr.asked_by_id a, fm.at at
     from help_requests hr left join fm on fm.id = hr.id where hr.created_at >= ? and hr.created_at < ?${only("hr.neighbourhood_id")}`,
  );
  const careRelations = db.prepare("select cm.person_id m, cc.care_receiver_id r from care_circle_members cm join care_circles cc on cc.id = cm.circle_id");
  const volunteers = db.prepare(
    `select ${month("e.at")} m, hr.neighbourhood_id nb,
       count(distinct case when hr.organisation_id is not null then hr.volunteer_id else e.actor_id end) v
     from help_request_events e join help_requests hr on hr.id = e.help_request_id
     where e.to_status = 'MATCHED' and e.at >= ? and e.at < ?${only("hr.neighbourhood_id")} group by 1, 2`,
  );
  const escalations = db.prepare(
    `select ${month("created_at")} m, neighbourhood_id nb, trigger, outcome, count(*) n, count(distinct subject_id) people
     from escalations where created_at >= ? and created_at < ?${only("neighbourhood_id")} group by 1, 2, 3, 4`,
  );
  const dated = `d as (
    select distinct ${month("o.starts_at")} m, i.neighbourhood_id nb, i.id id, i.capacity cap
    from initiative_occurrences o join initiatives i on i.id = o.initiative_id
    where o.starts_at >= ? and o.starts_at < ? and i.capacity is not null and i.status in ('PUBLISHED', 'ENDED')${only("i.neighbourhood_id")})`;
  const fill = db.prepare(
    `with ${dated}, s as (
       select initiative_id id, count(*) n from initiative_signups where status = 'CONFIRMED' and initiative_id in (select id from d) group by initiative_id)
     select d.m m, d.nb nb, sum(d.cap) cap, sum(min(d.cap, coalesce(s.n, 0))) taken from d left join s on s.id = d.id group by 1, 2`,
  );
  const signedUp = db.prepare(
    `with ${dated}
     select d.m m, d.nb nb, count(distinct s.person_id) people from d join initiative_signups s on s.initiative_id = d.id and s.status = 'CONFIRMED' group by 1, 2`,
  );
  const openPlace = `p.kind = 'PARTICIPATION_PLACE' and p.status in ('PUBLISHED', 'ENDED') and p.published_at is not null
    and p.published_at < ? and (p.closed_at is null or p.closed_at >= ?)${only("p.neighbourhood_id")}`;
  const places = db.prepare(
    `with ${months} select mo.i m, p.neighbourhood_id nb, sum(coalesce(p.capacity, 0)) places
     from initiatives p join mo on p.published_at < mo.e and (p.closed_at is null or p.closed_at >= mo.s) where ${openPlace} group by 1, 2`,
  );
  const placed = db.prepare(
    `with ${months} select mo.i m, p.neighbourhood_id nb, count(distinct pl.participant_id) people
     from initiatives p join mo on p.published_at < mo.e and (p.closed_at is null or p.closed_at >= mo.s)
     join participation_placements pl on pl.initiative_id = p.id and pl.started_at is not null and pl.started_at < mo.e
       and (pl.ended_at is null or pl.ended_at >= mo.s)
     where ${openPlace} group by 1, 2`,
  );

  type Row = { m: number; nb: string } & Record<string, number | string | null>;
  return {
    months: range.labels,
    neighbourhoodIds: nbIds,
    /** The answer: every cell, months oldest first, neighbourhoods by name. */
    answer(): ComparableCell[] {
      const nbIndex = new Map(nbIds.map((id, i) => [id, i]));
      const cells: Cell[] = Array.from({ length: range.labels.length * nbIds.length }, newCell);
      const at = (r: Row) => {
        const n = nbIndex.get(r.nb);
        return n === undefined ? undefined : cells[r.m * nbIds.length + n];
      };
      const period = [from, to, ...nbParams];
      const carers = new Set((careRelations.all() as { m: string; r: string }[]).map((r) => `${r.m}|${r.r}`));
      for (const r of asked.all(from, to, ...nbParams, from, from, to, ...nbParams) as { c: number; nb: string; cat: string; p: string; a: string; at: number | null }[]) {
        const m = monthIndex(range, r.c);
        const n = nbIndex.get(r.nb);
        if (m < 0 || n === undefined) continue;
        const c = cells[m * nbIds.length + n];
        c.n += 1;
        c.people.add(r.p);
        let cat = c.categories.get(r.cat);
        if (!cat) c.categories.set(r.cat, (cat = { key: r.cat, count: 0, people: new Set() }));
        cat.count += 1;
        cat.people.add(r.p);
        if (r.at !== null) {
          c.matched += 1;
          c.matchedPeople.add(r.p);
          c.hours.push(Math.max(0, r.at - r.c) / 3_600_000);
          if (r.a !== r.p && carers.has(`${r.a}|${r.p}`)) c.mantelzorgers.add(r.a);
        } else c.unmatchedPeople.add(r.p);
      }
      for (const r of volunteers.all(...period) as Row[]) {
        const c = at(r);
        if (c) c.volunteers = r.v as number;
      }
      for (const r of escalations.all(...period) as Row[]) {
        at(r)?.escalations.push({ trigger: r.trigger as string, outcome: r.outcome as string | null, count: r.n as number, people: r.people as number });
      }
      for (const r of fill.all(...period) as Row[]) {
        const c = at(r);
        if (c) (c.capacity = r.cap as number), (c.taken = r.taken as number);
      }
      for (const r of signedUp.all(...period) as Row[]) {
        const c = at(r);
        if (c) c.signedUp = r.people as number;
      }
      const placeParams = [to, from, ...nbParams];
      for (const r of places.all(...placeParams) as Row[]) {
        const c = at(r);
        if (c) c.places = r.places as number;
      }
      for (const r of placed.all(...placeParams) as Row[]) {
        const c = at(r);
        if (c) c.placed = r.people as number;
      }

      const out: ComparableCell[] = [];
      for (let m = 0; m < range.labels.length; m++) {
        for (let n = 0; n < nbIds.length; n++) {
          const c = cells[m * nbIds.length + n];
          // Parts in the order they first occur (by time asked), which decides ties when a part must be hidden.
          const parts = protectParts(
            { count: c.n, people: c.people.size },
            [...c.categories.values()].map((x) => ({ key: x.key, count: x.count, people: x.people.size })),
          );
          const med = median(c.hours);
          const fillRate = utilisationFigure(c.signedUp, c.capacity);
          out.push({
            month: range.labels[m],
            neighbourhoodId: nbIds[n],
            requests: parts.total,
            requestsByCategory: parts.parts.map((p) => ({ categoryId: p.key, requests: p.figure })).sort((x, y) => x.categoryId.localeCompare(y.categoryId)),
            matchedByVolunteers: shareFigure({ count: c.matched, people: c.matchedPeople.size }, { count: c.n - c.matched, people: c.unmatchedPeople.size }),
            medianHoursToMatch: measureFigure(med === null ? null : Math.round(med * 10) / 10, c.matchedPeople.size),
            escalations: c.escalations
              .map((e) => ({ trigger: e.trigger, outcome: e.outcome, cases: countFigure(e.count, e.people) }))
              .sort((x, y) => `${x.trigger}|${x.outcome}`.localeCompare(`${y.trigger}|${y.outcome}`)),
            initiativeFillRate: fillRate.suppressed || fillRate.value === null ? fillRate : { value: Math.min(1, c.taken / c.capacity), suppressed: false },
            participationUtilisation: utilisationFigure(c.placed, c.places),
            activeVolunteers: countFigure(c.volunteers, c.volunteers),
            mantelzorgersSupported: countFigure(c.mantelzorgers.size, c.mantelzorgers.size),
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
