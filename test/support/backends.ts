import { randomBytes } from "node:crypto";
import pg from "pg";

/** A database the test suite runs against: SQLite always, PostgreSQL (+ Redis) when configured. */
export interface Backend {
  name: "sqlite" | "postgres";
  redisUrl?: string;
}

export function backends(): Backend[] {
  const list: Backend[] = [{ name: "sqlite" }];
  if (process.env.TEST_PG_URL) list.push({ name: "postgres", redisUrl: process.env.TEST_REDIS_URL || undefined });
  return list;
}

/** Creates an empty PostgreSQL database for one test file; returns its URL and a drop function. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_PG_URL!;
  const name = `zz_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
