import { type SQL, and, asc, desc, eq, exists, gt, gte, inArray, isNotNull, isNull, lt, lte, notExists, notInArray, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { keysetPage } from "../../db/keyset.js";
import { type Page, type PageRequest, emptyPage, pageOf, toPage } from "../../shared/pagination.js";
import { PUBLISHED_PLACES_THRESHOLD } from "./initiative.capacity.js";
import { initiativeTextSearch } from "./initiative-text-search.repository.js";
import { type InitiativeRow, hydrateInitiatives, nextOccurrence, selectInitiatives } from "./initiative-rows.repository.js";
import type { InitiativeKind, InitiativeTables } from "./initiative.tables.js";

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
  /** The page asked: forward after a cursor or backward before one (see pageRequest). */
  page: PageRequest;
  /** What the page's cursors belong to (see cursorScope). */
  cursorScope?: string;
}

/** The filters of a discovery without its paging and organisation (see firstPagesByOrganisation). */
export type DiscoverFilterQuery = Omit<DiscoverQuery, "organisationId" | "organisationIds" | "page" | "order" | "cursorScope">;

/** Cursor sort value of an initiative without dates in SOONEST order (sorts after every real date). */
const NO_DATE_SORT = 8.64e15;

/**
 * Public discovery: published initiatives of verified organisations whose dates are not all past,
 * filtered, ordered (relevance, soonest or newest) and paged by cursor.
 */
