import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { VolunteerTables } from "./volunteer.tables.js";

/** The volunteers module's part of an erasure: the volunteer profile with its categories and neighbourhoods goes. */
export function volunteerEraser(db: Database<VolunteerTables>): PersonalDataEraser {
  return {
    section: "volunteering",
    async erase(personId) {
      const t = db.tables;
      return db.transaction(async (tx) => {
        const categories = await tx.delete(t.volunteerCategories).where(eq(t.volunteerCategories.personId, personId)).returning({ p: t.volunteerCategories.personId });
        const areas = await tx.delete(t.volunteerNeighbourhoods).where(eq(t.volunteerNeighbourhoods.personId, personId)).returning({ p: t.volunteerNeighbourhoods.personId });
        const profiles = await tx.delete(t.volunteerProfiles).where(eq(t.volunteerProfiles.personId, personId)).returning({ p: t.volunteerProfiles.personId });
        return {
          erased: [
            erasedLine("volunteer profile (languages, availability, VOG)", profiles.length),
            erasedLine("categories", categories.length),
            erasedLine("neighbourhoods", areas.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
