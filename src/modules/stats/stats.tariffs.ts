import { type Figure, hidden, shown } from "./stats.suppression.js";

/**
 * Tariffs that turn counts into an estimate of professional cost. They are inputs, not facts: every
 * estimate is shown with the tariff it used, and the demo tariffs say they are examples.
 */
export interface Tariffs {
  /** True for the demo tariffs: no municipality's real prices. */
  example: boolean;
  currency: "EUR";
  /** Hours of professional support a closed case costs, per outcome, and the price of an hour. */
  professionalHourEur: number;
  hoursPerOutcome: Record<string, number>;
  /** The price of one participation place for a month. */
  participationPlaceMonthEur: number;
  /** Where the figures come from (shown beside them). */
  source: string;
}

export const EXAMPLE_TARIFFS: Tariffs = Object.freeze({
  example: true,
  currency: "EUR",
  professionalHourEur: 100,
  hoursPerOutcome: { PROFESSIONAL_SUPPORT: 20, REFERRED: 4, HANDED_BACK: 1, NO_ACTION: 1 },
  participationPlaceMonthEur: 500,
  source: "example tariffs for the demonstration, not a municipality's prices",
}) as Tariffs;

export interface Estimate {
  /** What is estimated, e.g. `cases:PROFESSIONAL_SUPPORT`. */
  what: string;
  count: Figure;
  /** The tariff applied, as a sentence of numbers (e.g. "20 h x EUR 100"). */
  tariff: string;
  eur: Figure;
}

/** An estimate of a published count; withheld with the count (the product would give it away). */
export function estimate(what: string, count: Figure, unitEur: number, tariff: string): Estimate {
  return { what, count, tariff, eur: count.suppressed || count.value === null ? hidden : shown(Math.round(count.value * unitEur)) };
}

/** Estimates of professional support per outcome, for counts of closed cases per outcome. */
export function caseEstimates(outcomes: { outcome: string; cases: Figure }[], t: Tariffs): Estimate[] {
  return outcomes
    .filter((o) => t.hoursPerOutcome[o.outcome] !== undefined)
    .map((o) => {
      const hours = t.hoursPerOutcome[o.outcome];
      return estimate(`cases:${o.outcome}`, o.cases, hours * t.professionalHourEur, `${hours} h x ${t.currency} ${t.professionalHourEur}`);
    });
}

/**
 * Tariffs from STATS_TARIFFS_JSON: a municipality's own prices (example: false unless it says so); unset
 * gives the example tariffs. A malformed value stops the start, as any bad setting does.
 */
export function parseTariffs(json: string | undefined): Tariffs | undefined {
  if (!json) return undefined;
  const v = JSON.parse(json) as Partial<Tariffs>;
  const number = (x: unknown, what: string) => {
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) throw new Error(`STATS_TARIFFS_JSON: ${what} must be a number of at least 0`);
    return x;
  };
  const hoursPerOutcome: Record<string, number> = {};
  for (const [k, h] of Object.entries(v.hoursPerOutcome ?? {})) hoursPerOutcome[k] = number(h, `hoursPerOutcome.${k}`);
  if (typeof v.source !== "string" || v.source.trim() === "") throw new Error("STATS_TARIFFS_JSON: source must say where the tariffs come from");
  return {
    example: v.example === true,
    currency: "EUR",
    professionalHourEur: number(v.professionalHourEur, "professionalHourEur"),
    hoursPerOutcome,
    participationPlaceMonthEur: number(v.participationPlaceMonthEur ?? 0, "participationPlaceMonthEur"),
    source: v.source,
  };
}
