import { Extensions, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node } from "../../graphql/relay.js";

export enum WebhookEndpointStatus {
  ENABLED = "ENABLED",
  DISABLED = "DISABLED",
}
registerEnumType(WebhookEndpointStatus, {
  name: "WebhookEndpointStatus",
  description: "Whether an endpoint receives deliveries.",
  valuesConfig: {
    ENABLED: { description: "Receives deliveries." },
    DISABLED: { description: "Receives none: disabled by its owner, or by the server after failing continuously (see `disabledReason`). Deliveries wait until it is enabled." },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = "PENDING",
  SENDING = "SENDING",
  FAILED = "FAILED",
  SUCCEEDED = "SUCCEEDED",
  DEAD = "DEAD",
}
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "Where a delivery stands.",
  valuesConfig: {
    PENDING: { description: "Not attempted yet." },
    SENDING: { description: "An attempt is under way." },
    FAILED: { description: "The last attempt failed; another follows at `nextAttemptAt`." },
    SUCCEEDED: { description: "The endpoint answered 2xx." },
    DEAD: { description: "Given up after the configured number of attempts; `redeliverWebhook` sends it again." },
  },
});

@ObjectType("WebhookEndpoint", {
  implements: Node,
  description: "Where a partner app receives signed events (Standard Webhooks). Seen only by whoever registered the app.",
})
export class WebhookEndpoint extends Node {
  @Field(() => ID, { description: "The partner app it belongs to." })
  clientId!: string;
  @Field(() => String, { description: "Where deliveries are POSTed (https; http only for allow-listed hosts)." })
  url!: string;
  @Field(() => String, { description: "What the endpoint is for, in the owner's words." })
  description!: string;
  @Field(() => [String], { description: "The event types it receives (see `webhookEventTypes`)." })
  @Extensions({ maxItems: 50 })
  eventTypes!: string[];
  @Field(() => Boolean, { description: "Receives the events of the app's sandbox (by its sandbox keys' scopes) instead of its production data." })
  sandbox!: boolean;
  @Field(() => WebhookEndpointStatus, { description: "Whether it receives deliveries." })
  status!: WebhookEndpointStatus;
  @Field(() => String, { nullable: true, description: "Why it is disabled: by its owner, or after failing continuously (since when, and the last error)." })
  disabledReason!: string | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was disabled." })
  disabledAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "Since when every attempt has failed; null when the last attempt succeeded." })
  failingSince!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "After a rotation: until when messages are also signed with the previous secret." })
  previousSecretUntil!: Date | null;
  @Field(() => DateTimeISO, { description: "When it was registered." })
  createdAt!: Date;
}

@ObjectType("WebhookEndpointWithSecret", { description: "An endpoint with its signing secret, returned once when it is made or its secret rotated." })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: "The endpoint." })
  endpoint!: WebhookEndpoint;
  @Field(() => String, { description: "The signing secret (`whsec_` + base64). Shown only now: store it; verify deliveries with it." })
  secret!: string;
}

@ObjectType("WebhookAttempt", { description: "One attempt to deliver a message." })
export class WebhookAttempt {
  @Field(() => DateTimeISO, { description: "When it ended." })
  at!: Date;
  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status code; null when it did not answer (timeout, refused address, connection error)." })
  statusCode!: number | null;
  @Field(() => Int, { description: "How long it took, in milliseconds." })
  durationMs!: number;
  @Field(() => String, { nullable: true, description: "What went wrong, if anything." })
  error!: string | null;
}

@ObjectType("WebhookDelivery", { implements: Node, description: "One message to one endpoint, with its attempts. Seen only by the endpoint's owner." })
export class WebhookDelivery extends Node {
  @Field(() => ID, { description: "The endpoint." })
  endpointId!: string;
  @Field(() => String, { description: "The event type." })
  eventType!: string;
  @Field(() => String, { description: "The `webhook-id` header: the same on every attempt, redelivery and replay of this event to this endpoint." })
  messageId!: string;
  @Field(() => String, { description: "The event's position in the event log; pass it to `replayWebhooks` to send again what came after it." })
  eventCursor!: string;
  @Field(() => String, { description: "The body sent (JSON): `{type, timestamp, data}` with ids and statuses only." })
  payload!: string;
  @Field(() => WebhookDeliveryStatus, { description: "Where it stands." })
  status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: "Attempts made." })
  attempts!: number;
  @Field(() => DateTimeISO, { nullable: true, description: "When the next attempt is due; null once it succeeded or is dead." })
  nextAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "The status code of the last attempt." })
  lastStatusCode!: number | null;
  @Field(() => Int, { nullable: true, description: "How long the last attempt took, in milliseconds." })
  lastDurationMs!: number | null;
  @Field(() => String, { nullable: true, description: "What went wrong in the last attempt." })
  lastError!: string | null;
  @Field(() => DateTimeISO, { description: "When it was queued." })
  createdAt!: Date;
}

@ObjectType("WebhookEventTypeInfo", { description: "An event type an endpoint can receive." })
export class WebhookEventTypeInfo {
  @Field(() => String, { description: "Its name, e.g. `help-request.matched`." })
  name!: string;
  @Field(() => String, { description: "What it tells." })
  description!: string;
  @Field(() => String, { description: "The scope the app's keys need for it (e.g. `requests:write`)." })
  scope!: string;
}

@ObjectType("WebhookReplay", { description: "What a replay queued." })
export class WebhookReplay {
  @Field(() => Int, { description: "Deliveries queued." })
  queued!: number;
  @Field(() => String, { description: "The cursor the replay reached; replay again from it when `complete` is false." })
  nextCursor!: string;
  @Field(() => Boolean, { description: "Whether it reached what live delivery has decided." })
  complete!: boolean;
}
