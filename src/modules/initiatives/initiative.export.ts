import { asc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { InitiativeTables } from "./initiative.tables.js";

/**
 * The initiatives module's part of a data export: sign-ups (one's own and those made for someone
 * else), participation placements (as participant or referrer), organisation memberships, and the
 * organisations and initiatives the person created. Whom someone signed up or referred is not named:
 * that is the other person's data.
 */
export function initiativeExporter(db: Database<InitiativeTables>): PersonalDataExporter {
  return {
    section: "initiatives",
    tables: ["initiativeSignups", "participationPlacements", "organisationMembers", "organisations", "initiatives"],
    async export(personId) {
      const t = db.tables;
      const s = t.initiativeSignups;
      const signups = await db.read
        .select({
          id: s.id,
          initiativeId: s.initiativeId,
          initiative: t.initiatives.title,
          personId: s.personId,
          signedUpById: s.signedUpById,
          status: s.status,
          position: s.position,
          note: s.note,
          createdAt: s.createdAt,
          promotedAt: s.promotedAt,
          cancelledAt: s.cancelledAt,
          cancelledById: s.cancelledById,
        })
        .from(s)
        .innerJoin(t.initiatives, eq(t.initiatives.id, s.initiativeId))
        .where(or(eq(s.personId, personId), eq(s.signedUpById, personId)))
        .orderBy(asc(s.createdAt), asc(s.id));
      const p = t.participationPlacements;
      const placements = await db.read
        .select({
          id: p.id,
          initiativeId: p.initiativeId,
          initiative: t.initiatives.title,
          organisation: t.organisations.name,
          participantId: p.participantId,
          referredById: p.referredById,
          status: p.status,
          note: p.note,
          decisionNote: p.decisionNote,
          referredAt: p.referredAt,
          acceptedAt: p.acceptedAt,
          startedAt: p.startedAt,
          endedAt: p.endedAt,
          endReason: p.endReason,
        })
        .from(p)
        .innerJoin(t.initiatives, eq(t.initiatives.id, p.initiativeId))
        .innerJoin(t.organisations, eq(t.organisations.id, p.organisationId))
        .where(or(eq(p.participantId, personId), eq(p.referredById, personId)))
        .orderBy(asc(p.referredAt), asc(p.id));
      const memberships = await db.read
        .select({
          organisationId: t.organisationMembers.organisationId,
          organisation: t.organisations.name,
          role: t.organisationMembers.role,
          addedAt: t.organisationMembers.addedAt,
        })
        .from(t.organisationMembers)
        .innerJoin(t.organisations, eq(t.organisations.id, t.organisationMembers.organisationId))
        .where(eq(t.organisationMembers.personId, personId));
      const organisations = await db.read
        .select({
          id: t.organisations.id,
          name: t.organisations.name,
          createdById: t.organisations.createdById,
          createdAt: t.organisations.createdAt,
          verifiedAt: t.organisations.verifiedAt,
        })
        .from(t.organisations)
        .where(or(eq(t.organisations.createdById, personId), eq(t.organisations.verifiedById, personId)));
      const initiatives = await db.read
        .select({ id: t.initiatives.id, title: t.initiatives.title, status: t.initiatives.status, createdAt: t.initiatives.createdAt })
        .from(t.initiatives)
        .where(eq(t.initiatives.createdById, personId))
        .orderBy(asc(t.initiatives.createdAt));
      return {
        signups: signups.map((x) => ({
          id: x.id,
          initiativeId: x.initiativeId,
          initiative: x.initiative,
          forYou: x.personId === personId,
          signedUpByYou: x.signedUpById === personId,
          status: x.status,
          position: x.position,
          note: x.note,
          createdAt: iso(x.createdAt),
          promotedAt: iso(x.promotedAt),
          cancelledAt: iso(x.cancelledAt),
          cancelledByYou: x.cancelledById === personId,
        })),
        placements: placements.map((x) => {
          const participant = x.participantId === personId;
          return {
            id: x.id,
            initiativeId: x.initiativeId,
            initiative: x.initiative,
            organisation: x.organisation,
            yourPart: participant ? "PARTICIPANT" : "REFERRER",
            status: x.status,
            note: x.note,
            decisionNote: participant ? x.decisionNote : null,
            referredAt: iso(x.referredAt),
            acceptedAt: iso(x.acceptedAt),
            startedAt: iso(x.startedAt),
            endedAt: iso(x.endedAt),
            endReason: participant ? x.endReason : null,
          };
        }),
        organisationMemberships: memberships.map((m) => ({ organisationId: m.organisationId, organisation: m.organisation, role: m.role, addedAt: iso(m.addedAt) })),
        organisationsCreatedOrVerified: organisations.map((o) => ({
          id: o.id,
          name: o.name,
          createdByYou: o.createdById === personId,
          createdAt: iso(o.createdAt),
          verifiedAt: iso(o.verifiedAt),
        })),
        initiativesCreated: initiatives.map((i) => ({ id: i.id, title: i.title, status: i.status, createdAt: iso(i.createdAt) })),
      };
    },
  };
}

/** The organisations readers of someone's data belong to, by person id, for the access-log part of an export. */
export function organisationsOfReaders(db: Database<InitiativeTables>) {
  return async (ids: readonly string[]): Promise<Map<string, string[]>> => {
    const out = new Map<string, string[]>();
    if (ids.length === 0) return out;
    const t = db.tables;
    const rows = await db.read
      .select({ personId: t.organisationMembers.personId, name: t.organisations.name })
      .from(t.organisationMembers)
      .innerJoin(t.organisations, eq(t.organisations.id, t.organisationMembers.organisationId))
      .where(inArray(t.organisationMembers.personId, [...ids]));
    for (const r of rows) out.set(r.personId, [...(out.get(r.personId) ?? []), r.name]);
    return out;
  };
}
