/**
 * The SQL the app really runs, and SQLite's plan for it. The app's own services are built over the
 * data file with a logging reader, the browse (and the sweep's search) are called as the server calls
 * them, and each captured statement is run through EXPLAIN QUERY PLAN with its own parameters.
 */
import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { createServices } from "../../src/app.services.js";
import { openDatabase } from "../../src/db/client.js";
import { type AppDatabase, defineTables } from "../../src/app.tables.js";
import * as sqliteSchema from "../../src/app.tables.sqlite.js";
import { createEventBus } from "../../src/graphql/pubsub.js";
import { HelpRequestRepository } from "../../src/modules/help-requests/help-request.repository.js";
import { systemClock } from "../../src/shared/clock.js";
import type { StatsQuery } from "../../src/modules/stats/stats.service.js";
import type { Viewer } from "../../src/shared/viewer.js";
import { BENCH_JWT_SECRET } from "./tokens.js";

export interface CapturedQuery {
  sql: string;
  params: unknown[];
  plan: string[];
  /** True when some step scans a whole table (SCAN <table> without an index). */
  fullScan: boolean;
  /** Rows the statement returned, and how long it took (median of 20 runs, ms). */
  rows: number;
  medianMs: number;
  /** The same statement without its index hint, on the plan SQLite picks itself. */
  withBrowseIndex?: { plan: string[]; rows: number; medianMs: number };
}

export function explain(conn: BetterSqlite3.Database, sql: string, params: unknown[]): Omit<CapturedQuery, "sql" | "params"> {
  const bind = params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p instanceof Date ? p.getTime() : p));
  const rows = conn.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...bind) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, -1]]);
  const plan = rows.map((r) => {
    const d = (depth.get(r.parent) ?? -1) + 1;
    depth.set(r.id, d);
    return `${"  ".repeat(d)}${r.detail}`;
  });
  const st = conn.prepare(sql);
  let count = 0;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    count = (st.all(...bind) as unknown[]).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    plan,
    fullScan: rows.some((r) => /^SCAN (\w+)(?! USING)/.test(r.detail) && !/USING (COVERING )?INDEX/.test(r.detail)),
    rows: count,
    medianMs: Math.round(times[10] * 1000) / 1000,
  };
}

/** Builds the app's services over `file` with every read statement logged. */
async function loggedServices(file: string) {
  const conn = new BetterSqlite3(file, { readonly: true });
  const captured: { sql: string; params: unknown[] }[] = [];
  const read = drizzle(conn, {
    schema: sqliteSchema,
    logger: { logQuery: (sql: string, params: unknown[]) => void captured.push({ sql, params }) },
  });
  const base = openDatabase(file, { tables: defineTables });
  // As the server finds the file: migrations applied and planner statistics gathered at its start.
  await base.migrate();
  const db: AppDatabase = { ...base, read: read as unknown as AppDatabase["read"] };
  const services = await createServices(db, createEventBus(), systemClock, { jwtSecret: BENCH_JWT_SECRET, tokenTtlSeconds: 3600 });
  return { conn, captured, db, base, services };
}

const volunteer = (personId: string): Viewer => ({ personId, roles: new Set(["RESIDENT", "VOLUNTEER"]), tokenExpiresAt: null });

/** The browse statement the repository generates for these volunteers, with its plan. */
export async function capturePlans(file: string, volunteers: Record<string, string>): Promise<Record<string, CapturedQuery>> {
  const { conn, captured, db, base, services } = await loggedServices(file);
  const out: Record<string, CapturedQuery> = {};
  try {
    for (const [label, personId] of Object.entries(volunteers)) {
      captured.length = 0;
      await services.helpRequests.browsing.browse(volunteer(personId), { first: 20 });
      const q = captured.find((c) => /from "help_requests"/.test(c.sql) && /order by/i.test(c.sql));
      if (!q) throw new Error(`no browse statement was captured for ${label}: ${captured.map((c) => c.sql).join("\n")}`);
      // What the index hint is worth: the same statement with the plan left to SQLite.
      const forced = q.sql.replace(/ indexed by "[a-z_]+"/, "");
      let withBrowseIndex: CapturedQuery["withBrowseIndex"];
      try {
        const { plan, rows, medianMs } = explain(conn, forced, q.params);
        withBrowseIndex = { plan, rows, medianMs };
      } catch {
        withBrowseIndex = undefined;
      }
      out[`browse (${label})`] = { sql: q.sql, params: q.params, ...explain(conn, q.sql, q.params), withBrowseIndex };
    }
    // The sweep's search for due requests, with a time at which nothing is due (so nothing is written).
    captured.length = 0;
    await new HelpRequestRepository(db).dueToExpire(new Date(0));
    const sweep = captured.find((c) => /from "help_requests"/.test(c.sql));
    if (sweep) out["sweep: find due requests"] = { sql: sweep.sql, params: sweep.params, ...explain(conn, sweep.sql, sweep.params) };
  } finally {
    conn.close();
    await base.close();
  }
  return out;
}

/** Which repository read of the statistics a captured statement is (see src/modules/stats/stats.repository.ts). */
function statsReadOf(sql: string): string {
  const from = /from "(\w+)"/.exec(sql)?.[1] ?? "?";
  if (from === "help_requests") return "asked";
  if (from === "help_request_events") return /min\(/i.test(sql) ? "first matches" : "matches";
  if (from === "care_circle_members") return "care relations";
  if (from === "initiative_occurrences") return "initiative dates";
  if (from === "initiatives") return "participation places";
  if (from === "participation_placements") return "placements";
  if (from === "initiative_signups") return "confirmed sign-ups";
  return from;
}

/**
 * Every statement the statistics service runs for each query (as the server runs it, through the
 * app's own services over the data file), with SQLite's plan, rows and time.
 */
export async function captureStatsPlans(file: string, queries: Record<string, StatsQuery>): Promise<Record<string, CapturedQuery>> {
  const { conn, captured, base, services } = await loggedServices(file);
  const out: Record<string, CapturedQuery> = {};
  try {
    for (const [label, query] of Object.entries(queries)) {
      captured.length = 0;
      await services.stats.report(query);
      const seen = new Set<string>();
      for (const q of captured) {
        const read = statsReadOf(q.sql);
        if (seen.has(read)) continue; // confirmed sign-ups come in chunks of 500 ids: one is enough
        seen.add(read);
        out[`${label}: ${read}`] = { sql: q.sql, params: q.params, ...explain(conn, q.sql, q.params) };
      }
    }
  } finally {
    conn.close();
    await base.close();
  }
  return out;
}
