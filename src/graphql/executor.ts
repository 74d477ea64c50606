import { LRUCache } from "lru-cache";
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from "@apollo/server-gateway-interface";
import { type ExecutionResult, GraphQLError, type GraphQLSchema, execute, printSchema } from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";

export interface CompilingExecutorOptions {
  /** Compiled operations kept (least recently used dropped first). */
  maxCompiled: number;
  /** An operation is compiled once it has run this many times; until then graphql-js runs it. */
  compileAfter: number;
}

type Entry = { runs: number; compiled?: CompiledQuery | null };

/**
 * Runs HTTP operations with graphql-jit: an operation the server has seen `compileAfter` times is
 * compiled into a function once and reused, keyed by Apollo's query hash and the operation name.
 * Parsing, validation (depth, alias and cost limits), plugins and error formatting stay Apollo's.
 *
 * Two things keep answers identical to graphql-js:
 * - A result without `data` (variables that do not coerce, an operation that cannot run) is
 *   answered by graphql-js itself, so clients get its exact messages and Apollo's BAD_USER_INPUT.
 *   Nothing ran: variable coercion fails before any resolver.
 * - graphql-jit's errors are re-made as graphql-js GraphQLErrors (same message, path, locations,
 *   original error), so Apollo's error handling and our formatter treat them as usual.
 *
 * An operation graphql-jit cannot compile keeps running on graphql-js. Subscriptions do not come
 * here (they are served over WebSocket by the fan-out hub).
 */
export function createCompilingExecutor(schema: GraphQLSchema, options: CompilingExecutorOptions): GatewayExecutor {
  const entries = new LRUCache<string, Entry>({ max: options.maxCompiled });
  const runGraphqlJs = (rc: GatewayGraphQLRequestContext) =>
    execute({
      schema,
      document: rc.document,
      contextValue: rc.context,
      variableValues: rc.request.variables,
      operationName: rc.request.operationName,
    }) as Promise<ExecutionResult> | ExecutionResult;

  const compiledFor = (rc: GatewayGraphQLRequestContext): CompiledQuery | null => {
    const key = `${rc.queryHash}:${rc.operationName ?? ""}`;
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { runs: 0 }));
    if (entry.compiled !== undefined) return entry.compiled;
    if (++entry.runs < options.compileAfter) return null;
    const compiled = compileQuery(schema, rc.document, rc.operationName ?? undefined, { disablingCapturingStackErrors: true });
    entry.compiled = isCompiledQuery(compiled) ? compiled : null;
    return entry.compiled;
  };

  return async (rc) => {
    // No operation: the name asked for matches none (graphql-js answers with the error Apollo expects).
    if (!rc.operation || rc.operation.operation === "subscription") return runGraphqlJs(rc);
    const compiled = compiledFor(rc);
    if (!compiled) return runGraphqlJs(rc);
    const result = await compiled.query(undefined, rc.context, rc.request.variables ?? {});
    // No data at all: the variables did not coerce, so no resolver has run and graphql-js may answer.
    if (result.data === undefined) return runGraphqlJs(rc);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/** graphql-jit's own error objects as graphql-js GraphQLErrors, keeping what clients see. */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
  if (error.locations) (made as { locations?: GraphQLError["locations"] }).locations = error.locations;
  return made;
}

/**
 * Apollo's gateway interface, used for one thing: to hand Apollo our schema together with the
 * compiling executor. There is no federation; the schema never changes while the server runs.
 */
export function localGateway(schema: GraphQLSchema, executor: GatewayExecutor): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}
