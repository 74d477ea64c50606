import { defineReasons } from "../../shared/errors.js";

/** Reasons the webhooks module reports in `extensions.reason` (see docs/error-codes.md). */
export const WebhookReason = defineReasons([
  "WEBHOOK_URL_INVALID",
  "WEBHOOK_URL_NOT_HTTPS",
  "WEBHOOK_URL_PRIVATE_ADDRESS",
  "WEBHOOK_UNKNOWN_EVENT_TYPE",
  "WEBHOOK_ENDPOINT_NOT_FOUND",
  "WEBHOOK_DELIVERY_NOT_FOUND",
  "WEBHOOK_NOT_CLIENT_OWNER",
  "WEBHOOK_TOO_MANY_ENDPOINTS",
]);
export type WebhookReason = keyof typeof WebhookReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<WebhookReason, true> {}
}
