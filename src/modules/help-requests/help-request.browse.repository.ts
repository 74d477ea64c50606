import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { type Column, Param, type SQL, and, asc, desc, eq, gt, gte, inArray, lt, lte, ne, or, sql } from "drizzle-orm";
import { type PreparedRead, prepareRead } from "../../db/client.js";
import { keysetPage } from "../../db/keyset.js";
import type { HelpRequestDatabase, HelpRequestStatus, Urgency } from "./help-request.tables.js";
import { type Page, type PageRequest, emptyPage, pageOf } from "../../shared/pagination.js";
import { type HelpRequestRow, helpRequestColumns, selectHelpRequests } from "./help-request.repository.js";

export type BrowseOrder = "NEWEST" | "SOONEST";

export interface BrowseQuery {
  viewerId: string;
  neighbourhoodIds: string[];
  categoryIds: string[];
  vogVerified: boolean;
  urgencies: Urgency[] | null;
  from: Date | null;
  to: Date | null;
  now: Date;
  order: BrowseOrder;
  page: PageRequest;
  /** What the page's cursors belong to (see cursorScope). */
  cursorScope: string;
  /**
   * The fields the operation selects on each request (`browseFields`), or null for all: the page then
   * reads only their columns. Fields beyond `NARROW_FIELDS` read the whole row.
   */
  fields?: ReadonlySet<string> | null;
}

type RowKey = keyof HelpRequestRow;
/**
 * The columns each field of a request needs, for the fields a list of open requests is usually read
 * with. A field not named here (contact, history, offers, ...) reads the whole row, so every rule that
 * looks at a row still sees all of it.
 */
const NARROW_FIELDS: Record<string, readonly RowKey[]> = {
  __typename: [],
  id: [],
  title: ["title"],
  description: ["description"],
  urgency: ["urgency"],
  vogRequired: ["vogRequired"],
  sandbox: ["sandbox"],
  choiceMode: ["choiceMode"],
  windowStart: [],
  windowEnd: [],
  status: ["status"],
  language: [],
  contactVia: ["contactVia"],
  createdAt: [],
  updatedAt: ["updatedAt"],
  category: ["categoryId"],
  neighbourhood: ["neighbourhoodId"],
  personHelped: ["personHelpedId", "personHelpedFirstName"],
  askedOnBehalf: ["askedById", "personHelpedId"],
};
/** Always read: the id, both sort keys of the cursors, and what the fit to availability and languages looks at. */
const ALWAYS: readonly RowKey[] = ["id", "createdAt", "windowStart", "windowEnd", "language"];

/** The row keys a page must read for these fields, in the order of `all` (every key of a row); null: all of them. */
export function browseColumnKeys(fields: ReadonlySet<string> | null | undefined, all: readonly RowKey[]): RowKey[] | null {
  if (!fields) return null;
  const keys = new Set<RowKey>(ALWAYS);
  for (const field of fields) {
    const needs = NARROW_FIELDS[field];
    if (!needs) return null;
    for (const k of needs) keys.add(k);
  }
  return all.filter((k) => keys.has(k));
}

/** A volunteer's fit as a condition: their neighbourhoods, categories and VOG, never a request they asked or are helped by. */
export interface FitQuery {
  personId: string;
  neighbourhoodIds: string[];
  categoryIds: string[];
  vogVerified: boolean;
}

/**
 * The read path of help requests: pages of open requests for volunteers and organisations, and of a
 * person's or an organisation's own requests. SQL only; browsing is the busiest read, so its
 * statements are prepared once per shape.
 */
export class HelpRequestBrowseRepository {
  private readonly browseQueries = new LRUCache<string, PreparedRead<HelpRequestRow>>({ max: 200 });
  /** Every key of a row, in the order helpRequestColumns lists them. */
  private rowKeys: RowKey[] | undefined;

  constructor(private readonly db: HelpRequestDatabase) {}

  private get hr() {
    return this.db.tables.helpRequests;
  }

  /** Open requests that fit a volunteer, newest or soonest first, one page after (or before) a cursor. */
  async browse(q: BrowseQuery): Promise<Page<HelpRequestRow>> {
    if (q.neighbourhoodIds.length === 0 || q.categoryIds.length === 0) return emptyPage();
    const values: Record<string, unknown> = { now: q.now, viewer: q.viewerId };
    q.neighbourhoodIds.forEach((id, i) => (values[`n${i}`] = id));
    q.categoryIds.forEach((id, i) => (values[`c${i}`] = id));
    q.urgencies?.forEach((u, i) => (values[`u${i}`] = u));
    if (q.from) values.from = q.from;
    if (q.to) values.to = q.to;
    if (q.page.cursor) {
      values.afterSort = new Date(q.page.cursor.sort);
      values.afterId = q.page.cursor.id;
    }
    const rows = await this.browseQuery(q)(values);
    const sortOf = (r: HelpRequestRow) => (q.order === "NEWEST" ? r.createdAt : r.windowStart).getTime();
    return pageOf(rows, q.page, sortOf, q.cursorScope);
  }

