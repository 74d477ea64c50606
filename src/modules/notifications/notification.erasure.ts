import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { NotificationTables } from "./notifications.tables.js";

/** The notifications module's part of an erasure: preferences, switches, push subscriptions, waiting digest items and the messages to the person go. */
export function notificationEraser(db: Database<NotificationTables>): PersonalDataEraser {
  return {
    section: "notifications",
    async erase(personId) {
      const { notificationPreferences: p, notificationSwitches: s, notificationPushSubscriptions: push, notificationDigestItems: d, notificationDeliveries: m } = db.tables;
      return db.transaction(async (tx) => {
        const prefs = await tx.delete(p).where(eq(p.personId, personId)).returning({ p: p.personId });
        const switches = await tx.delete(s).where(eq(s.personId, personId)).returning({ p: s.personId });
        const subscriptions = await tx.delete(push).where(eq(push.personId, personId)).returning({ id: push.id });
        const digest = await tx.delete(d).where(eq(d.personId, personId)).returning({ p: d.personId });
        const messages = await tx.delete(m).where(eq(m.recipientId, personId)).returning({ id: m.id });
        return {
          erased: [
            erasedLine("notification preferences", prefs.length),
            erasedLine("notification switches", switches.length),
            erasedLine("push subscriptions", subscriptions.length),
            erasedLine("waiting digest items", digest.length),
            erasedLine("messages to you", messages.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
