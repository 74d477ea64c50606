import { type SQL, and, eq, getTableName, gte, inArray, isNotNull, isNull, lt, min, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { CareTables } from "../care/care.tables.js";
import type { EscalationTables } from "../escalation/escalation.tables.js";
import type { HelpRequestTables } from "../help-requests/help-request.tables.js";
import type { InitiativeTables } from "../initiatives/initiative.tables.js";
import type { PersonTables } from "../people/person.tables.js";

export interface AskedRow {
  id: string;
  neighbourhoodId: string;
  categoryId: string;
  personHelpedId: string;
  askedById: string;
  createdAt: Date;
}

export interface MatchRow {
  neighbourhoodId: string;
  actorId: string | null;
  at: Date;
}

export interface EscalationFactRow {
  neighbourhoodId: string;
  trigger: string;
  outcome: string | null;
  subjectId: string;
  raisedById: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface TeamCaseRow {
  id: string;
  teamId: string;
  trigger: string;
  status: string;
  outcome: string | null;
  subjectId: string;
  raisedById: string | null;
  createdAt: Date;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
}

export interface InitiativeFactRow {
  id: string;
  organisationId: string;
  neighbourhoodId: string;
  capacity: number | null;
  kind: string;
  status: string;
  publishedAt: Date | null;
  closedAt: Date | null;
  /** When the offering organisation was verified; places of unverified organisations are not counted. */
  verifiedAt: Date | null;
}

export interface SignupFactRow {
  initiativeId: string;
  personId: string;
  signedUpById: string;
  createdAt: Date;
  promotedAt: Date | null;
  cancelledAt: Date | null;
}

export interface PlacementFactRow {
  initiativeId: string;
  participantId: string;
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * The raw facts behind the statistics, read as indexed range scans over a period; grouping by month
 * and neighbourhood happens in the service, so the SQL stays the same on SQLite and PostgreSQL.
 * Only ids, neighbourhoods, categories and times are read: never names or contact details.
 */
export class StatsRepository {
  constructor(private readonly db: Database<CareTables & EscalationTables & HelpRequestTables & InitiativeTables & PersonTables>) {}

  private get t() {
    return this.db.tables;
  }

  /** Requests asked in [from, to), optionally in some neighbourhoods only. */
  async asked(from: Date, to: Date, neighbourhoodIds: string[] | null): Promise<AskedRow[]> {
    const hr = this.t.helpRequests;
    // A partner app's sandbox requests are tests, not asks.
    const conds: SQL[] = [gte(hr.createdAt, from), lt(hr.createdAt, to), eq(hr.sandbox, false)];
    if (neighbourhoodIds) conds.push(inArray(hr.neighbourhoodId, neighbourhoodIds));
    return this.db.read
      .select({
        id: hr.id,
        neighbourhoodId: hr.neighbourhoodId,
        categoryId: hr.categoryId,
        personHelpedId: hr.personHelpedId,
        askedById: hr.askedById,
        createdAt: hr.createdAt,
      })
      .from(hr)
      .where(and(...conds));
  }

  /**
   * The first time each request asked in [from, to) was matched before `to`. A request is
   * never matched before it was asked, so only matches from `from` on are read: the (to_status, at)
   * index then reads the period's matches instead of every match ever made.
   */
  async firstMatches(from: Date, to: Date, neighbourhoodIds: string[] | null): Promise<{ id: string; at: Date | null }[]> {
    const hr = this.t.helpRequests;
    const e = this.t.helpRequestEvents;
    const conds: SQL[] = [gte(hr.createdAt, from), lt(hr.createdAt, to), eq(e.toStatus, "MATCHED"), gte(e.at, from), lt(e.at, to)];
    if (neighbourhoodIds) conds.push(inArray(hr.neighbourhoodId, neighbourhoodIds));
    return this.db.read
      .select({ id: e.helpRequestId, at: min(e.at) })
      .from(e)
      .innerJoin(hr, eq(hr.id, e.helpRequestId))
      .where(and(...conds))
      .groupBy(e.helpRequestId);
  }

  /**
   * Every match (a volunteer accepting, or an organisation assigning one) in [from, to), with the
   * volunteer who took it up. A volunteer accepts for themself, but when an organisation assigns one
   * the event's actor is the organiser and the request names the volunteer only while it holds it.
   * So the event that ended the match is read too: a start or a release is always made by the
   * matched volunteer. After a reassignment the first assignee is not known (null), never the organiser.
   */
  async matches(from: Date, to: Date, neighbourhoodIds: string[] | null): Promise<MatchRow[]> {
    const hr = this.t.helpRequests;
    const e = this.t.helpRequestEvents;
    const conds: SQL[] = [eq(e.toStatus, "MATCHED"), gte(e.at, from), lt(e.at, to)];
    if (neighbourhoodIds) conds.push(inArray(hr.neighbourhoodId, neighbourhoodIds));
    // Correlated on the (help_request_id, at) index: the first later event that left MATCHED.
    const ended = sql<string | null>`(select n.to_status || ':' || coalesce(n.actor_id, '') from ${sql.identifier(getTableName(e))} n
      where n.help_request_id = ${e.helpRequestId} and n.from_status = 'MATCHED'
        and (n.at > ${e.at} or (n.at = ${e.at} and n.id > ${e.id}))
      order by n.at, n.id limit 1)`;
    const rows = await this.db.read
      .select({ neighbourhoodId: hr.neighbourhoodId, volunteerId: hr.volunteerId, organisationId: hr.organisationId, at: e.at, actorId: e.actorId, ended })
      .from(e)
      .innerJoin(hr, eq(hr.id, e.helpRequestId))
      .where(and(...conds));
    return rows.map((r) => {
      const cut = r.ended ? r.ended.indexOf(":") : -1;
      const endedBy = cut < 0 ? null : { status: r.ended!.slice(0, cut), actorId: r.ended!.slice(cut + 1) || null };
      let actorId: string | null;
      if (endedBy?.status === "IN_PROGRESS" || endedBy?.status === "OPEN") actorId = endedBy.actorId;
      else if (endedBy?.status === "MATCHED") actorId = null;
      else actorId = r.organisationId ? r.volunteerId : r.actorId;
      return { neighbourhoodId: r.neighbourhoodId, actorId, at: r.at };
    });
  }

  async escalations(from: Date, to: Date, neighbourhoodIds: string[] | null): Promise<EscalationFactRow[]> {
    const x = this.t.escalations;
    const conds: SQL[] = [gte(x.createdAt, from), lt(x.createdAt, to)];
    if (neighbourhoodIds) conds.push(inArray(x.neighbourhoodId, neighbourhoodIds));
    return this.db.read
      .select({
        neighbourhoodId: x.neighbourhoodId,
        trigger: x.trigger,
        outcome: x.outcome,
        subjectId: x.subjectId,
        raisedById: x.raisedById,
        createdAt: x.createdAt,
        closedAt: x.closedAt,
      })
      .from(x)
      .where(and(...conds));
  }

  /** Cases raised in [from, to) with their lead team and times, for the figures per team. */
  async teamCases(from: Date, to: Date, neighbourhoodIds: string[] | null): Promise<TeamCaseRow[]> {
    const x = this.t.escalations;
    const conds: SQL[] = [gte(x.createdAt, from), lt(x.createdAt, to)];
    if (neighbourhoodIds) conds.push(inArray(x.neighbourhoodId, neighbourhoodIds));
    return this.db.read
      .select({
        id: x.id,
        teamId: x.leadTeamId,
        trigger: x.trigger,
        status: x.status,
        outcome: x.outcome,
        subjectId: x.subjectId,
        raisedById: x.raisedById,
        createdAt: x.createdAt,
        acknowledgeBy: x.acknowledgeBy,
        acknowledgedAt: x.acknowledgedAt,
        closedAt: x.closedAt,
      })
      .from(x)
      .where(and(...conds));
  }

  /** (member, care receiver) of every care circle: a request a member asks for the receiver supports a mantelzorger. */
  async careRelations(): Promise<{ memberId: string; careReceiverId: string }[]> {
    const c = this.t.careCircles;
    const m = this.t.careMembers;
    return this.db.read.select({ memberId: m.personId, careReceiverId: c.careReceiverId }).from(m).innerJoin(c, eq(c.id, m.circleId));
  }

  /** Dates of published (or since ended) initiatives of verified organisations with a capacity, starting in [from, to). */
  async initiativeDates(
    from: Date,
    to: Date,
    neighbourhoodIds: string[] | null,
  ): Promise<{ initiativeId: string; neighbourhoodId: string; capacity: number; startsAt: Date; verifiedAt: Date | null }[]> {
    const i = this.t.initiatives;
    const o = this.t.initiativeOccurrences;
    const org = this.t.organisations;
    const conds: SQL[] = [gte(o.startsAt, from), lt(o.startsAt, to), isNotNull(i.capacity), inArray(i.status, ["PUBLISHED", "ENDED"]), isNotNull(org.verifiedAt)];
    if (neighbourhoodIds) conds.push(inArray(i.neighbourhoodId, neighbourhoodIds));
    const rows = await this.db.read
      .select({ initiativeId: o.initiativeId, neighbourhoodId: i.neighbourhoodId, capacity: i.capacity, startsAt: o.startsAt, verifiedAt: org.verifiedAt })
      .from(o)
      .innerJoin(i, eq(i.id, o.initiativeId))
      .innerJoin(org, eq(org.id, i.organisationId))
      .where(and(...conds));
    return rows.map((r) => ({ ...r, capacity: r.capacity ?? 0 }));
  }

  /**
   * Sign-ups of the given initiatives that are or were confirmed: confirmed now, or cancelled (a
   * figure of a closed month counts a place held then, even if it was given up later).
   */
  async confirmedSignups(initiativeIds: string[]): Promise<SignupFactRow[]> {
    const s = this.t.initiativeSignups;
    const out: SignupFactRow[] = [];
    for (let i = 0; i < initiativeIds.length; i += 500) {
      const chunk = initiativeIds.slice(i, i + 500);
      out.push(
        ...(await this.db.read
          .select({
            initiativeId: s.initiativeId,
            personId: s.personId,
            signedUpById: s.signedUpById,
            createdAt: s.createdAt,
            promotedAt: s.promotedAt,
            cancelledAt: s.cancelledAt,
          })
          .from(s)
          .where(and(inArray(s.initiativeId, chunk), inArray(s.status, ["CONFIRMED", "CANCELLED"])))),
      );
    }
    return out;
  }

  /**
   * When each of these accounts was created. Only accounts (people who registered with an e-mail
   * address) are returned: people asked for on someone's behalf are not accounts.
   */
  async createdAt(personIds: string[]): Promise<Map<string, Date>> {
    const p = this.t.people;
    const out = new Map<string, Date>();
    const ids = [...new Set(personIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.read
        .select({ id: p.id, createdAt: p.createdAt })
        .from(p)
        .where(and(inArray(p.id, ids.slice(i, i + 500)), isNotNull(p.email)));
      for (const r of rows) out.set(r.id, r.createdAt);
    }
    return out;
  }

  /** Participation places of verified organisations that were open at some time in [from, to). */
  async participationPlaces(from: Date, to: Date, neighbourhoodIds: string[] | null): Promise<InitiativeFactRow[]> {
    const i = this.t.initiatives;
    const org = this.t.organisations;
    const conds: SQL[] = [
      eq(i.kind, "PARTICIPATION_PLACE"),
      isNotNull(org.verifiedAt),
      inArray(i.status, ["PUBLISHED", "ENDED"]),
      isNotNull(i.publishedAt),
      lt(i.publishedAt, to),
      or(isNull(i.closedAt), gte(i.closedAt, from))!,
    ];
    if (neighbourhoodIds) conds.push(inArray(i.neighbourhoodId, neighbourhoodIds));
    return this.db.read
      .select({
        id: i.id,
        organisationId: i.organisationId,
        neighbourhoodId: i.neighbourhoodId,
        capacity: i.capacity,
        kind: i.kind,
        status: i.status,
        publishedAt: i.publishedAt,
        closedAt: i.closedAt,
        verifiedAt: org.verifiedAt,
      })
      .from(i)
      .innerJoin(org, eq(org.id, i.organisationId))
      .where(and(...conds));
  }

  /** Placements running at some time in [from, to). */
  async placements(from: Date, to: Date): Promise<PlacementFactRow[]> {
    const p = this.t.participationPlacements;
    const rows = await this.db.read
      .select({ initiativeId: p.initiativeId, participantId: p.participantId, startedAt: p.startedAt, endedAt: p.endedAt })
      .from(p)
      .where(and(isNotNull(p.startedAt), lt(p.startedAt, to), or(isNull(p.endedAt), gte(p.endedAt, from))));
    return rows.map((r) => ({ ...r, startedAt: r.startedAt! }));
  }
}
