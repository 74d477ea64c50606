import "reflect-metadata";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginUsageReportingDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import DataLoader from "dataloader";
import { Counter } from "prom-client";
import { pino, type Logger } from "pino";
import { type Services, createServices } from "./app.services.js";
import type { Config } from "./config/env.js";
import { openDatabase } from "./db/client.js";
import { shareCredentialChanges } from "./app.credentials.js";
import { defineTables } from "./app.tables.js";
import type { Context, Loaders } from "./graphql/context.js";
import { createErrorFormatter } from "./graphql/errors.js";
import type { Language } from "./shared/i18n.js";
import { createCompilingExecutor, localGateway } from "./graphql/executor.js";
import { createHttpHandler } from "./graphql/http.js";
import { createEventBus, defaultChannelPrefix } from "./graphql/pubsub.js";
import { enforceListBounds } from "./graphql/cost.js";
import { buildGraphQLSchema } from "./app.schema.js";
import { costCheck, costPlugin, validationRules } from "./graphql/validation.js";
import { requestPlugins } from "./graphql/plugins.js";
import { attachWebSocket } from "./graphql/ws.js";
import type { PersonRow } from "./modules/people/person.repository.js";
import { type Clock, ShiftableClock, systemClock } from "./shared/clock.js";
import { calendarRoute } from "./modules/care/care.calendar.js";
import { admitHttp, admitWs, apiScopePlugin } from "./modules/api-clients/api-client.admission.js";
import type { Principal } from "./modules/api-clients/api-client.service.js";
import { graphiqlRoute } from "./graphql/graphiql.js";
import { Metrics, currentRequest, instrumentHttp } from "./graphql/observability.js";
import { traceOperations } from "./tracing.js";
import { seedIfEmpty } from "../seeds/seed-runner.js";
import { ensureCoordinator } from "../seeds/coordinator.js";
import { IdempotentReplay } from "./modules/idempotency/idempotency.replay.js";
import { escalationSettings } from "./modules/escalation/escalation.settings.js";
import { caseDocumentRoute } from "./modules/escalation/case-document.route.js";
import { notificationSettings } from "./modules/notifications/notification.settings.js";
import { webhookSettings } from "./modules/webhooks/webhook.settings.js";
import { accountSettings } from "./modules/people/account.settings.js";
import { unsubscribeRoute } from "./modules/notifications/notification.unsubscribe.js";
import { dataExportRoute } from "./modules/data-rights/data-export.route.js";
import { councilReportRoute } from "./modules/reports/council.route.js";
import { parseTariffs } from "./modules/stats/stats.tariffs.js";

import { idempotencyHook } from "./modules/idempotency/idempotency.module.js";

export interface App {
  server: Server;
  url: string;
  port: number;
  services: Services;
  log: Logger;
  /** This instance's Prometheus metrics (also served at /metrics). */
  metrics: Metrics;
  /** Drains HTTP, closes WebSockets, stops sweeps and closes the database. */
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  /** Tests: another list of viewer-dependent fields (default VIEWER_DEPENDENT_FIELDS), e.g. none, to prove the run-time check alone. */
  viewerDependentFields?: readonly string[];
  /** Tests: how often sockets are pinged (default 12 s), so a peer that went away is seen to be dropped. */
  webSocketKeepAliveMs?: number;
}

