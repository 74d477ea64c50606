import { LRUCache } from "lru-cache";
import type { IncomingMessage, Server } from "node:http";
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
import { CloseCode, type Message, MessageType, handleProtocols, makeServer, validateMessage } from "graphql-ws";
import { type WebSocket, WebSocketServer } from "ws";
import type { Logger } from "pino";
import { DomainError, type Reason, SharedReason } from "../shared/errors.js";
import { Feed, type Outbox } from "../db/outbox.js";
import type { Principal } from "../shared/principal.js";
import type { CorsSettings } from "../config/env.js";
import type { Context } from "./context.js";
import { OriginPolicy } from "./cors.js";
import { type ErrorFormatter, errorExtensions, formatForWs, localizedError } from "./errors.js";
import { type Language, type MessageParams, negotiateLanguage } from "../shared/i18n.js";
import { FanoutHub, type FanoutTarget, fanoutTarget } from "./fanout.js";
import { GraphQLReason } from "./graphql.errors.js";
import { SharingClassifier } from "./sharing.js";
import type { CostCheck } from "./validation.js";
import { failSocketOperation, nameSocketOperation, traceSocketMessage } from "../tracing.js";

/** How many valid documents the WebSocket path keeps parsed, and the longest it keeps. */
const CHECKED_MAX_ENTRIES = 500;
const CHECKED_MAX_LENGTH = 10_000;
/** How often the server pings an idle socket, and how long it waits for the pong before dropping it. */
const KEEP_ALIVE_MS = 12_000;
/** Messages only a server sends: a client that sends one has made a mistake (4400), not the server. */
const SERVER_ONLY: ReadonlySet<string> = new Set([MessageType.ConnectionAck, MessageType.Next, MessageType.Error]);

/** What changed about someone's rights on this instance: a person's roles or team, or an app's keys. */
export interface CredentialChange {
  personId?: string;
  clientId?: string;
}

/** `P`: who a connection is, as the app's `principalFor` gives it and its `context` takes it. */
export interface WsOptions<P extends Principal = Principal> {
  server: Server;
  schema: GraphQLSchema;
  rules: ValidationRule[];
  /** The cost limit, checked for each operation with its variables after validation (see costCheck). */
  checkCost?: CostCheck | null;
  maxTokens: number;
  maxPayload: number;
  maxSubscriptions: number;
  log: Logger;
  format: ErrorFormatter;
  /** The language of a connection that names none (DEFAULT_LANGUAGE; nl when not given). */
  defaultLanguage?: Language;
  /** The event log the subscription feeds read (see FanoutHub). */
  outbox: Outbox;
  /** Who a connection is, from its connectionParams (a login token or an API key); throws for a bad credential. */
  principalFor: (params: Record<string, unknown> | undefined) => Promise<P>;
  context: (principal: P, requestId: string) => Context;
  /** Checks one operation before it runs (a key's rate limit, allow-list and scopes); errors refuse it. */
  admit?: (
    context: Context,
    operation: { query: string; document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown> | null },
  ) => Promise<GraphQLError[] | null>;
  /** Told of every operation asked for on a socket (metrics). */
  onOperation?: (operationName: string | null | undefined, type: string, outcome: "ok" | "error" | "invalid") => void;
  /**
   * How long a connection's credentials are trusted before they are looked at again (ms): per event
   * and by a periodic check of every open socket, so a revoked credential stops delivering without an event.
   */
  recheckMs: number;
  /** Fields whose answer depends on who asks (default VIEWER_DEPENDENT_FIELDS). */
  viewerDependentFields?: readonly string[];
  /**
   * Browser origins allowed to open a socket (the HTTP CORS list): a handshake from another origin is
   * refused with 403; clients that send no Origin are not browsers and connect as before.
   */
  cors?: CorsSettings;
  /** How often each socket is pinged; one that has not answered the last ping by the next is dropped (default 12 s). */
  keepAliveMs?: number;
  /** Registers the listener told at once when roles, keys or apps change on this instance. */
  watchCredentials?: (listener: (change: CredentialChange) => void) => void;
}

/**
 * One socket's credentials: what it connected with and who that is now. Checked before every event
 * (cheaply: only the expiry until the credentials are due for another look) and periodically.
 */
