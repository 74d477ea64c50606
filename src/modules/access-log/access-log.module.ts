import type { GraphQLModule } from "../../graphql/module.js";
import { AccessLogResolver } from "./access-log.resolver.js";
import type { AccessLogService } from "./access-log.service.js";

/** The access log: who read whose personal data, shown to the person it is about. */
export const accessLogModule: GraphQLModule<{ accessLog: AccessLogService }> = {
  resolvers: [AccessLogResolver],
  instances: (s) => [new AccessLogResolver(s.accessLog)],
  nodes: (s) => ({
    AccessLogEntry: (ctx, id) => s.accessLog.findVisible(ctx.viewer, id),
  }),
};
