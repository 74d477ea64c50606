import { defineReasons } from "../../shared/errors.js";

/** Reasons the volunteers module reports in `extensions.reason` (see docs/error-codes.md). */
export const VolunteerReason = defineReasons(["VOLUNTEER_ONLY", "VOG_ISSUED_IN_FUTURE"]);
export type VolunteerReason = keyof typeof VolunteerReason;

declare module "../../shared/errors.js" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ReasonRegistry extends Record<VolunteerReason, true> {}
}
