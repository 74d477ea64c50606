import { DateTime } from "luxon";
import type { Clock } from "../../shared/clock.js";
import { newId } from "../../shared/ids.js";
import { type Channel, recipientOf } from "./notification.channel.js";
import type { NotificationKind } from "./notification.kinds.js";
import { quietHoursOf, switchesByPerson } from "./notification.preferences.js";
import type { ReminderRepository } from "./notification.reminders.repository.js";
import type { NewDelivery, NotificationRepository } from "./notification.repository.js";
import { ZONE, releaseTime } from "./notification.time.js";
import type { DeliveryParams } from "./notifications.tables.js";

export interface ReminderSettings {
  /** A held request whose window starts within this much time, not started, is reminded of. */
  startLeadMs: number;
  /** A VOG's term from its issue date. */
  vogValidMonths: number;
  /** Days before a VOG's term ends that its volunteer is reminded. */
  vogReminderDays: number;
  /** Amsterdam wall clock, HH:MM: from then, the day before, members hear of their shift tomorrow. */
  shiftReminderTime: string;
  /** Amsterdam wall clock, HH:MM: from then each day, coordinators hear how many VOGs wait for review. */
  reviewReminderTime: string;
  /** The default time of a daily digest, Amsterdam wall clock HH:MM. */
  digestTime: string;
}

/**
 * A reminder wanted: who, what, about what, and its identity without the channel. The identity names
 * everything that makes it another reminder (a new window, another VOG, another day), so the same one
 * is written once per channel however often and wherever the sweep runs.
 */
export interface WantedReminder {
  personId: string;
  kind: NotificationKind;
  subjectId: string;
  params: DeliveryParams;
  urgent: boolean;
  key: string;
}

/** A case unacknowledged for longer than this was reminded of long ago: its window stays well within NOTIFY_RETENTION_DAYS' default. */
const OVERDUE_LOOKBACK_DAYS = 30;

/** The Amsterdam day `now` falls in, and whether its wall clock has reached `hhmm`. */
export function amsterdamDay(now: Date): DateTime {
  return DateTime.fromJSDate(now, { zone: ZONE }).startOf("day");
}

/** The instant of `hhmm` (Amsterdam wall clock) on the Amsterdam day of `day` (a gap in spring moves it on). */
export function wallClock(day: DateTime, hhmm: string): Date {
  return day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)), second: 0, millisecond: 0 }).toJSDate();
}

/**
 * Turns wanted reminders into deliveries as the dispatcher does for events: only to people with an
 * account, on the channels that reach them and that they have not switched off for the kind, held by
 * quiet hours unless urgent. Each carries `dedupeKey` = identity and channel.
 */
