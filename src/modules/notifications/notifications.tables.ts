import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { NewRequestMode, NotificationChannel, NotificationKind, NotificationStatus } from "./notification.kinds.js";

/**
 * What a delivery's message says, fixed when it was decided: ids, a status, a date, never what a person
 * wrote (titles, descriptions, care notes) nor where anyone lives. The renderer turns it into text in the
 * recipient's language when the message is sent.
 */
export interface DeliveryParams {
  /** The help category (its name is shown in the recipient's language). */
  categoryId?: string;
  neighbourhoodId?: string;
  urgency?: string;
  /** When the help is wanted (epoch ms). */
  windowStart?: number;
  /** The first name of the person a request was asked for (or who was signed up), told only to whoever asked (or signed them up). */
  forName?: string;
  /** What an initiative offers (ACTIVITY, COURSE, ...), never its title: a title can say more than a person wants told. */
  initiativeKind?: string;
  /** An initiative's next date (epoch ms), if it has one; a care shift's start. */
  startsAt?: number;
  /** The care shift a message is about, so that it is checked again when the message is sent (never shown). */
  shiftId?: string;
  /** The first name of whoever invited the recipient to a care circle (CARE_INVITATION). */
  inviterName?: string;
  /** The buddy programme signal a message is about, so that it is checked again when the message is sent (never shown). */
  signalId?: string;
  /** Where something stands as a status code (ACCEPTED, DECLINED): an answer to an ask from an offer. */
  status?: string;
  /** How many (VOGs waiting for review; requests in a digest). */
  count?: number;
  /** A date as YYYY-MM-DD (the day a VOG's term ends). */
  date?: string;
  /** The requests of a daily digest: category and neighbourhood only, never a title, description or address. */
  items?: { categoryId: string; neighbourhoodId: string; urgency?: string }[];
}

/**
 * Notifications: how far the dispatcher has read the event log, one row per decided message and channel
 * (its status, attempts and schedule: the record of who was told what), and each person's preferences.
 */
