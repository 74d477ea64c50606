import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import type { RetentionRule } from "../../shared/retention.js";
import type { EscalationTables } from "../escalation/escalation.tables.js";
import type { HelpRequestTables } from "../help-requests/help-request.tables.js";
import type { InitiativeTables } from "../initiatives/initiative.tables.js";
import { StatsCellsRepository } from "./stats.cells.repository.js";
import type { StatsTables } from "./stats.tables.js";

/**
 * Retention removes and pseudonymises rows without recording events. The stored statistics hold no
 * personal data and have no term of their own; but after a rule removed or pseudonymised anything, every
 * stored cell is dropped and computed again from the rows, so the figures stay equal to what the rows give.
 */
export function withStatsKept(db: Database<StatsTables & HelpRequestTables & EscalationTables & InitiativeTables>, clock: Clock, rules: RetentionRule[]): RetentionRule[] {
  const repo = new StatsCellsRepository(db);
  return rules.map((rule) => ({
    kind: rule.kind,
    async apply(now: Date) {
      const count = await rule.apply(now);
      if (count.removed + count.pseudonymised > 0) await repo.dropAll(clock.now());
      return count;
    },
  }));
}
