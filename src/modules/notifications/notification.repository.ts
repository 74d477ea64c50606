import { type SQL, and, asc, countDistinct, desc, eq, gt, gte, inArray, isNotNull, lt, lte, max, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { afterKey } from "../../db/keyset.js";
import { Rollback, outcomeOf } from "../../db/rollback.js";
import { type CursorKey, type Page, toPage } from "../../shared/pagination.js";
import type { CareTables } from "../care/care.tables.js";
import type { EscalationTables } from "../escalation/escalation.tables.js";
import type { BuddyTables } from "../buddies/buddies.tables.js";
import type { OfferTables } from "../offers/offer.tables.js";
import type { InitiativeTables, SignupStatus } from "../initiatives/initiative.tables.js";
import type { ApiClientTables } from "../api-clients/api-client.tables.js";
import type { WebhookTables } from "../webhooks/webhooks.tables.js";
import type { PersonTables } from "../people/person.tables.js";
import type { VolunteerTables } from "../volunteers/volunteer.tables.js";
import type { Language, NewRequestMode, NotificationChannel, NotificationKind, NotificationStatus } from "./notification.kinds.js";
import { BuddyReads } from "./notification.buddy-reads.js";
import { OfferReads } from "./notification.offer-reads.js";
import { SubjectReads } from "./notification.subject-reads.js";
import { ThreadReads } from "./notification.thread-reads.js";
import type { NotificationTables } from "./notifications.tables.js";

/** The database as notifications see it: their own tables, and the people, volunteer profiles, sign-ups, care circles and team cases they address. */
export type NotificationDatabase = Database<
  NotificationTables &
    PersonTables &
    VolunteerTables &
    Pick<InitiativeTables, "initiativeSignups"> &
    Pick<CareTables, "careShifts" | "careSwaps" | "careMembers" | "careInvitations" | "careMessages"> &
    Pick<EscalationTables, "escalations" | "escalationAudit"> &
    Pick<ApiClientTables, "apiClients"> &
    Pick<WebhookTables, "webhookEndpoints"> &
    Pick<OfferTables, "offers" | "offerAsks"> &
    Pick<BuddyTables, "buddyProgrammes" | "buddyProgrammeCoordinators" | "buddySignals"> &
    Pick<InitiativeTables, "organisationMembers">
>;

export type DeliveryRow = NotificationTables["notificationDeliveries"]["$inferSelect"];
export type NewDelivery = NotificationTables["notificationDeliveries"]["$inferInsert"];
export type PreferencesRow = NotificationTables["notificationPreferences"]["$inferSelect"];
/** A new fitting request kept for a volunteer's daily digest. */
export type NewDigestItem = NotificationTables["notificationDigestItems"]["$inferInsert"];

/** An entry of the event log as the dispatcher reads it: every topic, in sequence (commit) order. */
export interface LogEntry {
  seq: number;
  topic: string;
  id: string;
  kind: string;
  at: Date;
}

/** A person as a message addresses them, with their preferences (absent: the defaults). */
export interface RecipientRow {
  id: string;
  firstName: string;
  email: string | null;
  /** Has a browser subscribed to Web Push. */
  push: boolean;
  /** Has a password: can sign in to read the rest. Someone without an account is reached through whoever asked. */
  hasAccount: boolean;
  language: Language | null;
  quietStart: string | null;
  quietEnd: string | null;
  /** IMMEDIATE (also when null) or DIGEST: how new fitting requests reach them. */
  newRequestMode: NewRequestMode | null;
  digestTime: string | null;
}

export interface SwitchRow {
  personId: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  enabled: boolean;
}

/** The outcome of one claimed delivery, recorded by the claim's token (NotificationRepository.finishAll). */
export interface FinishedDelivery {
  id: string;
  token: string;
  outcome: { status: NotificationStatus; at: Date; sentAt?: Date; nextAttemptAt?: Date; lastError?: string | null };
}

/** Rows written per INSERT: well under PostgreSQL's limit of parameters per statement. */
const INSERT_CHUNK = 500;

/** SQL of notifications: the cursor, deliveries (decided, claimed, finished), preferences. No rules here. */
export class NotificationRepository {
  /** What deciding reads of care circles, team cases, asks from offers, circles' threads and buddy signals (files of their own). */
  readonly subjects: SubjectReads;
  readonly offers: OfferReads;
  readonly threads: ThreadReads;
  readonly buddies: BuddyReads;

  constructor(private readonly db: NotificationDatabase) {
    this.subjects = new SubjectReads(db);
    this.offers = new OfferReads(db);
    this.threads = new ThreadReads(db);
    this.buddies = new BuddyReads(db);
  }

  // -- the cursor over the event log ------------------------------------------------------------------

  /** Creates the cursor at the end of the log when it does not exist (a new deployment is not told its history). */
  async ensureCursor(name: string, at: Date): Promise<void> {
    const t = this.db.tables;
    const newest = await this.db.read.select({ seq: max(t.eventLog.seq) }).from(t.eventLog);
    await this.db.transaction(async (tx) => {
      await tx
        .insert(t.notificationCursors)
        .values({ name, seq: Number(newest[0]?.seq ?? 0), updatedAt: at })
        .onConflictDoNothing();
    });
  }

  async cursor(name: string): Promise<number | undefined> {
    const c = this.db.tables.notificationCursors;
    const rows = await this.db.read.select({ seq: c.seq }).from(c).where(eq(c.name, name));
    return rows[0] ? Number(rows[0].seq) : undefined;
  }

  /** Events after `seq` on every topic, in sequence order, which is the order they committed in. */
  async eventsAfter(seq: number, limit: number): Promise<LogEntry[]> {
    const e = this.db.tables.eventLog;
    return this.db.read.select({ seq: e.seq, topic: e.topic, id: e.entityId, kind: e.kind, at: e.at }).from(e).where(gt(e.seq, seq)).orderBy(asc(e.seq)).limit(limit);
  }

  /**
   * Moves the cursor from `from` to `to` and writes the deliveries decided for the events in between, in
   * one transaction: both happen or neither. The cursor moves only from where it was read, so when
   * another instance decided the same events first, nothing is written (false). A delivery decided
   * before (same event, recipient, channel and kind) is left as it is; so is a digest item kept before.
   */
  async commitDecisions(name: string, from: number, to: number, deliveries: NewDelivery[], at: Date, digestItems: NewDigestItem[] = []): Promise<boolean> {
    const t = this.db.tables;
    return outcomeOf<boolean, boolean>(() =>
      this.db.transaction(async (tx) => {
        const moved = await tx
          .update(t.notificationCursors)
          .set({ seq: to, updatedAt: at })
          .where(and(eq(t.notificationCursors.name, name), eq(t.notificationCursors.seq, from)))
          .returning({ seq: t.notificationCursors.seq });
        if (moved.length === 0) throw new Rollback(false);
        for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
          await tx
            .insert(t.notificationDeliveries)
            .values(deliveries.slice(i, i + INSERT_CHUNK))
            .onConflictDoNothing();
        }
        for (let i = 0; i < digestItems.length; i += INSERT_CHUNK) {
          await tx
            .insert(t.notificationDigestItems)
            .values(digestItems.slice(i, i + INSERT_CHUNK))
            .onConflictDoNothing();
        }
        return true;
      }),
    );
  }

  // -- what deciding reads -----------------------------------------------------------------------------

  /** Volunteers whose profile covers a neighbourhood and a category (the fit rule itself is the help-request module's). */
  async volunteersCovering(neighbourhoodId: string, categoryId: string): Promise<string[]> {
    const t = this.db.tables;
    const rows = await this.db.read
      .select({ id: t.volunteerNeighbourhoods.personId })
      .from(t.volunteerNeighbourhoods)
      .innerJoin(t.volunteerCategories, and(eq(t.volunteerCategories.personId, t.volunteerNeighbourhoods.personId), eq(t.volunteerCategories.categoryId, categoryId)))
      .innerJoin(t.personRoles, and(eq(t.personRoles.personId, t.volunteerNeighbourhoods.personId), eq(t.personRoles.role, "VOLUNTEER")))
      .where(eq(t.volunteerNeighbourhoods.neighbourhoodId, neighbourhoodId));
    return rows.map((r) => r.id);
  }

  /** Who is signed up to an initiative (confirmed or waiting) and who signed them up. */
  async activeSignups(initiativeId: string): Promise<{ personId: string; signedUpById: string; status: SignupStatus }[]> {
    const s = this.db.tables.initiativeSignups;
    return this.db.read
      .select({ personId: s.personId, signedUpById: s.signedUpById, status: s.status })
      .from(s)
      .where(and(eq(s.initiativeId, initiativeId), inArray(s.status, ["CONFIRMED", "WAITLISTED"])));
  }

  /** Whom the newest pending swap of a shift asks to take it over, and who asked. */
  async pendingSwap(shiftId: string): Promise<{ fromId: string; toId: string } | undefined> {
    const w = this.db.tables.careSwaps;
    const rows = await this.db.read
      .select({ fromId: w.fromId, toId: w.toId })
      .from(w)
      .where(and(eq(w.shiftId, shiftId), eq(w.status, "PENDING")))
      .orderBy(desc(w.createdAt))
      .limit(1);
    return rows[0];
  }

  async recipients(ids: readonly string[]): Promise<RecipientRow[]> {
    if (ids.length === 0) return [];
    const t = this.db.tables;
    const p = t.people;
    const pref = t.notificationPreferences;
    const rows = await this.db.read
      .select({
        id: p.id,
        firstName: p.firstName,
        email: p.email,
        passwordHash: p.passwordHash,
        language: pref.language,
        quietStart: pref.quietStart,
        quietEnd: pref.quietEnd,
        push: sql<unknown>`exists (select 1 from ${t.notificationPushSubscriptions} where ${t.notificationPushSubscriptions.personId} = ${p.id})`,
        newRequestMode: pref.newRequestMode,
        digestTime: pref.digestTime,
      })
      .from(p)
      .leftJoin(pref, eq(pref.personId, p.id))
      .where(inArray(p.id, [...ids]));
    return rows.map(({ passwordHash, push, ...r }) => ({ ...r, push: push === true || push === 1 || push === "1" || push === "t", hasAccount: passwordHash !== null }));
  }

  async switches(ids: readonly string[]): Promise<SwitchRow[]> {
    if (ids.length === 0) return [];
    const s = this.db.tables.notificationSwitches;
    return this.db.read
      .select({ personId: s.personId, kind: s.kind, channel: s.channel, enabled: s.enabled })
      .from(s)
      .where(inArray(s.personId, [...ids]));
  }

  /** How many messages of `kind` each person was decided to get since `since` (one per event, whatever the channels). */
  async countsSince(ids: readonly string[], kind: NotificationKind, since: Date): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const d = this.db.tables.notificationDeliveries;
    const rows = await this.db.read
      .select({ id: d.recipientId, n: countDistinct(d.eventSeq) })
      .from(d)
      .where(and(inArray(d.recipientId, [...ids]), eq(d.kind, kind), gte(d.createdAt, since)))
      .groupBy(d.recipientId);
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }

  // -- sending -----------------------------------------------------------------------------------------

  /** Deliveries due at `now`: waiting and due, or claimed by a sender whose lease ran out. */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const d = this.db.tables.notificationDeliveries;
    const rows = await this.db.read.select({ id: d.id }).from(d).where(this.due(now)).orderBy(asc(d.nextAttemptAt)).limit(limit);
    return rows.map((r) => r.id);
  }

  private due(now: Date): SQL {
    const d = this.db.tables.notificationDeliveries;
    return or(and(inArray(d.status, ["PENDING", "FAILED"]), lte(d.nextAttemptAt, now)), and(eq(d.status, "SENDING"), isNotNull(d.leaseUntil), lte(d.leaseUntil, now)))!;
  }

  /**
   * Claims deliveries for one sender: one conditional UPDATE that takes only rows still due, so of two
   * instances claiming the same rows each row goes to one of them (PostgreSQL re-checks the condition on
   * the row it waited for; SQLite has one writer). Counts the attempt.
   */
  async claim(ids: string[], now: Date, leaseUntil: Date, token: string): Promise<DeliveryRow[]> {
    if (ids.length === 0) return [];
    const d = this.db.tables.notificationDeliveries;
    return this.db.transaction(async (tx) =>
      tx
        .update(d)
        .set({ status: "SENDING", claimToken: token, leaseUntil, attempts: sql`${d.attempts} + 1`, updatedAt: now })
        .where(and(inArray(d.id, ids), this.due(now)))
        .returning(),
    );
  }

  /**
   * Records the outcomes of claimed deliveries, all in one transaction: a round of sending commits
   * once, not once per message (on SQLite every commit waits for the disk). An outcome is written only
   * while the claim is still the sender's; returns the ids whose claim was not (any more).
   */
  async finishAll(outcomes: readonly FinishedDelivery[]): Promise<Set<string>> {
    const lost = new Set<string>();
    if (outcomes.length === 0) return lost;
    const d = this.db.tables.notificationDeliveries;
    await this.db.transaction(async (tx) => {
      for (const { id, token, outcome } of outcomes) {
        const rows = await tx
          .update(d)
          .set({
            status: outcome.status,
            leaseUntil: null,
            claimToken: null,
            updatedAt: outcome.at,
            ...(outcome.sentAt ? { sentAt: outcome.sentAt } : {}),
            ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
            ...(outcome.lastError !== undefined ? { lastError: outcome.lastError } : {}),
          })
          .where(and(eq(d.id, id), eq(d.status, "SENDING"), eq(d.claimToken, token)))
          .returning({ id: d.id });
        if (rows.length === 0) lost.add(id);
      }
    });
    return lost;
  }

  /** A DEAD delivery back to PENDING, due now, with its attempts counted afresh; undefined when it is not DEAD. */
  async revive(id: string, now: Date): Promise<DeliveryRow | undefined> {
    const d = this.db.tables.notificationDeliveries;
    const rows = await this.db.transaction(async (tx) =>
      tx
        .update(d)
        .set({ status: "PENDING", attempts: 0, nextAttemptAt: now, leaseUntil: null, claimToken: null, updatedAt: now })
        .where(and(eq(d.id, id), eq(d.status, "DEAD")))
        .returning(),
    );
    return rows[0];
  }

  /** Deletes SENT, SKIPPED and DEAD deliveries last changed before `before`; returns how many. */
  async pruneFinished(before: Date): Promise<number> {
    const d = this.db.tables.notificationDeliveries;
    const rows = await this.db.transaction(async (tx) =>
      tx
        .delete(d)
        .where(and(inArray(d.status, ["SENT", "SKIPPED", "DEAD"]), lt(d.updatedAt, before)))
        .returning({ id: d.id }),
    );
    return rows.length;
  }

  // -- reading deliveries ------------------------------------------------------------------------------

  async find(id: string): Promise<DeliveryRow | undefined> {
    const d = this.db.tables.notificationDeliveries;
    const rows = await this.db.read.select().from(d).where(eq(d.id, id)).limit(1);
    return rows[0];
  }

  /** A person's deliveries, newest first. */
  listForRecipient(personId: string, after: CursorKey | null, limit: number, scope: string): Promise<Page<DeliveryRow>> {
    return this.list(eq(this.db.tables.notificationDeliveries.recipientId, personId), after, limit, scope);
  }

  /** Deliveries in one status (DEAD: the dead letters), newest first. */
  listInStatus(status: NotificationStatus, after: CursorKey | null, limit: number, scope: string): Promise<Page<DeliveryRow>> {
    return this.list(eq(this.db.tables.notificationDeliveries.status, status), after, limit, scope);
  }

  private async list(where: SQL, after: CursorKey | null, limit: number, scope: string): Promise<Page<DeliveryRow>> {
    const d = this.db.tables.notificationDeliveries;
    const rows = await this.db.read
      .select()
      .from(d)
      .where(after ? and(where, afterKey(d.createdAt, d.id, after, "desc")) : where)
      .orderBy(desc(d.createdAt), desc(d.id))
      .limit(limit + 1);
    return toPage(rows, limit, after !== null, (r) => r.createdAt.getTime(), scope);
  }

  // -- preferences -------------------------------------------------------------------------------------

  async preferences(personId: string): Promise<PreferencesRow | undefined> {
    const p = this.db.tables.notificationPreferences;
    const rows = await this.db.read.select().from(p).where(eq(p.personId, personId));
    return rows[0];
  }

  /** Stores a person's preferences and switches in one transaction (a switch not named keeps its value). */
  async savePreferences(
    personId: string,
    prefs: { language: Language; quietStart: string | null; quietEnd: string | null; newRequestMode?: NewRequestMode; digestTime?: string | null },
    switches: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean }[],
    at: Date,
  ): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx
        .insert(t.notificationPreferences)
        .values({ personId, ...prefs, updatedAt: at })
        .onConflictDoUpdate({ target: t.notificationPreferences.personId, set: { ...prefs, updatedAt: at } });
      for (const s of switches) await this.upsertSwitch(tx, personId, s, at);
    });
  }

  /** One switch (the one-click unsubscribe). */
  async setSwitch(personId: string, s: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean }, at: Date): Promise<void> {
    await this.db.transaction((tx) => this.upsertSwitch(tx, personId, s, at));
  }

  private async upsertSwitch(
    tx: Parameters<Parameters<NotificationDatabase["transaction"]>[0]>[0],
    personId: string,
    s: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean },
    at: Date,
  ): Promise<void> {
    const w = this.db.tables.notificationSwitches;
    await tx
      .insert(w)
      .values({ personId, ...s, updatedAt: at })
      .onConflictDoUpdate({ target: [w.personId, w.kind, w.channel], set: { enabled: s.enabled, updatedAt: at } });
  }
}
