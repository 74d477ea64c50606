import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the buddy-programme module reports in `extensions.reason` (see docs/error-codes.md). */
export const BuddyReason = defineReasons([
  "BUDDY_PROGRAMME_NOT_FOUND",
  "BUDDY_PARTICIPANT_NOT_FOUND",
  "BUDDY_NOT_FOUND",
  "BUDDY_MATCH_NOT_FOUND",
  "BUDDY_SIGNAL_NOT_FOUND",
  "NOT_A_PROGRAMME_COORDINATOR",
  "BUDDY_KIND_NAME_REQUIRED",
  "BUDDY_CONSENT_REQUIRED",
  "BUDDY_REFERRER_ROLE_REQUIRED",
  "BUDDY_ALREADY_IN_PROGRAMME",
  "BUDDY_NO_TRAINING_IN_PROGRAMME",
  "BUDDY_NOT_ELIGIBLE",
  "BUDDY_AT_CAPACITY",
  "BUDDY_PARTICIPANT_NOT_WAITING",
  "BUDDY_QUEUE_SKIP_NEEDS_REASON",
  "BUDDY_PLANNED_END_INVALID",
  "BUDDY_CHECKIN_NOT_IN_MATCH",
  "BUDDY_NOT_IN_MATCH",
  "BUDDY_MATCH_NOT_ACTIVE",
  "BUDDY_MATCH_NOT_PAUSED",
  "BUDDY_MATCH_ALREADY_ENDED",
  "BUDDY_MATCH_NOT_ENDED",
  "BUDDY_EVALUATION_ALREADY_GIVEN",
]);
export type BuddyReason = keyof typeof BuddyReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<BuddyReason, true> {}
}

/** Dutch wording of this module's messages, keyed by the English text its throw sites write. */
export const BuddiesMessagesNl = dutchMessages({
  "No buddy programme has this id.": "Er is geen maatjesprogramma met dit id.",
  "No participant with this id is visible to you.": "Er is geen deelnemer met dit id die je mag zien.",
  "No buddy with this id is visible to you.": "Er is geen maatje met dit id dat je mag zien.",
  "No buddy match with this id is visible to you.": "Er is geen maatjeskoppeling met dit id die je mag zien.",
  "No signal with this id is visible to you.": "Er is geen signaal met dit id dat je mag zien.",
  "Only the coordinators of this programme can do this.": "Alleen de coördinatoren van dit programma kunnen dit doen.",
  "input.kindName: a programme of kind OTHER needs the municipality's own name": "input.kindName: een programma van soort OTHER heeft de eigen naam van de gemeente nodig",
  "input.consent: the participant's consent must be recorded": "input.consent: de toestemming van de deelnemer moet worden vastgelegd",
  "Only a professional or a desk (organiser) can refer someone else.": "Alleen een professional of een wijkwinkel (organisator) kan iemand anders aanmelden.",
  "This person already takes part in this programme.": "Deze persoon doet al mee aan dit programma.",
  "This programme asks no training of its buddies.": "Dit programma vraagt geen training van zijn maatjes.",
  "This buddy cannot be matched yet: the programme's training or a verified VOG is missing.":
    "Dit maatje kan nog niet worden gekoppeld: de training van het programma of een geverifieerde VOG ontbreekt.",
  "This buddy already has as many participants as they can take.": "Dit maatje heeft al zoveel deelnemers als het aankan.",
  "This participant is not on the waiting list.": "Deze deelnemer staat niet op de wachtlijst.",
  "skipReason: someone referred earlier is still waiting; say why this participant goes first":
    "skipReason: iemand die eerder is aangemeld wacht nog; zeg waarom deze deelnemer voorgaat",
  "plannedEndAt: must lie after now and within three years": "plannedEndAt: moet na nu en binnen drie jaar liggen",
  "Only the buddy and the participant of this match can check in.": "Alleen het maatje en de deelnemer van deze koppeling kunnen inchecken.",
  "Only the buddy and the participant of this match can evaluate it.": "Alleen het maatje en de deelnemer van deze koppeling kunnen haar evalueren.",
  "This match is not active.": "Deze koppeling is niet actief.",
  "This match is not paused.": "Deze koppeling is niet gepauzeerd.",
  "This match has already ended.": "Deze koppeling is al beëindigd.",
  "This match has not ended yet.": "Deze koppeling is nog niet beëindigd.",
  "You have already evaluated this match.": "Je hebt deze koppeling al geëvalueerd.",
});
