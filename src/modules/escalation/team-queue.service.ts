import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { optionalText, parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { helpRequestPolicy } from "../help-requests/help-request.policy.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { EscalationReason as R } from "./escalation.errors.js";
import { type EscalationArrivalKind, type EscalationStepKind, arrivalEvent, changedEvent } from "./escalation.events.js";
import type { EscalationRepository, EscalationRow } from "./escalation.repository.js";
import type { EscalationOutcome, EscalationStatus } from "./escalation.tables.js";
import type { QueueFilter } from "./case-queue.filter.js";

/** The statuses of a case a team still works on. */
export const OPEN_STATUSES: EscalationStatus[] = ["NEW", "ACKNOWLEDGED", "IN_CARE"];

/** Teams whose queue hears of a step, and under which kind (a case re-routed to them, or upgraded). */
export interface QueueArrival {
  teams: string[];
  kind: EscalationArrivalKind;
}

/**
 * A team's queue: who sees a case (the professionals of its lead and co-team, and coordinators), and
 * the steps a team takes on it (acknowledge, assign, take into care, close) or a coordinator (re-route).
 * Every step is one unit of work: the case's change, its audit entry and its events commit together.
 */
export class TeamQueueService {
  constructor(
    private readonly repo: EscalationRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly helpRequests: HelpRequestService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly isRestricted: (caseId: string) => Promise<boolean> = async () => false,
  ) {}

  /** The viewer, and the team they work in when they are a professional. */
  async teamOf(viewer: Viewer): Promise<{ v: AuthenticatedViewer; teamId: string | null }> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "PROFESSIONAL")) return { v, teamId: null };
    return { v, teamId: (await this.people.findById(v.personId))?.teamId ?? null };
  }

  /** The case for a professional of the lead or co-team, or a coordinator unless it is restricted; NOT_FOUND for anyone else. */
  async get(viewer: Viewer, id: string): Promise<EscalationRow> {
    const { v, teamId } = await this.teamOf(viewer);
    const row = await this.repo.find(id);
    const ofTeam = row && teamId !== null && (row.leadTeamId === teamId || row.coTeamId === teamId);
    // A case kept after its subject's erasure (restricted) is read only by its teams, not by coordinators.
    const allowed = row && (ofTeam || (hasRole(v, "COORDINATOR") && !(await this.isRestricted(row.id))));
    if (!row || !allowed) throw notFound(R.ESCALATION_NOT_FOUND, "No escalation with this id is visible to you.");
    return row;
  }

  async findVisible(viewer: Viewer, id: string): Promise<EscalationRow | null> {
    return this.get(viewer, id).catch(() => null);
  }

  /** The case for a professional of its lead or co-team, who may work it. */
  async requireTeamMember(viewer: Viewer, id: string): Promise<EscalationRow> {
    const { v, teamId } = await this.teamOf(viewer);
    const row = await this.get(v, id);
    if (!teamId || (teamId !== row.leadTeamId && teamId !== row.coTeamId)) {
      throw forbidden(R.PROFESSIONAL_ONLY, "Only a professional of the lead or co-team can work this case.");
    }
    return row;
  }

  async queue(viewer: Viewer, teamId: string, args: PageArgs & { statuses?: EscalationStatus[] | null; overdueOnly?: boolean | null; filter?: QueueFilter }) {
    const { v, teamId: own } = await this.teamOf(viewer);
    if (own !== teamId && !hasRole(v, "COORDINATOR")) throw forbidden(R.NOT_A_TEAM_MEMBER, "Only members of this team (or a coordinator) see its queue.");
    const statuses = args.statuses?.length ? args.statuses : OPEN_STATUSES;
    const f = args.filter ?? {};
    // The search is part of the cursor's scope (not its instants: "overdue" is judged afresh on each page).
    const search = { triggers: f.triggers, neighbourhoodIds: f.neighbourhoodIds, assigneeId: f.assigneeId, ageBands: f.ageBands?.bands, overdueFor: f.overdue?.norms };
    const scope = cursorScope(`Query.teamQueue.${teamId}`, { statuses, overdueOnly: args.overdueOnly ?? false, ...(args.filter ? { search } : {}) });
    const page = await this.repo.queue(teamId, statuses, args.overdueOnly ? this.clock.now() : null, pageRequest(args, scope), scope, f);
    if (own === teamId) return page;
    // A coordinator outside the team does not see cases kept after their subject's erasure (restricted),
    // not even listed: the page may hold fewer items, its cursors stay those of the rows read.
    const hidden = await Promise.all(page.items.map((row) => this.isRestricted(row.id)));
    return { ...page, items: page.items.filter((_, i) => !hidden[i]) };
  }

  isOverdue(row: EscalationRow): boolean {
    return row.status === "NEW" && row.acknowledgeBy.getTime() < this.clock.now().getTime();
  }

  async acknowledge(viewer: Viewer, id: string) {
    const row = await this.requireTeamMember(viewer, id);
    const now = this.clock.now();
    return this.transition(row.id, ["NEW"], { status: "ACKNOWLEDGED", acknowledgedAt: now }, "ACKNOWLEDGED", viewer.personId, null);
  }

  async assign(viewer: Viewer, id: string, professionalId: string) {
    const row = await this.requireTeamMember(viewer, id);
    const pro = await this.people.findById(professionalId);
    if (!pro || !pro.teamId || (pro.teamId !== row.leadTeamId && pro.teamId !== row.coTeamId)) {
      throw badInput(R.NOT_A_TEAM_MEMBER, "professionalId: must be a professional of the lead or co-team", "professionalId");
    }
    return this.transition(row.id, OPEN_STATUSES, { assigneeId: professionalId }, "ASSIGNED", viewer.personId, `Assigned to ${pro.firstName}.`);
  }

  async startCare(viewer: Viewer, id: string) {
    const row = await this.requireTeamMember(viewer, id);
    const now = this.clock.now();
    return this.transition(row.id, ["NEW", "ACKNOWLEDGED"], { status: "IN_CARE", acknowledgedAt: row.acknowledgedAt ?? now }, "IN_CARE", viewer.personId, null);
  }

  /** Closes with an outcome; HANDED_BACK re-opens the help request to volunteers with the team's note. */
  async close(viewer: Viewer, id: string, outcome: EscalationOutcome, note: string | null) {
    const row = await this.requireTeamMember(viewer, id);
    const text = parseInput(optionalText(2000), note, "note");
    const now = this.clock.now();
    const closed = await this.transition(
      row.id,
      OPEN_STATUSES,
      { status: "CLOSED", outcome, closedAt: now, acknowledgedAt: row.acknowledgedAt ?? now },
      "CLOSED",
      viewer.personId,
      `${outcome}${text ? `: ${text}` : ""}`,
    );
    if (outcome === "HANDED_BACK" && closed.helpRequestId) {
      await this.helpRequests.reopenAfterEscalation(closed.helpRequestId, text ?? "Handed back to the informal network by the professional team.", viewer.personId);
    }
    return closed;
  }

  /** A coordinator sends the case to another team (the rules are a default, not a cage). */
  async reroute(viewer: Viewer, id: string, leadTeamId: string, coTeamId: string | null, reason: string | null = null) {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(R.COORDINATOR_ONLY, "Only a coordinator can re-route a case.");
    const row = await this.get(v, id);
    const lead = this.places.team(leadTeamId);
    const co = coTeamId ? this.places.team(coTeamId) : null;
    if (!lead) throw badInput(R.UNKNOWN_TEAM, "leadTeamId: no team has this id", "leadTeamId");
    if (coTeamId && !co) throw badInput(R.UNKNOWN_TEAM, "coTeamId: no team has this id", "coTeamId");
    return this.transition(
      row.id,
      OPEN_STATUSES,
      { leadTeamId, coTeamId: coTeamId ?? null, assigneeId: null },
      "REROUTED",
      v.personId,
      `Re-routed to ${lead.name}${co ? ` with ${co.name}` : ""}.${reason ? ` Reason: ${reason}` : ""}`,
      { teams: [leadTeamId, coTeamId].filter((t): t is string => !!t), kind: "REROUTED" },
    );
  }

  /**
   * One step of a case, only from the statuses it allows, as one unit of work: the change, its audit
   * entry, the event its followers hear and, for `arrival`, the events of the teams' queues.
   */
  async transition(
    id: string,
    from: EscalationStatus[],
    set: Partial<EscalationRow>,
    kind: EscalationStepKind,
    actorId: string | null,
    note: string | null,
    arrival: QueueArrival | null = null,
  ): Promise<EscalationRow> {
    const now = this.clock.now();
    const updated = await this.outbox.unit(async () => {
      const row = await this.repo.update(id, from, { ...set, updatedAt: now }, { kind, actorId, note, at: now });
      const arrivals = arrival ? arrival.teams.map((teamId) => arrivalEvent(teamId, id, arrival.kind)) : [];
      if (row) await this.outbox.emit([changedEvent(id, kind), ...arrivals]);
      return row;
    });
    if (!updated) throw conflict(R.ESCALATION_WRONG_STATUS, "The case is not in a state that allows this; reload it.");
    return updated;
  }

  audit(row: EscalationRow) {
    return this.repo.audit(row.id);
  }

  find(id: string) {
    return this.repo.find(id);
  }

  /**
   * The status of a request's escalation, for the people involved in the request (never the case).
   * `load` fetches the latest case of a request (a batching loader when many requests are listed).
   */
  async statusForRequest(
    viewer: Viewer,
    row: HelpRequestRow,
    load: (helpRequestId: string) => Promise<EscalationRow | undefined> = (id) => this.repo.latestForRequest(id),
  ): Promise<EscalationRow | null> {
    if (!helpRequestPolicy.isInvolved(viewer, row) && !viewer.roles.has("COORDINATOR")) return null;
    return (await load(row.id)) ?? null;
  }

  /** For batching loaders (no access check): the latest case of each request, the audit of each case. */
  latestForRequests(helpRequestIds: readonly string[]) {
    return this.repo.latestForRequests(helpRequestIds);
  }

  auditsOf(escalationIds: readonly string[]) {
    return this.repo.auditsFor(escalationIds);
  }
}
