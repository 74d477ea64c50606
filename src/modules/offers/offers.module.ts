import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { OfferAskResolver, OfferListingResolver, OfferResolver, offerToApi } from "./offer.resolver.js";
import type { OfferService } from "./offer.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly offers: OfferService;
  }
}

/** Offers (hulpaanbod): volunteers' offers, their public listings, and asks made from them. */
export const offersModule: GraphQLModule<{ offers: OfferService; places: PlaceService }> = {
  resolvers: [OfferResolver, OfferListingResolver, OfferAskResolver],
  instances: (s) => [new OfferResolver(s.offers, s.places), new OfferListingResolver(s.offers, s.places), new OfferAskResolver(s.offers, s.places)],
  nodes: (s) => ({
    // Only its volunteer reads an offer by its own id; for anyone else it does not exist.
    Offer: async (ctx, id) => {
      const row = await s.offers.findOwn(ctx.viewer, id);
      return row ? offerToApi(row) : null;
    },
    // A listing names no one, so anyone may read it while it is listed.
    OfferListing: (_ctx, id) => s.offers.listing(id),
    OfferAsk: (ctx, id) => s.offers.findAsk(ctx.viewer, id),
  }),
};
