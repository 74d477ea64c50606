import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons of an account's security (sessions, passwords, disabling, second factor); see docs/error-codes.md. */
export const AccountReason = defineReasons([
  "SESSION_ENDED",
  "SESSION_NOT_FOUND",
  "ACCOUNT_DISABLED",
  "CANNOT_DISABLE_ACCOUNT",
  "PASSWORD_WRONG",
  "PASSWORD_TOO_WEAK",
  "RESET_TOKEN_INVALID",
  "RESET_TOKEN_EXPIRED",
  "RESET_TOKEN_USED",
  "TOTP_NOT_AVAILABLE",
  "TOTP_ALREADY_ENABLED",
  "TOTP_NOT_ENROLLED",
  "TOTP_CODE_WRONG",
  "TOTP_CODE_REUSED",
  "TOTP_THROTTLED",
  "TOTP_CHALLENGE_INVALID",
  "TOTP_REQUIRED",
  "TOTP_ENROLMENT_REQUIRED",
]);
export type AccountReason = keyof typeof AccountReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<AccountReason, true> {}
}

/**
 * Dutch wording of the messages of an account's security (sessions, passwords, disabling, second
 * factor), keyed by the English template its throw sites write (ICU placeholders alike).
 * test/contract/i18n-parity.test.ts checks that the two match.
 */
export const AccountMessagesNl = dutchMessages({
  "Your role requires a second factor: set it up (enrolTotp, confirmTotp) first.": "Voor jouw rol is een tweede factor verplicht: stel die eerst in (enrolTotp, confirmTotp).",
  "This account has no password.": "Dit account heeft geen wachtwoord.",
  "Too many wrong passwords; try again in {wait} s.": "Te vaak een verkeerd wachtwoord; probeer het over {wait} s opnieuw.",
  "oldPassword: is not your current password": "oldPassword: is niet je huidige wachtwoord",
  "password: is not your current password": "password: is niet je huidige wachtwoord",
  "newPassword: must differ from the old one": "newPassword: moet anders zijn dan je oude wachtwoord",
  "token: is not a password reset token of ours": "token: is geen geldige link om je wachtwoord opnieuw in te stellen",
  "token: this link has been used already; ask for a new one": "token: deze link is al gebruikt; vraag een nieuwe aan",
  "token: this link has expired; ask for a new one": "token: deze link is verlopen; vraag een nieuwe aan",
  "You cannot disable your own account.": "Je kunt je eigen account niet uitschakelen.",
  "A coordinator's account cannot be disabled: take the COORDINATOR role away first.":
    "Het account van een coördinator kan niet worden uitgeschakeld: neem eerst de rol COORDINATOR weg.",
  "This account has been disabled by a coordinator; ask them to enable it.": "Dit account is uitgeschakeld door een coördinator; vraag de coördinator om het weer in te schakelen.",
  "This account has been disabled by a coordinator.": "Dit account is uitgeschakeld door een coördinator.",
  "Enter the code from your authenticator app: completeLogin(challenge, code).": "Vul de code uit je authenticator-app in: completeLogin(challenge, code).",
  "The account of this login no longer exists.": "Het account van deze inlogpoging bestaat niet meer.",
  "You have no open session with this id.": "Je hebt geen open sessie met dit id.",
  "A second factor is for professionals and coordinators.": "Een tweede factor is er voor professionals en coördinatoren.",
  "Your second factor is set up already.": "Je tweede factor is al ingesteld.",
  "code: start with enrolTotp": "code: begin met enrolTotp",
  "This login challenge is not valid (any more): log in again with your password.": "Deze inlogstap is niet (meer) geldig: log opnieuw in met je wachtwoord.",
  "Too many wrong codes; try again in {wait} s.": "Te vaak een verkeerde code; probeer het over {wait} s opnieuw.",
  "code: was used already; wait for the next one": "code: is al gebruikt; wacht op de volgende",
  "code: is not right": "code: klopt niet",
  "{field}: must be a string": "{field}: moet tekst zijn",
  "{field}: must be at least {min} characters": "{field}: moet minstens {min} tekens lang zijn",
  "{field}: must be at most {max} characters": "{field}: mag hooguit {max} tekens lang zijn",
  "{field}: must not contain your e-mail address or your name": "{field}: mag je e-mailadres of je naam niet bevatten",
  "{field}: must use more than a few different characters": "{field}: moet meer dan een paar verschillende tekens bevatten",
});
