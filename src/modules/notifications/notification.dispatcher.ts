import type { Clock } from "../../shared/clock.js";
import { newId } from "../../shared/ids.js";
import type { HelpRequestEventRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestStatus } from "../help-requests/help-request.tables.js";
import type { Channel } from "./notification.channel.js";
import type { NotificationKind } from "./notification.kinds.js";
import { quietHoursOf, switchesByPerson } from "./notification.preferences.js";
import type { LogEntry, NewDelivery, NewDigestItem, NotificationRepository } from "./notification.repository.js";
import type { HelpRequestsForNotifications, InitiativesForNotifications } from "./notification.sources.js";
import { releaseTime, startOfDay } from "./notification.time.js";
import type { DeliveryParams } from "./notifications.tables.js";

/** The name of the dispatcher's cursor over the event log. */
export const DELIVERY_CURSOR = "deliveries";
/** Events decided on per transaction. */
const BATCH = 200;

/** The event-log topics notifications read (help-request.events.ts, initiative.events.ts). */
const POSTED_TOPIC = "help-request.posted";
const CHANGED_TOPIC_PREFIX = "help-request.changed.";
const SIGNUP_TOPIC = "initiative.signup-changed";
const INITIATIVE_TOPIC = "initiative.published";
const CARE_TOPIC_PREFIX = "care-circle.changed.";
/** What a participant hears of a sign-up event's kind (SignupChangeKind); their own cancelling is not told. */
const SIGNUP_KINDS: Record<string, NotificationKind | undefined> = {
  CONFIRMED: "INITIATIVE_SIGNUP_CONFIRMED",
  WAITLISTED: "INITIATIVE_SIGNUP_WAITLISTED",
  PROMOTED: "INITIATIVE_SIGNUP_PROMOTED",
  INITIATIVE_CANCELLED: "INITIATIVE_CANCELLED",
};
/** A volunteer holds a request in these states; a change from them concerns the volunteer. */
const HELD: readonly HelpRequestStatus[] = ["MATCHED", "IN_PROGRESS"];

export interface DispatchSettings {
  /** At most this many HELP_REQUEST_NEW messages per volunteer per Amsterdam day. */
  newRequestsPerDay: number;
}

/** How far the event log has been pruned (Outbox.prunedThrough): events up to it are gone. */
export type PrunedThrough = () => Promise<number>;

/** Someone to tell something, before preferences and channels are applied. */
interface Wanted {
  personId: string;
  kind: NotificationKind;
  params: DeliveryParams;
}

/** Who should hear of one event, about what (a help request's or an initiative's id), and whether it is URGENT. */
interface Decision {
  subjectId: string;
  urgent: boolean;
  list: Wanted[];
}

const NOTHING: Decision = { subjectId: "", urgent: false, list: [] };

/**
 * Decides who is told what. It reads the event log after its durable cursor, in sequence order (commit
 * order, so nothing can appear behind it later), turns each event into deliveries (recipient, channel,
 * kind, when) by the people involved, their preferences and the channels that are on, and writes them in
 * the transaction that moves the cursor past those events. A crash before that commit decides the events
 * again; after it, they are decided for good. A delivery's unique key (event, recipient, channel, kind)
 * keeps a decision from being written twice, and the cursor moves only from where it was read, so two
 * instances deciding at once write one set.
 */
export class NotificationDispatcher {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly requests: HelpRequestsForNotifications,
    private readonly initiatives: InitiativesForNotifications,
    private readonly channels: readonly Channel[],
    private readonly clock: Clock,
    private readonly settings: DispatchSettings,
    private readonly prunedThrough: PrunedThrough = async () => 0,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {}

  /** Starts the cursor at the end of the log if it has none (a deployment is not told its past). */
  start(): Promise<void> {
    return this.repo.ensureCursor(DELIVERY_CURSOR, this.clock.now());
  }

