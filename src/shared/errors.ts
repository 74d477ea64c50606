import { dutchMessages, formatEnglish, type MessageParams } from "./i18n.js";

/**
 * The one error model. Services throw DomainErrors; formatError (graphql/errors.ts) turns them into
 * `extensions.code` (Apollo's vocabulary) and `extensions.reason` (this project's stable reason).
 * Every reason is listed in docs/error-codes.md.
 */
export type ErrorCode = "BAD_USER_INPUT" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "TOO_MANY_REQUESTS";

/**
 * Every reason the platform gives. Each module declares its own in `<module>.errors.ts` with
 * `defineReasons` and adds them here by declaration merging:
 *
 *   export const CareReason = defineReasons(["SHIFT_NOT_OPEN", ...]);
 *   export type CareReason = keyof typeof CareReason;
 *   declare module "../../shared/errors.js" { interface ReasonRegistry extends Record<CareReason, true> {} }
 *
 * so `shared/` names no module, yet the error helpers accept only a declared reason. The same tables
 * are read at run time by test/contract/error-reasons-documented.test.ts, which fails when a declared
 * reason is missing from docs/error-codes.md or from every test title. A reason two modules give (the
 * GraphQL layer's field policies and the help-request module's contact rules) may be declared by both.
 */

export interface ReasonRegistry extends Record<SharedReason, true> {}
export type Reason = keyof ReasonRegistry;

/** A module's reasons as an object whose keys equal their values (`CareReason.SHIFT_NOT_OPEN === "SHIFT_NOT_OPEN"`). */
export function defineReasons<const T extends readonly string[]>(names: T): { readonly [K in T[number]]: K } {
  return Object.freeze(Object.fromEntries(names.map((n) => [n, n]))) as { readonly [K in T[number]]: K };
}

/**
 * Reasons that belong to no one module: a token or input that does not hold, a page or cursor that
 * does not fit, and the role gates every module shares (a coordinator-only operation, a role-gated
 * field or operation).
 */
export const SharedReason = defineReasons([
  "UNAUTHENTICATED",
  "INVALID_INPUT",
  "INVALID_CURSOR",
  "INVALID_PAGE_SIZE",
  "CONFLICTING_PAGE_ARGUMENTS",
  "EVENTS_PRUNED",
  "COORDINATOR_ONLY",
  "ROLE_REQUIRED",
]);
export type SharedReason = keyof typeof SharedReason;

/**
 * A DomainError and the helpers below take only a declared `Reason` (see ReasonRegistry). The message
 * is an English ICU template (`"{field}: no area has this id"`) with its `params`: `message` is the
 * English text filled in (logs, tests), and the error formatter gives the caller the wording of their
 * language from the module's Dutch catalogue (`dutchMessages` in `<module>.errors.ts`). Never build a
 * message with a template string: a value goes in `params`, or the message cannot be translated.
 */
export class DomainError extends Error {
  /** The English ICU template the message was made from: the key of its translations. */
  readonly template: string;

  constructor(
    readonly code: ErrorCode,
    readonly reason: Reason,
    template: string,
    /** Input path of the offending value, e.g. "input.title". */
    readonly field?: string,
    /** Further extensions for programs, e.g. `retryAfterSeconds`. */
    readonly details?: Record<string, unknown>,
    /** The values of the template's placeholders. */
    readonly params?: MessageParams,
  ) {
    super(formatEnglish(template, params));
    this.name = "DomainError";
    this.template = template;
  }
}

export const badInput = (reason: Reason, message: string, field?: string, params?: MessageParams) => new DomainError("BAD_USER_INPUT", reason, message, field, undefined, params);
export const unauthenticated = (message = "Log in first: send a valid bearer token.") => new DomainError("UNAUTHENTICATED", SharedReason.UNAUTHENTICATED, message);
export const forbidden = (reason: Reason, message: string, params?: MessageParams) => new DomainError("FORBIDDEN", reason, message, undefined, undefined, params);
export const notFound = (reason: Reason, message: string, params?: MessageParams) => new DomainError("NOT_FOUND", reason, message, undefined, undefined, params);
export const conflict = (reason: Reason, message: string, params?: MessageParams) => new DomainError("CONFLICT", reason, message, undefined, undefined, params);

/**
 * Dutch wording of the messages this layer gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const SharedMessagesNl = dutchMessages({
  "since: events after this cursor are older than the event log keeps; reload the data and subscribe again without since":
    "since: de gebeurtenissen na deze cursor zijn ouder dan het gebeurtenissenlogboek bewaart; laad de gegevens opnieuw en abonneer je opnieuw zonder since",
  "since: not an event cursor this server handed out": "since: geen gebeurteniscursor die deze server heeft uitgegeven",
  "{field}: not a cursor this server handed out for these arguments": "{field}: geen cursor die deze server voor deze argumenten heeft uitgegeven",
  "{field}: must be between 1 and {max}": "{field}: moet tussen 1 en {max} liggen",
  "{field}: page forward (first/after) or backward (last/before), not both": "{field}: blader vooruit (first/after) of achteruit (last/before), niet allebei",
  "Log in first: send a valid bearer token.": "Log eerst in: stuur een geldig bearer-token mee.",
  "Your token has expired: log in again.": "Je token is verlopen: log opnieuw in.",
  "{field}: {problem}": "{field}: {problem}",
  "must not contain control characters": "mag geen stuurtekens bevatten",
  "is not a real date": "is geen bestaande datum",
  "must be a date as YYYY-MM-DD": "moet een datum zijn als JJJJ-MM-DD",
  "must be at most 254 characters": "mag hooguit 254 tekens lang zijn",
  "must be a phone number (digits, spaces, +, -, parentheses)": "moet een telefoonnummer zijn (cijfers, spaties, +, -, haakjes)",
});
