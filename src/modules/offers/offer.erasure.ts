import { eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { OfferTables } from "./offer.tables.js";

/**
 * The offers module's part of an erasure: the person's offers go, with the asks made from them (an
 * accepted one lives on as its help request, which its own module handles), and so do the asks the
 * person made or that were made for them.
 */
export function offerEraser(db: Database<OfferTables>): PersonalDataEraser {
  return {
    section: "offers",
    async erase(personId) {
      const o = db.tables.offers;
      const a = db.tables.offerAsks;
      return db.transaction(async (tx) => {
        const own = (await tx.select({ id: o.id }).from(o).where(eq(o.volunteerId, personId))).map((r) => r.id);
        const asks = await tx
          .delete(a)
          .where(or(eq(a.askedById, personId), eq(a.personHelpedId, personId), own.length ? inArray(a.offerId, own) : undefined))
          .returning({ id: a.id });
        const offers = own.length ? await tx.delete(o).where(inArray(o.id, own)).returning({ id: o.id }) : [];
        return { erased: [erasedLine("offers of help", offers.length), erasedLine("asks from offers", asks.length)], restricted: [] };
      });
    },
  };
}
