import type { ApiScopeName } from "../api-clients/api-client.tables.js";
import { WEBHOOK_EVENT_TYPES, type WebhookEventTypeName } from "./webhook.events.js";
import type { ClientAudience, EndpointRow, LogEntry, WebhookRepository } from "./webhook.repository.js";
import type { WebhookPayload } from "./webhooks.tables.js";

type Data = WebhookPayload["data"];

/** What an event's object says to partners, before the audience is applied; null when it is gone. */
interface Loaded {
  /** Whose it is: the account that asked the request or made the sign-up (null: public, as an initiative). */
  ownerId: string | null;
  sandbox: boolean;
  data: Data;
}

const SIGNUP_STATUS: Record<string, string> = {
  CONFIRMED: "CONFIRMED",
  WAITLISTED: "WAITLISTED",
  PROMOTED: "CONFIRMED",
  CANCELLED: "CANCELLED",
  INITIATIVE_CANCELLED: "CANCELLED",
};

/**
 * Builds webhook payloads: ids, statuses and reference ids (category, neighbourhood, organisation),
 * never what a person wrote (titles, descriptions, notes), names, contact details or care details.
 * An event's object is loaded once per batch, whatever the number of endpoints.
 */
export class WebhookPayloads {
  private readonly loaded = new Map<number, Promise<Loaded | null>>();

  constructor(private readonly repo: WebhookRepository) {}

  /**
   * The payload an endpoint receives for an event, or null when its client may not see it: the event
   * type needs a scope its (sandbox or production) keys hold now, and a request or sign-up must be
   * the client's own, made in the same mode (a sandbox endpoint hears only of its sandbox's objects).
   */
  async for(event: LogEntry, type: WebhookEventTypeName, endpoint: EndpointRow, audience: ClientAudience | undefined): Promise<WebhookPayload | null> {
    if (!audience || audience.disabled || !endpoint.eventTypes.includes(type)) return null;
    const scopes: Set<ApiScopeName> = endpoint.sandbox ? audience.sandboxScopes : audience.scopes;
    if (!scopes.has(WEBHOOK_EVENT_TYPES[type].scope)) return null;
    const object = await this.load(event, type);
    if (!object) return null;
    if (object.ownerId !== null) {
      const account = endpoint.sandbox ? audience.sandboxPersonId : audience.servicePersonId;
      if (object.ownerId !== account || object.sandbox !== endpoint.sandbox) return null;
    }
    return { type, timestamp: event.at.toISOString(), data: object.data };
  }

  private load(event: LogEntry, type: WebhookEventTypeName): Promise<Loaded | null> {
    let found = this.loaded.get(event.seq);
    if (!found) this.loaded.set(event.seq, (found = this.fetch(event, type)));
    return found;
  }

  private async fetch(event: LogEntry, type: WebhookEventTypeName): Promise<Loaded | null> {
    switch (WEBHOOK_EVENT_TYPES[type].subject) {
      case "help-request": {
        const r = await this.repo.helpRequest(event.id);
        if (!r) return null;
        // The status the event reports (the request may have moved on since): open for posted and released.
        const status = event.topic === "help-request.posted" ? "OPEN" : event.kind;
        return {
          ownerId: r.askedById,
          sandbox: r.sandbox,
          data: { id: r.id, status, currentStatus: r.status, categoryId: r.categoryId, neighbourhoodId: r.neighbourhoodId, urgency: r.urgency, personHelpedId: r.personHelpedId },
        };
      }
      case "initiative": {
        const i = await this.repo.initiative(event.id);
        if (!i) return null;
        return {
          ownerId: null,
          sandbox: false,
          data: { id: i.id, status: i.status, change: event.kind, kind: i.kind, organisationId: i.organisationId, neighbourhoodId: i.neighbourhoodId },
        };
      }
      case "signup": {
        const s = await this.repo.signup(event.id);
        if (!s) return null;
        return { ownerId: s.signedUpById, sandbox: false, data: { id: s.id, status: SIGNUP_STATUS[event.kind] ?? s.status, initiativeId: s.initiativeId } };
      }
    }
  }
}
