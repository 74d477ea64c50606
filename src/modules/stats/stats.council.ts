import { DateTime } from "luxon";
import type { Clock } from "../../shared/clock.js";
import { badInput, notFound } from "../../shared/errors.js";
import type { PlaceService } from "../places/place.service.js";
import { StatsReason } from "./stats.errors.js";
import { type MonthRange, STATS_ZONE, monthIndex, monthRange } from "./stats.months.js";
import type { StatsRepository } from "./stats.repository.js";
import type { StatsCell, StatsService } from "./stats.service.js";
import type { FigureSource } from "./stats.sources.js";
import { type Estimate, type Tariffs, caseEstimates } from "./stats.tariffs.js";
import { type NormStanding, type TeamNorms, teamNorms } from "./stats.norms.js";
import { type TeamFigures, teamFigures } from "./stats.teams.js";
import { type CountCell, type Totals, totalsOf } from "./stats.totals.js";
import type { Figure } from "./stats.suppression.js";

export interface CouncilFigures {
  year: number;
  areaId: string | null;
  months: string[];
  neighbourhoodIds: string[];
  cells: StatsCell[];
  /** Requests asked, totalled per month, quarter, neighbourhood and year (see totalsOf). */
  requestTotals: Totals;
  teams: TeamFigures[];
  /** Per team: first contact and closing within their norms (met, missed, open overdue), protected as the team's figures. */
  teamNorms: TeamNorms[];
  tariffs: Tariffs;
  /** Professional cost estimated from the closed cases per outcome, over every team, with the tariff used. */
  estimates: Estimate[];
  /** Additive figures of other modules per neighbourhood and month (informal hours), with their totals. */
  sourced: SourcedFigure[];
  /** Each buddy programme's figures per month of the year, withheld as the programme's own figures are. */
  buddyProgrammes: BuddyProgrammeYear[];
  /** Sources not yet recorded: named so the report says so. */
  pending: string[];
  suppressionThreshold: number;
}

export interface SourcedFigure {
  name: string;
  cells: CountCell[];
  totals: Totals;
}

export interface BuddyProgrammeYear {
  programmeId: string;
  name: string;
  months: { month: string; waiting: Figure; matched: Figure; started: Figure; ended: Figure; endedWell: Figure; meanDurationDays: Figure }[];
}

/** The buddy programmes' figures over a range (every programme, without a viewer: the council's coordinators read them). */
export type BuddyProgrammeFigures = (range: MonthRange) => Promise<BuddyProgrammeYear[]>;

/**
 * The teams' case counts, unless they would give withheld escalation groups away. The teams together lead
 * every case of the city's year (`cases` of them), and `stats` publishes that year's escalations per
 * neighbourhood, month, trigger and outcome, withholding small groups; the cases in the withheld groups
 * are then the teams' total minus the published groups. When that is one to four, every team's counts
 * (cases, by trigger, by outcome, overdue) are withheld too, so neither sum tells them.
 */
export function withheldWhereDerivable(teams: TeamFigures[], cases: number, cityCells: readonly StatsCell[], threshold: number): TeamFigures[] {
  const published = cityCells.reduce((n, c) => n + c.escalations.reduce((m, g) => m + (g.cases.suppressed ? 0 : (g.cases.value ?? 0)), 0), 0);
  const rest = cases - published;
  if (rest <= 0 || rest >= threshold) return teams;
  const withheld = { value: null, suppressed: true };
  return teams.map((t) => ({ ...t, cases: withheld, byTrigger: [], byOutcome: [], overdueNow: withheld }));
}

/** The council's yearly figures: the kept cells of a year, their totals, the teams' figures and estimates. */
export class StatsCouncil {
  constructor(
    private readonly stats: StatsService,
    private readonly repo: StatsRepository,
    private readonly places: PlaceService,
    private readonly clock: Clock,
    private readonly tariffs: Tariffs,
    private readonly sources: readonly FigureSource[] = [],
    private readonly buddies: BuddyProgrammeFigures | null = null,
    private readonly norms: { classify(teamId: string, from: Date, to: Date): Promise<{ id: string; firstContact: NormStanding; close: NormStanding }[]> } | null = null,
  ) {}

