import type { TeamCaseRow } from "./stats.repository.js";
import { type Basis, type Figure, countFigure, hidden, measureFigure, median, newBasis, protectParts, shareFigure, union } from "./stats.suppression.js";

/** The figures of one team (its lead cases raised in a period), each protected like a cell's. */
export interface TeamFigures {
  teamId: string;
  /** Cases led by the team; published when they rest on five people and five established accounts. */
  cases: Figure;
  /** Per trigger; a trigger below the threshold is left out of the list (its existence would tell). */
  byTrigger: { trigger: string; cases: Figure }[];
  /** Per outcome of the closed cases; small groups are left out likewise. */
  byOutcome: { outcome: string; cases: Figure }[];
  /** Share of the acknowledged cases acknowledged by their norm (acknowledge_by). */
  acknowledgedWithinNorm: Figure;
  medianHoursToAcknowledge: Figure;
  medianDaysToClose: Figure;
  /** Cases still NEW past their norm now (withheld unless both it and the other cases are zero or publishable). */
  overdueNow: Figure;
}

interface Group {
  count: number;
  basis: Basis;
}

const group = (): Group => ({ count: 0, basis: newBasis() });

/**
 * Figures per lead team over cases raised in [from, to), as of `now`. The people behind a case are its
 * subject; the accounts are whoever raised it (or the subject), counted when registered before `from`:
 * the same rule as the neighbourhood figures, so padding with new accounts adds nothing.
 */
export function teamFigures(rows: TeamCaseRow[], created: Map<string, Date>, from: number, now: number): TeamFigures[] {
  const teams = new Map<
    string,
    {
      all: Group;
      triggers: Map<string, Group>;
      outcomes: Map<string, Group>;
      inNorm: Group;
      late: Group;
      ack: number[];
      close: number[];
      open: Group;
      overdue: Group;
      notOverdue: Group;
    }
  >();
  const add = (g: Group, r: TeamCaseRow) => {
    g.count += 1;
    g.basis.people.add(r.subjectId);
    const account = r.raisedById ?? r.subjectId;
    const at = created.get(account);
    if (at !== undefined && at.getTime() < from) g.basis.accounts.add(account);
  };
  for (const r of rows) {
    let t = teams.get(r.teamId);
    if (!t) {
      t = { all: group(), triggers: new Map(), outcomes: new Map(), inNorm: group(), late: group(), ack: [], close: [], open: group(), overdue: group(), notOverdue: group() };
      teams.set(r.teamId, t);
    }
    add(t.all, r);
    let g = t.triggers.get(r.trigger);
    if (!g) t.triggers.set(r.trigger, (g = group()));
    add(g, r);
    if (r.acknowledgedAt) {
      add(r.acknowledgedAt.getTime() <= r.acknowledgeBy.getTime() ? t.inNorm : t.late, r);
      t.ack.push((r.acknowledgedAt.getTime() - r.createdAt.getTime()) / 3_600_000);
    }
    add(!r.acknowledgedAt && r.status === "NEW" && r.acknowledgeBy.getTime() < now ? t.overdue : t.notOverdue, r);
    if (r.closedAt && r.outcome) {
      let o = t.outcomes.get(r.outcome);
      if (!o) t.outcomes.set(r.outcome, (o = group()));
      add(o, r);
      t.close.push((r.closedAt.getTime() - r.createdAt.getTime()) / 86_400_000);
    } else {
      add(t.open, r);
    }
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  /** Parts of the team's cases, protected against subtraction from the total; withheld parts are left out of the list. */
  const listed = (total: Group, m: Map<string, Group>, rest?: Group) => {
    const parts = [...m.entries()].map(([key, g]) => ({ key, ...g }));
    if (rest) parts.push({ key: "", ...rest });
    const protectedParts = protectParts(total, parts);
    return protectedParts.parts.filter((p) => p.key !== "" && !p.figure.suppressed).sort((a, b) => a.key.localeCompare(b.key));
  };
  return [...teams.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([teamId, t]) => {
      const cases = countFigure(t.all.count, t.all.basis);
      return {
        teamId,
        cases,
        byTrigger: cases.suppressed ? [] : listed(t.all, t.triggers).map((p) => ({ trigger: p.key, cases: p.figure })),
        byOutcome: cases.suppressed ? [] : listed(t.all, t.outcomes, t.open).map((p) => ({ outcome: p.key, cases: p.figure })),
        acknowledgedWithinNorm: cases.suppressed ? hidden : shareFigure(t.inNorm, t.late),
        medianHoursToAcknowledge: measureFigure(round(median(t.ack)), union([t.inNorm.basis, t.late.basis])),
        medianDaysToClose: measureFigure(round(median(t.close)), union([...t.outcomes.values()].map((g) => g.basis))),
        overdueNow: cases.suppressed || shareFigure(t.overdue, t.notOverdue).suppressed ? hidden : countFigure(t.overdue.count, t.overdue.basis),
      };
    });
}
