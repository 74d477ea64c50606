import { LRUCache } from "lru-cache";
import { AsyncLocalStorage } from "node:async_hooks";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { type Column, sql } from "drizzle-orm";
import { type BetterSQLite3Database, drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import pg from "pg";
import { type Kit, pgKit, sqliteKit } from "./kit.js";
import type { DbTables } from "./tables.js";
import { traceStatement } from "../tracing.js";

/** The query handle repositories use; typed as drizzle's SQLite database, valid on both dialects. */
export type Db = BetterSQLite3Database;

export type Dialect = "sqlite" | "postgres";

/** An event written to the event log (outbox) together with the change it reports. */
export interface LoggedEvent {
  seq: number;
  topic: string;
  id: string;
  kind: string;
}

/**
 * The seam between the app and its SQL engine. Repositories read through `read` and write only
 * inside `transaction`, which is atomic and isolated on both engines: PostgreSQL runs transactions
 * concurrently from a pool; SQLite has one writer, so write transactions are queued one at a time on
 * a dedicated connection while reads use a second connection that only sees committed data (WAL).
 *
 * `T` is the tables a user of the seam reads: a repository names its module's tables (and those of
 * other modules it joins), e.g. `Database<PersonTables>`; the app's database has all of them. The
 * seam itself knows only its own (`DbTables`: the event log and the settings).
 */
export interface Database<T extends object = object> {
  readonly dialect: Dialect;
  /** Every table, built for this database's dialect by the definer `openDatabase` was given. */
  readonly tables: T & DbTables;
  readonly read: Db;
  /**
   * Runs `fn` atomically. Called inside another transaction of the same database it becomes a
   * savepoint of that one, so a service can make one unit of work of several repository calls.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: appends events to the event log in that same transaction. They are written
   * and numbered at the end of the outermost transaction, just before its commit, handed to the
   * `onCommit` listeners after the commit, and dropped if it (or the savepoint recording them) rolls
   * back. Numbers are taken under a lock held until commit, so the order of sequence numbers is the
   * order of commits: a reader that has seen sequence n committed will never later find a smaller one.
   */
  recordEvents(events: { topic: string; id: string; kind: string }[]): Promise<void>;
  /** Whether the caller runs inside a transaction of this database. */
  inTransaction(): boolean;
  /** Called with the events of each committed transaction, in log order. */
  onCommit(listener: (events: LoggedEvent[]) => void): void;
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
  /**
   * A number that changes whenever anything was committed to the database since it was last asked
   * for, by this instance, another in the same process or another process: a read remembered together
   * with it is still current while it stays the same. SQLite only (its `data_version`, which reads no
   * table); null on PostgreSQL, and for an in-memory SQLite database (one connection, whose own commits
   * do not change it).
   */
  committedVersion(): number | null;
  /** Whether the newest committed migration has been applied to this database (for /readyz). */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Inside a transaction: makes a read lock the rows it returns until commit (PostgreSQL's
 * `FOR UPDATE`), for a read that decides a later write in the same transaction, such as the status a
 * transition records as its "from". Without the lock, on PostgreSQL a concurrent transaction may
 * commit between the read and the write, and the write then acts on a row the read never saw. A
 * locked read waits for such a transaction and sees its result. SQLite runs one write transaction at
 * a time, so its reads inside one are already current.
 */
export function forUpdate<Q>(db: Database, query: Q): Q {
  return db.dialect === "postgres" ? (query as unknown as { for(strength: "update"): Q }).for("update") : query;
}

/** A read query whose SQL was built once, run with the values of its `sql.placeholder`s. */
export type PreparedRead<T> = (values: Record<string, unknown>) => Promise<T[]>;

/**
 * Builds a read query's SQL once (drizzle's `.prepare()`), for queries on a hot path: drizzle
 * otherwise rebuilds the SQL text from the query objects on every call. `name` names the server-side
 * prepared statement on PostgreSQL and must be unique per SQL text; SQLite ignores it.
 *
 * `columns`, when given, must be the query's flat selection of table columns, in order: on SQLite the
 * rows are then read as arrays and decoded by those columns directly (the same decoding drizzle does,
 * without its per-value type checks, which cost more than the decoding itself on a page of rows).
 */
export function prepareRead<T>(db: Database, name: string, query: { prepare(name?: string): unknown }, columns?: Record<string, Column>): PreparedRead<T> {
  if (db.dialect === "sqlite") {
    const prepared = query.prepare() as { all(values: Record<string, unknown>): T[]; values(values: Record<string, unknown>): unknown[][] };
    if (!columns) return async (values) => prepared.all(values);
    const keys = Object.keys(columns);
    const decoders = keys.map((key) => columns[key]);
    return async (values) =>
      prepared.values(values).map((row) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const value = row[i];
          out[keys[i]] = value === null ? null : decoders[i].mapFromDriverValue(value);
        }
        return out as T;
      });
  }
  const prepared = query.prepare(name) as { execute(values: Record<string, unknown>): Promise<T[]> };
  return (values) => prepared.execute(values);
}

