import type { Server } from "node:http";
import { type DocumentNode, GraphQLError, type GraphQLSchema, Kind, parse, specifiedRules, validate, type ValidationRule } from "graphql";
import type { ExecutionResult } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Logger } from "pino";
import { DomainError } from "../shared/errors.js";
import type { Viewer } from "../shared/viewer.js";
import type { Principal } from "../modules/api-clients/api-client.service.js";
import type { Context } from "./context.js";
import type { createErrorFormatter } from "./errors.js";

export interface WsOptions {
  server: Server;
  schema: GraphQLSchema;
  rules: ValidationRule[];
  maxTokens: number;
  maxPayload: number;
  maxSubscriptions: number;
  log: Logger;
  format: ReturnType<typeof createErrorFormatter>;
  /** Who a connection is, from its connectionParams (a login token or an API key); throws for a bad credential. */
  principalFor: (params: Record<string, unknown> | undefined) => Promise<Principal>;
  context: (principal: Principal, requestId: string) => Context;
  /** Checks one operation before it runs (a key's rate limit, allow-list and scopes); errors refuse it. */
  admit?: (
    context: Context,
    operation: { query: string; document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown> | null },
  ) => Promise<GraphQLError[] | null>;
  /** Told of every operation asked for on a socket (metrics). */
  onOperation?: (operationName: string | null | undefined, type: string, outcome: "ok" | "error" | "invalid") => void;
}

type Extra = Record<PropertyKey, unknown> & {
  params?: Record<string, unknown>;
};

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's port and path. graphql-ws does
 * not run Apollo's pipeline, so the same parse limits, validation rules and error formatting are
 * applied here, the token is checked on connect and again on every subscribe, and a socket holds at
 * most `maxSubscriptions` operations.
 */
export function attachWebSocket(opts: WsOptions) {
  const wss = new WebSocketServer({ server: opts.server, path: "/graphql", maxPayload: opts.maxPayload });
  const toErrors = (errors: readonly GraphQLError[]) => errors.map((e) => opts.format(e.toJSON(), e));
  const fail = (code: string, message: string, reason?: string) => [
    new GraphQLError(message, { extensions: { code, ...(reason ? { reason } : {}) } }),
  ];
  let counter = 0;
  const live = new Set<{ subscriptions: Record<string, unknown> }>();
  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema: opts.schema,
      onConnect: async (ctx) => {
        try {
          await opts.principalFor(ctx.connectionParams);
        } catch {
          return false; // closes with 4403: a token or key was sent and it is not valid
        }
        (ctx.extra as Extra).params = ctx.connectionParams;
        live.add(ctx as never);
        return true;
      },
      onClose: (ctx) => {
        live.delete(ctx as never);
      },
      onSubscribe: async (ctx, id, payload) => {
        if (Object.keys(ctx.subscriptions).length >= opts.maxSubscriptions) {
          return fail("BAD_USER_INPUT", `At most ${opts.maxSubscriptions} operations can run on one connection.`, "TOO_MANY_SUBSCRIPTIONS");
        }
        let viewer: Viewer;
        let principal: Principal;
        try {
          principal = await opts.principalFor((ctx.extra as Extra).params);
          viewer = principal.viewer;
          if (viewer.tokenExpiresAt !== null && viewer.tokenExpiresAt <= Date.now()) {
            return fail("UNAUTHENTICATED", "Your token has expired: reconnect with a new one.", "UNAUTHENTICATED");
          }
        } catch (err) {
          const message = err instanceof DomainError ? err.message : "The bearer token is not valid.";
          return fail("UNAUTHENTICATED", message, "UNAUTHENTICATED");
        }
        if (typeof payload.query !== "string") return fail("BAD_USER_INPUT", "The operation has no query text.");
        let document;
        try {
          document = parse(payload.query, { maxTokens: opts.maxTokens });
        } catch (err) {
          opts.onOperation?.(payload.operationName, "unknown", "invalid");
          return fail("GRAPHQL_PARSE_FAILED", err instanceof GraphQLError ? err.message : "The query could not be parsed.");
        }
        const errors = validate(opts.schema, document, [...specifiedRules, ...opts.rules]);
        if (errors.length) {
          opts.onOperation?.(payload.operationName, "unknown", "invalid");
          // Like Apollo's hideSchemaDetailsFromClientErrors: no "Did you mean ...?" hints about the schema.
          return errors.map(
            (e) =>
              new GraphQLError(e.message.replace(/ ?Did you mean(.+?)\?$/, ""), {
                nodes: e.nodes,
                extensions: { ...e.extensions, code: "GRAPHQL_VALIDATION_FAILED" },
              }),
          );
        }
        const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
        const op = payload.operationName
          ? operations.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === payload.operationName)
          : operations.length === 1
            ? operations[0]
            : undefined;
        if (!op || op.kind !== Kind.OPERATION_DEFINITION) return fail("BAD_USER_INPUT", "Name the operation to run with operationName.");
        counter += 1;
        const contextValue = opts.context(principal, `ws-${counter}-${id}`);
        const refused = await opts.admit?.(contextValue, {
          query: payload.query,
          document,
          operationName: payload.operationName,
          variables: payload.variables,
        });
        opts.onOperation?.(payload.operationName ?? op.name?.value, op.operation, refused?.length ? "error" : "ok");
        if (refused?.length) return refused;
        return {
          schema: opts.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables ?? undefined,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: toErrors(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => toErrors(errors),
    },
    wss,
  );
  wss.on("error", (err) => opts.log.warn({ err }, "websocket server error"));
  return {
    wss,
    /** Sockets open and operations running on them (subscriptions, and queries while they run). */
    stats: () => {
      let operations = 0;
      for (const ctx of live) operations += Object.keys(ctx.subscriptions).length;
      return { connections: live.size, operations };
    },
    /** Closes every socket with 1001 (going away) and stops accepting new ones. */
    close: async (code = 1001, reason = "Server shutting down") => {
      for (const client of wss.clients) client.close(code, reason);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
