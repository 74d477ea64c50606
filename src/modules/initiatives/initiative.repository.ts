import { type Column, type SQL, and, asc, desc, eq, exists, gt, gte, inArray, isNotNull, isNull, like, lt, lte, notExists, notInArray, or, sql } from "drizzle-orm";
import { afterKey } from "../../db/keyset.js";
import type { Database, Db } from "../../db/client.js";
import { type CursorKey, type Page, emptyPage, toPage } from "../../shared/pagination.js";
import type { Occurrence } from "./initiative.schedule.js";
import type { OrganisationRow } from "./organisation.repository.js";
import type { InitiativeKind, InitiativeStatus, InitiativeTables, Recurrence } from "./initiative.tables.js";
import { promoteFromWaitlist } from "./signup.repository.js";
import { PUBLISHED_PLACES_THRESHOLD } from "./initiative.policy.js";

export interface InitiativeRow {
  id: string;
  organisationId: string;
  kind: InitiativeKind;
  status: InitiativeStatus;
  title: string;
  description: string;
  neighbourhoodId: string;
  address: string | null;
  capacity: number | null;
  takenCount: number;
  waitlistCount: number;
  lastPosition: number;
  minAge: number | null;
  maxAge: number | null;
  accessibility: string | null;
  recurrence: Recurrence | null;
  firstStartsAt: Date | null;
  lastEndsAt: Date | null;
  publishedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  /** Joined: the organisation offering it. */
  organisation: OrganisationRow;
  /** Whether the organisation is verified (its published initiatives are public). */
  organisationVerified: boolean;
  categoryIds: string[];
  languages: string[];
  /** The next date ending after the reference moment of the query (now, or the filter's `from`). */
  nextStartsAt: Date | null;
  nextEndsAt: Date | null;
  /** Rank of the text match in a search; 0 otherwise. */
  score: number;
}

/** What is written for a new or changed initiative, besides its dates, categories and languages. */
export type InitiativeFields = Omit<
  InitiativeRow,
  "organisation" | "organisationVerified" | "categoryIds" | "languages" | "nextStartsAt" | "nextEndsAt" | "score"
> & { searchTitle: string; searchText: string };

export type InitiativeOrderKey = "RELEVANCE" | "SOONEST" | "NEWEST";

export interface DiscoverQuery {
  now: Date;
  neighbourhoodIds: string[] | null;
  kinds: InitiativeKind[] | null;
  excludeKinds: InitiativeKind[] | null;
  categoryIds: string[] | null;
  organisationId: string | null;
  /** Only initiatives of these organisations (see firstPagesByOrganisation). */
  organisationIds?: string[] | null;
  from: Date | null;
  to: Date | null;
  age: number | null;
  languages: string[] | null;
  terms: string[];
  hasPlacesLeft: boolean;
  order: InitiativeOrderKey;
  after: CursorKey | null;
  limit: number;
  /** What the page's cursors belong to (see cursorScope). */
  cursorScope?: string;
}

/** The state of an initiative row as locked inside a transaction. */
export interface LockedInitiative {
  id: string;
  organisationId: string;
  kind: InitiativeKind;
  status: InitiativeStatus;
  capacity: number | null;
  takenCount: number;
  waitlistCount: number;
}

/** Cursor sort value of an initiative without dates in SOONEST order (sorts after every real date). */
const NO_DATE_SORT = 8.64e15;

