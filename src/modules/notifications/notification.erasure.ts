import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { PersonTables } from "../people/person.tables.js";
import type { NotificationTables } from "./notifications.tables.js";

/** The notifications module's part of an erasure: preferences, switches, push subscriptions, waiting digest items and the messages to the person go; messages to others lose the person's first name. */
export function notificationEraser(db: Database<NotificationTables & PersonTables>): PersonalDataEraser {
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
        // Messages to others name the person they are for by first name: it goes from them too. Run
        // before the person row is pseudonymised, so the name is still there to be found.
        const [person] = await tx.select({ firstName: db.tables.people.firstName }).from(db.tables.people).where(eq(db.tables.people.id, personId));
        const forName = db.dialect === "postgres" ? sql`${m.params}->>'forName'` : sql`json_extract(${m.params}, '$.forName')`;
        const named = person
          ? await tx
              .update(m)
              .set({ params: sql`${db.dialect === "postgres" ? sql`${m.params} - 'forName'` : sql`json_remove(${m.params}, '$.forName')`}` })
              .where(sql`${forName} = ${person.firstName}`)
              .returning({ id: m.id })
          : [];
        return {
          erased: [
            erasedLine("notification preferences", prefs.length),
            erasedLine("notification switches", switches.length),
            erasedLine("push subscriptions", subscriptions.length),
            erasedLine("waiting digest items", digest.length),
            erasedLine("messages to you", messages.length),
            erasedLine("your first name in messages to others", named.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
