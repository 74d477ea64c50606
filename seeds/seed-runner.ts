import { eq, isNotNull, and, notLike } from "drizzle-orm";
import type { Logger } from "pino";
import type { Services } from "../src/app.services.js";
import { type AppDatabase, deleteAllData } from "../src/app.tables.js";
import { DEMO_PASSWORD, type DemoAccount } from "./demo-accounts.js";
import { seedDemo } from "./demo.js";
import { areas, categories, neighbourhoods, teams } from "./reference-data.js";

/** app_settings key of the demo seed's progress: STARTED before its first row, DONE after its last. */
const DEMO_SEED = "demo_seed";

/** Adds the real places and categories; idempotent (existing rows are kept) and one transaction. */
export async function seedReferenceData(s: Services): Promise<void> {
  await s.places.addReferenceData({ areas, neighbourhoods, categories, teams });
}

export interface SeedOptions {
  /** Invented demo people, organisations and requests: never in production. */
  demo: boolean;
}

/**
 * Seeds reference data always (one idempotent transaction), and demo data only outside production and
 * only into a database without people. The demo seed is many writes through the services, so it is
 * marked STARTED before its first write and DONE after its last: a process killed in between leaves
 * the mark, and the next start deletes the partial seed and seeds again. So a first start either
 * completes the seed or, killed, is completed by the next one.
 */
export async function seedIfEmpty(s: Services, log: Logger, options: SeedOptions = { demo: true }): Promise<DemoAccount[] | null> {
  await seedReferenceData(s);
  if (!options.demo) return null;
  const state = await readSetting(s.db, DEMO_SEED);
  if (state === "STARTED") {
    if (await hasRealPeople(s.db)) {
      // Someone used this database after the seed stopped: never delete their data.
      log.error("an unfinished demo seed is mixed with real accounts; leaving the data as it is");
      return null;
    }
    log.warn("the demo seed of an earlier start did not finish (the process stopped while seeding); seeding again");
    await deleteAllData(s.db);
    await s.places.reload();
    await seedReferenceData(s);
  } else if (!(await s.people.isEmpty())) {
    return null;
  }
  await writeSetting(s.db, DEMO_SEED, "STARTED");
  const accounts = await seedDemo(s);
  await writeSetting(s.db, DEMO_SEED, "DONE");
  printAccounts(accounts, log);
  return accounts;
}

/** Deletes all domain data and seeds again. */
export async function reseed(s: Services, log: Logger, options: SeedOptions = { demo: true }): Promise<DemoAccount[] | null> {
  await deleteAllData(s.db);
  await writeSetting(s.db, DEMO_SEED, "DONE");
  await s.places.reload();
  return seedIfEmpty(s, log, options);
}

/** Whether anyone with an account outside the demo's invented addresses exists. */
async function hasRealPeople(db: AppDatabase): Promise<boolean> {
  const t = db.tables.people;
  const rows = await db.read
    .select({ id: t.id })
    .from(t)
    .where(and(isNotNull(t.email), notLike(t.email, "%@zorgzaam.example")))
    .limit(1);
  return rows.length > 0;
}

async function readSetting(db: AppDatabase, key: string): Promise<string | undefined> {
  const t = db.tables.appSettings;
  const [row] = await db.read.select().from(t).where(eq(t.key, key));
  return row?.value;
}

async function writeSetting(db: AppDatabase, key: string, value: string): Promise<void> {
  const t = db.tables.appSettings;
  await db.transaction(async (tx) => {
    await tx.insert(t).values({ key, value }).onConflictDoUpdate({ target: t.key, set: { value } });
  });
}

function printAccounts(accounts: DemoAccount[], log: Logger) {
  log.info({ accounts: accounts.map((a) => a.email) }, "seeded demo data");
  const lines = accounts.map((a) => `  ${a.email.padEnd(32)} ${a.name.padEnd(20)} ${a.role}`);
  // Plain text for the person at the terminal; the log line above is for machines.
  process.stdout.write(`\nDemo accounts (password "${DEMO_PASSWORD}"; log in with the mutation login(email, password)):\n${lines.join("\n")}\n\n`);
}
