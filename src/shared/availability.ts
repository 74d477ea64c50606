/**
 * Weekly availability against a stated time window. Slots are wall-clock times in Europe/Amsterdam
 * ("Tuesday 09:00-17:00"), whatever zone the process runs in; a window is a pair of instants. A slot
 * on a day of a change to or from summer time is placed by the wall clock of that day.
 */

/** A weekly slot: ISO weekday (1 Monday ... 7 Sunday) and HH:MM times, Europe/Amsterdam. */
export interface WeeklySlot {
  weekday: number;
  from: string;
  to: string;
}

const ZONE = "Europe/Amsterdam";
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const dateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** How far Amsterdam's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number): number {
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant of an Amsterdam wall-clock time on a calendar day (y, m 1-12, d). */
function amsterdamInstant(y: number, m: number, d: number, hhmm: string): number {
  const [h, min] = hhmm.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, h, min);
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

/**
 * Whether a window meets at least one slot. No slots means availability was not stated, which limits
 * nothing; a window of a week or longer meets every slot.
 */
export function windowMeetsSlots(start: Date, end: Date, slots: readonly WeeklySlot[]): boolean {
  if (slots.length === 0) return true;
  const s = start.getTime();
  const e = end.getTime();
  if (e - s >= WEEK_MS) return true;
  const [y, m, d] = dateFormat.format(start).split("-").map(Number);
  // Each Amsterdam calendar day the window touches (at most eight), from the day it starts in.
  for (let i = 0; i <= 8; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i));
    const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    const [dy, dm, dd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    if (amsterdamInstant(dy, dm, dd, "00:00") >= e) break;
    for (const slot of slots) {
      if (slot.weekday !== weekday) continue;
      if (amsterdamInstant(dy, dm, dd, slot.from) < e && amsterdamInstant(dy, dm, dd, slot.to) > s) return true;
    }
  }
  return false;
}

/** Whether a stated language is one the person speaks; nothing stated on either side limits nothing. */
export function speaksLanguage(language: string | null, languages: readonly string[]): boolean {
  return language === null || languages.length === 0 || languages.includes(language);
}
