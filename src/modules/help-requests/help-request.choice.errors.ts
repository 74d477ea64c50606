import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/**
 * The reasons of the requester's choice (offers to help, picking one) and of what follows the help
 * (thanks, follow-up, hours); see docs/error-codes.md.
 */
export const HelpChoiceReason = defineReasons([
  "HELP_REQUEST_CHOICE_MODE",
  "HELP_REQUEST_NOT_IN_CHOICE_MODE",
  "HELP_OFFER_NOT_FOUND",
  "HELP_OFFER_WITHDRAWN",
  "HELP_OFFER_NOT_OPEN",
  "HELP_OFFER_NO_LONGER_FITS",
  "HELP_REQUEST_NOT_DONE",
  "ALREADY_THANKED",
  "FOLLOW_UP_ALREADY_GIVEN",
  "NOT_THE_HELPING_VOLUNTEER",
]);
export type HelpChoiceReason = keyof typeof HelpChoiceReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<HelpChoiceReason, true> {}
}

/** Dutch wording of this part's messages, keyed by the English template its throw sites write. */
export const HelpChoiceMessagesNl = dutchMessages({
  "The requester chooses who helps with this request: offer to help (offerToHelp) instead of accepting it.":
    "De hulpvrager kiest wie bij deze hulpvraag helpt: bied je hulp aan (offerToHelp) in plaats van hem aan te nemen.",
  "This request is taken by the first volunteer who accepts it: accept it instead of offering.":
    "Deze hulpvraag gaat naar de eerste vrijwilliger die hem aanneemt: neem hem aan in plaats van je hulp aan te bieden.",
  "No offer to help with this id is visible to you.": "Er is geen hulpaanbod met deze id dat je kunt zien.",
  "This offer was withdrawn by the volunteer.": "Dit hulpaanbod is door de vrijwilliger ingetrokken.",
  "This offer is {status} and can no longer be withdrawn.": "Dit hulpaanbod is {status} en kan niet meer worden ingetrokken.",
  "Only whoever asked can pick who helps.": "Alleen wie de vraag stelde, kan kiezen wie helpt.",
  "This volunteer no longer fits the request (neighbourhood, category or VOG).": "Deze vrijwilliger past niet meer bij de hulpvraag (buurt, categorie of VOG).",
  "This is possible once the help was given (the request is DONE).": "Dit kan zodra de hulp gegeven is (de hulpvraag is afgerond).",
  "Only the person helped or whoever asked can do this.": "Alleen de geholpen persoon of wie de vraag stelde, kan dit doen.",
  "The volunteer has already been thanked for this request.": "De vrijwilliger is voor deze hulpvraag al bedankt.",
  "The follow-up of this request has already been given.": "Het vervolg van deze hulpvraag is al doorgegeven.",
  "Only the volunteer who gave the help can record its hours.": "Alleen de vrijwilliger die de hulp gaf, kan de uren ervan vastleggen.",
  "must be between 5 and 720 minutes": "moet tussen 5 en 720 minuten liggen",
  "must be a year from 2000 to 2100": "moet een jaar van 2000 tot en met 2100 zijn",
  "input.windowStart: give both ends of the new window, or neither": "input.windowStart: geef beide einden van het nieuwe tijdvak, of geen van beide",
});