  /** Decides every event after the cursor; returns how many deliveries were written. */
  async dispatch(): Promise<number> {
    let written = 0;
    for (;;) {
      const from = await this.repo.cursor(DELIVERY_CURSOR);
      if (from === undefined) {
        await this.start();
        continue;
      }
      const events = await this.repo.eventsAfter(from, BATCH);
      if (events.length === 0) return written;
      // Deciding fell behind the log's retention (it failed for longer than EVENT_LOG_RETENTION_HOURS):
      // what was pruned cannot be decided any more. Said loudly, once per batch that starts behind.
      const pruned = events[0].seq > from + 1 ? await this.prunedThrough() : 0;
      if (pruned > from) this.reportError(new Error(`events ${from + 1} to ${pruned} were pruned before notifications were decided for them`), "deciding notifications");
      const now = this.clock.now();
      // New fitting requests for volunteers who chose the daily digest: kept for it, with the cursor.
      const digest: NewDigestItem[] = [];
      const deliveries = this.channels.some((c) => c.enabled) ? await this.decide(events, now, digest) : [];
      if (await this.repo.commitDecisions(DELIVERY_CURSOR, from, events[events.length - 1].seq, deliveries, now, digest)) written += deliveries.length;
      if (events.length < BATCH) return written;
    }
  }

  private async decide(events: LogEntry[], now: Date, digest: NewDigestItem[]): Promise<NewDelivery[]> {
    const out: NewDelivery[] = [];
    const daily = new DailyCount(this.repo, startOfDay(now));
    // A request asked in this batch: its first status (OPEN) concerns nobody, so it is not looked up.
    const asked = new Set(events.filter((e) => e.topic === POSTED_TOPIC && e.kind === "POSTED").map((e) => e.id));
    for (const event of events) {
      if (event.kind === "OPEN" && asked.has(event.id) && event.topic.startsWith(CHANGED_TOPIC_PREFIX)) continue;
      const decision = await this.wantedFor(event);
      if (decision.list.length > 0) out.push(...(await this.deliveries(event, decision, now, daily, digest)));
    }
    return out;
  }

  /** Who should hear of one event, and what. */
  private wantedFor(event: LogEntry): Promise<Decision> {
    if (event.topic === POSTED_TOPIC) return this.posted(event);
    if (event.topic.startsWith(CHANGED_TOPIC_PREFIX)) return this.changed(event);
    if (event.topic === SIGNUP_TOPIC) return this.signupChanged(event);
    if (event.topic === INITIATIVE_TOPIC && event.kind === "RESCHEDULED") return this.rescheduled(event);
    if (event.topic.startsWith(CARE_TOPIC_PREFIX) && (event.kind === "SWAP_PROPOSED" || event.kind === "GAP_POSTED")) return this.careShift(event);
    return Promise.resolve(NOTHING);
  }

  /** A request open to volunteers (new, or open again): the volunteers it fits, by the help-request module's rule. */
  private async posted(event: LogEntry): Promise<Decision> {
    const request = await this.requests.find(event.id);
    // Taken or withdrawn before we got to it: nobody needs to hear of it any more.
    if (!request || request.status !== "OPEN") return NOTHING;
    // The volunteer who just gave it back does not need to hear that it is open.
    const actor = event.kind === "REOPENED" ? (await this.transition(request.id, "OPEN", event.at))?.actorId : undefined;
    const candidates = (await this.repo.volunteersCovering(request.neighbourhoodId, request.categoryId)).filter((id) => id !== actor);
    const fits = await Promise.all(candidates.map((id) => this.requests.fitsVolunteer(id, request)));
    const params: DeliveryParams = {
      categoryId: request.categoryId,
      neighbourhoodId: request.neighbourhoodId,
      urgency: request.urgency,
      windowStart: request.windowStart.getTime(),
    };
    const list = candidates.filter((_, i) => fits[i]).map((personId): Wanted => ({ personId, kind: "HELP_REQUEST_NEW", params }));
    return { subjectId: request.id, urgent: request.urgency === "URGENT", list };
  }

  /** A status change: whoever asked (and the person helped, with an account) and the volunteer who held it. */
  private async changed(event: LogEntry): Promise<Decision> {
    const request = await this.requests.find(event.id);
    if (!request) return NOTHING;
    const to = event.kind as HelpRequestStatus;
    const step = await this.transition(request.id, to, event.at);
    const from = step?.fromStatus ?? null;
    const requesterKind = requesterKindOf(to, from);
    const volunteerKind = from !== null && HELD.includes(from) && request.volunteerId ? volunteerKindOf(to) : undefined;
    const base: DeliveryParams = { categoryId: request.categoryId, urgency: request.urgency };
    const list: Wanted[] = [];
    if (requesterKind) {
      list.push({
        personId: request.askedById,
        kind: requesterKind,
        params: request.personHelpedId === request.askedById ? base : { ...base, forName: request.personHelpedFirstName },
      });
      if (request.personHelpedId !== request.askedById) list.push({ personId: request.personHelpedId, kind: requesterKind, params: base });
    }
    if (volunteerKind) list.push({ personId: request.volunteerId!, kind: volunteerKind, params: base });
    // Nobody is told what they did themselves.
    return { subjectId: request.id, urgent: request.urgency === "URGENT", list: list.filter((w) => w.personId !== step?.actorId) };
  }