export async function reminderDeliveries(repo: NotificationRepository, channels: readonly Channel[], wanted: WantedReminder[], now: Date): Promise<NewDelivery[]> {
  if (wanted.length === 0) return [];
  const ids = [...new Set(wanted.map((w) => w.personId))];
  const [people, switchRows] = await Promise.all([repo.recipients(ids), repo.switches(ids)]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const switchesOf = switchesByPerson(switchRows);
  const out: NewDelivery[] = [];
  for (const w of wanted) {
    const person = byId.get(w.personId);
    if (!person || !person.hasAccount) continue;
    const switches = switchesOf(person.id);
    const nextAttemptAt = releaseTime(now, quietHoursOf(person), w.urgent);
    for (const c of channels) {
      if (!c.enabled || !switches.isOn(w.kind, c.name) || !c.reaches(recipientOf(person))) continue;
      out.push({
        id: newId("Notification"),
        eventSeq: null,
        dedupeKey: `${w.key}:${c.name}`,
        recipientId: person.id,
        channel: c.name,
        kind: w.kind,
        subjectId: w.subjectId,
        params: w.params,
        urgent: w.urgent,
        status: "PENDING",
        attempts: 0,
        nextAttemptAt,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  return out;
}

/**
 * The reminders no event causes, decided on each sweep from the state of things: a held request whose
 * window nears with no start, a VOG whose term is about to end, a shift tomorrow, a case past its
 * acknowledge-by, VOGs waiting for review. Every instance sweeps; a reminder's dedupe key (unique in
 * notification_deliveries) makes it written once however many sweep at once, and a crash before the
 * write only means the next sweep writes it. What no longer holds (a shift given back, a member who
 * left, a request started) is simply not found, so not reminded of.
 */
export class ReminderSweep {
  constructor(
    private readonly reminders: ReminderRepository,
    private readonly repo: NotificationRepository,
    private readonly channels: readonly Channel[],
    private readonly clock: Clock,
    private readonly settings: ReminderSettings,
  ) {}

  /** Decides what is due now; returns how many deliveries were written (or found written by another instance). */
  async sweep(): Promise<number> {
    if (!this.channels.some((c) => c.enabled)) return 0;
    const now = this.clock.now();
    const wanted = [
      ...(await this.startingSoon(now)),
      ...(await this.vogsExpiring(now)),
      ...(await this.shiftsTomorrow(now)),
      ...(await this.overdueCases(now)),
      ...(await this.vogReviews(now)),
    ];
    if (wanted.length === 0) return 0;
    const known = await this.reminders.existingKeys(wanted.flatMap((w) => this.channels.map((c) => `${w.key}:${c.name}`)));
    const fresh = wanted.filter((w) => this.channels.some((c) => !known.has(`${w.key}:${c.name}`)));
    const deliveries = (await reminderDeliveries(this.repo, this.channels, fresh, now)).filter((d) => !known.has(d.dedupeKey!));
    await this.reminders.writeOnce(deliveries);
    return deliveries.length;
  }

  /** A request a volunteer holds whose window starts within the lead and which they have not started. */
  private async startingSoon(now: Date): Promise<WantedReminder[]> {
    const rows = await this.reminders.heldStarting(now, new Date(now.getTime() + this.settings.startLeadMs));
    return rows.map((r) => ({
      personId: r.volunteerId!,
      kind: "HELD_REQUEST_STARTING_SOON",
      subjectId: r.id,
      params: { categoryId: r.categoryId, urgency: r.urgency, windowStart: r.windowStart.getTime() },
      urgent: r.urgency === "URGENT",
      // A new window, or another volunteer, is another reminder.
      key: `HELD_REQUEST_STARTING_SOON:${r.id}:${r.windowStart.getTime()}:${r.volunteerId}`,
    }));
  }

  /**
   * A verified VOG whose term (issue date + VOG_VALID_MONTHS, the term the volunteers module applies) ends within NOTIFY_VOG_REMINDER_DAYS:
   * VOGs carry no expiry date, only the date they were issued, so the term is counted from there.
   */
  private async vogsExpiring(now: Date): Promise<WantedReminder[]> {
    const today = amsterdamDay(now);
    const { vogValidMonths: months, vogReminderDays: days } = this.settings;
    const rows = await this.reminders.verifiedVogsIssued(today.minus({ months, days: 1 }).toISODate()!, today.plus({ days }).minus({ months }).toISODate()!);
    return rows.flatMap((r) => {
      const ends = DateTime.fromISO(r.issuedOn, { zone: ZONE }).plus({ months });
      if (!(ends > today && ends.minus({ days }) <= today)) return [];
      return [
        {
          personId: r.personId,
          kind: "VOG_EXPIRING" as const,
          subjectId: r.personId,
          params: { date: ends.toISODate()! },
          urgent: false,
          key: `VOG_EXPIRING:${r.personId}:${r.issuedOn}`,
        },
      ];
    });
  }

  /** From the shift reminder time on, a member holding a shift that starts tomorrow (Amsterdam days). */
  private async shiftsTomorrow(now: Date): Promise<WantedReminder[]> {
    const today = amsterdamDay(now);
    if (now < wallClock(today, this.settings.shiftReminderTime)) return [];
    const rows = await this.reminders.heldShiftsStarting(today.plus({ days: 1 }).toJSDate(), today.plus({ days: 2 }).toJSDate());
    return rows.map((r) => ({
      personId: r.assigneeId,
      kind: "CARE_SHIFT_TOMORROW",
      subjectId: r.circleId,
      // The time only: a shift's task and notes can be care details.
      params: { startsAt: r.startsAt.getTime(), shiftId: r.id },
      urgent: false,
      key: `CARE_SHIFT_TOMORROW:${r.id}:${r.startsAt.getTime()}:${r.assigneeId}`,
    }));
  }

  /** A case past its acknowledge-by and still NEW: the professionals of its lead team, once each. */
  private async overdueCases(now: Date): Promise<WantedReminder[]> {
    const cases = await this.reminders.overdueEscalations(new Date(now.getTime() - OVERDUE_LOOKBACK_DAYS * 86_400_000), now);
    if (cases.length === 0) return [];
    const members = await this.reminders.teamMembers([...new Set(cases.map((c) => c.leadTeamId))]);
    return cases.flatMap((c) =>
      members
        .filter((m) => m.teamId === c.leadTeamId)
        .map((m) => ({
          personId: m.personId,
          kind: "ESCALATION_OVERDUE" as const,
          subjectId: c.id,
          // Its urgency, never why it was raised: that can be health or safety.
          params: { urgency: c.urgency },
          urgent: c.urgency === "URGENT",
          key: `ESCALATION_OVERDUE:${c.id}:${m.personId}`,
        })),
    );
  }

  /** Once a day from the review reminder time, while VOGs wait for review: every coordinator, with the count. */
  private async vogReviews(now: Date): Promise<WantedReminder[]> {
    const today = amsterdamDay(now);
    if (now < wallClock(today, this.settings.reviewReminderTime)) return [];
    const waiting = await this.reminders.pendingVogs();
    if (waiting === 0) return [];
    const day = today.toISODate()!;
    return (await this.reminders.coordinators()).map((personId) => ({
      personId,
      kind: "VOG_REVIEWS_WAITING" as const,
      subjectId: "vog-reviews",
      params: { count: waiting },
      urgent: false,
      key: `VOG_REVIEWS_WAITING:${day}:${personId}`,
    }));
  }
}
