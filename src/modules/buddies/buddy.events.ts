import type { BuddySignalKind } from "./buddies.tables.js";

/**
 * Event-log topics of buddy programmes. Payloads carry ids only (see src/shared/events.ts): a follower
 * reloads the signal with its own rights.
 */
export const buddyTopics = {
  /** The sweep raised a signal (a missed check-in, an escalation due) for the programme's coordinators; the event's id is the signal. */
  signalRaised: (programmeId: string) => `buddy-programme.signal.${programmeId}`,
};

export const signalRaisedEvent = (programmeId: string, signalId: string, kind: BuddySignalKind) => ({ topic: buddyTopics.signalRaised(programmeId), id: signalId, kind });
