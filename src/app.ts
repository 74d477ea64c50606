import "reflect-metadata";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginUsageReportingDisabled } from "@apollo/server/plugin/disabled";
import DataLoader from "dataloader";
import { pino, type Logger } from "pino";
import { type Services, createServices } from "./app.services.js";
import type { Config } from "./config/env.js";
import { openDatabase } from "./db/client.js";
import type { Context } from "./graphql/context.js";
import { createErrorFormatter } from "./graphql/errors.js";
import { createHttpHandler } from "./graphql/http.js";
import { createEventBus } from "./graphql/pubsub.js";
import { buildGraphQLSchema } from "./graphql/schema.js";
import { validationRules } from "./graphql/validation.js";
import { attachWebSocket } from "./graphql/ws.js";
import type { PersonRow } from "./modules/people/person.repository.js";
import { type Clock, ShiftableClock, systemClock } from "./shared/clock.js";
import { calendarRoute } from "./modules/care/care.calendar.js";
import type { Viewer } from "./shared/viewer.js";
import { seedIfEmpty } from "../seeds/seed-runner.js";

export interface App {
  server: Server;
  url: string;
  port: number;
  services: Services;
  log: Logger;
  /** Drains HTTP, closes WebSockets, stops sweeps and closes the database. */
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
}

/** Builds everything (database, services, schema, HTTP + WebSocket) and starts listening. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? pino({ level: config.LOG_LEVEL, base: { service: "zorgzaam" } });
  const clock = options.clock ?? (config.CLOCK_CONTROL ? new ShiftableClock() : systemClock);
  const db = openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
  await db.migrate();
  const events = createEventBus(config.REDIS_URL);
  const services = await createServices(db, events, clock, {
    jwtSecret: config.JWT_SECRET,
    tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
    clockControl: config.CLOCK_CONTROL,
    idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
    escalation: {
      openLimitHours: config.ESCALATE_OPEN_AFTER_HOURS,
      releaseLimit: config.ESCALATE_AFTER_RELEASES,
      acknowledgeHours: config.ACKNOWLEDGE_WITHIN_HOURS,
    },
    care: {
      horizonWeeks: config.CARE_HORIZON_WEEKS,
      gapLeadHours: config.CARE_GAP_LEAD_HOURS,
      invitationTtlHours: config.CARE_INVITATION_TTL_HOURS,
      sustainedOverloadDays: config.CARE_SUSTAINED_OVERLOAD_DAYS,
      publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    },
  }, log);
  if (config.SEED_ON_EMPTY) await db.exclusive(() => seedIfEmpty(services, log));

  const schema = buildGraphQLSchema(services);
  const rules = validationRules({
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_ALIASES,
    introspection: config.introspection,
  });
  const format = createErrorFormatter(log);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    validationRules: rules,
    formatError: format,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: config.MAX_TOKENS },
    csrfPrevention: true,
    logger: log.child({ component: "apollo" }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });
  await apollo.start();

  const buildContext = (viewer: Viewer, requestId: string): Context => {
    const named = new Map<string, DataLoader<string, unknown>>();
    return {
      viewer,
      requestId,
      services,
      loaders: {
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
      },
    };
  };

  const server = createServer(
    createHttpHandler({
      apollo,
      bodyLimit: config.BODY_LIMIT_BYTES,
      log,
      context: async (authorization, requestId) => buildContext(await services.people.viewerFor(authorization), requestId),
      routes: [calendarRoute(services.care)],
      idempotency: {
        // Keys are per person; anonymous callers are told apart by address only.
        principal: (ctx, req) => ctx.viewer.personId ?? `anonymous:${req.socket.remoteAddress ?? "?"}`,
        run: (principal, key, body, execute) => services.idempotency.run(principal, key, body, execute),
      },
      ready: async () => {
        await db.ping();
        return true;
      },
    }),
  );
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  const ws = attachWebSocket({
    server,
    schema,
    rules,
    maxTokens: config.MAX_TOKENS,
    maxPayload: config.WS_MAX_PAYLOAD_BYTES,
    maxSubscriptions: config.WS_MAX_SUBSCRIPTIONS,
    log,
    format,
    viewerFor: (authorization) => services.people.viewerFor(authorization),
    context: buildContext,
  });

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
    close: () =>
      (closing ??= (async () => {
        if (timer) clearInterval(timer);
        await ws.close(1012, "Server restarting; reconnect");
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await sweeping;
        await apollo.stop();
        await events.close();
        await db.close();
      })()),
  };
}
