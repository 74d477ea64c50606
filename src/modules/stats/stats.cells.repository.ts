import { and, asc, eq, gt, gte, inArray, max } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import type { EscalationTables } from "../escalation/escalation.tables.js";
import type { HelpRequestTables } from "../help-requests/help-request.tables.js";
import type { InitiativeTables } from "../initiatives/initiative.tables.js";
import type { StatsTables } from "./stats.tables.js";

/** The row of stats_state the stored cells are kept by. */
export const CELLS_STATE = "cells";
/** The row of stats_state holding the newest placement change the stored cells were checked against (ms). */
export const PLACEMENTS_STATE = "placements";
/** Where pruning of the event log records the highest sequence it removed (see src/db/outbox.ts). */
const PRUNED_THROUGH = "event_log.pruned_through";
const CHUNK = 500;

export interface CellsState {
  seq: number;
  generation: number;
}

export interface StoredCell {
  month: string;
  neighbourhoodId: string;
  figures: Record<string, unknown>;
}

/** Which stored cells an event touches: a neighbourhood from a month on, or every cell. */
export type Touched = { neighbourhoodId: string; fromMonth: string | null } | "ALL";

/** SQL of the stored statistics: the cells, the state row, and the entities events name. No rules here. */
export class StatsCellsRepository {
  constructor(private readonly db: Database<StatsTables & HelpRequestTables & EscalationTables & InitiativeTables>) {}

  private get t() {
    return this.db.tables;
  }

  /** The state row, created at the end of the log when there is none (no cell is stored yet then). */
  async state(at: Date): Promise<CellsState> {
    const s = this.t.statsState;
    const rows = await this.db.read.select({ seq: s.seq, generation: s.generation }).from(s).where(eq(s.name, CELLS_STATE));
    if (rows[0]) return { seq: Number(rows[0].seq), generation: Number(rows[0].generation) };
    const head = await this.head();
    await this.db.transaction(async (tx) => {
      await tx.insert(s).values({ name: CELLS_STATE, seq: head, generation: 0, updatedAt: at }).onConflictDoNothing();
    });
    return this.state(at);
  }

  /** The newest sequence in the event log (0: none). */
  async head(): Promise<number> {
    const e = this.t.eventLog;
    const rows = await this.db.read.select({ seq: max(e.seq) }).from(e);
    return Number(rows[0]?.seq ?? 0);
  }

  async prunedThrough(): Promise<number> {
    const s = this.t.appSettings;
    const rows = await this.db.read.select({ value: s.value }).from(s).where(eq(s.key, PRUNED_THROUGH));
    return rows[0] ? Number(rows[0].value) : 0;
  }

  async eventsAfter(seq: number, limit: number): Promise<{ seq: number; topic: string; id: string; kind: string }[]> {
    const e = this.t.eventLog;
    return this.db.read.select({ seq: e.seq, topic: e.topic, id: e.entityId, kind: e.kind }).from(e).where(gt(e.seq, seq)).orderBy(asc(e.seq)).limit(limit);
  }

