import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { helpRequestPolicy } from "./help-request.policy.js";
import type { HelpRequestRow } from "./help-request.repository.js";
import { HelpRequestEventResolver, HelpRequestResolver } from "./help-request.resolver.js";
import type { HelpRequestService } from "./help-request.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly helpRequests: HelpRequestService;
  }
}

/** Help requests (hulpvragen): asking, matching, history, and who may see a request's contact and history. */
export const helpRequestsModule: GraphQLModule<{ helpRequests: HelpRequestService; places: PlaceService }> = {
  resolvers: [HelpRequestResolver, HelpRequestEventResolver],
  instances: (s) => [new HelpRequestResolver(s.helpRequests, s.places), new HelpRequestEventResolver()],
  rules: (s) => ({
    HELP_REQUEST_CONTACT: {
      // The service decides in full (e.g. the organisers of the organisation a request was asked for).
      allows: (v, r) => helpRequestPolicy.canSeeContact(v, r as HelpRequestRow) || s.helpRequests.isAskerSide(v, r as HelpRequestRow),
      reason: "CONTACT_DETAILS_HIDDEN",
      message: "Contact details are visible only to the person helped, the requester and the matched volunteer.",
    },
    HELP_REQUEST_HISTORY: {
      allows: (v, r) => helpRequestPolicy.canSeeHistory(v, r as HelpRequestRow),
      reason: "HISTORY_HIDDEN",
      message: "Only those involved in this request can see this.",
    },
    /** The organisers of an organisation that took a request on, or that it was asked for, follow it. */
    HELP_REQUEST_ORGANISATION: {
      allows: (v, r) => s.helpRequests.canFollow(v, r as HelpRequestRow),
      reason: "HISTORY_HIDDEN",
      message: "Only those involved in this request can see this.",
    },
  }),
  nodes: (s) => ({
    HelpRequest: (ctx, id) => s.helpRequests.findVisible(ctx.viewer, id),
    HelpRequestEvent: (ctx, id) => s.helpRequests.findVisibleEvent(ctx.viewer, id),
  }),
};
