import { and, desc, eq, gt, inArray, isNull, lt, lte } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { CareTables } from "../care/care.tables.js";
import type { EscalationTables } from "../escalation/escalation.tables.js";
import type { PersonTables } from "../people/person.tables.js";
import type { ApiClientTables } from "../api-clients/api-client.tables.js";
import type { WebhookTables } from "../webhooks/webhooks.tables.js";
import type {
  CareForNotifications,
  CareInvitationState,
  CareShiftState,
  PartnersForNotifications,
  TeamCaseState,
  TeamsForNotifications,
  WebhookEndpointState,
} from "./notification.sources.js";

type SubjectDatabase = Database<
  PersonTables &
    Pick<CareTables, "careShifts" | "careMembers" | "careInvitations"> &
    Pick<EscalationTables, "escalations" | "escalationAudit"> &
    Pick<ApiClientTables, "apiClients"> &
    Pick<WebhookTables, "webhookEndpoints">
>;

/**
 * What deciding reads of care circles and team cases, as the narrow interfaces of notification.sources.ts
 * describe it: where a shift or a case stands and who is in the circle or the team now. It never reads a
 * shift's title or care notes, nor anything of the person a case is about. SQL only.
 */
export class SubjectReads implements CareForNotifications, TeamsForNotifications, PartnersForNotifications {
  constructor(private readonly db: SubjectDatabase) {}

  async shift(id: string): Promise<CareShiftState | undefined> {
    const c = this.db.tables.careShifts;
    const rows = await this.db.read
      .select({ circleId: c.circleId, startsAt: c.startsAt, endsAt: c.endsAt, status: c.status, assigneeId: c.assigneeId, releasedById: c.releasedById })
      .from(c)
      .where(eq(c.id, id));
    return rows[0];
  }

  async invitation(id: string): Promise<CareInvitationState | undefined> {
    const i = this.db.tables.careInvitations;
    const p = this.db.tables.people;
    const rows = await this.db.read
      .select({ circleId: i.circleId, inviteePersonId: i.inviteePersonId, inviterFirstName: p.firstName, expiresAt: i.expiresAt, usedById: i.usedById, revokedAt: i.revokedAt })
      .from(i)
      .innerJoin(p, eq(p.id, i.invitedById))
      .where(eq(i.id, id));
    const row = rows[0];
    return (
      row && {
        circleId: row.circleId,
        inviteePersonId: row.inviteePersonId,
        inviterFirstName: row.inviterFirstName,
        expiresAt: row.expiresAt,
        used: row.usedById !== null || row.revokedAt !== null,
      }
    );
  }

  members(circleId: string) {
    const m = this.db.tables.careMembers;
    return this.db.read
      .select({ personId: m.personId, role: m.role })
      .from(m)
      .where(and(eq(m.circleId, circleId), isNull(m.leftAt)));
  }

  async holdingBetween(ids: readonly string[], from: Date, to: Date): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const c = this.db.tables.careShifts;
    const rows = await this.db.read
      .select({ id: c.assigneeId })
      .from(c)
      .where(and(inArray(c.assigneeId, [...ids]), eq(c.status, "COVERED"), lt(c.startsAt, to), gt(c.endsAt, from)));
    return new Set(rows.map((r) => r.id!));
  }

  async teamCase(id: string): Promise<TeamCaseState | undefined> {
    const e = this.db.tables.escalations;
    const rows = await this.db.read
      .select({ leadTeamId: e.leadTeamId, coTeamId: e.coTeamId, assigneeId: e.assigneeId, status: e.status, bypass: e.consentBypassBasis })
      .from(e)
      .where(eq(e.id, id));
    const row = rows[0];
    return row && { leadTeamId: row.leadTeamId, coTeamId: row.coTeamId, assigneeId: row.assigneeId, status: row.status, safety: row.bypass !== null };
  }

  async caseActor(id: string, kind: Parameters<TeamsForNotifications["caseActor"]>[1], at: Date): Promise<string | null> {
    const a = this.db.tables.escalationAudit;
    const rows = await this.db.read
      .select({ actorId: a.actorId })
      .from(a)
      .where(and(eq(a.escalationId, id), eq(a.kind, kind), lte(a.at, at)))
      .orderBy(desc(a.at), desc(a.id))
      .limit(1);
    return rows[0]?.actorId ?? null;
  }

  async professionals(teamIds: readonly string[]): Promise<string[]> {
    if (teamIds.length === 0) return [];
    const t = this.db.tables;
    const rows = await this.db.read
      .select({ id: t.people.id })
      .from(t.people)
      .innerJoin(t.personRoles, and(eq(t.personRoles.personId, t.people.id), eq(t.personRoles.role, "PROFESSIONAL")))
      .where(inArray(t.people.teamId, [...teamIds]));
    return rows.map((r) => r.id);
  }

  async webhookEndpoint(id: string): Promise<WebhookEndpointState | undefined> {
    const { webhookEndpoints: w, apiClients: c } = this.db.tables;
    const rows = await this.db.read.select({ clientId: w.clientId, ownerId: c.createdById, status: w.status }).from(w).innerJoin(c, eq(c.id, w.clientId)).where(eq(w.id, id));
    return rows[0];
  }

  async coordinators(): Promise<string[]> {
    const r = this.db.tables.personRoles;
    const rows = await this.db.read.select({ id: r.personId }).from(r).where(eq(r.role, "COORDINATOR"));
    return rows.map((x) => x.id);
  }
}
