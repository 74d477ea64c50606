import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { NotificationTables } from "./notifications.tables.js";

/**
 * The notifications module's part of a data export: what was sent (or is due) to the person, by kind,
 * channel and status, and their preferences. A delivery's parameters are left out: they describe the
 * request or initiative it was about (which the person sees through the link), and may name the
 * person helped. The same holds for the requests kept for the person's daily digest: which request, when
 * it was kept and which day's digest took it.
 *
 * Of a Web Push subscription the file gives the push service's origin, not the endpoint URL: the URL is
 * a capability (together with the server's VAPID key it reaches that browser), and the file may be
 * downloaded by a coordinator on the person's behalf and is kept for hours. The person sees the full URL
 * in the app (`myPushSubscriptions`), where only they can read it. The browser's keys are never exported.
 */
export function notificationExporter(db: Database<NotificationTables>): PersonalDataExporter {
  return {
    section: "notifications",
    tables: ["notificationDeliveries", "notificationPreferences", "notificationSwitches", "notificationDigestItems", "notificationPushSubscriptions"],
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
      const digest = await db.read
        .select({ requestId: t.notificationDigestItems.requestId, createdAt: t.notificationDigestItems.createdAt, digestedOn: t.notificationDigestItems.digestedOn })
        .from(t.notificationDigestItems)
        .where(eq(t.notificationDigestItems.personId, personId))
        .orderBy(asc(t.notificationDigestItems.createdAt), asc(t.notificationDigestItems.requestId));
      const push = await db.read
        .select({
          id: t.notificationPushSubscriptions.id,
          endpoint: t.notificationPushSubscriptions.endpoint,
          createdAt: t.notificationPushSubscriptions.createdAt,
          lastSuccessAt: t.notificationPushSubscriptions.lastSuccessAt,
        })
        .from(t.notificationPushSubscriptions)
        .where(eq(t.notificationPushSubscriptions.personId, personId))
        .orderBy(asc(t.notificationPushSubscriptions.createdAt), asc(t.notificationPushSubscriptions.id));
      return {
        deliveries: deliveries.map((x) => ({ ...x, createdAt: iso(x.createdAt), sentAt: iso(x.sentAt) })),
        preferences: preferences
          ? {
              language: preferences.language,
              quietStart: preferences.quietStart,
              quietEnd: preferences.quietEnd,
              newRequestMode: preferences.newRequestMode,
              digestTime: preferences.digestTime,
              updatedAt: iso(preferences.updatedAt),
            }
          : null,
        switches: switches.map((s) => ({ kind: s.kind, channel: s.channel, enabled: s.enabled, updatedAt: iso(s.updatedAt) })),
        digestItems: digest.map((x) => ({ requestId: x.requestId, keptAt: iso(x.createdAt), digestedOn: x.digestedOn })),
        pushSubscriptions: push.map((x) => ({ id: x.id, endpointOrigin: originOf(x.endpoint), createdAt: iso(x.createdAt), lastSuccessAt: iso(x.lastSuccessAt) })),
      };
    },
  };
}

/** The scheme, host and port of a push endpoint: which push service, without the browser's path. */
function originOf(endpoint: string): string | null {
  try {
    return new URL(endpoint).origin;
  } catch {
    return null;
  }
}