export function defineNotificationTables(k: Kit, deps: PersonTables) {
  /** The durable cursor of a reader of the event log (`deliveries`: the last sequence decided on). */
  const notificationCursors = k.table("notification_cursors", {
    name: k.text("name").primaryKey(),
    seq: k.bigint("seq").notNull(),
    updatedAt: k.time("updated_at").notNull(),
  });

  const notificationDeliveries = k.table(
    "notification_deliveries",
    {
      id: k.text("id").primaryKey(),
      /**
       * The event it was decided on: with recipient, channel and kind, the key that makes deciding idempotent.
       * Null for a reminder or digest, which no event causes: its `dedupeKey` does that instead.
       */
      eventSeq: k.bigint("event_seq"),
      recipientId: k
        .text("recipient_id")
        .notNull()
        .references(() => deps.people.id),
      channel: k.text("channel").$type<NotificationChannel>().notNull(),
      kind: k.text("kind").$type<NotificationKind>().notNull(),
      /** What the message is about (a help request's or an initiative's id); the link in the message points there. */
      subjectId: k.text("subject_id").notNull(),
      params: k.json<DeliveryParams>("params").notNull(),
      /** URGENT matters are sent during quiet hours too. */
      urgent: k.bool("urgent").notNull(),
      status: k.text("status").$type<NotificationStatus>().notNull(),
      attempts: k.int("attempts").notNull(),
      /** Not sent before this time: quiet hours, or the backoff after a failed attempt. */
      nextAttemptAt: k.time("next_attempt_at").notNull(),
      /** While SENDING: the sender's lease; a lease that ran out (its process died) may be claimed again. */
      leaseUntil: k.time("lease_until"),
      /** While SENDING: the claim of the instance that sends it, so only that claim can finish it. */
      claimToken: k.text("claim_token"),
      lastError: k.text("last_error"),
      createdAt: k.time("created_at").notNull(),
      sentAt: k.time("sent_at"),
      updatedAt: k.time("updated_at").notNull(),
      /**
       * A reminder's or digest's identity (kind, what it is about, recipient, channel): unique, so however
       * many instances sweep at once, and across a crash, it is written once. Null for event deliveries.
       */
      dedupeKey: k.text("dedupe_key"),
    },
    (t) => [
      k.uniqueIndex("notification_deliveries_dedupe_idx").on(t.dedupeKey),
      k.uniqueIndex("notification_deliveries_decision_idx").on(t.eventSeq, t.recipientId, t.channel, t.kind),
      // The sender's look for work: what is due by status and time.
      k.index("notification_deliveries_due_idx").on(t.status, t.nextAttemptAt),
      // Pruning finished deliveries past the retention.
      k.index("notification_deliveries_finished_idx").on(t.status, t.updatedAt),
      // A person's history, newest first, and the daily count of new-request messages.
      k.index("notification_deliveries_recipient_idx").on(t.recipientId, t.createdAt, t.id),
    ],
  );

  const notificationPreferences = k.table("notification_preferences", {
    personId: k
      .text("person_id")
      .primaryKey()
      .references(() => deps.people.id),
    language: k.text("language").$type<"nl" | "en">().notNull(),
    /** Quiet hours as Europe/Amsterdam wall-clock times ("22:00" to "07:00"); both null: none. */
    quietStart: k.text("quiet_start"),
    quietEnd: k.text("quiet_end"),
    updatedAt: k.time("updated_at").notNull(),
    /** New fitting requests at once (IMMEDIATE, the default when null) or in one daily digest (DIGEST). */
    newRequestMode: k.text("new_request_mode").$type<NewRequestMode>(),
    /** When the daily digest goes out, Europe/Amsterdam wall clock "HH:MM"; null: the platform's default. */
    digestTime: k.text("digest_time"),
  });

  /**
   * A new fitting request kept for a volunteer's daily digest instead of a message at once: written with
   * the dispatcher's cursor, marked with the digest's day once a digest took it (or found it no longer open).
   */
  const notificationDigestItems = k.table(
    "notification_digest_items",
    {
      personId: k
        .text("person_id")
        .notNull()
        .references(() => deps.people.id),
      requestId: k.text("request_id").notNull(),
      params: k.json<DeliveryParams>("params").notNull(),
      createdAt: k.time("created_at").notNull(),
      /** The Amsterdam day (YYYY-MM-DD) of the digest that took it; null while it waits. */
      digestedOn: k.text("digested_on"),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.requestId] }), k.index("notification_digest_items_waiting_idx").on(t.digestedOn, t.personId)],
  );

  /** A person's choice for one kind on one channel; without a row the kind's default holds. */
  const notificationSwitches = k.table(
    "notification_switches",
    {
      personId: k
        .text("person_id")
        .notNull()
        .references(() => deps.people.id),
      kind: k.text("kind").$type<NotificationKind>().notNull(),
      channel: k.text("channel").$type<NotificationChannel>().notNull(),
      enabled: k.bool("enabled").notNull(),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.kind, t.channel] })],
  );

  /**
   * A browser's Web Push subscription (the push service's endpoint and the browser's keys): one person's,
   * the one signed in when the browser subscribed. An endpoint is one browser, so it is unique.
   */
  const notificationPushSubscriptions = k.table(
    "notification_push_subscriptions",
    {
      id: k.text("id").primaryKey(),
      personId: k
        .text("person_id")
        .notNull()
        .references(() => deps.people.id),
      /** The push service's URL for this browser: a secret capability, shown to its owner only. */
      endpoint: k.text("endpoint").notNull(),
      /** The browser's P-256 public key (base64url, 65 bytes) and authentication secret (base64url, 16 bytes). */
      p256dh: k.text("p256dh").notNull(),
      auth: k.text("auth").notNull(),
      createdAt: k.time("created_at").notNull(),
      /** When the push service last accepted a message for it; null: not yet. */
      lastSuccessAt: k.time("last_success_at"),
    },
    (t) => [k.uniqueIndex("notification_push_subscriptions_endpoint_idx").on(t.endpoint), k.index("notification_push_subscriptions_person_idx").on(t.personId, t.createdAt)],
  );

  /**
   * The VAPID key pair push messages are signed with when none is configured: made once by the first
   * instance that starts and shared by every instance (subscriptions are bound to the public key).
   */
  const notificationVapidKeys = k.table("notification_vapid_keys", {
    name: k.text("name").primaryKey(),
    publicKey: k.text("public_key").notNull(),
    privateKey: k.text("private_key").notNull(),
    createdAt: k.time("created_at").notNull(),
  });

  return {
    notificationCursors,
    notificationDeliveries,
    notificationPreferences,
    notificationSwitches,
    notificationPushSubscriptions,
    notificationVapidKeys,
    notificationDigestItems,
  };
}

export type NotificationTables = ReturnType<typeof defineNotificationTables>;
