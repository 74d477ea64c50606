import "reflect-metadata";
import { pino } from "pino";
import { createServices } from "../src/app.services.js";
import { loadConfig } from "../src/config/env.js";
import { openDatabase } from "../src/db/client.js";
import { defineTables } from "../src/app.tables.js";
import { createEventBus } from "../src/graphql/pubsub.js";
import { systemClock } from "../src/shared/clock.js";
import { ensureCoordinator } from "./coordinator.js";
import { seedReferenceData } from "./seed-runner.js";

/**
 * `npm run create-coordinator`: creates the first coordinator (or grants the role to an existing
 * account) from ZORGZAAM_COORDINATOR_EMAIL and ZORGZAAM_COORDINATOR_PASSWORD, so no password ever
 * appears in a command line or in the code.
 */
async function main() {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  if (!config.coordinator) {
    console.error("Set ZORGZAAM_COORDINATOR_EMAIL and ZORGZAAM_COORDINATOR_PASSWORD (and optionally _FIRST_NAME, _LAST_NAME, _NEIGHBOURHOOD).");
    process.exit(1);
  }
  const db = openDatabase(config.DATABASE_URL, { tables: defineTables, poolSize: 2 });
  await db.migrate();
  const services = await createServices(db, createEventBus(), systemClock, { jwtSecret: config.JWT_SECRET, tokenTtlSeconds: config.TOKEN_TTL_SECONDS }, log);
  await db.exclusive(async () => {
    await seedReferenceData(services);
    await ensureCoordinator(services, config.coordinator!, log);
  });
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
