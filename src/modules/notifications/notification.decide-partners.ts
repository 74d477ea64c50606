import { type Decider, type Decision, NOTHING } from "./notification.decision.js";
import type { LogEntry } from "./notification.repository.js";
import type { PartnersForNotifications } from "./notification.sources.js";

/** webhooks.events.ts `webhookTopics.endpointDisabled`: the server disabled an endpoint that kept failing. */
const ENDPOINT_DISABLED_TOPIC = "webhook-endpoint.disabled";

/**
 * Partner apps. When the server disables a webhook endpoint that kept failing, whoever manages the app
 * (the coordinator who registered it) is told, so the app's builders hear of it before their users do.
 * If that coordinator no longer holds the role, the coordinators are told instead: somebody must act.
 * Only while the endpoint is still disabled: one switched on again in between needs nobody.
 */
export class PartnerDecider implements Decider {
  constructor(private readonly partners: PartnersForNotifications) {}

  reads(event: LogEntry): boolean {
    return event.topic === ENDPOINT_DISABLED_TOPIC;
  }

  async decide(event: LogEntry): Promise<Decision> {
    const endpoint = await this.partners.webhookEndpoint(event.id);
    if (!endpoint || endpoint.status !== "DISABLED") return NOTHING;
    const coordinators = await this.partners.coordinators();
    const to = coordinators.includes(endpoint.ownerId) ? [endpoint.ownerId] : coordinators;
    return { subjectId: endpoint.clientId, urgent: false, list: to.map((personId) => ({ personId, kind: "WEBHOOK_ENDPOINT_DISABLED", params: {} })) };
  }
}
