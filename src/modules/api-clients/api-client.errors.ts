import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the api-clients module reports in `extensions.reason` (see docs/error-codes.md). */
export const ApiClientReason = defineReasons([
  "INVALID_API_KEY",
  "API_KEY_EXPIRED",
  "API_KEY_REVOKED",
  "MIXED_CREDENTIALS",
  "SCOPE_REQUIRED",
  "OPERATION_NOT_ALLOWED",
  "RATE_LIMITED",
  "PERSON_HELPED_REQUIRED",
  "API_CLIENT_NOT_FOUND",
  "API_KEY_NOT_FOUND",
  "INVALID_OPERATION_DOCUMENT",
  "TOO_MANY_ACTIVE_KEYS",
  "SANDBOX_ONLY",
  "API_CLIENT_ALREADY_BOUND",
  "NOT_BOUND_TO_ORGANISATION",
]);
export type ApiClientReason = keyof typeof ApiClientReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<ApiClientReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const ApiClientsMessagesNl = dutchMessages({
  "Rate limit of {limit} requests per minute reached; retry in {wait} s.": "De limiet van {limit} verzoeken per minuut is bereikt; probeer het over {wait} s opnieuw.",
  "This key runs only operations on its app's allow-list, and this one is not on it.":
    "Deze sleutel voert alleen operaties uit die op de lijst van zijn app staan, en deze staat er niet op.",
  "An app has at most {max} active keys: revoke one first.": "Een app heeft hooguit {max} actieve sleutels: trek er eerst een in.",
  "No API key has this id.": "Er is geen API-sleutel met dit id.",
  "documents: give 1 to {max} documents": "documents: geef 1 tot {max} documenten",
  "{field}: a document holds exactly one operation (fragments may accompany it)": "{field}: een document bevat precies één operatie (fragmenten mogen erbij)",
  "Send either a login token or an API key, not both.": "Stuur een inlogtoken of een API-sleutel mee, niet allebei.",
  "This API key is not valid.": "Deze API-sleutel is niet geldig.",
  "This API key was revoked.": "Deze API-sleutel is ingetrokken.",
  "This API key has expired; ask for a new one.": "Deze API-sleutel is verlopen; vraag een nieuwe aan.",
  "No API client has this id.": "Er is geen app met dit id.",
  "Only a coordinator may manage partner apps and their keys.": "Alleen een coördinator mag partner-apps en hun sleutels beheren.",
  "give at least one scope": "geef minstens één scope",
  "must be between 1 and 730": "moet tussen 1 en 730 liggen",
  "must be between 1 and 100000": "moet tussen 1 en 100000 liggen",
  "{operation} {field}: this key lacks the scope for it (needs {login, select, yes {a login, not an API key} other {one of the scopes {scopes}}}).":
    "{operation} {field}: deze sleutel heeft er de scope niet voor (nodig: {login, select, yes {een login, geen API-sleutel} other {een van de scopes {scopes}}}).",
  "input.personHelped: an app asks on behalf of its users; name the person with personHelped or personHelpedId.":
    "input.personHelped: een app vraagt namens zijn gebruikers; noem de persoon met personHelped of personHelpedId.",
  "{field}: a sandbox key asks only within its sandbox organisation, never as another.":
    "{field}: een sandboxsleutel vraagt alleen binnen zijn eigen sandboxorganisatie, nooit als een andere.",
  "An app acts for one organisation at most: unbind it from the other first.": "Een app handelt voor hooguit één organisatie: maak hem eerst los van de andere.",
  "{operation} {field}: this app acts for no organisation yet; a coordinator binds it to one first.":
    "{operation} {field}: deze app handelt nog voor geen organisatie; een coördinator koppelt hem er eerst aan een.",
  "must be between 1 and 90": "moet tussen 1 en 90 liggen",
});
