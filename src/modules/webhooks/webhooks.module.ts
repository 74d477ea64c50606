import type { GraphQLModule } from "../../graphql/module.js";
import { WebhookDeliveryResolver, WebhookEndpointResolver } from "./webhook.resolver.js";
import type { WebhookService } from "./webhook.service.js";

/** Partner webhooks (Standard Webhooks): endpoints, their secrets, the delivery log, redelivery and replay. */
export const webhooksModule: GraphQLModule<{ webhooks: WebhookService }> = {
  resolvers: [WebhookEndpointResolver, WebhookDeliveryResolver],
  instances: (s) => [new WebhookEndpointResolver(s.webhooks), new WebhookDeliveryResolver(s.webhooks)],
  nodes: (s) => ({
    WebhookEndpoint: (ctx, id) => s.webhooks.findVisibleEndpoint(ctx.viewer, id),
    WebhookDelivery: (ctx, id) => s.webhooks.findVisibleDelivery(ctx.viewer, id),
  }),
};
