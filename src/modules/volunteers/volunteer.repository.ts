import { and, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetPage } from "../../db/keyset.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import type { AvailabilitySlot, VogStatus, VolunteerTables } from "./volunteer.tables.js";

export interface VolunteerProfileRow {
  personId: string;
  languages: string[];
  availability: AvailabilitySlot[];
  vogStatus: VogStatus;
  vogIssuedOn: string | null;
  vogVerifiedById: string | null;
  vogVerifiedAt: Date | null;
  vogDeclaredAt: Date | null;
  updatedAt: Date;
  categoryIds: string[];
  neighbourhoodIds: string[];
}

/** A VOG awaiting a coordinator's review: `id` is the volunteer's person id. */
export interface VogReviewRow {
  id: string;
  vogIssuedOn: string | null;
  vogDeclaredAt: Date;
}

type VogChange = { vogStatus: VogStatus; vogIssuedOn: string | null; vogVerifiedById: string | null; vogVerifiedAt: Date | null; vogDeclaredAt?: Date | null };

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

  async setVog(personId: string, vog: VogChange, at: Date): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx
        .insert(t.volunteerProfiles)
        .values({ personId, languages: [], availability: [], ...vog, updatedAt: at })
        .onConflictDoUpdate({ target: t.volunteerProfiles.personId, set: { ...vog, updatedAt: at } });
    });
  }

  /** Verified VOGs issued on or before `through` (YYYY-MM-DD, which sorts as text), at most `limit`. */
  async verifiedIssuedThrough(through: string, limit: number): Promise<{ personId: string; issuedOn: string }[]> {
    const v = this.db.tables.volunteerProfiles;
    const rows = await this.db.read
      .select({ personId: v.personId, issuedOn: v.vogIssuedOn })
      .from(v)
      .where(and(eq(v.vogStatus, "VERIFIED"), isNotNull(v.vogIssuedOn), lte(v.vogIssuedOn, through)))
      .orderBy(v.vogIssuedOn, v.personId)
      .limit(limit);
    return rows as { personId: string; issuedOn: string }[];
  }

  /**
   * Marks a verified VOG as past its term, only while it is still that VOG (verified, same issue date):
   * of several instances, one wins; a VOG renewed in the meantime is left alone. True for the winner.
   */
  async expire(personId: string, issuedOn: string, at: Date): Promise<boolean> {
    const v = this.db.tables.volunteerProfiles;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(v)
        .set({ vogStatus: "EXPIRED", updatedAt: at })
        .where(and(eq(v.personId, personId), eq(v.vogStatus, "VERIFIED"), eq(v.vogIssuedOn, issuedOn)))
        .returning({ personId: v.personId });
      return rows.length > 0;
    });
  }

  /** VOGs declared before the queue kept a declaration time take their profile's last change as one. */
  async fillDeclaredAt(): Promise<void> {
    const v = this.db.tables.volunteerProfiles;
    await this.db.transaction(async (tx) => {
      await tx
        .update(v)
        .set({ vogDeclaredAt: sql`${v.updatedAt}` })
        .where(and(eq(v.vogStatus, "PENDING"), isNull(v.vogDeclaredAt)));
    });
  }

  /** VOGs awaiting review, oldest declaration first. */
  async reviewQueue(page: PageRequest, scope: string): Promise<Page<VogReviewRow>> {
    const v = this.db.tables.volunteerProfiles;
    const keyset = keysetPage(v.vogDeclaredAt, v.personId, page, "asc");
    const rows = await this.db.read
      .select({ id: v.personId, vogIssuedOn: v.vogIssuedOn, vogDeclaredAt: v.vogDeclaredAt })
      .from(v)
      .where(and(eq(v.vogStatus, "PENDING"), isNotNull(v.vogDeclaredAt), keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows as VogReviewRow[], page, (r) => r.vogDeclaredAt.getTime(), scope);
  }

  /** How many VOGs await review. */
  async countPending(): Promise<number> {
    const v = this.db.tables.volunteerProfiles;
    const [row] = await this.db.read
      .select({ n: sql<number>`count(*)` })
      .from(v)
      .where(eq(v.vogStatus, "PENDING"));
    return Number(row?.n ?? 0);
  }
}
