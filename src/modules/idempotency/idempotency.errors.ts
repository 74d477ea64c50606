import { defineReasons } from "../../shared/errors.js";

/**
 * Reasons the idempotency module reports in `extensions.reason` (see docs/error-codes.md); the HTTP
 * front answers with them before, or instead of, running a request that carries an `Idempotency-Key`.
 */
export const IdempotencyReason = defineReasons([
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_PROGRESS",
  "IDEMPOTENCY_KEY_NEEDS_CALLER",
  "IDEMPOTENCY_KEY_NEEDS_DOCUMENT",
]);
export type IdempotencyReason = keyof typeof IdempotencyReason;

declare module "../../shared/errors.js" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ReasonRegistry extends Record<IdempotencyReason, true> {}
}
