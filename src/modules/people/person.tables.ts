import type { Kit } from "../../db/kit.js";
import type { Role } from "../../shared/viewer.js";
import type { PlaceTables } from "../places/place.tables.js";

/** People (accounts and those asked for on their behalf) and the roles granted to them. */
export function definePersonTables(k: Kit, deps: PlaceTables) {
  const people = k.table(
    "people",
    {
      id: k.text("id").primaryKey(),
      firstName: k.text("first_name").notNull(),
      lastName: k.text("last_name"),
      email: k.text("email").unique(),
      passwordHash: k.text("password_hash"),
      phone: k.text("phone"),
      address: k.text("address"),
      neighbourhoodId: k.text("neighbourhood_id").references(() => deps.neighbourhoods.id),
      birthDate: k.text("birth_date"),
      createdById: k.text("created_by_id"),
      teamId: k.text("team_id").references(() => deps.teams.id),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("people_created_by_idx").on(t.createdById)],
  );

  const personRoles = k.table(
    "person_roles",
    {
      personId: k
        .text("person_id")
        .notNull()
        .references(() => people.id),
      role: k.text("role").$type<Role>().notNull(),
      grantedAt: k.time("granted_at").notNull(),
      grantedById: k.text("granted_by_id"),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.role] })],
  );

  return { people, personRoles };
}

export type PersonTables = ReturnType<typeof definePersonTables>;
