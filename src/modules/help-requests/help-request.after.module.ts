import type { GraphQLModule } from "../../graphql/module.js";
import { HelpRequestAfterResolver } from "./help-request.after.resolver.js";
import type { HelpRequestAfterService } from "./help-request.after.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly helpRequestAfter: HelpRequestAfterService;
  }
}

/** After the help: thanks, follow-up and volunteer hours (help-request.after.service.ts). */
export const helpRequestAfterModule: GraphQLModule<{ helpRequestAfter: HelpRequestAfterService }> = {
  resolvers: [HelpRequestAfterResolver],
  instances: (s) => [new HelpRequestAfterResolver(s.helpRequestAfter)],
};