  /**
   * The browse statement for the query's shape (how many neighbourhoods, categories and urgencies,
   * which filters, order, cursor and direction), built once and reused: browsing is the busiest read.
   * A backward page (`last`/`before`) is its own shape: the same index read the other way, so the
   * forward statements are untouched.
   */
  private browseQuery(q: BrowseQuery): PreparedRead<HelpRequestRow> {
    this.rowKeys ??= Object.keys(helpRequestColumns(this.db)) as RowKey[];
    const keys = browseColumnKeys(q.fields, this.rowKeys);
    const shape = [
      q.neighbourhoodIds.length,
      q.categoryIds.length,
      q.urgencies?.length ?? 0,
      q.vogVerified ? "v" : "",
      q.from ? "f" : "",
      q.to ? "t" : "",
      q.order === "NEWEST" ? "n" : "s",
      q.page.cursor ? "a" : "",
      q.page.backward ? "b" : "",
      q.page.limit,
      keys ? keys.join(",") : "*",
    ].join("_");
    const cached = this.browseQueries.get(shape);
    if (cached) return cached;
    const hr = this.hr;
    const p = (name: string) => sql.placeholder(name);
    // A time placeholder is bound to its column, so a Date is encoded as the dialect stores times.
    const time = (name: string, column: Column) => new Param(p(name), column);
    const list = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => p(`${prefix}${i}`));
    const conds: SQL[] = [
      // A literal, not a parameter: it is what lets the engine use the open-requests index.
      sql`${hr.status} = 'OPEN'`,
      inArray(hr.neighbourhoodId, list("n", q.neighbourhoodIds.length)),
      inArray(hr.categoryId, list("c", q.categoryIds.length)),
      gt(hr.windowEnd, time("now", hr.windowEnd)),
      ne(hr.askedById, p("viewer")),
      ne(hr.personHelpedId, p("viewer")),
      eq(hr.sandbox, false),
    ];
    if (!q.vogVerified) conds.push(eq(hr.vogRequired, false));
    if (q.urgencies?.length) conds.push(inArray(hr.urgency, list("u", q.urgencies.length)));
    if (q.from) conds.push(gte(hr.windowEnd, time("from", hr.windowEnd)));
    if (q.to) conds.push(lte(hr.windowStart, time("to", hr.windowStart)));
    const key = q.order === "NEWEST" ? hr.createdAt : hr.windowStart;
    // Newest first reads down the keys, soonest first up; a backward page reads the other way.
    const down = (q.order === "NEWEST") !== q.page.backward;
    if (q.page.cursor) {
      const at = time("afterSort", key);
      const id = p("afterId");
      conds.push(down ? or(lt(key, at), and(eq(key, at), lt(hr.id, id)))! : or(gt(key, at), and(eq(key, at), gt(hr.id, id)))!);
    }
    // The page is read on the open-requests index in order, stopping when the page is full; the
    // conditions are decided on the index's own columns before a row is read. SQLite's planner, left
    // to itself, reads every open request in the volunteer's neighbourhoods (or all of them, for a
    // volunteer who covers many) and sorts, so the index is named for it; PostgreSQL's planner finds
    // it unaided. The limit is written into the statement (one statement per page size), which lets
    // SQLite plan to stop early; only the columns the operation's fields need are read, and the
    // person helped is joined only when their name is asked for.
    const index = q.order === "NEWEST" ? "help_requests_open_newest_idx" : "help_requests_open_soonest_idx";
    const order = down ? [desc(key), desc(hr.id)] : [asc(key), asc(hr.id)];
    const all = helpRequestColumns(this.db);
    const columns: Record<string, Column> = keys ? Object.fromEntries(keys.map((k) => [k, all[k]])) : all;
    const joinPerson = !keys || keys.includes("personHelpedFirstName");
    // drizzle names no index in a FROM: on SQLite the table is given as SQL with its hint, and the
    // columns as SQL decoded by their column (drizzle checks plain columns against the FROM's tables).
    const base =
      this.db.dialect === "sqlite"
        ? this.db.read.select(Object.fromEntries(Object.entries(columns).map(([k, c]) => [k, sql`${c}`.mapWith(c)]))).from(sql`${hr} indexed by ${sql.identifier(index)}`)
        : this.db.read.select(columns as typeof all).from(hr);
    const joined = joinPerson ? base.innerJoin(this.db.tables.people, eq(this.db.tables.people.id, hr.personHelpedId)) : base;
    const query = joined
      .where(and(...conds))
      .orderBy(...order)
      .limit(sql.raw(String(q.page.limit + 1)) as unknown as number);
    const prepared = prepareRead<HelpRequestRow>(this.db, `browse_${createHash("sha256").update(shape).digest("hex").slice(0, 24)}`, query, columns);
    this.browseQueries.set(shape, prepared);
    return prepared;
  }

  /**
   * Open requests that fit at least one of the given volunteers, newest first: an organisation's view
   * of what it may take on for its volunteers. Each volunteer is its own condition, so a request in one
   * volunteer's neighbourhood and another's category fits nobody.
   */
  async openForFits(q: { fits: FitQuery[]; now: Date; page: PageRequest; cursorScope: string }): Promise<Page<HelpRequestRow>> {
    const hr = this.hr;
    const fitting = q.fits
      .filter((f) => f.neighbourhoodIds.length > 0 && f.categoryIds.length > 0)
      .map((f) =>
        and(
          inArray(hr.neighbourhoodId, f.neighbourhoodIds),
          inArray(hr.categoryId, f.categoryIds),
          f.vogVerified ? undefined : eq(hr.vogRequired, false),
          ne(hr.askedById, f.personId),
          ne(hr.personHelpedId, f.personId),
        )!,
      );
    if (fitting.length === 0) return emptyPage();
    const conds: SQL[] = [eq(hr.status, "OPEN"), eq(hr.sandbox, false), gt(hr.windowEnd, q.now), or(...fitting)!];
    return this.newestFirst(conds, q.page, q.cursorScope);
  }

  /** Requests asked for an organisation, newest first. */
  async forAskingOrganisation(organisationId: string, statuses: HelpRequestStatus[] | null, page: PageRequest, cursorScope: string): Promise<Page<HelpRequestRow>> {
    return this.newestFirst(this.askedForOrganisation(organisationId, statuses), page, cursorScope);
  }

  /** Requests a person asked, is helped by, or helps, newest first. */
  async forPerson(personId: string, relation: "ASKED" | "HELPING", statuses: HelpRequestStatus[] | null, page: PageRequest, cursorScope = ""): Promise<Page<HelpRequestRow>> {
    return this.newestFirst(this.ofPerson(personId, relation, statuses), page, cursorScope);
  }

  /** How many requests `forPerson` pages through: one COUNT on the asker, helped-person or volunteer index. */
  countForPerson(personId: string, relation: "ASKED" | "HELPING", statuses: HelpRequestStatus[] | null): Promise<number> {
    return this.count(this.ofPerson(personId, relation, statuses));
  }

  /** How many requests `forAskingOrganisation` pages through. */
  countForAskingOrganisation(organisationId: string, statuses: HelpRequestStatus[] | null): Promise<number> {
    return this.count(this.askedForOrganisation(organisationId, statuses));
  }

  private ofPerson(personId: string, relation: "ASKED" | "HELPING", statuses: HelpRequestStatus[] | null): SQL[] {
    const hr = this.hr;
    const conds: SQL[] = [relation === "HELPING" ? eq(hr.volunteerId, personId) : or(eq(hr.askedById, personId), eq(hr.personHelpedId, personId))!];
    if (statuses?.length) conds.push(inArray(hr.status, statuses));
    return conds;
  }

  private askedForOrganisation(organisationId: string, statuses: HelpRequestStatus[] | null): SQL[] {
    const conds: SQL[] = [eq(this.hr.askingOrganisationId, organisationId)];
    if (statuses?.length) conds.push(inArray(this.hr.status, statuses));
    return conds;
  }

  private async count(conds: SQL[]): Promise<number> {
    const [row] = await this.db.read
      .select({ n: sql<number>`count(*)` })
      .from(this.hr)
      .where(and(...conds));
    return Number(row?.n ?? 0);
  }

  /** A page of the requests matching `conds`, newest first, after (or before) the cursor's request. */
  private async newestFirst(conds: SQL[], page: PageRequest, cursorScope: string): Promise<Page<HelpRequestRow>> {
    const hr = this.hr;
    const keyset = keysetPage(hr.createdAt, hr.id, page, "desc");
    const rows = await selectHelpRequests(this.db)
      .where(and(...conds, keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows, page, (r) => r.createdAt.getTime(), cursorScope);
  }
}
