import { and, asc, eq, gte, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { ApiClientTables } from "./api-client.tables.js";

/** What one key did on one Europe/Amsterdam day. */
export interface ApiKeyUsageRow {
  keyId: string;
  day: string;
  requests: number;
  errors: number;
  rateLimited: number;
}

/** Usage counts per key and day: added to (never overwritten, so instances add up), and read per range. */
export class ApiKeyUsageRepository {
  constructor(private readonly db: Database<ApiClientTables>) {}

  /** Adds counts to each (key, day) in one transaction. */
  async add(rows: readonly ApiKeyUsageRow[]): Promise<void> {
    if (!rows.length) return;
    const u = this.db.tables.apiKeyUsage;
    await this.db.transaction(async (tx) => {
      for (const row of rows) {
        await tx
          .insert(u)
          .values(row)
          .onConflictDoUpdate({
            target: [u.keyId, u.day],
            set: {
              requests: sql`${u.requests} + ${row.requests}`,
              errors: sql`${u.errors} + ${row.errors}`,
              rateLimited: sql`${u.rateLimited} + ${row.rateLimited}`,
            },
          });
      }
    });
  }

  /** The days from `from` to `to` (inclusive, YYYY-MM-DD) on which the client's keys were used, oldest first. */
  async ofClient(clientId: string, from: string, to: string): Promise<(ApiKeyUsageRow & { keyPrefix: string })[]> {
    const u = this.db.tables.apiKeyUsage;
    const k = this.db.tables.apiKeys;
    return this.db.read
      .select({ keyId: u.keyId, keyPrefix: k.prefix, day: u.day, requests: u.requests, errors: u.errors, rateLimited: u.rateLimited })
      .from(u)
      .innerJoin(k, eq(k.id, u.keyId))
      .where(and(eq(k.clientId, clientId), gte(u.day, from), lte(u.day, to)))
      .orderBy(asc(u.day), asc(u.keyId));
  }
}
