import type { AuditKind } from "../escalation/escalation.tables.js";
import { type Decider, type Decision, NOTHING, type Wanted, notTheActor } from "./notification.decision.js";
import type { NotificationKind } from "./notification.kinds.js";
import type { LogEntry } from "./notification.repository.js";
import type { TeamsForNotifications } from "./notification.sources.js";

/** A team's queue (escalation.events.ts escalationTopics.raised): a case arrived; `kind` says how. */
const ARRIVAL_TOPIC_PREFIX = "escalation.raised.";
/** One case (escalationTopics.changed): its status or consent changed. */
const CHANGED_TOPIC_PREFIX = "escalation.changed.";
const ARRIVALS: readonly string[] = ["RAISED", "REROUTED", "SAFETY_BYPASS"];
const CONSENT: Record<string, NotificationKind | undefined> = { CONSENT_GIVEN: "TEAM_CONSENT_GIVEN", CONSENT_WITHDRAWN: "TEAM_CONSENT_WITHDRAWN" };

/**
 * Professional teams. A message says only that something happened to a case and links to it: the
 * decision keeps no more than the case's id and, for a safety case, that it is urgent: no category, no
 * neighbourhood, nothing of the person, since even those can point at someone in a small neighbourhood.
 * Who works in a team is read when the event is decided: someone who left the team or lost the
 * PROFESSIONAL role in between is not told.
 */
export class TeamDecider implements Decider {
  constructor(private readonly teams: TeamsForNotifications) {}

  reads(event: LogEntry): boolean {
    return (event.topic.startsWith(ARRIVAL_TOPIC_PREFIX) && ARRIVALS.includes(event.kind)) || (event.topic.startsWith(CHANGED_TOPIC_PREFIX) && event.kind in CONSENT);
  }

  decide(event: LogEntry): Promise<Decision> {
    return event.topic.startsWith(ARRIVAL_TOPIC_PREFIX) ? this.arrived(event) : this.consentChanged(event, CONSENT[event.kind]!);
  }

  /**
   * A case arrived in a team's queue (raised, re-routed to it, or made a safety case): the team's
   * professionals, while the case is still in that team's queue and open. A safety case is URGENT, so it
   * is sent during quiet hours too.
   */
  private async arrived(event: LogEntry): Promise<Decision> {
    const teamId = event.topic.slice(ARRIVAL_TOPIC_PREFIX.length);
    const found = await this.teams.teamCase(event.id);
    if (!found || found.status === "CLOSED" || (found.leadTeamId !== teamId && found.coTeamId !== teamId)) return NOTHING;
    const [professionals, actor] = await Promise.all([this.teams.professionals([teamId]), this.teams.caseActor(event.id, event.kind as AuditKind, event.at)]);
    const urgent = event.kind === "SAFETY_BYPASS" || found.safety;
    // Only that it is urgent: the message then says so, as it must be read now.
    const list = professionals.map((personId): Wanted => ({ personId, kind: "TEAM_CASE_NEW", params: urgent ? { urgency: "URGENT" } : {} }));
    return { subjectId: event.id, urgent, list: notTheActor(list, actor) };
  }

  /**
   * Consent given or withdrawn on a case: its assigned professional while they still work in one of its
   * teams, otherwise the professionals of its teams. Not whoever gave or withdrew it.
   */
  private async consentChanged(event: LogEntry, kind: NotificationKind): Promise<Decision> {
    const found = await this.teams.teamCase(event.id);
    if (!found) return NOTHING;
    const [professionals, actor] = await Promise.all([
      this.teams.professionals([found.leadTeamId, ...(found.coTeamId ? [found.coTeamId] : [])]),
      this.teams.caseActor(event.id, event.kind as AuditKind, event.at),
    ]);
    const assigned = found.assigneeId !== null && professionals.includes(found.assigneeId);
    const list = (assigned ? [found.assigneeId!] : professionals).map((personId): Wanted => ({ personId, kind, params: {} }));
    return { subjectId: event.id, urgent: false, list: notTheActor(list, actor) };
  }
}
