import { type SQL, and, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, notExists, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { Urgency } from "../help-requests/help-request.tables.js";
import type { PersonTables } from "../people/person.tables.js";
import type { EscalationTables, EscalationTrigger } from "./escalation.tables.js";

/** The norms a case can be past (docs/decisions.md: case norms). */
export type CaseNorm = "ACKNOWLEDGE" | "FIRST_CONTACT" | "CLOSE";

/** The age bands a pseudonymised case shows (escalation.routing.ts), as inclusive ranges of years. */
export const AGE_BAND_RANGES: Record<string, [number, number | null] | null> = {
  "0-11": [0, 11],
  "12-15": [12, 15],
  "16-17": [16, 17],
  "18-27": [18, 27],
  "28-44": [28, 44],
  "45-64": [45, 64],
  "65-79": [65, 79],
  "80+": [80, null],
  unknown: null,
};

/** What narrows a team's queue beyond its statuses; every part is optional and the parts add up (AND). */
export interface QueueFilter {
  triggers?: EscalationTrigger[];
  neighbourhoodIds?: string[];
  assigneeId?: string;
  /** Any of these bands (see AGE_BAND_RANGES), judged on `at`. */
  ageBands?: { bands: string[]; at: Date };
  /** Past any of these norms at `now`, with the targets per urgency. */
  overdue?: { norms: CaseNorm[]; now: Date; firstContactHours: Record<Urgency, number>; closeHours: Record<Urgency, number> };
}

const URGENCIES: Urgency[] = ["URGENT", "HIGH", "NORMAL", "LOW"];

/** YYYY-MM-DD of `at` minus `years` (in UTC, as `ageOn` counts). */
function yearsBefore(at: Date, years: number): string {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

/**
 * The SQL conditions of a queue filter on the escalations table. A norm's deadline is the case's
 * creation plus the target of its urgency, so "past it" is, per urgency, "created before now minus the
 * target": one indexed range per urgency, no per-row arithmetic the two dialects would write apart.
 */
export function queueFilterConditions(db: Database<EscalationTables>, f: QueueFilter): SQL[] {
  const e = db.tables.escalations;
  const notes = db.tables.caseNotes;
  const people = (db.tables as unknown as PersonTables).people;
  const conds: SQL[] = [];
  if (f.triggers?.length) conds.push(inArray(e.trigger, f.triggers));
  if (f.neighbourhoodIds?.length) conds.push(inArray(e.neighbourhoodId, f.neighbourhoodIds));
  if (f.assigneeId) conds.push(eq(e.assigneeId, f.assigneeId));
  if (f.ageBands?.bands.length) {
    const at = f.ageBands.at;
    const ranges = f.ageBands.bands.map((band) => {
      const range = AGE_BAND_RANGES[band];
      if (!range) return isNull(people.birthDate);
      const [min, max] = range;
      const youngest = lte(people.birthDate, yearsBefore(at, min));
      return max === null ? youngest : and(youngest, gt(people.birthDate, yearsBefore(at, max + 1)))!;
    });
    conds.push(
      inArray(
        e.subjectId,
        db.read
          .select({ id: people.id })
          .from(people)
          .where(or(...ranges)),
      ),
    );
  }
  if (f.overdue?.norms.length) {
    const { now, norms } = f.overdue;
    const past = (hours: Record<Urgency, number>) => or(...URGENCIES.map((u) => and(eq(e.urgency, u), lt(e.createdAt, new Date(now.getTime() - hours[u] * 3600_000)))))!;
    const any: SQL[] = [];
    if (norms.includes("ACKNOWLEDGE")) any.push(and(eq(e.status, "NEW"), lt(e.acknowledgeBy, now))!);
    if (norms.includes("FIRST_CONTACT"))
      any.push(
        and(
          ne(e.status, "CLOSED"),
          past(f.overdue.firstContactHours),
          notExists(
            db.read
              .select({ one: sql`1` })
              .from(notes)
              .where(and(eq(notes.escalationId, e.id), isNotNull(notes.contactAt))),
          ),
        )!,
      );
    if (norms.includes("CLOSE")) any.push(and(ne(e.status, "CLOSED"), past(f.overdue.closeHours))!);
    conds.push(or(...any)!);
  }
  return conds;
}
