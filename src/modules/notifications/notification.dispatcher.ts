import type { Clock } from "../../shared/clock.js";
import { newId } from "../../shared/ids.js";
import { type Channel, recipientOf } from "./notification.channel.js";
import { BuddyDecider } from "./notification.decide-buddies.js";
import { CareDecider } from "./notification.decide-care.js";
import { CareMessageDecider } from "./notification.decide-care-messages.js";
import { HelpRequestDecider } from "./notification.decide-help-requests.js";
import { InitiativeDecider } from "./notification.decide-initiatives.js";
import { OfferDecider } from "./notification.decide-offers.js";
import { PartnerDecider } from "./notification.decide-partners.js";
import { TeamDecider } from "./notification.decide-teams.js";
import { type Decider, type Decision, NOTHING, type Wanted } from "./notification.decision.js";
import { quietHoursOf, switchesByPerson } from "./notification.preferences.js";
import type { LogEntry, NewDelivery, NewDigestItem, NotificationRepository } from "./notification.repository.js";
import type { HelpRequestsForNotifications, InitiativesForNotifications } from "./notification.sources.js";
import { releaseTime, startOfDay } from "./notification.time.js";

/** The name of the dispatcher's cursor over the event log. */
export const DELIVERY_CURSOR = "deliveries";
/** Events decided on per transaction. */
const BATCH = 200;

export interface DispatchSettings {
  /** At most this many HELP_REQUEST_NEW messages per volunteer per Amsterdam day. */
  newRequestsPerDay: number;
}

/** How far the event log has been pruned (Outbox.prunedThrough): events up to it are gone. */
export type PrunedThrough = () => Promise<number>;

/**
 * Decides who is told what. It reads the event log after its durable cursor, in sequence order (commit
 * order, so nothing can appear behind it later), turns each event into deliveries (recipient, channel,
 * kind, when) by the people involved, their preferences and the channels that are on, and writes them in
 * the transaction that moves the cursor past those events. A crash before that commit decides the events
 * again; after it, they are decided for good. A delivery's unique key (event, recipient, channel, kind)
 * keeps a decision from being written twice, and the cursor moves only from where it was read, so two
 * instances deciding at once write one set. Who should hear of an event is decided per subject (help
 * requests, initiatives, care circles, teams) by a Decider; preferences, channels and the daily limit here.
 */
export class NotificationDispatcher {
  private readonly deciders: readonly Decider[];

  constructor(
    private readonly repo: NotificationRepository,
    private readonly requests: HelpRequestsForNotifications,
    private readonly initiatives: InitiativesForNotifications,
    private readonly channels: readonly Channel[],
    private readonly clock: Clock,
    private readonly settings: DispatchSettings,
    private readonly prunedThrough: PrunedThrough = async () => 0,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {
    this.deciders = [
      new HelpRequestDecider(repo, requests),
      new InitiativeDecider(repo, initiatives),
      new CareDecider(repo, repo.subjects, clock),
      new CareMessageDecider(repo.subjects, repo.threads),
      new TeamDecider(repo.subjects),
      new PartnerDecider(repo.subjects),
      new OfferDecider(repo.offers),
      new BuddyDecider(repo.buddies),
    ];
  }

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
      // Another instance moved the cursor first: read again from where it stands now. Returning here would
      // leave events committed after that instance read the log undecided until the next pass.
      if (!(await this.repo.commitDecisions(DELIVERY_CURSOR, from, events[events.length - 1].seq, deliveries, now, digest))) continue;
      written += deliveries.length;
      if (events.length < BATCH) return written;
    }
  }

  private async decide(events: LogEntry[], now: Date, digest: NewDigestItem[]): Promise<NewDelivery[]> {
    const out: NewDelivery[] = [];
    const daily = new DailyCount(this.repo, startOfDay(now));
    for (const decider of this.deciders) decider.begin?.(events);
    for (const event of events) {
      const decision = await this.wantedFor(event);
      if (decision.list.length > 0) out.push(...(await this.deliveries(event, decision, now, daily, digest)));
    }
    return out;
  }

  /** Who should hear of one event, and what: the first decider that reads it decides. */
  private wantedFor(event: LogEntry): Promise<Decision> {
    const decider = this.deciders.find((d) => d.reads(event));
    return decider ? decider.decide(event) : Promise.resolve(NOTHING);
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
      const channels = this.channels.filter((c) => c.enabled && c.reaches(recipientOf(person)) && switches.isOn(w.kind, c.name));
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
