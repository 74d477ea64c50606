import { loadConfig } from "../../config/env.js";
import { openDatabase } from "../../db/client.js";
import { defineDbTables } from "../../db/tables.js";
import { defineAccessLogTables } from "./access-log.tables.js";
import { AccessLogRepository } from "./access-log.repository.js";

/**
 * `npm run verify-access-log`: walks the access log's hash chain in DATABASE_URL and prints the outcome
 * as one JSON line. Exit code 0 when every link holds, 2 when a link is broken, 1 when it could not run.
 * Reads only; it neither migrates nor writes.
 */
async function main() {
  const config = loadConfig();
  const db = openDatabase(config.DATABASE_URL, { tables: (k) => ({ ...defineDbTables(k), ...defineAccessLogTables(k) }), poolSize: 1 });
  try {
    const report = await new AccessLogRepository(db).verify();
    console.log(JSON.stringify(report));
    process.exitCode = report.ok ? 0 : 2;
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
