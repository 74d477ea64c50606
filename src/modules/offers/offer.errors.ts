import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Every reason the offers module reports in `extensions.reason` (see docs/error-codes.md). */
export const OfferReason = defineReasons([
  "OFFER_NOT_FOUND",
  "OFFER_OUTSIDE_NEIGHBOURHOODS",
  "OFFER_OUTSIDE_CATEGORIES",
  "OFFER_PAUSED",
  "OFFER_WITHDRAWN",
  "CANNOT_ASK_OWN_OFFER",
  "ASK_OUTSIDE_OFFER",
  "OFFER_ASK_NOT_FOUND",
  "OFFER_ASK_ALREADY_ANSWERED",
  "OFFER_ASK_WINDOW_PASSED",
  "NOT_THE_OFFERING_VOLUNTEER",
  "VOG_REQUIRED",
  "INVALID_INPUT",
]);
export type OfferReason = keyof typeof OfferReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<OfferReason, true> {}
}

/** Dutch wording of the messages this module gives, keyed by the English template its throw sites write. */
export const OffersMessagesNl = dutchMessages({
  "No offer with this id is visible to you.": "Er is geen aanbod met dit id dat jij kunt zien.",
  "{field}: you can offer help only in the neighbourhoods of your volunteer profile": "{field}: je kunt alleen hulp aanbieden in de buurten van je vrijwilligersprofiel",
  "{field}: you can offer help only in the categories of your volunteer profile": "{field}: je kunt alleen hulp aanbieden in de categorieën van je vrijwilligersprofiel",
  "This offer is paused; ask again later.": "Dit aanbod is gepauzeerd; vraag het later nog eens.",
  "This offer was withdrawn.": "Dit aanbod is ingetrokken.",
  "You cannot ask from your own offer.": "Je kunt niet vragen op je eigen aanbod.",
  "{field}: this offer does not cover it": "{field}: dit aanbod dekt dit niet",
  "No ask with this id is visible to you.": "Er is geen vraag met dit id die jij kunt zien.",
  "This ask was already answered.": "Deze vraag is al beantwoord.",
  "The wanted time window of this ask has passed.": "Het gewenste tijdvak van deze vraag is voorbij.",
  "Only the volunteer who offers can answer this ask.": "Alleen de vrijwilliger die dit aanbiedt, kan deze vraag beantwoorden.",
  "This ask needs a verified VOG (certificate of conduct).": "Voor deze vraag is een gecontroleerde VOG (verklaring omtrent het gedrag) nodig.",
  "The offer is {status} and cannot become {to}.": "Het aanbod is {status} en kan niet {to} worden.",
  "at most 20 categories": "hooguit 20 categorieën",
  "at most 20 neighbourhoods": "hooguit 20 buurten",
  "give at least one": "geef er minstens één",
});
