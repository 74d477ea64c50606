import { z } from "zod";
import type { Urgency } from "../help-requests/help-request.tables.js";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import type { Outbox } from "../../db/outbox.js";
import { ageOn, optionalText, parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { CareService } from "../care/care.service.js";
import { helpRequestPolicy } from "../help-requests/help-request.policy.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { EscalationReason as R } from "./escalation.errors.js";
import { arrivalEvent, changedEvent } from "./escalation.events.js";
import type { AuditRow, EscalationRepository, EscalationRow } from "./escalation.repository.js";
import { route } from "./escalation.routing.js";
import type { EscalationSettings } from "./escalation.settings.js";
import type { EscalationTrigger, FlagReason } from "./escalation.tables.js";
import { OPEN_STATUSES, type TeamQueueService } from "./team-queue.service.js";

const HOUR = 3600_000;
const REASONS = ["TOO_COMPLEX", "HEALTH", "FINANCIAL", "HOUSING", "SAFETY", "OTHER"] as const;
/** Who may ask a team about someone they asked help for before (besides the person themself). */
const ASK_FOR_OTHERS = ["ORGANISER", "PROFESSIONAL", "MANTELZORGER"] as const;

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

/** A buddy match's open ESCALATION_DUE signal: whom it concerns and since when (from the buddies module). */
export interface BuddyEscalationSignal {
  signalId: string;
  personId: string;
  neighbourhoodId: string | null;
  since: Date;
}

/**
 * When a case opens: a request open too long (a) or released too often (b), a flag (c), sustained care
 * overload (d), a direct request (e), missed shifts in a care circle (f) and missed check-ins of a buddy
 * match (g). Each trigger can be
 * switched off (ESCALATION_TRIGGERS); every one raises a case at most once (see `raise`).
 */
export class EscalationTriggerService {
  private buddySignals: () => Promise<BuddyEscalationSignal[]> = async () => [];
  constructor(
    private readonly repo: EscalationRepository,
    private readonly queue: TeamQueueService,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly helpRequests: HelpRequestService,
    private readonly care: CareService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly settings: EscalationSettings,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {
    helpRequests.onChange((row) => this.onHelpRequestChanged(row));
  }

  /**
   * Time-based triggers: requests open too long (a) and sustained care overload (d). Idempotent. One
   * case that cannot be raised (an area without a team) is reported and retried on the next pass; it
   * never holds up the others, nor the expiry that runs after this sweep.
   */
  async sweep(): Promise<number> {
    let raised = 0;
    const limits = Object.fromEntries(Object.entries(this.settings.openLimitHours).map(([u, h]) => [u, h * HOUR])) as Record<Urgency, number>;
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
      const created = await this.isolated(`escalating care overload ${signal.id}`, () =>
        this.raise({
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
        }),
      );
      if (created) raised++;
    }
    // Trigger (f): repeated missed shifts in a care circle; one case per signal, as for overload.
    const missing = this.settings.triggers.has("MISSED_SHIFTS") ? await this.care.missedShiftSignals() : [];
    for (const signal of missing) {
      if ((await this.repo.closedInFamily(`care:${signal.id}`)) > 0) continue;
      const circle = await this.care.findCircleRow(signal.circleId);
      const receiver = circle && (await this.people.findById(circle.careReceiverId));
      if (!circle || !receiver) continue;
      const created = await this.isolated(`escalating missed shifts ${signal.id}`, () =>
        this.raise({
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
        }),
      );
      if (created) raised++;
    }
    // Trigger (g): a buddy match that missed several check-ins in a row, unacknowledged by its programme.
    const stalled = this.settings.triggers.has("MISSED_CHECKINS") ? await this.buddySignals() : [];
    for (const signal of stalled) {
      if ((await this.repo.closedInFamily(`buddy:${signal.signalId}`)) > 0) continue;
      const subject = await this.people.findById(signal.personId);
      const neighbourhoodId = signal.neighbourhoodId ?? subject?.neighbourhoodId ?? null;
      if (!subject || !neighbourhoodId) continue;
      const created = await this.isolated(`escalating missed check-ins ${signal.signalId}`, () =>
        this.raise({
          family: `buddy:${signal.signalId}`,
          trigger: "MISSED_CHECKINS",
          flagReason: null,
          reasonNote: `Buddy match in trouble: several check-ins in a row were missed (since ${signal.since.toISOString().slice(0, 10)}).`,
          subject,
          helpRequest: null,
          circleId: null,
          neighbourhoodId,
          categoryId: null,
          urgency: "HIGH",
          raisedById: null,
        }),
      );
      if (created) raised++;
    }
    return raised;
  }

  /** Where the buddy programmes' stalled matches come from (wired to the buddies module; none until then). */
  linkBuddySignals(source: () => Promise<BuddyEscalationSignal[]>): void {
    this.buddySignals = source;
  }

  /** Refuses an action whose trigger this municipality switched off (ESCALATION_TRIGGERS). */
  private requireTrigger(trigger: EscalationTrigger): void {
    if (!this.settings.triggers.has(trigger)) {
      throw forbidden(R.ESCALATION_TRIGGER_OFF, "Escalation by {trigger, select, FLAGGED {flagging} other {a direct request}} is switched off here; contact the municipality.", {
        trigger,
      });
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
    if (row.status === "OPEN" && row.releaseCount >= this.settings.releaseLimit && this.settings.triggers.has("REPEATEDLY_RELEASED") && !(await this.repo.raisedBefore(row.id))) {
      await this.raiseForRequest(row, "REPEATEDLY_RELEASED", null, `Released ${row.releaseCount} times without help given.`, null);
    }
  }

  /** Trigger (c): a volunteer (or the requester) flags a request as needing a professional. */
  async flagHelpRequest(viewer: Viewer, helpRequestId: string, reason: FlagReason, note: string | null) {
    const v = requireViewer(viewer);
    this.requireTrigger("FLAGGED");
    const row = await this.helpRequests.get(v, helpRequestId);
    if (!helpRequestPolicy.isInvolved(v, row)) throw forbidden(R.NOT_INVOLVED_IN_REQUEST, "Only those involved in the request can flag it.");
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
      if (!helpRequestPolicy.isRequester(v, row)) throw forbidden(R.NOT_INVOLVED_IN_REQUEST, "Only the requester can ask a team to take this request.");
      if (row.status === "ESCALATED" && flag !== "SAFETY") throw conflict(R.ALREADY_ESCALATED, "This request is already with a professional team.");
      const esc = await this.raiseForRequest(row, "DIRECT_REQUEST", flag, note, v.personId);
      if (!esc) throw conflict(R.ALREADY_ESCALATED, "This request is already with a professional team.");
      return esc;
    }
    if (input.circleId) {
      const { circle } = await this.care.getCircle(v, input.circleId);
      const subject = (await this.people.findById(circle.careReceiverId))!;
      return this.raiseDirect(v, subject, { circleId: circle.id, neighbourhoodId: circle.neighbourhoodId }, flag, note, urgency);
    }
    const subjectId = input.personId ?? v.personId;
    const subject = await this.people.findById(subjectId);
    const allowed = subject && (subject.id === v.personId || (subject.createdById === v.personId && ASK_FOR_OTHERS.some((r) => hasRole(v, r))));
    if (!subject || !allowed) throw forbidden(R.CANNOT_ASK_FOR_THIS_PERSON, "You can ask for yourself, or for someone you asked help for before.");
    if (!subject.neighbourhoodId) throw badInput(R.NEIGHBOURHOOD_REQUIRED, "input.personId: the person needs a neighbourhood", "input.personId");
    return this.raiseDirect(v, subject, { circleId: null, neighbourhoodId: subject.neighbourhoodId }, flag, note, urgency);
  }

  /** A direct request opens a case of its own (a family of one): it never merges with another. */
  private async raiseDirect(
    v: AuthenticatedViewer,
    subject: PersonRow,
    where: { circleId: string | null; neighbourhoodId: string },
    flag: FlagReason,
    note: string | null,
    urgency: Urgency,
  ) {
    const esc = await this.raise({
      family: `direct:${newId("Escalation")}`,
      trigger: "DIRECT_REQUEST",
      flagReason: flag,
      reasonNote: note,
      subject,
      helpRequest: null,
      ...where,
      categoryId: null,
      urgency,
      raisedById: v.personId,
    });
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
    if (!neighbourhood) throw badInput(R.UNKNOWN_NEIGHBOURHOOD, "No neighbourhood for this case.");
    const age = input.subject.birthDate ? ageOn(input.subject.birthDate, now) : null;
    const rule = route(age);
    const teams = this.places.listTeams(neighbourhood.areaId);
    const lead = teams.find((t) => t.kind === rule.lead) ?? teams.find((t) => t.kind === "SOCIAL_TEAM");
    if (!lead) throw conflict(R.NO_TEAM_FOR_AREA, "No professional team serves this neighbourhood's area.");
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
    const { row: stored, created } = await this.outbox.unit(async () => {
      const inserted = await this.repo.insert(row, audit);
      if (inserted.created) {
        const teamIds = [row.leadTeamId, row.coTeamId].filter((t): t is string => t !== null);
        await this.outbox.emit([...teamIds.map((teamId) => arrivalEvent(teamId, row.id, "RAISED")), changedEvent(row.id, "NEW")]);
      }
      return inserted;
    });
    if (!created) return safety && OPEN_STATUSES.includes(stored.status) ? this.upgradeForSafety(stored, input) : null;
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
    return this.queue.transition(
      open.id,
      OPEN_STATUSES,
      { urgency: "URGENT", acknowledgeBy, consentBypassBasis: this.settings.safetyLegalBasis },
      "SAFETY_BYPASS",
      input.raisedById,
      note,
      { teams: [open.leadTeamId, open.coTeamId].filter((t): t is string => t !== null), kind: "SAFETY_BYPASS" },
    );
  }
}
