import { type SQL, and, asc, eq, inArray, isNull, like, lt, or } from "drizzle-orm";
import { type QueueFilter, queueFilterConditions } from "./case-queue.filter.js";
import { keysetPage } from "../../db/keyset.js";
import type { Database } from "../../db/client.js";
import { newSortableId } from "../../shared/ids.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import type { AuditKind, EscalationOutcome, EscalationStatus, EscalationTables, EscalationTrigger, FlagReason } from "./escalation.tables.js";

export interface EscalationRow {
  id: string;
  dedupeKey: string;
  trigger: EscalationTrigger;
  flagReason: FlagReason | null;
  reasonNote: string | null;
  helpRequestId: string | null;
  circleId: string | null;
  subjectId: string;
  raisedById: string | null;
  neighbourhoodId: string;
  categoryId: string | null;
  urgency: "LOW" | "NORMAL" | "HIGH" | "URGENT";
  leadTeamId: string;
  coTeamId: string | null;
  routingNote: string;
  status: EscalationStatus;
  outcome: EscalationOutcome | null;
  assigneeId: string | null;
  consentBypassBasis: string | null;
  createdAt: Date;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
}

export interface AuditRow {
  id: string;
  escalationId: string;
  kind: AuditKind;
  actorId: string | null;
  note: string | null;
  at: Date;
}

export interface ConsentRow {
  id: string;
  subjectId: string;
  teamId: string;
  purpose: string;
  escalationId: string | null;
  givenById: string;
  givenAt: Date;
  withdrawnById: string | null;
  withdrawnAt: Date | null;
}

/** Escalations, their append-only audit trail and consent records: SQL only; the services record the events. */
export class EscalationRepository {
  constructor(private readonly db: Database<EscalationTables>) {}

  private get t() {
    return this.db.tables;
  }

  /** How many escalations of a family (e.g. one help request) were closed: the next one's generation. */
  async closedInFamily(family: string): Promise<number> {
    const e = this.t.escalations;
    const rows = await this.db.read
      .select({ id: e.id })
      .from(e)
      .where(and(like(e.dedupeKey, `${family}:%`), eq(e.status, "CLOSED")));
    return rows.length;
  }

  /** Whether a request was ever escalated (an open or a closed case, by any trigger). */
  async raisedBefore(helpRequestId: string): Promise<boolean> {
    const e = this.t.escalations;
    const rows = await this.db.read.select({ id: e.id }).from(e).where(eq(e.helpRequestId, helpRequestId)).limit(1);
    return rows.length > 0;
  }

  /** Inserts unless an escalation with the same dedupe key exists; returns the row that holds the key. */
  async insert(row: EscalationRow, audit: Omit<AuditRow, "id" | "escalationId">[]): Promise<{ row: EscalationRow; created: boolean }> {
    const e = this.t.escalations;
    return this.db.transaction(async (tx) => {
      const inserted = await tx.insert(e).values(row).onConflictDoNothing({ target: e.dedupeKey }).returning({ id: e.id });
      if (inserted.length) {
        await tx.insert(this.t.escalationAudit).values(audit.map((a) => ({ ...a, id: newSortableId("EscalationAudit"), escalationId: row.id })));
      }
      const [existing] = await tx.select().from(e).where(eq(e.dedupeKey, row.dedupeKey));
      return { row: existing as EscalationRow, created: inserted.length > 0 };
    });
  }

  async find(id: string): Promise<EscalationRow | undefined> {
    const rows = await this.db.read.select().from(this.t.escalations).where(eq(this.t.escalations.id, id));
    return rows[0] as EscalationRow | undefined;
  }

  async latestForRequest(helpRequestId: string): Promise<EscalationRow | undefined> {
    const e = this.t.escalations;
    const rows = await this.db.read.select().from(e).where(eq(e.helpRequestId, helpRequestId)).orderBy(asc(e.createdAt));
    return rows.at(-1) as EscalationRow | undefined;
  }

