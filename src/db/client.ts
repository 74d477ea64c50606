import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "drizzle-orm";
import { type BetterSQLite3Database, drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as pgSchema from "./schema.pg.js";
import * as sqliteSchema from "./schema.sqlite.js";
import type { Tables } from "./tables.js";

/** The query handle repositories use; typed as drizzle's SQLite database, valid on both dialects. */
export type Db = BetterSQLite3Database<typeof sqliteSchema>;

export type Dialect = "sqlite" | "postgres";

/**
 * The seam between the app and its SQL engine. Repositories read through `read` and write only
 * inside `transaction`, which is atomic and isolated on both engines: PostgreSQL runs transactions
 * concurrently from a pool; SQLite has one writer, so write transactions are queued one at a time on
 * a dedicated connection while reads use a second connection that only sees committed data (WAL).
 */
export interface Database {
  readonly dialect: Dialect;
  readonly tables: Tables;
  readonly read: Db;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Applies the committed migrations; safe when several instances start at once. */
  migrate(): Promise<void>;
  /**
   * Runs `fn` while holding the start-up lock, so work that must happen once (migrations, seeding an
   * empty database) is done by one instance while the others wait. A PostgreSQL advisory lock; on
   * SQLite (one process) it simply runs `fn`.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: serialises transactions that lock the same key until commit (e.g. one
   * person's overlapping claims). SQLite already runs one write transaction at a time.
   */
  lockKey(tx: Db, key: string): Promise<void>;
  /** Throws when the engine does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  poolSize?: number;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const migrationsDir = (d: Dialect) => resolve(root, "drizzle", d === "sqlite" ? "sqlite" : "pg");

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url);
}

/** Serialises async critical sections: the next one starts when the previous has settled. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function openSqlite(url: string): Database {
  const file = url.replace(/^sqlite:(\/\/)?/, "").replace(/^file:/, "");
  if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true });
  const writerConn = new BetterSqlite3(file);
  writerConn.pragma("journal_mode = WAL");
  // FULL: an acknowledged commit survives power loss, not only a process crash (care data).
  writerConn.pragma("synchronous = FULL");
  writerConn.pragma("foreign_keys = ON");
  writerConn.pragma("busy_timeout = 5000");
  const readerConn = file === ":memory:" ? writerConn : new BetterSqlite3(file);
  readerConn.pragma("busy_timeout = 5000");
  readerConn.pragma("foreign_keys = ON");
  const writer = drizzleSqlite(writerConn, { schema: sqliteSchema });
  const reader = drizzleSqlite(readerConn, { schema: sqliteSchema });
  const mutex = new Mutex();
  let closed = false;
  return {
    dialect: "sqlite",
    tables: sqliteSchema.tables,
    read: reader,
    transaction: (fn) =>
      mutex.run(async () => {
        if (closed) throw new Error("database is closed");
        writerConn.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(writer);
          writerConn.exec("COMMIT");
          return result;
        } catch (err) {
          if (writerConn.inTransaction) writerConn.exec("ROLLBACK");
          throw err;
        }
      }),
    migrate: async () => {
      await mutex.run(async () => migrateSqlite(writer, { migrationsFolder: migrationsDir("sqlite") }));
    },
    exclusive: (fn) => fn(),
    lockKey: async () => undefined,
    ping: async () => {
      readerConn.prepare("select 1").get();
    },
    close: async () => {
      await mutex.run(async () => {
        closed = true;
        if (readerConn !== writerConn) readerConn.close();
        writerConn.close();
      });
    },
  };
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  pool.on("error", () => undefined); // an idle client's error must not crash the process
  const db = drizzlePg(pool, { schema: pgSchema }) as unknown as Db;
  // Session-level advisory lock on a dedicated connection: other instances wait until it is released.
  const exclusive = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query("select pg_advisory_lock(7301001)");
      try {
        return await fn(client);
      } finally {
        await client.query("select pg_advisory_unlock(7301001)");
      }
    } finally {
      client.release();
    }
  };
  return {
    dialect: "postgres",
    tables: pgSchema.tables,
    read: db,
    transaction: (fn) =>
      (db as unknown as ReturnType<typeof drizzlePg>).transaction((tx) => fn(tx as unknown as Db)),
    migrate: () =>
      exclusive(async (client) => {
        await migratePg(drizzlePg(client), { migrationsFolder: migrationsDir("postgres") });
      }),
    exclusive: (fn) => exclusive(() => fn()),
    lockKey: async (tx, key) => {
      await (tx as unknown as { execute(q: unknown): Promise<unknown> }).execute(
        sql`select pg_advisory_xact_lock(hashtext(${key}))`,
      );
    },
    ping: async () => {
      await pool.query("select 1");
    },
    close: async () => {
      await pool.end();
    },
  };
}

export { sql };
