import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the notifications module reports in `extensions.reason` (see docs/error-codes.md). */
export const NotificationReason = defineReasons([
  "NOTIFICATION_NOT_FOUND",
  "NOTIFICATION_NOT_DEAD",
  "PUSH_NOT_AVAILABLE",
  "PUSH_ENDPOINT_NOT_ALLOWED",
  "PUSH_KEYS_INVALID",
  "PUSH_SUBSCRIPTION_NOT_FOUND",
]);
export type NotificationReason = keyof typeof NotificationReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<NotificationReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const NotificationsMessagesNl = dutchMessages({
  "No notification has this id.": "Er is geen bericht met dit id.",
  "This notification is {status}; only a DEAD one can be retried.": "Dit bericht is {status}; alleen een bericht dat DEAD is, kan opnieuw worden verstuurd.",
  "Only a coordinator may see or retry notifications that could not be delivered.":
    "Alleen een coördinator mag berichten die niet konden worden bezorgd zien of opnieuw versturen.",
  "must be a time as HH:MM (Europe/Amsterdam)": "moet een tijd zijn als UU:MM (Europe/Amsterdam)",
  "must end at another time than it starts": "moet op een andere tijd eindigen dan het begint",
  "at most one entry per kind and channel": "hooguit één regel per soort en kanaal",
  "Push notifications are not available on this server.": "Pushmeldingen zijn op deze server niet beschikbaar.",
  "keys.p256dh must be the browser's P-256 public key: 65 bytes, base64url.": "keys.p256dh moet de publieke P-256-sleutel van de browser zijn: 65 bytes, base64url.",
  "keys.auth must be the browser's authentication secret: 16 bytes, base64url.": "keys.auth moet het authenticatiegeheim van de browser zijn: 16 bytes, base64url.",
  "You have no push subscription with this endpoint.": "Je hebt geen pushabonnement met dit endpoint.",
  "The endpoint must be an absolute URL.": "Het endpoint moet een absolute URL zijn.",
  "The endpoint must be an https: URL.": "Het endpoint moet een https:-URL zijn.",
  "The endpoint must not carry a user name or password.": "Het endpoint mag geen gebruikersnaam of wachtwoord bevatten.",
  "The endpoint must not have a fragment.": "Het endpoint mag geen fragment (#...) hebben.",
  "The endpoint must use the standard HTTPS port.": "Het endpoint moet de standaardpoort van HTTPS gebruiken.",
  "The endpoint must be a public push service, not an internal address.": "Het endpoint moet een openbare pushdienst zijn, geen intern adres.",
  "The endpoint must be at most {max} characters.": "Het endpoint mag hooguit {max} tekens lang zijn.",
  "The endpoint {problem}.": "Dit endpoint is niet toegestaan: {problem}.",
});
