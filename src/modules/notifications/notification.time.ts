import { DateTime } from "luxon";

/**
 * Times as people here live them: Europe/Amsterdam wall-clock time, computed with that zone named
 * explicitly, never the server process's own zone (servers run in UTC, or anywhere).
 */
export const ZONE = "Europe/Amsterdam";

/** Quiet hours as wall-clock times "HH:MM"; a span that ends before it starts runs over midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a message decided at `now` may go out: at once, or when the quiet hours it falls in end (the
 * next such end in Amsterdam, so 22:00-07:00 at 23:30 gives 07:00 the next morning, across a change
 * to or from summer time too). URGENT matters are never held.
 */
export function releaseTime(now: Date, quiet: QuietHours | null, urgent: boolean): Date {
  if (!quiet || urgent) return now;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return now;
  const local = DateTime.fromJSDate(now, { zone: ZONE });
  const minute = local.hour * 60 + local.minute;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return now;
  let release = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (minute >= end) release = release.plus({ days: 1 });
  return release.toJSDate();
}

/** The start of the Amsterdam day `now` falls in (a daily limit counts from there). */
export function startOfDay(now: Date): Date {
  return DateTime.fromJSDate(now, { zone: ZONE }).startOf("day").toJSDate();
}

/**
 * Formatters by language, made once: building an Intl.DateTimeFormat costs far more than formatting
 * with one, and a new request's messages format the same kind of date thousands of times.
 */
const WHEN_FORMATS: Record<"nl" | "en", Intl.DateTimeFormat> = {
  nl: whenFormat("nl-NL"),
  en: whenFormat("en-GB"),
};

function whenFormat(locale: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { timeZone: ZONE, weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
}

/** A date and time as a person here reads it, in their language. */
export function formatWhen(at: Date, language: "nl" | "en"): string {
  return (language === "nl" ? WHEN_FORMATS.nl : WHEN_FORMATS.en).format(at);
}
