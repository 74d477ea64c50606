import { defineReasons } from "../../shared/errors.js";

/** Reasons the volunteers module reports in `extensions.reason` (see docs/error-codes.md). */
export const VolunteerReason = defineReasons(["VOLUNTEER_ONLY", "VOG_ISSUED_IN_FUTURE"]);
export type VolunteerReason = keyof typeof VolunteerReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<VolunteerReason, true> {}
}
