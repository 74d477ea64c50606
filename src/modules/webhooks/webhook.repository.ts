import { type SQL, and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, max, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { Rollback, outcomeOf } from "../../db/rollback.js";
import type { ApiClientTables, ApiScopeName } from "../api-clients/api-client.tables.js";
import type { HelpRequestTables } from "../help-requests/help-request.tables.js";
import type { InitiativeTables } from "../initiatives/initiative.tables.js";
import type { WebhookDeliveryStatus, WebhookTables } from "./webhooks.tables.js";

/** The database as webhooks see it: their own tables, the partner apps, and the objects events are about. */
export type WebhookDatabase = Database<
  WebhookTables &
    Pick<ApiClientTables, "apiClients" | "apiKeys" | "apiSandboxes"> &
    Pick<HelpRequestTables, "helpRequests"> &
    Pick<InitiativeTables, "initiatives" | "initiativeSignups">
>;

export type EndpointRow = WebhookTables["webhookEndpoints"]["$inferSelect"];
export type DeliveryRow = WebhookTables["webhookDeliveries"]["$inferSelect"];
export type NewDelivery = WebhookTables["webhookDeliveries"]["$inferInsert"];
export type AttemptRow = WebhookTables["webhookAttempts"]["$inferSelect"];

export interface LogEntry {
  seq: number;
  topic: string;
  id: string;
  kind: string;
  at: Date;
}

/** A partner app as its endpoints' audience: its accounts and the scopes of its keys that work now. */
export interface ClientAudience {
  clientId: string;
  createdById: string;
  disabled: boolean;
  servicePersonId: string;
  sandboxPersonId: string | null;
  scopes: Set<ApiScopeName>;
  sandboxScopes: Set<ApiScopeName>;
}

const INSERT_CHUNK = 500;

/** SQL of webhooks: the cursor, endpoints, deliveries (decided, claimed, finished) and attempts. No rules here. */
export class WebhookRepository {
  constructor(private readonly db: WebhookDatabase) {}

  private get t() {
    return this.db.tables;
  }

  // -- the cursor over the event log ------------------------------------------------------------------

  /** Creates the cursor at the end of the log when it does not exist (partners are not told the past). */
  async ensureCursor(name: string, at: Date): Promise<void> {
    const newest = await this.db.read.select({ seq: max(this.t.eventLog.seq) }).from(this.t.eventLog);
    await this.db.transaction(async (tx) => {
      await tx
        .insert(this.t.webhookCursors)
        .values({ name, seq: Number(newest[0]?.seq ?? 0), updatedAt: at })
        .onConflictDoNothing();
    });
  }

  async cursor(name: string): Promise<number | undefined> {
    const c = this.t.webhookCursors;
    const rows = await this.db.read.select({ seq: c.seq }).from(c).where(eq(c.name, name));
    return rows[0] ? Number(rows[0].seq) : undefined;
  }

  /** Events after `seq`, in sequence (commit) order; `through` bounds a replay. */
  async eventsAfter(seq: number, limit: number, through?: number): Promise<LogEntry[]> {
    const e = this.t.eventLog;
    const where = through === undefined ? gt(e.seq, seq) : and(gt(e.seq, seq), lte(e.seq, through));
    return this.db.read.select({ seq: e.seq, topic: e.topic, id: e.entityId, kind: e.kind, at: e.at }).from(e).where(where).orderBy(asc(e.seq)).limit(limit);
  }

  async newestSeq(): Promise<number> {
    const rows = await this.db.read.select({ seq: max(this.t.eventLog.seq) }).from(this.t.eventLog);
    return Number(rows[0]?.seq ?? 0);
  }

  /**
   * Moves the cursor from `from` to `to` and writes the deliveries decided in between, in one
   * transaction; when another instance moved it first nothing is written (false).
   */
  async commitDecisions(name: string, from: number, to: number, deliveries: NewDelivery[], at: Date): Promise<boolean> {
    const c = this.t.webhookCursors;
    return outcomeOf<boolean, boolean>(() =>
      this.db.transaction(async (tx) => {
        const moved = await tx
          .update(c)
          .set({ seq: to, updatedAt: at })
          .where(and(eq(c.name, name), eq(c.seq, from)))
          .returning({ seq: c.seq });
        if (moved.length === 0) throw new Rollback(false);
        for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
          await tx
            .insert(this.t.webhookDeliveries)
            .values(deliveries.slice(i, i + INSERT_CHUNK))
            .onConflictDoNothing();
        }
        return true;
      }),
    );
  }

  /** Writes deliveries outside the cursor (replays, redeliveries); one decided before is left as it is. */
  async insertDeliveries(deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
        await tx
          .insert(this.t.webhookDeliveries)
          .values(deliveries.slice(i, i + INSERT_CHUNK))
          .onConflictDoNothing();
      }
    });
  }

  // -- what deciding reads -----------------------------------------------------------------------------

  async enabledEndpoints(): Promise<EndpointRow[]> {
    const e = this.t.webhookEndpoints;
    return this.db.read.select().from(e).where(eq(e.status, "ENABLED"));
  }

  /** The audience of each client: its accounts and the scopes of its keys that are neither revoked nor expired. */
  async audiences(clientIds: string[], now: Date): Promise<Map<string, ClientAudience>> {
    if (clientIds.length === 0) return new Map();
    const { apiClients: c, apiKeys: k, apiSandboxes: s } = this.t;
    const clients = await this.db.read
      .select({ id: c.id, createdById: c.createdById, disabledAt: c.disabledAt, servicePersonId: c.servicePersonId, sandboxPersonId: s.personId })
      .from(c)
      .leftJoin(s, eq(s.clientId, c.id))
      .where(inArray(c.id, clientIds));
    const keys = await this.db.read
      .select({ clientId: k.clientId, scopes: k.scopes, sandbox: k.sandbox, expiresAt: k.expiresAt })
      .from(k)
      .where(and(inArray(k.clientId, clientIds), isNull(k.revokedAt)));
    const out = new Map<string, ClientAudience>();
    for (const row of clients) {
      out.set(row.id, {
        clientId: row.id,
        createdById: row.createdById,
        disabled: row.disabledAt !== null,
        servicePersonId: row.servicePersonId,
        sandboxPersonId: row.sandboxPersonId ?? null,
        scopes: new Set(),
        sandboxScopes: new Set(),
      });
    }
    for (const key of keys) {
      const audience = out.get(key.clientId);
      if (!audience || key.expiresAt.getTime() <= now.getTime()) continue;
      for (const scope of key.scopes) (key.sandbox ? audience.sandboxScopes : audience.scopes).add(scope);
    }
    return out;
  }

  async helpRequest(id: string) {
    const r = this.t.helpRequests;
    const rows = await this.db.read
      .select({
        id: r.id,
        status: r.status,
        askedById: r.askedById,
        personHelpedId: r.personHelpedId,
        categoryId: r.categoryId,
        neighbourhoodId: r.neighbourhoodId,
        urgency: r.urgency,
        sandbox: r.sandbox,
      })
      .from(r)
      .where(eq(r.id, id));
    return rows[0];
  }

  async initiative(id: string) {
    const i = this.t.initiatives;
    const rows = await this.db.read
      .select({ id: i.id, status: i.status, kind: i.kind, organisationId: i.organisationId, neighbourhoodId: i.neighbourhoodId })
      .from(i)
      .where(eq(i.id, id));
    return rows[0];
  }

  async signup(id: string) {
    const s = this.t.initiativeSignups;
    const rows = await this.db.read.select({ id: s.id, status: s.status, initiativeId: s.initiativeId, signedUpById: s.signedUpById }).from(s).where(eq(s.id, id));
    return rows[0];
  }

  // -- endpoints ---------------------------------------------------------------------------------------

  async clientOwner(clientId: string): Promise<string | undefined> {
    const c = this.t.apiClients;
    const rows = await this.db.read.select({ createdById: c.createdById }).from(c).where(eq(c.id, clientId));
    return rows[0]?.createdById;
  }

  async countEndpoints(clientId: string): Promise<number> {
    const e = this.t.webhookEndpoints;
    const rows = await this.db.read
      .select({ n: sql<number>`count(*)` })
      .from(e)
      .where(eq(e.clientId, clientId));
    return Number(rows[0]?.n ?? 0);
  }

  async insertEndpoint(row: EndpointRow): Promise<EndpointRow> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.webhookEndpoints).values(row);
    });
    return row;
  }

  async endpoint(id: string): Promise<EndpointRow | undefined> {
    const e = this.t.webhookEndpoints;
    const rows = await this.db.read.select().from(e).where(eq(e.id, id));
    return rows[0];
  }

  async endpointsOf(clientId: string): Promise<EndpointRow[]> {
    const e = this.t.webhookEndpoints;
    return this.db.read.select().from(e).where(eq(e.clientId, clientId)).orderBy(asc(e.createdAt), asc(e.id));
  }

  async updateEndpoint(id: string, set: Partial<EndpointRow>): Promise<EndpointRow | undefined> {
    const e = this.t.webhookEndpoints;
    const rows = await this.db.transaction(async (tx) => tx.update(e).set(set).where(eq(e.id, id)).returning());
    return rows[0];
  }

  /** Deletes an endpoint with its deliveries and their attempts. */
  async deleteEndpoint(id: string): Promise<void> {
    const { webhookEndpoints: e, webhookDeliveries: d, webhookAttempts: a } = this.t;
    await this.db.transaction(async (tx) => {
      const ids = tx.select({ id: d.id }).from(d).where(eq(d.endpointId, id));
      await tx.delete(a).where(inArray(a.deliveryId, ids));
      await tx.delete(d).where(eq(d.endpointId, id));
      await tx.delete(e).where(eq(e.id, id));
    });
  }

  /**
   * Records an attempt's failure on its endpoint: failing since now unless it already was, and disabled
   * with `reason` when it has failed since before `disableBefore`. Returns the endpoint when this call
   * disabled it.
   */
  async endpointFailed(id: string, at: Date, disableBefore: Date, reason: (since: Date) => string): Promise<EndpointRow | undefined> {
    const e = this.t.webhookEndpoints;
    return this.db.transaction(async (tx) => {
      await tx
        .update(e)
        .set({ failingSince: at })
        .where(and(eq(e.id, id), isNull(e.failingSince)));
      const rows = await tx.select({ failingSince: e.failingSince }).from(e).where(eq(e.id, id));
      const since = rows[0]?.failingSince;
      if (!since || since.getTime() > disableBefore.getTime()) return undefined;
      const disabled = await tx
        .update(e)
        .set({ status: "DISABLED", disabledAt: at, disabledReason: reason(since), updatedAt: at })
        .where(and(eq(e.id, id), eq(e.status, "ENABLED")))
        .returning();
      return disabled[0];
    });
  }

  async endpointSucceeded(id: string): Promise<void> {
    const e = this.t.webhookEndpoints;
    await this.db.transaction(async (tx) => {
      await tx
        .update(e)
        .set({ failingSince: null })
        .where(and(eq(e.id, id), isNotNull(e.failingSince)));
    });
  }

  // -- deliveries --------------------------------------------------------------------------------------

  async delivery(id: string): Promise<DeliveryRow | undefined> {
    const d = this.t.webhookDeliveries;
    const rows = await this.db.read.select().from(d).where(eq(d.id, id));
    return rows[0];
  }

  /** An endpoint's deliveries, newest first. */
  async deliveriesOf(endpointId: string, limit: number, status?: WebhookDeliveryStatus): Promise<DeliveryRow[]> {
    const d = this.t.webhookDeliveries;
    const where = status ? and(eq(d.endpointId, endpointId), eq(d.status, status)) : eq(d.endpointId, endpointId);
    return this.db.read.select().from(d).where(where).orderBy(desc(d.createdAt), desc(d.id)).limit(limit);
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    const a = this.t.webhookAttempts;
    return this.db.read
      .select()
      .from(a)
      .where(inArray(a.deliveryId, [...deliveryIds]))
      .orderBy(asc(a.at), asc(a.id));
  }

  /** Deliveries due at `now` on enabled endpoints: waiting and due, or claimed by a sender whose lease ran out. */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const { webhookDeliveries: d, webhookEndpoints: e } = this.t;
    const rows = await this.db.read
      .select({ id: d.id })
      .from(d)
      .innerJoin(e, and(eq(e.id, d.endpointId), eq(e.status, "ENABLED")))
      .where(this.due(now))
      .orderBy(asc(d.nextAttemptAt))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  private due(now: Date): SQL {
    const d = this.t.webhookDeliveries;
    return or(and(inArray(d.status, ["PENDING", "FAILED"]), lte(d.nextAttemptAt, now)), and(eq(d.status, "SENDING"), isNotNull(d.leaseUntil), lte(d.leaseUntil, now)))!;
  }

  /**
   * Claims deliveries for one sender with one conditional UPDATE that takes only rows still due, so of
   * two instances claiming the same rows each row goes to one (the pattern of notification deliveries).
   */
  async claim(ids: string[], now: Date, leaseUntil: Date, token: string): Promise<DeliveryRow[]> {
    if (ids.length === 0) return [];
    const d = this.t.webhookDeliveries;
    return this.db.transaction(async (tx) =>
      tx
        .update(d)
        .set({ status: "SENDING", claimToken: token, leaseUntil, attempts: sql`${d.attempts} + 1`, updatedAt: now })
        .where(and(inArray(d.id, ids), this.due(now)))
        .returning(),
    );
  }

  /** Records an attempt and the delivery's new state; false (nothing written) when the claim is no longer this sender's. */
  async finish(
    id: string,
    token: string,
    outcome: { status: WebhookDeliveryStatus; at: Date; nextAttemptAt?: Date; statusCode: number | null; durationMs: number; error: string | null; attemptId: string },
  ): Promise<boolean> {
    const { webhookDeliveries: d, webhookAttempts: a } = this.t;
    return outcomeOf<boolean, boolean>(() =>
      this.db.transaction(async (tx) => {
        const rows = await tx
          .update(d)
          .set({
            status: outcome.status,
            leaseUntil: null,
            claimToken: null,
            updatedAt: outcome.at,
            lastStatusCode: outcome.statusCode,
            lastError: outcome.error,
            lastDurationMs: outcome.durationMs,
            ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
          })
          .where(and(eq(d.id, id), eq(d.claimToken, token)))
          .returning({ id: d.id });
        if (rows.length === 0) throw new Rollback(false);
        await tx.insert(a).values({ id: outcome.attemptId, deliveryId: id, at: outcome.at, statusCode: outcome.statusCode, durationMs: outcome.durationMs, error: outcome.error });
        return true;
      }),
    );
  }

  /** Drops finished deliveries (and their attempts) last changed before `before`. */
  async prune(before: Date): Promise<number> {
    const { webhookDeliveries: d, webhookAttempts: a } = this.t;
    return this.db.transaction(async (tx) => {
      const old = and(inArray(d.status, ["SUCCEEDED", "DEAD"]), lt(d.updatedAt, before));
      await tx.delete(a).where(inArray(a.deliveryId, tx.select({ id: d.id }).from(d).where(old)));
      const rows = await tx.delete(d).where(old).returning({ id: d.id });
      return rows.length;
    });
  }
}
