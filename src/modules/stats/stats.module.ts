import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { NeighbourhoodMonthStatsResolver, StatsResolver } from "./stats.resolver.js";
import type { StatsService } from "./stats.service.js";

/** Statistics per neighbourhood and month. */
export const statsModule: GraphQLModule<{ stats: StatsService; places: PlaceService }> = {
  resolvers: [StatsResolver, NeighbourhoodMonthStatsResolver],
  instances: (s) => [new StatsResolver(s.stats), new NeighbourhoodMonthStatsResolver(s.stats, s.places)],
};
