import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/**
 * Every reason the escalation module reports in `extensions.reason` (see docs/error-codes.md). Some
 * are shared with other modules (COORDINATOR_ONLY, UNKNOWN_TEAM, ...): a reason names what went wrong,
 * not where.
 */
export const EscalationReason = defineReasons([
  "ESCALATION_NOT_FOUND",
  "ESCALATION_WRONG_STATUS",
  "ALREADY_ESCALATED",
  "NOT_INVOLVED_IN_REQUEST",
  "PROFESSIONAL_ONLY",
  "NOT_A_TEAM_MEMBER",
  "NO_TEAM_FOR_AREA",
  "CONSENT_REQUIRED",
  "CASE_CLOSED",
  "CANNOT_GIVE_CONSENT",
  "CANNOT_ASK_FOR_THIS_PERSON",
  "ESCALATION_TRIGGER_OFF",
  "COORDINATOR_ONLY",
  "UNKNOWN_TEAM",
  "UNKNOWN_NEIGHBOURHOOD",
  "NEIGHBOURHOOD_REQUIRED",
]);
export type EscalationReason = keyof typeof EscalationReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<EscalationReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const EscalationMessagesNl = dutchMessages({
  "The person has not (or no longer) consented to share their details with your team for this case.":
    "De persoon heeft (nog) geen toestemming gegeven, of die ingetrokken, om zijn gegevens voor deze casus met je team te delen.",
  "The case is closed: its teams no longer see who it is about.": "De casus is gesloten: de teams ervan zien niet meer om wie hij gaat.",
  "No escalation with this id is visible to you.": "Er is geen escalatie met dit id die jij kunt zien.",
  "Only the person the case is about (or, for someone without an account or a child, whoever asked for them) can consent.":
    "Alleen de persoon om wie de casus gaat (of, voor iemand zonder account of een kind, wie voor hem heeft gevraagd) kan toestemming geven.",
  "Only the person the case is about (or, for someone without an account or a child, whoever asked for them) can withdraw consent.":
    "Alleen de persoon om wie de casus gaat (of, voor iemand zonder account of een kind, wie voor hem heeft gevraagd) kan toestemming intrekken.",
  "Escalation by {trigger, select, FLAGGED {flagging} other {a direct request}} is switched off here; contact the municipality.":
    "Escaleren door {trigger, select, FLAGGED {te melden} other {een rechtstreeks verzoek}} staat hier uit; neem contact op met de gemeente.",
  "Only those involved in the request can flag it.": "Alleen wie bij de hulpvraag betrokken is, kan hem melden.",
  "This request is already with a professional team.": "Deze hulpvraag ligt al bij een professioneel team.",
  "This care situation is already with a professional team.": "Deze zorgsituatie ligt al bij een professioneel team.",
  "Only the requester can ask a team to take this request.": "Alleen de aanvrager kan een team vragen deze hulpvraag op te pakken.",
  "You can ask for yourself, or for someone you asked help for before.": "Je kunt vragen voor jezelf, of voor iemand voor wie je eerder hulp hebt gevraagd.",
  "input.personId: the person needs a neighbourhood": "input.personId: de persoon heeft een buurt nodig",
  "No neighbourhood for this case.": "Deze casus heeft geen buurt.",
  "No professional team serves this neighbourhood's area.": "Geen professioneel team bedient het gebied van deze buurt.",
  "Only members of this team follow its queue.": "Alleen leden van dit team volgen de wachtrij ervan.",
  "Only a professional of the lead or co-team can work this case.": "Alleen een professional van het hoofdteam of het meewerkende team kan deze casus behandelen.",
  "Only members of this team (or a coordinator) see its queue.": "Alleen leden van dit team (of een coördinator) zien de wachtrij ervan.",
  "professionalId: must be a professional of the lead or co-team": "professionalId: moet een professional van het hoofdteam of het meewerkende team zijn",
  "Only a coordinator can re-route a case.": "Alleen een coördinator kan een casus naar een ander team sturen.",
  "leadTeamId: no team has this id": "leadTeamId: er is geen team met dit id",
  "coTeamId: no team has this id": "coTeamId: er is geen team met dit id",
  "The case is not in a state that allows this; reload it.": "De casus staat niet in een toestand die dit toelaat; laad hem opnieuw.",
});
