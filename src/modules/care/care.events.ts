import type { Outbox } from "../../db/outbox.js";

/** What can happen in a care circle: the `kind` of each event on a circle's topic. */
export const CARE_EVENT_KINDS = [
  "MEMBER_JOINED",
  "MEMBER_LEFT",
  "COORDINATION_HANDED_OVER",
  "SHIFTS_CHANGED",
  "SHIFT_CLAIMED",
  "SHIFT_RELEASED",
  "COVER_REQUESTED",
  "SWAP_PROPOSED",
  "SWAP_ACCEPTED",
  "SWAP_DECLINED",
  "SWAP_WITHDRAWN",
  "SHIFT_DONE",
  "SHIFT_MISSED",
  "GAP_POSTED",
  "GAP_COVERED",
  "LOAD_SIGNAL",
  "MESSAGE_POSTED",
] as const;
export type CareEventKind = (typeof CARE_EVENT_KINDS)[number];

/** One topic per circle: its members follow it (care.live.ts). */
export const careTopic = (circleId: string) => `care-circle.changed.${circleId}`;

/** A change as a circle's subscribers receive it (care.live.ts): read back from the event log. */
export interface CareChangeRow {
  kind: CareEventKind;
  circleId: string;
  shiftId: string | null;
  /** The event's place in the log, for resuming after it. */
  cursor: string;
}

/** [circle, what happened, shift concerned]; the event's id is the shift, or the circle when none. */
export type CareEvent = [string, CareEventKind, string?];

/**
 * Runs a change and records its events in the same unit of work, so both commit or neither does.
 * The services record care events only this way (or with `emitCareEvents`); repositories record none.
 */
export function changeWithEvents<T>(outbox: Outbox, write: () => Promise<T>, events: (result: T) => CareEvent[]): Promise<T> {
  return outbox.unit(async () => {
    const result = await write();
    await emitCareEvents(outbox, events(result));
    return result;
  });
}

/** Records events in the caller's unit of work, or in one of their own when there is none. */
export function emitCareEvents(outbox: Outbox, events: CareEvent[]): Promise<void> {
  return outbox.emit(events.map(([circleId, kind, shiftId]) => ({ topic: careTopic(circleId), id: shiftId ?? circleId, kind })));
}

/**
 * Invitations sent by e-mail have a topic of their own, beside the circle's: the circle's live feed
 * does not carry them (they are not a change members see), only the notifications dispatcher reads them.
 * The event's id is the invitation.
 */
export const careInvitationTopic = (circleId: string) => `care-invitation.${circleId}`;
export const CARE_INVITATION_SENT = "INVITATION_SENT";
