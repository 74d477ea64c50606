import type { GraphQLModule } from "../../graphql/module.js";
import { NotificationResolver } from "./notification.resolver.js";
import type { NotificationService } from "./notification.service.js";

/** Notifications: preferences, a person's history, the coordinators' dead letters; `node(id)` of a Notification. */
export const notificationsModule: GraphQLModule<{ notifications: NotificationService }> = {
  resolvers: [NotificationResolver],
  instances: (s) => [new NotificationResolver(s.notifications)],
  nodes: (s) => ({
    Notification: (ctx, id) => s.notifications.findVisible(ctx.viewer, id),
  }),
};
