import { type SQL, and, eq, gt, inArray, isNull, lt } from "drizzle-orm";
import { RateLimiterDrizzle } from "rate-limiter-flexible";
import { keysetPage } from "../../db/keyset.js";
import type { Database } from "../../db/client.js";
import type { PersonTables } from "../people/person.tables.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import type { ApiClientTables, ApiScopeName } from "./api-client.tables.js";

export interface ApiClientRow {
  id: string;
  name: string;
  description: string;
  contactEmail: string;
  servicePersonId: string;
  createdById: string;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface ApiKeyRow {
  id: string;
  clientId: string;
  label: string;
  prefix: string;
  secretHash: string;
  scopes: ApiScopeName[];
  rateLimitPerMinute: number;
  allowListOnly: boolean;
  /** A test key: it acts only within its client's sandbox. */
  sandbox: boolean;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedById: string | null;
  lastUsedAt: Date | null;
  createdById: string;
  createdAt: Date;
}

/** A key with what a request needs to know about its client (and its client's sandbox, if any). */
export interface KeyWithClient extends ApiKeyRow {
  clientName: string;
  servicePersonId: string;
  clientDisabledAt: Date | null;
  sandboxOrganisationId: string | null;
  sandboxPersonId: string | null;
  /** The organisation the client acts for with organisation:write, and the account it acts as there. */
  boundOrganisationId: string | null;
  boundPersonId: string | null;
}

/** The organisation a client acts for (organisation:write) and the account its keys act as there. */
export interface ApiClientOrganisationRow {
  clientId: string;
  organisationId: string;
  personId: string;
  boundById: string;
  boundAt: Date;
}

/** A client's sandbox: its organisation and the account its sandbox keys act as. */
export interface ApiSandboxRow {
  clientId: string;
  organisationId: string;
  personId: string;
  createdById: string;
  createdAt: Date;
}

export interface PersistedOperationRow {
  id: string;
  clientId: string;
  sha256: string;
  operationName: string | null;
  operationType: "query" | "mutation" | "subscription";
  document: string;
  createdById: string;
  createdAt: Date;
}

/** API clients, keys, allow-listed operations and rate-limit windows. */
export class ApiClientRepository {
  constructor(private readonly db: Database<ApiClientTables & PersonTables>) {}

  private get t() {
    return this.db.tables;
  }