export interface DatabaseOptions<T extends DbTables> {
  /**
   * Defines the app's tables (its own composition of the modules' tables, which must include the
   * seam's `DbTables`) against a dialect's column kit; called once for the dialect of `url`.
   */
  tables: (k: Kit) => T;
  poolSize?: number;
  /**
   * The time written into the event log (`at`). It must be the clock the log is pruned by: with a
   * moved clock (CLOCK_CONTROL) wall-clock times would look days old, or days young, to the pruning.
   */
  now?: () => Date;
}

/** The project folder: two up from src/db, three from the build's dist/src/db (see tsconfig.build.json). */
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, existsSync(resolve(here, "../../drizzle")) ? "../.." : "../../..");
const migrationsDir = (d: Dialect) => resolve(root, "drizzle", d === "sqlite" ? "sqlite" : "pg");

const latestMigrations = new Map<Dialect, number>();
/** The creation time of the newest migration in the dialect's folder, as drizzle records it. */
function latestMigration(d: Dialect): number {
  let latest = latestMigrations.get(d);
  if (latest === undefined) {
    latest = Math.max(0, ...readMigrationFiles({ migrationsFolder: migrationsDir(d) }).map((m) => m.folderMillis));
    latestMigrations.set(d, latest);
  }
  return latest;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function openDatabase<T extends DbTables>(url: string, options: DatabaseOptions<T>): Database<T> {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url, options);
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

/** An event recorded in a transaction, not yet written to the log. */
interface PendingEvent {
  topic: string;
  id: string;
  kind: string;
  at: Date;
}

interface Scope {
  tx: Db;
  pending: PendingEvent[];
}

/**
 * Transaction scopes, per database, carried through async calls. The outermost transaction opens a
 * scope; nested ones reuse its connection as savepoints; events recorded in a savepoint that rolls
 * back are dropped with it.
 */
class TransactionScopes {
  readonly storage = new AsyncLocalStorage<Scope>();
  private readonly listeners: ((events: LoggedEvent[]) => void)[] = [];
  constructor(private readonly now: () => Date) {}

  /** Records events in the current transaction (see Database.recordEvents). */
  record(events: { topic: string; id: string; kind: string }[]): Promise<void> {
    const scope = this.current();
    if (!scope) return Promise.reject(new Error("recordEvents must run inside a transaction"));
    const at = this.now();
    for (const e of events) scope.pending.push({ topic: e.topic, id: e.id, kind: e.kind, at });
    return Promise.resolve();
  }

  current(): Scope | undefined {
    return this.storage.getStore();
  }

  onCommit(listener: (events: LoggedEvent[]) => void) {
    this.listeners.push(listener);
  }

  committed(events: LoggedEvent[]) {
    if (events.length === 0) return;
    for (const l of this.listeners) l(events);
  }

  /** Runs a nested unit: on failure its recorded events are dropped before the error propagates. */
  async nested<T>(scope: Scope, run: () => Promise<T>): Promise<T> {
    const mark = scope.pending.length;
    try {
      return await run();
    } catch (err) {
      scope.pending.length = mark;
      throw err;
    }
  }
}

/**
 * Writes a transaction's recorded events to the log as its last statement before commit. The numbers
 * are taken under a transaction-level lock (PostgreSQL; SQLite has one writer anyway) that is released
 * by the commit, so transactions number their events in the order they commit, and the lock is held
 * only for this insert and the commit itself.
 */
async function writeEvents(db: Database, scope: Scope): Promise<LoggedEvent[]> {
  if (scope.pending.length === 0) return [];
  await db.lockKey(scope.tx, "event-log");
  const t = db.tables.eventLog;
  const rows = await scope.tx
    .insert(t)
    .values(scope.pending.map((e) => ({ topic: e.topic, entityId: e.id, kind: e.kind, at: e.at })))
    .returning({ seq: t.seq, topic: t.topic, id: t.entityId, kind: t.kind });
  return rows.sort((x, y) => x.seq - y.seq);
}

/** How many prepared statements each SQLite connection keeps, by SQL text. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * drizzle prepares every query it runs; on better-sqlite3 that compiles the SQL each time. This keeps
 * a connection's compiled statements by their text (least recently used dropped first), so a query
 * the app runs again reuses its plan. drizzle switches a statement to raw rows itself when it wants
 * them, so a reused statement is handed out in the default row mode. Statements run synchronously,
 * so one is never in use by two callers at once.
 */
function cachingStatements(conn: BetterSqlite3.Database): BetterSqlite3.Database {
  const prepare = conn.prepare.bind(conn);
  const cache = new LRUCache<string, BetterSqlite3.Statement>({ max: STATEMENT_CACHE_SIZE });
  conn.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) cache.set(source, (statement = traceStatement(prepare(source), source)));
    if (statement.reader) statement.raw(false);
    return statement;
  }) as typeof conn.prepare;
  return conn;
}

