import type { MonthRange } from "./stats.months.js";
import type { CountCell } from "./stats.totals.js";

/**
 * An additive figure per neighbourhood and month that another module records (hours of informal help:
 * volunteers' recorded hours and care shifts held). Each source gives its cells for a period, each
 * protected like every figure (five people and five established accounts, months not ended withheld);
 * the council report totals them with totalsOf, which leaks nothing a cell withholds. A source that
 * answers null is named as "not yet available".
 */
export interface FigureSource {
  /** Stable name, e.g. `informalHours`. */
  readonly name: string;
  /** The cells of the neighbourhoods over the months of the range, or null while the source does not exist. */
  cells(range: MonthRange, neighbourhoodIds: string[]): Promise<CountCell[] | null>;
}

/** A source that is not recorded yet. */
export const pendingSource = (name: string): FigureSource => ({ name, cells: async () => null });
