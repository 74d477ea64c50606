/**
 * Topics of the initiatives module. Payloads carry ids only (see src/shared/events.ts); subscribers
 * reload what they may see.
 */
export const initiativeTopics = {
  /** An initiative became public: published by a verified organisation, or its organisation was verified. */
  published: "initiative.published",
  /** A sign-up was made, moved (waiting list -> confirmed) or cancelled; `kind` says which. */
  signupChanged: "initiative.signup-changed",
};

export type SignupChangeKind = "CONFIRMED" | "WAITLISTED" | "PROMOTED" | "CANCELLED" | "INITIATIVE_CANCELLED";

/** The event-log entry of a sign-up change (recorded in the change's own transaction). */
export const signupEvent = (id: string, kind: SignupChangeKind) => ({ topic: initiativeTopics.signupChanged, id, kind });

/** The event-log entry of an initiative becoming public. */
export const publishedEvent = (id: string) => ({ topic: initiativeTopics.published, id, kind: "PUBLISHED" });
