import { eq, like } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database } from "../../db/client.js";
import type { DbTables } from "../../db/tables.js";
import type { RetentionCount, RetentionRule } from "../../shared/retention.js";

const TOTALS = "retention:";
const LAST_RUN = "retention-last-run";

/** What retention has done since the database was created, per kind, and when it last ran. */
export interface RetentionTotals {
  kinds: RetentionCount[];
  lastRunAt: Date | null;
}

/**
 * Runs every module's retention rule (registered in src/app.retention.ts) in one pass of the sweeps and
 * reports what each removed or pseudonymised: in the pass's result, in the log, and added to running
 * totals in the app's settings, which coordinators read. Each instance adds only the rows it changed
 * itself, so the totals count every row once however many instances sweep. A failed rule is reported
 * and tried again on the next pass; the others still run.
 */
export class RetentionService {
  constructor(
    private readonly db: Database<DbTables>,
    private readonly rules: readonly RetentionRule[],
    private readonly clock: { now(): Date },
    private readonly log?: Logger,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {}

  async run(): Promise<RetentionCount[]> {
    const now = this.clock.now();
    const out: RetentionCount[] = [];
    for (const rule of this.rules) {
      try {
        out.push({ kind: rule.kind, ...(await rule.apply(now)) });
      } catch (err) {
        this.reportError(err, `retention of ${rule.kind}`);
        out.push({ kind: rule.kind, removed: 0, pseudonymised: 0 });
      }
    }
    await this.record(out, now);
    if (out.some((c) => c.removed + c.pseudonymised > 0)) this.log?.info({ retention: out }, "retention: removed or pseudonymised data past its term");
    return out;
  }

  /** The running totals per kind (every registered kind, zero when nothing was due yet). */
  async totals(): Promise<RetentionTotals> {
    const s = this.db.tables.appSettings;
    const rows = await this.db.read
      .select()
      .from(s)
      .where(like(s.key, `${TOTALS}%`));
    const stored = new Map(rows.map((r) => [r.key.slice(TOTALS.length), JSON.parse(r.value) as { removed: number; pseudonymised: number }]));
    const last = await this.db.read.select().from(s).where(eq(s.key, LAST_RUN));
    return {
      kinds: this.rules.map((r) => ({ kind: r.kind, removed: stored.get(r.kind)?.removed ?? 0, pseudonymised: stored.get(r.kind)?.pseudonymised ?? 0 })),
      lastRunAt: last[0] ? new Date(last[0].value) : null,
    };
  }

  private async record(counts: RetentionCount[], now: Date): Promise<void> {
    const s = this.db.tables.appSettings;
    await this.db.transaction(async (tx) => {
      // Instances add to the same totals: one at a time, so no addition is lost.
      await this.db.lockKey(tx, "retention-totals");
      for (const c of counts) {
        if (c.removed + c.pseudonymised === 0) continue;
        const key = TOTALS + c.kind;
        const row = await tx.select({ value: s.value }).from(s).where(eq(s.key, key));
        const was = row[0] ? (JSON.parse(row[0].value) as { removed: number; pseudonymised: number }) : { removed: 0, pseudonymised: 0 };
        const value = JSON.stringify({ removed: was.removed + c.removed, pseudonymised: was.pseudonymised + c.pseudonymised });
        await tx.insert(s).values({ key, value }).onConflictDoUpdate({ target: s.key, set: { value } });
      }
      const at = now.toISOString();
      const last = await tx.select({ value: s.value }).from(s).where(eq(s.key, LAST_RUN));
      if (!last[0] || last[0].value < at)
        await tx
          .insert(s)
          .values({ key: LAST_RUN, value: at })
          .onConflictDoUpdate({ target: s.key, set: { value: at } });
    });
  }
}
