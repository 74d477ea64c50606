import { and, asc, count, countDistinct, desc, eq, gte, lte, sum } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { HelpRequestAfterTables, MoreNeeded } from "./help-request.after.tables.js";
import type { HelpRequestTables } from "./help-request.tables.js";

export interface ThanksRow {
  helpRequestId: string;
  thankedById: string;
  volunteerId: string;
  message: string;
  createdAt: Date;
}

export interface FollowUpRow {
  helpRequestId: string;
  answeredById: string;
  happened: boolean;
  moreNeeded: MoreNeeded;
  linkedRequestId: string | null;
  escalationId: string | null;
  note: string | null;
  createdAt: Date;
}

export interface HoursRow {
  helpRequestId: string;
  volunteerId: string | null;
  neighbourhoodId: string;
  month: string;
  minutes: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The minutes of one month (YYYY-MM, Europe/Amsterdam) and how many requests they were given for. */
export interface MonthMinutes {
  month: string;
  minutes: number;
  requests: number;
}

/** Hours of informal help in one neighbourhood and month, for the statistics (which apply their suppression rules). */
export interface NeighbourhoodMonthMinutes extends MonthMinutes {
  neighbourhoodId: string;
  /** Distinct volunteers who recorded them (the basis for suppression). */
  volunteers: number;
}

/** Thanks, follow-ups and hours of DONE requests. SQL only; each is one row per request. */
export class HelpRequestAfterRepository {
  constructor(private readonly db: Database<HelpRequestAfterTables & HelpRequestTables>) {}

  private get t() {
    return this.db.tables;
  }

  async thanksOf(helpRequestId: string): Promise<ThanksRow | undefined> {
    return (await this.db.read.select().from(this.t.helpRequestThanks).where(eq(this.t.helpRequestThanks.helpRequestId, helpRequestId)))[0];
  }

  /** The thanks a volunteer received, newest first. */
  thanksTo(volunteerId: string, limit: number): Promise<ThanksRow[]> {
    const th = this.t.helpRequestThanks;
    return this.db.read.select().from(th).where(eq(th.volunteerId, volunteerId)).orderBy(desc(th.createdAt)).limit(limit);
  }

  /** False when the request was thanked already (the first thank-you stays). */
  async insertThanks(row: ThanksRow): Promise<boolean> {
    const th = this.t.helpRequestThanks;
    const done = await this.db.transaction((tx) => tx.insert(th).values(row).onConflictDoNothing({ target: th.helpRequestId }).returning({ id: th.helpRequestId }));
    return done.length > 0;
  }

  async followUpOf(helpRequestId: string): Promise<FollowUpRow | undefined> {
    return (await this.db.read.select().from(this.t.helpRequestFollowUps).where(eq(this.t.helpRequestFollowUps.helpRequestId, helpRequestId)))[0];
  }

  /** The follow-up that opened this request, if it was opened by one. */
  async followUpLinkingTo(linkedRequestId: string): Promise<FollowUpRow | undefined> {
    return (await this.db.read.select().from(this.t.helpRequestFollowUps).where(eq(this.t.helpRequestFollowUps.linkedRequestId, linkedRequestId)))[0];
  }

  /** Claims the request's one follow-up; false when it was given already. */
  async insertFollowUp(row: FollowUpRow): Promise<boolean> {
    const f = this.t.helpRequestFollowUps;
    const done = await this.db.transaction((tx) => tx.insert(f).values(row).onConflictDoNothing({ target: f.helpRequestId }).returning({ id: f.helpRequestId }));
    return done.length > 0;
  }

  /** Records what the follow-up led to: the new request, or the case opened. */
  async linkFollowUp(helpRequestId: string, link: { linkedRequestId?: string; escalationId?: string }): Promise<void> {
    const f = this.t.helpRequestFollowUps;
    await this.db.transaction((tx) => tx.update(f).set(link).where(eq(f.helpRequestId, helpRequestId)));
  }

  /** Gives a claim back when what it was for failed (the new request was refused). */
  async dropFollowUp(helpRequestId: string): Promise<void> {
    const f = this.t.helpRequestFollowUps;
    await this.db.transaction((tx) => tx.delete(f).where(eq(f.helpRequestId, helpRequestId)));
  }

  async hoursOf(helpRequestId: string): Promise<HoursRow | undefined> {
    return (await this.db.read.select().from(this.t.volunteerHours).where(eq(this.t.volunteerHours.helpRequestId, helpRequestId)))[0];
  }

  /**
   * Records the volunteer's minutes on a request, or changes them while the entry is still theirs.
   * Undefined when the entry belongs to someone else.
   */
  async saveHours(row: Omit<HoursRow, "volunteerId"> & { volunteerId: string }): Promise<HoursRow | undefined> {
    const h = this.t.volunteerHours;
    return this.db.transaction(async (tx) => {
      const inserted = await tx.insert(h).values(row).onConflictDoNothing({ target: h.helpRequestId }).returning();
      if (inserted[0]) return inserted[0];
      const updated = await tx
        .update(h)
        .set({ minutes: row.minutes, updatedAt: row.updatedAt })
        .where(and(eq(h.helpRequestId, row.helpRequestId), eq(h.volunteerId, row.volunteerId)))
        .returning();
      return updated[0];
    });
  }

  /** A volunteer's minutes per month from `fromMonth` to `toMonth` (YYYY-MM, both included). */
  minutesByMonth(volunteerId: string, fromMonth: string, toMonth: string): Promise<MonthMinutes[]> {
    const h = this.t.volunteerHours;
    return this.db.read
      .select({ month: h.month, minutes: sum(h.minutes).mapWith(Number), requests: count().mapWith(Number) })
      .from(h)
      .where(and(eq(h.volunteerId, volunteerId), gte(h.month, fromMonth), lte(h.month, toMonth)))
      .groupBy(h.month)
      .orderBy(asc(h.month));
  }

  /**
   * For the statistics module: minutes of informal help per neighbourhood and month (YYYY-MM,
   * Europe/Amsterdam, the month the help's window started), from `fromMonth` to `toMonth` included,
   * with the number of distinct volunteers behind each figure. Unsuppressed: the caller publishes a
   * figure only under stats.suppression.ts's rules.
   */
  minutesByNeighbourhoodAndMonth(fromMonth: string, toMonth: string): Promise<NeighbourhoodMonthMinutes[]> {
    const h = this.t.volunteerHours;
    return this.db.read
      .select({
        neighbourhoodId: h.neighbourhoodId,
        month: h.month,
        minutes: sum(h.minutes).mapWith(Number),
        requests: count().mapWith(Number),
        volunteers: countDistinct(h.volunteerId).mapWith(Number),
      })
      .from(h)
      .where(and(gte(h.month, fromMonth), lte(h.month, toMonth)))
      .groupBy(h.neighbourhoodId, h.month)
      .orderBy(asc(h.month), asc(h.neighbourhoodId));
  }
}
