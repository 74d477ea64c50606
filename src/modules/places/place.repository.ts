import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PlaceTables } from "./place.tables.js";

export type AreaRow = { id: string; municipality: string; name: string };
export type NeighbourhoodRow = {
  id: string;
  areaId: string;
  name: string;
  latitude: number;
  longitude: number;
  /** Official CBS wijk or buurt code (e.g. WK050509); null or absent when not known. */
  cbsCode?: string | null;
};
export type CategoryRow = { id: string; code: string; name: string; nameNl: string; description: string; vogRequired: boolean };
/** A category as reference data brings it: without a VOG rule, which then starts as "not needed". */
export type NewCategoryRow = Omit<CategoryRow, "vogRequired"> & { vogRequired?: boolean };
export type TeamRow = { id: string; areaId: string; kind: "SOCIAL_TEAM" | "YOUTH_TEAM"; name: string };

/** Reference data: areas, neighbourhoods, help categories and teams. */
export class PlaceRepository {
  constructor(private readonly db: Database<PlaceTables>) {}

  async loadAll() {
    const t = this.db.tables;
    const r = this.db.read;
    const [areas, neighbourhoods, categories, teams] = await Promise.all([
      r.select().from(t.areas).orderBy(asc(t.areas.municipality), asc(t.areas.name)),
      r.select().from(t.neighbourhoods).orderBy(asc(t.neighbourhoods.name)),
      r.select().from(t.helpCategories).orderBy(asc(t.helpCategories.name)),
      r.select().from(t.teams).orderBy(asc(t.teams.name)),
    ]);
    return { areas, neighbourhoods, categories, teams: teams as TeamRow[] };
  }

  async insertReferenceData(data: { areas: AreaRow[]; neighbourhoods: NeighbourhoodRow[]; categories: NewCategoryRow[]; teams: TeamRow[] }): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      if (data.areas.length) await tx.insert(t.areas).values(data.areas).onConflictDoNothing();
      if (data.neighbourhoods.length) {
        // Existing rows are kept, except that a CBS code the reference data now brings is filled in.
        const n = t.neighbourhoods;
        await tx
          .insert(n)
          .values(data.neighbourhoods.map((r) => ({ ...r, cbsCode: r.cbsCode ?? null })))
          .onConflictDoUpdate({ target: n.id, set: { cbsCode: sql`coalesce(excluded.cbs_code, ${n.cbsCode})` } });
      }
      if (data.categories.length) await tx.insert(t.helpCategories).values(data.categories).onConflictDoNothing();
      if (data.teams.length) await tx.insert(t.teams).values(data.teams).onConflictDoNothing();
    });
  }

  /** Sets a category's VOG rule; false when no category has this id. */
  async setCategoryVogRequired(id: string, vogRequired: boolean): Promise<boolean> {
    const c = this.db.tables.helpCategories;
    return this.db.transaction(async (tx) => {
      const rows = await tx.update(c).set({ vogRequired }).where(eq(c.id, id)).returning({ id: c.id });
      return rows.length > 0;
    });
  }

  /** A category's VOG rule as stored now (another instance may have changed it since this one loaded). */
  async categoryVogRequired(id: string): Promise<boolean | undefined> {
    const c = this.db.tables.helpCategories;
    const [row] = await this.db.read.select({ vogRequired: c.vogRequired }).from(c).where(eq(c.id, id)).limit(1);
    return row?.vogRequired;
  }
}
