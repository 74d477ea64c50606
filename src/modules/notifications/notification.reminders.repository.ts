import { and, count, eq, gt, gte, inArray, isNotNull, isNull, lt, lte } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { Rollback, outcomeOf } from "../../db/rollback.js";
import type { CareTables } from "../care/care.tables.js";
import type { EscalationTables } from "../escalation/escalation.tables.js";
import type { HelpRequestTables } from "../help-requests/help-request.tables.js";
import type { PersonTables } from "../people/person.tables.js";
import type { VolunteerTables } from "../volunteers/volunteer.tables.js";
import type { NewDelivery } from "./notification.repository.js";
import type { NotificationTables } from "./notifications.tables.js";

/** What the reminder and digest sweeps read: notifications' tables and the rows a reminder is about. */
export type ReminderDatabase = Database<
  NotificationTables &
    PersonTables &
    Pick<VolunteerTables, "volunteerProfiles"> &
    Pick<HelpRequestTables, "helpRequests"> &
    Pick<EscalationTables, "escalations"> &
    Pick<CareTables, "careShifts" | "careMembers">
>;

/** A digest item waiting for its volunteer's digest. */
export interface WaitingItem {
  personId: string;
  requestId: string;
  params: NewDelivery["params"];
  createdAt: Date;
}

/** Rows written per INSERT: well under PostgreSQL's limit of parameters per statement. */
const INSERT_CHUNK = 500;

/**
 * SQL of the time-driven notifications: the rows a reminder is about (requests whose window nears,
 * VOGs, shifts, overdue cases), the people told, and writing reminders and digests once by their
 * dedupe key. No rules here: notification.reminders.ts and notification.digest.ts decide.
 */
export class ReminderRepository {
  constructor(private readonly db: ReminderDatabase) {}

  /** Requests a volunteer holds (MATCHED, not started) whose window starts after `from` and by `to`. */
  async heldStarting(from: Date, to: Date) {
    const r = this.db.tables.helpRequests;
    return this.db.read
      .select({ id: r.id, volunteerId: r.volunteerId, windowStart: r.windowStart, categoryId: r.categoryId, urgency: r.urgency })
      .from(r)
      .where(and(eq(r.status, "MATCHED"), isNotNull(r.volunteerId), gt(r.windowStart, from), lte(r.windowStart, to)));
  }

  /** Verified VOGs issued after `after` and on or before `through` (dates as YYYY-MM-DD, which sort as text). */
  async verifiedVogsIssued(after: string, through: string): Promise<{ personId: string; issuedOn: string }[]> {
    const v = this.db.tables.volunteerProfiles;
    const rows = await this.db.read
      .select({ personId: v.personId, issuedOn: v.vogIssuedOn })
      .from(v)
      .where(and(eq(v.vogStatus, "VERIFIED"), isNotNull(v.vogIssuedOn), gt(v.vogIssuedOn, after), lte(v.vogIssuedOn, through)));
    return rows.map((r) => ({ personId: r.personId, issuedOn: r.issuedOn! }));
  }

  /** Shifts held (COVERED) by a member still in the circle, starting in [from, to). */
  async heldShiftsStarting(from: Date, to: Date) {
    const s = this.db.tables.careShifts;
    const m = this.db.tables.careMembers;
    return this.db.read
      .select({ id: s.id, circleId: s.circleId, assigneeId: m.personId, startsAt: s.startsAt })
      .from(s)
      .innerJoin(m, and(eq(m.circleId, s.circleId), eq(m.personId, s.assigneeId), isNull(m.leftAt)))
      .where(and(eq(s.status, "COVERED"), gte(s.startsAt, from), lt(s.startsAt, to)));
  }

  /** Cases still NEW whose acknowledge-by passed, after `since` and before `now`. */
  async overdueEscalations(since: Date, now: Date) {
    const e = this.db.tables.escalations;
    return this.db.read
      .select({ id: e.id, leadTeamId: e.leadTeamId, urgency: e.urgency })
      .from(e)
      .where(and(eq(e.status, "NEW"), lt(e.acknowledgeBy, now), gte(e.acknowledgeBy, since)));
  }

  /** The professionals working in these teams now. */
  async teamMembers(teamIds: readonly string[]): Promise<{ personId: string; teamId: string }[]> {
    if (teamIds.length === 0) return [];
    const p = this.db.tables.people;
    const r = this.db.tables.personRoles;
    const rows = await this.db.read
      .select({ personId: p.id, teamId: p.teamId })
      .from(p)
      .innerJoin(r, and(eq(r.personId, p.id), eq(r.role, "PROFESSIONAL")))
      .where(inArray(p.teamId, [...teamIds]));
    return rows.map((x) => ({ personId: x.personId, teamId: x.teamId! }));
  }

