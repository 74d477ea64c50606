import { type Figure, hidden, shown } from "./stats.suppression.js";

/** One additive count per cell (e.g. requests), as published: value or withheld. */
export interface CountCell {
  month: string;
  neighbourhoodId: string;
  figure: Figure;
}

export interface Totals {
  /** Per month over the neighbourhoods. */
  perMonth: { month: string; figure: Figure }[];
  /** Per quarter (YYYY-Qn) over the neighbourhoods. */
  perQuarter: { quarter: string; figure: Figure }[];
  /** Per neighbourhood over the months. */
  perNeighbourhood: { neighbourhoodId: string; figure: Figure }[];
  /** The whole period and every neighbourhood given (a city's or an area's year). */
  overall: Figure;
}

export const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;

/**
 * Totals consistent with the cells and leaking nothing they withhold (complementary suppression at its
 * simplest): a total is the sum of its cells and is published only when every cell in it is published.
 * A published total then says nothing the cells did not already say, so no withheld cell follows from any
 * combination of cells and totals; a total over a withheld cell is withheld as well.
 */
export function totalsOf(cells: CountCell[]): Totals {
  const sum = (list: CountCell[]): Figure => {
    if (list.length === 0 || list.some((c) => c.figure.suppressed || c.figure.value === null)) return hidden;
    return shown(list.reduce((n, c) => n + (c.figure.value ?? 0), 0));
  };
  const by = <K>(keyOf: (c: CountCell) => K) => {
    const m = new Map<K, CountCell[]>();
    for (const c of cells) {
      const k = keyOf(c);
      const list = m.get(k);
      if (list) list.push(c);
      else m.set(k, [c]);
    }
    return m;
  };
  return {
    perMonth: [...by((c) => c.month)].map(([month, list]) => ({ month, figure: sum(list) })),
    perQuarter: [...by((c) => quarterOf(c.month))].map(([quarter, list]) => ({ quarter, figure: sum(list) })),
    perNeighbourhood: [...by((c) => c.neighbourhoodId)].map(([neighbourhoodId, list]) => ({ neighbourhoodId, figure: sum(list) })),
    overall: sum(cells),
  };
}
