import type { Logger } from "pino";
import type { Services } from "../src/app.services.js";
import { deleteAllData } from "../src/db/reset.js";
import { DEMO_PASSWORD, type DemoAccount, seedDemo } from "./demo.js";
import { areas, categories, neighbourhoods, teams } from "./reference-data.js";

/** Adds the real places and categories; idempotent (existing rows are kept). */
export async function seedReferenceData(s: Services): Promise<void> {
  await s.places.addReferenceData({ areas, neighbourhoods, categories, teams });
}

/** Seeds reference data always, and demo people only into a database without people. */
export async function seedIfEmpty(s: Services, log: Logger): Promise<DemoAccount[] | null> {
  await seedReferenceData(s);
  if (!(await s.people.isEmpty())) return null;
  const accounts = await seedDemo(s);
  printAccounts(accounts, log);
  return accounts;
}

/** Deletes all domain data and seeds again. */
export async function reseed(s: Services, log: Logger): Promise<DemoAccount[] | null> {
  await deleteAllData(s.db);
  await s.places.reload();
  return seedIfEmpty(s, log);
}

function printAccounts(accounts: DemoAccount[], log: Logger) {
  log.info({ accounts: accounts.map((a) => a.email) }, "seeded demo data");
  const lines = accounts.map((a) => `  ${a.email.padEnd(32)} ${a.name.padEnd(20)} ${a.role}`);
  // Plain text for the person at the terminal; the log line above is for machines.
  process.stdout.write(
    `\nDemo accounts (password "${DEMO_PASSWORD}"; log in with the mutation login(email, password)):\n${lines.join("\n")}\n\n`,
  );
}
