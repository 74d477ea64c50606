import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { DomainError } from "../shared/errors.js";
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

/** One error as a client reads it, for answers given without running GraphQL (the HTTP front's refusals). */
export function errorJson(message: string, facts: ErrorFacts): GraphQLFormattedError {
  return { message, extensions: errorExtensions(facts) };
}

/**
 * One formatter for HTTP and WebSocket: domain errors become `extensions.code` + `reason`
 * (+ `field`); known GraphQL errors keep their code; anything unexpected is logged with its stack
 * and answered with a generic message, so no SQL or stack trace ever reaches a client.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: errorExtensions(original),
      };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code && PASS_THROUGH.has(code) && !(original instanceof Error && !(original instanceof GraphQLError))) {
      const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (!code && original instanceof GraphQLError && !original.originalError) {
      // graphql-js errors without a code (e.g. variable coercion on the WebSocket path) are input errors.
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: errorExtensions({ code: "BAD_USER_INPUT" }) };
    }
    // The request's own logger, when there is one, so the line carries the request id.
    (requestLog() ?? log).error({ err: original, path: formatted.path }, "unexpected error while answering a request");
    return {
      message: "Something went wrong on our side; it has been logged.",
      locations: formatted.locations,
      path: formatted.path,
      extensions: errorExtensions({ code: "INTERNAL_SERVER_ERROR" }),
    };
  };
}

/** Applies the formatter to a GraphQLError outside Apollo (the WebSocket path). */
export function formatForWs(format: ReturnType<typeof createErrorFormatter>, err: GraphQLError): GraphQLFormattedError {
  return format(err.toJSON(), err);
}
