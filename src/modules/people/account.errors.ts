import { defineReasons } from "../../shared/errors.js";

/** Reasons of an account's security (sessions, passwords, disabling, second factor); see docs/error-codes.md. */
export const AccountReason = defineReasons([
  "SESSION_ENDED",
  "SESSION_NOT_FOUND",
  "ACCOUNT_DISABLED",
  "CANNOT_DISABLE_ACCOUNT",
  "PASSWORD_WRONG",
  "PASSWORD_TOO_WEAK",
  "RESET_TOKEN_INVALID",
  "RESET_TOKEN_EXPIRED",
  "RESET_TOKEN_USED",
  "TOTP_NOT_AVAILABLE",
  "TOTP_ALREADY_ENABLED",
  "TOTP_NOT_ENROLLED",
  "TOTP_CODE_WRONG",
  "TOTP_CODE_REUSED",
  "TOTP_THROTTLED",
  "TOTP_CHALLENGE_INVALID",
  "TOTP_REQUIRED",
  "TOTP_ENROLMENT_REQUIRED",
]);
export type AccountReason = keyof typeof AccountReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<AccountReason, true> {}
}
