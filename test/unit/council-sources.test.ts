import { describe, expect, it } from "vitest";
import { distinctCells } from "../../src/modules/stats/stats.circles.js";
import { informalHoursCells } from "../../src/modules/stats/stats.informal.js";
import { parseMonth, monthRange } from "../../src/modules/stats/stats.months.js";
import { normFigures } from "../../src/modules/stats/stats.norms.js";
import type { TeamCaseRow } from "../../src/modules/stats/stats.repository.js";

const range = monthRange(parseMonth("2027-01")!, parseMonth("2027-03")!);
const old = new Date("2026-01-01T00:00:00Z");
const created = (ids: string[]) => new Map(ids.map((id) => [id, old]));
const NOW = Date.parse("2027-03-20T00:00:00Z"); // March runs

describe("the council's sourced figures", () => {
  it("informal hours: the sum of every minute, shown with five established helpers; a pseudonymised helper's minutes count but not towards the five; running months withheld", () => {
    const helpers = ["a", "b", "c", "d", "e"];
    const spans = [
      ...helpers.map((h) => ({ helperId: h, neighbourhoodId: "n1", month: 0, minutes: 30 })),
      { helperId: null, neighbourhoodId: "n1", month: 0, minutes: 60 },
      ...helpers.slice(0, 4).map((h) => ({ helperId: h, neighbourhoodId: "n1", month: 1, minutes: 600 })),
      { helperId: null, neighbourhoodId: "n1", month: 1, minutes: 60 },
      ...helpers.map((h) => ({ helperId: h, neighbourhoodId: "n1", month: 2, minutes: 60 })),
    ];
    const cells = informalHoursCells(range, ["n1", "n2"], spans, created(helpers), NOW);
    const at = (month: string, n: string) => cells.find((c) => c.month === month && c.neighbourhoodId === n)!.figure;
    expect(at("2027-01", "n1")).toEqual({ value: 3.5, suppressed: false });
    expect(at("2027-02", "n1")).toEqual({ value: null, suppressed: true });
    expect(at("2027-03", "n1")).toEqual({ value: null, suppressed: true });
    expect(at("2027-01", "n2")).toEqual({ value: null, suppressed: true });
    // Helpers registered during the month are not established: the figure is withheld.
    const fresh = new Map(helpers.map((h) => [h, new Date("2027-01-15T00:00:00Z")]));
    expect(informalHoursCells(range, ["n1"], spans, fresh, NOW)[0].figure.suppressed).toBe(true);
  });

  it("distinct counts: five circles of five receivers created by established accounts are shown; the same circle twice counts once", () => {
    const counted = ["c1", "c2", "c3", "c4", "c5", "c1"].map((key) => ({ key, neighbourhoodId: "n1", month: 0, personId: `r${key}`, accountId: `u${key}` }));
    const ids = counted.map((c) => c.accountId);
    expect(distinctCells(range, ["n1"], counted, created(ids), NOW)[0].figure).toEqual({ value: 5, suppressed: false });
    expect(distinctCells(range, ["n1"], counted.slice(1, 5), created(ids), NOW)[0].figure).toEqual({ value: null, suppressed: true });
  });

  it("team norms: met shown when it and the rest are publishable; a missed part of two people is withheld and so is the part that would give it away", () => {
    const row = (i: number): TeamCaseRow => ({
      id: `x${i}`,
      teamId: "t",
      trigger: "DIRECT_REQUEST",
      status: "CLOSED",
      outcome: "NO_ACTION",
      subjectId: `p${i}`,
      raisedById: `p${i}`,
      createdAt: new Date(10),
      acknowledgeBy: new Date(20),
      acknowledgedAt: new Date(15),
      closedAt: new Date(30),
    });
    const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const all = ids.map((_, i) => ({ row: row(i), standing: i < 10 ? ("met" as const) : ("missed" as const) }));
    const f = normFigures(all, created(ids), Date.parse("2027-01-01"));
    // Twelve cases: ten met, two missed. Showing "met" would give "missed" away by subtraction from the total.
    expect(f.missed).toEqual({ value: null, suppressed: true });
    expect(f.met).toEqual({ value: null, suppressed: true });
    const clean = normFigures(all.slice(0, 10), created(ids), Date.parse("2027-01-01"));
    expect(clean.met).toEqual({ value: 10, suppressed: false });
    expect(clean.missed).toEqual({ value: null, suppressed: true });
  });
});
