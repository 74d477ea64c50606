import type { Figure } from "./stats.suppression.js";

/**
 * Figures whose source is still being built elsewhere: hours of informal help (volunteers' recorded
 * hours, care shifts done) and the buddy programme. Each source is one function with this shape; the
 * report shows "not yet available" while a source answers null. When a module records them, it gives
 * the function here (protected like every figure: per neighbourhood and month, five people and five
 * established accounts) and the report and totals take it up without other changes.
 */
export interface FigureSource {
  /** Stable name, e.g. `informalHours`. */
  readonly name: string;
  /** The figure of a neighbourhood over [from, to), or null while the source does not exist yet. */
  figure(neighbourhoodId: string, from: Date, to: Date): Promise<Figure | null>;
}

/** Hours of informal help: not recorded yet (volunteer hours and care shifts are being built). */
export const informalHours: FigureSource = { name: "informalHours", figure: async () => null };

/** Buddy-programme matches: not recorded yet (the buddy programme is being built). */
export const buddyProgramme: FigureSource = { name: "buddyProgramme", figure: async () => null };

export const PENDING_SOURCES: readonly FigureSource[] = [informalHours, buddyProgramme];
