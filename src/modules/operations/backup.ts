import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { isPostgresUrl } from "../../db/client.js";

/**
 * A consistent copy of the embedded SQLite database while the server keeps running, through SQLite's
 * online backup API (pages are copied in steps; writes during the copy restart the affected steps, so
 * the result is one consistent snapshot). PostgreSQL has its own tools (pg_dump, base backups).
 */
export async function backupSqlite(databaseUrl: string, destination: string): Promise<{ pages: number; file: string }> {
  if (isPostgresUrl(databaseUrl)) {
    throw new Error("DATABASE_URL points to PostgreSQL: use pg_dump or the server's base backups instead.");
  }
  const source = databaseUrl.replace(/^sqlite:(\/\/)?/, "").replace(/^file:/, "");
  const file = resolve(destination);
  mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // Step by step, a backup starts over whenever a write lands between two steps: on a busy server it
    // may never end. After the first step the rest is copied in one (a read transaction; in WAL mode
    // writers go on meanwhile), so at most one restart happens.
    const result = await db.backup(file, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
    return { pages: result.totalPages, file };
  } finally {
    db.close();
  }
}

/** Checks a database file: SQLite's own integrity check must answer "ok". */
export function integrityCheck(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma("integrity_check", { simple: true }));
  } finally {
    db.close();
  }
}
