import { type SQL, and, asc, desc, eq, gt, inArray, lt, lte, or } from "drizzle-orm";
import { type Db, forUpdate } from "../../db/client.js";
import type { ContactVia, HelpRequestDatabase, HelpRequestStatus, Urgency } from "./help-request.tables.js";
import { newSortableId } from "../../shared/ids.js";

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
  /** The language the person helped needs (ISO 639 code), if stated. */
  language: string | null;
  /** Volunteers offer to help and the asking side picks one, instead of the first to accept. */
  choiceMode: boolean;
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

/** The selection of a HelpRequestRow: the request and the first name of the person helped. */
export function helpRequestColumns(db: HelpRequestDatabase) {
  const hr = db.tables.helpRequests;
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
    language: hr.language,
    choiceMode: hr.choiceMode,
    releaseCount: hr.releaseCount,
    createdAt: hr.createdAt,
    updatedAt: hr.updatedAt,
    personHelpedFirstName: db.tables.people.firstName,
  };
}

/** HelpRequestRows, for a `where`, order and limit to follow; read from `from` (a transaction) or the read side. */
export function selectHelpRequests(db: HelpRequestDatabase, from: Db = db.read) {
  const t = db.tables;
  return from.select(helpRequestColumns(db)).from(t.helpRequests).innerJoin(t.people, eq(t.people.id, t.helpRequests.personHelpedId));
}

/**
 * Help requests and their history of transitions; every status change is one conditional update.
 * SQL only: the service decides, and records the events of a change in the same unit of work.
 * The lists (browsing, a person's or an organisation's requests) are in HelpRequestBrowseRepository.
 */
export class HelpRequestRepository {
  constructor(private readonly db: HelpRequestDatabase) {}

  private get t() {
    return this.db.tables;
  }

  /** Inserts the request and its first history entry; false (and nothing written) when the id exists already. */
  async insert(
    row: Omit<HelpRequestRow, "personHelpedFirstName" | "askingOrganisationId" | "contactVia" | "sandbox" | "language" | "choiceMode"> &
      Partial<Pick<HelpRequestRow, "askingOrganisationId" | "contactVia" | "sandbox" | "language" | "choiceMode">>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.insert(this.t.helpRequests).values(row).onConflictDoNothing({ target: this.t.helpRequests.id }).returning({ id: this.t.helpRequests.id });
      if (inserted.length === 0) return false;
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
    const rows = await selectHelpRequests(this.db).where(eq(this.t.helpRequests.id, id)).limit(1);
    return rows[0];
  }

  /**
   * Applies a status change only if the row is still in an allowed state (and, when given, still
   * held by the volunteer), with its history entry in the same transaction. Returns undefined when
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
      const rows = await selectHelpRequests(this.db, tx).where(eq(hr.id, id));
      return rows[0];
    });
  }

  /** OPEN requests whose wanted window has passed, up to a batch (claimed with `expire`). */
  async dueToExpire(now: Date, batch = 500): Promise<string[]> {
    const hr = this.t.helpRequests;
    const due = await this.db.read
      .select({ id: hr.id })
      .from(hr)
      .where(and(inArray(hr.status, ["OPEN"]), lte(hr.windowEnd, now)))
      .limit(batch);
    return due.map((d) => d.id);
  }

  /**
   * Expires those of `ids` that are still OPEN past their window. Each row is claimed by a conditional
   * update, so however many instances sweep at once, each request expires (and gets its history entry)
   * exactly once; returns the ids this call claimed. A matched request does not expire: its outcome is
   * confirmed by those involved (see the service).
   */
  async expire(ids: string[], now: Date): Promise<string[]> {
    const hr = this.t.helpRequests;
    return this.db.transaction(async (tx) => {
      const stillDue = and(inArray(hr.id, ids), inArray(hr.status, ["OPEN"]), lte(hr.windowEnd, now));
      const before = new Map((await forUpdate(this.db, tx.select({ id: hr.id, status: hr.status }).from(hr).where(stillDue))).map((r) => [r.id, r.status]));
      const claimed = await tx.update(hr).set({ status: "EXPIRED", updatedAt: now }).where(stillDue).returning({ id: hr.id });
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
      }
      return claimed.map((c) => c.id);
    });
  }

  /**
   * Matched requests whose window has ended and that have not been asked for their outcome yet: still
   * unchanged since before their window ended. Up to a batch, claimed with `claimOutcomesDue`.
   */
  async outcomesDue(now: Date, batch = 500): Promise<string[]> {
    const due = await this.db.read.select({ id: this.t.helpRequests.id }).from(this.t.helpRequests).where(this.outcomePending(now)).limit(batch);
    return due.map((d) => d.id);
  }

  /**
   * Marks those of `ids` still waiting as asked for their outcome, once: a conditional update moves
   * their `updatedAt` past the window, so however many instances sweep at once, each request is
   * claimed by one of them. Returns the ids this call claimed.
   */
  async claimOutcomesDue(ids: string[], now: Date): Promise<string[]> {
    const hr = this.t.helpRequests;
    return this.db.transaction(async (tx) => {
      const claimed = await tx.update(hr).set({ updatedAt: now }).where(this.outcomePending(now, ids)).returning({ id: hr.id });
      return claimed.map((c) => c.id);
    });
  }

  private outcomePending(now: Date, ids?: string[]) {
    const hr = this.t.helpRequests;
    return and(ids ? inArray(hr.id, ids) : undefined, inArray(hr.status, ["MATCHED", "IN_PROGRESS"]), lte(hr.windowEnd, now), lt(hr.updatedAt, hr.windowEnd));
  }

  /**
   * OPEN requests whose last change (their opening) is older than the limit for their urgency, and
   * whose limit came while their window was still open. Which came first decides, not when the sweep
   * looks: a sweep that runs late (a stopped server, a simulated clock moved by days) acts as one that
   * ran on time would have — a request whose window ended before its limit expires instead.
   */
  async openPastLimit(now: Date, limitsMs: Record<Urgency, number>, batch = 500, maxBatches = 20): Promise<HelpRequestRow[]> {
    const hr = this.t.helpRequests;
    const perUrgency = (Object.entries(limitsMs) as [Urgency, number][]).map(([urgency, ms]) => and(eq(hr.urgency, urgency), lte(hr.updatedAt, new Date(now.getTime() - ms)))!);
    // Paged by (updatedAt, id): candidates the caller passes over (a case handed back stays open) never
    // hide the ones after them.
    const out: HelpRequestRow[] = [];
    let after: { updatedAt: Date; id: string } | null = null;
    for (let i = 0; i < maxBatches; i++) {
      const page: HelpRequestRow[] = await selectHelpRequests(this.db)
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

  /** Requests needing a VOG that the volunteer holds (MATCHED or IN_PROGRESS). */
  async heldNeedingVog(volunteerId: string): Promise<HelpRequestRow[]> {
    const hr = this.t.helpRequests;
    return selectHelpRequests(this.db).where(and(eq(hr.volunteerId, volunteerId), eq(hr.vogRequired, true), inArray(hr.status, ["MATCHED", "IN_PROGRESS"])));
  }

  /** Requests the volunteer holds (MATCHED or IN_PROGRESS). */
  async heldBy(volunteerId: string): Promise<HelpRequestRow[]> {
    const hr = this.t.helpRequests;
    return selectHelpRequests(this.db).where(and(eq(hr.volunteerId, volunteerId), inArray(hr.status, ["MATCHED", "IN_PROGRESS"])));
  }
}