  /** Neighbourhood and month of asking of help requests (a request's figures start in that month). */
  async requestPlaces(ids: string[]): Promise<Map<string, { neighbourhoodId: string; createdAt: Date }>> {
    const hr = this.t.helpRequests;
    const out = new Map<string, { neighbourhoodId: string; createdAt: Date }>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db.read
        .select({ id: hr.id, neighbourhoodId: hr.neighbourhoodId, createdAt: hr.createdAt })
        .from(hr)
        .where(inArray(hr.id, ids.slice(i, i + CHUNK)));
      for (const r of rows) out.set(r.id, r);
    }
    return out;
  }

  async escalationPlaces(ids: string[]): Promise<Map<string, { neighbourhoodId: string; createdAt: Date }>> {
    const x = this.t.escalations;
    const out = new Map<string, { neighbourhoodId: string; createdAt: Date }>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db.read
        .select({ id: x.id, neighbourhoodId: x.neighbourhoodId, createdAt: x.createdAt })
        .from(x)
        .where(inArray(x.id, ids.slice(i, i + CHUNK)));
      for (const r of rows) out.set(r.id, r);
    }
    return out;
  }

  async initiativePlaces(ids: string[]): Promise<Map<string, string>> {
    const i = this.t.initiatives;
    const out = new Map<string, string>();
    for (let k = 0; k < ids.length; k += CHUNK) {
      const rows = await this.db.read
        .select({ id: i.id, neighbourhoodId: i.neighbourhoodId })
        .from(i)
        .where(inArray(i.id, ids.slice(k, k + CHUNK)));
      for (const r of rows) out.set(r.id, r.neighbourhoodId);
    }
    return out;
  }

  /** The initiative's neighbourhood of each sign-up. */
  async signupPlaces(ids: string[]): Promise<Map<string, string>> {
    const s = this.t.initiativeSignups;
    const i = this.t.initiatives;
    const out = new Map<string, string>();
    for (let k = 0; k < ids.length; k += CHUNK) {
      const rows = await this.db.read
        .select({ id: s.id, neighbourhoodId: i.neighbourhoodId })
        .from(s)
        .innerJoin(i, eq(i.id, s.initiativeId))
        .where(inArray(s.id, ids.slice(k, k + CHUNK)));
      for (const r of rows) out.set(r.id, r.neighbourhoodId);
    }
    return out;
  }

  /**
   * Moves the state from `from.seq` to `to` and drops the cells the events in between touched, in one
   * transaction. The state moves only from where it was read: when another instance moved it first,
   * nothing happens (false) and the caller reads again.
   */
  async advance(from: CellsState, to: number, touched: Touched[], at: Date): Promise<boolean> {
    const s = this.t.statsState;
    const c = this.t.statsCells;
    return this.db.transaction(async (tx) => {
      const all = touched.includes("ALL");
      const moved = await tx
        .update(s)
        .set({ seq: to, generation: all ? from.generation + 1 : from.generation, updatedAt: at })
        .where(and(eq(s.name, CELLS_STATE), eq(s.seq, from.seq), eq(s.generation, from.generation)))
        .returning({ seq: s.seq });
      if (moved.length === 0) return false;
      if (all) await tx.delete(c);
      else for (const t of touched) if (t !== "ALL") await dropCells(tx, c, t);
      return true;
    });
  }

  /** Drops every stored cell and moves the generation (an erasure or retention changed rows of any month). */
  async dropAll(at: Date, tx?: Db): Promise<void> {
    const run = async (db: Db) => {
      const s = this.t.statsState;
      const rows = await db.select({ generation: s.generation }).from(s).where(eq(s.name, CELLS_STATE));
      if (rows[0])
        await db
          .update(s)
          .set({ generation: Number(rows[0].generation) + 1, updatedAt: at })
          .where(eq(s.name, CELLS_STATE));
      await db.delete(this.t.statsCells);
    };
    if (tx) await run(tx);
    else await this.db.transaction(run);
  }

  async cells(months: string[], neighbourhoodIds: string[] | null): Promise<StoredCell[]> {
    const c = this.t.statsCells;
    const conds = [inArray(c.month, months)];
    if (neighbourhoodIds && neighbourhoodIds.length <= CHUNK) conds.push(inArray(c.neighbourhoodId, neighbourhoodIds));
    return this.db.read
      .select({ month: c.month, neighbourhoodId: c.neighbourhoodId, figures: c.figures })
      .from(c)
      .where(and(...conds));
  }

  /**
   * Stores computed cells, but only when nothing happened since the computation read its rows: the log's
   * head and the generation must be what they were before it ran (otherwise the cells may already be out of
   * date, and the next read computes them again).
   */
  async store(cells: StoredCell[], before: CellsState & { head: number; placements: number }, at: Date): Promise<boolean> {
    if (cells.length === 0) return true;
    const s = this.t.statsState;
    const c = this.t.statsCells;
    const e = this.t.eventLog;
    return this.db.transaction(async (tx) => {
      await this.db.lockKey(tx, "stats-cells");
      const state = await tx.select({ seq: s.seq, generation: s.generation }).from(s).where(eq(s.name, CELLS_STATE));
      const head = await tx.select({ seq: max(e.seq) }).from(e);
      if (!state[0] || Number(state[0].generation) !== before.generation || Number(head[0]?.seq ?? 0) !== before.head || Number(state[0].seq) !== before.head) return false;
      if ((await this.placementsMark(tx)) !== before.placements) return false;
      for (let i = 0; i < cells.length; i += CHUNK) {
        await tx
          .insert(c)
          .values(cells.slice(i, i + CHUNK).map((x) => ({ ...x, computedAt: at })))
          .onConflictDoNothing();
      }
      return true;
    });
  }

  /**
   * Placements record no events, and may be dated in the past (an organisation records a start late):
   * the newest change of any placement (ms), the mark the stored cells were last checked against.
   */
  async placementsMark(db: Db = this.db.read): Promise<number> {
    const p = this.t.participationPlacements;
    const rows = await db.select({ at: max(p.updatedAt) }).from(p);
    return rows[0]?.at ? new Date(rows[0].at).getTime() : 0;
  }

  async seenPlacements(at: Date): Promise<number> {
    const s = this.t.statsState;
    const rows = await this.db.read.select({ seq: s.seq }).from(s).where(eq(s.name, PLACEMENTS_STATE));
    if (rows[0]) return Number(rows[0].seq);
    const mark = await this.placementsMark();
    await this.db.transaction(async (tx) => {
      await tx.insert(s).values({ name: PLACEMENTS_STATE, seq: mark, generation: 0, updatedAt: at }).onConflictDoNothing();
    });
    return this.seenPlacements(at);
  }

  /** The neighbourhoods of the places whose placements changed after `afterMs`. */
  async placementNeighbourhoods(afterMs: number): Promise<string[]> {
    const p = this.t.participationPlacements;
    const i = this.t.initiatives;
    const rows = await this.db.read
      .selectDistinct({ neighbourhoodId: i.neighbourhoodId })
      .from(p)
      .innerJoin(i, eq(i.id, p.initiativeId))
      .where(gt(p.updatedAt, new Date(afterMs)));
    return rows.map((r) => r.neighbourhoodId);
  }

  /** Moves the placements' mark from `from` to `to` and drops those neighbourhoods' cells, in one transaction. */
  async advancePlacements(from: number, to: number, neighbourhoodIds: string[], at: Date): Promise<boolean> {
    const s = this.t.statsState;
    const c = this.t.statsCells;
    return this.db.transaction(async (tx) => {
      const moved = await tx
        .update(s)
        .set({ seq: to, updatedAt: at })
        .where(and(eq(s.name, PLACEMENTS_STATE), eq(s.seq, from)))
        .returning({ seq: s.seq });
      if (moved.length === 0) return false;
      for (const neighbourhoodId of neighbourhoodIds) await dropCells(tx, c, { neighbourhoodId, fromMonth: null });
      return true;
    });
  }
}

async function dropCells(tx: Db, c: StatsTables["statsCells"], t: { neighbourhoodId: string; fromMonth: string | null }) {
  const conds = [eq(c.neighbourhoodId, t.neighbourhoodId)];
  if (t.fromMonth) conds.push(gte(c.month, t.fromMonth));
  await tx.delete(c).where(and(...conds));
}
