import { eq, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { OfferTables } from "./offer.tables.js";

/**
 * The offers module's part of a data export: the offers the person posted, and the asks they made or
 * that were made for them. Asks others made from the person's offers are those others' data: the
 * person saw them as the volunteer, and they follow the help request an accepted one became.
 */
export function offerExporter(db: Database<OfferTables>): PersonalDataExporter {
  return {
    section: "offers",
    tables: ["offers", "offerAsks"],
    async export(personId) {
      const o = db.tables.offers;
      const a = db.tables.offerAsks;
      const offers = await db.read.select().from(o).where(eq(o.volunteerId, personId));
      const asks = await db.read
        .select()
        .from(a)
        .where(or(eq(a.askedById, personId), eq(a.personHelpedId, personId)));
      if (offers.length === 0 && asks.length === 0) return null;
      return {
        offers: offers.map((x) => ({
          id: x.id,
          title: x.title,
          description: x.description,
          categoryIds: x.categoryIds,
          neighbourhoodIds: x.neighbourhoodIds,
          availability: x.availability,
          languages: x.languages,
          status: x.status,
          createdAt: iso(x.createdAt),
          updatedAt: iso(x.updatedAt),
        })),
        asks: asks.map((x) => ({
          id: x.id,
          askedByYou: x.askedById === personId,
          forYou: x.personHelpedId === personId,
          title: x.title,
          description: x.description,
          categoryId: x.categoryId,
          neighbourhoodId: x.neighbourhoodId,
          windowStart: iso(x.windowStart),
          windowEnd: iso(x.windowEnd),
          language: x.language,
          status: x.status,
          helpRequestId: x.helpRequestId,
          createdAt: iso(x.createdAt),
          answeredAt: iso(x.answeredAt),
        })),
      };
    },
  };
}
