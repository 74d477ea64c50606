import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** The reasons casework reports in `extensions.reason` (see docs/error-codes.md). */
export const CaseWorkReason = defineReasons([
  "CASEWORK_TEAM_ONLY",
  "CONTACT_TIME_INVALID",
  "DOCUMENT_TOO_LARGE",
  "DOCUMENT_TYPE_NOT_ALLOWED",
  "DOCUMENT_NOT_FOUND",
  "REROUTE_REASON_REQUIRED",
  "UNKNOWN_AGE_BAND",
]);
export type CaseWorkReason = keyof typeof CaseWorkReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<CaseWorkReason, true> {}
}

/** Dutch wording of casework's messages, keyed by the English text its throw sites write. */
export const CaseWorkMessagesNl = dutchMessages({
  "Only the professionals of the case's lead and co-team read and write its notes and documents.":
    "Alleen de professionals van het hoofdteam en het meewerkende team van de casus lezen en schrijven de notities en documenten ervan.",
  "input.contactAt: a contact moment lies between the case's start and now": "input.contactAt: een contactmoment ligt tussen het begin van de casus en nu",
  "The document is larger than this server accepts.": "Het document is groter dan deze server aanneemt.",
  "Only PDF, PNG and JPEG files can be added to a case.": "Alleen PDF-, PNG- en JPEG-bestanden kunnen aan een casus worden toegevoegd.",
  "No document with this id is visible to you.": "Er is geen document met dit id dat jij kunt zien.",
  "reason: say why the case goes to another team": "reason: zeg waarom de casus naar een ander team gaat",
  "ageBands: not an age band of a case": "ageBands: geen leeftijdsgroep van een casus",
});
