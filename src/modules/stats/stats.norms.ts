import type { NormCount } from "../escalation/case-norms.service.js";
import type { TeamCaseRow } from "./stats.repository.js";
import { type Basis, type Figure, hidden, newBasis, protectParts } from "./stats.suppression.js";

/** Where a case stands on one norm; null: the norm does not apply (closed before its first-contact deadline without contact). */
export type NormStanding = keyof NormCount | null;

/** A team's norms over the year as the council reads them: met, missed and open overdue per norm. */
export interface TeamNorms {
  teamId: string;
  firstContact: NormFigures;
  close: NormFigures;
}

export interface NormFigures {
  met: Figure;
  missed: Figure;
  openOverdue: Figure;
}

const STANDINGS: (keyof NormCount)[] = ["met", "missed", "openOverdue", "openInTime"];

/**
 * One norm of one team, protected as the team's other figures: the parts (met, missed, open overdue, open
 * in time) of the cases the norm applies to are published only when the whole rests on five people and
 * five established accounts, and a part is withheld when it, or the withheld rest it would give away by
 * subtraction, rests on fewer (protectParts). Open-in-time is counted in the whole but not published.
 */
export function normFigures(cases: { row: TeamCaseRow; standing: NormStanding }[], created: Map<string, Date>, from: number): NormFigures {
  const total = { count: 0, basis: newBasis() };
  const parts = STANDINGS.map((key) => ({ key, count: 0, basis: newBasis() }));
  const add = (g: { count: number; basis: Basis }, r: TeamCaseRow) => {
    g.count += 1;
    g.basis.people.add(r.subjectId);
    const account = r.raisedById ?? r.subjectId;
    const at = created.get(account);
    if (at !== undefined && at.getTime() < from) g.basis.accounts.add(account);
  };
  for (const c of cases) {
    if (!c.standing) continue;
    add(total, c.row);
    add(parts[STANDINGS.indexOf(c.standing)], c.row);
  }
  const shown = protectParts(total, parts);
  const of = (key: keyof NormCount) => (shown.total.suppressed ? hidden : (shown.parts.find((p) => p.key === key)?.figure ?? hidden));
  return { met: of("met"), missed: of("missed"), openOverdue: of("openOverdue") };
}

/** Per team: its cases (lead or co-team) with their standings, joined to the year's case rows for the people behind them. */
export function teamNorms(
  teams: { teamId: string; cases: { id: string; firstContact: NormStanding; close: NormStanding }[] }[],
  rowsById: Map<string, TeamCaseRow>,
  created: Map<string, Date>,
  from: number,
): TeamNorms[] {
  return teams.map(({ teamId, cases }) => {
    const known = cases.flatMap((c) => {
      const row = rowsById.get(c.id);
      return row ? [{ row, ...c }] : [];
    });
    return {
      teamId,
      firstContact: normFigures(
        known.map((c) => ({ row: c.row, standing: c.firstContact })),
        created,
        from,
      ),
      close: normFigures(
        known.map((c) => ({ row: c.row, standing: c.close })),
        created,
        from,
      ),
    };
  });
}
