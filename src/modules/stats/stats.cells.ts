import type { Clock } from "../../shared/clock.js";
import { type MonthRange, monthLabel } from "./stats.months.js";
import type { CellsState, StatsCellsRepository, StoredCell, Touched } from "./stats.cells.repository.js";

/** How many events one pass over the log reads at a time. */
const PAGE = 1000;

/** A computed cell as stored: everything but where and when it is, which the key holds. */
export interface CellKey {
  month: string;
  neighbourhoodId: string;
}

/**
 * The statistics kept per neighbourhood and month as they happen. A cell of an ended month is computed
 * once from the rows (by the same code that computes a report from scratch) and stored; it stays until
 * something it was computed from changes. What changes is read from the event log after a durable
 * cursor (stats_state), in commit order: each event drops the cells of its neighbourhood from the month
 * its request or case was asked in (an initiative's or sign-up's: every month; a care circle's members
 * joining or leaving: every cell); placements, which record no events, by the newest change of any (a mark
 * kept beside the cursor). Moving the cursor and dropping the cells commit together and the
 * cursor moves only from where it was read, so no event is applied twice or skipped. Erasure and
 * retention, which record no events, drop every cell in their own transaction. A dropped cell is
 * computed again by the next sweep or read, and stored only when nothing happened while it was computed.
 */
export class StatsCells {
  constructor(
    private readonly repo: StatsCellsRepository,
    private readonly clock: Clock,
  ) {}

  /** Applies every event after the cursor; returns the state once it has reached the log's head. */
  async catchUp(): Promise<CellsState> {
    for (;;) {
      const state = await this.repo.state(this.clock.now());
      if (state.seq < (await this.repo.prunedThrough())) {
        // Events after the cursor may be gone: drop everything and start at the head.
        await this.repo.advance(state, await this.repo.head(), ["ALL"], this.clock.now());
        continue;
      }
      const events = await this.repo.eventsAfter(state.seq, PAGE);
      if (events.length === 0) {
        await this.catchUpPlacements();
        return state;
      }
      const touched = await this.touched(events);
      await this.repo.advance(state, events[events.length - 1].seq, touched, this.clock.now());
    }
  }

  /** Placements record no events: a change since the mark drops the cells of its place's neighbourhood. */
  private async catchUpPlacements(): Promise<void> {
    for (;;) {
      const seen = await this.repo.seenPlacements(this.clock.now());
      const mark = await this.repo.placementsMark();
      if (mark <= seen) return;
      const touched = await this.repo.placementNeighbourhoods(seen);
      if (await this.repo.advancePlacements(seen, mark, touched, this.clock.now())) return;
    }
  }

  /** Which cells a page of events touches. An entity that can no longer be found touches every cell. */
  private async touched(events: { topic: string; id: string; kind: string }[]): Promise<Touched[]> {
    const requests = new Set<string>();
    const cases = new Set<string>();
    const initiatives = new Set<string>();
    const signups = new Set<string>();
    let all = false;
    for (const e of events) {
      if (e.topic.startsWith("help-request.")) requests.add(e.id);
      else if (e.topic.startsWith("escalation.")) cases.add(e.id);
      else if (e.topic === "initiative.published") initiatives.add(e.id);
      else if (e.topic === "initiative.signup-changed") signups.add(e.id);
      else if (e.topic.startsWith("care-circle.changed.") && (e.kind === "MEMBER_JOINED" || e.kind === "MEMBER_LEFT")) all = true;
    }
    if (all) return ["ALL"];
    const out: Touched[] = [];
    const asked = async (ids: Set<string>, find: (ids: string[]) => Promise<Map<string, { neighbourhoodId: string; createdAt: Date }>>) => {
      const found = await find([...ids]);
      if (found.size < ids.size) all = true;
      for (const r of found.values()) out.push({ neighbourhoodId: r.neighbourhoodId, fromMonth: monthLabel(r.createdAt) });
    };
    const anyMonth = async (ids: Set<string>, find: (ids: string[]) => Promise<Map<string, string>>) => {
      const found = await find([...ids]);
      if (found.size < ids.size) all = true;
      for (const n of new Set(found.values())) out.push({ neighbourhoodId: n, fromMonth: null });
    };
    await asked(requests, (ids) => this.repo.requestPlaces(ids));
    await asked(cases, (ids) => this.repo.escalationPlaces(ids));
    await anyMonth(initiatives, (ids) => this.repo.initiativePlaces(ids));
    await anyMonth(signups, (ids) => this.repo.signupPlaces(ids));
    return all ? ["ALL"] : out;
  }

  /**
   * The closed cells of a period: stored ones as they are, missing ones computed by `compute` (for the
   * smallest span of months and the neighbourhoods that miss one) and stored. Cells of months that have
   * not ended are not returned.
   */
  async closedCells<C extends CellKey>(
    range: MonthRange,
    neighbourhoodIds: string[],
    compute: (range: MonthRange, neighbourhoodIds: string[]) => Promise<C[]>,
  ): Promise<Map<string, Omit<C, keyof CellKey>>> {
    const state = await this.catchUp();
    const head = await this.repo.head();
    const placements = await this.repo.seenPlacements(this.clock.now());
    const now = this.clock.now().getTime();
    const closed: number[] = [];
    for (let m = 0; m < range.labels.length; m++) if (range.bounds[m + 1] <= now) closed.push(m);
    const out = new Map<string, Omit<C, keyof CellKey>>();
    if (closed.length === 0) return out;
    const stored = await this.repo.cells(
      closed.map((m) => range.labels[m]),
      neighbourhoodIds,
    );
    const wanted = new Set(neighbourhoodIds);
    for (const c of stored) if (wanted.has(c.neighbourhoodId)) out.set(key(c.month, c.neighbourhoodId), c.figures as Omit<C, keyof CellKey>);
    let first = -1;
    let last = -1;
    const missingNeighbourhoods = new Set<string>();
    for (const m of closed) {
      for (const n of neighbourhoodIds) {
        if (out.has(key(range.labels[m], n))) continue;
        missingNeighbourhoods.add(n);
        if (first < 0) first = m;
        last = m;
      }
    }
    if (first < 0) return out;
    const sub: MonthRange = { labels: range.labels.slice(first, last + 1), bounds: range.bounds.slice(first, last + 2) };
    const computed = await compute(sub, [...missingNeighbourhoods]);
    const toStore: StoredCell[] = [];
    for (const c of computed) {
      const k = key(c.month, c.neighbourhoodId);
      if (out.has(k)) continue;
      const { month, neighbourhoodId, ...figures } = c;
      out.set(k, figures);
      toStore.push({ month, neighbourhoodId, figures });
    }
    await this.repo.store(toStore, { ...state, head, placements }, this.clock.now());
    return out;
  }

  /** Drops every stored cell (inside an erasure's or a retention rule's transaction when given one). */
  dropAll(): Promise<void> {
    return this.repo.dropAll(this.clock.now());
  }
}

export const key = (month: string, neighbourhoodId: string) => `${month}\u0000${neighbourhoodId}`;
