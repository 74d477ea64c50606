import { type Decider, type Decision, NOTHING, type Wanted } from "./notification.decision.js";
import type { LogEntry } from "./notification.repository.js";
import type { BuddiesForNotifications } from "./notification.sources.js";

/** buddy.events.ts `buddyTopics.signalRaised`: the event's id is the signal, its kind the signal's. */
const SIGNAL_TOPIC_PREFIX = "buddy-programme.signal.";

/**
 * Buddy programmes. A check-in missed in a match, as the sweep signals it, is told to the programme's
 * coordinators (its organisation's organisers and its extra coordinators) while the signal is not yet
 * acknowledged. The message names when the check-in was due, never the buddy, the participant or what
 * earlier check-ins said. There is no actor: the sweep raises it.
 */
export class BuddyDecider implements Decider {
  constructor(private readonly buddies: BuddiesForNotifications) {}

  reads(event: LogEntry): boolean {
    return event.topic.startsWith(SIGNAL_TOPIC_PREFIX) && event.kind === "MISSED_CHECKIN";
  }

  async decide(event: LogEntry): Promise<Decision> {
    const signal = await this.buddies.signal(event.id);
    if (!signal || signal.kind !== "MISSED_CHECKIN" || signal.acknowledged) return NOTHING;
    const coordinators = await this.buddies.programmeCoordinators(signal.programmeId);
    const list = coordinators.map((personId): Wanted => ({ personId, kind: "BUDDY_CHECKIN_MISSED", params: { startsAt: signal.dueAt.getTime(), signalId: event.id } }));
    return { subjectId: signal.programmeId, urgent: false, list };
  }
}
