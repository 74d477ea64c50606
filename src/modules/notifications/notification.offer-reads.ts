import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { OfferTables } from "../offers/offer.tables.js";
import type { PersonTables } from "../people/person.tables.js";
import type { OfferAskState, OffersForNotifications } from "./notification.sources.js";

/**
 * What deciding reads of an ask made from an offer: who offers, who asked and for whom (a first name), where it stands, and its
 * category, neighbourhood and wanted time. Never its title or description. SQL only.
 */
export class OfferReads implements OffersForNotifications {
  constructor(private readonly db: Database<PersonTables & Pick<OfferTables, "offers" | "offerAsks">>) {}

  async ask(id: string): Promise<OfferAskState | undefined> {
    const a = this.db.tables.offerAsks;
    const o = this.db.tables.offers;
    const p = this.db.tables.people;
    const rows = await this.db.read
      .select({
        volunteerId: o.volunteerId,
        askedById: a.askedById,
        personHelpedId: a.personHelpedId,
        helpedFirstName: p.firstName,
        status: a.status,
        categoryId: a.categoryId,
        neighbourhoodId: a.neighbourhoodId,
        windowStart: a.windowStart,
      })
      .from(a)
      .innerJoin(o, eq(o.id, a.offerId))
      .innerJoin(p, eq(p.id, a.personHelpedId))
      .where(eq(a.id, id));
    return rows[0];
  }
}
