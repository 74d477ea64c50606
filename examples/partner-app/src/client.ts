import type { TypedDocumentString } from "./gql/graphql.js";

/** One error of a GraphQL answer, with the platform's `code` and `reason` (see docs/error-codes.md). */
export interface ApiError {
  message: string;
  extensions?: { code?: string; reason?: string; field?: string; retryAfterSeconds?: number };
}

/** Thrown when the API refuses an operation or the transport fails; carries the first error's code and reason. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiError[],
  ) {
    const first = errors[0];
    super(`${status} ${first?.extensions?.code ?? "ERROR"}${first?.extensions?.reason ? ` (${first.extensions.reason})` : ""}: ${first?.message ?? "no answer"}`);
  }
}

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** The app's API key (zz_...), sent as X-Api-Key. */
  apiKey: string;
}

/** What the last answer said about the key's rate limit and whether it is a sandbox key. */
export interface AnswerInfo {
  rateLimitRemaining: number | null;
  sandbox: boolean;
}

/**
 * A typed client over fetch: each operation's variables and result are the types codegen made from
 * the schema, so an operation that no longer fits the schema does not compile.
 */
export function createClient(options: ClientOptions) {
  const last: AnswerInfo = { rateLimitRemaining: null, sandbox: false };
  async function execute<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<TResult> {
    const response = await fetch(options.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", "x-api-key": options.apiKey },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const remaining = response.headers.get("ratelimit-remaining");
    last.rateLimitRemaining = remaining === null ? null : Number(remaining);
    last.sandbox = response.headers.get("zorgzaam-sandbox") === "true";
    const body = (await response.json().catch(() => ({ errors: [{ message: `not a GraphQL answer (HTTP ${response.status})` }] }))) as { data?: TResult; errors?: ApiError[] };
    if (body.errors?.length || !body.data) throw new ApiRequestError(response.status, body.errors ?? []);
    return body.data;
  }
  return { execute, last };
}