interface ConnectionOf<P extends Principal> {
  socket: WebSocket;
  params: Record<string, unknown> | undefined;
  principal: P;
  /**
   * The language of its messages and labels: connection_init's `language`, else the upgrade request's
   * Accept-Language, else the default. Part of `rights`, so subscribers share executions only with
   * subscribers of the same language.
   */
  language: Language;
  rights: string;
  identity: string;
  checkedAt: number;
  /** When the background sweep looks at the credentials again (see `lookAgainAt`). */
  dueAt: number;
  /** Told that something about this connection's person or app changed: look again before the next event. */
  stale: boolean;
  /** Counts such changes, so a look that started before one is repeated. */
  generation: number;
  closing: boolean;
  checking: Promise<boolean> | null;
}

type ExtraOf<P extends Principal> = Record<PropertyKey, unknown> & {
  connection?: ConnectionOf<P>;
  socket: WebSocket;
  request: IncomingMessage;
};

/**
 * GraphQL over WebSocket (graphql-ws protocol) on the HTTP server's port and path. graphql-ws does
 * not run Apollo's pipeline, so the same parse limits, validation rules and error formatting are
 * applied here. A socket holds at most `maxSubscriptions` operations. Its credentials are checked on
 * connect, on every subscribe and before every event, and again periodically: a token that expired
 * closes it with 4401, a revoked key, a disabled app or a role taken away with 4403, each with a reason.
 * A client's protocol mistake closes it with 4400 and a reason; 4500 is left for the server's own faults.
 */
