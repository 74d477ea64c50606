import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG } from "../../graphql/relay.js";
import type { EscalationOutcome, EscalationTrigger } from "../escalation/escalation.types.js";
import type { PlaceService } from "../places/place.service.js";
import { Neighbourhood, Team } from "../places/place.types.js";
import type { CouncilFigures, StatsCouncil } from "./stats.council.js";
import {
  CouncilCountCell,
  CouncilCountCellConnection,
  CouncilFigureSeries,
  CouncilNeighbourhoodTotal,
  CouncilStats,
  type TeamNormStat,
  TeamYearStats,
} from "./stats.council.type.js";
import type { NormFigures } from "./stats.norms.js";
import { pageOfCells } from "./stats.paging.js";
import type { StatsService } from "./stats.service.js";
import type { CountCell, Totals } from "./stats.totals.js";

@Resolver(() => CouncilStats)
export class CouncilStatsResolver {
  constructor(
    private readonly stats: StatsService,
    private readonly council: StatsCouncil,
  ) {}

  @Query(() => CouncilStats, {
    description:
      "The council's further figures of a year, as /reports/council shows them: per team, hours of informal help, care circles, mantelzorgers and buddy programmes. Needs an API key with stats:read or a coordinator's login (FORBIDDEN, SCOPE_REQUIRED otherwise). Ended months only; figures resting on fewer than five people are withheld.",
  })
  async councilStats(
    @Ctx() ctx: Context,
    @Arg("year", () => Int, { description: "The year, YYYY (Europe/Amsterdam calendar)." }) year: number,
    @Arg("areaId", () => ID, {
      nullable: true,
      description: "Only the neighbourhoods of this area and the teams of this area (with every case they lead); the whole city when left out.",
    })
    areaId?: string | null,
  ): Promise<CouncilStats> {
    this.stats.requireFineFigures(ctx.viewer, ctx.client);
    return councilStatsOf(await this.council.figures(year, areaId ?? null));
  }
}

@Resolver(() => TeamYearStats)
export class TeamYearStatsResolver {
  constructor(private readonly places: PlaceService) {}

  @FieldResolver(() => Team, { description: "The team." })
  team(@Root() t: TeamYearStats): Team {
    return this.places.team(t.teamId) as Team;
  }
}

@Resolver(() => CouncilFigureSeries)
export class CouncilFigureSeriesResolver {
  @FieldResolver(() => CouncilCountCellConnection, { description: "The cells, month by month (oldest first), neighbourhoods by name." })
  cells(
    @Root() series: CouncilFigureSeries,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: `${PAGE_ARG.after} Same year and area.` }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: `${PAGE_ARG.before} Same year and area.` }) before?: string | null,
  ): ConnectionShape<CouncilCountCell> {
    return pageOfCells(series.cellList, { first, after, last, before });
  }
}

@Resolver(() => CouncilCountCell)
export class CouncilCountCellResolver {
  constructor(private readonly places: PlaceService) {}

  @FieldResolver(() => Neighbourhood, { description: "The neighbourhood." })
  neighbourhood(@Root() c: CouncilCountCell): Neighbourhood {
    return this.places.neighbourhood(c.neighbourhoodId) as Neighbourhood;
  }
}

@Resolver(() => CouncilNeighbourhoodTotal)
export class CouncilNeighbourhoodTotalResolver {
  constructor(private readonly places: PlaceService) {}

  @FieldResolver(() => Neighbourhood, { description: "The neighbourhood." })
  neighbourhood(@Root() c: CouncilNeighbourhoodTotal): Neighbourhood {
    return this.places.neighbourhood(c.neighbourhoodId) as Neighbourhood;
  }
}

/** The council's figures as the API shows them: the same protected figures as the report, nothing recomputed. */
export function councilStatsOf(f: CouncilFigures): CouncilStats {
  const norms = new Map(f.teamNorms.map((n) => [n.teamId, n]));
  const norm = (n: NormFigures | undefined): TeamNormStat | null => (n ? { met: n.met, missed: n.missed, openOverdue: n.openOverdue } : null);
  const series = (name: string): CouncilFigureSeries | null => {
    const s = f.sourced.find((x) => x.name === name);
    return s ? seriesOf(s.cells, s.totals) : null;
  };
  return {
    year: f.year,
    areaId: f.areaId,
    months: f.months,
    suppressionThreshold: f.suppressionThreshold,
    teams: f.teams.map((t) => ({
      teamId: t.teamId,
      cases: t.cases,
      byTrigger: t.byTrigger.map((x) => ({ trigger: x.trigger as EscalationTrigger, cases: x.cases })),
      byOutcome: t.byOutcome.map((x) => ({ outcome: x.outcome as EscalationOutcome, cases: x.cases })),
      acknowledgedWithinNorm: t.acknowledgedWithinNorm,
      medianHoursToAcknowledge: t.medianHoursToAcknowledge,
      medianDaysToClose: t.medianDaysToClose,
      overdueNow: t.overdueNow,
      firstContactNorm: norm(norms.get(t.teamId)?.firstContact),
      closeNorm: norm(norms.get(t.teamId)?.close),
    })),
    informalHours: series("informalHours"),
    activeCareCircles: series("activeCareCircles"),
    intensiveMantelzorgers: series("intensiveMantelzorgers"),
    buddyProgrammes: f.buddyProgrammes.map((p) => ({ programmeId: p.programmeId, name: p.name, months: p.months })),
  };
}

function seriesOf(cells: CountCell[], totals: Totals): CouncilFigureSeries {
  return {
    cellList: cells.map((c) => ({ month: c.month, neighbourhoodId: c.neighbourhoodId, value: c.figure })),
    perMonth: totals.perMonth.map((x) => ({ month: x.month, value: x.figure })),
    perQuarter: totals.perQuarter.map((x) => ({ quarter: x.quarter, value: x.figure })),
    perNeighbourhood: totals.perNeighbourhood.map((x) => ({ neighbourhoodId: x.neighbourhoodId, value: x.figure })),
    overall: totals.overall,
  };
}
