import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the data-rights module reports in `extensions.reason` (see docs/error-codes.md). */
export const DataRightsReason = defineReasons([
  "DATA_EXPORT_NOT_FOUND",
  "DATA_EXPORT_SUBJECT_NOT_FOUND",
  "ERASURE_NOT_FOUND",
  "ERASURE_SUBJECT_NOT_FOUND",
  "ERASURE_BLOCKED",
  "ERASURE_BLOCKED_OPEN_MATCH",
  "ERASURE_BLOCKED_OPEN_REQUEST",
  "ERASURE_BLOCKED_OPEN_CASE",
  "ERASURE_BLOCKED_ONLY_CIRCLE_COORDINATOR",
]);
export type DataRightsReason = keyof typeof DataRightsReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<DataRightsReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const DataRightsMessagesNl = dutchMessages({
  "Only a coordinator may export someone else's data.": "Alleen een coördinator mag de gegevens van iemand anders exporteren.",
  "Give the basis of the request (3 to 500 characters), e.g. who asked at which desk and when.":
    "Geef aan op welk verzoek dit berust (3 tot 500 tekens), bijvoorbeeld wie het aan welke balie vroeg en wanneer.",
  "There is no such person.": "Deze persoon bestaat niet.",
  "There is no such data export.": "Deze gegevensexport bestaat niet.",
  "Unknown export or invalid link.": "Onbekende export of ongeldige link.",
  "This link has expired: ask for a new one.": "Deze link is verlopen: vraag een nieuwe aan.",
  "You signed out since: sign in and ask for a new link.": "Je bent sindsdien uitgelogd: log in en vraag een nieuwe link aan.",
  "This link was given to someone else.": "Deze link is aan iemand anders gegeven.",
  "This export is no longer kept: ask for a new one.": "Deze export wordt niet meer bewaard: vraag een nieuwe aan.",
  "Only a coordinator may erase someone else's data.": "Alleen een coördinator mag de gegevens van iemand anders wissen.",
  "There is no such erasure.": "Dit wisverzoek bestaat niet.",
  "This data cannot be erased yet: what the blockers name must be settled first.": "Deze gegevens kunnen nog niet gewist worden: eerst moet wat bij blockers staat afgerond zijn.",
});
