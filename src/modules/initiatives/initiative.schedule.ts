import { z } from "zod";
import { badInput } from "../../shared/errors.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import type { Frequency, Recurrence } from "./initiative.tables.js";

/**
 * Dates of initiatives are kept in the city's own time: a coffee morning at 10:00 stays at 10:00 when
 * the clocks change, so recurring dates are stepped in local wall time, not in fixed 24-hour days.
 */
export const CITY_TIME_ZONE = "Europe/Amsterdam";
/** At most this many dates per initiative (a weekly activity for almost four years). */
export const MAX_OCCURRENCES = 200;

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

export interface RepeatRule {
  frequency: Frequency;
  interval: number;
  count: number | null;
  until: Date | null;
}

interface Wall {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

const formatter = new Intl.DateTimeFormat("en-US", {
  timeZone: CITY_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function wallOf(at: Date): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { y: parts.year, m: parts.month, d: parts.day, h: parts.hour, mi: parts.minute, s: parts.second, ms: at.getUTCMilliseconds() };
}

/** Milliseconds the city's clock is ahead of UTC at this instant. */
function offsetAt(at: number): number {
  const w = wallOf(new Date(at));
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s, w.ms) - at;
}

/** The instant at which the city's clock shows this wall time (month may overflow; days are clamped). */
function fromWall(w: Wall): Date {
  const year = w.y + Math.floor((w.m - 1) / 12);
  const month = (((w.m - 1) % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const guess = Date.UTC(year, month, Math.min(w.d, lastDay), w.h, w.mi, w.s, w.ms);
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

function step(w: Wall, frequency: Frequency, n: number): Wall {
  switch (frequency) {
    case "DAILY":
      return normaliseDays({ ...w, d: w.d + n });
    case "WEEKLY":
      return normaliseDays({ ...w, d: w.d + 7 * n });
    case "MONTHLY":
      return { ...w, m: w.m + n };
  }
}

/** Rolls day overflow into months/years (Date.UTC does this arithmetic for us). */
function normaliseDays(w: Wall): Wall {
  const d = new Date(Date.UTC(w.y, w.m - 1, w.d));
  return { ...w, y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

/**
 * Every date of a schedule: the first one, then (when it repeats) every `interval` days, weeks or
 * months at the same local time, until `count` dates or the `until` instant is reached. Returns at
 * most `limit` + 1 dates, so a caller can tell that a rule produces too many.
 */
export function expandSchedule(first: Occurrence, repeat: RepeatRule | null, limit = MAX_OCCURRENCES): Occurrence[] {
  if (!repeat) return [first];
  const start = wallOf(first.startsAt);
  const end = wallOf(first.endsAt);
  const out: Occurrence[] = [];
  for (let i = 0; out.length <= limit; i++) {
    if (repeat.count !== null && i >= repeat.count) break;
    const startsAt = i === 0 ? first.startsAt : fromWall(step(start, repeat.frequency, i * repeat.interval));
    if (repeat.until !== null && startsAt.getTime() > repeat.until.getTime()) break;
    const endsAt = i === 0 ? first.endsAt : fromWall(step(end, repeat.frequency, i * repeat.interval));
    out.push({ startsAt, endsAt });
  }
  return out;
}

/**
 * The next moment, at or after `after`, when the city's clock shows `hour`:`minute` on the given
 * ISO weekday (1 = Monday .. 7 = Sunday). Used to plan weekly dates (seeds, clients' defaults).
 */
export function nextCityTime(after: Date, weekday: number, hour: number, minute = 0): Date {
  const today = wallOf(after);
  for (let add = 0; add <= 7; add++) {
    const day = normaliseDays({ ...today, d: today.d + add });
    const iso = ((new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay() + 6) % 7) + 1;
    if (iso !== weekday) continue;
    const at = fromWall({ ...day, h: hour, mi: minute, s: 0, ms: 0 });
    if (at.getTime() >= after.getTime()) return at;
  }
  return fromWall({ ...normaliseDays({ ...today, d: today.d + 7 }), h: hour, mi: minute, s: 0, ms: 0 });
}

const FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY"] as const;
const DAY = 24 * 3600_000;
const MAX_DURATION_MS = 14 * DAY;
const MAX_AHEAD_MS = 2 * 365 * DAY;

/** A schedule as an organiser writes it: the first date, and how it repeats. */
export const ScheduleSchema = z.object({
  startsAt: z.date({ error: "must be a date-time" }),
  endsAt: z.date({ error: "must be a date-time" }),
  repeat: z
    .object({
      frequency: z.enum(FREQUENCIES),
      interval: z.number().int().min(1, "must be 1-52").max(52, "must be 1-52").nullish(),
      count: z.number().int().min(1, "must be 1-200").max(MAX_OCCURRENCES, "must be 1-200").nullish(),
      until: z.date({ error: "must be a date-time" }).nullish(),
    })
    .nullish(),
});

/** A checked schedule: every date, the rule as stored, and the first start and last end (null without dates). */
export interface PlannedSchedule {
  occurrences: Occurrence[];
  recurrence: Recurrence | null;
  firstStartsAt: Date | null;
  lastEndsAt: Date | null;
}

/**
 * Checks a schedule (INVALID_SCHEDULE, naming the part under `field`) and expands it into dates: a
 * date lasts at most 14 days, starts at most two years ahead, repeats by count, until or both, at
 * most MAX_OCCURRENCES times, and not every date may be past.
 */
export function planSchedule(input: z.infer<typeof ScheduleSchema> | null, now: Date, field: string): PlannedSchedule {
  if (!input) return { occurrences: [], recurrence: null, firstStartsAt: null, lastEndsAt: null };
  const { startsAt, endsAt, repeat } = input;
  const bad = (path: string, message: string) => badInput(R.INVALID_SCHEDULE, "{field}: {problem}", `${field}${path}`, { field: `${field}${path}`, problem: message });
  if (endsAt.getTime() <= startsAt.getTime()) throw bad(".endsAt", "must be after startsAt");
  if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) throw bad(".endsAt", "one date lasts at most 14 days");
  if (startsAt.getTime() - now.getTime() > MAX_AHEAD_MS) throw bad(".startsAt", "at most two years ahead");
  let rule: RepeatRule | null = null;
  if (repeat) {
    if (repeat.count == null && repeat.until == null) throw bad(".repeat", "give count, until or both");
    if (repeat.until && repeat.until.getTime() < startsAt.getTime()) throw bad(".repeat.until", "must not be before startsAt");
    if (repeat.until && repeat.until.getTime() - startsAt.getTime() > MAX_AHEAD_MS) throw bad(".repeat.until", "at most two years after startsAt");
    rule = { frequency: repeat.frequency, interval: repeat.interval ?? 1, count: repeat.count ?? null, until: repeat.until ?? null };
  }
  const occurrences = expandSchedule({ startsAt, endsAt }, rule);
  if (occurrences.length > MAX_OCCURRENCES) {
    throw badInput(R.INVALID_SCHEDULE, "{field}: at most {max} dates", `${field}.repeat`, { field: `${field}.repeat`, max: MAX_OCCURRENCES });
  }
  const last = occurrences[occurrences.length - 1];
  if (last.endsAt.getTime() <= now.getTime()) throw bad("", "every date is in the past");
  return {
    occurrences,
    recurrence: rule ? { ...rule, until: rule.until?.toISOString() ?? null } : null,
    firstStartsAt: occurrences[0].startsAt,
    lastEndsAt: last.endsAt,
  };
}
