import { and, asc, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonTables } from "../people/person.tables.js";
import type { NotificationTables } from "./notifications.tables.js";

/** The database as Web Push sees it: the subscriptions, the shared VAPID keys, and the people they belong to. */
export type PushDatabase = Database<Pick<NotificationTables, "notificationPushSubscriptions" | "notificationVapidKeys"> & PersonTables>;

export type PushSubscriptionRow = NotificationTables["notificationPushSubscriptions"]["$inferSelect"];

/** The name of the one shared VAPID key pair. */
const VAPID_KEYS = "vapid";

/** SQL of Web Push: subscriptions per person and the shared VAPID keys. No rules here. */
export class PushRepository {
  constructor(private readonly db: PushDatabase) {}

  /**
   * The VAPID key pair every instance signs with: `candidate` is stored when there is none yet (the first
   * instance to start), and whatever is stored is returned, so instances starting at once agree.
   */
  async sharedVapidKeys(candidate: { publicKey: string; privateKey: string }, at: Date): Promise<{ publicKey: string; privateKey: string }> {
    const k = this.db.tables.notificationVapidKeys;
    await this.db.transaction(async (tx) => {
      await tx
        .insert(k)
        .values({ name: VAPID_KEYS, ...candidate, createdAt: at })
        .onConflictDoNothing();
    });
    const rows = await this.db.read.select({ publicKey: k.publicKey, privateKey: k.privateKey }).from(k).where(eq(k.name, VAPID_KEYS));
    return rows[0];
  }

  /** A person's subscriptions, newest first. */
  async ofPerson(personId: string): Promise<PushSubscriptionRow[]> {
    const s = this.db.tables.notificationPushSubscriptions;
    return this.db.read.select().from(s).where(eq(s.personId, personId)).orderBy(desc(s.createdAt), desc(s.id));
  }

  /**
   * Stores a subscription for a person. An endpoint stored before (the same browser) is taken over with
   * its new keys, from whoever had it: a browser is one person's at a time. Then the person keeps at most
   * `keep` subscriptions: those longest without a success (then the oldest) go. One transaction.
   */
  async subscribe(row: PushSubscriptionRow, keep: number): Promise<PushSubscriptionRow> {
    const s = this.db.tables.notificationPushSubscriptions;
    return this.db.transaction(async (tx) => {
      const [stored] = await tx
        .insert(s)
        .values(row)
        .onConflictDoUpdate({ target: s.endpoint, set: { personId: row.personId, p256dh: row.p256dh, auth: row.auth, createdAt: row.createdAt, lastSuccessAt: null } })
        .returning();
      const kept = await tx
        .select({ id: s.id })
        .from(s)
        .where(eq(s.personId, row.personId))
        .orderBy(desc(sql`coalesce(${s.lastSuccessAt}, ${s.createdAt})`), desc(s.createdAt), asc(s.id))
        .limit(keep);
      await tx.delete(s).where(
        and(
          eq(s.personId, row.personId),
          notInArray(
            s.id,
            kept.map((k) => k.id),
          ),
        ),
      );
      return stored;
    });
  }

  /** Removes a person's subscription by its endpoint; whether there was one. */
  async unsubscribe(personId: string, endpoint: string): Promise<boolean> {
    const s = this.db.tables.notificationPushSubscriptions;
    const rows = await this.db.transaction(async (tx) =>
      tx
        .delete(s)
        .where(and(eq(s.personId, personId), eq(s.endpoint, endpoint)))
        .returning({ id: s.id }),
    );
    return rows.length > 0;
  }

  /** Removes subscriptions the push service says are gone (404, 410). */
  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const s = this.db.tables.notificationPushSubscriptions;
    await this.db.transaction(async (tx) => {
      await tx.delete(s).where(inArray(s.id, ids));
    });
  }

  /** Notes that the push service accepted a message for these subscriptions. */
  async succeeded(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    const s = this.db.tables.notificationPushSubscriptions;
    await this.db.transaction(async (tx) => {
      await tx.update(s).set({ lastSuccessAt: at }).where(inArray(s.id, ids));
    });
  }
}
