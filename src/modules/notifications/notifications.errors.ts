import { defineReasons } from "../../shared/errors.js";

/** Reasons the notifications module reports in `extensions.reason` (see docs/error-codes.md). */
export const NotificationReason = defineReasons(["NOTIFICATION_NOT_FOUND", "NOTIFICATION_NOT_DEAD"]);
export type NotificationReason = keyof typeof NotificationReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<NotificationReason, true> {}
}
