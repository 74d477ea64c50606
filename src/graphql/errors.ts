import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLErrorOptions, type GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { DomainError } from "../shared/errors.js";
import { formatEnglish, type Language, type MessageParams, translateMessage } from "../shared/i18n.js";
import { requestLanguage } from "./language.js";
import { requestLog } from "./observability.js";

/** Codes a client may see as they are; anything else is masked as INTERNAL_SERVER_ERROR. */
const PASS_THROUGH = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
]);

/**
 * What an error tells programs besides its message: the code (Apollo's vocabulary, or the HTTP
 * front's own such as BAD_REQUEST), and for this project's refusals the reason, the input path of the
 * offending value and further details (`retryAfterSeconds`, Apollo's `http` status, ...).
 */
export interface ErrorFacts {
  code: string;
  reason?: DomainError["reason"];
  field?: string;
  details?: Record<string, unknown>;
}

/**
 * The `extensions` of an error as clients read them: `code`, then `reason` and `field` when there
 * are any, then the details. The one place this shape is written, for the formatter, for answers the
 * HTTP front gives itself and for errors built before execution (a key's scope, a socket's limit).
 */
export function errorExtensions(facts: ErrorFacts): Record<string, unknown> {
  return {
    code: facts.code,
    ...(facts.reason ? { reason: facts.reason } : {}),
    ...(facts.field ? { field: facts.field } : {}),
    ...facts.details,
  };
}

const templates = new WeakMap<object, { template: string; params?: MessageParams }>();

/**
 * One error as a client reads it, for answers given without running GraphQL (the HTTP front's
 * refusals): the message in the request's language when a catalogue has it (`message` is the English
 * wording and the key).
 */
export function errorJson(message: string, facts: ErrorFacts, params?: MessageParams): GraphQLFormattedError {
  const english = formatEnglish(message, params);
  const language = requestLanguage();
  const json = { message: language ? translateMessage(language, message, params, english) : english, extensions: errorExtensions(facts) };
  templates.set(json, { template: message, params });
  return json;
}

/**
 * An answer of `errorJson` as the GraphQLError of one operation (a refusal on a WebSocket): the
 * formatter still finds its template and gives it in the connection's language.
 */
export function operationErrorOf(json: GraphQLFormattedError): GraphQLError {
  const error = new GraphQLError(json.message, { extensions: json.extensions });
  const made = templates.get(json);
  if (made) templates.set(error, made);
  return error;
}

/**
 * A GraphQLError of our own (a limit, a key's refusal) made from an English ICU template and its
 * values, so the formatter can give it in the caller's language; its `message` is the English text.
 */
export function localizedError(template: string, params: MessageParams | undefined, options?: GraphQLErrorOptions): GraphQLError {
  const error = new GraphQLError(formatEnglish(template, params), options);
  templates.set(error, { template, params });
  return error;
}

/** The template an error (or one it wraps) was made from, if it was made by `localizedError`. */
function templateOf(error: unknown): { template: string; params?: MessageParams } | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { originalError?: unknown }).originalError, depth += 1) {
    const found = templates.get(e);
    if (found) return found;
  }
  return undefined;
}

/** The formatter: Apollo calls it with two arguments; the WebSocket path adds the connection's language. */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown, language?: Language) => GraphQLFormattedError;

/**
 * One formatter for HTTP and WebSocket: domain errors become `extensions.code` + `reason`
 * (+ `field`); known GraphQL errors keep their code; anything unexpected is logged with its stack
 * and answered with a generic message, so no SQL or stack trace ever reaches a client. Messages are
 * given in the caller's language (the argument, else the HTTP request's, else `defaultLanguage`);
 * code and reason never change with it. graphql-js's own messages (parse and validation) stay English.
 */
export function createErrorFormatter(log: Logger, defaultLanguage: Language = "nl"): ErrorFormatter {
  return (formatted, error, language = requestLanguage() ?? defaultLanguage) => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: translateMessage(language, original.template, original.params, original.message),
        locations: formatted.locations,
        path: formatted.path,
        extensions: errorExtensions(original),
      };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code && PASS_THROUGH.has(code) && !(original instanceof Error && !(original instanceof GraphQLError))) {
      const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
      // Our own refusals outside DomainError (limits, keys, sockets) are found by their English wording.
      const made = templateOf(error) ?? { template: formatted.message };
      return { ...formatted, message: translateMessage(language, made.template, made.params, formatted.message), extensions };
    }
    if (!code && original instanceof GraphQLError && !original.originalError) {
      // graphql-js errors without a code (e.g. variable coercion on the WebSocket path) are input errors.
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: errorExtensions({ code: "BAD_USER_INPUT" }) };
    }
    // The request's own logger, when there is one, so the line carries the request id.
    (requestLog() ?? log).error({ err: original, path: formatted.path }, "unexpected error while answering a request");
    const generic = "Something went wrong on our side; it has been logged.";
    return {
      message: translateMessage(language, generic, undefined, generic),
      locations: formatted.locations,
      path: formatted.path,
      extensions: errorExtensions({ code: "INTERNAL_SERVER_ERROR" }),
    };
  };
}

/** Applies the formatter to a GraphQLError outside Apollo (the WebSocket path), in the connection's language. */
export function formatForWs(format: ErrorFormatter, err: GraphQLError, language?: Language): GraphQLFormattedError {
  return format(err.toJSON(), err, language);
}
