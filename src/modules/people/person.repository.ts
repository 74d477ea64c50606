import { eq, inArray, sql } from "drizzle-orm";
import { type Database, type PreparedRead, prepareRead } from "../../db/client.js";
import type { PersonTables } from "./person.tables.js";
import type { Role } from "../../shared/viewer.js";

export interface PersonRow {
  id: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  passwordHash: string | null;
  phone: string | null;
  address: string | null;
  neighbourhoodId: string | null;
  birthDate: string | null;
  createdById: string | null;
  teamId: string | null;
  createdAt: Date;
  /** Set while a coordinator has disabled the account. */
  disabledAt?: Date | null;
}

export interface NewPerson extends Omit<PersonRow, "createdAt"> {
  roles: Role[];
}

/** People (accounts and people helped without an account) and their roles. */
export class PersonRepository {
  constructor(private readonly db: Database<PersonTables>) {}

  /** Inserts a person with roles; false when the email is already taken. */
  async insert(person: NewPerson, at: Date): Promise<boolean> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      if (person.email) {
        const taken = await tx.select({ id: t.people.id }).from(t.people).where(eq(t.people.email, person.email));
        if (taken.length) return false;
      }
      const { roles, ...row } = person;
      await tx.insert(t.people).values({ ...row, createdAt: at });
      if (roles.length) {
        await tx.insert(t.personRoles).values(roles.map((role) => ({ personId: person.id, role, grantedAt: at })));
      }
      return true;
    });
  }

  async findById(id: string): Promise<PersonRow | undefined> {
    this.byIdQuery ??= prepareRead<PersonRow>(
      this.db,
      "person_by_id",
      this.db.read
        .select()
        .from(this.db.tables.people)
        .where(eq(this.db.tables.people.id, sql.placeholder("id")))
        .limit(1),
    );
    const rows = await this.byIdQuery({ id });
    return rows[0];
  }

  async findByIds(ids: readonly string[]): Promise<PersonRow[]> {
    const t = this.db.tables;
    return this.db.read
      .select()
      .from(t.people)
      .where(inArray(t.people.id, [...ids]));
  }

  async findByEmail(email: string): Promise<PersonRow | undefined> {
    const t = this.db.tables;
    const rows = await this.db.read.select().from(t.people).where(eq(t.people.email, email)).limit(1);
    return rows[0];
  }

  async rolesOf(personId: string): Promise<Role[]> {
    const t = this.db.tables;
    const columns = { role: t.personRoles.role };
    this.rolesQuery ??= prepareRead<{ role: Role }>(
      this.db,
      "roles_of_person",
      this.db.read
        .select(columns)
        .from(t.personRoles)
        .where(eq(t.personRoles.personId, sql.placeholder("personId"))),
      columns,
    );
    const rows = await this.rolesQuery({ personId });
    return rows.map((r) => r.role);
  }

  /** The roles of each of several people, in one read (people without a role are absent). */
  async rolesOfMany(personIds: readonly string[]): Promise<Map<string, Role[]>> {
    const t = this.db.tables;
    const rows = await this.db.read
      .select({ personId: t.personRoles.personId, role: t.personRoles.role })
      .from(t.personRoles)
      .where(inArray(t.personRoles.personId, [...personIds]));
    const roles = new Map<string, Role[]>();
    for (const r of rows) {
      const list = roles.get(r.personId);
      if (list) list.push(r.role as Role);
      else roles.set(r.personId, [r.role as Role]);
    }
    return roles;
  }

  // Every credential check that finds its cached roles too old reads both (each socket about every ten
  // seconds): their SQL is built once rather than by drizzle on every call.
  private byIdQuery: PreparedRead<PersonRow> | undefined;
  private rolesQuery: PreparedRead<{ role: Role }> | undefined;

  async grantRole(personId: string, role: Role, grantedById: string | null, at: Date): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx.insert(t.personRoles).values({ personId, role, grantedAt: at, grantedById }).onConflictDoNothing();
    });
  }

  async revokeRole(personId: string, role: Role): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      const rows = await tx.select().from(t.personRoles).where(eq(t.personRoles.personId, personId));
      const keep = rows.filter((r) => r.role !== role);
      await tx.delete(t.personRoles).where(eq(t.personRoles.personId, personId));
      if (keep.length) await tx.insert(t.personRoles).values(keep);
    });
  }

  async setTeam(personId: string, teamId: string | null): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx.update(t.people).set({ teamId }).where(eq(t.people.id, personId)).returning({ id: t.people.id });
    });
  }

  async count(): Promise<number> {
    const t = this.db.tables;
    const rows = await this.db.read.select({ id: t.people.id }).from(t.people).limit(1);
    return rows.length;
  }
}
