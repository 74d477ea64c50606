import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/**
 * Every reason the help-request module reports in `extensions.reason` (see docs/error-codes.md),
 * including the platform-wide ones it throws itself (INVALID_INPUT, PERSON_NOT_FOUND, ...).
 */
export const HelpRequestReason = defineReasons([
  "HELP_REQUEST_NOT_FOUND",
  "HELP_REQUEST_ALREADY_MATCHED",
  "HELP_REQUEST_NOT_OPEN",
  "HELP_REQUEST_WRONG_STATUS",
  "HELP_REQUEST_WINDOW_PASSED",
  "HELP_REQUEST_OUTCOME_NOT_DUE",
  "CANNOT_ACCEPT_OWN_REQUEST",
  "VOG_REQUIRED",
  "ASSIGNEE_DOES_NOT_FIT",
  "NOT_THE_MATCHED_VOLUNTEER",
  "NOT_THE_REQUESTER",
  "NOT_AN_ORGANISER",
  "CANNOT_ASK_ON_BEHALF",
  "UNKNOWN_PERSON_HELPED",
  "INVALID_TIME_WINDOW",
  "INVALID_INPUT",
  "NEIGHBOURHOOD_REQUIRED",
  "PERSON_NOT_FOUND",
  "CONTACT_DETAILS_HIDDEN",
  "HISTORY_HIDDEN",
]);
export type HelpRequestReason = keyof typeof HelpRequestReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<HelpRequestReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const HelpRequestsMessagesNl = dutchMessages({
  "No help request with this id is visible to you.": "Er is geen hulpvraag met dit id die jij kunt zien.",
  "Only those involved can see this request's history.": "Alleen betrokkenen kunnen de geschiedenis van deze hulpvraag zien.",
  "Contact details are visible only to the person helped, the requester and the matched volunteer.":
    "Contactgegevens zijn alleen zichtbaar voor wie geholpen wordt, de aanvrager en de gekoppelde vrijwilliger.",
  "The person helped no longer exists.": "De persoon die geholpen wordt, bestaat niet meer.",
  "Whoever asked is reached by the matched volunteer while matched, and by the asking side.":
    "Wie de vraag stelde, is bereikbaar voor de gekoppelde vrijwilliger zolang de koppeling loopt, en voor de vragende kant.",
  "Whoever asked no longer exists.": "Wie de vraag stelde, bestaat niet meer.",
  "Only a mantelzorger, neighbourhood desk or professional can ask on someone's behalf.": "Alleen een mantelzorger, wijkwinkel of professional kan namens iemand anders vragen.",
  "input.personHelped: give one of personHelpedId, personHelpedEmail or personHelped": "input.personHelped: geef een van personHelpedId, personHelpedEmail of personHelped",
  "input.personHelpedEmail: no account has this email": "input.personHelpedEmail: er is geen account met dit e-mailadres",
  "input.personHelpedId: not a person you asked for before": "input.personHelpedId: geen persoon voor wie je eerder hebt gevraagd",
  "input.neighbourhoodId: say in which neighbourhood help is needed": "input.neighbourhoodId: zeg in welke buurt hulp nodig is",
  "input.windowEnd: must be after windowStart": "input.windowEnd: moet na windowStart liggen",
  "input.windowEnd: must be in the future": "input.windowEnd: moet in de toekomst liggen",
  "input.windowEnd: a window spans at most 90 days": "input.windowEnd: een tijdvak beslaat hooguit 90 dagen",
  "The assignee asked this request or is helped by it.": "De aangewezen vrijwilliger heeft deze hulpvraag zelf gesteld of wordt erdoor geholpen.",
  "This request needs a volunteer with a verified VOG (certificate of conduct).":
    "Voor deze hulpvraag is een vrijwilliger met een gecontroleerde VOG (verklaring omtrent het gedrag) nodig.",
  "The assignee's volunteer profile does not cover this request's neighbourhood and category.":
    "Het vrijwilligersprofiel van de aangewezen vrijwilliger dekt de buurt en categorie van deze hulpvraag niet.",
  "Only those involved in a request can follow its changes.": "Alleen betrokkenen bij een hulpvraag kunnen de wijzigingen ervan volgen.",
  "Only the organisers of this organisation can ask for help as it.": "Alleen de organisatoren van deze organisatie kunnen namens haar om hulp vragen.",
  "You cannot accept a request you asked or are helped by.": "Je kunt geen hulpvraag aannemen die je zelf stelde of waarmee je geholpen wordt.",
  "This request needs a verified VOG (certificate of conduct).": "Voor deze hulpvraag is een gecontroleerde VOG (verklaring omtrent het gedrag) nodig.",
  "Another volunteer has already accepted this request.": "Een andere vrijwilliger heeft deze hulpvraag al aangenomen.",
  "This request is {status} and can no longer be accepted.": "Deze hulpvraag is {status} en kan niet meer worden aangenomen.",
  "The wanted time window of this request has passed.": "Het gewenste tijdvak van deze hulpvraag is voorbij.",
  "Another volunteer has just accepted this request.": "Een andere vrijwilliger heeft deze hulpvraag zojuist aangenomen.",
  "Only the matched volunteer or the requester can complete this request.": "Alleen de gekoppelde vrijwilliger of de aanvrager kan deze hulpvraag afronden.",
  "A request that is {status} has no outcome to confirm.": "Een hulpvraag die {status} is, heeft geen uitkomst om te bevestigen.",
  "Only the matched volunteer or whoever asked can confirm what happened.": "Alleen de gekoppelde vrijwilliger of wie de vraag stelde, kan bevestigen wat er gebeurde.",
  "The wanted time window has not ended yet; complete the request when help was given.": "Het gewenste tijdvak is nog niet voorbij; rond de hulpvraag af als de hulp gegeven is.",
  "Only the requester can cancel this request.": "Alleen de aanvrager kan deze hulpvraag intrekken.",
  "Someone has already taken this request on.": "Iemand heeft deze hulpvraag al opgepakt.",
  "This request is {status} and can no longer be taken on.": "Deze hulpvraag is {status} en kan niet meer worden opgepakt.",
  "Someone has just taken this request on.": "Iemand heeft deze hulpvraag zojuist opgepakt.",
  "A request that is {status} cannot be reassigned.": "Een hulpvraag die {status} is, kan niet aan iemand anders worden gegeven.",
  "The request changed in the meantime; reload it and try again.": "De hulpvraag is intussen veranderd; laad hem opnieuw en probeer het nog eens.",
  "Only the matched volunteer can do this.": "Alleen de gekoppelde vrijwilliger kan dit doen.",
  "A request that is {status} cannot become {to}.": "Een hulpvraag die {status} is, kan niet {to} worden.",
  "must not be empty": "mag niet leeg zijn",
  "Only those involved in this request can see this.": "Alleen betrokkenen bij deze hulpvraag kunnen dit zien.",
});
