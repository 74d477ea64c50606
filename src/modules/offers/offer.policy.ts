import type { Viewer } from "../../shared/viewer.js";
import { windowMeetsSlots } from "../../shared/availability.js";
import type { VolunteerFit } from "../volunteers/volunteer.service.js";
import type { OfferAskRow, OfferRow } from "./offer.repository.js";

/** What browsing asks of an offer (OfferFilter, with a resident's home neighbourhood filled in). */
export interface ListingFilter {
  neighbourhoodIds: string[] | null;
  categoryIds: string[] | null;
  language: string | null;
  vogVerified: boolean;
  window: { from: Date; to: Date } | null;
}

/** An offer as it is listed: where and what of it the volunteer's profile still covers. */
export interface ListingScope {
  neighbourhoodIds: string[];
  categoryIds: string[];
  vogVerified: boolean;
}

/**
 * Who may see and do what with offers and their asks. An offer is its volunteer's; its listing is
 * everyone's and names no one; an ask is seen by its asking side and by the volunteer who offers.
 */
export const offerPolicy = {
  isOfferer(viewer: Viewer, offer: OfferRow): boolean {
    return viewer.personId !== null && viewer.personId === offer.volunteerId;
  },

  /** Asked it, or is the person helped. */
  isAskerSide(viewer: Viewer, ask: OfferAskRow): boolean {
    return viewer.personId !== null && (viewer.personId === ask.askedById || viewer.personId === ask.personHelpedId);
  },

  /**
   * What of an offer may be listed now: its neighbourhoods and categories that the volunteer's profile
   * still covers (a profile narrowed after posting narrows the offer too), and whether they hold a
   * verified VOG. Someone who is no longer a volunteer has withdrawn offers and is never asked.
   */
  scope(offer: OfferRow, fit: VolunteerFit): ListingScope {
    return {
      neighbourhoodIds: offer.neighbourhoodIds.filter((id) => fit.neighbourhoodIds.includes(id)),
      categoryIds: offer.categoryIds.filter((id) => fit.categoryIds.includes(id)),
      vogVerified: fit.vogVerified,
    };
  },

  /** Whether an active offer, in its scope now, is listed for this filter. */
  listed(offer: OfferRow, scope: ListingScope, f: ListingFilter): boolean {
    if (offer.status !== "ACTIVE" || scope.neighbourhoodIds.length === 0 || scope.categoryIds.length === 0) return false;
    if (f.neighbourhoodIds?.length && !scope.neighbourhoodIds.some((id) => f.neighbourhoodIds!.includes(id))) return false;
    if (f.categoryIds?.length && !scope.categoryIds.some((id) => f.categoryIds!.includes(id))) return false;
    if (f.language && offer.languages.length > 0 && !offer.languages.includes(f.language)) return false;
    if (f.vogVerified && !scope.vogVerified) return false;
    return f.window === null || windowMeetsSlots(f.window.from, f.window.to, offer.availability);
  },
};
