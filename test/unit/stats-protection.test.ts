import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Basis, type Figure, countFigure, protectParts } from "../../src/modules/stats/stats.suppression.js";
import { teamFigures } from "../../src/modules/stats/stats.teams.js";
import { totalsOf } from "../../src/modules/stats/stats.totals.js";

/** Whether variable `v` is fixed by the published equations (each a set of variables and their sum): e_v in their row space. */
function determined(equations: number[][], vars: number, v: number): boolean {
  const rank = (rows: number[][]) => {
    const m = rows.map((r) => [...r]);
    let r = 0;
    for (let c = 0; c < vars && r < m.length; c++) {
      const p = m.findIndex((row, i) => i >= r && Math.abs(row[c]) > 1e-9);
      if (p < 0) continue;
      [m[r], m[p]] = [m[p], m[r]];
      for (let i = 0; i < m.length; i++) {
        if (i === r || Math.abs(m[i][c]) < 1e-9) continue;
        const f = m[i][c] / m[r][c];
        for (let k = 0; k < vars; k++) m[i][k] -= f * m[r][k];
      }
      r++;
    }
    return r;
  };
  const unit = Array.from({ length: vars }, (_, i) => (i === v ? 1 : 0));
  return rank(equations) === rank([...equations, unit]);
}

const basisOf = (people: number[]): Basis => ({ people: new Set(people.map(String)), accounts: new Set(people.map(String)) });
const row = (vars: number, members: number[]) => Array.from({ length: vars }, (_, i) => (members.includes(i) ? 1 : 0));

describe("no withheld figure follows from published cells and totals", () => {
  it("totals per month, quarter, neighbourhood and year: a withheld cell is never determined", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 24, maxLength: 24 }),
        (months, hoods, sizes) => {
          const cells: { month: string; neighbourhoodId: string; figure: Figure }[] = [];
          for (let m = 0; m < months; m++) {
            for (let n = 0; n < hoods; n++) {
              const size = sizes[m * hoods + n];
              const people = Array.from({ length: size }, (_, i) => m * 1000 + n * 100 + i);
              cells.push({ month: `2027-${String(m + 1).padStart(2, "0")}`, neighbourhoodId: `nb${n}`, figure: countFigure(size, basisOf(people)) });
            }
          }
          const totals = totalsOf(cells);
          const vars = cells.length;
          const eq: number[][] = [];
          cells.forEach((c, i) => {
            if (!c.figure.suppressed) eq.push(row(vars, [i]));
          });
          const idx = (pred: (c: (typeof cells)[number]) => boolean) => cells.map((c, i) => (pred(c) ? i : -1)).filter((i) => i >= 0);
          const publish = (f: Figure, members: number[]) => {
            if (!f.suppressed) {
              eq.push(row(vars, members));
              // A published total is the sum of its cells.
              expect(f.value).toBe(members.reduce((s, i) => s + (cells[i].figure.value ?? 0), 0));
            }
          };
          for (const t of totals.perMonth)
            publish(
              t.figure,
              idx((c) => c.month === t.month),
            );
          for (const t of totals.perNeighbourhood)
            publish(
              t.figure,
              idx((c) => c.neighbourhoodId === t.neighbourhoodId),
            );
          for (const t of totals.perQuarter)
            publish(
              t.figure,
              idx((c) => `${c.month.slice(0, 4)}-Q${Math.floor((Number(c.month.slice(5)) - 1) / 3) + 1}` === t.quarter),
            );
          publish(
            totals.overall,
            idx(() => true),
          );
          cells.forEach((c, i) => {
            if (c.figure.suppressed) expect(determined(eq, vars, i), `${c.month} ${c.neighbourhoodId}`).toBe(false);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("parts of a total (categories, a team's triggers and outcomes): no withheld part resting on one to four people is determined", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }), (sizes) => {
        let next = 0;
        const parts = sizes.map((size, key) => {
          const people = Array.from({ length: size }, () => next++);
          return { key, count: size, basis: basisOf(people) };
        });
        const total = { count: next, basis: basisOf(Array.from({ length: next }, (_, i) => i)) };
        const out = protectParts(total, parts);
        const vars = parts.length;
        const eq: number[][] = [];
        if (!out.total.suppressed)
          eq.push(
            row(
              vars,
              parts.map((_, i) => i),
            ),
          );
        out.parts.forEach((p, i) => {
          if (!p.figure.suppressed) eq.push(row(vars, [i]));
        });
        out.parts.forEach((p, i) => {
          const size = sizes[i];
          if (p.figure.suppressed && size > 0 && size < 5) expect(determined(eq, vars, i)).toBe(false);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("a team's figures: the listed triggers never let a withheld one follow from the team's total", () => {
    const triggers = ["FLAG", "SAFETY", "STALE", "LOAD"];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 4, maxLength: 4 }), (sizes) => {
        const rows = sizes.flatMap((n, t) =>
          Array.from({ length: n }, (_, i) => ({
            id: `case-${t}-${i}`,
            teamId: "team",
            trigger: triggers[t],
            status: "CLOSED",
            outcome: "NO_ACTION",
            subjectId: `${t}-${i}`,
            raisedById: `${t}-${i}`,
            createdAt: new Date(10),
            acknowledgeBy: new Date(20),
            acknowledgedAt: new Date(15),
            closedAt: new Date(30),
          })),
        );
        const created = new Map(rows.map((r) => [r.subjectId, new Date(0)]));
        const [team] = teamFigures(rows, created, 1, 100);
        if (!team || team.cases.suppressed) return;
        const listed = team.byTrigger.reduce((s, g) => s + (g.cases.value ?? 0), 0);
        const rest = (team.cases.value ?? 0) - listed;
        // What the list leaves out is nothing or at least five cases' people.
        expect(rest === 0 || rest >= 5).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
