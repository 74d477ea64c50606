import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { HelpRequestChoiceResolver } from "./help-request.choice.resolver.js";
import type { HelpRequestChoiceService } from "./help-request.choice.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly helpRequestChoice: HelpRequestChoiceService;
  }
}

/** The requester's choice among volunteers who offer to help (help-request.choice.service.ts). */
export const helpRequestChoiceModule: GraphQLModule<{ helpRequestChoice: HelpRequestChoiceService; places: PlaceService }> = {
  resolvers: [HelpRequestChoiceResolver],
  instances: (s) => [new HelpRequestChoiceResolver(s.helpRequestChoice, s.places)],
};
