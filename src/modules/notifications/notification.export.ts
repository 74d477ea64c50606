import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { NotificationTables } from "./notifications.tables.js";

/**
 * The notifications module's part of a data export: what was sent (or is due) to the person, by kind,
 * channel and status, and their preferences. A delivery's parameters are left out: they describe the
 * request or initiative it was about (which the person sees through the link), and may name the
 * person helped.
 */
export function notificationExporter(db: Database<NotificationTables>): PersonalDataExporter {
  return {
    section: "notifications",
    tables: ["notificationDeliveries", "notificationPreferences", "notificationSwitches"],
    async export(personId) {
      const t = db.tables;
      const d = t.notificationDeliveries;
      const deliveries = await db.read
        .select({
          id: d.id,
          kind: d.kind,
          channel: d.channel,
          subjectId: d.subjectId,
          urgent: d.urgent,
          status: d.status,
          attempts: d.attempts,
          createdAt: d.createdAt,
          sentAt: d.sentAt,
        })
        .from(d)
        .where(eq(d.recipientId, personId))
        .orderBy(asc(d.createdAt), asc(d.id));
      const [preferences] = await db.read.select().from(t.notificationPreferences).where(eq(t.notificationPreferences.personId, personId));
      const switches = await db.read.select().from(t.notificationSwitches).where(eq(t.notificationSwitches.personId, personId));
      return {
        deliveries: deliveries.map((x) => ({ ...x, createdAt: iso(x.createdAt), sentAt: iso(x.sentAt) })),
        preferences: preferences
          ? { language: preferences.language, quietStart: preferences.quietStart, quietEnd: preferences.quietEnd, updatedAt: iso(preferences.updatedAt) }
          : null,
        switches: switches.map((s) => ({ kind: s.kind, channel: s.channel, enabled: s.enabled, updatedAt: iso(s.updatedAt) })),
      };
    },
  };
}
