import { defineReasons } from "../../shared/errors.js";

/** Reasons the access-log module reports in `extensions.reason` (see docs/error-codes.md). */
export const AccessLogReason = defineReasons(["ACCESS_LOG_OF_OTHERS"]);
export type AccessLogReason = keyof typeof AccessLogReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<AccessLogReason, true> {}
}
