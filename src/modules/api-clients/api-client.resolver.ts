import { specifiedRules, validate } from "graphql";
import { Arg, Ctx, Extensions, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import { IssueApiKeyInput, RegisterApiClientInput } from "./api-client.input.js";
import type { ApiClientRow, ApiKeyRow, PersistedOperationRow } from "./api-client.repository.js";
import type { ApiClientService } from "./api-client.service.js";
import { FieldCost } from "../../graphql/cost.js";
import {
  ApiClient,
  ApiClientConnection,
  ApiKey,
  ApiKeyConnection,
  ApiKeyInfo,
  ApiScope,
  IssuedApiKey,
  PersistedOperation,
  PersistedOperationConnection,
  nameToScope,
  scopeToName,
} from "./api-client.type.js";

const asClient = (r: ApiClientRow) => r as unknown as ApiClient;
const asKey = (r: ApiKeyRow) => r as unknown as ApiKey;
const asOperation = (r: PersistedOperationRow) => r as unknown as PersistedOperation;

@Resolver(() => ApiClient)
export class ApiClientResolver {
  constructor(private readonly clients: ApiClientService) {}

  @Query(() => ApiClientConnection, { description: "Coordinator: registered partner apps, newest first." })
  async apiClients(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<ApiClient>> {
    return toConnection(await this.clients.listClients(ctx.viewer, { first, after, last, before }), asClient);
  }

  @Query(() => ApiClient, { description: "Coordinator: one partner app (NOT_FOUND otherwise)." })
  async apiClient(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The app." }) id: string): Promise<ApiClient> {
    return asClient(await this.clients.getClient(ctx.viewer, id));
  }

  @Query(() => ApiKeyInfo, { nullable: true, description: "The API key this request was made with (any key may ask); null without a key." })
  currentApiKey(@Ctx() ctx: Context): ApiKeyInfo | null {
    const c = ctx.client;
    if (!c) return null;
    return {
      clientName: c.clientName,
      prefix: c.keyPrefix,
      scopes: [...c.scopes].map((s) => nameToScope[s]),
      rateLimitPerMinute: c.rateLimitPerMinute,
      allowListOnly: c.allowListOnly,
      sandbox: c.sandboxOrganisationId !== null,
      sandboxOrganisationId: c.sandboxOrganisationId,
      actsForOrganisationId: c.actsForOrganisationId,
      expiresAt: c.expiresAt,
    };
  }

  @Mutation(() => ApiClient, { description: "Coordinator: registers a partner app; then issue it a key with issueApiKey." })
  async registerApiClient(@Ctx() ctx: Context, @Arg("input", () => RegisterApiClientInput, { description: "The app." }) input: RegisterApiClientInput): Promise<ApiClient> {
    return asClient(await this.clients.registerClient(ctx.viewer, input));
  }

  @Mutation(() => IssuedApiKey, { description: "Coordinator: issues a key to an app. The secret is in the answer only; store it then." })
  async issueApiKey(
    @Ctx() ctx: Context,
    @Arg("clientId", () => ID, { description: "The app." }) clientId: string,
    @Arg("input", () => IssueApiKeyInput, { description: "Scopes, expiry, rate limit, allow-list binding." }) input: IssueApiKeyInput,
  ): Promise<IssuedApiKey> {
    const { secret, key } = await this.clients.issueKey(ctx.viewer, clientId, { ...input, scopes: input.scopes.map((s) => scopeToName[s]) });
    return { secret, apiKey: asKey(key) };
  }

  @Mutation(() => ApiKey, { description: "Coordinator: revokes a key (at once on this instance, within 30 seconds everywhere)." })
  async revokeApiKey(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The key." }) id: string): Promise<ApiKey> {
    return asKey(await this.clients.revokeKey(ctx.viewer, id));
  }

  @Mutation(() => ApiClient, { description: "Coordinator: disables every key of an app, or enables them again." })
  async setApiClientDisabled(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The app." }) id: string,
    @Arg("disabled", () => Boolean, { description: "True to disable, false to enable." }) disabled: boolean,
  ): Promise<ApiClient> {
    return asClient(await this.clients.setClientDisabled(ctx.viewer, id, disabled));
  }

  @Extensions({ maxItems: 100, itemsFrom: "documents" })
  @Mutation(() => [PersistedOperation], {
    description: "Coordinator: adds operations to an app's allow-list (each document: one operation, valid for this schema). Returns them with their SHA-256.",
  })
  async registerPersistedOperations(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg("clientId", () => ID, { description: "The app." }) clientId: string,
    @Arg("documents", () => [String], { description: "Document texts, 1-100; the hash is taken of the exact text." }) documents: string[],
  ): Promise<PersistedOperation[]> {
    const rows = await this.clients.registerOperations(ctx.viewer, clientId, documents, (doc) => validate(info.schema, doc, specifiedRules));
    return rows.map(asOperation);
  }

  @Mutation(() => Boolean, { description: "Coordinator: removes an operation from an app's allow-list; false when it was not on it." })
  async removePersistedOperation(
    @Ctx() ctx: Context,
    @Arg("clientId", () => ID, { description: "The app." }) clientId: string,
    @Arg("sha256", () => String, { description: "The operation's SHA-256." }) sha256: string,
  ): Promise<boolean> {
    return this.clients.removeOperation(ctx.viewer, clientId, sha256);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => ApiKeyConnection, { description: "The app's keys, newest first (without their secrets)." })
  async keys(
    @Ctx() ctx: Context,
    @Root() client: ApiClientRow,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<ApiKey>> {
    return toConnection(await this.clients.listKeys(ctx.viewer, client.id, { first, after, last, before }), asKey);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => PersistedOperationConnection, { description: "The app's allow-list, newest first." })
  async persistedOperations(
    @Ctx() ctx: Context,
    @Root() client: ApiClientRow,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<PersistedOperation>> {
    return toConnection(await this.clients.listOperations(ctx.viewer, client.id, { first, after, last, before }), asOperation);
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly clients: ApiClientService) {}

  @Extensions({ maxItems: 10 })
  @FieldResolver(() => [ApiScope], { description: "What the key may reach." })
  scopes(@Root() key: ApiKeyRow): ApiScope[] {
    return key.scopes.map((s) => nameToScope[s]);
  }

  @FieldResolver(() => Boolean, { description: "True while the key works: not revoked and not expired." })
  active(@Root() key: ApiKeyRow): boolean {
    return this.clients.isActive(key);
  }
}
