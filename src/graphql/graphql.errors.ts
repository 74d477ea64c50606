import { defineReasons } from "../shared/errors.js";

/**
 * Reasons the GraphQL layer itself reports in `extensions.reason` (see docs/error-codes.md): a
 * document over a limit (depth, aliases, cost), too many ids for `nodes`, too many operations on one
 * socket, the field authorisation of `@Authorized` policies (contact details, a request's history), and
 * the HTTP front's refusals of an `Idempotency-Key` it cannot keep (the idempotency module runs what
 * the front accepts).
 */
export const GraphQLReason = defineReasons([
  "QUERY_TOO_DEEP",
  "TOO_MANY_ALIASES",
  "QUERY_TOO_COMPLEX",
  "TOO_MANY_IDS",
  "TOO_MANY_SUBSCRIPTIONS",
  "CONTACT_DETAILS_HIDDEN",
  "HISTORY_HIDDEN",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_PROGRESS",
  "IDEMPOTENCY_KEY_NEEDS_CALLER",
  "IDEMPOTENCY_KEY_NEEDS_DOCUMENT",
]);
export type GraphQLReason = keyof typeof GraphQLReason;

declare module "../shared/errors.js" {
  interface ReasonRegistry extends Record<GraphQLReason, true> {}
}
