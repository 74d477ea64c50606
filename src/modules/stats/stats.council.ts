import { DateTime } from "luxon";
import type { Clock } from "../../shared/clock.js";
import { badInput, notFound } from "../../shared/errors.js";
import type { PlaceService } from "../places/place.service.js";
import { StatsReason } from "./stats.errors.js";
import { STATS_ZONE } from "./stats.months.js";
import type { StatsRepository } from "./stats.repository.js";
import type { StatsCell, StatsService } from "./stats.service.js";
import { PENDING_SOURCES } from "./stats.sources.js";
import { type Estimate, type Tariffs, caseEstimates } from "./stats.tariffs.js";
import { type TeamFigures, teamFigures } from "./stats.teams.js";
import { type Totals, totalsOf } from "./stats.totals.js";

export interface CouncilFigures {
  year: number;
  areaId: string | null;
  months: string[];
  neighbourhoodIds: string[];
  cells: StatsCell[];
  /** Requests asked, totalled per month, quarter, neighbourhood and year (see totalsOf). */
  requestTotals: Totals;
  teams: TeamFigures[];
  tariffs: Tariffs;
  /** Professional cost estimated from the closed cases per outcome, over every team, with the tariff used. */
  estimates: Estimate[];
  /** Sources not yet recorded (informal hours, buddy programme): named so the report says so. */
  pending: string[];
  suppressionThreshold: number;
}

/** The council's yearly figures: the kept cells of a year, their totals, the teams' figures and estimates. */
export class StatsCouncil {
  constructor(
    private readonly stats: StatsService,
    private readonly repo: StatsRepository,
    private readonly places: PlaceService,
    private readonly clock: Clock,
    private readonly tariffs: Tariffs,
  ) {}

  async figures(year: number, areaId: string | null): Promise<CouncilFigures> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput(StatsReason.INVALID_STATS_PERIOD, "year: must be a year as YYYY", "year");
    if (areaId && !this.places.area(areaId)) throw notFound(StatsReason.AREA_NOT_FOUND, "No area has this id.");
    const report = await this.stats.report({ from: `${year}-01`, to: `${year}-12`, areaId });
    // The year in Europe/Amsterdam: the cases raised from its first to its last instant, as the cells count them.
    const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: STATS_ZONE });
    const rows = await this.repo.teamCases(from.toJSDate(), from.plus({ years: 1 }).toJSDate(), areaId ? report.neighbourhoodIds : null);
    // A case is counted once its month has ended, as the cells are.
    const now = this.clock.now().getTime();
    const monthEnd = (ms: number) => DateTime.fromMillis(ms, { zone: STATS_ZONE }).startOf("month").plus({ months: 1 }).toMillis();
    const ended = rows.filter((r) => monthEnd(r.createdAt.getTime()) <= now);
    const created = await this.repo.createdAt(ended.map((r) => r.raisedById ?? r.subjectId));
    const teams = teamFigures(ended, created, from.toMillis(), now);
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
      pending: PENDING_SOURCES.map((s) => s.name),
      suppressionThreshold: report.suppressionThreshold,
    };
  }
}
