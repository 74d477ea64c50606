import { type SQL, and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import { keysetPage } from "../../db/keyset.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import { type LockedInitiative, lockInitiative, promoteFromWaitlist } from "./capacity.repository.js";
import { type DiscoverFilterQuery, type DiscoverQuery, discoverInitiatives, firstPagesByOrganisation } from "./initiative-discovery.repository.js";
import { type InitiativeFields, type InitiativeRow, hydrateInitiatives, selectInitiatives } from "./initiative-rows.repository.js";
import type { Occurrence } from "./initiative.schedule.js";
import type { InitiativeStatus, InitiativeTables } from "./initiative.tables.js";

/**
 * Initiatives with their dates, categories and languages; public discovery (filters, portable text
 * search with ranking, cursor paging: initiative-discovery.repository.ts). Capacity-related changes
 * lock the initiative row with a conditional update (capacity.repository.ts), so they are serialised
 * per initiative on PostgreSQL as on SQLite.
 */
export class InitiativeRepository {
  constructor(private readonly db: Database<InitiativeTables>) {}

  private get t() {
    return this.db.tables;
  }

  async insert(row: InitiativeFields, occurrences: Occurrence[], categoryIds: string[], languages: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.initiatives).values(row);
      await this.writeChildren(tx, row.id, occurrences, categoryIds, languages);
    });
  }

  private async writeChildren(tx: Db, id: string, occurrences: Occurrence[] | null, categoryIds: string[] | null, languages: string[] | null) {
    const t = this.t;
    if (occurrences) {
      await tx.delete(t.initiativeOccurrences).where(eq(t.initiativeOccurrences.initiativeId, id));
      if (occurrences.length) await tx.insert(t.initiativeOccurrences).values(occurrences.map((o) => ({ initiativeId: id, ...o })));
    }
    if (categoryIds) {
      await tx.delete(t.initiativeCategories).where(eq(t.initiativeCategories.initiativeId, id));
      if (categoryIds.length) await tx.insert(t.initiativeCategories).values(categoryIds.map((categoryId) => ({ initiativeId: id, categoryId })));
    }
    if (languages) {
      await tx.delete(t.initiativeLanguages).where(eq(t.initiativeLanguages.initiativeId, id));
      if (languages.length) await tx.insert(t.initiativeLanguages).values(languages.map((language) => ({ initiativeId: id, language })));
    }
  }

  /**
   * Changes an initiative under its row lock. `decide` sees the locked state and returns the fields to
   * write (or throws a domain error, which rolls everything back). When the capacity went up, the
   * first people on the waiting list get the free places in the same transaction; their sign-up ids
   * are returned.
   */
  async update(
    id: string,
    decide: (current: LockedInitiative) => {
      set: Partial<InitiativeFields>;
      occurrences: Occurrence[] | null;
      categoryIds: string[] | null;
      languages: string[] | null;
    },
    at: Date,
  ): Promise<{ promoted: string[] } | undefined> {
    return this.db.transaction(async (tx) => {
      const current = await lockInitiative(this.db, tx, id);
      if (!current) return undefined;
      const change = decide(current);
      const i = this.t.initiatives;
      await tx
        .update(i)
        .set({ ...change.set, updatedAt: at })
        .where(eq(i.id, id));
      await this.writeChildren(tx, id, change.occurrences, change.categoryIds, change.languages);
      let promoted: string[] = [];
      const capacity = change.set.capacity === undefined ? current.capacity : change.set.capacity;
      if (current.status === "PUBLISHED" && current.kind !== "PARTICIPATION_PLACE" && current.waitlistCount > 0) {
        const free = capacity === null ? current.waitlistCount : capacity - current.takenCount;
        promoted = await promoteFromWaitlist(this.db, tx, id, free, at);
      }
      return { promoted };
    });
  }

  /**
   * Moves the status from one of `from` to `to` (a conditional update). Cancelling also cancels every
   * active sign-up in the same transaction; their ids are returned. Undefined when the status did not
   * allow it (someone else changed it first).
   */
  async setStatus(
    id: string,
    from: InitiativeStatus[],
    to: InitiativeStatus,
    set: Partial<Pick<InitiativeFields, "publishedAt" | "closedAt" | "closeReason">>,
    actorId: string,
    at: Date,
  ): Promise<{ cancelledSignups: string[] } | undefined> {
    const i = this.t.initiatives;
    const s = this.t.initiativeSignups;
    return this.db.transaction(async (tx) => {
      const done = await tx
        .update(i)
        .set({ status: to, updatedAt: at, ...set })
        .where(and(eq(i.id, id), inArray(i.status, from)))
        .returning({ id: i.id });
      if (!done[0]) return undefined;
      if (to !== "CANCELLED") return { cancelledSignups: [] };
      const active = await tx
        .select({ id: s.id, status: s.status })
        .from(s)
        .where(and(eq(s.initiativeId, id), inArray(s.status, ["CONFIRMED", "WAITLISTED"])));
      if (active.length === 0) return { cancelledSignups: [] };
      await tx
        .update(s)
        .set({ status: "CANCELLED", cancelledAt: at, cancelledById: actorId, updatedAt: at })
        .where(and(eq(s.initiativeId, id), inArray(s.status, ["CONFIRMED", "WAITLISTED"])));
      // Only sign-ups are released; started placements of a participation place keep their places.
      const confirmed = active.filter((a) => a.status === "CONFIRMED").length;
      await tx
        .update(i)
        .set({ takenCount: sql`${i.takenCount} - ${confirmed}`, waitlistCount: sql`${i.waitlistCount} - ${active.length - confirmed}` })
        .where(eq(i.id, id));
      return { cancelledSignups: active.map((c) => c.id) };
    });
  }

  async findById(id: string, ref: Date): Promise<InitiativeRow | undefined> {
    const rows = await selectInitiatives(this.db, this.db.read, ref).where(eq(this.t.initiatives.id, id)).limit(1);
    return (await hydrateInitiatives(this.db, rows))[0];
  }

  async findByIds(ids: readonly string[], ref: Date): Promise<InitiativeRow[]> {
    if (ids.length === 0) return [];
    const rows = await selectInitiatives(this.db, this.db.read, ref).where(inArray(this.t.initiatives.id, [...ids]));
    return hydrateInitiatives(this.db, rows);
  }

  /** All of an organisation's initiatives (for its organisers), newest first. */
  async forOrganisation(organisationId: string, q: { statuses: InitiativeStatus[] | null; now: Date; page: PageRequest; cursorScope?: string }): Promise<Page<InitiativeRow>> {
    const i = this.t.initiatives;
    const conds: SQL[] = [eq(i.organisationId, organisationId)];
    if (q.statuses?.length) conds.push(inArray(i.status, q.statuses));
    const page = keysetPage(i.createdAt, i.id, q.page, "desc");
    if (page.where) conds.push(page.where);
    const rows = await selectInitiatives(this.db, this.db.read, q.now)
      .where(and(...conds))
      .orderBy(...page.orderBy)
      .limit(q.page.limit + 1);
    return pageOf(await hydrateInitiatives(this.db, rows), q.page, (r) => r.createdAt.getTime(), q.cursorScope);
  }

  /** Dates of an initiative ending after `from`, soonest first. */
  async occurrences(initiativeId: string, from: Date | null, limit: number): Promise<Occurrence[]> {
    const o = this.t.initiativeOccurrences;
    const conds: SQL[] = [eq(o.initiativeId, initiativeId)];
    if (from) conds.push(gt(o.endsAt, from));
    return this.db.read
      .select({ startsAt: o.startsAt, endsAt: o.endsAt })
      .from(o)
      .where(and(...conds))
      .orderBy(asc(o.startsAt))
      .limit(limit);
  }

  /** Public discovery: see discoverInitiatives. */
  discover(q: DiscoverQuery): Promise<Page<InitiativeRow>> {
    return discoverInitiatives(this.db, q);
  }

  /** The first page of discovery for each of several organisations, with one query: see firstPagesByOrganisation. */
  firstPagesByOrganisation(
    q: DiscoverFilterQuery,
    organisationIds: string[],
    limit: number,
    upTo: number,
    scopeOf: (organisationId: string) => string,
  ): Promise<Map<string, Page<InitiativeRow>> | null> {
    return firstPagesByOrganisation(this.db, q, organisationIds, limit, upTo, scopeOf);
  }
}
