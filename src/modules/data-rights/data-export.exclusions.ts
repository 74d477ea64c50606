/**
 * Tables that hold a person's id (or could) but are deliberately not part of a data export, each with
 * the reason. test/contract/export-coverage.test.ts accepts a table holding personal data only when an
 * exporter covers it or it is listed here; a new table must take one of the two roads.
 */
export const EXPORT_EXCLUSIONS: Readonly<Record<string, string>> = {
  // Change notices for live subscribers: a topic, an entity id and a kind, no content; pruned after
  // EVENT_LOG_RETENTION_HOURS. Every fact it points at is exported by the module that holds it.
  eventLog: "transient change notices (ids only), pruned after EVENT_LOG_RETENTION_HOURS; the facts are exported at their source",
  // Replays of recent mutation answers, keyed by the caller and their Idempotency-Key, kept
  // IDEMPOTENCY_TTL_HOURS; what a stored answer says is exported from the module it came from.
  idempotencyKeys: "short-lived replay copies of answers (IDEMPOTENCY_TTL_HOURS); their content is exported at its source",
  // Rate-limit counters keyed by a hash of a key or an address: nothing leads back to a person.
  apiRateLimits: "counters keyed by a hash, no identity",
  // The server's own key pair for signing Web Push messages: no person's data, and the private key is
  // a secret: with a subscription's endpoint it lets its holder push to that browser as the server.
  notificationVapidKeys: "the server's Web Push signing key pair: no person's data, and its private key is a security secret",
  // Webhook deliveries and their attempts: the delivery log of a partner app's receiver (event ids,
  // statuses, HTTP answers), about the receiver rather than the person who registered the endpoint. The
  // endpoint itself is exported (section webhooks); its owner reads the log in the app.
  webhookDeliveries: "the delivery log of a partner's receiver (event ids and statuses), not about a person; the endpoint is exported",
  webhookAttempts: "attempts of a webhook delivery (time, HTTP status, duration), about the partner's receiver, not a person",
  // The record of an erasure (GDPR art. 17 and 18): what kind of data went and what is kept restricted,
  // with no erased fact in it. Kept as proof the request was carried out (art. 5(2)); the person it was
  // about has no account left to export it to, and the answer to the request showed it to them.
  dataErasures: "the record of an erasure carried out (kinds of data and counts, no erased fact), kept as proof; shown to the person in the answer",
  // Which kept records (cases) an erasure restricted, with the legal duty: about records, kept with them.
  dataRestrictions: "which records an erasure kept under a legal duty (ids and the duty), shown with the record to those who keep it and in the erasure's answer",
};
