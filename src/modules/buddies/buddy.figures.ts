import type { MonthRange } from "../stats/stats.months.js";
import { type Basis, type Figure, countFigure, hidden, measureFigure, newBasis, publishable, shown } from "../stats/stats.suppression.js";
import type { EvaluationRow, MatchRow, ParticipantRow } from "./buddy.repository.js";

const DAY = 86_400_000;

/** One month of a programme's figures, each withheld under the statistics' small-cell rule. */
export interface BuddyMonthFigures {
  month: string;
  waiting: Figure;
  matched: Figure;
  started: Figure;
  ended: Figure;
  endedWell: Figure;
  meanDurationDays: Figure;
}

/**
 * A programme's figures per month, under the same rules as the neighbourhood statistics
 * (stats.suppression.ts): a count is shown only when it rests on at least five participants and five
 * established accounts, zero included. A participant referred by a professional or a desk counts as an
 * account of their own (nobody can pad a referral); one who signed up themselves counts only once
 * their sign-up is older than the month, so fresh sign-ups cannot tip a small group over the threshold.
 * "Ended well" is a part of "ended": it is shown only when both it and its rest are empty or publishable,
 * so the one cannot be had from the other by subtraction.
 */
export function programmeFigures(range: MonthRange, participants: ParticipantRow[], matches: MatchRow[], evaluations: EvaluationRow[]): BuddyMonthFigures[] {
  const byId = new Map(participants.map((p) => [p.id, p]));
  const firstMatch = new Map<string, number>();
  for (const m of matches) {
    const at = m.startedAt.getTime();
    if (!firstMatch.has(m.participantId) || firstMatch.get(m.participantId)! > at) firstMatch.set(m.participantId, at);
  }
  const wentWell = new Map<string, boolean[]>();
  for (const e of evaluations) wentWell.set(e.matchId, [...(wentWell.get(e.matchId) ?? []), e.wentWell]);
  const endedWell = (m: MatchRow) => {
    const verdicts = wentWell.get(m.id) ?? [];
    return verdicts.length === 2 && verdicts.every(Boolean);
  };

  return range.labels.map((month, i) => {
    const start = range.bounds[i];
    const end = range.bounds[i + 1];
    const basisOf = (ids: Iterable<string>): Basis => {
      const b = newBasis();
      for (const id of ids) {
        const p = byId.get(id);
        if (!p) continue;
        b.people.add(p.personId);
        if (p.referral !== "SELF" || p.referredAt.getTime() < start) b.accounts.add(p.personId);
      }
      return b;
    };
    const waiting = participants.filter((p) => p.referredAt.getTime() < end && (firstMatch.get(p.id) ?? Infinity) >= end).map((p) => p.id);
    const active = matches.filter((m) => m.startedAt.getTime() < end && (m.endedAt === null || m.endedAt.getTime() >= start));
    const started = matches.filter((m) => m.startedAt.getTime() >= start && m.startedAt.getTime() < end);
    const ended = matches.filter((m) => m.endedAt !== null && m.endedAt.getTime() >= start && m.endedAt.getTime() < end);
    const well = ended.filter(endedWell);
    const notWell = ended.filter((m) => !endedWell(m));
    const endedBasis = basisOf(ended.map((m) => m.participantId));
    const side = (list: MatchRow[]) => list.length === 0 || publishable(basisOf(list.map((m) => m.participantId)));
    const durations = ended.map((m) => (m.endedAt!.getTime() - m.startedAt.getTime()) / DAY - m.pausedDays);
    return {
      month,
      waiting: countFigure(waiting.length, basisOf(waiting)),
      matched: countFigure(active.length, basisOf(active.map((m) => m.participantId))),
      started: countFigure(started.length, basisOf(started.map((m) => m.participantId))),
      ended: countFigure(ended.length, endedBasis),
      endedWell: publishable(endedBasis) && side(well) && side(notWell) ? shown(well.length) : hidden,
      meanDurationDays: measureFigure(durations.length ? Math.round((durations.reduce((a, b) => a + b, 0) / durations.length) * 10) / 10 : null, endedBasis),
    };
  });
}
