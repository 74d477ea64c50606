import { defineReasons } from "../../shared/errors.js";

/**
 * Every reason the escalation module reports in `extensions.reason` (see docs/error-codes.md). Some
 * are shared with other modules (COORDINATOR_ONLY, UNKNOWN_TEAM, ...): a reason names what went wrong,
 * not where.
 */
export const EscalationReason = defineReasons([
  "ESCALATION_NOT_FOUND",
  "ESCALATION_WRONG_STATUS",
  "ALREADY_ESCALATED",
  "NOT_INVOLVED_IN_REQUEST",
  "PROFESSIONAL_ONLY",
  "NOT_A_TEAM_MEMBER",
  "NO_TEAM_FOR_AREA",
  "CONSENT_REQUIRED",
  "CANNOT_GIVE_CONSENT",
  "CANNOT_ASK_FOR_THIS_PERSON",
  "ESCALATION_TRIGGER_OFF",
  "COORDINATOR_ONLY",
  "UNKNOWN_TEAM",
  "UNKNOWN_NEIGHBOURHOOD",
  "NEIGHBOURHOOD_REQUIRED",
]);
export type EscalationReason = keyof typeof EscalationReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<EscalationReason, true> {}
}
