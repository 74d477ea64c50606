import { defineReasons } from "../../shared/errors.js";

/**
 * Every reason the stats module reports in `extensions.reason` (see docs/error-codes.md), including the
 * platform-wide ones it throws itself (INVALID_INPUT, AREA_NOT_FOUND, ...).
 */
export const StatsReason = defineReasons(["INVALID_STATS_PERIOD", "SCOPE_REQUIRED", "INVALID_INPUT", "INVALID_CURSOR", "AREA_NOT_FOUND"]);
export type StatsReason = keyof typeof StatsReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<StatsReason, true> {}
}
