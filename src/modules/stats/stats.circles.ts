import { and, eq, gt, gte, inArray, isNull, lt, lte, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { CareTables } from "../care/care.tables.js";
import { type MonthRange, monthIndex } from "./stats.months.js";
import type { FigureSource } from "./stats.sources.js";
import { type Basis, countFigure, hidden, newBasis } from "./stats.suppression.js";
import type { CountCell } from "./stats.totals.js";

/** One counted thing (a circle, a mantelzorger) in a neighbourhood and month, with who it rests on. */
interface Counted {
  key: string;
  neighbourhoodId: string;
  month: number;
  personId: string;
  accountId: string;
}

/**
 * Care circles' figures per neighbourhood (the care receiver's, which is the circle's) and month:
 * circles active (at least one shift held in the month: DONE, or COVERED and ended) and mantelzorgers
 * intensively loaded (an INTENSIVE_HOURS load signal open during the month). Only ids and times are read.
 */
export class CareCircleFiguresRepository {
  constructor(private readonly db: Database<CareTables>) {}

  private get t() {
    return this.db.tables;
  }

  async activeCircles(range: MonthRange, neighbourhoodIds: string[], now: Date): Promise<Counted[]> {
    if (neighbourhoodIds.length === 0) return [];
    const s = this.t.careShifts;
    const c = this.t.careCircles;
    const rows = await this.db.read
      .select({ circleId: c.id, neighbourhoodId: c.neighbourhoodId, receiverId: c.careReceiverId, createdById: c.createdById, startsAt: s.startsAt })
      .from(s)
      .innerJoin(c, eq(c.id, s.circleId))
      .where(
        and(
          gte(s.startsAt, new Date(range.bounds[0])),
          lt(s.startsAt, new Date(range.bounds[range.bounds.length - 1])),
          inArray(c.neighbourhoodId, neighbourhoodIds),
          or(eq(s.status, "DONE"), and(eq(s.status, "COVERED"), lte(s.endsAt, now))),
        ),
      );
    return rows.flatMap((r) => {
      const month = monthIndex(range, r.startsAt.getTime());
      return month < 0 || !r.neighbourhoodId ? [] : [{ key: r.circleId, neighbourhoodId: r.neighbourhoodId, month, personId: r.receiverId, accountId: r.createdById }];
    });
  }

  async intensiveMantelzorgers(range: MonthRange, neighbourhoodIds: string[]): Promise<Counted[]> {
    if (neighbourhoodIds.length === 0) return [];
    const g = this.t.careLoadSignals;
    const c = this.t.careCircles;
    const rows = await this.db.read
      .select({ personId: g.personId, neighbourhoodId: c.neighbourhoodId, since: g.since, resolvedAt: g.resolvedAt })
      .from(g)
      .innerJoin(c, eq(c.id, g.circleId))
      .where(
        and(
          eq(g.reason, "INTENSIVE_HOURS"),
          lt(g.since, new Date(range.bounds[range.bounds.length - 1])),
          or(isNull(g.resolvedAt), gt(g.resolvedAt, new Date(range.bounds[0]))),
          inArray(c.neighbourhoodId, neighbourhoodIds),
        ),
      );
    const out: Counted[] = [];
    for (const r of rows) {
      if (!r.neighbourhoodId) continue;
      range.labels.forEach((_, m) => {
        const open = r.since.getTime() < range.bounds[m + 1] && (r.resolvedAt === null || r.resolvedAt.getTime() > range.bounds[m]);
        if (open) out.push({ key: r.personId, neighbourhoodId: r.neighbourhoodId!, month: m, personId: r.personId, accountId: r.personId });
      });
    }
    return out;
  }
}

/**
 * Distinct things per neighbourhood and month, shown only when they rest on five people and five
 * established accounts (registered before the month began); months not ended are withheld.
 */
export function distinctCells(range: MonthRange, neighbourhoodIds: string[], counted: Counted[], created: Map<string, Date>, now: number): CountCell[] {
  const groups = new Map<string, { keys: Set<string>; basis: Basis }>();
  for (const x of counted) {
    const k = `${x.month}\u0000${x.neighbourhoodId}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { keys: new Set(), basis: newBasis() }));
    g.keys.add(x.key);
    g.basis.people.add(x.personId);
    const at = created.get(x.accountId);
    if (at !== undefined && at.getTime() < range.bounds[x.month]) g.basis.accounts.add(x.accountId);
  }
  return range.labels.flatMap((month, m) =>
    neighbourhoodIds.map((neighbourhoodId) => {
      const g = groups.get(`${m}\u0000${neighbourhoodId}`) ?? { keys: new Set<string>(), basis: newBasis() };
      return { month, neighbourhoodId, figure: range.bounds[m + 1] <= now ? countFigure(g.keys.size, g.basis) : hidden };
    }),
  );
}

/** The council report's care-circle sources: active circles and intensively loaded mantelzorgers. */
export function careCircleSources(repo: CareCircleFiguresRepository, createdAt: (ids: string[]) => Promise<Map<string, Date>>, now: () => Date): FigureSource[] {
  const source = (name: string, read: (range: MonthRange, ids: string[], at: Date) => Promise<Counted[]>): FigureSource => ({
    name,
    async cells(range, neighbourhoodIds) {
      const at = now();
      const counted = await read(range, neighbourhoodIds, at);
      return distinctCells(range, neighbourhoodIds, counted, await createdAt(counted.map((c) => c.accountId)), at.getTime());
    },
  });
  return [source("activeCareCircles", (r, ids, at) => repo.activeCircles(r, ids, at)), source("intensiveMantelzorgers", (r, ids) => repo.intensiveMantelzorgers(r, ids))];
}