  /**
   * A sign-up confirmed, put on the waiting list, promoted, or ended by the initiative's cancellation: the
   * participant and whoever signed them up. The one who signed up is told too (a confirmation to keep,
   * with the date); a participant's own cancelling is not.
   */
  private async signupChanged(event: LogEntry): Promise<Decision> {
    const kind = SIGNUP_KINDS[event.kind];
    const signup = kind ? await this.initiatives.signup(event.id) : undefined;
    const initiative = signup ? await this.initiatives.initiative(signup.initiativeId) : undefined;
    if (!kind || !signup || !initiative) return NOTHING;
    const next = kind === "INITIATIVE_CANCELLED" ? null : await this.initiatives.nextDate(initiative);
    const params = initiativeParams(initiative.kind, initiative.neighbourhoodId, next);
    const list: Wanted[] = [{ personId: signup.personId, kind, params }];
    if (signup.signedUpById !== signup.personId) list.push({ personId: signup.signedUpById, kind, params: { ...params, forName: signup.personFirstName } });
    return { subjectId: initiative.id, urgent: false, list };
  }

  /** New dates: everyone signed up (confirmed or waiting), and whoever signed them up. */
  private async rescheduled(event: LogEntry): Promise<Decision> {
    const initiative = await this.initiatives.initiative(event.id);
    if (!initiative) return NOTHING;
    const [next, signups] = await Promise.all([this.initiatives.nextDate(initiative), this.repo.activeSignups(initiative.id)]);
    const names = new Map((await this.repo.recipients(signups.map((s) => s.personId))).map((p) => [p.id, p.firstName]));
    const params = initiativeParams(initiative.kind, initiative.neighbourhoodId, next);
    const list = signups.flatMap((s): Wanted[] => [
      { personId: s.personId, kind: "INITIATIVE_RESCHEDULED", params },
      ...(s.signedUpById !== s.personId
        ? [{ personId: s.signedUpById, kind: "INITIATIVE_RESCHEDULED" as const, params: { ...params, forName: names.get(s.personId) ?? "" } }]
        : []),
    ]);
    return { subjectId: initiative.id, urgent: false, list };
  }

  /**
   * In a care circle: a swap proposed (the member asked) or a shift posted to volunteers because nobody
   * in the circle took it (the circle's coordinators). The message names the shift's time, not its task or
   * notes, which can be care details.
   */
  private async careShift(event: LogEntry): Promise<Decision> {
    const shift = await this.repo.careShift(event.id);
    if (!shift) return NOTHING;
    const params: DeliveryParams = { startsAt: shift.startsAt.getTime() };
    if (event.kind === "SWAP_PROPOSED") {
      const swap = await this.repo.pendingSwap(event.id);
      // Already answered or withdrawn: nothing to ask any more.
      if (!swap) return NOTHING;
      return { subjectId: shift.circleId, urgent: false, list: [{ personId: swap.toId, kind: "CARE_SWAP_PROPOSED", params }] };
    }
    const coordinators = await this.repo.circleCoordinators(shift.circleId);
    return { subjectId: shift.circleId, urgent: false, list: coordinators.map((personId): Wanted => ({ personId, kind: "CARE_GAP_POSTED", params })) };
  }

  /**
   * The history entry an event reports: the request's latest move to `to` at or before the event was
   * recorded (both are stamped in one unit of work, the history entry first).
   */
  private async transition(id: string, to: HelpRequestStatus, at: Date): Promise<HelpRequestEventRow | undefined> {
    const steps = (await this.requests.transitions(id)).filter((e) => e.toStatus === to && e.at.getTime() <= at.getTime());
    return steps.reduce<HelpRequestEventRow | undefined>((latest, e) => (!latest || e.at.getTime() >= latest.at.getTime() ? e : latest), undefined);
  }

