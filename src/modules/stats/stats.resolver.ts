import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { ConnectionShape } from "../../graphql/relay.js";
import { badInput } from "../../shared/errors.js";
import { decodeCursor, encodeCursor, pageSize } from "../../shared/pagination.js";
import type { EscalationOutcome, EscalationTrigger } from "../escalation/escalation.types.js";
import type { PlaceService } from "../places/place.service.js";
import { type HelpCategory, Neighbourhood } from "../places/place.types.js";
import type { StatsCell, StatsReport, StatsService } from "./stats.service.js";
import { StatsReason } from "./stats.errors.js";
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
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1-100 (default 20)." }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the last edge of the previous page." }) after?: string | null,
  ): ConnectionShape<NeighbourhoodMonthStats> {
    const size = pageSize(first);
    const idOf = (c: StatsCell) => `${c.month}/${c.neighbourhoodId}`;
    let start = 0;
    if (after) {
      const key = decodeCursor(after);
      if (!Number.isInteger(key.sort) || report.cells[key.sort] === undefined || idOf(report.cells[key.sort]) !== key.id) {
        throw badInput(StatsReason.INVALID_CURSOR, "after: not a cursor of this report (same period and neighbourhoods)", "after");
      }
      start = key.sort + 1;
    }
    const slice = report.cells.slice(start, start + size);
    const edges = slice.map((c, i) => ({ cursor: encodeCursor({ sort: start + i, id: idOf(c) }), node: c }));
    return {
      edges,
      pageInfo: {
        hasNextPage: start + size < report.cells.length,
        hasPreviousPage: start > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
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
