import { and, asc, eq, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { newId } from "../../shared/ids.js";
import type { BuddySignalKind, BuddyTables } from "./buddies.tables.js";
import { signalRaisedEvent } from "./buddy.events.js";

type T = BuddyTables;
export type ProgrammeRow = T["buddyProgrammes"]["$inferSelect"];
export type ParticipantRow = T["buddyParticipants"]["$inferSelect"];
export type BuddyRow = T["buddyVolunteers"]["$inferSelect"];
export type MatchRow = T["buddyMatches"]["$inferSelect"];
export type CheckinRow = T["buddyCheckins"]["$inferSelect"];
export type SignalRow = T["buddySignals"]["$inferSelect"];
export type EvaluationRow = T["buddyEvaluations"]["$inferSelect"];

export type MatchOutcome = { ok: true; match: MatchRow } | { ok: false; why: "NOT_WAITING" | "AT_CAPACITY" };

const DAY = 86_400_000;

/** Buddy programmes' rows. Every change that decides on a state is one conditional write in one transaction. */
export class BuddyRepository {
  constructor(private readonly db: Database<BuddyTables>) {}

  private get t() {
    return this.db.tables;
  }

  async insertProgramme(row: ProgrammeRow): Promise<ProgrammeRow> {
    await this.db.transaction(async (tx) => tx.insert(this.t.buddyProgrammes).values(row));
    return row;
  }

  async findProgramme(id: string): Promise<ProgrammeRow | undefined> {
    return (await this.db.read.select().from(this.t.buddyProgrammes).where(eq(this.t.buddyProgrammes.id, id)))[0];
  }

  listProgrammes(): Promise<ProgrammeRow[]> {
    const p = this.t.buddyProgrammes;
    return this.db.read.select().from(p).orderBy(asc(p.createdAt), asc(p.id));
  }

  async addCoordinator(programmeId: string, personId: string, addedById: string, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => tx.insert(this.t.buddyProgrammeCoordinators).values({ programmeId, personId, addedById, addedAt: at }).onConflictDoNothing());
  }

  async isExtraCoordinator(programmeId: string, personId: string): Promise<boolean> {
    const c = this.t.buddyProgrammeCoordinators;
    return (
      (
        await this.db.read
          .select({ p: c.personId })
          .from(c)
          .where(and(eq(c.programmeId, programmeId), eq(c.personId, personId)))
      ).length > 0
    );
  }

  /** Inserts a participant unless the person already takes part (waiting or matched); null then. */
  async insertParticipant(row: ParticipantRow): Promise<ParticipantRow | null> {
    const p = this.t.buddyParticipants;
    return this.db.transaction(async (tx) => {
      await this.db.lockKey(tx, `buddy-participant:${row.programmeId}:${row.personId}`);
      const open = await tx
        .select({ id: p.id })
        .from(p)
        .where(and(eq(p.programmeId, row.programmeId), eq(p.personId, row.personId), ne(p.status, "ENDED")));
      if (open.length) return null;
      await tx.insert(p).values(row);
      return row;
    });
  }

  async findParticipant(id: string): Promise<ParticipantRow | undefined> {
    return (await this.db.read.select().from(this.t.buddyParticipants).where(eq(this.t.buddyParticipants.id, id)))[0];
  }

  /** A programme's participants, in waiting-list order (first referred, first served). */
  participantsOf(programmeId: string): Promise<ParticipantRow[]> {
    const p = this.t.buddyParticipants;
    return this.db.read.select().from(p).where(eq(p.programmeId, programmeId)).orderBy(asc(p.referredAt), asc(p.id));
  }

  participationsOf(personId: string): Promise<ParticipantRow[]> {
    const p = this.t.buddyParticipants;
    return this.db.read.select().from(p).where(eq(p.personId, personId)).orderBy(asc(p.referredAt), asc(p.id));
  }

  /** Inserts a buddy unless the person already applied to the programme; null then. */
  async insertBuddy(row: BuddyRow): Promise<BuddyRow | null> {
    const inserted = await this.db.transaction(async (tx) => tx.insert(this.t.buddyVolunteers).values(row).onConflictDoNothing().returning({ id: this.t.buddyVolunteers.id }));
    return inserted.length ? row : null;
  }

  async findBuddy(id: string): Promise<BuddyRow | undefined> {
    return (await this.db.read.select().from(this.t.buddyVolunteers).where(eq(this.t.buddyVolunteers.id, id)))[0];
  }

  buddiesOf(programmeId: string): Promise<BuddyRow[]> {
    const b = this.t.buddyVolunteers;
    return this.db.read.select().from(b).where(eq(b.programmeId, programmeId)).orderBy(asc(b.appliedAt), asc(b.id));
  }

  buddyRolesOf(personId: string): Promise<BuddyRow[]> {
    const b = this.t.buddyVolunteers;
    return this.db.read.select().from(b).where(eq(b.personId, personId));
  }

  async recordTraining(buddyId: string, byId: string, at: Date): Promise<BuddyRow> {
    const b = this.t.buddyVolunteers;
    await this.db.transaction(async (tx) => tx.update(b).set({ trainedAt: at, trainingRecordedById: byId, status: "ACTIVE" }).where(eq(b.id, buddyId)));
    return (await this.findBuddy(buddyId))!;
  }

  /** Matches not ended, per buddy: their current load. */
  async loadOf(buddyIds: readonly string[]): Promise<Map<string, number>> {
    if (!buddyIds.length) return new Map();
    const m = this.t.buddyMatches;
    const rows = await this.db.read
      .select({ buddyId: m.buddyId, n: sql<number>`count(*)` })
      .from(m)
      .where(and(inArray(m.buddyId, [...buddyIds]), ne(m.status, "ENDED")))
      .groupBy(m.buddyId);
    return new Map(rows.map((r) => [r.buddyId, Number(r.n)]));
  }

  /**
   * Matches a waiting participant with a buddy: the participant leaves the waiting list by a conditional
   * update, and the buddy's load is counted under a lock on the buddy, so two coordinators matching at
   * once never give one participant two buddies nor a buddy more than their capacity.
   */
  async createMatch(match: MatchRow, capacity: number): Promise<MatchOutcome> {
    const { buddyParticipants: p, buddyMatches: m } = this.t;
    return this.db.transaction(async (tx) => {
      await this.db.lockKey(tx, `buddy:${match.buddyId}`);
      const [{ n }] = await tx
        .select({ n: sql<number>`count(*)` })
        .from(m)
        .where(and(eq(m.buddyId, match.buddyId), ne(m.status, "ENDED")));
      if (Number(n) >= capacity) return { ok: false, why: "AT_CAPACITY" } as const;
      const moved = await tx
        .update(p)
        .set({ status: "MATCHED", updatedAt: match.startedAt })
        .where(and(eq(p.id, match.participantId), eq(p.status, "WAITING")))
        .returning({ id: p.id });
      if (!moved.length) return { ok: false, why: "NOT_WAITING" } as const;
      await tx.insert(m).values(match);
      return { ok: true, match } as const;
    });
  }

  async setSkipNote(participantId: string, note: string): Promise<void> {
    const p = this.t.buddyParticipants;
    await this.db.transaction(async (tx) => tx.update(p).set({ skipNote: note }).where(eq(p.id, participantId)));
  }

  async findMatch(id: string): Promise<MatchRow | undefined> {
    return (await this.db.read.select().from(this.t.buddyMatches).where(eq(this.t.buddyMatches.id, id)))[0];
  }

  matchesOf(programmeId: string): Promise<MatchRow[]> {
    const m = this.t.buddyMatches;
    return this.db.read.select().from(m).where(eq(m.programmeId, programmeId)).orderBy(asc(m.startedAt), asc(m.id));
  }

  matchesWith(participantIds: readonly string[], buddyIds: readonly string[]): Promise<MatchRow[]> {
    const m = this.t.buddyMatches;
    const parts = [participantIds.length ? inArray(m.participantId, [...participantIds]) : undefined, buddyIds.length ? inArray(m.buddyId, [...buddyIds]) : undefined].filter(
      (x) => x !== undefined,
    );
    if (!parts.length) return Promise.resolve([]);
    return this.db.read
      .select()
      .from(m)
      .where(sql.join(parts, sql` or `))
      .orderBy(asc(m.startedAt), asc(m.id));
  }

  /** A check-in: the schedule starts again from now. */
  async recordCheckin(match: MatchRow, personId: string, note: string | null, at: Date): Promise<CheckinRow | null> {
    const { buddyMatches: m, buddyCheckins: c } = this.t;
    const row: CheckinRow = { id: newId("BuddyCheckin"), matchId: match.id, personId, note, at };
    return this.db.transaction(async (tx) => {
      const next = new Date(at.getTime() + match.checkinEveryDays * DAY);
      const moved = await tx
        .update(m)
        .set({ nextCheckinDue: next, missedInRow: 0, updatedAt: at })
        .where(and(eq(m.id, match.id), eq(m.status, "ACTIVE")))
        .returning({ id: m.id });
      if (!moved.length) return null;
      await tx.insert(c).values(row);
      return row;
    });
  }

  checkinsOf(matchId: string): Promise<CheckinRow[]> {
    const c = this.t.buddyCheckins;
    return this.db.read.select().from(c).where(eq(c.matchId, matchId)).orderBy(asc(c.at), asc(c.id));
  }

  /** Pauses an active match; false when it was not active. */
  async pause(id: string, at: Date): Promise<boolean> {
    const m = this.t.buddyMatches;
    const done = await this.db.transaction(async (tx) =>
      tx
        .update(m)
        .set({ status: "PAUSED", pausedAt: at, updatedAt: at })
        .where(and(eq(m.id, id), eq(m.status, "ACTIVE")))
        .returning({ id: m.id }),
    );
    return done.length > 0;
  }

  /** Resumes a paused match: the next check-in is due one interval from now; the pause is added to its planned end. */
  async resume(match: MatchRow, at: Date): Promise<boolean> {
    const m = this.t.buddyMatches;
    const pausedMs = at.getTime() - (match.pausedAt ?? at).getTime();
    const done = await this.db.transaction(async (tx) =>
      tx
        .update(m)
        .set({
          status: "ACTIVE",
          pausedAt: null,
          pausedDays: match.pausedDays + Math.floor(pausedMs / DAY),
          plannedEndAt: new Date(match.plannedEndAt.getTime() + pausedMs),
          nextCheckinDue: new Date(at.getTime() + match.checkinEveryDays * DAY),
          missedInRow: 0,
          updatedAt: at,
        })
        .where(and(eq(m.id, match.id), eq(m.status, "PAUSED")))
        .returning({ id: m.id }),
    );
    return done.length > 0;
  }

  /** Ends a match once (a second end finds it ENDED and changes nothing), with the ender's evaluation if any. */
  async end(match: MatchRow, byId: string, evaluation: EvaluationRow | null, at: Date): Promise<boolean> {
    const { buddyMatches: m, buddyParticipants: p, buddyEvaluations: e } = this.t;
    return this.db.transaction(async (tx) => {
      const done = await tx
        .update(m)
        .set({ status: "ENDED", endedAt: at, endedById: byId, pausedAt: null, updatedAt: at })
        .where(and(eq(m.id, match.id), ne(m.status, "ENDED")))
        .returning({ id: m.id });
      if (!done.length) return false;
      await tx.update(p).set({ status: "ENDED", updatedAt: at }).where(eq(p.id, match.participantId));
      if (evaluation) await tx.insert(e).values(evaluation);
      return true;
    });
  }

  /** Adds an evaluation; false when this side already gave one. */
  async addEvaluation(row: EvaluationRow): Promise<boolean> {
    const e = this.t.buddyEvaluations;
    const done = await this.db.transaction(async (tx) => tx.insert(e).values(row).onConflictDoNothing().returning({ m: e.matchId }));
    return done.length > 0;
  }

  evaluationsOf(matchIds: readonly string[]): Promise<EvaluationRow[]> {
    if (!matchIds.length) return Promise.resolve([]);
    const e = this.t.buddyEvaluations;
    return this.db.read
      .select()
      .from(e)
      .where(inArray(e.matchId, [...matchIds]))
      .orderBy(asc(e.at));
  }

  /** Active matches whose check-in was due before `before`. */
  overdue(before: Date): Promise<MatchRow[]> {
    const m = this.t.buddyMatches;
    return this.db.read
      .select()
      .from(m)
      .where(and(eq(m.status, "ACTIVE"), lte(m.nextCheckinDue, before)))
      .orderBy(asc(m.nextCheckinDue), asc(m.id));
  }

  /**
   * Counts one missed check-in of a match, once: the due moment moves one interval on by a conditional
   * update, and a signal is written (one per match and due moment), plus an escalation signal when the
   * misses in a row reach `limit`; each signal written is recorded as an event (buddy.events.ts). A second instance sweeping at once finds the due moment moved.
   */
  async missCheckin(match: MatchRow, limit: number, at: Date): Promise<BuddySignalKind[]> {
    const { buddyMatches: m, buddySignals: s } = this.t;
    return this.db.transaction(async (tx) => {
      const missed = match.missedInRow + 1;
      const moved = await tx
        .update(m)
        .set({ nextCheckinDue: new Date(match.nextCheckinDue.getTime() + match.checkinEveryDays * DAY), missedInRow: missed, updatedAt: at })
        .where(and(eq(m.id, match.id), eq(m.status, "ACTIVE"), eq(m.nextCheckinDue, match.nextCheckinDue)))
        .returning({ id: m.id });
      if (!moved.length) return [];
      const kinds: BuddySignalKind[] = missed === limit ? ["MISSED_CHECKIN", "ESCALATION_DUE"] : ["MISSED_CHECKIN"];
      for (const kind of kinds) {
        const id = newId("BuddySignal");
        const inserted = await tx
          .insert(s)
          .values({
            id,
            dedupeKey: `${match.id}:${kind}:${match.nextCheckinDue.getTime()}`,
            programmeId: match.programmeId,
            matchId: match.id,
            kind,
            dueAt: match.nextCheckinDue,
            createdAt: at,
            acknowledgedAt: null,
            acknowledgedById: null,
          })
          .onConflictDoNothing()
          .returning({ id: s.id });
        // In the same transaction as the signal: its event commits with it, or neither does.
        if (inserted.length) await this.db.recordEvents([signalRaisedEvent(match.programmeId, id, kind)]);
      }
      return kinds;
    });
  }

  signalsOf(programmeId: string): Promise<SignalRow[]> {
    const s = this.t.buddySignals;
    return this.db.read.select().from(s).where(eq(s.programmeId, programmeId)).orderBy(asc(s.createdAt), asc(s.id));
  }

  async findSignal(id: string): Promise<SignalRow | undefined> {
    return (await this.db.read.select().from(this.t.buddySignals).where(eq(this.t.buddySignals.id, id)))[0];
  }

  async acknowledgeSignal(id: string, byId: string, at: Date): Promise<void> {
    const s = this.t.buddySignals;
    await this.db.transaction(async (tx) => tx.update(s).set({ acknowledgedAt: at, acknowledgedById: byId }).where(eq(s.id, id)));
  }

  /** ESCALATION_DUE signals of active matches that no coordinator acknowledged: who the match is for, and since when. */
  async escalationDue(): Promise<{ signalId: string; programmeId: string; personId: string; neighbourhoodId: string | null; since: Date }[]> {
    const { buddySignals: s, buddyMatches: m, buddyParticipants: p } = this.t;
    return this.db.read
      .select({ signalId: s.id, programmeId: s.programmeId, personId: p.personId, neighbourhoodId: p.neighbourhoodId, since: s.createdAt })
      .from(s)
      .innerJoin(m, eq(m.id, s.matchId))
      .innerJoin(p, eq(p.id, m.participantId))
      .where(and(eq(s.kind, "ESCALATION_DUE"), isNull(s.acknowledgedAt), eq(m.status, "ACTIVE")));
  }
}
