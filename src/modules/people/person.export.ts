import { eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { PlaceTables } from "../places/place.tables.js";
import type { PersonTables } from "./person.tables.js";

/**
 * The people module's part of a data export: the profile and roles. The password hash is not data
 * about the person but a check on them: the export says only whether there is one. Who created a
 * record for someone else (a relative, a desk) is named by first name.
 */
export function personExporter(db: Database<PersonTables & PlaceTables>): PersonalDataExporter {
  return {
    section: "profile",
    tables: ["people", "personRoles"],
    async export(personId) {
      const t = db.tables;
      const [person] = await db.read.select().from(t.people).where(eq(t.people.id, personId)).limit(1);
      if (!person) return null;
      const roles = await db.read.select().from(t.personRoles).where(eq(t.personRoles.personId, personId));
      const creator =
        person.createdById && person.createdById !== personId
          ? (await db.read.select({ firstName: t.people.firstName }).from(t.people).where(eq(t.people.id, person.createdById)))[0]
          : undefined;
      const team = person.teamId ? (await db.read.select({ name: t.teams.name }).from(t.teams).where(eq(t.teams.id, person.teamId)))[0] : undefined;
      return {
        id: person.id,
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        phone: person.phone,
        address: person.address,
        birthDate: person.birthDate,
        neighbourhoodId: person.neighbourhoodId,
        hasAccount: person.passwordHash !== null,
        createdAt: iso(person.createdAt),
        createdBy: person.createdById === null || person.createdById === personId ? "SELF" : { firstName: creator?.firstName ?? null },
        team: person.teamId ? { id: person.teamId, name: team?.name ?? null } : null,
        roles: roles.map((r) => ({ role: r.role, grantedAt: iso(r.grantedAt) })),
      };
    },
  };
}

/** What the access log says of a reader: roles and team, never who (decision in docs/data-export.md). */
export interface ReaderDescription {
  roles: string[];
  team: string | null;
}

/** Roles and team of readers of someone's data, by person id, for the access-log part of an export. */
export function describeReaders(db: Database<PersonTables & PlaceTables>) {
  return async (ids: readonly string[]): Promise<Map<string, ReaderDescription>> => {
    const out = new Map<string, ReaderDescription>();
    if (ids.length === 0) return out;
    const t = db.tables;
    const people = await db.read
      .select({ id: t.people.id, team: t.teams.name })
      .from(t.people)
      .leftJoin(t.teams, eq(t.teams.id, t.people.teamId))
      .where(inArray(t.people.id, [...ids]));
    for (const p of people) out.set(p.id, { roles: [], team: p.team });
    const roles = await db.read
      .select()
      .from(t.personRoles)
      .where(inArray(t.personRoles.personId, [...ids]));
    for (const r of roles) out.get(r.personId)?.roles.push(r.role);
    return out;
  };
}
