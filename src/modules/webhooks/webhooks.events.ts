/**
 * Event-log topics of the webhooks module. Payloads carry ids only (see src/shared/events.ts). The
 * notifications module can follow `endpointDisabled` to tell an endpoint's owner (the coordinator who
 * registered the partner app) by e-mail; until it does, the owner sees the reason on the endpoint.
 */
export const webhookTopics = {
  /** An endpoint was disabled by the server after failing continuously; the entity is the endpoint. */
  endpointDisabled: "webhook-endpoint.disabled",
};

/** Why an endpoint was disabled by the server: the `kind` of an event on `webhookTopics.endpointDisabled`. */
export type EndpointDisabledKind = "FAILING";

export const endpointDisabledEvent = (endpointId: string) => ({ topic: webhookTopics.endpointDisabled, id: endpointId, kind: "FAILING" satisfies EndpointDisabledKind });
