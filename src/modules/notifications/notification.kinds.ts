/**
 * What people are told, on which channels, and what a delivery goes through. Plain data, shared by the
 * tables, the dispatcher, the renderer and the GraphQL enums.
 */

export const NOTIFICATION_KINDS = [
  "HELP_REQUEST_NEW",
  "HELD_REQUEST_CHANGED",
  "HELD_REQUEST_CANCELLED",
  "HELP_REQUEST_MATCHED",
  "HELP_REQUEST_STARTED",
  "HELP_REQUEST_DONE",
  "HELP_REQUEST_RELEASED",
  "HELP_REQUEST_ESCALATED",
  "HELP_OFFER_CHOSEN",
  "HELP_OFFER_NOT_CHOSEN",
  "INITIATIVE_SIGNUP_CONFIRMED",
  "INITIATIVE_SIGNUP_WAITLISTED",
  "INITIATIVE_SIGNUP_PROMOTED",
  "INITIATIVE_RESCHEDULED",
  "INITIATIVE_CANCELLED",
  "CARE_SWAP_PROPOSED",
  "CARE_GAP_POSTED",
  "CARE_SHIFT_RELEASED",
  "CARE_COVER_REQUESTED",
  "CARE_GAP_COVERED",
  "TEAM_CASE_NEW",
  "TEAM_CONSENT_GIVEN",
  "TEAM_CONSENT_WITHDRAWN",
  "OFFER_ASKED",
  "OFFER_ASK_ANSWERED",
  "CARE_MESSAGE_POSTED",
  "BUDDY_CHECKIN_MISSED",
  // Time-driven: decided by the reminder sweep (notification.reminders.ts), not by an event.
  "HELD_REQUEST_STARTING_SOON",
  "VOG_EXPIRING",
  "CARE_SHIFT_TOMORROW",
  "ESCALATION_OVERDUE",
  "VOG_REVIEWS_WAITING",
  "WEBHOOK_ENDPOINT_DISABLED",
  "HELP_REQUEST_DIGEST",
  "CARE_INVITATION",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Channels a message can go out on; each is one `Channel` implementation. */
export const NOTIFICATION_CHANNELS = ["EMAIL", "PUSH"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * PENDING: decided, waiting for its time (quiet hours) or its first attempt. SENDING: claimed by one
 * instance under a lease. SENT: the channel accepted it. FAILED: an attempt failed, another is scheduled
 * (backoff). DEAD: given up (too many attempts, or refused for good); a coordinator may retry it. SKIPPED:
 * not sent because it no longer applied when its time came (switched off, no address, the request no
 * longer open).
 */
export const NOTIFICATION_STATUSES = ["PENDING", "SENDING", "SENT", "FAILED", "DEAD", "SKIPPED"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const LANGUAGES = ["nl", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
/** The deployment speaks Dutch unless a person chooses otherwise. */
export const DEFAULT_LANGUAGE: Language = "nl";

export interface KindSpec {
  /** Who receives it. */
  audience: "volunteer" | "requester" | "programme" | "participant" | "circle" | "team" | "coordinator" | "invitee";
  /** What it is about: where its link leads. */
  subject:
    | "help-request"
    | "initiative"
    | "care-circle"
    | "buddy-programme"
    | "care-invitation"
    | "care-thread"
    | "offer-ask"
    | "team-case"
    | "vog"
    | "vog-reviews"
    | "open-requests"
    | "partner-app";
  /**
   * Whether it is on for a person who never chose, per channel. PUSH follows EMAIL unless a kind says
   * otherwise (`defaultOn`): a kind worth an e-mail is worth a push to whoever subscribed a browser.
   */
  defaults: { EMAIL: boolean; PUSH?: boolean };
}

/** Whether `kind` is on for a person who never chose, on `channel`. */
export function defaultOn(kind: NotificationKind, channel: NotificationChannel): boolean {
  const d = KINDS[kind].defaults;
  return d[channel] ?? d.EMAIL;
}

/**
 * Defaults: whoever asked hears every step that needs them (matched, done, released, escalated), but not
 * that the volunteer pressed start; a volunteer hears of new requests that fit (within the daily limit)
 * and of what happens to a request they hold; a participant (and whoever signed them up) hears where
 * their sign-up stands and of new dates or a cancellation; in a care circle, the member asked to take
 * over a shift, and the circle's coordinators when a shift nobody took goes to volunteers. Also in a care
 * circle: the other members who could take a shift given back (or whose cover is asked), and the
 * coordinators when a volunteer covers a gap. In a professional team: its members when a case arrives in
 * its queue, and its assigned professional (or the team) when consent is given or withdrawn.
 */
export const KINDS: Record<NotificationKind, KindSpec> = {
  HELP_REQUEST_NEW: { audience: "volunteer", subject: "help-request", defaults: { EMAIL: true } },
  HELD_REQUEST_CHANGED: { audience: "volunteer", subject: "help-request", defaults: { EMAIL: true } },
  HELD_REQUEST_CANCELLED: { audience: "volunteer", subject: "help-request", defaults: { EMAIL: true } },
  HELP_REQUEST_MATCHED: { audience: "requester", subject: "help-request", defaults: { EMAIL: true } },
  HELP_REQUEST_STARTED: { audience: "requester", subject: "help-request", defaults: { EMAIL: false } },
  HELP_REQUEST_DONE: { audience: "requester", subject: "help-request", defaults: { EMAIL: true } },
  HELP_REQUEST_RELEASED: { audience: "requester", subject: "help-request", defaults: { EMAIL: true } },
  HELP_REQUEST_ESCALATED: { audience: "requester", subject: "help-request", defaults: { EMAIL: true } },
  HELP_OFFER_CHOSEN: { audience: "volunteer", subject: "help-request", defaults: { EMAIL: true } },
  // Leads to the open requests: the request itself is no longer theirs to see.
  HELP_OFFER_NOT_CHOSEN: { audience: "volunteer", subject: "open-requests", defaults: { EMAIL: true } },
  INITIATIVE_SIGNUP_CONFIRMED: { audience: "participant", subject: "initiative", defaults: { EMAIL: true } },
  INITIATIVE_SIGNUP_WAITLISTED: { audience: "participant", subject: "initiative", defaults: { EMAIL: true } },
  INITIATIVE_SIGNUP_PROMOTED: { audience: "participant", subject: "initiative", defaults: { EMAIL: true } },
  INITIATIVE_RESCHEDULED: { audience: "participant", subject: "initiative", defaults: { EMAIL: true } },
  INITIATIVE_CANCELLED: { audience: "participant", subject: "initiative", defaults: { EMAIL: true } },
  CARE_SWAP_PROPOSED: { audience: "circle", subject: "care-circle", defaults: { EMAIL: true } },
  CARE_GAP_POSTED: { audience: "circle", subject: "care-circle", defaults: { EMAIL: true } },
  CARE_SHIFT_RELEASED: { audience: "circle", subject: "care-circle", defaults: { EMAIL: true } },
  CARE_COVER_REQUESTED: { audience: "circle", subject: "care-circle", defaults: { EMAIL: true } },
  CARE_GAP_COVERED: { audience: "circle", subject: "care-circle", defaults: { EMAIL: true } },
  TEAM_CASE_NEW: { audience: "team", subject: "team-case", defaults: { EMAIL: true } },
  TEAM_CONSENT_GIVEN: { audience: "team", subject: "team-case", defaults: { EMAIL: true } },
  TEAM_CONSENT_WITHDRAWN: { audience: "team", subject: "team-case", defaults: { EMAIL: true } },
  // An ask waits for the volunteer's answer, and whoever asked waits for it: both are worth an e-mail.
  OFFER_ASKED: { audience: "volunteer", subject: "offer-ask", defaults: { EMAIL: true } },
  OFFER_ASK_ANSWERED: { audience: "requester", subject: "offer-ask", defaults: { EMAIL: true } },
  // A thread can hold many short messages a day ("the key is with the neighbour"): an e-mail for each
  // would bury the circle's other mail, so e-mail is off unless chosen; a push is as light as the message.
  CARE_MESSAGE_POSTED: { audience: "circle", subject: "care-thread", defaults: { EMAIL: false, PUSH: true } },
  // A missed check-in is what a programme's coordinators are there to follow up: on.
  BUDDY_CHECKIN_MISSED: { audience: "programme", subject: "buddy-programme", defaults: { EMAIL: true } },
  HELD_REQUEST_STARTING_SOON: { audience: "volunteer", subject: "help-request", defaults: { EMAIL: true } },
  VOG_EXPIRING: { audience: "volunteer", subject: "vog", defaults: { EMAIL: true } },
  CARE_SHIFT_TOMORROW: { audience: "circle", subject: "care-circle", defaults: { EMAIL: true } },
  ESCALATION_OVERDUE: { audience: "team", subject: "team-case", defaults: { EMAIL: true } },
  VOG_REVIEWS_WAITING: { audience: "coordinator", subject: "vog-reviews", defaults: { EMAIL: true } },
  WEBHOOK_ENDPOINT_DISABLED: { audience: "coordinator", subject: "partner-app", defaults: { EMAIL: true } },
  HELP_REQUEST_DIGEST: { audience: "volunteer", subject: "open-requests", defaults: { EMAIL: true } },
  // Someone with an account invited to a care circle by its coordinator: on, or the invitation is never seen.
  CARE_INVITATION: { audience: "invitee", subject: "care-invitation", defaults: { EMAIL: true } },
};

/** How a volunteer hears of new requests that fit: each at once (within the daily limit), or one digest a day. */
export const NEW_REQUEST_MODES = ["IMMEDIATE", "DIGEST"] as const;
export type NewRequestMode = (typeof NEW_REQUEST_MODES)[number];

export function isKind(value: unknown): value is NotificationKind {
  return typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

export function isChannel(value: unknown): value is NotificationChannel {
  return typeof value === "string" && (NOTIFICATION_CHANNELS as readonly string[]).includes(value);
}
