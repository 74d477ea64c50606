import { DateTime } from "luxon";
import type { Clock } from "../../shared/clock.js";
import { badInput, forbidden, notFound } from "../../shared/errors.js";
import type { Viewer } from "../../shared/viewer.js";
import type { ClientPrincipal } from "../api-clients/api-client.service.js";
import type { PlaceService } from "../places/place.service.js";
import { MAX_MONTHS, type MonthRange, STATS_ZONE, monthIndex, monthRange, parseMonth } from "./stats.months.js";
import type { StatsRepository } from "./stats.repository.js";
import {
  type Figure,
  SUPPRESSION_THRESHOLD,
  countFigure,
  measureFigure,
  median,
  protectParts,
  shareFigure,
  utilisationFigure,
} from "./stats.suppression.js";

export interface StatsCell {
  month: string;
  neighbourhoodId: string;
  requests: Figure;
  requestsByCategory: { categoryId: string; requests: Figure }[];
  matchedByVolunteers: Figure;
  medianHoursToMatch: Figure;
  escalations: { trigger: string; outcome: string | null; cases: Figure }[];
  initiativeFillRate: Figure;
  participationUtilisation: Figure;
  activeVolunteers: Figure;
  mantelzorgersSupported: Figure;
}

export interface StatsReport {
  from: string;
  to: string;
  months: string[];
  neighbourhoodIds: string[];
  suppressionThreshold: number;
  generatedAt: Date;
  cells: StatsCell[];
}

export interface StatsQuery {
  from?: string | null;
  to?: string | null;
  areaId?: string | null;
  neighbourhoodIds?: string[] | null;
}

export interface StatsSettings {
  /** How long a computed report is reused (per instance); 0 computes every time. */
  cacheSeconds: number;
}

export const STATS_REASON = { INVALID_PERIOD: "INVALID_STATS_PERIOD", SCOPE_REQUIRED: "SCOPE_REQUIRED" } as const;

interface Acc {
  requests: number;
  people: Set<string>;
  categories: Map<string, { count: number; people: Set<string> }>;
  matched: number;
  matchedPeople: Set<string>;
  unmatched: number;
  unmatchedPeople: Set<string>;
  hoursToMatch: number[];
  mantelzorgers: Set<string>;
  volunteers: Set<string>;
  escalations: Map<string, { trigger: string; outcome: string | null; count: number; subjects: Set<string> }>;
  initiatives: Set<string>;
  places: number;
  participants: Set<string>;
}

const newAcc = (): Acc => ({
  requests: 0,
  people: new Set(),
  categories: new Map(),
  matched: 0,
  matchedPeople: new Set(),
  unmatched: 0,
  unmatchedPeople: new Set(),
  hoursToMatch: [],
  mantelzorgers: new Set(),
  volunteers: new Set(),
  escalations: new Map(),
  initiatives: new Set(),
  places: 0,
  participants: new Set(),
});

/**
 * Figures for the council per neighbourhood and month, computed from the live tables and
 * suppressed so that no figure rests on fewer than five people. Everyone may read them (no key
 * needed); the finer escalation figures need the `stats:read` scope or a coordinator's login.
 */
export class StatsService {
  private readonly cache = new Map<string, { until: number; report: StatsReport }>();

  constructor(
    private readonly repo: StatsRepository,
    private readonly places: PlaceService,
    private readonly clock: Clock,
    private readonly settings: StatsSettings,
  ) {}

  /** Whether the caller may see the finer figures (escalations by trigger and outcome). */
  canSeeFineFigures(viewer: Viewer, client: ClientPrincipal | null): boolean {
    return client ? client.scopes.has("stats:read") : viewer.roles.has("COORDINATOR");
  }

  requireFineFigures(viewer: Viewer, client: ClientPrincipal | null): void {
    if (!this.canSeeFineFigures(viewer, client)) {
      throw forbidden(STATS_REASON.SCOPE_REQUIRED, "Escalation figures need an API key with the stats:read scope, or a coordinator's login.");
    }
  }

