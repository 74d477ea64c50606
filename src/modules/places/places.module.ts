import type { GraphQLModule } from "../../graphql/module.js";
import { AreaResolver, HelpCategoryResolver, NeighbourhoodResolver, TeamResolver } from "./place.resolver.js";
import type { PlaceService } from "./place.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly places: PlaceService;
  }
}

/** Places: areas, neighbourhoods, help categories and teams (public reference data). */
export const placesModule: GraphQLModule<{ places: PlaceService }> = {
  resolvers: [AreaResolver, NeighbourhoodResolver, HelpCategoryResolver, TeamResolver],
  instances: (s) => [new AreaResolver(s.places), new NeighbourhoodResolver(s.places), new HelpCategoryResolver(s.places), new TeamResolver(s.places)],
  nodes: (s) => ({
    Area: (_ctx, id) => s.places.area(id),
    Neighbourhood: (_ctx, id) => s.places.neighbourhood(id),
    HelpCategory: (_ctx, id) => s.places.category(id),
    Team: (_ctx, id) => s.places.team(id),
  }),
};
