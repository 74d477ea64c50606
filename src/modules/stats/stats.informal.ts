import { and, gt, gte, inArray, lt, lte, or, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { CareTables } from "../care/care.tables.js";
import type { HelpRequestAfterTables } from "../help-requests/help-request.after.tables.js";
import { type MonthRange, monthIndex } from "./stats.months.js";
import type { FigureSource } from "./stats.sources.js";
import { type Basis, countFigure, hidden, newBasis } from "./stats.suppression.js";
import type { CountCell } from "./stats.totals.js";

/** One stretch of informal help: who gave it (null once pseudonymised), where, when and how long. */
export interface HelpSpan {
  helperId: string | null;
  neighbourhoodId: string;
  /** Index of the month in the range. */
  month: number;
  minutes: number;
}

/**
 * The rows behind the hours of informal help: the minutes volunteers recorded on requests (by the
 * request's month and neighbourhood) and the care shifts held by circle members or covering volunteers
 * (DONE, or COVERED and ended: nobody marked them missed), in the care receiver's neighbourhood (the
 * circle's) and the month the shift started. Only ids, neighbourhoods, times and minutes are read.
 */
export class InformalHoursRepository {
  constructor(private readonly db: Database<HelpRequestAfterTables & CareTables>) {}

  private get t() {
    return this.db.tables;
  }

  async spans(range: MonthRange, neighbourhoodIds: string[], now: Date): Promise<HelpSpan[]> {
    if (neighbourhoodIds.length === 0 || range.labels.length === 0) return [];
    const h = this.t.volunteerHours;
    const recorded = await this.db.read
      .select({ helperId: h.volunteerId, neighbourhoodId: h.neighbourhoodId, month: h.month, minutes: h.minutes })
      .from(h)
      .where(and(gte(h.month, range.labels[0]), lte(h.month, range.labels[range.labels.length - 1]), inArray(h.neighbourhoodId, neighbourhoodIds)));
    const s = this.t.careShifts;
    const c = this.t.careCircles;
    const from = new Date(range.bounds[0]);
    const to = new Date(range.bounds[range.bounds.length - 1]);
    const shifts = await this.db.read
      .select({ helperId: s.assigneeId, neighbourhoodId: c.neighbourhoodId, startsAt: s.startsAt, endsAt: s.endsAt })
      .from(s)
      .innerJoin(c, eq(c.id, s.circleId))
      .where(
        and(
          gte(s.startsAt, from),
          lt(s.startsAt, to),
          inArray(c.neighbourhoodId, neighbourhoodIds),
          or(eq(s.status, "DONE"), and(eq(s.status, "COVERED"), lte(s.endsAt, now))),
          gt(s.endsAt, s.startsAt),
        ),
      );
    const months = new Map(range.labels.map((l, i) => [l, i]));
    const out: HelpSpan[] = [];
    for (const r of recorded) {
      const month = months.get(r.month);
      if (month !== undefined && r.minutes > 0) out.push({ helperId: r.helperId, neighbourhoodId: r.neighbourhoodId, month, minutes: r.minutes });
    }
    for (const r of shifts) {
      if (!r.neighbourhoodId) continue;
      const month = monthIndex(range, r.startsAt.getTime());
      if (month >= 0) out.push({ helperId: r.helperId, neighbourhoodId: r.neighbourhoodId, month, minutes: (r.endsAt.getTime() - r.startsAt.getTime()) / 60_000 });
    }
    return out;
  }
}

/**
 * Hours of informal help per neighbourhood and month, protected like every figure: shown only when the
 * hours were given by at least five helpers who are also five established accounts (registered before
 * the month began), so a few people's hours are never singled out, and fresh accounts add nothing.
 * Minutes whose helper was pseudonymised still count in the hours, but not towards the five.
 * Months that have not ended are withheld.
 */
export function informalHoursCells(range: MonthRange, neighbourhoodIds: string[], spans: HelpSpan[], created: Map<string, Date>, now: number): CountCell[] {
  const groups = new Map<string, { minutes: number; basis: Basis }>();
  for (const s of spans) {
    const k = `${s.month}\u0000${s.neighbourhoodId}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { minutes: 0, basis: newBasis() }));
    g.minutes += s.minutes;
    if (s.helperId) {
      g.basis.people.add(s.helperId);
      const at = created.get(s.helperId);
      if (at !== undefined && at.getTime() < range.bounds[s.month]) g.basis.accounts.add(s.helperId);
    }
  }
  const out: CountCell[] = [];
  range.labels.forEach((month, m) => {
    for (const neighbourhoodId of neighbourhoodIds) {
      const g = groups.get(`${m}\u0000${neighbourhoodId}`) ?? { minutes: 0, basis: newBasis() };
      const closed = range.bounds[m + 1] <= now;
      out.push({ month, neighbourhoodId, figure: closed ? countFigure(Math.round(g.minutes / 6) / 10, g.basis) : hidden });
    }
  });
  return out;
}

/** The informal-hours source of the council report. */
export function informalHoursSource(repo: InformalHoursRepository, createdAt: (ids: string[]) => Promise<Map<string, Date>>, now: () => Date): FigureSource {
  return {
    name: "informalHours",
    async cells(range, neighbourhoodIds) {
      const at = now();
      const spans = await repo.spans(range, neighbourhoodIds, at);
      const created = await createdAt(spans.flatMap((s) => (s.helperId ? [s.helperId] : [])));
      return informalHoursCells(range, neighbourhoodIds, spans, created, at.getTime());
    },
  };
}
