import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { FieldCost } from "../../graphql/cost.js";
import type { Context } from "../../graphql/context.js";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPE_NAMES } from "./webhook.events.js";
import { RegisterWebhookEndpointInput, UpdateWebhookEndpointInput } from "./webhook.input.js";
import type { DeliveryRow, EndpointRow } from "./webhook.repository.js";
import type { WebhookService } from "./webhook.service.js";
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret, WebhookEventTypeInfo, WebhookReplay } from "./webhook.type.js";

const asEndpoint = (r: EndpointRow) => r as unknown as WebhookEndpoint;
const asDelivery = (r: DeliveryRow) => r as unknown as WebhookDelivery;
/** GraphQL gives null for a field left out; the service's rules read it as absent. */
const present = <T extends object>(input: T) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Query(() => [WebhookEventTypeInfo], { description: "The event types a webhook endpoint can receive, with the scope each needs." })
  @Extensions({ maxItems: 50 })
  webhookEventTypes(): WebhookEventTypeInfo[] {
    return WEBHOOK_EVENT_TYPE_NAMES.map((name) => ({ name, description: WEBHOOK_EVENT_TYPES[name].description, scope: WEBHOOK_EVENT_TYPES[name].scope }));
  }

  @Query(() => [WebhookEndpoint], { description: "The webhook endpoints of a partner app you registered, oldest first." })
  @Extensions({ maxItems: 20 })
  async webhookEndpoints(@Ctx() ctx: Context, @Arg("clientId", () => ID, { description: "The partner app." }) clientId: string): Promise<WebhookEndpoint[]> {
    return (await this.webhooks.endpointsOf(ctx.viewer, clientId)).map(asEndpoint);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: "Registers a webhook endpoint for a partner app you registered; the answer holds its signing secret, shown only this once.",
  })
  async registerWebhookEndpoint(
    @Ctx() ctx: Context,
    @Arg("input", () => RegisterWebhookEndpointInput, { description: "The endpoint." }) input: RegisterWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecret> {
    const { endpoint, secret } = await this.webhooks.register(ctx.viewer, present(input));
    return { endpoint: asEndpoint(endpoint), secret };
  }

  @Mutation(() => WebhookEndpoint, { description: "Changes an endpoint's URL, description or event types." })
  async updateWebhookEndpoint(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The endpoint." }) id: string,
    @Arg("input", () => UpdateWebhookEndpointInput, { description: "What to change." }) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return asEndpoint(await this.webhooks.update(ctx.viewer, id, present(input)));
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: "Gives an endpoint a new signing secret, shown only this once; messages are signed with the old one too for WEBHOOK_ROTATION_GRACE_HOURS.",
  })
  async rotateWebhookSecret(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The endpoint." }) id: string): Promise<WebhookEndpointWithSecret> {
    const { endpoint, secret } = await this.webhooks.rotateSecret(ctx.viewer, id);
    return { endpoint: asEndpoint(endpoint), secret };
  }

  @Mutation(() => WebhookEndpoint, { description: "Stops deliveries to an endpoint; what is queued waits until it is enabled." })
  async disableWebhookEndpoint(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The endpoint." }) id: string): Promise<WebhookEndpoint> {
    return asEndpoint(await this.webhooks.setEnabled(ctx.viewer, id, false));
  }

  @Mutation(() => WebhookEndpoint, { description: "Resumes deliveries to an endpoint (also one the server disabled after failures)." })
  async enableWebhookEndpoint(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The endpoint." }) id: string): Promise<WebhookEndpoint> {
    return asEndpoint(await this.webhooks.setEnabled(ctx.viewer, id, true));
  }

  @Mutation(() => Boolean, { description: "Deletes an endpoint with its delivery log." })
  deleteWebhookEndpoint(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The endpoint." }) id: string): Promise<boolean> {
    return this.webhooks.delete(ctx.viewer, id);
  }

  @Mutation(() => WebhookDelivery, { description: "Sends a delivery again now, as a new delivery with the same body and `webhook-id`." })
  async redeliverWebhook(@Ctx() ctx: Context, @Arg("deliveryId", () => ID, { description: "The delivery." }) deliveryId: string): Promise<WebhookDelivery> {
    return asDelivery(await this.webhooks.redeliver(ctx.viewer, deliveryId));
  }

  @Mutation(() => WebhookReplay, {
    description:
      "Queues again the events after a cursor (a delivery's `eventCursor`) that the endpoint receives, within the event log's retention and at most WEBHOOK_REPLAY_LIMIT events a call.",
  })
  async replayWebhooks(
    @Ctx() ctx: Context,
    @Arg("endpointId", () => ID, { description: "The endpoint." }) endpointId: string,
    @Arg("fromCursor", () => String, { description: "Replay what came after this event cursor." }) fromCursor: string,
  ): Promise<WebhookReplay> {
    return this.webhooks.replay(ctx.viewer, endpointId, fromCursor);
  }

  @FieldResolver(() => [WebhookDelivery], { description: "The delivery log, newest first." })
  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  async deliveries(
    @Ctx() ctx: Context,
    @Root() endpoint: EndpointRow,
    @Arg("first", () => Int, { nullable: true, description: "How many, 1-100 (default 20)." }) first?: number | null,
  ): Promise<WebhookDelivery[]> {
    return (await this.webhooks.deliveries(ctx.viewer, endpoint.id, first)).map(asDelivery);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @FieldResolver(() => String, { description: "The event's position in the event log." })
  eventCursor(@Root() d: DeliveryRow): string {
    return String(d.eventSeq);
  }

  @FieldResolver(() => String, { description: "The body sent (JSON)." })
  payload(@Root() d: DeliveryRow): string {
    return JSON.stringify(d.payload);
  }

  @FieldResolver(() => DateTimeISO, { nullable: true, description: "When the next attempt is due; null once it succeeded or is dead." })
  nextAttemptAt(@Root() d: DeliveryRow): Date | null {
    return d.status === "SUCCEEDED" || d.status === "DEAD" ? null : d.nextAttemptAt;
  }

  @FieldResolver(() => [WebhookAttempt], { description: "Every attempt, oldest first." })
  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  attemptLog(@Root() d: DeliveryRow): Promise<WebhookAttempt[]> {
    return this.webhooks.attempts([d.id]);
  }
}
