import { loadConfig } from "../../config/env.js";
import { backupSqlite, integrityCheck } from "./backup.js";

/** `npm run backup [-- destination]`: a consistent copy of the running server's SQLite database. */
async function main() {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const destination = process.argv.slice(2).find((a) => a !== "--") ?? `./data/backups/zorgzaam-${stamp}.sqlite`;
  const { file, pages } = await backupSqlite(config.DATABASE_URL, destination);
  const check = integrityCheck(file);
  if (check !== "ok") throw new Error(`backup failed its integrity check: ${check}`);
  console.log(`Backed up ${pages} pages to ${file} (integrity ok).`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