  /** The client and the account it acts as, in one transaction. */
  async insertClient(client: ApiClientRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.people).values(this.serviceAccount(client.servicePersonId, client.name, client.createdById, client.createdAt));
      await tx.insert(this.t.apiClients).values(client);
    });
  }

  /** An account a client's keys act as (its sandbox's, or its seat in an organisation): a person without login. */
  async insertServiceAccount(personId: string, name: string, createdById: string, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.people).values(this.serviceAccount(personId, name, createdById, at));
    });
  }

  /** Records a client's sandbox; the first one recorded stays (returned either way). */
  async insertSandbox(row: ApiSandboxRow): Promise<ApiSandboxRow> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.apiSandboxes).values(row).onConflictDoNothing({ target: this.t.apiSandboxes.clientId });
    });
    return (await this.findSandbox(row.clientId))!;
  }

  async findSandbox(clientId: string): Promise<ApiSandboxRow | undefined> {
    const rows = await this.db.read.select().from(this.t.apiSandboxes).where(eq(this.t.apiSandboxes.clientId, clientId)).limit(1);
    return rows[0];
  }

  /** Records a client's organisation; the first one recorded stays (returned either way). */
  async insertOrganisationBinding(row: ApiClientOrganisationRow): Promise<ApiClientOrganisationRow> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.apiClientOrganisations).values(row).onConflictDoNothing({ target: this.t.apiClientOrganisations.clientId });
    });
    return (await this.findOrganisationBinding(row.clientId))!;
  }

  async findOrganisationBinding(clientId: string): Promise<ApiClientOrganisationRow | undefined> {
    const b = this.t.apiClientOrganisations;
    const rows = await this.db.read.select().from(b).where(eq(b.clientId, clientId)).limit(1);
    return rows[0];
  }

  /** Removes a client's organisation; the removed row, or undefined when there was none. */
  async deleteOrganisationBinding(clientId: string): Promise<ApiClientOrganisationRow | undefined> {
    const b = this.t.apiClientOrganisations;
    return this.db.transaction(async (tx) => (await tx.delete(b).where(eq(b.clientId, clientId)).returning())[0]);
  }

  private serviceAccount(id: string, name: string, createdById: string, createdAt: Date) {
    return {
      id,
      firstName: name.slice(0, 80),
      lastName: null,
      email: null,
      passwordHash: null,
      phone: null,
      address: null,
      neighbourhoodId: null,
      birthDate: null,
      createdById,
      teamId: null,
      createdAt,
    };
  }

  async findClient(id: string): Promise<ApiClientRow | undefined> {
    const rows = await this.db.read.select().from(this.t.apiClients).where(eq(this.t.apiClients.id, id)).limit(1);
    return rows[0];
  }

  async setClientDisabled(id: string, at: Date | null): Promise<ApiClientRow | undefined> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.update(this.t.apiClients).set({ disabledAt: at }).where(eq(this.t.apiClients.id, id)).returning();
      return rows[0];
    });
  }

  /** Newest first. */
  async listClients(page: PageRequest, cursorScope = ""): Promise<Page<ApiClientRow>> {
    const c = this.t.apiClients;
    const conds: SQL[] = [];
    const keyset = keysetPage(c.createdAt, c.id, page, "desc");
    if (keyset.where) conds.push(keyset.where);
    const rows = await this.db.read
      .select()
      .from(c)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows, page, (r) => r.createdAt.getTime(), cursorScope);
  }

  async insertKey(row: ApiKeyRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.apiKeys).values(row);
    });
  }

  async findKey(id: string): Promise<ApiKeyRow | undefined> {
    const rows = await this.db.read.select().from(this.t.apiKeys).where(eq(this.t.apiKeys.id, id)).limit(1);
    return rows[0];
  }

  async findKeyByHash(secretHash: string): Promise<KeyWithClient | undefined> {
    const k = this.t.apiKeys;
    const c = this.t.apiClients;
    const sb = this.t.apiSandboxes;
    const ob = this.t.apiClientOrganisations;
    const rows = await this.db.read
      .select({
        key: k,
        clientName: c.name,
        servicePersonId: c.servicePersonId,
        clientDisabledAt: c.disabledAt,
        sandboxOrganisationId: sb.organisationId,
        sandboxPersonId: sb.personId,
        boundOrganisationId: ob.organisationId,
        boundPersonId: ob.personId,
      })
      .from(k)
      .innerJoin(c, eq(c.id, k.clientId))
      .leftJoin(sb, eq(sb.clientId, k.clientId))
      .leftJoin(ob, eq(ob.clientId, k.clientId))
      .where(eq(k.secretHash, secretHash))
      .limit(1);
    if (!rows[0]) return undefined;
    const { key, ...client } = rows[0];
    return { ...key, ...client };
  }

  async countActiveKeys(clientId: string, now: Date): Promise<number> {
    const k = this.t.apiKeys;
    const rows = await this.db.read
      .select({ id: k.id })
      .from(k)
      .where(and(eq(k.clientId, clientId), isNull(k.revokedAt), gt(k.expiresAt, now)));
    return rows.length;
  }

  /** Newest first. */
  async listKeys(clientId: string, page: PageRequest, cursorScope = ""): Promise<Page<ApiKeyRow>> {
    const k = this.t.apiKeys;
    const conds: SQL[] = [eq(k.clientId, clientId)];
    const keyset = keysetPage(k.createdAt, k.id, page, "desc");
    if (keyset.where) conds.push(keyset.where);
    const rows = await this.db.read
      .select()
      .from(k)
      .where(and(...conds))
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows, page, (r) => r.createdAt.getTime(), cursorScope);
  }

  /** Revokes a key once; returns the row either way (undefined when it does not exist). */
  async revokeKey(id: string, byId: string, at: Date): Promise<ApiKeyRow | undefined> {
    const k = this.t.apiKeys;
    return this.db.transaction(async (tx) => {
      await tx
        .update(k)
        .set({ revokedAt: at, revokedById: byId })
        .where(and(eq(k.id, id), isNull(k.revokedAt)));
      const rows = await tx.select().from(k).where(eq(k.id, id));
      return rows[0];
    });
  }

  async touchKey(id: string, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(this.t.apiKeys).set({ lastUsedAt: at }).where(eq(this.t.apiKeys.id, id));
    });
  }

  /** Registers operations; those already registered (same hash) are kept as they are. */
  async insertOperations(rows: PersistedOperationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      await tx
        .insert(this.t.apiClientOperations)
        .values(rows)
        .onConflictDoNothing({ target: [this.t.apiClientOperations.clientId, this.t.apiClientOperations.sha256] });
    });
  }

  async findOperation(clientId: string, sha256: string): Promise<PersistedOperationRow | undefined> {
    const o = this.t.apiClientOperations;
    const rows = await this.db.read
      .select()
      .from(o)
      .where(and(eq(o.clientId, clientId), eq(o.sha256, sha256)))
      .limit(1);
    return rows[0];
  }

  async findOperationById(id: string): Promise<PersistedOperationRow | undefined> {
    const o = this.t.apiClientOperations;
    const rows = await this.db.read.select().from(o).where(eq(o.id, id)).limit(1);
    return rows[0];
  }

  async findOperationsByHash(clientId: string, hashes: string[]): Promise<PersistedOperationRow[]> {
    const o = this.t.apiClientOperations;
    if (hashes.length === 0) return [];
    return this.db.read
      .select()
      .from(o)
      .where(and(eq(o.clientId, clientId), inArray(o.sha256, hashes)));
  }

  async removeOperation(clientId: string, sha256: string): Promise<boolean> {
    const o = this.t.apiClientOperations;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .delete(o)
        .where(and(eq(o.clientId, clientId), eq(o.sha256, sha256)))
        .returning({ id: o.id });
      return rows.length > 0;
    });
  }

  /** Newest first. */
  async listOperations(clientId: string, page: PageRequest, cursorScope = ""): Promise<Page<PersistedOperationRow>> {
    const o = this.t.apiClientOperations;
    const conds: SQL[] = [eq(o.clientId, clientId)];
    const keyset = keysetPage(o.createdAt, o.id, page, "desc");
    if (keyset.where) conds.push(keyset.where);
    const rows = await this.db.read
      .select()
      .from(o)
      .where(and(...conds))
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows, page, (r) => r.createdAt.getTime(), cursorScope);
  }

  /**
   * rate-limiter-flexible's store of request counts in this database (see rate-limiter.ts). It runs
   * its own single-statement upserts (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, atomic on its
   * own) on this database's connections, outside a transaction: one round trip per request.
   */
  rateLimitStore(options: { keyPrefix: string; points: number; duration: number }): RateLimiterDrizzle {
    return new RateLimiterDrizzle({ ...options, storeClient: this.db.read, schema: this.t.apiRateLimits, clearExpiredByTimeout: false });
  }

  /** Deletes the request counts that expired before `before` (the store does not on its own here). */
  async pruneRateLimits(before: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(this.t.apiRateLimits).where(lt(this.t.apiRateLimits.expire, before));
    });
  }
}
