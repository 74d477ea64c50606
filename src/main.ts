import "reflect-metadata";
import { loadConfig } from "./config/env.js";
import { startTracing } from "./tracing.js";

/** Process entry: config, tracing, app, listen, stop cleanly on SIGTERM/SIGINT. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  // Tracing first: its instrumentations patch node:http, pg, ioredis and graphql as the app loads them.
  const tracing = await startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    headers: config.OTEL_EXPORTER_OTLP_HEADERS,
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
    serviceName: config.OTEL_SERVICE_NAME,
  });
  const { createApp } = await import("./app.js");
  const app = await createApp(config);
  tracing?.logErrorsTo(app.log.child({ component: "tracing" }));
  app.log.info({ url: app.url }, `Zorgzaam is listening on ${app.url} (GraphQL over HTTP and WebSocket)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
