import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { WebhookTables } from "./webhooks.tables.js";

/**
 * The webhooks module's part of a data export: the endpoints the person registered for a partner app,
 * with where they point, what they receive and where they stand. Never the signing secret nor the one
 * before a rotation: with it anyone could sign messages the partner's receiver would trust. The
 * delivery log (what was sent and how the receiver answered) is about the partner's receiver, not about
 * the person, and is read in the app (see the exclusions). Only the coordinator who registered a partner
 * app registers its endpoints, so the endpoints the person created are those of the apps they registered.
 */
export function webhookExporter(db: Database<WebhookTables>): PersonalDataExporter {
  return {
    section: "webhooks",
    tables: ["webhookEndpoints"],
    async export(personId) {
      const e = db.tables.webhookEndpoints;
      const endpoints = await db.read
        .select({
          id: e.id,
          clientId: e.clientId,
          sandbox: e.sandbox,
          url: e.url,
          description: e.description,
          eventTypes: e.eventTypes,
          status: e.status,
          disabledReason: e.disabledReason,
          disabledAt: e.disabledAt,
          failingSince: e.failingSince,
          createdAt: e.createdAt,
          updatedAt: e.updatedAt,
        })
        .from(e)
        .where(eq(e.createdById, personId))
        .orderBy(asc(e.createdAt), asc(e.id));
      return {
        endpoints: endpoints.map((x) => ({
          ...x,
          disabledAt: iso(x.disabledAt),
          failingSince: iso(x.failingSince),
          createdAt: iso(x.createdAt),
          updatedAt: iso(x.updatedAt),
        })),
      };
    },
  };
}
