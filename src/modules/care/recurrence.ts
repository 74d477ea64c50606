import { DateTime } from "luxon";

/** Care schedules live in the city's local time; shifts are stored as instants. */
export const CARE_ZONE = "Europe/Amsterdam";

export interface Recurrence {
  /** First (or only) date, YYYY-MM-DD, local. */
  startDate: string;
  /** HH:MM, local. */
  startTime: string;
  durationMinutes: number;
  /** ISO weekdays (1 = Monday ... 7 = Sunday); empty for a one-off. */
  weekdays: number[];
  /** Every N weeks, counted from the week of startDate. */
  intervalWeeks: number;
  /** Last date (inclusive), or null for no end. */
  endDate: string | null;
}

export interface Occurrence {
  /** The local date of the occurrence: the stable key of a shift within its task. */
  occurrence: string;
  startsAt: Date;
  endsAt: Date;
}

/** The instant at which a local date and time happen in the care zone (a time skipped by DST moves forward). */
export function localInstant(date: string, time: string): DateTime {
  return DateTime.fromISO(`${date}T${time}`, { zone: CARE_ZONE });
}

/**
 * Occurrences whose start lies in [from, to). Weekly series repeat on the given weekdays every
 * `intervalWeeks` weeks; the wall-clock time stays the same across DST changes, so a 10:00 shift is
 * at 10:00 local in winter and in summer, and its duration is real elapsed time.
 */
export function occurrences(r: Recurrence, from: Date, to: Date): Occurrence[] {
  const make = (date: string): Occurrence => {
    const start = localInstant(date, r.startTime);
    return { occurrence: date, startsAt: start.toJSDate(), endsAt: start.plus({ minutes: r.durationMinutes }).toJSDate() };
  };
  const inRange = (o: Occurrence) => o.startsAt >= from && o.startsAt < to;
  if (r.weekdays.length === 0) {
    const only = make(r.startDate);
    return inRange(only) ? [only] : [];
  }
  const first = DateTime.fromISO(r.startDate, { zone: CARE_ZONE }).startOf("day");
  const anchorWeek = first.startOf("week");
  // Walk local dates from a day before `from` (a late-evening shift may start "tomorrow" in UTC terms).
  let day = DateTime.max(first, DateTime.fromJSDate(from, { zone: CARE_ZONE }).startOf("day").minus({ days: 1 }));
  const lastByRange = DateTime.fromJSDate(to, { zone: CARE_ZONE }).startOf("day").plus({ days: 1 });
  const last = r.endDate ? DateTime.min(lastByRange, DateTime.fromISO(r.endDate, { zone: CARE_ZONE }).startOf("day")) : lastByRange;
  const out: Occurrence[] = [];
  const wanted = new Set(r.weekdays);
  while (day <= last) {
    const weeks = Math.round(day.startOf("week").diff(anchorWeek, "weeks").weeks);
    if (wanted.has(day.weekday) && weeks % r.intervalWeeks === 0) {
      const o = make(day.toISODate()!);
      if (inRange(o)) out.push(o);
    }
    day = day.plus({ days: 1 });
  }
  return out;
}

/** Monday (YYYY-MM-DD, local) of the week an instant falls in. */
export function weekOf(at: Date): string {
  return DateTime.fromJSDate(at, { zone: CARE_ZONE }).startOf("week").toISODate()!;
}

/** Whether a YYYY-MM-DD is a real date. */
export function isLocalDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid;
}
