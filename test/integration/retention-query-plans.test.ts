import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

/**
 * The scans of the retention rules (src/app.retention.ts, each module's `*.retention.ts`), written out
 * as they reach the database, each with the index it must use: a sweep on every instance must not read
 * a whole table to find the few rows whose term has run out.
 */
/** `{at}` stands for an instant: a number on SQLite (epoch milliseconds), a timestamp on PostgreSQL. */
const SCANS: { rule: string; query: string; index: string }[] = [
  {
    rule: "help requests closed past their term",
    query: `select id from help_requests where status in ('DONE', 'CANCELLED', 'EXPIRED') and updated_at < {at} and asked_by_id not like 'pse_%' order by id limit 500`,
    index: "help_requests_status_updated_idx",
  },
  { rule: "care shift notes past their term", query: `select id from care_shifts where ends_at < {at} and notes is not null`, index: "care_shifts_ends_idx" },
  { rule: "care check-ins past their term", query: `delete from care_checkins where at < {at}`, index: "care_checkins_at_idx" },
  {
    rule: "resolved load signals past their term",
    query: `delete from care_load_signals where resolved_at is not null and resolved_at < {at}`,
    index: "care_load_signals_resolved_idx",
  },
  {
    rule: "closed cases past their term",
    query: `select id from escalations where status = 'CLOSED' and closed_at is not null and closed_at < {at} and subject_id not like 'pse_%'`,
    index: "escalations_status_closed_idx",
  },
  { rule: "access log entries before the chain", query: `select id from access_log where seq is null and at < {at}`, index: "access_log_seq_idx" },
  { rule: "access log entries still in term", query: `select seq from access_log where seq > 0 and at >= {at} order by seq limit 1`, index: "access_log_seq_idx" },
];

describe.each(backends())("retention scans use an index on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  for (const scan of SCANS) {
    it(`${scan.rule}: ${scan.index}`, async () => {
      const db = t.app.services.db;
      if (db.dialect === "sqlite") {
        const plan = (await db.read.all(sql.raw(`explain query plan ${scan.query.replaceAll("{at}", "1")}`))) as { detail: string }[];
        const details = plan.map((p) => p.detail).join(" | ");
        expect(details).toContain(`INDEX ${scan.index}`);
        expect(details).not.toMatch(/^SCAN |\| SCAN /);
      } else {
        // PostgreSQL's planner reads a small test table whole whatever its indexes: with sequential scans
        // priced out (in this transaction only), the plan shows whether an index can serve the scan.
        const plan = await db.transaction(async (tx) => {
          const run = (q: unknown) => (tx as unknown as { execute(q: unknown): Promise<{ rows: Record<string, string>[] }> }).execute(q);
          await run(sql.raw("set local enable_seqscan = off"));
          return (await run(sql.raw(`explain ${scan.query.replaceAll("{at}", "now()")}`))).rows.map((r) => r["QUERY PLAN"]).join(" | ");
        });
        expect(plan).toContain(scan.index);
      }
    });
  }
});
