import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";

export type VogStatus = "NONE" | "PENDING" | "VERIFIED" | "REJECTED" | "EXPIRED";
export interface AvailabilitySlot {
  weekday: number;
  from: string;
  to: string;
}

/** A volunteer's profile (languages, availability, VOG) and the categories and neighbourhoods they help in. */
export function defineVolunteerTables(k: Kit, deps: PlaceTables & PersonTables) {
  const volunteerProfiles = k.table(
    "volunteer_profiles",
    {
      personId: k
        .text("person_id")
        .primaryKey()
        .references(() => deps.people.id),
      languages: k.json<string[]>("languages").notNull(),
      availability: k.json<AvailabilitySlot[]>("availability").notNull(),
      vogStatus: k.text("vog_status").$type<VogStatus>().notNull(),
      vogIssuedOn: k.text("vog_issued_on"),
      vogVerifiedById: k.text("vog_verified_by_id"),
      vogVerifiedAt: k.time("vog_verified_at"),
      /** When the VOG under review was declared: the review queue's order (oldest first). */
      vogDeclaredAt: k.time("vog_declared_at"),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      // The review queue (PENDING, oldest declaration first) and the sweep for ended terms (VERIFIED by issue date).
      k.index("volunteer_profiles_vog_queue_idx").on(t.vogStatus, t.vogDeclaredAt, t.personId),
      k.index("volunteer_profiles_vog_issued_idx").on(t.vogStatus, t.vogIssuedOn),
    ],
  );

  const volunteerCategories = k.table(
    "volunteer_categories",
    {
      personId: k
        .text("person_id")
        .notNull()
        .references(() => deps.people.id),
      categoryId: k
        .text("category_id")
        .notNull()
        .references(() => deps.helpCategories.id),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.categoryId] })],
  );

  const volunteerNeighbourhoods = k.table(
    "volunteer_neighbourhoods",
    {
      personId: k
        .text("person_id")
        .notNull()
        .references(() => deps.people.id),
      neighbourhoodId: k
        .text("neighbourhood_id")
        .notNull()
        .references(() => deps.neighbourhoods.id),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.neighbourhoodId] })],
  );

  return { volunteerProfiles, volunteerCategories, volunteerNeighbourhoods };
}

export type VolunteerTables = ReturnType<typeof defineVolunteerTables>;