  async coordinators(): Promise<string[]> {
    const r = this.db.tables.personRoles;
    const rows = await this.db.read.select({ id: r.personId }).from(r).where(eq(r.role, "COORDINATOR"));
    return rows.map((x) => x.id);
  }

  /** VOGs declared and waiting for a coordinator's review. */
  async pendingVogs(): Promise<number> {
    const v = this.db.tables.volunteerProfiles;
    const rows = await this.db.read.select({ n: count() }).from(v).where(eq(v.vogStatus, "PENDING"));
    return Number(rows[0]?.n ?? 0);
  }

  /** Which of these dedupe keys were written already. */
  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    const d = this.db.tables.notificationDeliveries;
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
      const rows = await this.db.read
        .select({ key: d.dedupeKey })
        .from(d)
        .where(inArray(d.dedupeKey, keys.slice(i, i + INSERT_CHUNK)));
      for (const r of rows) if (r.key) found.add(r.key);
    }
    return found;
  }

  /** Writes reminders; one whose dedupe key exists (another instance, an earlier sweep) is left as it is. */
  async writeOnce(deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const d = this.db.tables.notificationDeliveries;
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
        await tx
          .insert(d)
          .values(deliveries.slice(i, i + INSERT_CHUNK))
          .onConflictDoNothing();
      }
    });
  }

  // -- the daily digest ----------------------------------------------------------------------------------

  /** People who chose the daily digest, with their time (null: the default). */
  async digestPeople(): Promise<{ personId: string; digestTime: string | null }[]> {
    const p = this.db.tables.notificationPreferences;
    return this.db.read.select({ personId: p.personId, digestTime: p.digestTime }).from(p).where(eq(p.newRequestMode, "DIGEST"));
  }

  /** These people's items no digest took yet, kept before `before`. */
  async waitingItems(personIds: readonly string[], before: Date): Promise<WaitingItem[]> {
    const i = this.db.tables.notificationDigestItems;
    const out: WaitingItem[] = [];
    for (let n = 0; n < personIds.length; n += INSERT_CHUNK) {
      out.push(
        ...(await this.db.read
          .select({ personId: i.personId, requestId: i.requestId, params: i.params, createdAt: i.createdAt })
          .from(i)
          .where(and(inArray(i.personId, personIds.slice(n, n + INSERT_CHUNK)), isNull(i.digestedOn), lt(i.createdAt, before)))),
      );
    }
    return out;
  }

  /** Which of these requests are still OPEN. */
  async openRequests(ids: readonly string[]): Promise<Set<string>> {
    const r = this.db.tables.helpRequests;
    const open = new Set<string>();
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await this.db.read
        .select({ id: r.id })
        .from(r)
        .where(and(inArray(r.id, ids.slice(i, i + INSERT_CHUNK)), eq(r.status, "OPEN")));
      for (const x of rows) open.add(x.id);
    }
    return open;
  }

  /** Deletes digest items kept before `before` (taken by a digest or not: a request that old is no news); returns how many. */
  async pruneDigestItems(before: Date): Promise<number> {
    const i = this.db.tables.notificationDigestItems;
    const rows = await this.db.transaction(async (tx) => tx.delete(i).where(lt(i.createdAt, before)).returning({ id: i.requestId }));
    return rows.length;
  }

  /**
   * Writes one day's digest and marks the items it took (and those no longer open) with that day, in
   * one transaction. When its dedupe key exists already (another instance was first), nothing is kept:
   * false.
   */
  async commitDigest(personId: string, day: string, requestIds: readonly string[], deliveries: NewDelivery[]): Promise<boolean> {
    const t = this.db.tables;
    return outcomeOf<boolean, boolean>(() =>
      this.db.transaction(async (tx) => {
        if (deliveries.length > 0) {
          const written = await tx.insert(t.notificationDeliveries).values(deliveries).onConflictDoNothing().returning({ id: t.notificationDeliveries.id });
          if (written.length < deliveries.length) throw new Rollback(false);
        }
        if (requestIds.length > 0) {
          await tx
            .update(t.notificationDigestItems)
            .set({ digestedOn: day })
            .where(
              and(eq(t.notificationDigestItems.personId, personId), inArray(t.notificationDigestItems.requestId, [...requestIds]), isNull(t.notificationDigestItems.digestedOn)),
            );
        }
        return true;
      }),
    );
  }
}