  /** The latest escalation of each request (undefined when none), in one query. */
  async latestForRequests(helpRequestIds: readonly string[]): Promise<(EscalationRow | undefined)[]> {
    const e = this.t.escalations;
    const rows = (await this.db.read
      .select()
      .from(e)
      .where(inArray(e.helpRequestId, [...helpRequestIds]))
      .orderBy(asc(e.createdAt))) as EscalationRow[];
    return helpRequestIds.map((id) => rows.filter((r) => r.helpRequestId === id).at(-1));
  }

  /** The audit trails of several cases in one query, each in order. */
  async auditsFor(escalationIds: readonly string[]): Promise<AuditRow[][]> {
    const a = this.t.escalationAudit;
    const rows = (await this.db.read
      .select()
      .from(a)
      .where(inArray(a.escalationId, [...escalationIds]))
      .orderBy(asc(a.at), asc(a.id))) as AuditRow[];
    return escalationIds.map((id) => rows.filter((r) => r.escalationId === id));
  }

  /** Applies a change only from the expected statuses, with its audit entry, atomically. */
  async update(id: string, from: EscalationStatus[], set: Partial<EscalationRow>, audit: Omit<AuditRow, "id" | "escalationId">): Promise<EscalationRow | undefined> {
    const e = this.t.escalations;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(e)
        .set(set)
        .where(and(eq(e.id, id), inArray(e.status, from)))
        .returning();
      if (rows.length === 0) return undefined;
      await tx.insert(this.t.escalationAudit).values({ ...audit, id: newSortableId("EscalationAudit"), escalationId: id });
      return rows[0] as EscalationRow;
    });
  }

  /** Appends to the audit trail. */
  async appendAudit(escalationId: string, audit: Omit<AuditRow, "id" | "escalationId">): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.escalationAudit).values({ ...audit, id: newSortableId("EscalationAudit"), escalationId });
    });
  }

  async audit(escalationId: string): Promise<AuditRow[]> {
    const a = this.t.escalationAudit;
    return this.db.read.select().from(a).where(eq(a.escalationId, escalationId)).orderBy(asc(a.at), asc(a.id)) as Promise<AuditRow[]>;
  }

  /** A team's queue (as lead or co-team), oldest first; `filter` narrows it further (case-queue.filter.ts). */
  async queue(teamId: string, statuses: EscalationStatus[], overdueAt: Date | null, page: PageRequest, cursorScope = "", filter: QueueFilter = {}): Promise<Page<EscalationRow>> {
    const e = this.t.escalations;
    const conds: SQL[] = [or(eq(e.leadTeamId, teamId), eq(e.coTeamId, teamId))!, inArray(e.status, statuses)];
    if (overdueAt) conds.push(eq(e.status, "NEW"), lt(e.acknowledgeBy, overdueAt));
    conds.push(...queueFilterConditions(this.db, filter));
    const keyset = keysetPage(e.createdAt, e.id, page, "asc");
    const rows = (await this.db.read
      .select()
      .from(e)
      .where(and(...conds, keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1)) as EscalationRow[];
    return pageOf(rows, page, (r) => r.createdAt.getTime(), cursorScope);
  }

  async insertConsents(rows: ConsentRow[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.consents).values(rows);
    });
  }

  /** The consents of one case that are not withdrawn (consent is per case: never another case's). */
  async activeConsents(escalationId: string): Promise<ConsentRow[]> {
    const c = this.t.consents;
    return this.db.read
      .select()
      .from(c)
      .where(and(eq(c.escalationId, escalationId), isNull(c.withdrawnAt)))
      .orderBy(asc(c.givenAt), asc(c.id)) as Promise<ConsentRow[]>;
  }

  async consentsFor(escalationId: string): Promise<ConsentRow[]> {
    const c = this.t.consents;
    return this.db.read.select().from(c).where(eq(c.escalationId, escalationId)).orderBy(asc(c.givenAt)) as Promise<ConsentRow[]>;
  }

  /** Withdraws the active consents of one case. */
  async withdrawConsents(escalationId: string, byId: string, at: Date): Promise<number> {
    const c = this.t.consents;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(c)
        .set({ withdrawnAt: at, withdrawnById: byId })
        .where(and(eq(c.escalationId, escalationId), isNull(c.withdrawnAt)))
        .returning({ id: c.id });
      return rows.length;
    });
  }
}
