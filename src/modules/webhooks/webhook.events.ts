import type { ApiScopeName } from "../api-clients/api-client.tables.js";
import { helpRequestTopics } from "../help-requests/help-request.events.js";
import { initiativeTopics } from "../initiatives/initiative.events.js";

/** What an event is about, which decides what may be said of it (webhook.payloads.ts). */
export type WebhookSubject = "help-request" | "initiative" | "signup";

export interface WebhookEventType {
  description: string;
  subject: WebhookSubject;
  /** The scope a client's keys must hold for its endpoints to receive the type. */
  scope: ApiScopeName;
}

/**
 * The event types an endpoint can subscribe to (docs/operations.md lists them). Escalations and care
 * circles have none: what happens there is special-category data and no partner scope opens it.
 */
export const WEBHOOK_EVENT_TYPES = {
  "help-request.posted": { subject: "help-request", scope: "requests:write", description: "A request the app asked became open to volunteers." },
  "help-request.released": { subject: "help-request", scope: "requests:write", description: "A request the app asked is open again: its volunteer gave it back." },
  "help-request.matched": { subject: "help-request", scope: "requests:write", description: "A volunteer took on a request the app asked." },
  "help-request.started": { subject: "help-request", scope: "requests:write", description: "The volunteer started on a request the app asked." },
  "help-request.done": { subject: "help-request", scope: "requests:write", description: "A request the app asked is done." },
  "help-request.cancelled": { subject: "help-request", scope: "requests:write", description: "A request the app asked was cancelled." },
  "help-request.expired": { subject: "help-request", scope: "requests:write", description: "A request the app asked expired without help." },
  "help-request.escalated": { subject: "help-request", scope: "requests:write", description: "A professional team took over a request the app asked (the status only)." },
  "initiative.published": { subject: "initiative", scope: "public:read", description: "An initiative became public." },
  "initiative.rescheduled": { subject: "initiative", scope: "public:read", description: "A public initiative's dates changed." },
  "initiative.places-freed": { subject: "initiative", scope: "public:read", description: "Places came free in a public initiative." },
  "initiative.cancelled": { subject: "initiative", scope: "public:read", description: "A public initiative was cancelled." },
  "initiative.ended": { subject: "initiative", scope: "public:read", description: "A public initiative ended." },
  "initiative.signup.confirmed": { subject: "signup", scope: "requests:write", description: "A sign-up the app's account made is confirmed." },
  "initiative.signup.waitlisted": { subject: "signup", scope: "requests:write", description: "A sign-up the app's account made is on the waiting list." },
  "initiative.signup.promoted": { subject: "signup", scope: "requests:write", description: "A sign-up the app's account made moved from the waiting list to a place." },
  "initiative.signup.cancelled": { subject: "signup", scope: "requests:write", description: "A sign-up the app's account made was cancelled (or its initiative was)." },
} as const satisfies Record<string, WebhookEventType>;

export type WebhookEventTypeName = keyof typeof WEBHOOK_EVENT_TYPES;
export const WEBHOOK_EVENT_TYPE_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventTypeName[];

export const isWebhookEventType = (name: string): name is WebhookEventTypeName => Object.hasOwn(WEBHOOK_EVENT_TYPES, name);

const CHANGED_PREFIX = helpRequestTopics.changed("");
const HELP_REQUEST_CHANGES: Record<string, WebhookEventTypeName | undefined> = {
  MATCHED: "help-request.matched",
  IN_PROGRESS: "help-request.started",
  DONE: "help-request.done",
  CANCELLED: "help-request.cancelled",
  EXPIRED: "help-request.expired",
  ESCALATED: "help-request.escalated",
};
const INITIATIVE_CHANGES: Record<string, WebhookEventTypeName | undefined> = {
  PUBLISHED: "initiative.published",
  RESCHEDULED: "initiative.rescheduled",
  PLACES_FREED: "initiative.places-freed",
  CANCELLED: "initiative.cancelled",
  ENDED: "initiative.ended",
};
const SIGNUP_CHANGES: Record<string, WebhookEventTypeName | undefined> = {
  CONFIRMED: "initiative.signup.confirmed",
  WAITLISTED: "initiative.signup.waitlisted",
  PROMOTED: "initiative.signup.promoted",
  CANCELLED: "initiative.signup.cancelled",
  INITIATIVE_CANCELLED: "initiative.signup.cancelled",
};

/**
 * The webhook event type of an event-log entry, or undefined when partners hear nothing of it. A
 * request's open status is told through the posted topic (posted, or released when it is open again),
 * so its OPEN entry on the changed topic is not told twice.
 */
export function webhookTypeOf(event: { topic: string; kind: string }): WebhookEventTypeName | undefined {
  if (event.topic === helpRequestTopics.posted) return event.kind === "REOPENED" ? "help-request.released" : "help-request.posted";
  if (event.topic.startsWith(CHANGED_PREFIX)) return HELP_REQUEST_CHANGES[event.kind];
  if (event.topic === initiativeTopics.published) return INITIATIVE_CHANGES[event.kind];
  if (event.topic === initiativeTopics.signupChanged) return SIGNUP_CHANGES[event.kind];
  return undefined;
}