export function attachWebSocket<P extends Principal>(opts: WsOptions<P>) {
  type Connection = ConnectionOf<P>;
  type Extra = ExtraOf<P>;
  const origins = opts.cors ? new OriginPolicy(opts.cors) : null;
  const wss = new WebSocketServer({
    server: opts.server,
    path: "/graphql",
    maxPayload: opts.maxPayload,
    handleProtocols,
    verifyClient: origins
      ? (info, done) => (origins.allowsSocket(info.req.headers.origin, info.req.headers.host) ? done(true) : done(false, 403, "Origin not allowed"))
      : undefined,
  });
  const defaultLanguage = opts.defaultLanguage ?? "nl";
  const toErrors = (errors: readonly GraphQLError[], language?: Language) => errors.map((e) => formatForWs(opts.format, e, language ?? defaultLanguage));
  const fail = (code: string, message: string, reason?: Reason, params?: MessageParams) => [localizedError(message, params, { extensions: errorExtensions({ code, reason }) })];
  const rules = [...specifiedRules, ...opts.rules];
  const sharing = new SharingClassifier(opts.schema, opts.viewerDependentFields);
  // Parsed and validated documents by their text: subscribers of one app send the same document, and
  // validation depends only on the document and the schema. The ASTs are shared, never changed.
  const checked = new LRUCache<string, DocumentNode>({ max: CHECKED_MAX_ENTRIES });
  let counter = 0;
  const live = new Set<{ subscriptions: Record<string, unknown> }>();
  const connections = new Set<Connection>();
  const hub = new FanoutHub(opts.outbox, toErrors, opts.log);

  const closeWith = (conn: Connection, code: number, reason: string) => {
    if (conn.closing) return;
    conn.closing = true;
    conn.socket.close(code, closeReason(reason));
  };
  /** Closes the connection with 4401 when its token or key has expired; says whether it did. */
  const closedIfExpired = (conn: Connection, now: number): boolean => {
    if (expiryOf(conn.principal) > now) return false;
    closeWith(conn, 4401, "Your token or key has expired: reconnect with a new one.");
    return true;
  };
  /** Looks the connection's credentials up again (through the services' short caches). */
  const recheck = (conn: Connection): Promise<boolean> =>
    (conn.checking ??= (async () => {
      try {
        let principal: P;
        let generation: number;
        do {
          generation = conn.generation;
          principal = await opts.principalFor(conn.params);
        } while (generation !== conn.generation);
        if (lostRights(conn.principal, principal)) {
          closeWith(conn, 4403, "A role or scope of yours was taken away: reconnect.");
          return false;
        }
        // Rights only gained: the socket goes on with those it had (its subscriptions are grouped by them).
        conn.checkedAt = Date.now();
        conn.dueAt = lookAgainAt(conn.checkedAt, opts.recheckMs);
        conn.stale = false;
        return current(conn) === true;
      } catch (err) {
        if (!(err instanceof DomainError)) {
          // The credentials could not be looked at (the database is away): skip, do not close, look again.
          opts.log.error({ err }, "checking a connection's credentials failed");
          return false;
        }
        closeWith(conn, /expired/i.test(err.message) || err.reason === ("API_KEY_EXPIRED" satisfies Reason) ? 4401 : 4403, err.message);
        return false;
      } finally {
        conn.checking = null;
      }
    })());
  /** Whether the connection's credentials still hold: synchronous unless they are due for another look. */
  const current = (conn: Connection): boolean | Promise<boolean> => {
    if (conn.closing) return false;
    const now = Date.now();
    if (closedIfExpired(conn, now)) return false;
    if (!conn.stale && now - conn.checkedAt < trustedMs) return true;
    return conn.checking ?? recheck(conn);
  };
  // The sweep looks at each connection before an event would have to wait for it: at a random point in
  // the last quarter of recheckMs (sockets that connected together drift apart), a bounded number per
  // tick, so the work is spread in small slices between events. An event waits for a look only when the
  // credentials are older than `trustedMs` (the sweep fell behind) or something about them changed.
  const trustedMs = opts.recheckMs * TRUST_FACTOR;
  const tickMs = Math.min(1000, Math.max(20, Math.floor(opts.recheckMs / 50)));
  opts.watchCredentials?.((change) => {
    for (const conn of connections) {
      const { viewer, client } = conn.principal;
      if ((change.personId && viewer.personId === change.personId) || (change.clientId && client?.clientId === change.clientId)) {
        conn.stale = true;
        conn.generation += 1;
        void recheck(conn);
      }
    }
  });
  // Sockets that receive no events are checked too: a revoked credential closes them all the same.
  const sweep = setInterval(() => {
    const now = Date.now();
    // Twice the pace that looks at every connection once per recheckMs: a backlog drains.
    let budget = 8 + Math.ceil((2 * connections.size * tickMs) / opts.recheckMs);
    for (const conn of connections) {
      if (conn.closing || conn.checking || closedIfExpired(conn, now)) continue;
      if (budget > 0 && (conn.stale || now >= conn.dueAt)) {
        budget -= 1;
        void recheck(conn);
      }
    }
  }, tickMs);
  sweep.unref();

  const server = makeServer<Record<string, unknown>, Extra>({
    schema: opts.schema,
    subscribe: (args) => subscribe(hub, args),
    onConnect: async (ctx) => {
      let principal: P;
      try {
        principal = await opts.principalFor(ctx.connectionParams);
      } catch {
        return false; // closes with 4403: a token or key was sent and it is not valid
      }
      const extra = ctx.extra as Extra;
      // connection_init's `language` first (browsers cannot set a socket's headers); one we do not have, or
      // no string at all, leaves the upgrade request's Accept-Language to decide.
      const asked = ctx.connectionParams?.language;
      const fromHeader = negotiateLanguage(extra.request?.headers["accept-language"], defaultLanguage);
      const language = typeof asked === "string" ? negotiateLanguage(asked, fromHeader) : fromHeader;
      const conn: Connection = {
        socket: extra.socket,
        params: ctx.connectionParams,
        principal,
        language,
        rights: `${rightsKey(principal)}\u0000${language}`,
        identity: identityOf(principal),
        checkedAt: Date.now(),
        dueAt: lookAgainAt(Date.now(), opts.recheckMs),
        stale: false,
        generation: 0,
        closing: false,
        checking: null,
      };
      if (extra.socket.readyState !== extra.socket.OPEN) return false;
      extra.connection = conn;
      connections.add(conn);
      live.add(ctx as never);
      return true;
    },
    onClose: (ctx) => {
      live.delete(ctx as never);
      const conn = (ctx.extra as Extra).connection;
      if (conn) {
        conn.closing = true;
        connections.delete(conn);
      }
    },
    onSubscribe: async (ctx, id, payload) => {
      try {
        return await prepare(ctx, id, payload);
      } catch (err) {
        // A fault of ours while preparing one operation: that operation fails, the socket stays.
        opts.log.error({ err }, "preparing a WebSocket operation failed");
        return fail("INTERNAL_SERVER_ERROR", "Internal server error");
      }
    },
    onNext: (ctx, _id, _payload, _args, result: ExecutionResult) =>
      result.errors ? { ...result, errors: toErrors(result.errors, (ctx.extra as Extra).connection?.language) } : undefined,
    onError: (ctx, _id, _payload, errors) => {
      failSocketOperation(errors);
      return toErrors(errors, (ctx.extra as Extra).connection?.language);
    },
  });

  const prepare = async (
    ctx: { subscriptions: Record<string, unknown>; extra: Extra },
    id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ) => {
    // graphql-ws has already reserved this operation's id among the socket's subscriptions.
    if (Object.keys(ctx.subscriptions).length > opts.maxSubscriptions) {
      return fail("BAD_USER_INPUT", "At most {max} operations can run on one connection.", GraphQLReason.TOO_MANY_SUBSCRIPTIONS, {
        max: opts.maxSubscriptions,
      });
    }
    const conn = ctx.extra.connection;
    if (!conn || !(await current(conn))) {
      return fail("UNAUTHENTICATED", "Your credentials no longer hold: reconnect with valid ones.", SharedReason.UNAUTHENTICATED);
    }
    const principal = conn.principal;
    if (typeof payload.query !== "string") return fail("BAD_USER_INPUT", "The operation has no query text.");
    let document = checked.get(payload.query);
    if (!document) {
      try {
        document = parse(payload.query, { maxTokens: opts.maxTokens });
      } catch (err) {
        opts.onOperation?.(payload.operationName, "unknown", "invalid");
        return fail("GRAPHQL_PARSE_FAILED", err instanceof GraphQLError ? err.message : "The query could not be parsed.");
      }
      nameSocketOperation(document, payload.operationName);
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
    nameSocketOperation(document, payload.operationName);
    const tooCostly = opts.checkCost?.(document, op, payload.variables);
    if (tooCostly) {
      opts.onOperation?.(payload.operationName ?? op.name?.value, op.operation, "invalid");
      return [tooCostly];
    }
    counter += 1;
    const requestId = `ws-${counter}-${id}`;
    const contextValue = opts.context(principal, requestId);
    contextValue.language = conn.language;
    const target: FanoutTarget = {
      socket: ctx.extra.socket,
      id,
      // The connection's principal as last checked (same rights and identity, or the socket is closed).
      fresh: (watch) => {
        const p = conn.principal;
        const fresh = opts.context(watch ? { ...p, viewer: watch(p.viewer) } : p, requestId);
        fresh.language = conn.language;
        return fresh;
      },
      rightsKey: conn.rights,
      identity: conn.identity,
      viewerDependent: sharing.viewerDependent(document),
      current: () => current(conn),
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
  };

  const keepAlive = new KeepAlive(opts.keepAliveMs ?? KEEP_ALIVE_MS);
  wss.on("error", (err) => opts.log.warn({ err }, "websocket server error"));
  wss.on("connection", (socket, request) => {
    // ws has already closed the socket (1002, 1007, 1009) when a frame breaks the WebSocket protocol.
    socket.on("error", (err) => opts.log.debug({ err }, "websocket error"));
    const stopPinging = keepAlive.add(socket);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            // A socket that went away meanwhile is not an error of this operation.
            socket.send(data, () => resolve());
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) => {
          const receive = async (text: string) => {
            try {
              const message = clientMessage(text);
              if (typeof message === "string") {
                socket.close(CloseCode.BadRequest, closeReason(message));
                return;
              }
              // graphql-ws takes a message it has already been given parsed as it is.
              await traceSocketMessage(message, () => handle(message as never));
            } catch (err) {
              opts.log.error({ err }, "handling a WebSocket message failed");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            }
          };
          // ws ignores what a listener returns; receive handles every failure of its message itself.
          socket.on("message", (data) => void receive(String(data)));
        },
      },
      { socket, request } as Extra,
    );
    socket.once("close", (code, reason) => {
      stopPinging();
      void closed(code, String(reason));
    });
  });
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
      clearInterval(sweep);
      keepAlive.stop();
      hub.close();
      for (const client of wss.clients) client.close(code, reason);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * A client's message, or why it is refused (closed with 4400): not JSON, not a graphql-ws message, or a
 * message only a server sends (`next`, `error`, `connection_ack`).
 */
