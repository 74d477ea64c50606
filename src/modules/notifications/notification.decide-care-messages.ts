import type { CircleRole } from "../care/care.tables.js";
import { type Decider, type Decision, NOTHING, type Wanted, notTheActor } from "./notification.decision.js";
import type { LogEntry } from "./notification.repository.js";
import type { CareThreadsForNotifications } from "./notification.sources.js";
import type { DeliveryParams } from "./notifications.tables.js";

/** A circle's topic (care.events.ts careTopic): for MESSAGE_POSTED the event's id is the shift, or the circle for its own thread. */
const CARE_TOPIC_PREFIX = "care-circle.changed.";

/**
 * A message posted in a care circle's thread, or in one of its shifts' threads. Told to the circle's
 * members, and for a shift's thread also to the volunteer covering that shift while they cover it; never
 * to whoever wrote it. The message says only that there is a new message, and for a shift its time:
 * never its text (it can hold care or health details), its author or the shift's task.
 */
export class CareMessageDecider implements Decider {
  constructor(
    private readonly care: { members(circleId: string): Promise<{ personId: string; role: CircleRole }[]> },
    private readonly threads: CareThreadsForNotifications,
  ) {}

  reads(event: LogEntry): boolean {
    return event.topic.startsWith(CARE_TOPIC_PREFIX) && event.kind === "MESSAGE_POSTED";
  }

  async decide(event: LogEntry): Promise<Decision> {
    const circleId = event.topic.slice(CARE_TOPIC_PREFIX.length);
    const onShift = event.id !== circleId;
    const shift = onShift ? await this.threads.threadShift(event.id) : undefined;
    if (onShift && (!shift || shift.circleId !== circleId)) return NOTHING;
    const to = new Set((await this.care.members(circleId)).map((m) => m.personId));
    if (shift?.coveringVolunteerId) to.add(shift.coveringVolunteerId);
    const params: DeliveryParams = shift ? { shiftId: event.id, startsAt: shift.startsAt.getTime() } : {};
    const list = [...to].map((personId): Wanted => ({ personId, kind: "CARE_MESSAGE_POSTED", params }));
    const author = await this.threads.latestAuthor(circleId, onShift ? event.id : null, event.at);
    return { subjectId: event.id, urgent: false, list: notTheActor(list, author) };
  }
}
