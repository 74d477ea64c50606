import { and, inArray, lt, notExists, eq, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { RetentionRule } from "../../shared/retention.js";
import type { OfferTables } from "./offer.tables.js";

/**
 * Asks from offers are deleted a term after they were answered (an accepted one lives on as its help
 * request, kept by that module's own term) or, unanswered, after their window ended; withdrawn offers
 * are deleted a term after they were withdrawn, once no ask points at them. Nothing of them is counted
 * in the statistics, so nothing is kept pseudonymised. The term is the help requests' (docs/retention.md).
 */
export function offerRetention(db: Database<OfferTables>, days: number): RetentionRule {
  const o = db.tables.offers;
  const a = db.tables.offerAsks;
  return {
    kind: "offers",
    async apply(now) {
      const before = new Date(now.getTime() - days * 86_400_000);
      return db.transaction(async (tx) => {
        const asks = await tx
          .delete(a)
          .where(or(and(inArray(a.status, ["ACCEPTED", "DECLINED"]), lt(a.answeredAt, before)), and(eq(a.status, "PENDING"), lt(a.windowEnd, before))))
          .returning({ id: a.id });
        const offers = await tx
          .delete(o)
          .where(and(eq(o.status, "WITHDRAWN"), lt(o.updatedAt, before), notExists(tx.select({ id: a.id }).from(a).where(eq(a.offerId, o.id)))))
          .returning({ id: o.id });
        return { removed: asks.length + offers.length, pseudonymised: 0 };
      });
    },
  };
}
