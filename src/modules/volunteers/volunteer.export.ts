import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { VolunteerTables } from "./volunteer.tables.js";

/** The volunteers module's part of a data export: the volunteer profile, VOG status, categories and neighbourhoods. */
export function volunteerExporter(db: Database<VolunteerTables>): PersonalDataExporter {
  return {
    section: "volunteering",
    tables: ["volunteerProfiles", "volunteerCategories", "volunteerNeighbourhoods"],
    async export(personId) {
      const t = db.tables;
      const [profile] = await db.read.select().from(t.volunteerProfiles).where(eq(t.volunteerProfiles.personId, personId));
      const categories = await db.read.select().from(t.volunteerCategories).where(eq(t.volunteerCategories.personId, personId));
      const neighbourhoods = await db.read.select().from(t.volunteerNeighbourhoods).where(eq(t.volunteerNeighbourhoods.personId, personId));
      if (!profile && categories.length === 0 && neighbourhoods.length === 0) return null;
      return {
        languages: profile?.languages ?? [],
        availability: profile?.availability ?? [],
        vogStatus: profile?.vogStatus ?? "NONE",
        vogIssuedOn: profile?.vogIssuedOn ?? null,
        vogVerifiedAt: iso(profile?.vogVerifiedAt),
        vogDeclaredAt: iso(profile?.vogDeclaredAt),
        updatedAt: iso(profile?.updatedAt),
        categoryIds: categories.map((c) => c.categoryId),
        neighbourhoodIds: neighbourhoods.map((n) => n.neighbourhoodId),
      };
    },
  };
}
