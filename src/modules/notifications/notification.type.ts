import { Extensions, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import type { DeliveryRow } from "./notification.repository.js";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from "./notification.kinds.js";

export enum NotificationKind {
  HELP_REQUEST_NEW = "HELP_REQUEST_NEW",
  HELD_REQUEST_CHANGED = "HELD_REQUEST_CHANGED",
  HELD_REQUEST_CANCELLED = "HELD_REQUEST_CANCELLED",
  HELP_REQUEST_MATCHED = "HELP_REQUEST_MATCHED",
  HELP_REQUEST_STARTED = "HELP_REQUEST_STARTED",
  HELP_REQUEST_DONE = "HELP_REQUEST_DONE",
  HELP_REQUEST_RELEASED = "HELP_REQUEST_RELEASED",
  HELP_REQUEST_ESCALATED = "HELP_REQUEST_ESCALATED",
  HELP_OFFER_CHOSEN = "HELP_OFFER_CHOSEN",
  HELP_OFFER_NOT_CHOSEN = "HELP_OFFER_NOT_CHOSEN",
  INITIATIVE_SIGNUP_CONFIRMED = "INITIATIVE_SIGNUP_CONFIRMED",
  INITIATIVE_SIGNUP_WAITLISTED = "INITIATIVE_SIGNUP_WAITLISTED",
  INITIATIVE_SIGNUP_PROMOTED = "INITIATIVE_SIGNUP_PROMOTED",
  INITIATIVE_RESCHEDULED = "INITIATIVE_RESCHEDULED",
  INITIATIVE_CANCELLED = "INITIATIVE_CANCELLED",
  CARE_SWAP_PROPOSED = "CARE_SWAP_PROPOSED",
  CARE_GAP_POSTED = "CARE_GAP_POSTED",
  CARE_SHIFT_RELEASED = "CARE_SHIFT_RELEASED",
  CARE_COVER_REQUESTED = "CARE_COVER_REQUESTED",
  CARE_GAP_COVERED = "CARE_GAP_COVERED",
  TEAM_CASE_NEW = "TEAM_CASE_NEW",
  TEAM_CONSENT_GIVEN = "TEAM_CONSENT_GIVEN",
  TEAM_CONSENT_WITHDRAWN = "TEAM_CONSENT_WITHDRAWN",
  OFFER_ASKED = "OFFER_ASKED",
  OFFER_ASK_ANSWERED = "OFFER_ASK_ANSWERED",
  CARE_MESSAGE_POSTED = "CARE_MESSAGE_POSTED",
  BUDDY_CHECKIN_MISSED = "BUDDY_CHECKIN_MISSED",
  HELD_REQUEST_STARTING_SOON = "HELD_REQUEST_STARTING_SOON",
  VOG_EXPIRING = "VOG_EXPIRING",
  CARE_SHIFT_TOMORROW = "CARE_SHIFT_TOMORROW",
  ESCALATION_OVERDUE = "ESCALATION_OVERDUE",
  VOG_REVIEWS_WAITING = "VOG_REVIEWS_WAITING",
  WEBHOOK_ENDPOINT_DISABLED = "WEBHOOK_ENDPOINT_DISABLED",
  HELP_REQUEST_DIGEST = "HELP_REQUEST_DIGEST",
  CARE_INVITATION = "CARE_INVITATION",
}
registerEnumType(NotificationKind, {
  name: "NotificationKind",
  description: "What a notification tells; each kind can be switched on or off per channel.",
  valuesConfig: {
    HELP_REQUEST_NEW: { description: "Volunteers: a new (or again open) request fits your profile. At most a configured number a day." },
    HELD_REQUEST_CHANGED: { description: "Volunteers: a request you took on was handed to a professional team." },
    HELD_REQUEST_CANCELLED: { description: "Volunteers: a request you took on was cancelled." },
    HELP_REQUEST_MATCHED: { description: "Whoever asked, and the person helped: a volunteer took the request on." },
    HELP_REQUEST_STARTED: { description: "Whoever asked, and the person helped: the volunteer started (off unless switched on)." },
    HELP_REQUEST_DONE: { description: "Whoever asked, and the person helped: the help is done." },
    HELP_REQUEST_RELEASED: { description: "Whoever asked, and the person helped: the volunteer gave the request back; it is open again." },
    HELP_REQUEST_ESCALATED: { description: "Whoever asked, and the person helped: a professional team took the request over (the status only)." },
    HELP_OFFER_CHOSEN: { description: "Volunteers: the requester chose your offer to help; the request is yours (choice mode)." },
    HELP_OFFER_NOT_CHOSEN: { description: "Volunteers: the requester chose someone else this time; your offer is released (choice mode)." },
    INITIATIVE_SIGNUP_CONFIRMED: { description: "The participant, and whoever signed them up: the place is confirmed." },
    INITIATIVE_SIGNUP_WAITLISTED: { description: "The participant, and whoever signed them up: the sign-up is on the waiting list." },
    INITIATIVE_SIGNUP_PROMOTED: { description: "The participant, and whoever signed them up: a place came free and is theirs." },
    INITIATIVE_RESCHEDULED: { description: "Everyone signed up, and whoever signed them up: the dates changed." },
    INITIATIVE_CANCELLED: { description: "Everyone signed up, and whoever signed them up: the initiative was cancelled." },
    CARE_SWAP_PROPOSED: { description: "Care circles: another member asks you to take over their shift." },
    CARE_GAP_POSTED: { description: "Care circles, their coordinators: a shift nobody in the circle took was posted to volunteers." },
    CARE_SHIFT_RELEASED: { description: "Care circles, the other members free at that time: a member gave a shift back; it is open to take." },
    CARE_COVER_REQUESTED: { description: "Care circles, the other members free at that time: a member gave a shift back and asks the circle to cover it." },
    CARE_GAP_COVERED: { description: "Care circles, their coordinators: a volunteer took a shift that was posted to volunteers." },
    TEAM_CASE_NEW: { description: "Professional teams, their members: a case arrived in the team's queue (URGENT, also in quiet hours, for a safety case)." },
    TEAM_CONSENT_GIVEN: { description: "Professional teams, the case's assigned professional (or the team): consent to share the person's details was given." },
    TEAM_CONSENT_WITHDRAWN: { description: "Professional teams, the case's assigned professional (or the team): consent to share the person's details was withdrawn." },
    OFFER_ASKED: { description: "Volunteers who offer help: someone asked from your offer; the message does not say who." },
    OFFER_ASK_ANSWERED: { description: "Whoever asked from an offer: the volunteer accepted or declined the ask." },
    CARE_MESSAGE_POSTED: {
      description:
        "Care circles, their members (and the volunteer covering a shift, for its thread): a new message was posted; never its text. Off by e-mail, on by push, unless chosen.",
    },
    BUDDY_CHECKIN_MISSED: { description: "Buddy programmes, their coordinators: a check-in in one of the programme's matches was missed (when it was due, nothing more)." },
    HELD_REQUEST_STARTING_SOON: { description: "Volunteers: a request you took on starts soon and you have not started it (a reminder)." },
    VOG_EXPIRING: { description: "Volunteers: the term of your verified VOG ends soon (a reminder)." },
    CARE_SHIFT_TOMORROW: { description: "Care circles: you hold a shift that starts tomorrow (a reminder, the evening before)." },
    ESCALATION_OVERDUE: { description: "Professional teams: a case in your team's queue is past its acknowledge-by time and not acknowledged." },
    VOG_REVIEWS_WAITING: { description: "Coordinators: how many VOGs wait for review (at most once a day)." },
    WEBHOOK_ENDPOINT_DISABLED: { description: "Coordinators who manage a partner app: the server disabled one of its webhook endpoints after it kept failing." },
    HELP_REQUEST_DIGEST: { description: "Volunteers who chose the daily digest: the new fitting requests still open, once a day at your digest time." },
    CARE_INVITATION: { description: "Care circles: a coordinator invites you (by your e-mail address) to join their circle; the link leads to where you accept." },
  },
});

export enum NewRequestMode {
  IMMEDIATE = "IMMEDIATE",
  DIGEST = "DIGEST",
}
registerEnumType(NewRequestMode, {
  name: "NewRequestMode",
  description: "How a volunteer hears of new requests that fit them.",
  valuesConfig: {
    IMMEDIATE: { description: "Each at once, up to the platform's daily limit (the default)." },
    DIGEST: { description: "One daily digest at your digest time, listing those still open." },
  },
});

export enum NotificationChannel {
  EMAIL = "EMAIL",
  PUSH = "PUSH",
}
registerEnumType(NotificationChannel, {
  name: "NotificationChannel",
  description: "How a notification reaches a person.",
  valuesConfig: {
    EMAIL: { description: "E-mail to the address of the account." },
    PUSH: { description: "Web Push to every browser you subscribed (`subscribePush`); a kind is on for push when it is on for e-mail, unless you choose." },
  },
});

export enum NotificationStatus {
  PENDING = "PENDING",
  SENDING = "SENDING",
  SENT = "SENT",
  FAILED = "FAILED",
  DEAD = "DEAD",
  SKIPPED = "SKIPPED",
}
registerEnumType(NotificationStatus, {
  name: "NotificationStatus",
  description: "Where a notification stands: PENDING -> SENDING -> SENT; a failed attempt is FAILED and tried again later, until DEAD.",
  valuesConfig: {
    PENDING: { description: "Waiting: for its first attempt, or for quiet hours to end." },
    SENDING: { description: "Being sent by one server instance right now." },
    SENT: { description: "Accepted by the channel (for e-mail: the mail server)." },
    FAILED: { description: "An attempt failed; another follows at `nextAttemptAt`." },
    DEAD: { description: "Given up after too many attempts or a permanent refusal; a coordinator can retry it." },
    SKIPPED: { description: "Not sent: by its time it no longer applied (switched off, no address, the request no longer open)." },
  },
});

export enum NotificationLanguage {
  NL = "nl",
  EN = "en",
}
registerEnumType(NotificationLanguage, {
  name: "NotificationLanguage",
  description: "The language notifications are written in.",
  valuesConfig: { NL: { description: "Dutch (the default)." }, EN: { description: "English." } },
});

@ObjectType("Notification", {
  implements: Node,
  description:
    "One message to one person on one channel, and what became of it: the record of who was told what. It says what happened, never care details; its link leads to the rest after signing in.",
})
export class Notification extends Node implements Pick<DeliveryRow, "kind" | "channel" | "status" | "attempts" | "urgent" | "createdAt" | "nextAttemptAt" | "sentAt"> {
  @Field(() => NotificationKind, { description: "What it tells." })
  kind!: DeliveryRow["kind"];
  @Field(() => NotificationChannel, { description: "How it goes out." })
  channel!: DeliveryRow["channel"];
  @Field(() => NotificationStatus, { description: "Where it stands." })
  status!: DeliveryRow["status"];
  @Field(() => Int, { description: "Attempts made to send it (since a coordinator's last retry)." })
  attempts!: number;
  @Field(() => Boolean, { description: "About an URGENT request: sent during quiet hours too." })
  urgent!: boolean;
  @Field(() => DateTimeISO, { description: "When it was decided." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { description: "Not sent before this time (quiet hours, or the wait after a failed attempt)." })
  nextAttemptAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When the channel accepted it." })
  sentAt!: Date | null;
}

export const NotificationConnection = connectionTypes("Notification", Notification, "notifications");

@ObjectType("QuietHours", { description: "Hours in which notifications wait (Europe/Amsterdam wall-clock time); a span may run over midnight." })
export class QuietHours {
  @Field(() => String, { description: "Start, HH:MM." })
  start!: string;
  @Field(() => String, { description: "End, HH:MM: held messages go out then." })
  end!: string;
}

@ObjectType("NotificationSwitch", { description: "Whether one kind of notification reaches you on one channel." })
export class NotificationSwitch {
  @Field(() => NotificationKind, { description: "The kind." })
  kind!: NotificationKind;
  @Field(() => NotificationChannel, { description: "The channel." })
  channel!: NotificationChannel;
  @Field(() => Boolean, { description: "On or off." })
  enabled!: boolean;
  @Field(() => Boolean, { description: "True when you chose this; false when the default holds." })
  chosen!: boolean;
}

@ObjectType("NotificationPreferences", { description: "What notifications you get, how, in which language and when not." })
export class NotificationPreferences {
  @Field(() => NotificationLanguage, { description: "The language of your notifications (default Dutch)." })
  language!: NotificationLanguage;
  @Field(() => QuietHours, { nullable: true, description: "When notifications wait until morning, except about URGENT requests; null: never." })
  quietHours!: QuietHours | null;
  // One per kind and channel: the bound grows with them.
  @Extensions({ maxItems: NOTIFICATION_KINDS.length * NOTIFICATION_CHANNELS.length })
  @Field(() => [NotificationSwitch], { description: "Every kind on every channel, with the defaults filled in." })
  switches!: NotificationSwitch[];
  @Field(() => NewRequestMode, { description: "How new fitting requests reach you: each at once, or in one daily digest." })
  newRequestMode!: NewRequestMode;
  @Field(() => String, { description: "When your daily digest goes out, HH:MM Europe/Amsterdam wall-clock time (the platform's default unless you chose one)." })
  digestTime!: string;
  @Field(() => Int, { description: "At most this many notifications about new requests a day (the platform's setting)." })
  newRequestsPerDay!: number;
}

@ObjectType("PushSubscription", { description: "A browser of yours that receives push notifications." })
export class PushSubscription {
  @Field(() => ID, { description: "The subscription's id." })
  id!: string;
  @Field(() => String, { description: "The push service's URL for the browser, as the browser gave it: compare with `pushManager.getSubscription()` to find this browser." })
  endpoint!: string;
  @Field(() => DateTimeISO, { description: "When the browser subscribed (or subscribed again)." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When its push service last accepted a notification; null: not yet." })
  lastSuccessAt!: Date | null;
}
