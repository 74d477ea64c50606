import { Field, ID, InputType } from "type-graphql";

@InputType("RegisterWebhookEndpointInput", { description: "A new webhook endpoint of a partner app." })
export class RegisterWebhookEndpointInput {
  @Field(() => ID, { description: "The partner app (one you registered)." })
  clientId!: string;
  @Field(() => String, { description: "Where to POST deliveries: https (http only for hosts in WEBHOOK_ALLOW_HOSTS); not a private, loopback or link-local address." })
  url!: string;
  @Field(() => String, { nullable: true, description: "What the endpoint is for (at most 500 characters)." })
  description?: string;
  @Field(() => [String], { description: "Event types to receive (see `webhookEventTypes`)." })
  eventTypes!: string[];
  @Field(() => Boolean, { nullable: true, description: "Receive the app's sandbox events instead of its production ones (default false)." })
  sandbox?: boolean;
}

@InputType("UpdateWebhookEndpointInput", { description: "Changes to an endpoint; what you leave out stays." })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true, description: "A new URL (same rules as at registration)." })
  url?: string;
  @Field(() => String, { nullable: true, description: "A new description." })
  description?: string;
  @Field(() => [String], { nullable: true, description: "New event types." })
  eventTypes?: string[];
}
