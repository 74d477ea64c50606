import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import type { StatsCouncil } from "./stats.council.js";
import { CouncilCountCellResolver, CouncilFigureSeriesResolver, CouncilNeighbourhoodTotalResolver, CouncilStatsResolver, TeamYearStatsResolver } from "./stats.council.resolver.js";
import { NeighbourhoodMonthStatsResolver, StatsResolver } from "./stats.resolver.js";
import type { StatsService } from "./stats.service.js";

/** Statistics per neighbourhood and month, and the council's further figures of a year. */
export const statsModule: GraphQLModule<{ stats: StatsService; statsCouncil: StatsCouncil; places: PlaceService }> = {
  resolvers: [
    StatsResolver,
    NeighbourhoodMonthStatsResolver,
    CouncilStatsResolver,
    TeamYearStatsResolver,
    CouncilFigureSeriesResolver,
    CouncilCountCellResolver,
    CouncilNeighbourhoodTotalResolver,
  ],
  instances: (s) => [
    new StatsResolver(s.stats),
    new NeighbourhoodMonthStatsResolver(s.stats, s.places),
    new CouncilStatsResolver(s.stats, s.statsCouncil),
    new TeamYearStatsResolver(s.places),
    new CouncilFigureSeriesResolver(),
    new CouncilCountCellResolver(s.places),
    new CouncilNeighbourhoodTotalResolver(s.places),
  ],
};
