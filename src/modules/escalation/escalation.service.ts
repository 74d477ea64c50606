import { z } from "zod";
import type { Urgency } from "../help-requests/help-request.tables.js";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { EventBus } from "../../shared/events.js";
import { newId } from "../../shared/ids.js";
import { cursorScope, decodeCursor, pageSize } from "../../shared/pagination.js";
import { ageOn, optionalText, parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { CareService } from "../care/care.service.js";
import { helpRequestPolicy } from "../help-requests/help-request.policy.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { EscalationReason as R } from "./escalation.errors.js";
import type { AuditRow, EscalationRepository, EscalationRow } from "./escalation.repository.js";
import { ageBand, route } from "./escalation.routing.js";
import type { EscalationOutcome, EscalationStatus, EscalationTrigger, FlagReason } from "./escalation.tables.js";

const HOUR = 3600_000;
/** From 16 a person consents to the processing of their data themself (UAVG art. 5); for a younger child, whoever asked for them. */
const CONSENT_AGE = 16;

/** What a read of the person's details rests on: a consent record of the case, or its safety bypass. */
export interface DetailsGround {
  basis: "CONSENT" | "SAFETY_BYPASS";
  consentId: string | null;
}

export interface EscalationSettings {
  /** How long a request may stay OPEN, per urgency, before the safety net catches it. */
  openLimitHours: Record<Urgency, number>;
  /** After this many releases or unmatched reopenings the request goes to a team. */
  releaseLimit: number;
  /** The triggers that are on (all by default); a municipality can switch each one off. */
  triggers: ReadonlySet<EscalationTrigger>;
  /** Target time for a team to acknowledge a new case, per urgency. */
  acknowledgeHours: Record<Urgency, number>;
  /** Recorded when a SAFETY flag lets details go to the team without consent. */
  safetyLegalBasis: string;
}

export const defaultEscalationSettings: EscalationSettings = {
  openLimitHours: { URGENT: 4, HIGH: 24, NORMAL: 72, LOW: 168 },
  releaseLimit: 3,
  triggers: new Set<EscalationTrigger>(["OPEN_TOO_LONG", "REPEATEDLY_RELEASED", "FLAGGED", "CARE_OVERLOAD", "DIRECT_REQUEST", "MISSED_SHIFTS"]),
  acknowledgeHours: { URGENT: 1, HIGH: 4, NORMAL: 24, LOW: 72 },
  safetyLegalBasis:
    "AVG art. 9 lid 2 sub c (vitaal belang) and Wmo 2015 art. 5.2.6: a safety concern was flagged; shared without consent to protect the person",
};

export { escalationTopics } from "./escalation.topics.js";

const REASONS = ["TOO_COMPLEX", "HEALTH", "FINANCIAL", "HOUSING", "SAFETY", "OTHER"] as const;
const OPEN: EscalationStatus[] = ["NEW", "ACKNOWLEDGED", "IN_CARE"];

interface RaiseInput {
  family: string;
  trigger: EscalationTrigger;
  flagReason: FlagReason | null;
  reasonNote: string | null;
  subject: PersonRow;
  helpRequest: HelpRequestRow | null;
  circleId: string | null;
  neighbourhoodId: string;
  categoryId: string | null;
  urgency: Urgency;
  raisedById: string | null;
}

/** What a team sees of a case without consent: nothing that identifies the person. */
export interface PseudonymisedCase {
  categoryId: string | null;
  neighbourhoodId: string;
  ageBand: string;
  history: { fromStatus: string | null; toStatus: string; at: Date }[];
}

/**
 * The safety net (vangnet): requests and care situations the informal network cannot carry go to
 * the right professional team, once, with the reason, with consent (or a recorded legal basis for
 * a safety concern), and with every step and every read of personal details in the audit trail.
 */
export class EscalationService {
  constructor(
    private readonly repo: EscalationRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly helpRequests: HelpRequestService,
    private readonly care: CareService,
    private readonly accessLog: AccessLogService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly settings: EscalationSettings,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {
    helpRequests.onChange((row) => this.onHelpRequestChanged(row));
  }

  // ---- triggers ------------------------------------------------------------------------------

  /**
   * Time-based triggers: requests open too long (a) and sustained care overload (d). Idempotent. One
   * case that cannot be raised (an area without a team) is reported and retried on the next pass; it
   * never holds up the others, nor the expiry that runs after this sweep.
   */
  async sweep(): Promise<number> {
    let raised = 0;
    const limits = Object.fromEntries(
      Object.entries(this.settings.openLimitHours).map(([u, h]) => [u, h * HOUR]),
    ) as Record<Urgency, number>;
    const openTooLong = this.settings.triggers.has("OPEN_TOO_LONG") ? await this.helpRequests.openPastLimit(limits) : [];
    for (const row of openTooLong) {
      // Automatic triggers act on a request at most once: one a team saw and handed back stays with
      // the informal network (a person can still flag it).
      if (await this.repo.raisedBefore(row.id)) continue;
      const hours = this.settings.openLimitHours[row.urgency];
      const note = `Still open after ${hours} hours (limit for ${row.urgency}).`;
      if (await this.isolated(`escalating help request ${row.id}`, () => this.raiseForRequest(row, "OPEN_TOO_LONG", null, note, null))) raised++;
    }
    const overloaded = this.settings.triggers.has("CARE_OVERLOAD") ? await this.care.sustainedOverload() : [];
    for (const signal of overloaded) {
      // A case a team closed is not raised again for the same signal; a new signal (strain that went
      // down and came back) has a new id and may raise one.
      if ((await this.repo.closedInFamily(`care:${signal.id}`)) > 0) continue;
      const circle = await this.care.findCircleRow(signal.circleId);
      const carer = await this.people.findById(signal.personId);
      if (!circle || !carer) continue;
      const created = await this.isolated(`escalating care overload ${signal.id}`, () => this.raise({
        family: `care:${signal.id}`,
        trigger: "CARE_OVERLOAD",
        flagReason: null,
        reasonNote: `Mantelzorger overload: ${signal.detail} (since ${signal.since.toISOString().slice(0, 10)}).`,
        subject: carer,
        helpRequest: null,
        circleId: circle.id,
        neighbourhoodId: carer.neighbourhoodId ?? circle.neighbourhoodId,
        categoryId: this.places.categoryByCode("RESPITE")?.id ?? null,
        urgency: "HIGH",
        raisedById: null,
      }));
      if (created) raised++;
    }
    // Trigger (f): repeated missed shifts in a care circle; one case per signal, as for overload.
    const missing = this.settings.triggers.has("MISSED_SHIFTS") ? await this.care.missedShiftSignals() : [];
    for (const signal of missing) {
      if ((await this.repo.closedInFamily(`care:${signal.id}`)) > 0) continue;
      const circle = await this.care.findCircleRow(signal.circleId);
      const receiver = circle && (await this.people.findById(circle.careReceiverId));
      if (!circle || !receiver) continue;
      const created = await this.isolated(`escalating missed shifts ${signal.id}`, () => this.raise({
        family: `care:${signal.id}`,
        trigger: "MISSED_SHIFTS",
        flagReason: null,
        reasonNote: `Care circle in trouble: ${signal.detail} (since ${signal.since.toISOString().slice(0, 10)}).`,
        subject: receiver,
        helpRequest: null,
        circleId: circle.id,
        neighbourhoodId: circle.neighbourhoodId,
        categoryId: null,
        urgency: "HIGH",
        raisedById: null,
      }));
      if (created) raised++;
    }
    return raised;
  }

  /** Refuses an action whose trigger this municipality switched off (ESCALATION_TRIGGERS). */
  private requireTrigger(trigger: EscalationTrigger): void {
    if (!this.settings.triggers.has(trigger)) {
      throw forbidden(R.TRIGGER_OFF, `Escalation by ${trigger === "FLAGGED" ? "flagging" : "a direct request"} is switched off here; contact the municipality.`);
    }
  }

  /** Runs one sweep step; a failure is reported and counts as nothing raised. */
  private async isolated<T>(context: string, step: () => Promise<T | null>): Promise<T | null> {
    try {
      return await step();
    } catch (err) {
      this.reportError(err, context);
      return null;
    }
  }

  /** Trigger (b): released or unmatched too often. */
  private async onHelpRequestChanged(row: HelpRequestRow): Promise<void> {
    if (
      row.status === "OPEN" &&
      row.releaseCount >= this.settings.releaseLimit &&
      this.settings.triggers.has("REPEATEDLY_RELEASED") &&
      !(await this.repo.raisedBefore(row.id))
    ) {
      await this.raiseForRequest(row, "REPEATEDLY_RELEASED", null, `Released ${row.releaseCount} times without help given.`, null);
    }
  }

  /** Trigger (c): a volunteer (or the requester) flags a request as needing a professional. */
  async flagHelpRequest(viewer: Viewer, helpRequestId: string, reason: FlagReason, note: string | null) {
    const v = requireViewer(viewer);
    this.requireTrigger("FLAGGED");
    const row = await this.helpRequests.get(v, helpRequestId);
    if (!helpRequestPolicy.isInvolved(v, row)) throw forbidden(R.NOT_INVOLVED, "Only those involved in the request can flag it.");
    const flag = parseInput(z.enum(REASONS), reason, "reason");
    const text = parseInput(optionalText(2000), note, "note");
    // A SAFETY flag upgrades the open case (see `raise`); any other flag has nothing to add to it.
    if (row.status === "ESCALATED" && flag !== "SAFETY") throw conflict(R.ALREADY_ESCALATED, "This request is already with a professional team.");
    const esc = await this.raiseForRequest(row, "FLAGGED", flag, text, v.personId);
    if (!esc) throw conflict(R.ALREADY_ESCALATED, "This request is already with a professional team.");
    return esc;
  }

  /** Trigger (c) for a care circle: a member flags the care situation. */
  async flagCareCircle(viewer: Viewer, circleId: string, reason: FlagReason, note: string | null) {
    const v = requireViewer(viewer);
    this.requireTrigger("FLAGGED");
    const { circle } = await this.care.getCircle(v, circleId);
    const subject = (await this.people.findById(circle.careReceiverId))!;
    const flag = parseInput(z.enum(REASONS), reason, "reason");
    const text = parseInput(optionalText(2000), note, "note");
    const family = `circle:${circleId}`;
    const esc = await this.raise({
      family,
      trigger: "FLAGGED",
      flagReason: flag,
      reasonNote: text,
      subject,
      helpRequest: null,
      circleId,
      neighbourhoodId: circle.neighbourhoodId,
      categoryId: null,
      urgency: flag === "SAFETY" ? "URGENT" : "HIGH",
      raisedById: v.personId,
    });
    if (!esc) throw conflict(R.ALREADY_ESCALATED, "This care situation is already with a professional team.");
    return esc;
  }

  /**
   * Trigger (e): a resident asks for professional help for themself, or a wijkwinkel, professional or
   * mantelzorger for someone they asked for before (or the care receiver of their circle).
   */
  async askProfessionalHelp(
    viewer: Viewer,
    input: { helpRequestId?: string | null; personId?: string | null; circleId?: string | null; reason: FlagReason; note?: string | null; urgency?: Urgency | null },
  ) {
    const v = requireViewer(viewer);
    this.requireTrigger("DIRECT_REQUEST");
    const flag = parseInput(z.enum(REASONS), input.reason, "input.reason");
    const note = parseInput(optionalText(2000), input.note ?? null, "input.note");
    const urgency = parseInput(z.enum(["LOW", "NORMAL", "HIGH", "URGENT"]), input.urgency ?? "NORMAL", "input.urgency");
    if (input.helpRequestId) {
      const row = await this.helpRequests.get(v, input.helpRequestId);
      if (!helpRequestPolicy.isRequester(v, row)) throw forbidden(R.NOT_INVOLVED, "Only the requester can ask a team to take this request.");
      if (row.status === "ESCALATED" && flag !== "SAFETY") throw conflict(R.ALREADY_ESCALATED, "This request is already with a professional team.");
      const esc = await this.raiseForRequest(row, "DIRECT_REQUEST", flag, note, v.personId);
      if (!esc) throw conflict(R.ALREADY_ESCALATED, "This request is already with a professional team.");
      return esc;
    }
    if (input.circleId) {
      const { circle } = await this.care.getCircle(v, input.circleId);
      const subject = (await this.people.findById(circle.careReceiverId))!;
      const esc = await this.raise({ family: `direct:${newId("Escalation")}`, trigger: "DIRECT_REQUEST", flagReason: flag, reasonNote: note, subject, helpRequest: null, circleId: circle.id, neighbourhoodId: circle.neighbourhoodId, categoryId: null, urgency, raisedById: v.personId });
      return esc!;
    }
    const subjectId = input.personId ?? v.personId;
    const subject = await this.people.findById(subjectId);
    const allowed = subject && (subject.id === v.personId || (subject.createdById === v.personId && ["ORGANISER", "PROFESSIONAL", "MANTELZORGER"].some((r) => hasRole(v, r as never))));
    if (!subject || !allowed) throw forbidden(R.CANNOT_ASK_FOR, "You can ask for yourself, or for someone you asked help for before.");
    if (!subject.neighbourhoodId) throw badInput("NEIGHBOURHOOD_REQUIRED", "input.personId: the person needs a neighbourhood", "input.personId");
    const esc = await this.raise({ family: `direct:${newId("Escalation")}`, trigger: "DIRECT_REQUEST", flagReason: flag, reasonNote: note, subject, helpRequest: null, circleId: null, neighbourhoodId: subject.neighbourhoodId, categoryId: null, urgency, raisedById: v.personId });
    return esc!;
  }

  private async raiseForRequest(row: HelpRequestRow, trigger: EscalationTrigger, flag: FlagReason | null, note: string | null, by: string | null) {
    const subject = await this.people.findById(row.personHelpedId);
    if (!subject) return null;
    return this.raise({
      family: `hr:${row.id}`,
      trigger,
      flagReason: flag,
      reasonNote: note,
      subject,
      helpRequest: row,
      circleId: null,
      neighbourhoodId: row.neighbourhoodId,
      categoryId: row.categoryId,
      urgency: flag === "SAFETY" ? "URGENT" : row.urgency,
      raisedById: by,
    });
  }

  /**
   * Routes and records one escalation. Its dedupe key (family + how many of the family were closed)
   * makes every trigger idempotent: however often a sweep runs, or two instances race, one case.
   * Returns the new escalation, or null when one already existed; a SAFETY concern instead upgrades
   * the open case it met (`upgradeForSafety`) and returns it.
   */
  private async raise(input: RaiseInput): Promise<EscalationRow | null> {
    const now = this.clock.now();
    const neighbourhood = this.places.neighbourhood(input.neighbourhoodId);
    if (!neighbourhood) throw badInput("UNKNOWN_NEIGHBOURHOOD", "No neighbourhood for this case.");
    const age = input.subject.birthDate ? ageOn(input.subject.birthDate, now) : null;
    const rule = route(age);
    const teams = this.places.listTeams(neighbourhood.areaId);
    const lead = teams.find((t) => t.kind === rule.lead) ?? teams.find((t) => t.kind === "SOCIAL_TEAM");
    if (!lead) throw conflict(R.NO_TEAM, "No professional team serves this neighbourhood's area.");
    const co = rule.co ? (teams.find((t) => t.kind === rule.co && t.id !== lead.id) ?? null) : null;
    const generation = await this.repo.closedInFamily(input.family);
    const safety = input.flagReason === "SAFETY";
    const row: EscalationRow = {
      id: newId("Escalation"),
      dedupeKey: `${input.family}:${generation}`,
      trigger: input.trigger,
      flagReason: input.flagReason,
      reasonNote: input.reasonNote,
      helpRequestId: input.helpRequest?.id ?? null,
      circleId: input.circleId,
      subjectId: input.subject.id,
      raisedById: input.raisedById,
      neighbourhoodId: input.neighbourhoodId,
      categoryId: input.categoryId,
      urgency: input.urgency,
      leadTeamId: lead.id,
      coTeamId: co?.id ?? null,
      routingNote: rule.note,
      status: "NEW",
      outcome: null,
      assigneeId: null,
      consentBypassBasis: safety ? this.settings.safetyLegalBasis : null,
      createdAt: now,
      acknowledgeBy: new Date(now.getTime() + this.settings.acknowledgeHours[input.urgency] * HOUR),
      acknowledgedAt: null,
      closedAt: null,
      updatedAt: now,
    };
    const audit: Omit<AuditRow, "id" | "escalationId">[] = [
      { kind: "RAISED", actorId: input.raisedById, note: `${input.trigger}${input.flagReason ? ` (${input.flagReason})` : ""}. ${rule.note}`, at: now },
    ];
    if (safety) audit.push({ kind: "SAFETY_BYPASS", actorId: input.raisedById, note: this.settings.safetyLegalBasis, at: now });
    const { row: stored, created } = await this.repo.insert(row, audit);
    if (!created) return safety && OPEN.includes(stored.status) ? this.upgradeForSafety(stored, input) : null;
    if (stored.helpRequestId) {
      await this.helpRequests.markEscalated(stored.helpRequestId, `Handed to ${lead.name}.`, input.raisedById);
    }
    return stored;
  }

  /**
   * A SAFETY concern about a situation whose case is already open: refusing it would leave the case at
   * its old urgency and behind consent. The open case becomes URGENT, is due for acknowledgement within
   * the urgent target (never later than it already was), and lets the details through on the recorded
   * legal basis; the flag, with who raised it, goes into its audit trail, and its teams are told.
   */
  private async upgradeForSafety(open: EscalationRow, input: RaiseInput): Promise<EscalationRow> {
    const now = this.clock.now();
    const urgentBy = now.getTime() + this.settings.acknowledgeHours.URGENT * HOUR;
    const acknowledgeBy = new Date(Math.min(open.acknowledgeBy.getTime(), urgentBy));
    const note = `${input.trigger} (SAFETY) on the open case${input.reasonNote ? `: ${input.reasonNote}` : ""}. ${this.settings.safetyLegalBasis}`;
    return this.transition(
      open.id,
      OPEN,
      { urgency: "URGENT", acknowledgeBy, consentBypassBasis: this.settings.safetyLegalBasis },
      "SAFETY_BYPASS",
      input.raisedById,
      note,
      [open.leadTeamId, open.coTeamId].filter((t): t is string => t !== null),
    );
  }

  // ---- the team queue ------------------------------------------------------------------------

  private async teamOf(viewer: Viewer): Promise<{ v: AuthenticatedViewer; teamId: string | null }> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "PROFESSIONAL")) return { v, teamId: null };
    return { v, teamId: (await this.people.findById(v.personId))?.teamId ?? null };
  }

  /** The case for a professional of the lead or co-team, or a coordinator; NOT_FOUND for anyone else. */
  async get(viewer: Viewer, id: string): Promise<EscalationRow> {
    const { v, teamId } = await this.teamOf(viewer);
    const row = await this.repo.find(id);
    const allowed = row && (hasRole(v, "COORDINATOR") || (teamId !== null && (row.leadTeamId === teamId || row.coTeamId === teamId)));
    if (!row || !allowed) throw notFound(R.NOT_FOUND, "No escalation with this id is visible to you.");
    return row;
  }

  async findVisible(viewer: Viewer, id: string): Promise<EscalationRow | null> {
    return this.get(viewer, id).catch(() => null);
  }

  async queue(viewer: Viewer, teamId: string, args: { statuses?: EscalationStatus[] | null; overdueOnly?: boolean | null; first?: number | null; after?: string | null }) {
    const { v, teamId: own } = await this.teamOf(viewer);
    if (own !== teamId && !hasRole(v, "COORDINATOR")) throw forbidden(R.NOT_TEAM_MEMBER, "Only members of this team (or a coordinator) see its queue.");
    const statuses = args.statuses?.length ? args.statuses : OPEN;
    const scope = cursorScope(`Query.teamQueue.${teamId}`, { statuses, overdueOnly: args.overdueOnly ?? false });
    return this.repo.queue(
      teamId,
      statuses,
      args.overdueOnly ? this.clock.now() : null,
      args.after ? decodeCursor(args.after, "after", scope) : null,
      pageSize(args.first),
      scope,
    );
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
      throw badInput(R.NOT_TEAM_MEMBER, "professionalId: must be a professional of the lead or co-team", "professionalId");
    }
    return this.transition(row.id, OPEN, { assigneeId: professionalId }, "ASSIGNED", viewer.personId, `Assigned to ${pro.firstName}.`);
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
    const closed = await this.transition(row.id, OPEN, { status: "CLOSED", outcome, closedAt: now, acknowledgedAt: row.acknowledgedAt ?? now }, "CLOSED", viewer.personId, `${outcome}${text ? `: ${text}` : ""}`);
    if (outcome === "HANDED_BACK" && closed.helpRequestId) {
      await this.helpRequests.reopenAfterEscalation(closed.helpRequestId, text ?? "Handed back to the informal network by the professional team.", viewer.personId);
    }
    return closed;
  }

  /** A coordinator sends the case to another team (the rules are a default, not a cage). */
  async reroute(viewer: Viewer, id: string, leadTeamId: string, coTeamId: string | null) {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden("COORDINATOR_ONLY", "Only a coordinator can re-route a case.");
    const row = await this.get(v, id);
    const lead = this.places.team(leadTeamId);
    const co = coTeamId ? this.places.team(coTeamId) : null;
    if (!lead) throw badInput("UNKNOWN_TEAM", "leadTeamId: no team has this id", "leadTeamId");
    if (coTeamId && !co) throw badInput("UNKNOWN_TEAM", "coTeamId: no team has this id", "coTeamId");
    return this.transition(
      row.id,
      OPEN,
      { leadTeamId, coTeamId: coTeamId ?? null, assigneeId: null },
      "REROUTED",
      v.personId,
      `Re-routed to ${lead.name}${co ? ` with ${co.name}` : ""}.`,
      [leadTeamId, coTeamId].filter((t): t is string => !!t),
    );
  }

  private async requireTeamMember(viewer: Viewer, id: string): Promise<EscalationRow> {
    const { v, teamId } = await this.teamOf(viewer);
    const row = await this.get(v, id);
    if (!teamId || (teamId !== row.leadTeamId && teamId !== row.coTeamId)) {
      throw forbidden(R.PROFESSIONAL_ONLY, "Only a professional of the lead or co-team can work this case.");
    }
    return row;
  }

  private async transition(
    id: string,
    from: EscalationStatus[],
    set: Partial<EscalationRow>,
    kind: AuditRow["kind"],
    actorId: string | null,
    note: string | null,
    alsoTellTeams: string[] = [],
  ) {
    const now = this.clock.now();
    const updated = await this.repo.update(id, from, { ...set, updatedAt: now }, { kind, actorId, note, at: now }, alsoTellTeams);
    if (!updated) throw conflict(R.WRONG_STATUS, "The case is not in a state that allows this; reload it.");
    return updated;
  }

  audit(row: EscalationRow) {
    return this.repo.audit(row.id);
  }

  // ---- consent and personal details ----------------------------------------------------------

  /** What any team member sees: category, neighbourhood, age band and the request's history. */
  async pseudonymisedCase(row: EscalationRow): Promise<PseudonymisedCase> {
    const subject = await this.people.findById(row.subjectId);
    const age = subject?.birthDate ? ageOn(subject.birthDate, this.clock.now()) : null;
    const history = row.helpRequestId ? await this.helpRequests.historyRows(row.helpRequestId) : [];
    return {
      categoryId: row.categoryId,
      neighbourhoodId: row.neighbourhoodId,
      ageBand: ageBand(age),
      history: history.map((h) => ({ fromStatus: h.fromStatus, toStatus: h.toStatus, at: h.at })),
    };
  }

  /**
   * What lets the team see who the person is: a safety bypass on this case, or an active consent for
   * that team recorded on this very case (consent is per case and purpose: a later case asks again).
   */
  async detailsAllowed(row: EscalationRow, teamId: string | null): Promise<DetailsGround | null> {
    if (row.consentBypassBasis) return { basis: "SAFETY_BYPASS", consentId: null };
    if (!teamId) return null;
    const consent = (await this.repo.activeConsents(row.id)).find((c) => c.teamId === teamId);
    return consent ? { basis: "CONSENT", consentId: consent.id } : null;
  }

  /** Personal details for a team member, with consent or a safety bypass; every read goes to both audit trails. */
  async personalDetails(viewer: Viewer, id: string) {
    const row = await this.requireTeamMember(viewer, id);
    const { teamId } = await this.teamOf(viewer);
    const ground = await this.detailsAllowed(row, teamId);
    if (!ground) throw forbidden(R.CONSENT_REQUIRED, "The person has not (or no longer) consented to share their details with your team for this case.");
    const { basis, consentId } = ground;
    const person = (await this.people.findById(row.subjectId))!;
    const now = this.clock.now();
    // Every disclosure names the record it rests on: the consent record, or the case's safety bypass.
    const record = consentId ? `consent ${consentId}` : `safety bypass of ${row.id}`;
    await this.repo.appendAudit(row.id, { kind: "DETAILS_READ", actorId: viewer.personId, note: `${basis} (${record})`, at: now });
    await this.accessLog.record(viewer.personId!, person.id, ["fullName", "address", "phone", "birthDate"], `escalation (${record})`, row.id);
    return {
      fullName: [person.firstName, person.lastName].filter(Boolean).join(" "),
      address: person.address,
      phone: person.phone,
      birthDate: person.birthDate,
      basis,
      consentId,
    };
  }

  /** A professional asks for consent; whoever asked for help (or the person) sees the request. */
  async requestConsent(viewer: Viewer, id: string, note: string | null) {
    const row = await this.requireTeamMember(viewer, id);
    await this.repo.appendAudit(row.id, { kind: "CONSENT_REQUESTED", actorId: viewer.personId, note: parseInput(optionalText(1000), note, "note"), at: this.clock.now() });
    return row;
  }

  /**
   * Whether the viewer may learn who acted in a case (audit trail, consents). Professionals and
   * volunteers are always named; someone on the person's side (the person, whoever asked for them,
   * their circle) identifies the person, so is named only to a professional of the case's teams who
   * may see the details themselves (consent or a SAFETY bypass).
   */
  async mayName(viewer: Viewer, row: EscalationRow, actorId: string): Promise<boolean> {
    const actor: AuthenticatedViewer = { personId: actorId, roles: new Set(), tokenExpiresAt: null };
    if (!(await this.onPersonsSide(actor, row))) return true;
    const { teamId } = await this.teamOf(viewer);
    if (!teamId || (teamId !== row.leadTeamId && teamId !== row.coTeamId)) return false;
    return (await this.detailsAllowed(row, teamId)) !== null;
  }

  /**
   * Who may consent for the person a case is about: the person themself. Someone else only for a person
   * who cannot consent here themself (no account of their own, or a child under 16, UAVG art. 5): whoever
   * asked for them, as recorded (who registered them, or who asked the case's request for them). Care
   * circle members and its coordinator do not consent for another member, nor for the care receiver
   * unless they registered them.
   */
  private async canConsent(v: AuthenticatedViewer, row: EscalationRow): Promise<boolean> {
    if (v.personId === row.subjectId) return true;
    const subject = await this.people.findById(row.subjectId);
    if (!subject) return false;
    const child = subject.birthDate !== null && ageOn(subject.birthDate, this.clock.now()) < CONSENT_AGE;
    if (subject.passwordHash !== null && !child) return false;
    if (subject.createdById === v.personId) return true;
    if (row.helpRequestId) {
      const hr = await this.helpRequests.findRow(row.helpRequestId);
      if (hr && hr.personHelpedId === subject.id && hr.askedById === v.personId) return true;
    }
    return false;
  }

  /**
   * Whether someone stands on the person's side of a case (the person, whoever asked for them, their
   * circle): naming them would tell the team who the person is. They follow the case's status.
   */
  private async onPersonsSide(v: AuthenticatedViewer, row: EscalationRow): Promise<boolean> {
    if (v.personId === row.subjectId) return true;
    const subject = await this.people.findById(row.subjectId);
    if (subject?.createdById === v.personId) return true;
    if (row.helpRequestId) {
      const hr = await this.helpRequests.findRow(row.helpRequestId);
      if (hr && hr.askedById === v.personId) return true;
    }
    if (row.circleId) {
      const circle = await this.care.findVisibleCircle(v, row.circleId);
      if (circle) return true;
    }
    return false;
  }

  /** Escalations the viewer can consent to (for the person, or on their behalf), with pending consent requests. */
  async consentable(viewer: Viewer, id: string) {
    const v = requireViewer(viewer);
    const row = await this.repo.find(id);
    if (!row || !(await this.canConsent(v, row))) throw notFound(R.NOT_FOUND, "No escalation with this id is visible to you.");
    return row;
  }

  async giveConsent(viewer: Viewer, id: string, purpose: string | null) {
    const v = requireViewer(viewer);
    const row = await this.repo.find(id);
    if (!row) throw notFound(R.NOT_FOUND, "No escalation with this id is visible to you.");
    if (!(await this.canConsent(v, row))) throw forbidden(R.CANNOT_CONSENT, "Only the person the case is about (or, for someone without an account or a child, whoever asked for them) can consent.");
    const now = this.clock.now();
    const why = parseInput(optionalText(500), purpose, "purpose") ?? "Support by the professional team for this case";
    const active = await this.repo.activeConsents(row.id);
    const teams = [row.leadTeamId, row.coTeamId].filter((t): t is string => t !== null && !active.some((c) => c.teamId === t));
    if (teams.length) {
      await this.repo.insertConsents(
        teams.map((teamId) => ({ id: newId("Consent"), subjectId: row.subjectId, teamId, purpose: why, escalationId: row.id, givenById: v.personId, givenAt: now, withdrawnById: null, withdrawnAt: null })),
      );
    }
    await this.repo.appendAudit(row.id, { kind: "CONSENT_GIVEN", actorId: v.personId, note: why, at: now });
    return row;
  }

  async withdrawConsent(viewer: Viewer, id: string) {
    const v = requireViewer(viewer);
    const row = await this.repo.find(id);
    if (!row) throw notFound(R.NOT_FOUND, "No escalation with this id is visible to you.");
    if (!(await this.canConsent(v, row))) throw forbidden(R.CANNOT_CONSENT, "Only the person the case is about (or, for someone without an account or a child, whoever asked for them) can withdraw consent.");
    const now = this.clock.now();
    await this.repo.withdrawConsents(row.id, v.personId, now);
    await this.repo.appendAudit(row.id, { kind: "CONSENT_WITHDRAWN", actorId: v.personId, note: null, at: now });
    return row;
  }

  consents(row: EscalationRow) {
    return this.repo.consentsFor(row.id);
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

  /** Whether the viewer may follow an escalation's status: its teams, or those involved in it. */
  async canFollow(viewer: Viewer, id: string): Promise<boolean> {
    if (await this.findVisible(viewer, id)) return true;
    const row = await this.repo.find(id);
    if (!row || !viewer.personId) return false;
    if (row.helpRequestId) {
      const hr = await this.helpRequests.findRow(row.helpRequestId);
      if (hr && helpRequestPolicy.isInvolved(viewer, hr)) return true;
    }
    return this.onPersonsSide(viewer as AuthenticatedViewer, row);
  }

  find(id: string) {
    return this.repo.find(id);
  }
}