function clientMessage(text: string): Message | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "Invalid message received: not JSON";
  }
  let message: Message;
  try {
    message = validateMessage(value);
  } catch (err) {
    return `Invalid message received: ${err instanceof Error ? err.message : "not a graphql-ws message"}`;
  }
  if (SERVER_ONLY.has(message.type)) return `A client may not send "${message.type}" messages`;
  return message;
}

/** A close reason fits in 123 bytes (the WebSocket limit). */
function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let cut = reason.slice(0, 120);
  while (Buffer.byteLength(`${cut}...`) > 123) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/** When the connection's token (or a writing app's key) stops working, in ms; Infinity when never. */
function expiryOf({ viewer, client }: Principal): number {
  return Math.min(viewer.tokenExpiresAt ?? Number.POSITIVE_INFINITY, client?.expiresAt.getTime() ?? Number.POSITIVE_INFINITY);
}

/** Whether `now` is someone else, another app, or lacks a role or scope `before` had. */
function lostRights(before: Principal, now: Principal): boolean {
  if (identityOf(before) !== identityOf(now) || before.client?.clientId !== now.client?.clientId) return true;
  for (const role of before.viewer.roles) if (!now.viewer.roles.has(role)) return true;
  for (const scope of before.client?.scopes ?? []) if (!now.client?.scopes.has(scope)) return true;
  return false;
}

