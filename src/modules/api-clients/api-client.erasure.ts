import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { ApiClientTables } from "./api-client.tables.js";

/** The contact address an erased registrant's partner app carries: it no longer reaches anyone. */
export const ERASED_CONTACT = "verwijderd@invalid";

/**
 * The api-clients module's part of an erasure: the partner apps the person registered are disabled,
 * every key of theirs still live is revoked, and the contact address (the registrant's) is cleared. The
 * apps keep their rows, names and ids, so the requests and access-log entries they made stay whole.
 * `revoked` is told after the erasure commits, so each instance drops the keys from its cache and closes
 * their open sockets at once (as revoking one key does); other instances within their key cache's life.
 */
export function apiClientEraser(db: Database<ApiClientTables>, clock: Clock, revoked: (clientIds: string[]) => void): PersonalDataEraser {
  const registeredBy = async (personId: string) =>
    (await db.read.select({ id: db.tables.apiClients.id }).from(db.tables.apiClients).where(eq(db.tables.apiClients.createdById, personId))).map((c) => c.id);
  return {
    section: "apiClients",
    async erase(personId) {
      const { apiClients: c, apiKeys: k } = db.tables;
      return db.transaction(async (tx) => {
        const now = clock.now();
        const clients = (await tx.select({ id: c.id }).from(c).where(eq(c.createdById, personId))).map((x) => x.id);
        if (clients.length === 0) return { erased: [], restricted: [] };
        await tx.update(c).set({ contactEmail: ERASED_CONTACT }).where(inArray(c.id, clients));
        await tx
          .update(c)
          .set({ disabledAt: now })
          .where(and(inArray(c.id, clients), isNull(c.disabledAt)));
        const keys = await tx
          .update(k)
          .set({ revokedAt: now, revokedById: null })
          .where(and(inArray(k.clientId, clients), isNull(k.revokedAt)))
          .returning({ id: k.id });
        return {
          erased: [erasedLine("partner apps you registered: disabled, contact address cleared", clients.length), erasedLine("their keys still valid: revoked", keys.length)],
          restricted: [],
        };
      });
    },
    async afterErasure(personId) {
      const clients = await registeredBy(personId);
      if (clients.length > 0) revoked(clients);
    },
  };
}
