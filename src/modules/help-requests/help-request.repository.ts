import { LRUCache } from "lru-cache";
import { type Column, Param, type SQL, and, asc, desc, eq, gt, gte, inArray, lt, lte, ne, or, sql } from "drizzle-orm";
import { type Database, type Db, type PreparedRead, forUpdate, prepareRead } from "../../db/client.js";
import { afterKey } from "../../db/keyset.js";
import type { ContactVia, HelpRequestStatus, Urgency } from "../../db/tables.js";
import { topics } from "../../shared/events.js";
import { newId, newSortableId } from "../../shared/ids.js";
import { type CursorKey, type Page, emptyPage, toPage } from "../../shared/pagination.js";

export interface HelpRequestRow {
  id: string;
  personHelpedId: string;
  askedById: string;
  categoryId: string;
  neighbourhoodId: string;
  title: string;
  description: string;
  urgency: Urgency;
  vogRequired: boolean;
  windowStart: Date;
  windowEnd: Date;
  status: HelpRequestStatus;
  volunteerId: string | null;
  /** The organisation that took the request on for one of its volunteers (then `volunteerId`). */
  organisationId: string | null;
  /** The organisation (e.g. a wijkwinkel) it was asked for: its organisers share it with the asker. */
  askingOrganisationId: string | null;
  /** Whom the matched volunteer contacts: the person helped or whoever asked. */
  contactVia: ContactVia;
  /** Asked with a partner app's sandbox key: no volunteer, organisation, team or statistic sees it. */
  sandbox: boolean;
  releaseCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** Joined from the person helped: the only personal detail every viewer may see. */
  personHelpedFirstName: string;
}

export interface HelpRequestEventRow {
  id: string;
  helpRequestId: string;
  fromStatus: HelpRequestStatus | null;
  toStatus: HelpRequestStatus;
  actorId: string | null;
  note: string | null;
  at: Date;
}

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
  after: CursorKey | null;
  limit: number;
  /** What the page's cursors belong to (see cursorScope). */
  cursorScope: string;
}

export interface Transition {
  from: HelpRequestStatus[];
  to: HelpRequestStatus;
  /** Extra condition the row must meet, checked atomically with the status (e.g. the matched volunteer). */
  volunteerId?: string;
  /** Extra condition: the organisation that holds the request. */
  organisationId?: string;
  set?: Partial<Pick<HelpRequestRow, "volunteerId" | "organisationId">> & { incrementReleases?: boolean };
  actorId: string | null;
  note: string | null;
  at: Date;
}

/** Help requests and their event history; every status change is one conditional update. */
export class HelpRequestRepository {
  private readonly browseQueries = new LRUCache<string, PreparedRead<HelpRequestRow>>({ max: 200 });

  constructor(private readonly db: Database) {}

  private get t() {
    return this.db.tables;
  }

  private columns() {
    const hr = this.t.helpRequests;
    return {
      id: hr.id,
      personHelpedId: hr.personHelpedId,
      askedById: hr.askedById,
      categoryId: hr.categoryId,
      neighbourhoodId: hr.neighbourhoodId,
      title: hr.title,
      description: hr.description,
      urgency: hr.urgency,
      vogRequired: hr.vogRequired,
      windowStart: hr.windowStart,
      windowEnd: hr.windowEnd,
      status: hr.status,
      volunteerId: hr.volunteerId,
      organisationId: hr.organisationId,
      askingOrganisationId: hr.askingOrganisationId,
      contactVia: hr.contactVia,
      sandbox: hr.sandbox,
      releaseCount: hr.releaseCount,
      createdAt: hr.createdAt,
      updatedAt: hr.updatedAt,
      personHelpedFirstName: this.t.people.firstName,
    };
  }

  private selectRows(db: Db = this.db.read) {
    return db
      .select(this.columns())
      .from(this.t.helpRequests)
      .innerJoin(this.t.people, eq(this.t.people.id, this.t.helpRequests.personHelpedId));
  }

