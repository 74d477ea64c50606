import type { GraphQLModule } from "../../graphql/module.js";
import { ApiClientUsageResolver, ApiKeyInfoResolver } from "./api-client-usage.resolver.js";
import { ApiClientResolver, ApiKeyResolver } from "./api-client.resolver.js";
import type { ApiClientService, ClientPrincipal } from "./api-client.service.js";

declare module "../../graphql/context.js" {
  interface ContextExtensions {
    /** The partner app's key the request came with (its scopes, limits), or null. */
    client: ClientPrincipal | null;
  }
}

/** Partner apps: their keys, scopes, rate limits, allow-listed operations, usage and the organisation they act for. */
export const apiClientsModule: GraphQLModule<{ apiClients: ApiClientService }> = {
  resolvers: [ApiClientResolver, ApiKeyResolver, ApiClientUsageResolver, ApiKeyInfoResolver],
  instances: (s) => [new ApiClientResolver(s.apiClients), new ApiKeyResolver(s.apiClients), new ApiClientUsageResolver(s.apiClients), new ApiKeyInfoResolver(s.apiClients)],
  nodes: (s) => ({
    ApiClient: (ctx, id) => s.apiClients.findVisibleClient(ctx.viewer, id),
    ApiKey: (ctx, id) => s.apiClients.findVisibleKey(ctx.viewer, id),
    PersistedOperation: (ctx, id) => s.apiClients.findVisibleOperation(ctx.viewer, id),
  }),
};
