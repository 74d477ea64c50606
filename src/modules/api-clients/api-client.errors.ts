import { defineReasons } from "../../shared/errors.js";

/** Reasons the api-clients module reports in `extensions.reason` (see docs/error-codes.md). */
export const ApiClientReason = defineReasons([
  "INVALID_API_KEY",
  "API_KEY_EXPIRED",
  "API_KEY_REVOKED",
  "MIXED_CREDENTIALS",
  "SCOPE_REQUIRED",
  "OPERATION_NOT_ALLOWED",
  "RATE_LIMITED",
  "PERSON_HELPED_REQUIRED",
  "API_CLIENT_NOT_FOUND",
  "API_KEY_NOT_FOUND",
  "INVALID_OPERATION_DOCUMENT",
  "TOO_MANY_ACTIVE_KEYS",
  "SANDBOX_ONLY",
]);
export type ApiClientReason = keyof typeof ApiClientReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<ApiClientReason, true> {}
}
