import { defineReasons } from "../../shared/errors.js";

/** Reasons the notifications module reports in `extensions.reason` (see docs/error-codes.md). */
export const NotificationReason = defineReasons([
  "NOTIFICATION_NOT_FOUND",
  "NOTIFICATION_NOT_DEAD",
  "PUSH_NOT_AVAILABLE",
  "PUSH_ENDPOINT_NOT_ALLOWED",
  "PUSH_KEYS_INVALID",
  "PUSH_SUBSCRIPTION_NOT_FOUND",
]);
export type NotificationReason = keyof typeof NotificationReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<NotificationReason, true> {}
}
