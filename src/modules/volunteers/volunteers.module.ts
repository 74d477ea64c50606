import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { VolunteerResolver } from "./volunteer.resolver.js";
import type { VolunteerService } from "./volunteer.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly volunteers: VolunteerService;
  }
}

/** Volunteers: profiles, availability, VOG. */
export const volunteersModule: GraphQLModule<{ volunteers: VolunteerService; places: PlaceService }> = {
  resolvers: [VolunteerResolver],
  instances: (s) => [new VolunteerResolver(s.volunteers, s.places)],
};
