import { and, asc, eq, inArray, ne, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { PlaceTables } from "../places/place.tables.js";
import type { EscalationTables } from "./escalation.tables.js";

/**
 * The escalation module's part of a data export. Of a case about them, a person sees what its
 * followers see (`escalationStatus`): that it exists, its status and outcome, whether consent was asked
 * and which team leads it, with the consents about them. Not the team's working notes: the reason and
 * routing notes, flag reason, assignee, audit notes and a safety bypass basis stay with the team (the
 * person may ask the team itself for them; a restriction under UAVG art. 41 is the team's to weigh).
 * A professional's own actions on cases are listed by kind and time, without the case's subject.
 */
export function escalationExporter(db: Database<EscalationTables & PlaceTables>): PersonalDataExporter {
  return {
    section: "cases",
    tables: ["escalations", "escalationAudit", "consents"],
    async export(personId) {
      const t = db.tables;
      const e = t.escalations;
      const about = await db.read
        .select({
          id: e.id,
          helpRequestId: e.helpRequestId,
          status: e.status,
          outcome: e.outcome,
          leadTeam: t.teams.name,
          createdAt: e.createdAt,
          acknowledgedAt: e.acknowledgedAt,
          closedAt: e.closedAt,
          updatedAt: e.updatedAt,
        })
        .from(e)
        .innerJoin(t.teams, eq(t.teams.id, e.leadTeamId))
        .where(eq(e.subjectId, personId))
        .orderBy(asc(e.createdAt), asc(e.id));
      const consentAudit = about.length
        ? await db.read
            .select({ escalationId: t.escalationAudit.escalationId, kind: t.escalationAudit.kind, at: t.escalationAudit.at })
            .from(t.escalationAudit)
            .where(
              and(
                inArray(
                  t.escalationAudit.escalationId,
                  about.map((a) => a.id),
                ),
                inArray(t.escalationAudit.kind, ["CONSENT_REQUESTED", "CONSENT_GIVEN"]),
              ),
            )
        : [];
      const consents = await db.read
        .select({
          id: t.consents.id,
          subjectId: t.consents.subjectId,
          team: t.teams.name,
          purpose: t.consents.purpose,
          escalationId: t.consents.escalationId,
          givenById: t.consents.givenById,
          givenAt: t.consents.givenAt,
          withdrawnById: t.consents.withdrawnById,
          withdrawnAt: t.consents.withdrawnAt,
        })
        .from(t.consents)
        .innerJoin(t.teams, eq(t.teams.id, t.consents.teamId))
        .where(or(eq(t.consents.subjectId, personId), eq(t.consents.givenById, personId), eq(t.consents.withdrawnById, personId)))
        .orderBy(asc(t.consents.givenAt));
      const raised = await db.read
        .select({ id: e.id, createdAt: e.createdAt })
        .from(e)
        .where(and(eq(e.raisedById, personId), ne(e.subjectId, personId)))
        .orderBy(asc(e.createdAt));
      const actions = await db.read
        .select({ escalationId: t.escalationAudit.escalationId, kind: t.escalationAudit.kind, at: t.escalationAudit.at })
        .from(t.escalationAudit)
        .where(eq(t.escalationAudit.actorId, personId))
        .orderBy(asc(t.escalationAudit.at));
      const consentRequested = (id: string) => {
        const steps = consentAudit.filter((a) => a.escalationId === id);
        const last = (kind: string) => steps.filter((s) => s.kind === kind).reduce<Date | null>((m, s) => (m && m > s.at ? m : s.at), null);
        const asked = last("CONSENT_REQUESTED");
        const given = last("CONSENT_GIVEN");
        return asked !== null && (given === null || given < asked);
      };
      return {
        aboutYou: about.map((a) => ({
          id: a.id,
          helpRequestId: a.helpRequestId,
          status: a.status,
          outcome: a.outcome,
          leadTeam: a.leadTeam,
          consentRequested: consentRequested(a.id),
          createdAt: iso(a.createdAt),
          acknowledgedAt: iso(a.acknowledgedAt),
          closedAt: iso(a.closedAt),
          updatedAt: iso(a.updatedAt),
        })),
        consents: consents.map((c) => ({
          id: c.id,
          aboutYou: c.subjectId === personId,
          team: c.team,
          purpose: c.purpose,
          escalationId: c.escalationId,
          givenByYou: c.givenById === personId,
          givenAt: iso(c.givenAt),
          withdrawnByYou: c.withdrawnById === personId,
          withdrawnAt: iso(c.withdrawnAt),
        })),
        raisedByYou: raised.map((r) => ({ id: r.id, createdAt: iso(r.createdAt) })),
        yourActions: actions.map((a) => ({ escalationId: a.escalationId, kind: a.kind, at: iso(a.at) })),
      };
    },
  };
}