function identityOf({ viewer }: Principal): string {
  return viewer.personId ?? "";
}

/**
 * A subscription operation: its source is created with the subscriber's rights (refusals come back
 * as a result), then handed to the fan-out hub. Every subscription field returns a Feed.
 */
async function subscribe(hub: FanoutHub, args: ExecutionArgs): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const target = (args.contextValue as Record<symbol, FanoutTarget | undefined>)[fanoutTarget];
  if (!(source instanceof Feed) || !target) {
    return { errors: [new GraphQLError("Internal server error", { extensions: { code: "INTERNAL_SERVER_ERROR" } })] };
  }
  return hub.attach(source, args, target);
}

/** Subscribers with equal roles and equal app scopes see a "shared" object alike. */
function rightsKey({ viewer, client }: Principal): string {
  const roles = [...viewer.roles].sort().join(",");
  return client ? `${roles}|${client.clientId}:${[...client.scopes].sort().join(",")}` : roles;
}

/** How much longer than recheckMs an event trusts credentials the sweep has not looked at again yet. */
const TRUST_FACTOR = 1.25;

/** When the sweep looks at credentials checked at `checkedAt` again: a random point in the last quarter of recheckMs. */
function lookAgainAt(checkedAt: number, recheckMs: number): number {
  return checkedAt + recheckMs * (0.75 + 0.25 * Math.random());
}

/**
 * Pings every socket once per interval and drops one that has not answered the previous ping (a peer
 * that went away without closing). One timer for all sockets, not one per socket: the sockets are dealt
 * over twelve turns, one turn per twelfth of the interval, so the pings are spread over it.
 */
class KeepAlive {
  private static readonly TURNS = 12;
  private readonly turns: Set<{ socket: WebSocket; waiting: boolean }>[] = Array.from({ length: KeepAlive.TURNS }, () => new Set());
  private next = 0;
  private dealt = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number) {
    this.timer = setInterval(() => this.turn(), Math.max(1, Math.floor(intervalMs / KeepAlive.TURNS)));
    this.timer.unref();
  }

  /** Starts pinging the socket; returns what stops it. */
  add(socket: WebSocket): () => void {
    const entry = { socket, waiting: false };
    socket.on("pong", () => {
      entry.waiting = false;
    });
    const turn = this.turns[this.dealt++ % KeepAlive.TURNS];
    turn.add(entry);
    return () => void turn.delete(entry);
  }

  stop() {
    clearInterval(this.timer);
  }

  private turn() {
    const turn = this.turns[this.next];
    this.next = (this.next + 1) % KeepAlive.TURNS;
    for (const entry of turn) {
      const { socket } = entry;
      if (socket.readyState !== socket.OPEN) continue;
      if (entry.waiting) {
        socket.terminate();
        continue;
      }
      entry.waiting = true;
      socket.ping();
    }
  }
}
