import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { IdempotencyTables } from "./idempotency.tables.js";

export interface StoredAnswer {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface KeyRow {
  requestHash: string;
  state: "PENDING" | "DONE";
  /** The stored record, sealed (see IdempotencyService); null while PENDING. */
  sealed: string | null;
}

/** Claims, completes and reads idempotency keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Database<IdempotencyTables>) {}

  private get t() {
    return this.db.tables.idempotencyKeys;
  }

  /**
   * Claims the key for this request until `leaseUntil`: a new key, or a hold of the same request
   * whose lease ran out (its holder died before it finished, so nothing of it was stored). False
   * when the key is held by a live holder or done.
   */
  async claim(principal: string, key: string, requestHash: string, at: Date, leaseUntil: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .insert(this.t)
        .values({ principal, key, requestHash, state: "PENDING", createdAt: at, leaseUntil })
        .onConflictDoNothing()
        .returning({ key: this.t.key });
      if (rows.length > 0) return true;
      const taken = await tx
        .update(this.t)
        .set({ leaseUntil })
        .where(
          and(
            eq(this.t.principal, principal),
            eq(this.t.key, key),
            eq(this.t.state, "PENDING"),
            eq(this.t.requestHash, requestHash),
            or(isNull(this.t.leaseUntil), lt(this.t.leaseUntil, new Date(Date.now()))),
          ),
        )
        .returning({ key: this.t.key });
      return taken.length > 0;
    });
  }

  /** Extends the holder's lease while its request still runs. */
  async renew(principal: string, key: string, leaseUntil: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .update(this.t)
        .set({ leaseUntil })
        .where(and(eq(this.t.principal, principal), eq(this.t.key, key), eq(this.t.state, "PENDING")))
        .returning({ key: this.t.key });
    });
  }

  async complete(principal: string, key: string, status: number, sealed: string, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .update(this.t)
        .set({ state: "DONE", responseStatus: status, responseHeaders: [], responseBody: sealed, completedAt: at, leaseUntil: null })
        .where(and(eq(this.t.principal, principal), eq(this.t.key, key)))
        .returning({ key: this.t.key });
    });
  }

  /** Lets the key go (the first attempt failed on our side, so a retry must run again). */
  async release(principal: string, key: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(this.t).where(and(eq(this.t.principal, principal), eq(this.t.key, key), eq(this.t.state, "PENDING")));
    });
  }

  async find(principal: string, key: string): Promise<KeyRow | undefined> {
    const [row] = await this.db.read
      .select()
      .from(this.t)
      .where(and(eq(this.t.principal, principal), eq(this.t.key, key)));
    if (!row) return undefined;
    return { requestHash: row.requestHash, state: row.state, sealed: row.state === "DONE" ? (row.responseBody ?? null) : null };
  }

  async pruneBefore(before: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.delete(this.t).where(lt(this.t.createdAt, before)).returning({ key: this.t.key });
      return rows.length;
    });
  }
}
