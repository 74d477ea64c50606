/**
 * Topics of the initiatives module. Payloads carry ids only (see src/shared/events.ts); subscribers
 * reload what they may see.
 */
export const initiativeTopics = {
  /**
   * A public change of an initiative; `kind` says which (InitiativeChange): it became public (published
   * by a verified organisation, or its organisation was verified), its dates changed, places came free,
   * or it was cancelled or ended.
   */
  published: "initiative.published",
  /** A sign-up was made, moved (waiting list -> confirmed) or cancelled; `kind` says which. */
  signupChanged: "initiative.signup-changed",
};

export type SignupChangeKind = "CONFIRMED" | "WAITLISTED" | "PROMOTED" | "CANCELLED" | "INITIATIVE_CANCELLED";

/** The event-log entry of a sign-up change (recorded in the change's own transaction). */
export const signupEvent = (id: string, kind: SignupChangeKind) => ({ topic: initiativeTopics.signupChanged, id, kind });

/** What happened to a public initiative: the `kind` of an event on `initiativeTopics.published`. */
export type InitiativeChangeKind = "PUBLISHED" | "RESCHEDULED" | "PLACES_FREED" | "CANCELLED" | "ENDED";

/** The event-log entry of an initiative becoming public. */
export const publishedEvent = (id: string) => initiativeChangedEvent(id, "PUBLISHED");

/** The event-log entry of a public change of an initiative (recorded in the change's own transaction). */
export const initiativeChangedEvent = (id: string, change: InitiativeChangeKind) => ({ topic: initiativeTopics.published, id, kind: change });