function openSqlite<T extends DbTables>(url: string, options: DatabaseOptions<T>): Database<T> {
  const file = url.replace(/^sqlite:(\/\/)?/, "").replace(/^file:/, "");
  if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true });
  const writerConn = cachingStatements(new BetterSqlite3(file));
  writerConn.pragma("journal_mode = WAL");
  // FULL: an acknowledged commit survives power loss, not only a process crash (care data).
  writerConn.pragma("synchronous = FULL");
  writerConn.pragma("foreign_keys = ON");
  writerConn.pragma("busy_timeout = 5000");
  const readerConn = file === ":memory:" ? writerConn : cachingStatements(new BetterSqlite3(file));
  readerConn.pragma("busy_timeout = 5000");
  readerConn.pragma("foreign_keys = ON");
  // The reader's data_version changes when another connection (the writer, another instance's, another process's) commits.
  const dataVersion = readerConn === writerConn ? null : readerConn.prepare("pragma data_version").pluck();
  const tables = options.tables(sqliteKit);
  const writer = drizzleSqlite(writerConn, { schema: tables }) as unknown as Db;
  const reader = drizzleSqlite(readerConn, { schema: tables }) as unknown as Db;
  const mutex = new Mutex();
  const scopes = new TransactionScopes(options.now ?? (() => new Date()));
  let closed = false;
  let savepoints = 0;
  const database: Database<T> = {
    dialect: "sqlite",
    tables,
    read: reader,
    transaction: (fn) => {
      const outer = scopes.current();
      if (outer) {
        const name = `sp${++savepoints}`;
        return scopes.nested(outer, async () => {
          writerConn.exec(`SAVEPOINT ${name}`);
          try {
            const result = await fn(writer);
            writerConn.exec(`RELEASE ${name}`);
            return result;
          } catch (err) {
            writerConn.exec(`ROLLBACK TO ${name}`);
            writerConn.exec(`RELEASE ${name}`);
            throw err;
          }
        });
      }
      return mutex.run(async () => {
        if (closed) throw new Error("database is closed");
        const scope: Scope = { tx: writer, pending: [] };
        writerConn.exec("BEGIN IMMEDIATE");
        let result;
        let logged: LoggedEvent[];
        try {
          result = await scopes.storage.run(scope, () => fn(writer));
          logged = await writeEvents(database, scope);
          writerConn.exec("COMMIT");
        } catch (err) {
          if (writerConn.inTransaction) writerConn.exec("ROLLBACK");
          throw err;
        }
        scopes.committed(logged);
        return result;
      });
    },
    recordEvents: (events) => scopes.record(events),
    inTransaction: () => scopes.current() !== undefined,
    onCommit: (listener) => scopes.onCommit(listener),
    migrate: async () => {
      await mutex.run(async () => {
        migrateSqlite(writer, { migrationsFolder: migrationsDir("sqlite") });
        // Planner statistics. Without them SQLite cannot tell that few requests are OPEN and browses
        // by window end across the whole city instead of by the volunteer's neighbourhoods (measured
        // on the city data: 2.7 ms against 0.8 ms). Only tables without or with stale statistics are
        // analysed, so later starts pay next to nothing.
        writerConn.pragma("analysis_limit = 0");
        writerConn.pragma("optimize = 0x10002");
      });
    },
    exclusive: (fn) => fn(),
    lockKey: async () => undefined,
    ping: async () => {
      readerConn.prepare("select 1").get();
    },
    committedVersion: () => (dataVersion ? (dataVersion.get() as number) : null),
    migrationsApplied: async () => {
      const row = readerConn.prepare('select max(created_at) as latest from "__drizzle_migrations"').get() as { latest: number | null };
      return Number(row.latest ?? 0) >= latestMigration("sqlite");
    },
    close: async () => {
      await mutex.run(async () => {
        closed = true;
        if (readerConn !== writerConn) readerConn.close();
        writerConn.close();
      });
    },
  };
  return database;
}

