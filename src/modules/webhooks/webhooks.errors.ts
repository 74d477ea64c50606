import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the webhooks module reports in `extensions.reason` (see docs/error-codes.md). */
export const WebhookReason = defineReasons([
  "WEBHOOK_URL_INVALID",
  "WEBHOOK_URL_NOT_HTTPS",
  "WEBHOOK_URL_PRIVATE_ADDRESS",
  "WEBHOOK_UNKNOWN_EVENT_TYPE",
  "WEBHOOK_ENDPOINT_NOT_FOUND",
  "WEBHOOK_DELIVERY_NOT_FOUND",
  "WEBHOOK_NOT_CLIENT_OWNER",
  "WEBHOOK_TOO_MANY_ENDPOINTS",
]);
export type WebhookReason = keyof typeof WebhookReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<WebhookReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const WebhooksMessagesNl = dutchMessages({
  "url: not an absolute URL": "url: geen absolute URL",
  "url: at most {max} characters": "url: hooguit {max} tekens",
  "url: must not carry a user name or password": "url: mag geen gebruikersnaam of wachtwoord bevatten",
  "url: must be https": "url: moet https zijn",
  "url: points at a private, loopback, link-local or otherwise non-public address": "url: wijst naar een privé-, loopback-, link-local of ander niet-openbaar adres",
  "url: an address in an unusual form": "url: een adres in een ongebruikelijke vorm",
  "A partner app has at most {max} webhook endpoints.": "Een partner-app heeft hooguit {max} webhook-endpoints.",
  "eventTypes: {value} is not a webhook event type": "eventTypes: {value} is geen soort webhookgebeurtenis",
  "first: 1 to 100": "first: 1 tot en met 100",
  "No such webhook delivery among your endpoints.": "Er is geen webhookbezorging met dit id bij jouw endpoints.",
  "fromCursor: not an event cursor this server handed out": "fromCursor: geen gebeurteniscursor die deze server heeft uitgegeven",
  "fromCursor: events after it are older than the event log keeps": "fromCursor: de gebeurtenissen na deze cursor zijn ouder dan het gebeurtenissenlogboek bewaart",
  "No such webhook endpoint among your partner apps.": "Er is geen webhook-endpoint met dit id bij jouw partner-apps.",
  "Only the coordinator who registered a partner app manages its webhooks.": "Alleen de coördinator die een partner-app heeft aangemeld, beheert de webhooks ervan.",
  "No such partner app.": "Deze partner-app bestaat niet.",
  "Only the coordinator who registered this partner app manages its webhooks.": "Alleen de coördinator die deze partner-app heeft aangemeld, beheert de webhooks ervan.",
});
