import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { HelpRequestInitiativesResolver } from "./help-request-suggestion.resolver.js";
import { InitiativeResolver } from "./initiative.resolver.js";
import type { InitiativeService } from "./initiative.service.js";
import { OrganisationResolver } from "./organisation.resolver.js";
import type { OrganisationService } from "./organisation.service.js";
import { PlacementResolver } from "./participation.resolver.js";
import type { ParticipationService } from "./participation.service.js";
import { SignupResolver } from "./signup.resolver.js";
import type { SignupService } from "./signup.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly initiatives: InitiativeService;
    readonly signups: SignupService;
  }
}

interface InitiativeServices {
  organisations: OrganisationService;
  initiatives: InitiativeService;
  signups: SignupService;
  participation: ParticipationService;
  places: PlaceService;
}

/** Neighbourhood initiatives: organisations, initiatives, sign-ups, participation places, and suggestions for help requests. */
export const initiativesModule: GraphQLModule<InitiativeServices> = {
  resolvers: [OrganisationResolver, InitiativeResolver, SignupResolver, PlacementResolver, HelpRequestInitiativesResolver],
  instances: (s) => [
    new OrganisationResolver(s.organisations, s.initiatives, s.places),
    new InitiativeResolver(s.initiatives, s.signups, s.places),
    new SignupResolver(s.signups, s.initiatives),
    new PlacementResolver(s.participation, s.initiatives, s.organisations),
    new HelpRequestInitiativesResolver(s.initiatives, s.organisations),
  ],
  nodes: (s) => ({
    Organisation: (ctx, id) => s.organisations.findVisible(ctx.viewer, id),
    Initiative: (ctx, id) => s.initiatives.findVisible(ctx.viewer, id),
    Signup: (ctx, id) => s.signups.findVisible(ctx.viewer, id),
    Placement: (ctx, id) => s.participation.findVisible(ctx.viewer, id),
  }),
};
