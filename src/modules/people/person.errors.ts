import { defineReasons } from "../../shared/errors.js";

/** Reasons the people module reports in `extensions.reason` (see docs/error-codes.md). */
export const PersonReason = defineReasons(["EMAIL_TAKEN", "LOGIN_THROTTLED", "PERSON_NOT_FOUND", "TEAM_REQUIRED"]);
export type PersonReason = keyof typeof PersonReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<PersonReason, true> {}
}
