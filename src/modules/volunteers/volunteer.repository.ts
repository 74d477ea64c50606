import { eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { AvailabilitySlot, VogStatus, VolunteerTables } from "./volunteer.tables.js";

export interface VolunteerProfileRow {
  personId: string;
  languages: string[];
  availability: AvailabilitySlot[];
  vogStatus: VogStatus;
  vogIssuedOn: string | null;
  vogVerifiedById: string | null;
  vogVerifiedAt: Date | null;
  updatedAt: Date;
  categoryIds: string[];
  neighbourhoodIds: string[];
}

/** Volunteer profiles with the categories and neighbourhoods they serve. */
export class VolunteerRepository {
  constructor(private readonly db: Database<VolunteerTables>) {}

  async find(personId: string): Promise<VolunteerProfileRow | undefined> {
    return (await this.findMany([personId])).get(personId);
  }

  /** Many volunteers' profiles in three reads, however many they are; those without a profile are absent. */
  async findMany(personIds: readonly string[]): Promise<Map<string, VolunteerProfileRow>> {
    const t = this.db.tables;
    const r = this.db.read;
    const ids = [...personIds];
    const [profiles, cats, nbs] = await Promise.all([
      r.select().from(t.volunteerProfiles).where(inArray(t.volunteerProfiles.personId, ids)),
      r.select().from(t.volunteerCategories).where(inArray(t.volunteerCategories.personId, ids)),
      r.select().from(t.volunteerNeighbourhoods).where(inArray(t.volunteerNeighbourhoods.personId, ids)),
    ]);
    const found = new Map<string, VolunteerProfileRow>(profiles.map((p) => [p.personId, { ...p, categoryIds: [], neighbourhoodIds: [] }]));
    for (const c of cats) found.get(c.personId)?.categoryIds.push(c.categoryId);
    for (const n of nbs) found.get(n.personId)?.neighbourhoodIds.push(n.neighbourhoodId);
    return found;
  }

  /** Replaces the profile's lists in one transaction; VOG fields are kept. */
  async save(personId: string, data: { languages: string[]; availability: AvailabilitySlot[]; categoryIds: string[]; neighbourhoodIds: string[] }, at: Date): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx
        .insert(t.volunteerProfiles)
        .values({ personId, languages: data.languages, availability: data.availability, vogStatus: "NONE", updatedAt: at })
        .onConflictDoUpdate({
          target: t.volunteerProfiles.personId,
          set: { languages: data.languages, availability: data.availability, updatedAt: at },
        });
      await tx.delete(t.volunteerCategories).where(eq(t.volunteerCategories.personId, personId));
      await tx.delete(t.volunteerNeighbourhoods).where(eq(t.volunteerNeighbourhoods.personId, personId));
      if (data.categoryIds.length) {
        await tx.insert(t.volunteerCategories).values(data.categoryIds.map((categoryId) => ({ personId, categoryId })));
      }
      if (data.neighbourhoodIds.length) {
        await tx.insert(t.volunteerNeighbourhoods).values(data.neighbourhoodIds.map((neighbourhoodId) => ({ personId, neighbourhoodId })));
      }
    });
  }

  async setVog(personId: string, vog: { vogStatus: VogStatus; vogIssuedOn: string | null; vogVerifiedById: string | null; vogVerifiedAt: Date | null }, at: Date): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx
        .insert(t.volunteerProfiles)
        .values({ personId, languages: [], availability: [], ...vog, updatedAt: at })
        .onConflictDoUpdate({ target: t.volunteerProfiles.personId, set: { ...vog, updatedAt: at } });
    });
  }
}
