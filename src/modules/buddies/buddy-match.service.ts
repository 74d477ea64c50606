import { DateTime } from "luxon";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { optionalText, parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { StatsReason } from "../stats/stats.errors.js";
import { MAX_MONTHS, type MonthRange, STATS_ZONE, monthRange, parseMonth } from "../stats/stats.months.js";
import { BuddyReason as R } from "./buddies.errors.js";
import type { BuddyFrequency, BuddyMatchRole } from "./buddies.tables.js";
import { type BuddyMonthFigures, programmeFigures } from "./buddy.figures.js";
import { type Candidate, rankCandidates } from "./buddy.ranking.js";
import type { BuddyRepository, CheckinRow, EvaluationRow, MatchRow, ParticipantRow, ProgrammeRow, SignalRow } from "./buddy.repository.js";
import { type BuddyService, LIST_CAP } from "./buddy.service.js";

const DAY = 86_400_000;
const EVERY_DAYS: Record<BuddyFrequency, number> = { WEEKLY: 7, FORTNIGHTLY: 14, MONTHLY: 31 };
/** A programme match may run up to three years: far beyond a help request's 90-day window. */
const MAX_PLANNED_DAYS = 3 * 366;

export interface BuddyMatchSettings {
  /** Days after a check-in was due before it counts as missed. */
  graceDays: number;
  /** Missed check-ins in a row that make the match due for escalation. */
  escalateAfterMissed: number;
}

export const defaultBuddyMatchSettings: BuddyMatchSettings = { graceDays: 3, escalateAfterMissed: 3 };

/**
 * Matches between participants and buddies: the ranked proposal, the match itself (in waiting-list
 * order unless the coordinator says why not), check-ins on a schedule, missed ones found by the sweep
 * and signalled to the coordinators, pauses, the end and the evaluation by both sides, and the
 * programme's figures.
 */
export class BuddyMatchService {
  constructor(
    private readonly repo: BuddyRepository,
    private readonly buddies: BuddyService,
    private readonly clock: Clock,
    private readonly settings: BuddyMatchSettings = defaultBuddyMatchSettings,
  ) {}

  private async coordinatedParticipant(viewer: Viewer, participantId: string): Promise<{ v: AuthenticatedViewer; participant: ParticipantRow; programme: ProgrammeRow }> {
    const v = requireViewer(viewer);
    const participant = await this.repo.findParticipant(participantId);
    const programme = participant && (await this.repo.findProgramme(participant.programmeId));
    if (!participant || !programme || !(await this.buddies.isCoordinator(v, programme))) {
      throw notFound(R.BUDDY_PARTICIPANT_NOT_FOUND, "No participant with this id is visible to you.");
    }
    return { v, participant, programme };
  }

  /** Buddies who could take this participant now (eligible, with room), ranked with the reasons they fit. */
  async candidates(viewer: Viewer, participantId: string): Promise<Candidate[]> {
    const { programme, participant } = await this.coordinatedParticipant(viewer, participantId);
    const all = await this.repo.buddiesOf(programme.id);
    const load = await this.repo.loadOf(all.map((b) => b.id));
    const open = [];
    for (const b of all) if ((load.get(b.id) ?? 0) < b.capacity && (await this.buddies.eligible(programme, b))) open.push(b);
    return rankCandidates(participant, open, load, (id) => this.buddies.areaOf(id)).slice(0, 100);
  }

  async match(
    viewer: Viewer,
    input: { participantId: string; buddyId: string; checkinEveryDays?: number | null; plannedEndAt?: Date | null; skipReason?: string | null },
  ): Promise<MatchRow> {
    const { v, participant, programme } = await this.coordinatedParticipant(viewer, input.participantId);
    const buddy = await this.repo.findBuddy(input.buddyId);
    if (!buddy || buddy.programmeId !== programme.id) throw notFound(R.BUDDY_NOT_FOUND, "No buddy with this id is visible to you.");
    if (participant.status !== "WAITING") throw conflict(R.BUDDY_PARTICIPANT_NOT_WAITING, "This participant is not on the waiting list.");
    if (!(await this.buddies.eligible(programme, buddy)))
      throw conflict(R.BUDDY_NOT_ELIGIBLE, "This buddy cannot be matched yet: the programme's training or a verified VOG is missing.");
    const every = parseInput(z.number().int().min(1).max(92), input.checkinEveryDays ?? EVERY_DAYS[programme.frequency], "input.checkinEveryDays");
    const skipReason = parseInput(optionalText(500), input.skipReason ?? null, "input.skipReason");
    const now = this.clock.now();
    const plannedEnd = input.plannedEndAt ?? DateTime.fromJSDate(now, { zone: STATS_ZONE }).plus({ months: programme.maxMonths }).toJSDate();
    if (plannedEnd.getTime() <= now.getTime() || plannedEnd.getTime() > now.getTime() + MAX_PLANNED_DAYS * DAY) {
      throw badInput(R.BUDDY_PLANNED_END_INVALID, "plannedEndAt: must lie after now and within three years", "input.plannedEndAt");
    }
    // First referred, first served: going ahead of someone who waits longer needs a reason on record.
    const queue = await this.repo.participantsOf(programme.id);
    const earlier = queue
      .slice(
        0,
        queue.findIndex((p) => p.id === participant.id),
      )
      .some((p) => p.status === "WAITING");
    if (earlier) {
      if (!skipReason)
        throw badInput(R.BUDDY_QUEUE_SKIP_NEEDS_REASON, "skipReason: someone referred earlier is still waiting; say why this participant goes first", "input.skipReason");
      await this.repo.setSkipNote(participant.id, skipReason);
    }
    const outcome = await this.repo.createMatch(
      {
        id: newId("BuddyMatch"),
        programmeId: programme.id,
        participantId: participant.id,
        buddyId: buddy.id,
        status: "ACTIVE",
        checkinEveryDays: every,
        startedAt: now,
        plannedEndAt: plannedEnd,
        nextCheckinDue: new Date(now.getTime() + every * DAY),
        missedInRow: 0,
        pausedAt: null,
        pausedDays: 0,
        endedAt: null,
        endedById: null,
        matchedById: v.personId,
        updatedAt: now,
      },
      buddy.capacity,
    );
    if (!outcome.ok && outcome.why === "AT_CAPACITY") throw conflict(R.BUDDY_AT_CAPACITY, "This buddy already has as many participants as they can take.");
    if (!outcome.ok) throw conflict(R.BUDDY_PARTICIPANT_NOT_WAITING, "This participant is not on the waiting list.");
    return outcome.match;
  }

  /** The viewer's side in the match, if they are one of its two people. */
  async roleIn(viewer: Viewer, match: MatchRow): Promise<BuddyMatchRole | null> {
    if (!viewer.personId) return null;
    const [participant, buddy] = await Promise.all([this.repo.findParticipant(match.participantId), this.repo.findBuddy(match.buddyId)]);
    if (participant?.personId === viewer.personId) return "PARTICIPANT";
    if (buddy?.personId === viewer.personId) return "BUDDY";
    return null;
  }

  /** A match as the viewer may see it: its coordinators and its two people; otherwise null. */
  async findVisibleMatch(viewer: Viewer, id: string): Promise<MatchRow | null> {
    const match = await this.repo.findMatch(id);
    if (!match || !viewer.personId) return null;
    if (await this.roleIn(viewer, match)) return match;
    const programme = (await this.repo.findProgramme(match.programmeId))!;
    return (await this.buddies.isCoordinator(viewer, programme)) ? match : null;
  }

  private async visibleMatch(viewer: Viewer, id: string): Promise<{ v: AuthenticatedViewer; match: MatchRow; role: BuddyMatchRole | null }> {
    const v = requireViewer(viewer);
    const match = await this.findVisibleMatch(v, id);
    if (!match) throw notFound(R.BUDDY_MATCH_NOT_FOUND, "No buddy match with this id is visible to you.");
    return { v, match, role: await this.roleIn(v, match) };
  }

  async matches(viewer: Viewer, programmeId: string): Promise<MatchRow[]> {
    const programme = await this.buddies.getProgramme(programmeId);
    await this.buddies.requireCoordinator(viewer, programme);
    return (await this.repo.matchesOf(programme.id)).slice(0, LIST_CAP);
  }

  /** The matches the viewer is in, as buddy or participant. */
  async myMatches(viewer: Viewer): Promise<MatchRow[]> {
    const v = requireViewer(viewer);
    const asBuddy = (await this.buddies.myBuddyRoles(v)).map((b) => b.id);
    const asParticipant = (await this.buddies.myParticipations(v)).map((p) => p.id);
    return (await this.repo.matchesWith(asParticipant, asBuddy)).slice(-100);
  }

  /** Only the buddy and the participant check in; anyone else is refused with BUDDY_CHECKIN_NOT_IN_MATCH. */
  async checkin(viewer: Viewer, matchId: string, note: string | null): Promise<CheckinRow> {
    const v = requireViewer(viewer);
    const match = await this.repo.findMatch(matchId);
    if (!match || !(await this.roleIn(v, match))) throw forbidden(R.BUDDY_CHECKIN_NOT_IN_MATCH, "Only the buddy and the participant of this match can check in.");
    const text = parseInput(optionalText(1000), note, "note");
    if (match.status !== "ACTIVE") throw conflict(R.BUDDY_MATCH_NOT_ACTIVE, "This match is not active.");
    const row = await this.repo.recordCheckin(match, v.personId, text, this.clock.now());
    if (!row) throw conflict(R.BUDDY_MATCH_NOT_ACTIVE, "This match is not active.");
    return row;
  }

  async checkins(viewer: Viewer, match: MatchRow): Promise<CheckinRow[]> {
    const { match: visible } = await this.visibleMatch(viewer, match.id);
    return (await this.repo.checkinsOf(visible.id)).slice(-LIST_CAP);
  }

  async pause(viewer: Viewer, id: string): Promise<MatchRow> {
    const { match } = await this.visibleMatch(viewer, id);
    if (match.status === "ENDED") throw conflict(R.BUDDY_MATCH_ALREADY_ENDED, "This match has already ended.");
    if (!(await this.repo.pause(match.id, this.clock.now()))) throw conflict(R.BUDDY_MATCH_NOT_ACTIVE, "This match is not active.");
    return (await this.repo.findMatch(match.id))!;
  }

  async resume(viewer: Viewer, id: string): Promise<MatchRow> {
    const { match } = await this.visibleMatch(viewer, id);
    if (match.status === "ENDED") throw conflict(R.BUDDY_MATCH_ALREADY_ENDED, "This match has already ended.");
    if (!(await this.repo.resume(match, this.clock.now()))) throw conflict(R.BUDDY_MATCH_NOT_PAUSED, "This match is not paused.");
    return (await this.repo.findMatch(match.id))!;
  }

  /** Ends the match once: a person of the match ends it with their evaluation; a coordinator without one. */
  async end(viewer: Viewer, id: string, evaluation: { wentWell: boolean; note?: string | null } | null): Promise<MatchRow> {
    const { v, match, role } = await this.visibleMatch(viewer, id);
    if (match.status === "ENDED") throw conflict(R.BUDDY_MATCH_ALREADY_ENDED, "This match has already ended.");
    const now = this.clock.now();
    const row = role && evaluation ? this.evaluation(match, v, role, evaluation, now) : null;
    if (!(await this.repo.end(match, v.personId, row, now))) throw conflict(R.BUDDY_MATCH_ALREADY_ENDED, "This match has already ended.");
    return (await this.repo.findMatch(match.id))!;
  }

  /** The other side's evaluation after the end; once per side. */
  async evaluate(viewer: Viewer, id: string, evaluation: { wentWell: boolean; note?: string | null }): Promise<MatchRow> {
    const { v, match, role } = await this.visibleMatch(viewer, id);
    if (!role) throw forbidden(R.BUDDY_NOT_IN_MATCH, "Only the buddy and the participant of this match can evaluate it.");
    if (match.status !== "ENDED") throw conflict(R.BUDDY_MATCH_NOT_ENDED, "This match has not ended yet.");
    if (!(await this.repo.addEvaluation(this.evaluation(match, v, role, evaluation, this.clock.now())))) {
      throw conflict(R.BUDDY_EVALUATION_ALREADY_GIVEN, "You have already evaluated this match.");
    }
    return match;
  }

  private evaluation(match: MatchRow, v: AuthenticatedViewer, role: BuddyMatchRole, e: { wentWell: boolean; note?: string | null }, at: Date): EvaluationRow {
    return { matchId: match.id, personId: v.personId, role, wentWell: e.wentWell, note: parseInput(optionalText(2000), e.note ?? null, "evaluation.note"), at };
  }

  /** Evaluations of a match: the coordinators see both; each person of the match sees only their own. */
  async evaluations(viewer: Viewer, match: MatchRow): Promise<EvaluationRow[]> {
    const { v, role } = await this.visibleMatch(viewer, match.id);
    const all = await this.repo.evaluationsOf([match.id]);
    return role ? all.filter((e) => e.personId === v.personId) : all;
  }

  /**
   * Finds check-ins missed (due more than the grace days ago) in active matches and signals each to the
   * programme's coordinators; the third in a row also raises an ESCALATION_DUE signal. Paused matches
   * are skipped: their schedule starts again when they resume. Idempotent across instances.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let signalled = 0;
    for (;;) {
      const overdue = await this.repo.overdue(new Date(now.getTime() - this.settings.graceDays * DAY));
      if (!overdue.length) return signalled;
      for (const m of overdue) signalled += (await this.repo.missCheckin(m, this.settings.escalateAfterMissed, now)).length > 0 ? 1 : 0;
    }
  }

  /** Open ESCALATION_DUE signals of active matches, for the escalation module's sweep (trigger MISSED_CHECKINS). */
  escalationDue() {
    return this.repo.escalationDue();
  }

  async signals(viewer: Viewer, programmeId: string): Promise<SignalRow[]> {
    const programme = await this.buddies.getProgramme(programmeId);
    await this.buddies.requireCoordinator(viewer, programme);
    return (await this.repo.signalsOf(programme.id)).slice(-LIST_CAP);
  }

  async findVisibleSignal(viewer: Viewer, id: string): Promise<SignalRow | null> {
    const signal = await this.repo.findSignal(id);
    const programme = signal && (await this.repo.findProgramme(signal.programmeId));
    return signal && programme && (await this.buddies.isCoordinator(viewer, programme)) ? signal : null;
  }

  async acknowledgeSignal(viewer: Viewer, id: string): Promise<SignalRow> {
    const v = requireViewer(viewer);
    if (!(await this.findVisibleSignal(v, id))) throw notFound(R.BUDDY_SIGNAL_NOT_FOUND, "No signal with this id is visible to you.");
    await this.repo.acknowledgeSignal(id, v.personId, this.clock.now());
    return (await this.repo.findSignal(id))!;
  }

  /** Figures per month for the programme's coordinators and the municipality's coordinators, suppressed as the statistics are. */
  async figures(viewer: Viewer, programmeId: string, from: string | null, to: string | null): Promise<BuddyMonthFigures[]> {
    const v = requireViewer(viewer);
    const programme = await this.buddies.getProgramme(programmeId);
    if (!hasRole(v, "COORDINATOR")) await this.buddies.requireCoordinator(v, programme);
    const current = DateTime.fromJSDate(this.clock.now(), { zone: STATS_ZONE }).startOf("month");
    const end = to ? parseMonth(to) : current;
    if (!end) throw badInput(StatsReason.INVALID_STATS_PERIOD, "to: must be a month as YYYY-MM", "to");
    const start = from ? parseMonth(from) : end.minus({ months: 11 });
    if (!start) throw badInput(StatsReason.INVALID_STATS_PERIOD, "from: must be a month as YYYY-MM", "from");
    if (start > end) throw badInput(StatsReason.INVALID_STATS_PERIOD, "from: must not be after to", "from");
    if (end.diff(start, "months").months >= MAX_MONTHS) throw badInput(StatsReason.INVALID_STATS_PERIOD, "to: a period spans at most {max} months", "to", { max: MAX_MONTHS });
    const [participants, matches] = await Promise.all([this.repo.participantsOf(programme.id), this.repo.matchesOf(programme.id)]);
    const evaluations = await this.repo.evaluationsOf(matches.map((m) => m.id));
    return programmeFigures(monthRange(start, end), participants, matches, evaluations);
  }

  /** Every programme's figures over a range, for the council report (whose route has checked the reader). */
  async councilFigures(range: MonthRange): Promise<{ programmeId: string; name: string; months: BuddyMonthFigures[] }[]> {
    const out = [];
    for (const programme of await this.repo.listProgrammes()) {
      const [participants, matches] = await Promise.all([this.repo.participantsOf(programme.id), this.repo.matchesOf(programme.id)]);
      const evaluations = await this.repo.evaluationsOf(matches.map((m) => m.id));
      out.push({ programmeId: programme.id, name: programme.name, months: programmeFigures(range, participants, matches, evaluations) });
    }
    return out;
  }

  participantOf(match: MatchRow) {
    return this.repo.findParticipant(match.participantId);
  }

  buddyOf(match: MatchRow) {
    return this.repo.findBuddy(match.buddyId);
  }
}
