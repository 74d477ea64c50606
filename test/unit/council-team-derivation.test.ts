import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withheldWhereDerivable } from "../../src/modules/stats/stats.council.js";
import type { StatsCell } from "../../src/modules/stats/stats.service.js";
import type { TeamFigures } from "../../src/modules/stats/stats.teams.js";

const THRESHOLD = 5;
const shown = (value: number) => ({ value, suppressed: false });
const withheld = { value: null, suppressed: true };

/** A month's cell with only escalation groups (what the rule reads). */
const cell = (groups: { cases: number; published: boolean }[]): StatsCell =>
  ({ escalations: groups.map((g, i) => ({ trigger: `T${i}`, outcome: null, cases: g.published ? shown(g.cases) : withheld })) }) as unknown as StatsCell;

const team = (id: string, cases: number): TeamFigures => ({
  teamId: id,
  cases: shown(cases),
  byTrigger: [{ trigger: "T0", cases: shown(cases) }],
  byOutcome: [{ outcome: "CLOSED", cases: shown(cases) }],
  acknowledgedWithinNorm: shown(1),
  medianHoursToAcknowledge: shown(2),
  medianDaysToClose: shown(3),
  overdueNow: shown(0),
});

/**
 * Escalations are published per group (withheld under five), and the teams' case counts add up to every
 * case of the year. Whatever the groups, after the rule no one to four withheld cases follow from the teams'
 * shown counts minus the published groups; and the counts are kept whenever nothing could be worked out.
 */
describe("team counts against the published escalation groups", () => {
  it("never lets the shown team counts minus the published groups be one to four", () => {
    const group = fc.record({ cases: fc.integer({ min: 1, max: 12 }) }).map((g) => ({ ...g, published: g.cases >= THRESHOLD }));
    fc.assert(
      fc.property(fc.array(fc.array(group, { maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4 }), (cells, teamCount) => {
        const total = cells.flat().reduce((n, g) => n + g.cases, 0);
        // The year's cases spread over the teams (every case is led by one team).
        const split = Array.from({ length: teamCount }, (_, i) => Math.floor(total / teamCount) + (i < total % teamCount ? 1 : 0));
        const teams = split.map((n, i) => team(`team${i}`, n));
        const out = withheldWhereDerivable(teams, total, cells.map(cell), THRESHOLD);
        const published = cells.flat().reduce((n, g) => n + (g.published ? g.cases : 0), 0);
        const rest = total - published;
        if (out.every((t) => !t.cases.suppressed)) {
          const sum = out.reduce((n, t) => n + (t.cases.value ?? 0), 0);
          expect(sum - published === 0 || sum - published >= THRESHOLD).toBe(true);
          expect(out).toEqual(teams);
        } else {
          expect(rest).toBeGreaterThan(0);
          expect(rest).toBeLessThan(THRESHOLD);
          for (const t of out) {
            expect(t.cases).toEqual(withheld);
            expect(t.overdueNow).toEqual(withheld);
            expect(t.byTrigger).toEqual([]);
            expect(t.byOutcome).toEqual([]);
          }
        }
      }),
    );
  });
});