function openPostgres<T extends DbTables>(url: string, options: DatabaseOptions<T>): Database<T> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  pool.on("error", () => undefined); // an idle client's error must not crash the process
  const tables = options.tables(pgKit);
  const db = drizzlePg(pool, { schema: tables }) as unknown as Db;
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
  const scopes = new TransactionScopes(options.now ?? (() => new Date()));
  type PgTx = { transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> };
  const database: Database<T> = {
    dialect: "postgres",
    tables,
    read: db,
    transaction: async (fn) => {
      const outer = scopes.current();
      if (outer) {
        // drizzle runs a nested transaction on PostgreSQL as a savepoint.
        return scopes.nested(outer, () => (outer.tx as unknown as PgTx).transaction((tx) => scopes.storage.run({ tx: tx as Db, pending: outer.pending }, () => fn(tx as Db))));
      }
      let logged: LoggedEvent[] = [];
      const result = await (db as unknown as PgTx).transaction(async (tx) => {
        const scope: Scope = { tx: tx as Db, pending: [] };
        const value = await scopes.storage.run(scope, () => fn(tx as Db));
        logged = await writeEvents(database, scope);
        return value;
      });
      scopes.committed(logged);
      return result;
    },
    recordEvents: (events) => scopes.record(events),
    inTransaction: () => scopes.current() !== undefined,
    onCommit: (listener) => scopes.onCommit(listener),
    migrate: () =>
      exclusive(async (client) => {
        await migratePg(drizzlePg(client), { migrationsFolder: migrationsDir("postgres") });
      }),
    exclusive: (fn) => exclusive(() => fn()),
    lockKey: async (tx, key) => {
      await (tx as unknown as { execute(q: unknown): Promise<unknown> }).execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    },
    ping: async () => {
      await pool.query("select 1");
    },
    committedVersion: () => null,
    migrationsApplied: async () => {
      const r = await pool.query<{ latest: string | null }>('select max(created_at) as latest from drizzle."__drizzle_migrations"');
      return Number(r.rows[0]?.latest ?? 0) >= latestMigration("postgres");
    },
    close: async () => {
      await pool.end();
    },
  };
  return database;
}

export { sql };
