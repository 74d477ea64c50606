import type { GraphQLModule } from "../../graphql/module.js";
import { PushResolver } from "./notification.push.resolver.js";
import type { PushService } from "./notification.push.service.js";
import { NotificationResolver } from "./notification.resolver.js";
import type { NotificationService } from "./notification.service.js";

/** Notifications: preferences, a person's history, the coordinators' dead letters, browsers for Web Push; `node(id)` of a Notification. */
export const notificationsModule: GraphQLModule<{ notifications: NotificationService; push: PushService }> = {
  resolvers: [NotificationResolver, PushResolver],
  instances: (s) => [new NotificationResolver(s.notifications), new PushResolver(s.push)],
  nodes: (s) => ({
    Notification: (ctx, id) => s.notifications.findVisible(ctx.viewer, id),
  }),
};
