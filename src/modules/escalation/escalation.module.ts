import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { EscalationAuditResolver, EscalationResolver, HelpRequestEscalationResolver } from "./escalation.resolver.js";
import type { EscalationService } from "./escalation.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly escalation: EscalationService;
  }
}

/** Escalations to professional teams (opschaling), their audit trail and consent. */
export const escalationModule: GraphQLModule<{ escalation: EscalationService; places: PlaceService }> = {
  resolvers: [EscalationResolver, EscalationAuditResolver, HelpRequestEscalationResolver],
  instances: (s) => [new EscalationResolver(s.escalation, s.places), new EscalationAuditResolver(s.escalation), new HelpRequestEscalationResolver(s.escalation)],
  nodes: (s) => ({
    Escalation: (ctx, id) => s.escalation.findVisible(ctx.viewer, id),
  }),
};
