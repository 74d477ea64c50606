import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the people module reports in `extensions.reason` (see docs/error-codes.md). */
export const PersonReason = defineReasons(["EMAIL_TAKEN", "LOGIN_THROTTLED", "PERSON_NOT_FOUND", "TEAM_REQUIRED"]);
export type PersonReason = keyof typeof PersonReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<PersonReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const PeopleMessagesNl = dutchMessages({
  "Your token has expired: log in again.": "Je token is verlopen: log opnieuw in.",
  "Log in first: send a valid bearer token.": "Log eerst in: stuur een geldig bearer-token mee.",
  "The bearer token is not valid.": "Het bearer-token is niet geldig.",
  "The Authorization header must read `Bearer <token>`.": "De Authorization-header moet luiden: `Bearer <token>`.",
  "input.email: an account with this email already exists": "input.email: er bestaat al een account met dit e-mailadres",
  "Too many failed logins; try again in {wait} s.": "Te veel mislukte inlogpogingen; probeer het over {wait} s opnieuw.",
  "Email or password is wrong.": "E-mailadres of wachtwoord is onjuist.",
  "The account of this token no longer exists.": "Het account van dit token bestaat niet meer.",
  "No account has this id.": "Er is geen account met dit id.",
  "teamId: a professional belongs to an existing team": "teamId: een professional hoort bij een bestaand team",
  "Only a coordinator may do this.": "Alleen een coördinator mag dit doen.",
  "must be at most 200 characters": "mag hooguit 200 tekens lang zijn",
  "must be at least 10 characters": "moet minstens 10 tekens lang zijn",
  "must not be empty": "mag niet leeg zijn",
});
