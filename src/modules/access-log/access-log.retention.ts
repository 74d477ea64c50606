import type { Database } from "../../db/client.js";
import type { RetentionRule } from "../../shared/retention.js";
import { AccessLogRepository } from "./access-log.repository.js";
import type { AccessLogTables } from "./access-log.tables.js";

/**
 * The access log is kept `years` (NEN 7513 asks for five years of care logs; docs/retention.md). It is a
 * hash chain, so it is pruned only from its oldest end, by its own module: the entries go and the chain's
 * anchor moves past them in the same locked transaction, so what remains still verifies
 * (verifyAccessLog). Instances pruning at once take the chain's lock in turn; the second finds nothing due.
 */
export function accessLogRetention(db: Database<AccessLogTables>, years: number): RetentionRule {
  const log = new AccessLogRepository(db);
  return {
    kind: "accessLog",
    async apply(now) {
      const before = new Date(now);
      before.setUTCFullYear(before.getUTCFullYear() - years);
      return { removed: await log.pruneBefore(before, now), pseudonymised: 0 };
    },
  };
}
