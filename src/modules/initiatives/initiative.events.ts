/**
 * The events of the initiatives module: its topics, the kinds of event on each, and the entries the
 * services record. A service records them with `outbox.emit` inside its unit of work (`outbox.unit`),
 * so an event commits with its change or not at all; repositories hold SQL only and record none.
 * Payloads carry ids only (see src/shared/events.ts); subscribers reload what they may see
 * (initiative.live.ts). The GraphQL enums InitiativeChange and SignupChangeKind publish these kinds.
 */
export const initiativeTopics = {
  /**
   * A public change of an initiative; `kind` says which (InitiativeChangeKind): it became public
   * (published by a verified organisation, or its organisation was verified), its dates changed,
   * places came free, or it was cancelled or ended.
   */
  published: "initiative.published",
  /** A sign-up was made, moved (waiting list -> confirmed) or cancelled; `kind` says which (SignupChangeKind). */
  signupChanged: "initiative.signup-changed",
};

/** What happened to a public initiative: the `kind` of an event on `initiativeTopics.published`. */
export type InitiativeChangeKind = "PUBLISHED" | "RESCHEDULED" | "PLACES_FREED" | "CANCELLED" | "ENDED";

/** What happened to a sign-up: the `kind` of an event on `initiativeTopics.signupChanged`. */
export type SignupChangeKind = "CONFIRMED" | "WAITLISTED" | "PROMOTED" | "CANCELLED" | "INITIATIVE_CANCELLED";

/** The event-log entry of a public change of an initiative. */
export const initiativeChangedEvent = (id: string, change: InitiativeChangeKind) => ({ topic: initiativeTopics.published, id, kind: change });

/** The event-log entry of an initiative becoming public. */
export const publishedEvent = (id: string) => initiativeChangedEvent(id, "PUBLISHED");

/** The event-log entry of a sign-up change. */
export const signupEvent = (id: string, kind: SignupChangeKind) => ({ topic: initiativeTopics.signupChanged, id, kind });

/** The kind of an event read back from the log on `initiativeTopics.published` (the log keeps it as text). */
export const initiativeChangeOf = (event: { kind: string }) => event.kind as InitiativeChangeKind;

/** The kind of an event read back from the log on `initiativeTopics.signupChanged`. */
export const signupChangeOf = (event: { kind: string }) => event.kind as SignupChangeKind;