  /** Inserts the request and its first event; false (and nothing written) when the id exists already. */
  async insert(
    row: Omit<HelpRequestRow, "personHelpedFirstName" | "askingOrganisationId" | "contactVia" | "sandbox"> &
      Partial<Pick<HelpRequestRow, "askingOrganisationId" | "contactVia" | "sandbox">>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(this.t.helpRequests)
        .values(row)
        .onConflictDoNothing({ target: this.t.helpRequests.id })
        .returning({ id: this.t.helpRequests.id });
      if (inserted.length === 0) return false;
      await this.db.recordEvents([
        { topic: topics.helpRequestPosted, id: row.id, kind: "POSTED" },
        { topic: topics.helpRequestChanged(row.id), id: row.id, kind: row.status },
      ]);
      await tx.insert(this.t.helpRequestEvents).values({
        id: newSortableId("HelpRequestEvent"),
        helpRequestId: row.id,
        fromStatus: null,
        toStatus: row.status,
        actorId: row.askedById,
        note: null,
        at: row.createdAt,
      });
      return true;
    });
  }

  async findById(id: string): Promise<HelpRequestRow | undefined> {
    const rows = await this.selectRows().where(eq(this.t.helpRequests.id, id)).limit(1);
    return rows[0];
  }

  async findByIds(ids: readonly string[]): Promise<HelpRequestRow[]> {
    return this.selectRows().where(inArray(this.t.helpRequests.id, [...ids]));
  }

  /**
   * Applies a status change only if the row is still in an allowed state (and, when given, still
   * held by the volunteer), and records the event in the same transaction. Returns undefined when
   * another change got there first; that is how concurrent accepts end with exactly one winner.
   */
  async transition(id: string, change: Transition): Promise<HelpRequestRow | undefined> {
    const hr = this.t.helpRequests;
    return this.db.transaction(async (tx) => {
      // Locked: the status recorded as "from" and the release count are the ones this update changes.
      const current = await forUpdate(this.db, tx.select({ status: hr.status, releaseCount: hr.releaseCount }).from(hr).where(eq(hr.id, id)));
      if (!current[0]) return undefined;
      // The time was read before the lock was ours: a transition that committed while we waited may carry a
      // later one. The history is in time order, so this one is recorded no earlier than the last.
      const e = this.t.helpRequestEvents;
      const last = await tx.select({ at: e.at }).from(e).where(eq(e.helpRequestId, id)).orderBy(desc(e.at)).limit(1);
      const at = last[0] && last[0].at.getTime() > change.at.getTime() ? last[0].at : change.at;
      const conds: SQL[] = [eq(hr.id, id), inArray(hr.status, change.from)];
      if (change.volunteerId !== undefined) conds.push(eq(hr.volunteerId, change.volunteerId));
      if (change.organisationId !== undefined) conds.push(eq(hr.organisationId, change.organisationId));
      const updated = await tx
        .update(hr)
        .set({
          status: change.to,
          updatedAt: at,
          ...(change.set && "volunteerId" in change.set ? { volunteerId: change.set.volunteerId } : {}),
          ...(change.set && "organisationId" in change.set ? { organisationId: change.set.organisationId } : {}),
          ...(change.set?.incrementReleases ? { releaseCount: current[0].releaseCount + 1 } : {}),
        })
        .where(and(...conds))
        .returning({ id: hr.id });
      if (updated.length === 0) return undefined;
      await tx.insert(this.t.helpRequestEvents).values({
        id: newSortableId("HelpRequestEvent"),
        helpRequestId: id,
        fromStatus: current[0].status,
        toStatus: change.to,
        actorId: change.actorId,
        note: change.note,
        at,
      });
      await this.db.recordEvents([
        { topic: topics.helpRequestChanged(id), id, kind: change.to },
        ...(change.to === "OPEN" ? [{ topic: topics.helpRequestPosted, id, kind: "REOPENED" }] : []),
      ]);
      const rows = await this.selectRows(tx).where(eq(hr.id, id));
      return rows[0];
    });
  }

  /**
   * Expires OPEN requests whose wanted window has passed. Each row is claimed by a conditional update, so
   * however many instances sweep at once, each request expires (and gets its event) exactly once. A
   * matched request does not expire: its outcome is confirmed by those involved (see the service).
   */
  async expireDue(now: Date, batch = 500): Promise<string[]> {
    const hr = this.t.helpRequests;
    const due = await this.db.read
      .select({ id: hr.id })
      .from(hr)
      .where(and(inArray(hr.status, ["OPEN"]), lte(hr.windowEnd, now)))
      .limit(batch);
    if (due.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const stillDue = and(
        inArray(
          hr.id,
          due.map((d) => d.id),
        ),
        inArray(hr.status, ["OPEN"]),
        lte(hr.windowEnd, now),
      );
      const before = new Map(
        (await forUpdate(this.db, tx.select({ id: hr.id, status: hr.status }).from(hr).where(stillDue))).map((r) => [r.id, r.status]),
      );
      const claimed = await tx
        .update(hr)
        .set({ status: "EXPIRED", updatedAt: now })
        .where(stillDue)
        .returning({ id: hr.id });
      if (claimed.length) {
        await tx.insert(this.t.helpRequestEvents).values(
          claimed.map((c) => ({
            id: newSortableId("HelpRequestEvent"),
            helpRequestId: c.id,
            fromStatus: before.get(c.id) ?? null,
            toStatus: "EXPIRED" as const,
            actorId: null,
            note: "The wanted time window passed.",
            at: now,
          })),
        );
        await this.db.recordEvents(claimed.map((c) => ({ topic: topics.helpRequestChanged(c.id), id: c.id, kind: "EXPIRED" })));
      }
      return claimed.map((c) => c.id);
    });
  }

  /**
   * Marks matched requests whose window has ended as waiting for their outcome, once: a request still
   * unchanged since before its window ended is claimed by a conditional update (its `updatedAt` moves
   * past the window), with a helpRequestChanged event of kind OUTCOME_DUE for those involved. However
   * many instances sweep at once, each request is asked once.
   */
  async askOutcomesDue(now: Date, batch = 500): Promise<string[]> {
    const hr = this.t.helpRequests;
    const pending = (ids?: string[]) =>
      and(
        ids ? inArray(hr.id, ids) : undefined,
        inArray(hr.status, ["MATCHED", "IN_PROGRESS"]),
        lte(hr.windowEnd, now),
        lt(hr.updatedAt, hr.windowEnd),
      );
    const due = await this.db.read.select({ id: hr.id }).from(hr).where(pending()).limit(batch);
    if (due.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const claimed = await tx
        .update(hr)
        .set({ updatedAt: now })
        .where(pending(due.map((d) => d.id)))
        .returning({ id: hr.id });
      if (claimed.length) {
        await this.db.recordEvents(claimed.map((c) => ({ topic: topics.helpRequestChanged(c.id), id: c.id, kind: "OUTCOME_DUE" })));
      }
      return claimed.map((c) => c.id);
    });
  }

  /**
   * OPEN requests whose last change (their opening) is older than the limit for their urgency, and
   * whose limit came while their window was still open. Which came first decides, not when the sweep
   * looks: a sweep that runs late (a stopped server, a simulated clock moved by days) acts as one that
   * ran on time would have — a request whose window ended before its limit expires instead.
   */
  async openPastLimit(now: Date, limitsMs: Record<Urgency, number>, batch = 500, maxBatches = 20): Promise<HelpRequestRow[]> {
    const hr = this.t.helpRequests;
    const perUrgency = (Object.entries(limitsMs) as [Urgency, number][]).map(
      ([urgency, ms]) => and(eq(hr.urgency, urgency), lte(hr.updatedAt, new Date(now.getTime() - ms)))!,
    );
    // Paged by (updatedAt, id): candidates the caller passes over (a case handed back stays open) never
    // hide the ones after them.
    const out: HelpRequestRow[] = [];
    let after: { updatedAt: Date; id: string } | null = null;
    for (let i = 0; i < maxBatches; i++) {
      const page: HelpRequestRow[] = await this.selectRows()
        .where(
          and(
            eq(hr.status, "OPEN"),
            eq(hr.sandbox, false),
            or(...perUrgency),
            after ? or(gt(hr.updatedAt, after.updatedAt), and(eq(hr.updatedAt, after.updatedAt), gt(hr.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(hr.updatedAt), asc(hr.id))
        .limit(batch);
      // The window test needs date arithmetic that differs per dialect, so it is applied here.
      out.push(...page.filter((r) => r.windowEnd.getTime() > r.updatedAt.getTime() + limitsMs[r.urgency]));
      if (page.length < batch) break;
      after = { updatedAt: page[page.length - 1].updatedAt, id: page[page.length - 1].id };
    }
    return out;
  }

  async findEvent(id: string): Promise<HelpRequestEventRow | undefined> {
    const e = this.t.helpRequestEvents;
    const rows = await this.db.read.select().from(e).where(eq(e.id, id)).limit(1);
    return rows[0];
  }

  /** The events of several requests in one query, each request's in order. */
  async eventsFor(helpRequestIds: readonly string[]): Promise<HelpRequestEventRow[][]> {
    const e = this.t.helpRequestEvents;
    const rows = await this.db.read
      .select()
      .from(e)
      .where(inArray(e.helpRequestId, [...helpRequestIds]))
      .orderBy(asc(e.at), asc(e.id));
    return helpRequestIds.map((id) => rows.filter((r) => r.helpRequestId === id));
  }

  async events(helpRequestId: string): Promise<HelpRequestEventRow[]> {
    const e = this.t.helpRequestEvents;
    return this.db.read.select().from(e).where(eq(e.helpRequestId, helpRequestId)).orderBy(asc(e.at), asc(e.id));
  }

  /** Open requests that fit a volunteer, newest or soonest first, one page after a cursor. */
  async browse(q: BrowseQuery): Promise<Page<HelpRequestRow>> {
    if (q.neighbourhoodIds.length === 0 || q.categoryIds.length === 0) return emptyPage();
    const values: Record<string, unknown> = { now: q.now, viewer: q.viewerId, limit: q.limit + 1 };
    q.neighbourhoodIds.forEach((id, i) => (values[`n${i}`] = id));
    q.categoryIds.forEach((id, i) => (values[`c${i}`] = id));
    q.urgencies?.forEach((u, i) => (values[`u${i}`] = u));
    if (q.from) values.from = q.from;
    if (q.to) values.to = q.to;
    if (q.after) {
      values.afterSort = new Date(q.after.sort);
      values.afterId = q.after.id;
    }
    const rows = await this.browseQuery(q)(values);
    const sortOf = (r: HelpRequestRow) => (q.order === "NEWEST" ? r.createdAt : r.windowStart).getTime();
    return toPage(rows, q.limit, q.after !== null, sortOf, q.cursorScope);
  }

  /**
   * The browse statement for the query's shape (how many neighbourhoods, categories and urgencies,
   * which filters, order and cursor), built once and reused: browsing is the busiest read.
   */
  private browseQuery(q: BrowseQuery): PreparedRead<HelpRequestRow> {
    const shape = [q.neighbourhoodIds.length, q.categoryIds.length, q.urgencies?.length ?? 0, q.vogVerified ? "v" : "", q.from ? "f" : "", q.to ? "t" : "", q.order === "NEWEST" ? "n" : "s", q.after ? "a" : ""].join("_");
    const cached = this.browseQueries.get(shape);
    if (cached) return cached;
    const hr = this.t.helpRequests;
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
    if (q.after) {
      const at = time("afterSort", key);
      const id = p("afterId");
      conds.push(q.order === "NEWEST" ? or(lt(key, at), and(eq(key, at), lt(hr.id, id)))! : or(gt(key, at), and(eq(key, at), gt(hr.id, id)))!);
    }
    // The page is chosen on the open-requests index alone (read in order, stopping when the page is
    // full), then joined to the full rows. SQLite's planner, left to itself, reads every open
    // request in the volunteer's neighbourhoods (or all of them, for a volunteer who covers many)
    // and sorts, so the index is named for it; PostgreSQL's planner finds it unaided.
    const index = q.order === "NEWEST" ? "help_requests_open_newest_idx" : "help_requests_open_soonest_idx";
    const hint = this.db.dialect === "sqlite" ? sql` indexed by ${sql.identifier(index)}` : sql``;
    const order = q.order === "NEWEST" ? [desc(key), desc(hr.id)] : [asc(key), asc(hr.id)];
    const page = sql`(select ${hr.id} from ${hr}${hint} where ${and(...conds)} order by ${sql.join(order, sql`, `)} limit ${sql.placeholder("limit")})`;
    const query = this.selectRows().where(inArray(hr.id, page)).orderBy(...order);
    const prepared = prepareRead<HelpRequestRow>(this.db, `browse_${shape}`, query, this.columns());
    this.browseQueries.set(shape, prepared);
    return prepared;
  }

  /**
   * Open requests that fit at least one of the given volunteers (each one's neighbourhoods, categories
   * and VOG, never a request they asked or are helped by), newest first: an organisation's view of
   * what it may take on for its volunteers. Each volunteer is its own condition, so a request in one
   * volunteer's neighbourhood and another's category fits nobody.
   */
  async openForFits(q: {
    fits: { personId: string; neighbourhoodIds: string[]; categoryIds: string[]; vogVerified: boolean }[];
    now: Date;
    after: CursorKey | null;
    limit: number;
    cursorScope: string;
  }): Promise<Page<HelpRequestRow>> {
    const hr = this.t.helpRequests;
    const fitting = q.fits
      .filter((f) => f.neighbourhoodIds.length > 0 && f.categoryIds.length > 0)
      .map(
        (f) =>
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
    return this.newestFirst(conds, q.after, q.limit, q.cursorScope);
  }

  /** Whether the organisation asked for this person before (its organisers may name them again). */
  async organisationAskedFor(organisationId: string, personId: string): Promise<boolean> {
    const hr = this.t.helpRequests;
    const rows = await this.db.read
      .select({ id: hr.id })
      .from(hr)
      .where(and(eq(hr.askingOrganisationId, organisationId), eq(hr.personHelpedId, personId)))
      .limit(1);
    return rows.length > 0;
  }

  /** Requests asked for an organisation, newest first. */
  async forAskingOrganisation(
    organisationId: string,
    statuses: HelpRequestStatus[] | null,
    after: CursorKey | null,
    limit: number,
    cursorScope: string,
  ): Promise<Page<HelpRequestRow>> {
    const hr = this.t.helpRequests;
    const conds: SQL[] = [eq(hr.askingOrganisationId, organisationId)];
    if (statuses?.length) conds.push(inArray(hr.status, statuses));
    return this.newestFirst(conds, after, limit, cursorScope);
  }

  /** Requests needing a VOG that the volunteer holds (MATCHED or IN_PROGRESS). */
  async heldNeedingVog(volunteerId: string): Promise<HelpRequestRow[]> {
    const hr = this.t.helpRequests;
    return this.selectRows().where(and(eq(hr.volunteerId, volunteerId), eq(hr.vogRequired, true), inArray(hr.status, ["MATCHED", "IN_PROGRESS"])));
  }

  /** Requests the volunteer holds (MATCHED or IN_PROGRESS). */
  async heldBy(volunteerId: string): Promise<HelpRequestRow[]> {
    const hr = this.t.helpRequests;
    return this.selectRows().where(and(eq(hr.volunteerId, volunteerId), inArray(hr.status, ["MATCHED", "IN_PROGRESS"])));
  }

  /** Requests a person asked, is helped by, or helps, newest first. */
  async forPerson(
    personId: string,
    relation: "ASKED" | "HELPING",
    statuses: HelpRequestStatus[] | null,
    after: CursorKey | null,
    limit: number,
    cursorScope = "",
  ): Promise<Page<HelpRequestRow>> {
    const hr = this.t.helpRequests;
    const conds: SQL[] = [
      relation === "HELPING"
        ? eq(hr.volunteerId, personId)
        : or(eq(hr.askedById, personId), eq(hr.personHelpedId, personId))!,
    ];
    if (statuses?.length) conds.push(inArray(hr.status, statuses));
    return this.newestFirst(conds, after, limit, cursorScope);
  }

  /** A page of the requests matching `conds`, newest first, after the cursor's request. */
  private async newestFirst(conds: SQL[], after: CursorKey | null, limit: number, cursorScope: string): Promise<Page<HelpRequestRow>> {
    const hr = this.t.helpRequests;
    const where = [...conds];
    if (after) {
      where.push(afterKey(hr.createdAt, hr.id, after, "desc"));
    }
    const rows = await this.selectRows()
      .where(and(...where))
      .orderBy(desc(hr.createdAt), desc(hr.id))
      .limit(limit + 1);
    return toPage(rows, limit, after !== null, (r) => r.createdAt.getTime(), cursorScope);
  }
}


