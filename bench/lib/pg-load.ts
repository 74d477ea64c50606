/**
 * Copies a generated SQLite data set into a fresh PostgreSQL database, so a benchmark can run the same
 * data on both engines. The database is dropped and created again, given the app's schema by the app's
 * own migrate(), and filled table by table: each column is converted as the app's PostgreSQL tables
 * store it (src/db/kit.ts: times from epoch milliseconds to timestamptz, booleans from 0/1, JSON text
 * to jsonb) and written in batches of one INSERT ... SELECT FROM unnest(...) with one array per column.
 * Generated columns (the initiatives' text-search vector) are computed by PostgreSQL. Foreign keys are not checked while loading (the rows come from a consistent file); sequences are
 * moved past the copied numbers and the tables analysed, as a database in use would be.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { defineTables } from "../../src/app.tables.js";
import { openDatabase } from "../../src/db/client.js";

const BATCH = 10_000;

export interface PgLoadResult {
  url: string;
  seconds: number;
  rows: Record<string, number>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `postgres://user@host:port/<database>` from a server URL naming any database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops and creates `database` on the server of `serverUrl`, migrates it and copies the SQLite file in. */
export async function loadIntoPostgres(sqliteFile: string, serverUrl: string, database: string, log: (line: string) => void = () => {}): Promise<PgLoadResult> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`not a plain database name: ${database}`);
  const t0 = Date.now();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = withDatabase(serverUrl, database);

  const app = openDatabase(url, { tables: defineTables });
  await app.migrate();
  await app.close();

  const source = new BetterSqlite3(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows: Record<string, number> = {};
  try {
    const columns = await client.query<{ table_name: string; column_name: string; udt_name: string }>(
      `SELECT table_name, column_name, udt_name FROM information_schema.columns
        WHERE table_schema = 'public' AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
    );
    const byTable = new Map<string, { name: string; type: string }[]>();
    for (const c of columns.rows) {
      const list = byTable.get(c.table_name) ?? [];
      list.push({ name: c.column_name, type: c.udt_name });
      byTable.set(c.table_name, list);
    }
    const sqliteTables = new Set((source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    await client.query("BEGIN");
    // Foreign-key triggers do not fire in replica mode: tables load in any order.
    await client.query("SET LOCAL session_replication_role = replica");
    for (const [table, cols] of byTable) {
      if (!sqliteTables.has(table)) continue;
      const select = source.prepare(`SELECT ${cols.map((c) => quote(c.name)).join(", ")} FROM ${quote(table)}`).raw(true);
      const convert = cols.map((c) => converter(c.type));
      const insert = `INSERT INTO ${quote(table)} (${cols.map((c) => quote(c.name)).join(", ")}) SELECT * FROM unnest(${cols
        .map((c, i) => `$${i + 1}::${arrayType(c.type)}`)
        .join(", ")})`;
      let arrays: unknown[][] = cols.map(() => []);
      let count = 0;
      const flush = async () => {
        if (arrays[0].length === 0) return;
        await client.query(insert, arrays);
        arrays = cols.map(() => []);
      };
      for (const row of select.iterate() as Iterable<unknown[]>) {
        for (let i = 0; i < cols.length; i++) arrays[i].push(convert[i](row[i]));
        count++;
        if (arrays[0].length >= BATCH) await flush();
      }
      await flush();
      rows[table] = count;
      if (count > 50_000) log(`[pg] ${table}: ${count} rows`);
    }
    // Serial columns: the next number follows the highest one copied.
    const serials = await client.query<{ table_name: string; column_name: string; seq: string }>(
      `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
         FROM information_schema.columns WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
    );
    for (const s of serials.rows) {
      await client.query(`SELECT setval($1, GREATEST(1, (SELECT COALESCE(MAX(${quote(s.column_name)}), 0) FROM ${quote(s.table_name)})))`, [s.seq]);
    }
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await client.end();
    source.close();
  }
  const seconds = Math.round((Date.now() - t0) / 100) / 10;
  log(`[pg] ${database}: loaded in ${seconds} s`);
  return { url, seconds, rows };
}

/** The array type for a column's PostgreSQL type name (information_schema's udt_name). */
function arrayType(udt: string): string {
  return `${udt}[]`;
}

/** Converts a value as SQLite holds it to what the app's PostgreSQL column holds (see src/db/kit.ts). */
function converter(udt: string): (v: unknown) => unknown {
  switch (udt) {
    case "timestamptz":
      return (v) => (v === null ? null : new Date(Number(v)).toISOString());
    case "bool":
      return (v) => (v === null ? null : Boolean(v));
    case "jsonb":
      // JSON text: an array of JSON texts is cast to jsonb[] element by element.
      return (v) => (v === null ? null : String(v));
    default:
      return (v) => v;
  }
}
