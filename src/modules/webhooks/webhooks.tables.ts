import type { Kit } from "../../db/kit.js";
import type { ApiClientTables } from "../api-clients/api-client.tables.js";

/** Where an endpoint stands: ENABLED receives deliveries; DISABLED (by its owner, or after failing too long) does not. */
export type WebhookEndpointStatus = "ENABLED" | "DISABLED";
/** A delivery's state: waiting (PENDING, FAILED with a next attempt), being sent (SENDING), or finished (SUCCEEDED, DEAD). */
export type WebhookDeliveryStatus = "PENDING" | "SENDING" | "FAILED" | "SUCCEEDED" | "DEAD";

/** The body of a delivery, fixed when it was decided (see webhook.payloads.ts): ids and statuses only. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: { id: string; status: string } & Record<string, string | number | boolean | null>;
}

/**
 * Partner webhooks: how far the dispatcher has read the event log, the endpoints partner apps'
 * owners registered, one row per message and endpoint (its schedule and state) and one per attempt
 * (the delivery log its owner reads).
 */
export function defineWebhookTables(k: Kit, deps: Pick<ApiClientTables, "apiClients">) {
  /** The durable cursor of a reader of the event log (`webhooks`: the last sequence decided on). */
  const webhookCursors = k.table("webhook_cursors", {
    name: k.text("name").primaryKey(),
    seq: k.bigint("seq").notNull(),
    updatedAt: k.time("updated_at").notNull(),
  });

  const webhookEndpoints = k.table(
    "webhook_endpoints",
    {
      id: k.text("id").primaryKey(),
      clientId: k
        .text("client_id")
        .notNull()
        .references(() => deps.apiClients.id),
      /** Receives the events of the client's sandbox (its sandbox keys' scopes) rather than its production data. */
      sandbox: k.bool("sandbox").notNull(),
      url: k.text("url").notNull(),
      description: k.text("description").notNull(),
      eventTypes: k.json<string[]>("event_types").notNull(),
      /**
       * The signing secret (`whsec_` + base64), kept as is: signing needs it in the clear, and a key to
       * encrypt it would sit in the same configuration as the database credentials (decisions.md).
       */
      secret: k.text("secret").notNull(),
      /** The secret before the last rotation, still signed with until `previousSecretUntil`. */
      previousSecret: k.text("previous_secret"),
      previousSecretUntil: k.time("previous_secret_until"),
      status: k.text("status").$type<WebhookEndpointStatus>().notNull(),
      /** Why it is DISABLED: by its owner, or the failures that made the server stop sending. */
      disabledReason: k.text("disabled_reason"),
      disabledAt: k.time("disabled_at"),
      /** Since when every attempt failed (null: the last attempt succeeded, or none was made). */
      failingSince: k.time("failing_since"),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.index("webhook_endpoints_client_idx").on(t.clientId, t.createdAt)],
  );

  const webhookDeliveries = k.table(
    "webhook_deliveries",
    {
      id: k.text("id").primaryKey(),
      endpointId: k
        .text("endpoint_id")
        .notNull()
        .references(() => webhookEndpoints.id),
      /** The event it carries: with endpoint and origin, the key that makes deciding idempotent. */
      eventSeq: k.bigint("event_seq").notNull(),
      /** `live` for the dispatcher, `replay:<id>` for a replay, `redeliver:<id>` for a redelivery. */
      origin: k.text("origin").notNull(),
      /** The `webhook-id` header: one per event and endpoint, the same on every attempt and redelivery, so receivers can drop duplicates. */
      messageId: k.text("message_id").notNull(),
      eventType: k.text("event_type").notNull(),
      payload: k.json<WebhookPayload>("payload").notNull(),
      status: k.text("status").$type<WebhookDeliveryStatus>().notNull(),
      attempts: k.int("attempts").notNull(),
      nextAttemptAt: k.time("next_attempt_at").notNull(),
      leaseUntil: k.time("lease_until"),
      claimToken: k.text("claim_token"),
      lastStatusCode: k.int("last_status_code"),
      lastError: k.text("last_error"),
      lastDurationMs: k.int("last_duration_ms"),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      k.uniqueIndex("webhook_deliveries_decision_idx").on(t.endpointId, t.eventSeq, t.origin),
      k.index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
      k.index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt, t.id),
    ],
  );

  /** One attempt of a delivery: when, the answer's status code (null: no answer), how long it took, what went wrong. */
  const webhookAttempts = k.table(
    "webhook_attempts",
    {
      id: k.text("id").primaryKey(),
      deliveryId: k
        .text("delivery_id")
        .notNull()
        .references(() => webhookDeliveries.id),
      at: k.time("at").notNull(),
      statusCode: k.int("status_code"),
      durationMs: k.int("duration_ms").notNull(),
      error: k.text("error"),
    },
    (t) => [k.index("webhook_attempts_delivery_idx").on(t.deliveryId, t.at)],
  );

  return { webhookCursors, webhookEndpoints, webhookDeliveries, webhookAttempts };
}

export type WebhookTables = ReturnType<typeof defineWebhookTables>;
