import { defineReasons } from "../../shared/errors.js";

/**
 * Every reason the care module reports in `extensions.reason` (see docs/error-codes.md). The last five
 * are shared with other modules: care throws them too, for the same kind of fault.
 */
export const CareReason = defineReasons([
  "CARE_CIRCLE_NOT_FOUND",
  "NOT_A_CIRCLE_MEMBER",
  "CIRCLE_COORDINATOR_ONLY",
  "MANTELZORGER_ONLY",
  "INVITATION_UNKNOWN",
  "INVITATION_EXPIRED",
  "INVITATION_USED",
  "ALREADY_A_MEMBER",
  "COORDINATOR_MUST_HAND_OVER",
  "UNKNOWN_CARE_RECEIVER",
  "CARE_TASK_NOT_FOUND",
  "CARE_SHIFT_NOT_FOUND",
  "SHIFT_NOT_OPEN",
  "SHIFT_OVERLAP",
  "NOT_YOUR_SHIFT",
  "SHIFT_NOT_STARTED",
  "SHIFT_CHANGED",
  "SWAP_NOT_FOUND",
  "SWAP_NOT_PENDING",
  "NOT_THE_SWAP_TARGET",
  "INVALID_INPUT",
  "NEIGHBOURHOOD_REQUIRED",
  "PERSON_NOT_FOUND",
  "UNKNOWN_CATEGORY",
  "INVALID_TIME_WINDOW",
]);
export type CareReason = keyof typeof CareReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<CareReason, true> {}
}
