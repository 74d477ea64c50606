import * as p from "drizzle-orm/pg-core";
import * as s from "drizzle-orm/sqlite-core";

/**
 * Column vocabulary shared by both dialects. Tables are declared once (`<module>.tables.ts`) against this kit;
 * each dialect supplies builders whose JavaScript values are identical (Date for times, boolean,
 * number, parsed JSON), so repositories and services never see which engine runs underneath.
 * The types are taken from the SQLite builders; the PostgreSQL kit is shaped to match them.
 */
export const sqliteKit = {
  table: s.sqliteTable,
  text: (name: string) => s.text(name),
  int: (name: string) => s.integer(name, { mode: "number" }),
  /** 64-bit counter (event sequences); SQLite integers are 64-bit already. */
  bigint: (name: string) => s.integer(name, { mode: "number" }),
  /** An auto-incrementing 64-bit primary key (the event log's sequence). */
  serial: (name: string) => s.integer(name, { mode: "number" }).primaryKey({ autoIncrement: true }),
  real: (name: string) => s.real(name),
  bool: (name: string) => s.integer(name, { mode: "boolean" }),
  time: (name: string) => s.integer(name, { mode: "timestamp_ms" }),
  json: <T>(name: string) => s.text(name, { mode: "json" }).$type<T>(),
  index: s.index,
  uniqueIndex: s.uniqueIndex,
  primaryKey: s.primaryKey,
};

export type Kit = typeof sqliteKit;

export const pgKit = {
  table: p.pgTable,
  text: (name: string) => p.text(name),
  int: (name: string) => p.integer(name),
  bigint: (name: string) => p.bigint(name, { mode: "number" }),
  serial: (name: string) => p.bigserial(name, { mode: "number" }).primaryKey(),
  real: (name: string) => p.doublePrecision(name),
  bool: (name: string) => p.boolean(name),
  time: (name: string) => p.timestamp(name, { withTimezone: true, precision: 3, mode: "date" }),
  json: (name: string) => p.jsonb(name),
  index: p.index,
  uniqueIndex: p.uniqueIndex,
  primaryKey: p.primaryKey,
} as unknown as Kit;
