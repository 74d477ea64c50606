import { DateTime } from "luxon";

/** Statistics follow the city's calendar: months start at midnight in Europe/Amsterdam. */
export const STATS_ZONE = "Europe/Amsterdam";
export const MAX_MONTHS = 24;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface MonthRange {
  /** YYYY-MM */
  labels: string[];
  /** labels.length + 1 instants: the start of each month and the end of the last. */
  bounds: number[];
}

export function parseMonth(text: string): DateTime | null {
  const m = MONTH.exec(text);
  if (!m) return null;
  return DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: STATS_ZONE });
}

export function monthLabel(at: Date | DateTime): string {
  const dt = at instanceof Date ? DateTime.fromJSDate(at, { zone: STATS_ZONE }) : at;
  return dt.toFormat("yyyy-LL");
}

/** The months from `from` to `to`, both included. */
export function monthRange(from: DateTime, to: DateTime): MonthRange {
  const labels: string[] = [];
  const bounds: number[] = [];
  let cursor = from.startOf("month");
  while (cursor <= to) {
    labels.push(cursor.toFormat("yyyy-LL"));
    bounds.push(cursor.toMillis());
    cursor = cursor.plus({ months: 1 });
  }
  bounds.push(cursor.toMillis());
  return { labels, bounds };
}

/** Index of the month an instant falls in, or -1 outside the range (binary search over the bounds). */
export function monthIndex(range: MonthRange, ms: number): number {
  const b = range.bounds;
  if (ms < b[0] || ms >= b[b.length - 1]) return -1;
  let lo = 0;
  let hi = b.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (b[mid] <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
