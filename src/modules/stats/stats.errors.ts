import { defineReasons } from "../../shared/errors.js";

/**
 * Reasons the stats module reports in `extensions.reason` (see docs/error-codes.md). The finer figures'
 * gate reports the api-clients module's SCOPE_REQUIRED.
 */
export const StatsReason = defineReasons(["INVALID_STATS_PERIOD"]);
export type StatsReason = keyof typeof StatsReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<StatsReason, true> {}
}
