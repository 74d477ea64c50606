import { DateTime } from "luxon";
import type { Clock } from "../../shared/clock.js";
import { badInput, forbidden, notFound } from "../../shared/errors.js";
import type { Viewer } from "../../shared/viewer.js";
import type { ClientPrincipal } from "../api-clients/api-client.service.js";
import type { PlaceService } from "../places/place.service.js";
import { StatsReason } from "./stats.errors.js";
import { MAX_MONTHS, type MonthRange, STATS_ZONE, monthIndex, monthRange, parseMonth } from "./stats.months.js";
import type { StatsRepository } from "./stats.repository.js";
import { type StatsCells, key } from "./stats.cells.js";
import {
  type Basis,
  type PlacementSpan,
  SUPPRESSION_THRESHOLD,
  countFigure,
  fillFigure,
  hidden,
  measureFigure,
  median,
  newBasis,
  placedBasis,
  protectParts,
  shareFigure,
  utilisationFigure,
} from "./stats.suppression.js";
import { type StatsCell, type StatsQuery, type StatsReport, withheld } from "./stats.report.js";

export type { StatsCell, StatsQuery, StatsReport, StatsSettings } from "./stats.report.js";

interface Tally {
  count: number;
  basis: Basis;
}

const tally = (): Tally => ({ count: 0, basis: newBasis() });

interface Acc {
  requests: Tally;
  categories: Map<string, Tally>;
  matched: Tally;
  unmatched: Tally;
  hoursToMatch: number[];
  mantelzorgers: Basis;
  volunteers: Basis;
  escalations: Map<string, { trigger: string; outcome: string | null } & Tally>;
  initiatives: Set<string>;
  places: number;
  /** Placements running that month, per organisation offering places here. */
  participants: Map<string, PlacementSpan[]>;
}

const newAcc = (): Acc => ({
  requests: tally(),
  categories: new Map(),
  matched: tally(),
  unmatched: tally(),
  hoursToMatch: [],
  mantelzorgers: newBasis(),
  volunteers: newBasis(),
  escalations: new Map(),
  initiatives: new Set(),
  places: 0,
  participants: new Map(),
});

/**
 * Figures for the council per neighbourhood and month, computed from the live tables and
 * suppressed so that no figure rests on fewer than five people. Everyone may read them (no key
 * needed); the finer escalation figures need the `stats:read` scope or a coordinator's login.
 */
export class StatsService {
  constructor(
    private readonly repo: StatsRepository,
    private readonly places: PlaceService,
    private readonly clock: Clock,
    private readonly cells: StatsCells,
  ) {}

  /** Whether the caller may see the finer figures (escalations by trigger and outcome). */
  canSeeFineFigures(viewer: Viewer, client: ClientPrincipal | null): boolean {
    // A sandbox key reads public data and its own sandbox's only, whatever scopes it was given.
    if (client) return client.scopes.has("stats:read") && !client.sandboxOrganisationId;
    return viewer.roles.has("COORDINATOR");
  }

  requireFineFigures(viewer: Viewer, client: ClientPrincipal | null): void {
    if (!this.canSeeFineFigures(viewer, client)) {
      throw forbidden(StatsReason.SCOPE_REQUIRED, "Escalation figures need an API key with the stats:read scope, or a coordinator's login.");
    }
  }

  /**
   * The report of a period: the cells of ended months as stored (computed from the rows when missing, see
   * StatsCells), the running and future months withheld. No cache: every read reflects every committed change.
   */
  async report(query: StatsQuery): Promise<StatsReport> {
    const { range, neighbourhoodIds } = await this.resolve(query);
    const categoryIds = this.categoryIds();
    const closed = await this.cells.closedCells(range, neighbourhoodIds, async (sub, ids) => (await this.compute(sub, ids, ids)).cells);
    const cells: StatsCell[] = [];
    for (const month of range.labels) {
      for (const neighbourhoodId of neighbourhoodIds) {
        const stored = closed.get(key(month, neighbourhoodId));
        if (!stored) {
          cells.push({ month, neighbourhoodId, closed: false, ...withheld(categoryIds) });
          continue;
        }
        // A category added after the cell was computed had no requests then: withheld, as computing now would give.
        const byCategory = new Map(stored.requestsByCategory.map((r) => [r.categoryId, r.requests]));
        cells.push({ ...stored, month, neighbourhoodId, requestsByCategory: categoryIds.map((categoryId) => ({ categoryId, requests: byCategory.get(categoryId) ?? hidden })) });
      }
    }
    return this.reportOf(range, neighbourhoodIds, cells);
  }

