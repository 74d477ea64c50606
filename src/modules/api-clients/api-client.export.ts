import { asc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { ApiClientTables } from "./api-client.tables.js";

/**
 * The api-clients module's part of a data export: the partner apps the person registered (or stands
 * for as their service person), with their keys (never a secret or its hash), registered operations
 * sandboxes and the organisations they act for.
 */
export function apiClientExporter(db: Database<ApiClientTables>): PersonalDataExporter {
  return {
    section: "apiClients",
    tables: ["apiClients", "apiKeys", "apiClientOperations", "apiSandboxes", "apiClientOrganisations"],
    async export(personId) {
      const t = db.tables;
      const clients = await db.read
        .select()
        .from(t.apiClients)
        .where(or(eq(t.apiClients.createdById, personId), eq(t.apiClients.servicePersonId, personId)))
        .orderBy(asc(t.apiClients.createdAt));
      const ids = clients.map((c) => c.id);
      const keys = ids.length ? await db.read.select().from(t.apiKeys).where(inArray(t.apiKeys.clientId, ids)).orderBy(asc(t.apiKeys.createdAt)) : [];
      const operations = await db.read
        .select({
          clientId: t.apiClientOperations.clientId,
          sha256: t.apiClientOperations.sha256,
          operationName: t.apiClientOperations.operationName,
          operationType: t.apiClientOperations.operationType,
          createdAt: t.apiClientOperations.createdAt,
        })
        .from(t.apiClientOperations)
        .where(ids.length ? or(eq(t.apiClientOperations.createdById, personId), inArray(t.apiClientOperations.clientId, ids)) : eq(t.apiClientOperations.createdById, personId));
      const sandboxes = await db.read
        .select()
        .from(t.apiSandboxes)
        .where(
          ids.length
            ? or(eq(t.apiSandboxes.personId, personId), eq(t.apiSandboxes.createdById, personId), inArray(t.apiSandboxes.clientId, ids))
            : or(eq(t.apiSandboxes.personId, personId), eq(t.apiSandboxes.createdById, personId)),
        );
      const ob = t.apiClientOrganisations;
      const bindings = await db.read
        .select()
        .from(ob)
        .where(ids.length ? or(eq(ob.personId, personId), eq(ob.boundById, personId), inArray(ob.clientId, ids)) : or(eq(ob.personId, personId), eq(ob.boundById, personId)));
      return {
        clients: clients.map((c) => ({
          id: c.id,
          name: c.name,
          description: c.description,
          contactEmail: c.contactEmail,
          youRegisteredIt: c.createdById === personId,
          youAreItsServicePerson: c.servicePersonId === personId,
          createdAt: iso(c.createdAt),
          disabledAt: iso(c.disabledAt),
          keys: keys
            .filter((k) => k.clientId === c.id)
            .map((k) => ({
              id: k.id,
              label: k.label,
              prefix: k.prefix,
              scopes: k.scopes,
              sandbox: k.sandbox,
              createdAt: iso(k.createdAt),
              expiresAt: iso(k.expiresAt),
              revokedAt: iso(k.revokedAt),
              lastUsedAt: iso(k.lastUsedAt),
            })),
        })),
        operations: operations.map((o) => ({ ...o, createdAt: iso(o.createdAt) })),
        sandboxes: sandboxes.map((s) => ({ clientId: s.clientId, organisationId: s.organisationId, createdAt: iso(s.createdAt) })),
        actingForOrganisations: bindings.map((b) => ({
          clientId: b.clientId,
          organisationId: b.organisationId,
          youBoundIt: b.boundById === personId,
          youAreItsAccount: b.personId === personId,
          boundAt: iso(b.boundAt),
        })),
      };
    },
  };
}
