import type { GraphQLModule } from "../../graphql/module.js";
import type { OrganisationService } from "../initiatives/organisation.service.js";
import type { Buddies } from "./buddies.services.js";
import { BuddyMatchResolver, BuddySignalResolver } from "./buddy-match.resolver.js";
import { BuddyParticipantResolver, BuddyProgrammeResolver, BuddyResolver } from "./buddy-programme.resolver.js";

/** Buddy (maatje) programmes: programmes, participants and buddies, matches with check-ins, signals and figures. */
export const buddiesModule: GraphQLModule<{ buddies: Buddies; organisations: OrganisationService }> = {
  resolvers: [BuddyProgrammeResolver, BuddyParticipantResolver, BuddyResolver, BuddyMatchResolver, BuddySignalResolver],
  instances: (s) => [
    new BuddyProgrammeResolver(s.buddies, s.organisations),
    new BuddyParticipantResolver(s.buddies),
    new BuddyResolver(s.buddies),
    new BuddyMatchResolver(s.buddies),
    new BuddySignalResolver(s.buddies),
  ],
  nodes: (s) => ({
    BuddyProgramme: (_ctx, id) => s.buddies.programmes.findProgramme(id).then((r) => r ?? null),
    BuddyParticipant: (ctx, id) => s.buddies.programmes.findVisibleParticipant(ctx.viewer, id),
    Buddy: (ctx, id) => s.buddies.programmes.findVisibleBuddy(ctx.viewer, id),
    BuddyMatch: (ctx, id) => s.buddies.matches.findVisibleMatch(ctx.viewer, id),
    BuddySignal: (ctx, id) => s.buddies.matches.findVisibleSignal(ctx.viewer, id),
  }),
};