export async function discoverInitiatives(database: Database<InitiativeTables>, q: DiscoverQuery): Promise<Page<InitiativeRow>> {
  const t = database.tables;
  const i = t.initiatives;
  const o = t.organisations;
  const db = database.read;
  if (q.neighbourhoodIds?.length === 0 || q.kinds?.length === 0 || q.categoryIds?.length === 0) return emptyPage();
  const ref = q.from && q.from.getTime() > q.now.getTime() ? q.from : q.now;
  const conds: SQL[] = [eq(i.status, "PUBLISHED"), isNotNull(o.verifiedAt), or(isNull(i.lastEndsAt), gt(i.lastEndsAt, q.now))!];
  if (q.neighbourhoodIds) conds.push(inArray(i.neighbourhoodId, q.neighbourhoodIds));
  if (q.kinds) conds.push(inArray(i.kind, q.kinds));
  if (q.excludeKinds?.length) conds.push(notInArray(i.kind, q.excludeKinds));
  if (q.organisationId) conds.push(eq(i.organisationId, q.organisationId));
  if (q.organisationIds) conds.push(inArray(i.organisationId, q.organisationIds.length ? q.organisationIds : [""]));
  if (q.categoryIds) {
    const c = t.initiativeCategories;
    conds.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(c)
          .where(and(eq(c.initiativeId, i.id), inArray(c.categoryId, q.categoryIds))),
      ),
    );
  }
  if (q.languages?.length) {
    const l = t.initiativeLanguages;
    conds.push(
      or(
        notExists(
          db
            .select({ one: sql`1` })
            .from(l)
            .where(eq(l.initiativeId, i.id)),
        ),
        exists(
          db
            .select({ one: sql`1` })
            .from(l)
            .where(and(eq(l.initiativeId, i.id), inArray(l.language, q.languages))),
        ),
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
    conds.push(
      or(
        isNull(i.firstStartsAt),
        exists(
          db
            .select({ one: sql`1` })
            .from(occ)
            .where(and(...within)),
        ),
      )!,
    );
  }
  // Full only as published (initiative.capacity publishedPlaces): a filter must not tell more than the counts.
  if (q.hasPlacesLeft) {
    conds.push(or(isNull(i.capacity), eq(i.kind, "PARTICIPATION_PLACE"), lt(i.takenCount, PUBLISHED_PLACES_THRESHOLD), lt(i.takenCount, i.capacity))!);
  }
  const search = initiativeTextSearch(database);
  if (q.terms.length) conds.push(search.matches(q.terms));

  const order = q.order === "RELEVANCE" && q.terms.length === 0 ? "SOONEST" : q.order;
  const score = q.terms.length ? search.rank(q.terms) : sql`0`;
  const next = nextOccurrence(database, db, ref, "startsAt");
  // A backward page reads before its cursor in the reverse order (each comparison flipped, undated
  // initiatives first in SOONEST) and pageOf puts its rows back in the list's order.
  const back = q.page.backward;
  const a = q.page.cursor;
  let orderBy: SQL[];
  if (order === "RELEVANCE") {
    // Ranked pages are keyed by (rank desc, id asc); the rank is a whole number, see InitiativeTextSearch.
    if (a) {
      const [beyond, idBeyond] = back ? [sql`${score} > ${a.sort}`, lt(i.id, a.id)] : [sql`${score} < ${a.sort}`, gt(i.id, a.id)];
      conds.push(or(beyond, and(sql`${score} = ${a.sort}`, idBeyond))!);
    }
    orderBy = back ? [sql`${score} asc`, desc(i.id)] : [sql`${score} desc`, asc(i.id)];
  } else if (order === "NEWEST") {
    const page = keysetPage(i.publishedAt, i.id, q.page, "desc");
    if (page.where) conds.push(page.where);
    orderBy = page.orderBy;
  } else {
    // Soonest next date first, undated initiatives last, ties by id; an undated cursor carries NO_DATE_SORT.
    const idBeyond = (id: string) => (back ? lt(i.id, id) : gt(i.id, id));
    if (a && a.sort >= NO_DATE_SORT) {
      conds.push(back ? or(sql`${next} is not null`, and(sql`${next} is null`, idBeyond(a.id)))! : and(sql`${next} is null`, idBeyond(a.id))!);
    } else if (a) {
      const at = sql.param(new Date(a.sort), t.initiativeOccurrences.startsAt);
      conds.push(
        back ? or(sql`${next} < ${at}`, and(sql`${next} = ${at}`, idBeyond(a.id)))! : or(sql`${next} > ${at}`, and(sql`${next} = ${at}`, idBeyond(a.id)), sql`${next} is null`)!,
      );
    }
    orderBy = back ? [sql`${next} desc nulls first`, desc(i.id)] : [sql`${next} asc nulls last`, asc(i.id)];
  }
  const select = selectInitiatives(database, db, ref, score);
  const join = q.terms.length ? search.join(q.terms) : null;
  const rows = await (join ? select.innerJoin(join.source, join.on) : select)
    .where(and(...conds))
    .orderBy(...orderBy)
    .limit(q.page.limit + 1);
  const hydrated = await hydrateInitiatives(database, rows);
  const sortOf = (r: InitiativeRow) => (order === "RELEVANCE" ? r.score : order === "NEWEST" ? (r.publishedAt?.getTime() ?? 0) : (r.nextStartsAt?.getTime() ?? NO_DATE_SORT));
  return pageOf(hydrated, q.page, sortOf, q.cursorScope);
}

/**
 * discoverInitiatives' first page (SOONEST) for each of several organisations, with one query: the same rows,
 * order and cursors as a discover per organisation (`scopeOf` its cursor scope). Null when more than
 * `upTo` initiatives match in all (then ask per organisation).
 */
export async function firstPagesByOrganisation(
  db: Database<InitiativeTables>,
  q: DiscoverFilterQuery,
  organisationIds: string[],
  limit: number,
  upTo: number,
  scopeOf: (organisationId: string) => string,
): Promise<Map<string, Page<InitiativeRow>> | null> {
  const all = await discoverInitiatives(db, { ...q, organisationId: null, organisationIds, order: "SOONEST", page: { limit: upTo, cursor: null, backward: false } });
  if (all.hasNextPage) return null;
  const byOrganisation = new Map<string, InitiativeRow[]>(organisationIds.map((id) => [id, []]));
  for (const r of all.items) byOrganisation.get(r.organisationId)?.push(r);
  const sortOf = (r: InitiativeRow) => r.nextStartsAt?.getTime() ?? NO_DATE_SORT;
  return new Map([...byOrganisation].map(([id, rows]) => [id, toPage(rows, limit, false, sortOf, scopeOf(id))]));
}