  async report(query: StatsQuery): Promise<StatsReport> {
    const { range, neighbourhoodIds, filtered } = await this.resolve(query);
    const cacheKey = JSON.stringify([range.labels[0], range.labels.at(-1), neighbourhoodIds]);
    const now = Date.now();
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > now) return cached.report;
    const report = await this.compute(range, neighbourhoodIds, filtered ? neighbourhoodIds : null);
    if (this.settings.cacheSeconds > 0) {
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(cacheKey, { until: now + this.settings.cacheSeconds * 1000, report });
    }
    return report;
  }

  private async resolve(query: StatsQuery): Promise<{ range: MonthRange; neighbourhoodIds: string[]; filtered: boolean }> {
    const current = DateTime.fromJSDate(this.clock.now(), { zone: STATS_ZONE }).startOf("month");
    const to = query.to ? parseMonth(query.to) : current;
    if (!to) throw badInput(STATS_REASON.INVALID_PERIOD, "to: must be a month as YYYY-MM", "to");
    const from = query.from ? parseMonth(query.from) : to.minus({ months: 11 });
    if (!from) throw badInput(STATS_REASON.INVALID_PERIOD, "from: must be a month as YYYY-MM", "from");
    if (from > to) throw badInput(STATS_REASON.INVALID_PERIOD, "from: must not be after to", "from");
    if (to.diff(from, "months").months >= MAX_MONTHS) {
      throw badInput(STATS_REASON.INVALID_PERIOD, `to: a period spans at most ${MAX_MONTHS} months`, "to");
    }
    let neighbourhoodIds: string[];
    let filtered = false;
    if (query.neighbourhoodIds?.length) {
      if (query.neighbourhoodIds.length > 200) throw badInput("INVALID_INPUT", "neighbourhoodIds: at most 200", "neighbourhoodIds");
      for (const id of query.neighbourhoodIds) await this.places.requireNeighbourhood(id, "neighbourhoodIds");
      neighbourhoodIds = [...new Set(query.neighbourhoodIds)];
      filtered = true;
    } else if (query.areaId) {
      if (!this.places.area(query.areaId)) throw notFound("AREA_NOT_FOUND", "No area has this id.");
      neighbourhoodIds = this.places.listNeighbourhoods(query.areaId).map((n) => n.id);
      filtered = true;
    } else {
      neighbourhoodIds = this.places.listNeighbourhoods().map((n) => n.id);
    }
    const order = new Map(this.places.listNeighbourhoods().map((n, i) => [n.id, `${n.name}\u0000${i}`]));
    neighbourhoodIds.sort((a, b) => (order.get(a) ?? a).localeCompare(order.get(b) ?? b));
    return { range: monthRange(from, to), neighbourhoodIds, filtered };
  }

  private async compute(range: MonthRange, neighbourhoodIds: string[], only: string[] | null): Promise<StatsReport> {
    const from = new Date(range.bounds[0]);
    const to = new Date(range.bounds[range.bounds.length - 1]);
    const nbIndex = new Map(neighbourhoodIds.map((id, i) => [id, i]));
    const accs: Acc[] = Array.from({ length: range.labels.length * neighbourhoodIds.length }, newAcc);
    const cell = (ms: number, neighbourhoodId: string): Acc | undefined => {
      const m = monthIndex(range, ms);
      const n = nbIndex.get(neighbourhoodId);
      return m < 0 || n === undefined ? undefined : accs[m * neighbourhoodIds.length + n];
    };

    const [asked, firstMatches, matches, escalations, careRelations, dates, places, placements] = await Promise.all([
      this.repo.asked(from, to, only),
      this.repo.firstMatches(from, to, only),
      this.repo.matches(from, to, only),
      this.repo.escalations(from, to, only),
      this.repo.careRelations(),
      this.repo.initiativeDates(from, to, only),
      this.repo.participationPlaces(from, to, only),
      this.repo.placements(from, to),
    ]);

    // Requests asked, by category; matched or not, and how soon; mantelzorgers among the askers.
    const matchedAt = new Map(firstMatches.map((r) => [r.id, r.at]));
    const carers = new Set(careRelations.map((r) => `${r.memberId}|${r.careReceiverId}`));
    for (const r of asked) {
      const acc = cell(r.createdAt.getTime(), r.neighbourhoodId);
      if (!acc) continue;
      acc.requests += 1;
      acc.people.add(r.personHelpedId);
      let cat = acc.categories.get(r.categoryId);
      if (!cat) acc.categories.set(r.categoryId, (cat = { count: 0, people: new Set() }));
      cat.count += 1;
      cat.people.add(r.personHelpedId);
      const at = matchedAt.get(r.id);
      if (at) {
        acc.matched += 1;
        acc.matchedPeople.add(r.personHelpedId);
        acc.hoursToMatch.push(Math.max(0, at.getTime() - r.createdAt.getTime()) / 3_600_000);
        if (r.askedById !== r.personHelpedId && carers.has(`${r.askedById}|${r.personHelpedId}`)) acc.mantelzorgers.add(r.askedById);
      } else {
        acc.unmatched += 1;
        acc.unmatchedPeople.add(r.personHelpedId);
      }
    }
    // Volunteers who took a request up that month.
    for (const m of matches) if (m.actorId) cell(m.at.getTime(), m.neighbourhoodId)?.volunteers.add(m.actorId);
    // Cases raised, by trigger and outcome (null: still open).
    for (const e of escalations) {
      const acc = cell(e.createdAt.getTime(), e.neighbourhoodId);
      if (!acc) continue;
      const key = `${e.trigger}|${e.outcome ?? ""}`;
      let group = acc.escalations.get(key);
      if (!group) acc.escalations.set(key, (group = { trigger: e.trigger, outcome: e.outcome, count: 0, subjects: new Set() }));
      group.count += 1;
      group.subjects.add(e.subjectId);
    }
    // Initiatives with a date that month: their places and confirmed participants.
    const capacityOf = new Map<string, number>();
    for (const d of dates) {
      capacityOf.set(d.initiativeId, d.capacity);
      cell(d.startsAt.getTime(), d.neighbourhoodId)?.initiatives.add(d.initiativeId);
    }
    const signups = await this.repo.confirmedSignups([...capacityOf.keys()]);
    const participantsOf = new Map<string, string[]>();
    for (const s of signups) {
      const list = participantsOf.get(s.initiativeId);
      if (list) list.push(s.personId);
      else participantsOf.set(s.initiativeId, [s.personId]);
    }
    // Participation places open in a month, and the people placed there that month.
    const placeById = new Map(places.map((p) => [p.id, p]));
    const placementsOf = new Map<string, typeof placements>();
    for (const p of placements) {
      if (!placeById.has(p.initiativeId)) continue;
      const list = placementsOf.get(p.initiativeId);
      if (list) list.push(p);
      else placementsOf.set(p.initiativeId, [p]);
    }
    for (let m = 0; m < range.labels.length; m++) {
      const start = range.bounds[m];
      const end = range.bounds[m + 1];
      for (const place of places) {
        if (!place.publishedAt || place.publishedAt.getTime() >= end || (place.closedAt && place.closedAt.getTime() < start)) continue;
        const acc = cell(start, place.neighbourhoodId);
        if (!acc) continue;
        acc.places += place.capacity ?? 0;
        for (const p of placementsOf.get(place.id) ?? []) {
          if (p.startedAt.getTime() < end && (!p.endedAt || p.endedAt.getTime() >= start)) acc.participants.add(p.participantId);
        }
      }
    }

    const cells: StatsCell[] = [];
    for (let m = 0; m < range.labels.length; m++) {
      for (let n = 0; n < neighbourhoodIds.length; n++) {
        const acc = accs[m * neighbourhoodIds.length + n];
        const byCategory = protectParts(
          { count: acc.requests, people: acc.people.size },
          [...acc.categories].map(([categoryId, c]) => ({ key: categoryId, count: c.count, people: c.people.size })),
        );
        let capacity = 0;
        let taken = 0;
        const participants = new Set<string>();
        for (const id of acc.initiatives) {
          const cap = capacityOf.get(id) ?? 0;
          const who = participantsOf.get(id) ?? [];
          capacity += cap;
          taken += Math.min(cap, who.length);
          for (const p of who) participants.add(p);
        }
        cells.push({
          month: range.labels[m],
          neighbourhoodId: neighbourhoodIds[n],
          requests: byCategory.total,
          requestsByCategory: byCategory.parts
            .map((p) => ({ categoryId: p.key, requests: p.figure }))
            .sort((a, b) => a.categoryId.localeCompare(b.categoryId)),
          matchedByVolunteers: shareFigure(
            { count: acc.matched, people: acc.matchedPeople.size },
            { count: acc.unmatched, people: acc.unmatchedPeople.size },
          ),
          medianHoursToMatch: measureFigure(round(median(acc.hoursToMatch)), acc.matchedPeople.size),
          escalations: [...acc.escalations.values()]
            .map((e) => ({ trigger: e.trigger, outcome: e.outcome, cases: countFigure(e.count, e.subjects.size) }))
            .sort((a, b) => `${a.trigger}|${a.outcome}`.localeCompare(`${b.trigger}|${b.outcome}`)),
          initiativeFillRate: fill(taken, capacity, participants.size),
          participationUtilisation: utilisationFigure(acc.participants.size, acc.places),
          activeVolunteers: countFigure(acc.volunteers.size, acc.volunteers.size),
          mantelzorgersSupported: countFigure(acc.mantelzorgers.size, acc.mantelzorgers.size),
        });
      }
    }
    return {
      from: range.labels[0],
      to: range.labels[range.labels.length - 1],
      months: range.labels,
      neighbourhoodIds,
      suppressionThreshold: SUPPRESSION_THRESHOLD,
      generatedAt: this.clock.now(),
      cells,
    };
  }
}

/** Places taken out of places offered; shown when the participants are publishable. */
function fill(taken: number, capacity: number, people: number): Figure {
  const f = utilisationFigure(people, capacity);
  return f.suppressed || f.value === null ? f : { value: Math.min(1, taken / capacity), suppressed: false };
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
