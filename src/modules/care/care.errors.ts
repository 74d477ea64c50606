import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/**
 * Every reason the care module reports in `extensions.reason` (see docs/error-codes.md). The last five
 * are shared with other modules: care throws them too, for the same kind of fault.
 */
export const CareReason = defineReasons([
  "CARE_CIRCLE_NOT_FOUND",
  "NOT_A_CIRCLE_MEMBER",
  "CIRCLE_COORDINATOR_ONLY",
  "MANTELZORGER_ONLY",
  "INVITATION_UNKNOWN",
  "INVITATION_EXPIRED",
  "INVITATION_USED",
  "INVITEE_EMAIL_INVALID",
  "INVITATION_LIMIT_REACHED",
  "ALREADY_A_MEMBER",
  "COORDINATOR_MUST_HAND_OVER",
  "UNKNOWN_CARE_RECEIVER",
  "CARE_TASK_NOT_FOUND",
  "CARE_SHIFT_NOT_FOUND",
  "SHIFT_NOT_OPEN",
  "SHIFT_OVERLAP",
  "NOT_YOUR_SHIFT",
  "SHIFT_NOT_STARTED",
  "SHIFT_CHANGED",
  "SWAP_NOT_FOUND",
  "SWAP_NOT_PENDING",
  "NOT_THE_SWAP_TARGET",
  "INVALID_INPUT",
  "NEIGHBOURHOOD_REQUIRED",
  "PERSON_NOT_FOUND",
  "UNKNOWN_CATEGORY",
  "INVALID_TIME_WINDOW",
  "INVITATION_REVOKED",
  "INVITATION_NOT_OPEN",
  "LAST_COORDINATOR",
  "CIRCLE_HAS_COORDINATOR",
  "MUNICIPAL_COORDINATOR_ONLY",
  "CARE_MESSAGE_NOT_ALLOWED",
]);
export type CareReason = keyof typeof CareReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<CareReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const CareMessagesNl = dutchMessages({
  "Only a mantelzorger can start a care circle.": "Alleen een mantelzorger kan een zorgnetwerk beginnen.",
  "input.careReceiver: give careReceiverId or careReceiver, not both": "input.careReceiver: geef careReceiverId of careReceiver, niet allebei",
  "input.careReceiverId: not a person you registered": "input.careReceiverId: geen persoon die jij hebt ingeschreven",
  "input.careReceiver: say who receives the care": "input.careReceiver: zeg wie de zorg ontvangt",
  "input.careReceiver.neighbourhoodId: the care receiver needs a neighbourhood": "input.careReceiver.neighbourhoodId: de zorgontvanger heeft een buurt nodig",
  "No care circle with this id has you as a member.": "Er is geen zorgnetwerk met dit id waar jij lid van bent.",
  "Only the circle's coordinator can do this.": "Alleen de coördinator van het zorgnetwerk kan dit doen.",
  "The care receiver no longer exists.": "De zorgontvanger bestaat niet meer.",
  "This invitation code is not known.": "Deze uitnodigingscode is niet bekend.",
  "This invitation has expired; ask for a new one.": "Deze uitnodiging is verlopen; vraag een nieuwe aan.",
  "This invitation has already been used.": "Deze uitnodiging is al gebruikt.",
  "email: must be an e-mail address of at most 254 characters": "email: moet een e-mailadres zijn van hoogstens 254 tekens",
  "firstName: give it with an email": "firstName: geef die samen met een email",
  "firstName: must be a name on one line, without < or >": "firstName: moet een naam op één regel zijn, zonder < of >",
  "This circle sent {limit} invitations by e-mail in the last 24 hours; try again later.":
    "Dit zorgnetwerk heeft de afgelopen 24 uur {limit} uitnodigingen per e-mail verstuurd; probeer het later opnieuw.",
  "You are already a member of this circle.": "Je bent al lid van dit zorgnetwerk.",
  "Hand coordination over to another member before leaving.": "Draag de coördinatie over aan een ander lid voordat je vertrekt.",
  "toPersonId: must be another member of the circle": "toPersonId: moet een ander lid van het zorgnetwerk zijn",
  "Coordination changed in the meantime; reload and try again.": "De coördinatie is intussen veranderd; laad opnieuw en probeer het nog eens.",
  "The RESPITE category is not configured.": "De categorie RESPITE is niet ingesteld.",
  "input.windowEnd: must be after windowStart and in the future": "input.windowEnd: moet na windowStart en in de toekomst liggen",
  "input.windowEnd: a window spans at most {days} days": "input.windowEnd: een tijdvak beslaat hooguit {days} dagen",
  "No care shift with this id is visible to you.": "Er is geen zorgdienst met dit id die jij kunt zien.",
  "This shift has already started.": "Deze dienst is al begonnen.",
  "Someone else holds this shift already.": "Iemand anders heeft deze dienst al.",
  "You already hold a shift at that time.": "Je hebt op dat moment al een dienst.",
  "Only the member holding this shift can give it back.": "Alleen het lid dat deze dienst heeft, kan hem teruggeven.",
  "This shift is covered through a volunteer request; release that request instead.": "Deze dienst wordt gedekt via een hulpvraag aan vrijwilligers; geef die hulpvraag vrij.",
  "The shift changed or has started; reload it.": "De dienst is veranderd of begonnen; laad hem opnieuw.",
  "Only the member holding this shift can propose a swap.": "Alleen het lid dat deze dienst heeft, kan een ruil voorstellen.",
  "No swap with this id is visible to you.": "Er is geen ruil met dit id die jij kunt zien.",
  "Only the member asked can answer this swap.": "Alleen het gevraagde lid kan op deze ruil antwoorden.",
  "This swap was already answered or withdrawn.": "Op deze ruil is al geantwoord, of hij is ingetrokken.",
  "The shift changed in the meantime.": "De dienst is intussen veranderd.",
  "Only the holder or the coordinator can record how a shift went.": "Alleen wie de dienst heeft of de coördinator kan vastleggen hoe een dienst ging.",
  "This shift has not started yet.": "Deze dienst is nog niet begonnen.",
  "This shift cannot be marked.": "Deze dienst kan niet worden gemarkeerd.",
  "No care task with this id.": "Er is geen zorgtaak met dit id.",
  "must not be empty": "mag niet leeg zijn",
  "must be a time as HH:MM": "moet een tijd zijn als UU:MM",
  "must be at most 24 hours": "mag hooguit 24 uur zijn",
  "must be at least 5 minutes": "moet minstens 5 minuten zijn",
  "must be 1 (Monday) to 7 (Sunday)": "moet 1 (maandag) tot 7 (zondag) zijn",
  "must be at most 12": "mag hooguit 12 zijn",
  "must be at least 1": "moet minstens 1 zijn",
  "must not be before startDate": "mag niet voor startDate liggen",
  "The circle's coordinator withdrew this invitation.": "De coördinator van het zorgnetwerk heeft deze uitnodiging ingetrokken.",
  "This invitation was used, withdrawn or is not one of this circle's.": "Deze uitnodiging is gebruikt, ingetrokken of hoort niet bij dit zorgnetwerk.",
  "The circle needs at least one coordinator while it has members.": "Het zorgnetwerk heeft minstens één coördinator nodig zolang het leden heeft.",
  "personId: must be a member of the circle": "personId: moet lid zijn van het zorgnetwerk",
  "personId: to leave yourself, use leaveCareCircle": "personId: gebruik leaveCareCircle om zelf te vertrekken",
  "successorId: must be another member of the circle": "successorId: moet een ander lid van het zorgnetwerk zijn",
  "This circle has a coordinator; they run it.": "Dit zorgnetwerk heeft een coördinator; die regelt het.",
  "Only a coordinator of the municipality can do this.": "Alleen een coördinator van de gemeente kan dit doen.",
  "Only the circle's coordinators can post an announcement.": "Alleen de coördinatoren van het zorgnetwerk kunnen een mededeling plaatsen.",
  "body: must be 1 to 1000 characters": "body: moet 1 tot 1000 tekens lang zijn",
  "No care circle with this id.": "Er is geen zorgnetwerk met dit id.",
  "No person with this id.": "Er is geen persoon met dit id.",
});
