import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG } from "../../graphql/relay.js";
import type { EscalationOutcome, EscalationTrigger } from "../escalation/escalation.types.js";
import type { PlaceService } from "../places/place.service.js";
import { type HelpCategory, Neighbourhood } from "../places/place.types.js";
import type { StatsCell, StatsReport, StatsService } from "./stats.service.js";
import { pageOfCells } from "./stats.paging.js";
import { CategoryStat, EscalationStat, NeighbourhoodMonthStats, NeighbourhoodMonthStatsConnection, Stats } from "./stats.type.js";

@Resolver(() => Stats)
export class StatsResolver {
  constructor(private readonly service: StatsService) {}

  @Query(() => Stats, {
    description:
      "Statistics per neighbourhood and month (no token or key needed). Default period: the twelve months up to the current one; a month is published once it has ended. Figures resting on fewer than five people are suppressed.",
  })
  async stats(
    @Arg("from", () => String, { nullable: true, description: "First month, YYYY-MM (default: eleven months before `to`)." }) from?: string | null,
    @Arg("to", () => String, { nullable: true, description: "Last month, YYYY-MM (default: the current month); at most 24 months in all." }) to?: string | null,
    @Arg("areaId", () => ID, { nullable: true, description: "Only the neighbourhoods of this area." }) areaId?: string | null,
    @Arg("neighbourhoodIds", () => [ID], { nullable: true, description: "Only these neighbourhoods." }) neighbourhoodIds?: string[] | null,
  ): Promise<Stats> {
    return this.service.report({ from, to, areaId, neighbourhoodIds });
  }

  @FieldResolver(() => NeighbourhoodMonthStatsConnection, { description: "The figures, month by month (oldest first), neighbourhoods by name." })
  cells(
    @Root() report: StatsReport,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: `${PAGE_ARG.after} Same period and neighbourhoods.` }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: `${PAGE_ARG.before} Same period and neighbourhoods.` }) before?: string | null,
  ): ConnectionShape<NeighbourhoodMonthStats> {
    return pageOfCells(report.cells, { first, after, last, before });
  }
}

@Resolver(() => NeighbourhoodMonthStats)
export class NeighbourhoodMonthStatsResolver {
  constructor(
    private readonly stats: StatsService,
    private readonly places: PlaceService,
  ) {}

  @FieldResolver(() => Neighbourhood, { description: "The neighbourhood." })
  neighbourhood(@Root() c: StatsCell): Neighbourhood {
    return this.places.neighbourhood(c.neighbourhoodId) as Neighbourhood;
  }

  @Extensions({ maxItems: 20 })
  @FieldResolver(() => [CategoryStat], { description: "Requests asked per help category: every category, in the order of their ids, whether asked or not." })
  requestsByCategory(@Root() c: StatsCell): CategoryStat[] {
    return c.requestsByCategory.map((r) => ({ category: this.places.category(r.categoryId) as HelpCategory, requests: r.requests }));
  }

  @Extensions({ maxItems: 25 })
  @FieldResolver(() => [EscalationStat], {
    description:
      "Cases raised with professional teams by trigger and outcome at the end of the month; only groups of at least five people are listed. Needs an API key with stats:read or a coordinator's login (FORBIDDEN, SCOPE_REQUIRED otherwise).",
  })
  escalations(@Ctx() ctx: Context, @Root() c: StatsCell): EscalationStat[] {
    this.stats.requireFineFigures(ctx.viewer, ctx.client);
    return c.escalations.map((e) => ({
      trigger: e.trigger as EscalationTrigger,
      outcome: e.outcome as EscalationOutcome | null,
      cases: e.cases,
    }));
  }
}
