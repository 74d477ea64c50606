import { LRUCache } from "lru-cache";
import type { Server } from "node:http";
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  createSourceEventStream,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";
import type { Logger } from "pino";
import { DomainError } from "../shared/errors.js";
import { Feed, type Outbox } from "../shared/outbox.js";
import type { Viewer } from "../shared/viewer.js";
import type { Principal } from "../modules/api-clients/api-client.service.js";
import type { Context } from "./context.js";
import type { createErrorFormatter } from "./errors.js";
import { FanoutHub, type FanoutTarget, fanoutTarget } from "./fanout.js";

/** How many valid documents the WebSocket path keeps parsed, and the longest it keeps. */
const CHECKED_MAX_ENTRIES = 500;
const CHECKED_MAX_LENGTH = 10_000;

export interface WsOptions {
  server: Server;
  schema: GraphQLSchema;
  rules: ValidationRule[];
  maxTokens: number;
  maxPayload: number;
  maxSubscriptions: number;
  log: Logger;
  format: ReturnType<typeof createErrorFormatter>;
  /** The event log the subscription feeds read (see FanoutHub). */
  outbox: Outbox;
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
  socket: WebSocket;
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
  const rules = [...specifiedRules, ...opts.rules];
  // Parsed and validated documents by their text: subscribers of one app send the same document, and
  // validation depends only on the document and the schema. The ASTs are shared, never changed.
  const checked = new LRUCache<string, DocumentNode>({ max: CHECKED_MAX_ENTRIES });
  let counter = 0;
  const live = new Set<{ subscriptions: Record<string, unknown> }>();
  const hub = new FanoutHub(opts.outbox, toErrors, opts.log);
  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema: opts.schema,
      subscribe: (args) => subscribe(hub, args),
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
        let document = checked.get(payload.query);
        if (!document) {
          try {
            document = parse(payload.query, { maxTokens: opts.maxTokens });
          } catch (err) {
            opts.onOperation?.(payload.operationName, "unknown", "invalid");
            return fail("GRAPHQL_PARSE_FAILED", err instanceof GraphQLError ? err.message : "The query could not be parsed.");
          }
          const errors = validate(opts.schema, document, rules);
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
          if (payload.query.length <= CHECKED_MAX_LENGTH) {
            checked.set(payload.query, document);
          }
        }
        const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
        const op = payload.operationName
          ? operations.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === payload.operationName)
          : operations.length === 1
            ? operations[0]
            : undefined;
        if (!op || op.kind !== Kind.OPERATION_DEFINITION) return fail("BAD_USER_INPUT", "Name the operation to run with operationName.");
        counter += 1;
        const requestId = `ws-${counter}-${id}`;
        const contextValue = opts.context(principal, requestId);
        const target: FanoutTarget = {
          socket: (ctx.extra as Extra).socket,
          id,
          fresh: () => opts.context(principal, requestId),
          rightsKey: rightsKey(principal),
        };
        Object.defineProperty(contextValue, fanoutTarget, { value: target, enumerable: false });
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
      const { attached, delivered, executed } = hub.stats();
      return { connections: live.size, operations, attached, delivered, executed };
    },
    /** Closes every socket with 1001 (going away) and stops accepting new ones. */
    close: async (code = 1001, reason = "Server shutting down") => {
      hub.close();
      for (const client of wss.clients) client.close(code, reason);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * A subscription operation: its source is created with the subscriber's rights (refusals come back
 * as a result), then handed to the fan-out hub. Every subscription field returns a Feed.
 */
async function subscribe(hub: FanoutHub, args: ExecutionArgs): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const target = (args.contextValue as Record<symbol, FanoutTarget | undefined>)[fanoutTarget];
  if (!(source instanceof Feed) || !target) throw new Error("a subscription source must be a Feed on a WebSocket");
  return hub.attach(source, args, target);
}

/** Subscribers with equal roles and equal app scopes see a "shared" object alike. */
function rightsKey({ viewer, client }: Principal): string {
  const roles = [...viewer.roles].sort().join(",");
  return client ? `${roles}|${client.clientId}:${[...client.scopes].sort().join(",")}` : roles;
}
