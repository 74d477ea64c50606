import { and, eq, lt } from "drizzle-orm";
import type { Database } from "../../db/client.js";

export interface StoredAnswer {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface KeyRow {
  requestHash: string;
  state: "PENDING" | "DONE";
  answer: StoredAnswer | null;
}

/** Claims, completes and reads idempotency keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  private get t() {
    return this.db.tables.idempotencyKeys;
  }

  /** Claims the key for this request; false when someone holds it already (the primary key decides). */
  async claim(principal: string, key: string, requestHash: string, at: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .insert(this.t)
        .values({ principal, key, requestHash, state: "PENDING", createdAt: at })
        .onConflictDoNothing()
        .returning({ key: this.t.key });
      return rows.length > 0;
    });
  }

  async complete(principal: string, key: string, answer: StoredAnswer, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .update(this.t)
        .set({ state: "DONE", responseStatus: answer.status, responseHeaders: answer.headers, responseBody: answer.body, completedAt: at })
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
    return {
      requestHash: row.requestHash,
      state: row.state,
      answer: row.state === "DONE" ? { status: row.responseStatus ?? 200, headers: row.responseHeaders ?? [], body: row.responseBody ?? "" } : null,
    };
  }

  async pruneBefore(before: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.delete(this.t).where(lt(this.t.createdAt, before)).returning({ key: this.t.key });
      return rows.length;
    });
  }
}
