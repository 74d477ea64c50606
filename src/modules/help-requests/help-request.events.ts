import type { HelpRequestStatus } from "./help-request.tables.js";

/**
 * Event-log topics of the help-request module. Payloads carry ids only (see src/shared/events.ts):
 * subscribers reload the request with their own rights.
 */
export const helpRequestTopics = {
  /** A request became open to volunteers (`PostedKind`); each volunteer's feed keeps those that fit them. */
  posted: "help-request.posted",
  /** Every change of one request (`ChangeKind`), for those involved in it. */
  changed: (id: string) => `help-request.changed.${id}`,
};

/** Why a request appears on `helpRequestTopics.posted`: newly asked, or open again (released, handed back). */
export type PostedKind = "POSTED" | "REOPENED";

/** What changed about a request: its new status, or OUTCOME_DUE (a matched request's window ended). */
export type ChangeKind = HelpRequestStatus | "OUTCOME_DUE";

export const postedEvent = (id: string, kind: PostedKind) => ({ topic: helpRequestTopics.posted, id, kind });

export const changedEvent = (id: string, kind: ChangeKind) => ({ topic: helpRequestTopics.changed(id), id, kind });

/** The events of a newly asked request: posted to volunteers, and its first status for those involved. */
export const askedEvents = (id: string) => [postedEvent(id, "POSTED"), changedEvent(id, "OPEN")];

/** The events of a status change; a request that is open again is posted to volunteers again. */
export const transitionEvents = (id: string, to: HelpRequestStatus) => [changedEvent(id, to), ...(to === "OPEN" ? [postedEvent(id, "REOPENED")] : [])];
