import { defineReasons } from "../../shared/errors.js";

/**
 * Every reason the help-request module reports in `extensions.reason` (see docs/error-codes.md),
 * including the platform-wide ones it throws itself (INVALID_INPUT, PERSON_NOT_FOUND, ...).
 */
export const HelpRequestReason = defineReasons([
  "HELP_REQUEST_NOT_FOUND",
  "HELP_REQUEST_ALREADY_MATCHED",
  "HELP_REQUEST_NOT_OPEN",
  "HELP_REQUEST_WRONG_STATUS",
  "HELP_REQUEST_WINDOW_PASSED",
  "HELP_REQUEST_OUTCOME_NOT_DUE",
  "CANNOT_ACCEPT_OWN_REQUEST",
  "VOG_REQUIRED",
  "ASSIGNEE_DOES_NOT_FIT",
  "NOT_THE_MATCHED_VOLUNTEER",
  "NOT_THE_REQUESTER",
  "NOT_AN_ORGANISER",
  "CANNOT_ASK_ON_BEHALF",
  "UNKNOWN_PERSON_HELPED",
  "INVALID_TIME_WINDOW",
  "INVALID_INPUT",
  "NEIGHBOURHOOD_REQUIRED",
  "PERSON_NOT_FOUND",
  "CONTACT_DETAILS_HIDDEN",
  "HISTORY_HIDDEN",
]);
export type HelpRequestReason = keyof typeof HelpRequestReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<HelpRequestReason, true> {}
}