/**
 * Initiatives with their dates, categories and languages; public discovery (filters, portable text
 * search with ranking, cursor paging). Capacity-related changes lock the initiative row with a
 * conditional update, so they are serialised per initiative on PostgreSQL as on SQLite.
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
   * Locks the initiative row for the rest of the transaction (a no-op conditional update: PostgreSQL
   * takes the row lock, SQLite already runs one writer at a time) and returns its current state.
   */
  static async lock(db: Database<InitiativeTables>, tx: Db, id: string): Promise<LockedInitiative | undefined> {
    const i = db.tables.initiatives;
    const rows = await tx
      .update(i)
      .set({ lastPosition: sql`${i.lastPosition}` })
      .where(eq(i.id, id))
      .returning({
        id: i.id,
        organisationId: i.organisationId,
        kind: i.kind,
        status: i.status,
        capacity: i.capacity,
        takenCount: i.takenCount,
        waitlistCount: i.waitlistCount,
      });
    return rows[0];
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
      const current = await InitiativeRepository.lock(this.db, tx, id);
      if (!current) return undefined;
      const change = decide(current);
      const i = this.t.initiatives;
      await tx.update(i).set({ ...change.set, updatedAt: at }).where(eq(i.id, id));
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
    const rows = await this.selectRows(this.db.read, ref).where(eq(this.t.initiatives.id, id)).limit(1);
    return (await this.hydrate(rows))[0];
  }

  async findByIds(ids: readonly string[], ref: Date): Promise<InitiativeRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.selectRows(this.db.read, ref).where(inArray(this.t.initiatives.id, [...ids]));
    return this.hydrate(rows);
  }

  /** All of an organisation's initiatives (for its organisers), newest first. */
  async forOrganisation(
    organisationId: string,
    q: { statuses: InitiativeStatus[] | null; now: Date; after: CursorKey | null; limit: number; cursorScope?: string },
  ): Promise<Page<InitiativeRow>> {
    const i = this.t.initiatives;
    const conds: SQL[] = [eq(i.organisationId, organisationId)];
    if (q.statuses?.length) conds.push(inArray(i.status, q.statuses));
    if (q.after) {
      conds.push(afterKey(i.createdAt, i.id, q.after, "desc"));
    }
    const rows = await this.selectRows(this.db.read, q.now)
      .where(and(...conds))
      .orderBy(desc(i.createdAt), desc(i.id))
      .limit(q.limit + 1);
    return toPage(await this.hydrate(rows), q.limit, q.after !== null, (r) => r.createdAt.getTime(), q.cursorScope);
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

  /**
   * Public discovery: published initiatives of verified organisations whose dates are not all past,
   * filtered, ordered (relevance, soonest or newest) and paged by cursor.
   */
  async discover(q: DiscoverQuery): Promise<Page<InitiativeRow>> {
    const t = this.t;
    const i = t.initiatives;
    const o = t.organisations;
    const db = this.db.read;
    if (q.neighbourhoodIds?.length === 0 || q.kinds?.length === 0 || q.categoryIds?.length === 0) return emptyPage();
    const ref = q.from && q.from.getTime() > q.now.getTime() ? q.from : q.now;
    const conds: SQL[] = [
      eq(i.status, "PUBLISHED"),
      isNotNull(o.verifiedAt),
      or(isNull(i.lastEndsAt), gt(i.lastEndsAt, q.now))!,
    ];
    if (q.neighbourhoodIds) conds.push(inArray(i.neighbourhoodId, q.neighbourhoodIds));
    if (q.kinds) conds.push(inArray(i.kind, q.kinds));
    if (q.excludeKinds?.length) conds.push(notInArray(i.kind, q.excludeKinds));
    if (q.organisationId) conds.push(eq(i.organisationId, q.organisationId));
    if (q.organisationIds) conds.push(inArray(i.organisationId, q.organisationIds.length ? q.organisationIds : [""]));
    if (q.categoryIds) {
      const c = t.initiativeCategories;
      conds.push(exists(db.select({ one: sql`1` }).from(c).where(and(eq(c.initiativeId, i.id), inArray(c.categoryId, q.categoryIds)))));
    }
    if (q.languages?.length) {
      const l = t.initiativeLanguages;
      conds.push(
        or(
          notExists(db.select({ one: sql`1` }).from(l).where(eq(l.initiativeId, i.id))),
          exists(db.select({ one: sql`1` }).from(l).where(and(eq(l.initiativeId, i.id), inArray(l.language, q.languages)))),
        )!,
      );
    }
    if (q.age !== null) {
      conds.push(or(isNull(i.minAge), lte(i.minAge, q.age))!, or(isNull(i.maxAge), gte(i.maxAge, q.age))!);
    }
    if (q.from || q.to) {
      const occ = t.initiativeOccurrences;
      const within: SQL[] = [eq(occ.initiativeId, i.id)];
      if (q.from) within.push(gte(occ.endsAt, q.from));
      if (q.to) within.push(lte(occ.startsAt, q.to));
      conds.push(or(isNull(i.firstStartsAt), exists(db.select({ one: sql`1` }).from(occ).where(and(...within))))!);
    }
    // Full only as published (initiative.policy publishedPlaces): a filter must not tell more than the counts.
    if (q.hasPlacesLeft) {
      conds.push(or(isNull(i.capacity), eq(i.kind, "PARTICIPATION_PLACE"), lt(i.takenCount, PUBLISHED_PLACES_THRESHOLD), lt(i.takenCount, i.capacity))!);
    }
    for (const term of q.terms) conds.push(like(i.searchText, `%${term}%`));

    const order = q.order === "RELEVANCE" && q.terms.length === 0 ? "SOONEST" : q.order;
    const score = relevance(i.searchTitle, i.searchText, q.terms);
    const next = this.nextOccurrence(db, ref, "startsAt");
    if (q.after) {
      const a = q.after;
      if (order === "RELEVANCE") {
        conds.push(or(sql`${score} < ${a.sort}`, and(sql`${score} = ${a.sort}`, gt(i.id, a.id)))!);
      } else if (order === "NEWEST") {
        conds.push(afterKey(i.publishedAt, i.id, a, "desc"));
      } else if (a.sort >= NO_DATE_SORT) {
        conds.push(sql`${next} is null`, gt(i.id, a.id));
      } else {
        const at = sql.param(new Date(a.sort), t.initiativeOccurrences.startsAt);
        conds.push(or(sql`${next} > ${at}`, and(sql`${next} = ${at}`, gt(i.id, a.id)), sql`${next} is null`)!);
      }
    }
    const orderBy =
      order === "RELEVANCE"
        ? [sql`${score} desc`, asc(i.id)]
        : order === "NEWEST"
          ? [desc(i.publishedAt), desc(i.id)]
          : [sql`${next} asc nulls last`, asc(i.id)];
    const rows = await this.selectRows(db, ref, score)
      .where(and(...conds))
      .orderBy(...orderBy)
      .limit(q.limit + 1);
    const hydrated = await this.hydrate(rows);
    const sortOf = (r: InitiativeRow) =>
      order === "RELEVANCE"
        ? r.score
        : order === "NEWEST"
          ? (r.publishedAt?.getTime() ?? 0)
          : (r.nextStartsAt?.getTime() ?? NO_DATE_SORT);
    return toPage(hydrated, q.limit, q.after !== null, sortOf, q.cursorScope);
  }

  /**
   * discover's first page (SOONEST) for each of several organisations, with one query: the same rows,
   * order and cursors as a discover per organisation (`scopeOf` its cursor scope). Null when more than
   * `upTo` initiatives match in all (then ask per organisation).
   */
  async firstPagesByOrganisation(
    q: Omit<DiscoverQuery, "organisationId" | "organisationIds" | "after" | "order" | "limit" | "cursorScope">,
    organisationIds: string[],
    limit: number,
    upTo: number,
    scopeOf: (organisationId: string) => string,
  ): Promise<Map<string, Page<InitiativeRow>> | null> {
    const all = await this.discover({ ...q, organisationId: null, organisationIds, order: "SOONEST", after: null, limit: upTo });
    if (all.hasNextPage) return null;
    const byOrganisation = new Map<string, InitiativeRow[]>(organisationIds.map((id) => [id, []]));
    for (const r of all.items) byOrganisation.get(r.organisationId)?.push(r);
    const sortOf = (r: InitiativeRow) => r.nextStartsAt?.getTime() ?? NO_DATE_SORT;
    return new Map([...byOrganisation].map(([id, rows]) => [id, toPage(rows, limit, false, sortOf, scopeOf(id))]));
  }

  /** The start (or end) of the first date ending after `ref`: a correlated subquery, same SQL on both engines. */
  private nextOccurrence(db: Db, ref: Date, column: "startsAt" | "endsAt"): SQL {
    const occ = this.t.initiativeOccurrences;
    const i = this.t.initiatives;
    const sub = db
      .select({ value: occ[column] })
      .from(occ)
      .where(and(eq(occ.initiativeId, i.id), gt(occ.endsAt, ref)))
      .orderBy(asc(occ.startsAt))
      .limit(1);
    return sql`${sub}`;
  }

  private selectRows(db: Db, ref: Date, score?: SQL) {
    const i = this.t.initiatives;
    const o = this.t.organisations;
    const occ = this.t.initiativeOccurrences;
    return db
      .select({
        id: i.id,
        organisationId: i.organisationId,
        kind: i.kind,
        status: i.status,
        title: i.title,
        description: i.description,
        neighbourhoodId: i.neighbourhoodId,
        address: i.address,
        capacity: i.capacity,
        takenCount: i.takenCount,
        waitlistCount: i.waitlistCount,
        lastPosition: i.lastPosition,
        minAge: i.minAge,
        maxAge: i.maxAge,
        accessibility: i.accessibility,
        recurrence: i.recurrence,
        firstStartsAt: i.firstStartsAt,
        lastEndsAt: i.lastEndsAt,
        publishedAt: i.publishedAt,
        closedAt: i.closedAt,
        closeReason: i.closeReason,
        createdById: i.createdById,
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
        organisation: o,
        nextStartsAt: this.nextOccurrence(db, ref, "startsAt").mapWith(occ.startsAt),
        nextEndsAt: this.nextOccurrence(db, ref, "endsAt").mapWith(occ.endsAt),
        score: (score ?? sql`0`).mapWith(Number),
      })
      .from(i)
      .innerJoin(o, eq(o.id, i.organisationId));
  }

  /** Adds categories and languages (two queries for the whole page) and the verified flag. */
  private async hydrate(
    rows: Omit<InitiativeRow, "organisationVerified" | "categoryIds" | "languages">[],
  ): Promise<InitiativeRow[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const c = this.t.initiativeCategories;
    const l = this.t.initiativeLanguages;
    const [cats, langs] = await Promise.all([
      this.db.read.select().from(c).where(inArray(c.initiativeId, ids)).orderBy(asc(c.categoryId)),
      this.db.read.select().from(l).where(inArray(l.initiativeId, ids)).orderBy(asc(l.language)),
    ]);
    const group = <T extends { initiativeId: string }>(list: T[], pick: (x: T) => string) => {
      const m = new Map<string, string[]>();
      for (const x of list) m.set(x.initiativeId, [...(m.get(x.initiativeId) ?? []), pick(x)]);
      return m;
    };
    const catsOf = group(cats, (x) => x.categoryId);
    const langsOf = group(langs, (x) => x.language);
    return rows.map((r) => ({
      ...r,
      organisationVerified: r.organisation.verifiedAt !== null,
      categoryIds: catsOf.get(r.id) ?? [],
      languages: langsOf.get(r.id) ?? [],
    }));
  }
}

/**
 * Rank of a text match, summed over the words: 3 when the word occurs in the title, 2 more when a
 * title word starts with it, 1 when it occurs anywhere. Plain CASE and LIKE: same SQL on both engines.
 */
function relevance(title: Column, body: Column, terms: string[]): SQL {
  if (terms.length === 0) return sql`0`;
  const parts = terms.map(
    (w) =>
      sql`(case when ${title} like ${`%${w}%`} then 3 else 0 end + case when ${title} like ${`${w}%`} or ${title} like ${`% ${w}%`} then 2 else 0 end + case when ${body} like ${`%${w}%`} then 1 else 0 end)`,
  );
  return sql`(${sql.join(parts, sql` + `)})`;
}