  async figures(year: number, areaId: string | null): Promise<CouncilFigures> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput(StatsReason.INVALID_STATS_PERIOD, "year: must be a year as YYYY", "year");
    if (areaId && !this.places.area(areaId)) throw notFound(StatsReason.AREA_NOT_FOUND, "No area has this id.");
    const report = await this.stats.report({ from: `${year}-01`, to: `${year}-12`, areaId });
    // The year in Europe/Amsterdam: the cases raised from its first to its last instant, as the cells count them.
    const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: STATS_ZONE });
    // Every case a team leads, wherever its subject lives; an area shows its own teams. A team's figures are
    // then the same in every report that shows them, so the city's minus an area's withholds nothing (counting
    // only the area's cases, a team leading two cases elsewhere showed 7 in the city and 5 in its area).
    const rows = await this.repo.teamCases(from.toJSDate(), from.plus({ years: 1 }).toJSDate(), null);
    // A case is counted once its month has ended, as the cells are (the month found among the year's bounds:
    // working it out per row with zone arithmetic cost more than reading the rows).
    const now = this.clock.now().getTime();
    const range = monthRange(from, from.plus({ months: 11 }));
    const ended = rows.filter((r) => {
      const m = monthIndex(range, r.createdAt.getTime());
      return m >= 0 && range.bounds[m + 1] <= now;
    });
    const created = await this.repo.createdAt(ended.map((r) => r.raisedById ?? r.subjectId));
    const city = areaId ? await this.stats.report({ from: `${year}-01`, to: `${year}-12`, areaId: null }) : report;
    const teams = withheldWhereDerivable(
      teamFigures(ended, created, from.toMillis(), now).filter((x) => !areaId || this.places.team(x.teamId)?.areaId === areaId),
      ended.length,
      city.cells,
      report.suppressionThreshold,
    );
    const all = teams.flatMap((t) => t.byOutcome);
    const perOutcome = new Map<string, Estimate["count"]>();
    for (const o of all) {
      const prev = perOutcome.get(o.outcome);
      perOutcome.set(
        o.outcome,
        prev && !prev.suppressed && !o.cases.suppressed
          ? { value: (prev.value ?? 0) + (o.cases.value ?? 0), suppressed: false }
          : prev
            ? { value: null, suppressed: true }
            : o.cases,
      );
    }
    // Norms over the team's cases (lead or co-team) counted like the rest: raised in the year, month ended.
    const rowsById = new Map(ended.map((r) => [r.id, r]));
    const norms = this.norms;
    const normTeams = norms
      ? await Promise.all(
          teams.map(async (x) => ({
            teamId: x.teamId,
            cases: await norms.classify(x.teamId, from.toJSDate(), from.plus({ years: 1 }).toJSDate()),
          })),
        )
      : [];
    const sourced: SourcedFigure[] = [];
    const pending: string[] = [];
    for (const source of this.sources) {
      const cells = await source.cells(range, report.neighbourhoodIds);
      if (cells === null) pending.push(source.name);
      else sourced.push({ name: source.name, cells, totals: totalsOf(cells) });
    }
    const buddyProgrammes = this.buddies ? await this.buddies(range) : [];
    if (!this.buddies) pending.push("buddyProgramme");
    const estimates = caseEstimates(
      [...perOutcome].map(([outcome, cases]) => ({ outcome, cases })),
      this.tariffs,
    );
    return {
      year,
      areaId,
      months: report.months,
      neighbourhoodIds: report.neighbourhoodIds,
      cells: report.cells,
      requestTotals: totalsOf(report.cells.map((c) => ({ month: c.month, neighbourhoodId: c.neighbourhoodId, figure: c.requests }))),
      teams,
      tariffs: this.tariffs,
      estimates,
      sourced,
      teamNorms: teamNorms(normTeams, rowsById, created, from.toMillis()),
      buddyProgrammes,
      pending,
      suppressionThreshold: report.suppressionThreshold,
    };
  }
}