/** Builds everything (database, services, schema, HTTP + WebSocket) and starts listening. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? pino({ level: config.LOG_LEVEL, base: { service: "zorgzaam" } });
  const clock = options.clock ?? (config.CLOCK_CONTROL ? new ShiftableClock() : systemClock);
  // The event log is stamped with the domain clock, the clock its pruning measures age by.
  const db = openDatabase(config.DATABASE_URL, { tables: defineTables, poolSize: config.DATABASE_POOL_SIZE, now: () => clock.now() });
  await db.migrate();
  const events = createEventBus(config.REDIS_URL, config.REDIS_CHANNEL_PREFIX ?? defaultChannelPrefix(config.DATABASE_URL));
  const services = await createServices(
    db,
    events,
    clock,
    {
      jwtSecret: config.JWT_SECRET,
      tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
      clockControl: config.CLOCK_CONTROL,
      apiClients: {
        defaultRateLimitPerMinute: config.API_KEY_RATE_LIMIT_PER_MINUTE,
        anonymousRateLimitPerMinute: config.ANONYMOUS_RATE_LIMIT_PER_MINUTE,
        redisUrl: config.REDIS_URL,
        keyCacheMs: (config.CREDENTIAL_RECHECK_SECONDS * 1000) / 3,
      },
      credentialCacheMs: (config.CREDENTIAL_RECHECK_SECONDS * 1000) / 3,
      stats: { cacheSeconds: config.STATS_CACHE_SECONDS, tariffs: parseTariffs(config.STATS_TARIFFS_JSON) },
      idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
      loginThrottle: {
        perAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        perAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
        windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
      },
      loginThrottlePrefix: config.LOGIN_THROTTLE_REDIS_PREFIX,
      eventLogRetentionHours: config.EVENT_LOG_RETENTION_HOURS,
      escalation: escalationSettings(config),
      caseDocuments: { dir: config.CASE_DOCUMENTS_DIR, maxBytes: config.CASE_DOCUMENT_MAX_BYTES },
      care: {
        horizonWeeks: config.CARE_HORIZON_WEEKS,
        gapLeadHours: config.CARE_GAP_LEAD_HOURS,
        invitationTtlHours: config.CARE_INVITATION_TTL_HOURS,
        sustainedOverloadDays: config.CARE_SUSTAINED_OVERLOAD_DAYS,
        missedShiftsLimit: config.CARE_MISSED_SHIFTS_LIMIT,
        missedShiftsDays: config.CARE_MISSED_SHIFTS_DAYS,
        publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
        appUrl: config.APP_URL ?? config.PUBLIC_URL,
        emailInvitationsPerDay: config.CARE_EMAIL_INVITATIONS_PER_DAY,
      },
      notifications: notificationSettings(config),
      push: config,
      dataRights: { linkTtlSeconds: config.DATA_EXPORT_LINK_TTL_SECONDS, keepHours: config.DATA_EXPORT_KEEP_HOURS },
      webhooks: webhookSettings(config),
      accounts: accountSettings(config),
      retention: {
        helpRequestDays: config.RETENTION_HELP_REQUEST_DAYS,
        careDays: config.RETENTION_CARE_DAYS,
        escalationYears: config.RETENTION_ESCALATION_YEARS,
        accessLogYears: config.RETENTION_ACCESS_LOG_YEARS,
      },
    },
    log,
  );
  // Demo people only outside production; production seeds places, teams and categories, and its
  // first coordinator comes from ZORGZAAM_COORDINATOR_* (or `npm run create-coordinator`).
  await db.exclusive(async () => {
    if (config.SEED_ON_EMPTY) await seedIfEmpty(services, log, { demo: config.NODE_ENV !== "production" });
    if (config.coordinator) await ensureCoordinator(services, config.coordinator, log);
  });
  // Notifications follow the event log from here on (a new database is not told what seeding did).
  await services.notifications.start();
  await services.webhooks.start((listener) => services.db.onCommit(listener));
  if (!config.SMTP_URL) {
    if (config.NODE_ENV === "development") log.info("SMTP_URL is not set: e-mail notifications are written to the log");
    else log.warn("SMTP_URL is not set: e-mail notifications are off");
  }

  const schema = buildGraphQLSchema(services);
  const replay = new IdempotentReplay(schema);
  enforceListBounds(schema, (field, items, maxItems) => log.warn({ field, items, maxItems }, "a list had more items than its declared bound and was cut to it"));
  const limits = { maxDepth: config.MAX_QUERY_DEPTH, maxAliases: config.MAX_ALIASES, maxCost: config.MAX_QUERY_COST, introspection: config.introspection };
  const rules = validationRules(schema, limits);
  const checkCost = costCheck(schema, limits);
  let ws: ReturnType<typeof attachWebSocket> | null = null;
  const metrics = new Metrics(() => ws?.stats() ?? { connections: 0, operations: 0, attached: 0, delivered: 0, executed: 0 });
  // Every login attempt that was not throttled verifies one password hash, whether or not the account
  // exists: this counter lets operators (and the tests) see that the work is equal.
  new Counter({
    name: "zorgzaam_password_verifications_total",
    help: "Password hash verifications done by login (one per attempt that was not throttled, known account or not).",
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(services.people.passwordVerifications);
    },
  });
  const format = createErrorFormatter(log, config.DEFAULT_LANGUAGE);
  const apollo = new ApolloServer<Context>({
    ...(config.GRAPHQL_JIT_AFTER > 0
      ? { gateway: localGateway(schema, traceOperations(createCompilingExecutor(schema, { compileAfter: config.GRAPHQL_JIT_AFTER, maxCompiled: 500 }))) }
      : { schema }),
    introspection: config.introspection,
    validationRules: rules,
    formatError: format,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: config.MAX_TOKENS },
    csrfPrevention: true,
    // Automatic persisted queries: a client may send the SHA-256 of a document it sent before.
    persistedQueries: { ttl: 24 * 3600 },
    logger: log.child({ component: "apollo" }),
    plugins: [
      // One plugin for all of ours (see requestPlugins); it also drops "Did you mean" hints.
      requestPlugins(costPlugin(checkCost), apiScopePlugin(services.apiClients), metrics.apolloPlugin()),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      // Traces for a federation gateway: there is none.
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await apollo.start();

  const createLoaders = (): Loaders => {
    const named = new Map<string, DataLoader<string, unknown>>();
    return {
      personById: new DataLoader<string, PersonRow | undefined>(async (ids) => {
        const rows = await services.people.findByIds(ids);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id));
      }),
      of<V>(name: string, batch: (ids: readonly string[]) => Promise<(V | undefined)[]>) {
        let loader = named.get(name);
        if (!loader) named.set(name, (loader = new DataLoader<string, unknown>(batch)));
        return loader as DataLoader<string, V | undefined>;
      },
    };
  };
  const buildContext = ({ viewer, client }: Principal, requestId: string, address?: string, userAgent?: string): Context => {
    const request = currentRequest();
    if (request) {
      request.address = address;
      request.clientId ??= client?.clientId;
    }
    const context = new RequestContext(viewer, client, requestId, services, createLoaders, () => request?.log ?? log.child({ requestId }), address, userAgent);
    // HTTP and WebSocket put the caller's language on it; this is for a context made without a caller.
    context.language = config.DEFAULT_LANGUAGE;
    return context;
  };

  const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  let draining = false;
  const server = createServer(
    instrumentHttp(
      createHttpHandler({
        apollo,
        bodyLimit: config.BODY_LIMIT_BYTES,
        cors: config.cors,
        publicCacheSeconds: config.PUBLIC_CACHE_SECONDS,
        defaultLanguage: config.DEFAULT_LANGUAGE,
        log,
        context: async (authorization, requestId, req) =>
          buildContext(
            await services.apiClients.principalFor({ authorization, apiKey: header(req.headers["x-api-key"]) }),
            requestId,
            req.socket.remoteAddress,
            header(req.headers["user-agent"]),
          ),
        admit: async (ctx, request) => {
          const admission = await admitHttp(services.apiClients, ctx, request);
          if (!admission.ok && admission.status === 429) metrics.rateLimited(ctx.client?.clientId ?? null);
          return admission;
        },
        routes: [
          ...(config.GRAPHIQL ? [graphiqlRoute()] : []),
          metrics.route(config.METRICS_TOKEN),
          calendarRoute(services.care),
          unsubscribeRoute(services.notifications),
          dataExportRoute(services.dataRights, async (authorization) => (await services.people.viewerFor(authorization)).personId),
          caseDocumentRoute(services.caseWork, (authorization) => services.people.viewerFor(authorization)),
          councilReportRoute(
            services.statsCouncil,
            services.stats,
            services.places,
            (req) => services.apiClients.principalFor({ authorization: header(req.headers.authorization), apiKey: header(req.headers["x-api-key"]) }),
            () => services.clock.now(),
          ),
        ],
        idempotency: idempotencyHook(services.idempotency, replay),
        // Ready: not shutting down, the database answers and has every committed migration.
        ready: async () => !draining && (await db.ping(), await db.migrationsApplied()),
      }),
      { log, metrics },
    ),
  );
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  ws = attachWebSocket({
    server,
    schema,
    rules,
    checkCost,
    maxTokens: config.MAX_TOKENS,
    maxPayload: config.WS_MAX_PAYLOAD_BYTES,
    cors: config.cors,
    maxSubscriptions: config.WS_MAX_SUBSCRIPTIONS,
    log,
    format,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    outbox: services.outbox,
    principalFor: (params) => services.apiClients.principalFor(credentialsOf(params)),
    context: buildContext,
    admit: (ctx, operation) => admitWs(services.apiClients, ctx, operation),
    onOperation: (name, type, outcome) => metrics.recordOperation("ws", name, type, outcome),
    // With the caches at a third and a connection looked at again by the sweep within a third (an event
    // trusts a look for at most 1.25 thirds) of CREDENTIAL_RECHECK_SECONDS, a revocation on another
    // instance closes its sockets within the whole.
    recheckMs: (config.CREDENTIAL_RECHECK_SECONDS * 1000) / 3,
    viewerDependentFields: options.viewerDependentFields,
    keepAliveMs: options.webSocketKeepAliveMs,
    watchCredentials: (listener) => {
      services.people.onRightsChanged((personId) => listener({ personId }));
      services.apiClients.onKeysChanged((clientId) => listener({ clientId }));
    },
  });
  const sockets = ws;
  // A credential changed on another instance closes this one's sockets at once too.
  const credentials = shareCredentialChanges({ outbox: services.outbox, bus: events, people: services.people, apiClients: services.apiClients, log });

  // Time-based rules. Each row is claimed by a conditional update, so running this on every
  // instance at once still acts once per row.
  let sweeping: Promise<unknown> | null = null;
  const sweep = () => {
    sweeping ??= services.sweeps
      .run()
      .then((r) => {
        if (r.expiredRequests || r.gapsPosted || r.missedShifts || r.escalationsRaised) log.info(r, "sweep");
      })
      .catch((err) => log.error({ err }, "sweep failed"))
      .finally(() => {
        sweeping = null;
      });
  };
  const timer = config.SWEEP_INTERVAL_MS > 0 ? setInterval(sweep, config.SWEEP_INTERVAL_MS) : null;
  timer?.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;

  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    url: `http://${host}:${port}/graphql`,
    services,
    log,
    metrics,
    close: () =>
      (closing ??= (async () => {
        // Drain: /readyz answers 503 so a load balancer stops sending; WebSockets close with 1012
        // (service restart: clients reconnect elsewhere); HTTP requests in flight finish, up to
        // SHUTDOWN_GRACE_MS, then the remaining connections are cut.
        draining = true;
        if (timer) clearInterval(timer);
        await sockets.close(1012, "Server restarting; reconnect");
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        await sweeping;
        await services.notifications.close();
        await services.dataRights.close();
        await services.dataErasure.close();
        await services.webhooks.close();
        await apollo.stop();
        await credentials.close();
        await events.close();
        await services.apiClients.close();
        await services.people.close();
        await services.care.circles.flush();
        await services.accounts.close();
        await services.totp.close();
        await db.close();
      })()),
  };
}

/**
 * A request's (or a subscription's) context. Its loaders and logger are made on first use: a
 * subscription keeps its context for as long as it runs and most never need either, and most HTTP
 * requests need neither. They are getters on the prototype, so copying the context (Apollo copies
 * it for each operation) does not make them.
 */
class RequestContext implements Context {
  private madeLoaders: Loaders | undefined = undefined;
  private madeLog: Logger | undefined = undefined;
  language: Language = "nl";

  constructor(
    readonly viewer: Principal["viewer"],
    readonly client: Principal["client"],
    readonly requestId: string,
    readonly services: Services,
    private readonly makeLoaders: () => Loaders,
    private readonly makeLog: () => Logger,
    readonly address?: string,
    readonly userAgent?: string,
  ) {}

  get loaders(): Loaders {
    return (this.madeLoaders ??= this.makeLoaders());
  }

  get log(): Logger {
    return (this.madeLog ??= this.makeLog());
  }
}

/** Credentials from a WebSocket's connectionParams: `authorization` (or `token`), and/or `apiKey` (or `x-api-key`). */
function credentialsOf(params: Record<string, unknown> | undefined): { authorization?: string; apiKey?: string } {
  const text = (...keys: string[]) => {
    for (const key of keys) if (typeof params?.[key] === "string") return params[key] as string;
    return undefined;
  };
  return { authorization: text("authorization", "Authorization", "token"), apiKey: text("apiKey", "x-api-key", "X-Api-Key") };
}
