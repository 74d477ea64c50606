/**
 * The one error model. Services throw DomainErrors; formatError (graphql/errors.ts) turns them into
 * `extensions.code` (Apollo's vocabulary) and `extensions.reason` (this project's stable reason).
 * Every reason is listed in docs/error-codes.md.
 */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    message: string,
    /** Input path of the offending value, e.g. "input.title". */
    readonly field?: string,
    /** Further extensions for programs, e.g. `retryAfterSeconds`. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const badInput = (reason: string, message: string, field?: string) =>
  new DomainError("BAD_USER_INPUT", reason, message, field);
export const unauthenticated = (message = "Log in first: send a valid bearer token.") =>
  new DomainError("UNAUTHENTICATED", "UNAUTHENTICATED", message);
export const forbidden = (reason: string, message: string) => new DomainError("FORBIDDEN", reason, message);
export const notFound = (reason: string, message: string) => new DomainError("NOT_FOUND", reason, message);
export const conflict = (reason: string, message: string) => new DomainError("CONFLICT", reason, message);
