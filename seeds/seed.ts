import "reflect-metadata";
import { pino } from "pino";
import { createServices } from "../src/app.services.js";
import { loadConfig } from "../src/config/env.js";
import { openDatabase } from "../src/db/client.js";
import { defineTables } from "../src/app.tables.js";
import { createEventBus } from "../src/graphql/pubsub.js";
import { systemClock } from "../src/shared/clock.js";
import { reseed, seedIfEmpty } from "./seed-runner.js";

/** `npm run seed` seeds an empty database; `npm run seed -- --reset` deletes all data first. */
async function main() {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  const db = openDatabase(config.DATABASE_URL, { tables: defineTables, poolSize: 2 });
  await db.migrate();
  const events = createEventBus();
  const services = await createServices(
    db,
    events,
    systemClock,
    {
      jwtSecret: config.JWT_SECRET,
      tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
    },
    log,
  );
  const reset = process.argv.includes("--reset");
  const options = { demo: config.NODE_ENV !== "production" };
  const seeded = await db.exclusive(() => (reset ? reseed(services, log, options) : seedIfEmpty(services, log, options)));
  if (!options.demo) log.info("Places, teams and categories are in place; production gets no demo data (see npm run create-coordinator).");
  else if (!seeded) log.info("The database already has people; nothing seeded. Use --reset to start over.");
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
