import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { FieldCost } from "../../graphql/cost.js";
import type { ApiClientOrganisationRow, ApiClientRow } from "./api-client.repository.js";
import type { ApiClientService } from "./api-client.service.js";
import { ApiClient, ApiClientOrganisationBinding, ApiKeyInfo, ApiKeyUsageDay } from "./api-client.type.js";

const DAYS = "How many days back, today (Europe/Amsterdam) included: 1-90, 30 when left out.";

const asBinding = (b: ApiClientOrganisationRow): ApiClientOrganisationBinding => ({ organisationId: b.organisationId, accountId: b.personId, boundAt: b.boundAt });

/** An app's usage and the organisation it acts for, for coordinators; its own usage, for the app. */
@Resolver(() => ApiClient)
export class ApiClientUsageResolver {
  constructor(private readonly clients: ApiClientService) {}

  @Extensions({ maxItems: 900, cost: FieldCost.READ })
  @FieldResolver(() => [ApiKeyUsageDay], { description: "Coordinator: what the app's keys did per day (requests, errors, rate-limit refusals), oldest first." })
  async usage(@Ctx() ctx: Context, @Root() client: ApiClientRow, @Arg("days", () => Int, { nullable: true, description: DAYS }) days?: number | null): Promise<ApiKeyUsageDay[]> {
    return this.clients.usage.forCoordinator(ctx.viewer, client.id, days);
  }

  @FieldResolver(() => ApiClientOrganisationBinding, { nullable: true, description: "Coordinator: the organisation the app acts for with `organisation:write`; null when none." })
  async actsFor(@Ctx() ctx: Context, @Root() client: ApiClientRow): Promise<ApiClientOrganisationBinding | null> {
    const b = await this.clients.organisations.of(ctx.viewer, client.id);
    return b ? asBinding(b) : null;
  }

  @Mutation(() => ApiClientOrganisationBinding, {
    description:
      "Coordinator: lets an app act for one verified organisation with `organisation:write` keys, as an account among its organisers (which they can remove). An app acts for one organisation at most.",
  })
  async bindApiClientToOrganisation(
    @Ctx() ctx: Context,
    @Arg("clientId", () => ID, { description: "The app." }) clientId: string,
    @Arg("organisationId", () => ID, { description: "The organisation it acts for." }) organisationId: string,
  ): Promise<ApiClientOrganisationBinding> {
    return asBinding(await this.clients.organisations.bind(ctx.viewer, clientId, organisationId));
  }

  @Mutation(() => Boolean, { description: "Coordinator: ends an app's acting for its organisation at once; false when it acted for none." })
  async unbindApiClientFromOrganisation(@Ctx() ctx: Context, @Arg("clientId", () => ID, { description: "The app." }) clientId: string): Promise<boolean> {
    return this.clients.organisations.unbind(ctx.viewer, clientId);
  }
}

/** What `currentApiKey` shows of the app's own usage. */
@Resolver(() => ApiKeyInfo)
export class ApiKeyInfoResolver {
  constructor(private readonly clients: ApiClientService) {}

  @Extensions({ maxItems: 900, cost: FieldCost.READ })
  @FieldResolver(() => [ApiKeyUsageDay], { description: "What the app's keys (this one and the others) did per day, oldest first." })
  async usage(@Ctx() ctx: Context, @Arg("days", () => Int, { nullable: true, description: DAYS }) days?: number | null): Promise<ApiKeyUsageDay[]> {
    return ctx.client ? this.clients.usage.ofClient(ctx.client.clientId, days) : [];
  }
}
