import type { AuditKind } from "./escalation.tables.js";

/**
 * Topics of the escalation module. Payloads carry the case's id only (see src/shared/events.ts):
 * subscribers reload the case through the service, with their own rights.
 */
export const escalationTopics = {
  /** A team's queue: a case arrived in it; `kind` says how (EscalationArrivalKind). */
  raised: (teamId: string) => `escalation.raised.${teamId}`,
  /** One case: its status or consent changed; `kind` says what (EscalationChangeKind). */
  changed: (id: string) => `escalation.changed.${id}`,
};

/** How a case arrived in a team's queue: raised, re-routed to the team, or upgraded by a SAFETY flag. */
export type EscalationArrivalKind = Extract<AuditKind, "RAISED" | "REROUTED" | "SAFETY_BYPASS">;

/** A step of a case in its queue, recorded in its audit trail under the same kind. */
export type EscalationStepKind = Extract<AuditKind, "ACKNOWLEDGED" | "ASSIGNED" | "IN_CARE" | "CLOSED" | "REROUTED" | "SAFETY_BYPASS">;

/** A change of consent on a case, recorded in its audit trail under the same kind. */
export type ConsentChangeKind = Extract<AuditKind, "CONSENT_REQUESTED" | "CONSENT_GIVEN" | "CONSENT_WITHDRAWN">;

/**
 * What happened to a case, for those who follow it: NEW when it was raised, then each step and each
 * change of consent. A read of the person's details is audited but is no change to follow.
 */
export type EscalationChangeKind = "NEW" | EscalationStepKind | ConsentChangeKind;

/** The event-log entry of a case arriving in a team's queue (recorded in the change's own unit of work). */
export const arrivalEvent = (teamId: string, id: string, kind: EscalationArrivalKind) => ({ topic: escalationTopics.raised(teamId), id, kind });

/** The event-log entry of a change of one case (recorded in the change's own unit of work). */
export const changedEvent = (id: string, kind: EscalationChangeKind) => ({ topic: escalationTopics.changed(id), id, kind });
