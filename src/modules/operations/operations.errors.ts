import { defineReasons } from "../../shared/errors.js";

/** Reasons the operations module reports in `extensions.reason` (see docs/error-codes.md). */
export const OperationsReason = defineReasons(["CLOCK_CONTROL_DISABLED"]);
export type OperationsReason = keyof typeof OperationsReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<OperationsReason, true> {}
}
