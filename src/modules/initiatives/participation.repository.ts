import { type SQL, and, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import { keysetPage } from "../../db/keyset.js";
import type { Database, Db } from "../../db/client.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";
import { Rollback } from "../../db/rollback.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import type { InitiativeTables, PlacementStatus } from "./initiative.tables.js";

export interface PlacementRow {
  id: string;
  initiativeId: string;
  organisationId: string;
  participantId: string;
  referredById: string;
  status: PlacementStatus;
  note: string | null;
  decisionNote: string | null;
  referredAt: Date;
  acceptedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
  updatedAt: Date;
  /** Joined from the participant. */
  participantFirstName: string;
}

export interface PlacementListQuery {
  /** Any of: placements of these organisations, referred by this person, or of this participant. */
  organisationIds: string[];
  /** Null: only the organisations' placements. */
  personId: string | null;
  initiativeId: string | null;
  statuses: PlacementStatus[] | null;
  page: PageRequest;
  /** What the page's cursors belong to (see cursorScope). */
  cursorScope?: string;
}

/** What the utilisation figures are computed from (counts only; no personal data leaves the query). */
export interface UtilisationData {
  places: { organisationId: string; neighbourhoodId: string; capacity: number }[];
  placements: { participantId: string; organisationId: string; neighbourhoodId: string; startedAt: Date; endedAt: Date | null }[];
}

export type StartOutcome = "STARTED" | "FULL" | "WRONG_STATUS";

/**
 * Participation placements. Starting one takes a place with a conditional update on the initiative
 * (`taken_count < capacity`), so concurrent starts never fill more places than there are.
 */
export class ParticipationRepository {
  constructor(private readonly db: Database<InitiativeTables & PersonTables & PlaceTables>) {}

  private get t() {
    return this.db.tables;
  }

  private selectRows(db: Db = this.db.read) {
    const pl = this.t.participationPlacements;
    const p = this.t.people;
    return db
      .select({
        id: pl.id,
        initiativeId: pl.initiativeId,
        organisationId: pl.organisationId,
        participantId: pl.participantId,
        referredById: pl.referredById,
        status: pl.status,
        note: pl.note,
        decisionNote: pl.decisionNote,
        referredAt: pl.referredAt,
        acceptedAt: pl.acceptedAt,
        startedAt: pl.startedAt,
        endedAt: pl.endedAt,
        endReason: pl.endReason,
        updatedAt: pl.updatedAt,
        participantFirstName: p.firstName,
      })
      .from(pl)
      .innerJoin(p, eq(p.id, pl.participantId));
  }

  async insert(row: Omit<PlacementRow, "participantFirstName">): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.participationPlacements).values(row);
    });
  }

  async findById(id: string): Promise<PlacementRow | undefined> {
    return (await this.selectRows().where(eq(this.t.participationPlacements.id, id)).limit(1))[0];
  }

  /** A status change without a place involved (accept, decline); undefined when the status moved on. */
  async transition(
    id: string,
    from: PlacementStatus[],
    to: PlacementStatus,
    set: Partial<Pick<PlacementRow, "acceptedAt" | "decisionNote">>,
    at: Date,
  ): Promise<PlacementRow | undefined> {
    const pl = this.t.participationPlacements;
    return this.db.transaction(async (tx) => {
      const done = await tx
        .update(pl)
        .set({ status: to, updatedAt: at, ...set })
        .where(and(eq(pl.id, id), inArray(pl.status, from)))
        .returning({ id: pl.id });
      if (!done[0]) return undefined;
      return (await this.selectRows(tx).where(eq(pl.id, id)))[0];
    });
  }

  /** ACCEPTED -> STARTED, taking one place of the participation place if one is free. */
  async start(id: string, startedAt: Date, at: Date): Promise<StartOutcome> {
    const pl = this.t.participationPlacements;
    const i = this.t.initiatives;
    try {
      return await this.db.transaction(async (tx) => {
        const started = await tx
          .update(pl)
          .set({ status: "STARTED", startedAt, updatedAt: at })
          .where(and(eq(pl.id, id), eq(pl.status, "ACCEPTED")))
          .returning({ initiativeId: pl.initiativeId });
        if (!started[0]) return "WRONG_STATUS" as const;
        const taken = await tx
          .update(i)
          .set({ takenCount: sql`${i.takenCount} + 1` })
          .where(and(eq(i.id, started[0].initiativeId), or(sql`${i.capacity} is null`, lt(i.takenCount, i.capacity))))
          .returning({ id: i.id });
        if (!taken[0]) throw new Rollback("FULL" as const);
        return "STARTED" as const;
      });
    } catch (err) {
      if (err instanceof Rollback) return err.outcome as StartOutcome;
      throw err;
    }
  }

  /** STARTED -> ENDED, freeing the place. False when it was not started (any more). */
  async end(id: string, endedAt: Date, reason: string | null, at: Date): Promise<boolean> {
    const pl = this.t.participationPlacements;
    const i = this.t.initiatives;
    return this.db.transaction(async (tx) => {
      const ended = await tx
        .update(pl)
        .set({ status: "ENDED", endedAt, endReason: reason, updatedAt: at })
        .where(and(eq(pl.id, id), eq(pl.status, "STARTED")))
        .returning({ initiativeId: pl.initiativeId });
      if (!ended[0]) return false;
      await tx
        .update(i)
        .set({ takenCount: sql`${i.takenCount} - 1` })
        .where(eq(i.id, ended[0].initiativeId));
      return true;
    });
  }

  /** Placements the viewer is concerned with (organiser, referrer or participant), newest referral first. */
  async list(q: PlacementListQuery): Promise<Page<PlacementRow>> {
    const pl = this.t.participationPlacements;
    const who: SQL[] = q.personId === null ? [] : [eq(pl.referredById, q.personId), eq(pl.participantId, q.personId)];
    if (q.organisationIds.length) who.push(inArray(pl.organisationId, q.organisationIds));
    if (who.length === 0) return { items: [], hasNextPage: false, hasPreviousPage: false, cursorOf: () => "" };
    const conds: SQL[] = [or(...who)!];
    if (q.initiativeId) conds.push(eq(pl.initiativeId, q.initiativeId));
    if (q.statuses?.length) conds.push(inArray(pl.status, q.statuses));
    const keyset = keysetPage(pl.referredAt, pl.id, q.page, "desc");
    const rows = await this.selectRows()
      .where(and(...conds, keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(q.page.limit + 1);
    return pageOf(rows, q.page, (r) => r.referredAt.getTime(), q.cursorScope);
  }

  /**
   * Places offered at `to` (participation places of verified organisations published by then and not
   * closed before it) and every placement active at some moment of [from, to].
   */
  async utilisationData(from: Date, to: Date, municipality: string | null): Promise<UtilisationData> {
    const t = this.t;
    const i = t.initiatives;
    const o = t.organisations;
    const pl = t.participationPlacements;
    const n = t.neighbourhoods;
    const a = t.areas;
    const inScope: SQL[] = [eq(i.kind, "PARTICIPATION_PLACE"), isNotNull(o.verifiedAt)];
    if (municipality) inScope.push(eq(a.municipality, municipality));
    const places = await this.db.read
      .select({ organisationId: i.organisationId, neighbourhoodId: i.neighbourhoodId, capacity: i.capacity })
      .from(i)
      .innerJoin(o, eq(o.id, i.organisationId))
      .innerJoin(n, eq(n.id, i.neighbourhoodId))
      .innerJoin(a, eq(a.id, n.areaId))
      .where(and(...inScope, isNotNull(i.publishedAt), lte(i.publishedAt, to), or(isNull(i.closedAt), gt(i.closedAt, to))));
    const placements = await this.db.read
      .select({
        participantId: pl.participantId,
        organisationId: pl.organisationId,
        neighbourhoodId: i.neighbourhoodId,
        startedAt: pl.startedAt,
        endedAt: pl.endedAt,
      })
      .from(pl)
      .innerJoin(i, eq(i.id, pl.initiativeId))
      .innerJoin(o, eq(o.id, i.organisationId))
      .innerJoin(n, eq(n.id, i.neighbourhoodId))
      .innerJoin(a, eq(a.id, n.areaId))
      .where(and(...inScope, isNotNull(pl.startedAt), lte(pl.startedAt, to), or(isNull(pl.endedAt), gte(pl.endedAt, from))));
    return {
      places: places.map((p) => ({ ...p, capacity: p.capacity ?? 0 })),
      placements: placements.map((p) => ({ ...p, startedAt: p.startedAt! })),
    };
  }
}
