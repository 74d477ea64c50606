import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";
import type { AvailabilitySlot } from "../volunteers/volunteer.tables.js";

export type OfferStatus = "ACTIVE" | "PAUSED" | "WITHDRAWN";
export type OfferAskStatus = "PENDING" | "ACCEPTED" | "DECLINED";
export type OfferContactVia = "PERSON_HELPED" | "ASKER";

/**
 * Offers (hulpaanbod): what a volunteer offers, where, when and in which languages, and the asks made
 * from them. An offer has two ids: its own, known only to the volunteer, and a public one its listing
 * goes by, which leads to no one.
 */
export function defineOfferTables(k: Kit, deps: PlaceTables & PersonTables) {
  const offers = k.table(
    "offers",
    {
      id: k.text("id").primaryKey(),
      /** The id of the public listing (OfferListing): nothing links it to the volunteer outside this row. */
      publicId: k.text("public_id").notNull().unique(),
      volunteerId: k
        .text("volunteer_id")
        .notNull()
        .references(() => deps.people.id),
      title: k.text("title").notNull(),
      description: k.text("description").notNull(),
      categoryIds: k.json<string[]>("category_ids").notNull(),
      neighbourhoodIds: k.json<string[]>("neighbourhood_ids").notNull(),
      availability: k.json<AvailabilitySlot[]>("availability").notNull(),
      languages: k.json<string[]>("languages").notNull(),
      status: k.text("status").$type<OfferStatus>().notNull(),
      createdAt: k.time("created_at").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.index("offers_status_created_idx").on(t.status, t.createdAt, t.publicId), k.index("offers_volunteer_idx").on(t.volunteerId)],
  );

  const offerAsks = k.table(
    "offer_asks",
    {
      id: k.text("id").primaryKey(),
      offerId: k
        .text("offer_id")
        .notNull()
        .references(() => offers.id),
      askedById: k
        .text("asked_by_id")
        .notNull()
        .references(() => deps.people.id),
      personHelpedId: k
        .text("person_helped_id")
        .notNull()
        .references(() => deps.people.id),
      categoryId: k.text("category_id").notNull(),
      neighbourhoodId: k.text("neighbourhood_id").notNull(),
      title: k.text("title").notNull(),
      description: k.text("description").notNull(),
      windowStart: k.time("window_start").notNull(),
      windowEnd: k.time("window_end").notNull(),
      vogRequired: k.bool("vog_required").notNull(),
      contactVia: k.text("contact_via").$type<OfferContactVia>().notNull(),
      language: k.text("language"),
      status: k.text("status").$type<OfferAskStatus>().notNull(),
      /** The help request an accepted ask became (reserved when it is accepted). */
      helpRequestId: k.text("help_request_id"),
      answeredAt: k.time("answered_at"),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [
      k.index("offer_asks_offer_idx").on(t.offerId, t.status),
      k.index("offer_asks_asked_by_idx").on(t.askedById),
      k.index("offer_asks_person_helped_idx").on(t.personHelpedId),
    ],
  );

  return { offers, offerAsks };
}

export type OfferTables = ReturnType<typeof defineOfferTables>;