  /** The same report computed from the rows alone, ignoring the stored cells: what the stored cells must equal. */
  async reportFromRows(query: StatsQuery): Promise<StatsReport> {
    const { range, neighbourhoodIds, filtered } = await this.resolve(query);
    return this.compute(range, neighbourhoodIds, filtered ? neighbourhoodIds : null);
  }

  /** Computes and stores the cells of the ended months of the last MAX_MONTHS for every neighbourhood (a sweep step). */
  async keepCells(): Promise<void> {
    await this.report({});
    const current = DateTime.fromJSDate(this.clock.now(), { zone: STATS_ZONE }).startOf("month");
    await this.report({ from: current.minus({ months: MAX_MONTHS - 1 }).toFormat("yyyy-LL"), to: current.toFormat("yyyy-LL") });
  }

  private categoryIds(): string[] {
    return this.places
      .listCategories()
      .map((c) => c.id)
      .sort((a, b) => a.localeCompare(b));
  }

  private reportOf(range: MonthRange, neighbourhoodIds: string[], cells: StatsCell[]): StatsReport {
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

  private async resolve(query: StatsQuery): Promise<{ range: MonthRange; neighbourhoodIds: string[]; filtered: boolean }> {
    const current = DateTime.fromJSDate(this.clock.now(), { zone: STATS_ZONE }).startOf("month");
    const to = query.to ? parseMonth(query.to) : current;
    if (!to) throw badInput(StatsReason.INVALID_STATS_PERIOD, "to: must be a month as YYYY-MM", "to");
    const from = query.from ? parseMonth(query.from) : to.minus({ months: 11 });
    if (!from) throw badInput(StatsReason.INVALID_STATS_PERIOD, "from: must be a month as YYYY-MM", "from");
    if (from > to) throw badInput(StatsReason.INVALID_STATS_PERIOD, "from: must not be after to", "from");
    if (to.diff(from, "months").months >= MAX_MONTHS) {
      throw badInput(StatsReason.INVALID_STATS_PERIOD, "to: a period spans at most {max} months", "to", { max: MAX_MONTHS });
    }
    let neighbourhoodIds: string[];
    let filtered = false;
    if (query.neighbourhoodIds?.length) {
      if (query.neighbourhoodIds.length > 200) throw badInput(StatsReason.INVALID_INPUT, "neighbourhoodIds: at most 200", "neighbourhoodIds");
      for (const id of query.neighbourhoodIds) await this.places.requireNeighbourhood(id, "neighbourhoodIds");
      neighbourhoodIds = [...new Set(query.neighbourhoodIds)];
      filtered = true;
    } else if (query.areaId) {
      if (!this.places.area(query.areaId)) throw notFound(StatsReason.AREA_NOT_FOUND, "No area has this id.");
      neighbourhoodIds = this.places.listNeighbourhoods(query.areaId).map((n) => n.id);
      filtered = true;
    } else {
      neighbourhoodIds = this.places.listNeighbourhoods().map((n) => n.id);
    }
    const order = new Map(this.places.listNeighbourhoods().map((n, i) => [n.id, `${n.name}\u0000${i}`]));
    neighbourhoodIds.sort((a, b) => (order.get(a) ?? a).localeCompare(order.get(b) ?? b));
    return { range: monthRange(from, to), neighbourhoodIds, filtered };
  }

  /**
   * Every figure of a month is computed as of the end of that month (a match, a closed case or a
   * sign-up counts only if it happened before), and only once the month has ended: a month's figures
   * then never change, so comparing two reads tells nothing new. Running and future months are
   * withheld whole.
   */
  private async compute(range: MonthRange, neighbourhoodIds: string[], only: string[] | null): Promise<StatsReport> {
    const now = this.clock.now().getTime();
    const from = new Date(range.bounds[0]);
    const to = new Date(range.bounds[range.bounds.length - 1]);
    const nbIndex = new Map(neighbourhoodIds.map((id, i) => [id, i]));
    const accs: Acc[] = Array.from({ length: range.labels.length * neighbourhoodIds.length }, newAcc);
    const cell = (m: number, neighbourhoodId: string): Acc | undefined => {
      const n = nbIndex.get(neighbourhoodId);
      return m < 0 || n === undefined ? undefined : accs[m * neighbourhoodIds.length + n];
    };
    const startOf = (m: number) => range.bounds[m];
    const endOf = (m: number) => range.bounds[m + 1];

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
    const signups = await this.repo.confirmedSignups([...new Set(dates.map((d) => d.initiativeId))]);
    const created = await this.repo.createdAt([
      ...asked.map((r) => r.askedById),
      ...matches.flatMap((m) => (m.actorId ? [m.actorId] : [])),
      ...escalations.flatMap((e) => [e.raisedById ?? e.subjectId]),
      ...signups.map((s) => s.signedUpById),
    ]);
    /** An established account: registered before the month began, so it cannot be made to pad that month. */
    const established = (accountId: string | null, m: number) => {
      const at = accountId ? created.get(accountId) : undefined;
      return at !== undefined && at.getTime() < startOf(m);
    };
    const add = (t: Tally, person: string, accountId: string | null, m: number) => {
      t.count += 1;
      t.basis.people.add(person);
      if (established(accountId, m)) t.basis.accounts.add(accountId!);
    };

    // Requests asked, by category; taken up within the month or not, and how soon; mantelzorgers among the askers.
    const matchedAt = new Map(firstMatches.map((r) => [r.id, r.at]));
    const carers = new Set(careRelations.map((r) => `${r.memberId}|${r.careReceiverId}`));
    for (const r of asked) {
      const m = monthIndex(range, r.createdAt.getTime());
      const acc = cell(m, r.neighbourhoodId);
      if (!acc) continue;
      add(acc.requests, r.personHelpedId, r.askedById, m);
      let cat = acc.categories.get(r.categoryId);
      if (!cat) acc.categories.set(r.categoryId, (cat = tally()));
      add(cat, r.personHelpedId, r.askedById, m);
      const at = matchedAt.get(r.id);
      if (at && at.getTime() < endOf(m)) {
        add(acc.matched, r.personHelpedId, r.askedById, m);
        acc.hoursToMatch.push(Math.max(0, at.getTime() - r.createdAt.getTime()) / 3_600_000);
        if (r.askedById !== r.personHelpedId && carers.has(`${r.askedById}|${r.personHelpedId}`)) {
          acc.mantelzorgers.people.add(r.askedById);
          if (established(r.askedById, m)) acc.mantelzorgers.accounts.add(r.askedById);
        }
      } else {
        add(acc.unmatched, r.personHelpedId, r.askedById, m);
      }
    }
    // Volunteers who took a request up that month.
    for (const x of matches) {
      if (!x.actorId) continue;
      const m = monthIndex(range, x.at.getTime());
      const acc = cell(m, x.neighbourhoodId);
      if (!acc) continue;
      acc.volunteers.people.add(x.actorId);
      if (established(x.actorId, m)) acc.volunteers.accounts.add(x.actorId);
    }
    // Cases raised, by trigger and outcome at the end of the month (null: still open then).
    for (const e of escalations) {
      const m = monthIndex(range, e.createdAt.getTime());
      const acc = cell(m, e.neighbourhoodId);
      if (!acc) continue;
      const outcome = e.closedAt && e.closedAt.getTime() < endOf(m) ? e.outcome : null;
      const key = `${e.trigger}|${outcome ?? ""}`;
      let group = acc.escalations.get(key);
      if (!group) acc.escalations.set(key, (group = { trigger: e.trigger, outcome, ...tally() }));
      add(group, e.subjectId, e.raisedById ?? e.subjectId, m);
    }
    // Initiatives of organisations verified by then, with a date that month.
    const capacityOf = new Map<string, number>();
    for (const d of dates) {
      const m = monthIndex(range, d.startsAt.getTime());
      if (!d.verifiedAt || d.verifiedAt.getTime() >= endOf(m)) continue;
      capacityOf.set(d.initiativeId, d.capacity);
      cell(m, d.neighbourhoodId)?.initiatives.add(d.initiativeId);
    }
    const signupsOf = new Map<string, typeof signups>();
    for (const s of signups) {
      const list = signupsOf.get(s.initiativeId);
      if (list) list.push(s);
      else signupsOf.set(s.initiativeId, [s]);
    }
    // Participation places of organisations verified by then, open in a month, and the people placed there that month.
    const placeById = new Map(places.map((p) => [p.id, p]));
    const placementsOf = new Map<string, typeof placements>();
    for (const p of placements) {
      if (!placeById.has(p.initiativeId)) continue;
      const list = placementsOf.get(p.initiativeId);
      if (list) list.push(p);
      else placementsOf.set(p.initiativeId, [p]);
    }
    for (let m = 0; m < range.labels.length; m++) {
      const start = startOf(m);
      const end = endOf(m);
      for (const place of places) {
        if (!place.publishedAt || place.publishedAt.getTime() >= end || (place.closedAt && place.closedAt.getTime() < start)) continue;
        if (!place.verifiedAt || place.verifiedAt.getTime() >= end) continue;
        const acc = cell(m, place.neighbourhoodId);
        if (!acc) continue;
        acc.places += place.capacity ?? 0;
        for (const p of placementsOf.get(place.id) ?? []) {
          if (p.startedAt.getTime() < end && (!p.endedAt || p.endedAt.getTime() >= start)) {
            let list = acc.participants.get(place.organisationId);
            if (!list) acc.participants.set(place.organisationId, (list = []));
            list.push(p);
          }
        }
      }
    }

    const categoryIds = this.categoryIds();
    const cells: StatsCell[] = [];
    for (let m = 0; m < range.labels.length; m++) {
      const closed = endOf(m) <= now;
      for (let n = 0; n < neighbourhoodIds.length; n++) {
        const acc = accs[m * neighbourhoodIds.length + n];
        const base = { month: range.labels[m], neighbourhoodId: neighbourhoodIds[n], closed };
        if (!closed) {
          cells.push({ ...base, ...withheld(categoryIds) });
          continue;
        }
        const byCategory = protectParts(
          acc.requests,
          categoryIds.map((categoryId) => ({ key: categoryId, ...(acc.categories.get(categoryId) ?? tally()) })),
        );
        let capacity = 0;
        let taken = 0;
        const fillBasis = newBasis();
        for (const id of acc.initiatives) {
          const cap = capacityOf.get(id) ?? 0;
          const held = (signupsOf.get(id) ?? []).filter((s) => {
            const confirmedAt = (s.promotedAt ?? s.createdAt).getTime();
            return confirmedAt < endOf(m) && (!s.cancelledAt || s.cancelledAt.getTime() >= endOf(m));
          });
          // An initiative with one to four places taken is left out (places and all): its own
          // placesTaken is withheld, and the rate times the places would give it away.
          const holders = new Set(held.map((s) => s.personId)).size;
          if (holders > 0 && holders < SUPPRESSION_THRESHOLD) continue;
          capacity += cap;
          taken += Math.min(cap, held.length);
          for (const s of held) {
            fillBasis.people.add(s.personId);
            if (established(s.signedUpById, m)) fillBasis.accounts.add(s.signedUpById);
          }
        }
        cells.push({
          ...base,
          requests: byCategory.total,
          requestsByCategory: byCategory.parts.map((p) => ({ categoryId: p.key, requests: p.figure })),
          matchedByVolunteers: shareFigure(acc.matched, acc.unmatched),
          medianHoursToMatch: measureFigure(round(median(acc.hoursToMatch)), acc.matched.basis),
          escalations: [...acc.escalations.values()]
            .map((e) => ({ trigger: e.trigger, outcome: e.outcome, cases: countFigure(e.count, e.basis) }))
            // A group is listed only when published: a withheld one would say that a case of that kind exists.
            .filter((e) => !e.cases.suppressed)
            .sort((a, b) => `${a.trigger}|${a.outcome}`.localeCompare(`${b.trigger}|${b.outcome}`)),
          initiativeFillRate: fillFigure(taken, capacity, fillBasis),
          participationUtilisation: utilisationFigure(placedBasis(acc.participants, startOf(m), endOf(m)), acc.places),
          activeVolunteers: countFigure(acc.volunteers.people.size, acc.volunteers),
          mantelzorgersSupported: countFigure(acc.mantelzorgers.people.size, acc.mantelzorgers),
        });
      }
    }
    return this.reportOf(range, neighbourhoodIds, cells);
  }
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
