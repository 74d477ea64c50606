import type { NotificationKind } from "./notification.kinds.js";
import type { LogEntry } from "./notification.repository.js";
import type { DeliveryParams } from "./notifications.tables.js";

/** Someone to tell something, before preferences and channels are applied. */
export interface Wanted {
  personId: string;
  kind: NotificationKind;
  params: DeliveryParams;
}

/** Who should hear of one event, about what (the id its link leads to), and whether it is URGENT. */
export interface Decision {
  subjectId: string;
  urgent: boolean;
  list: Wanted[];
}

export const NOTHING: Decision = { subjectId: "", urgent: false, list: [] };

/**
 * Decides the events of one subject (help requests, initiatives, care circles, teams): who should hear
 * of an event, by who is involved when it is decided. Preferences, channels and limits are the
 * dispatcher's.
 */
export interface Decider {
  /** Whether the event is one this decider reads. */
  reads(event: LogEntry): boolean;
  /** Called once per batch before its events are decided. */
  begin?(events: readonly LogEntry[]): void;
  decide(event: LogEntry): Promise<Decision>;
}

/** Leaves out whoever caused the event: nobody is told what they did themselves. */
export function notTheActor(list: Wanted[], actorId: string | null | undefined): Wanted[] {
  return actorId ? list.filter((w) => w.personId !== actorId) : list;
}