  /** Deliveries for the wanted, by their preferences and the channels that reach them; one per person and kind. */
  private async deliveries(event: LogEntry, decision: Decision, now: Date, daily: DailyCount, digest: NewDigestItem[]): Promise<NewDelivery[]> {
    const wanted: Wanted[] = [];
    const seen = new Set<string>();
    for (const w of decision.list) {
      const key = `${w.personId}:${w.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      wanted.push(w);
    }
    const ids = [...new Set(wanted.map((w) => w.personId))];
    const [people, switchRows] = await Promise.all([this.repo.recipients(ids), this.repo.switches(ids)]);
    const switchesOf = switchesByPerson(switchRows);
    const byId = new Map(people.map((p) => [p.id, p]));
    const urgent = decision.urgent;
    const capped = wanted.filter((w) => w.kind === "HELP_REQUEST_NEW").map((w) => w.personId);
    await daily.load(capped);
    const out: NewDelivery[] = [];
    for (const w of wanted) {
      const person = byId.get(w.personId);
      // Without an account a person cannot sign in to read the rest: whoever asked for them is told instead.
      if (!person || !person.hasAccount) continue;
      const switches = switchesOf(person.id);
      const channels = this.channels.filter(
        (c) => c.enabled && c.reaches({ personId: person.id, firstName: person.firstName, email: person.email }) && switches.isOn(w.kind, c.name),
      );
      if (channels.length === 0) continue;
      // DIGEST: into the volunteer's daily digest (notification.digest.ts) instead of a message now; no daily limit.
      if (w.kind === "HELP_REQUEST_NEW" && person.newRequestMode === "DIGEST") {
        digest.push({ personId: person.id, requestId: decision.subjectId, params: w.params, createdAt: event.at });
        continue;
      }
      if (w.kind === "HELP_REQUEST_NEW" && !daily.take(person.id, this.settings.newRequestsPerDay)) continue;
      const nextAttemptAt = releaseTime(now, quietHoursOf(person), urgent);
      for (const channel of channels) {
        out.push({
          id: newId("Notification"),
          eventSeq: event.seq,
          recipientId: person.id,
          channel: channel.name,
          kind: w.kind,
          subjectId: decision.subjectId,
          params: w.params,
          urgent,
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
}

function initiativeParams(kind: string, neighbourhoodId: string, next: Date | null): DeliveryParams {
  return { initiativeKind: kind, neighbourhoodId, ...(next ? { startsAt: next.getTime() } : {}) };
}

/** What whoever asked hears of a move from `from` to `to`, if anything. */
function requesterKindOf(to: HelpRequestStatus, from: HelpRequestStatus | null): NotificationKind | undefined {
  switch (to) {
    case "MATCHED":
      // From MATCHED: an organisation handed it to another of its volunteers, which changes nothing for them.
      return from === "MATCHED" ? undefined : "HELP_REQUEST_MATCHED";
    case "IN_PROGRESS":
      return "HELP_REQUEST_STARTED";
    case "DONE":
      return "HELP_REQUEST_DONE";
    case "OPEN":
      return from !== null && HELD.includes(from) ? "HELP_REQUEST_RELEASED" : undefined;
    case "ESCALATED":
      return "HELP_REQUEST_ESCALATED";
    default:
      return undefined;
  }
}

/** What the volunteer who held a request hears when it moves to `to`. */
function volunteerKindOf(to: HelpRequestStatus): NotificationKind | undefined {
  if (to === "CANCELLED") return "HELD_REQUEST_CANCELLED";
  if (to === "ESCALATED") return "HELD_REQUEST_CHANGED";
  return undefined;
}

/** New-request messages per volunteer today: read once per batch, counted on as the batch decides. */
class DailyCount {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly repo: NotificationRepository,
    private readonly since: Date,
  ) {}

  async load(ids: string[]): Promise<void> {
    const missing = ids.filter((id) => !this.counts.has(id));
    const found = await this.repo.countsSince(missing, "HELP_REQUEST_NEW", this.since);
    for (const id of missing) this.counts.set(id, found.get(id) ?? 0);
  }

  /** Counts one more for the person unless the limit is reached; whether it was counted. */
  take(id: string, limit: number): boolean {
    const n = this.counts.get(id) ?? 0;
    if (n >= limit) return false;
    this.counts.set(id, n + 1);
    return true;
  }
}
