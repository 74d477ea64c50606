import { defineReasons } from "../../shared/errors.js";

/**
 * Every reason the initiatives module reports in `extensions.reason` (see docs/error-codes.md) about
 * its organisations, initiatives, sign-ups and participation placements, including the platform-wide
 * ones it throws itself (INVALID_INPUT, PERSON_NOT_FOUND, ...).
 */
export const InitiativeReason = defineReasons([
  "ORGANISATION_NOT_FOUND",
  "INITIATIVE_NOT_FOUND",
  "SIGNUP_NOT_FOUND",
  "PLACEMENT_NOT_FOUND",
  "CONTACT_DETAILS_HIDDEN",
  "NOT_AN_ORGANISER",
  "NOT_AN_ORGANISATION_MEMBER",
  "ASSIGNEE_NOT_A_VOLUNTEER",
  "ORGANISATION_NOT_VERIFIED",
  "LAST_ORGANISER",
  "INVALID_SCHEDULE",
  "INVALID_PERIOD",
  "INVALID_PLACEMENT_DATE",
  "INITIATIVE_WRONG_STATUS",
  "INITIATIVE_NOT_OPEN",
  "CAPACITY_BELOW_TAKEN",
  "ALREADY_SIGNED_UP",
  "SIGNUP_NOT_ACTIVE",
  "CANNOT_SIGN_UP_ON_BEHALF",
  "UNKNOWN_PARTICIPANT",
  "OUTSIDE_AUDIENCE",
  "PARTICIPATION_PLACE_NEEDS_REFERRAL",
  "NOT_A_PARTICIPATION_PLACE",
  "PLACEMENT_WRONG_STATUS",
  "PARTICIPATION_PLACES_FULL",
  "INVALID_SEARCH",
  "INVALID_INPUT",
  "INVALID_PAGE_SIZE",
  "ROLE_REQUIRED",
  "COORDINATOR_ONLY",
  "PERSON_NOT_FOUND",
]);
export type InitiativeReason = keyof typeof InitiativeReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<InitiativeReason, true> {}
}
