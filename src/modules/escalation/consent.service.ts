import type { Clock } from "../../shared/clock.js";
import { DomainError, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import type { Outbox } from "../../db/outbox.js";
import { ageOn, optionalText, parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { CareService } from "../care/care.service.js";
import { helpRequestPolicy } from "../help-requests/help-request.policy.js";
import type { HelpRequestEventRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { PersonService } from "../people/person.service.js";
import { EscalationReason as R } from "./escalation.errors.js";
import { type ConsentChangeKind, changedEvent } from "./escalation.events.js";
import type { EscalationRepository, EscalationRow } from "./escalation.repository.js";
import { ageBand } from "./escalation.routing.js";
import { OPEN_STATUSES, type TeamQueueService } from "./team-queue.service.js";

/** From 16 a person consents to the processing of their data themself (UAVG art. 5); for a younger child, whoever asked for them. */
const CONSENT_AGE = 16;

/** The fields of the person a read of their details hands out. */
const DETAILS_FIELDS = ["fullName", "address", "phone", "birthDate"];

/** What a read of the person's details rests on: a consent record of the case, or its safety bypass. */
export interface DetailsGround {
  basis: "CONSENT" | "SAFETY_BYPASS";
  consentId: string | null;
}

/** What a team sees of a case without consent: nothing that identifies the person. */
export interface PseudonymisedView {
  categoryId: string | null;
  neighbourhoodId: string;
  ageBand: string;
  history: HistoryStep[];
}

/** A status change of the help request behind a case, without names or notes. */
export type HistoryStep = Pick<HelpRequestEventRow, "fromStatus" | "toStatus" | "at">;

/** Who the case is about, for a team that may see it, with what that rests on. */
export interface PersonalDetails extends DetailsGround {
  fullName: string;
  address: string | null;
  phone: string | null;
  birthDate: string | null;
}

/**
 * Consent and personal details: what a team sees without consent (a pseudonymised case), who may
 * consent for the person, and reads of who the person is, each resting on a consent record of the case
 * or its safety bypass and each written to the case's audit trail and the access log. Also who stands
 * on the person's side of a case: they are named only to a team that may see the details, and they may
 * follow the case's status.
 */
export class ConsentService {
  constructor(
    private readonly repo: EscalationRepository,
    private readonly queue: TeamQueueService,
    private readonly people: PersonService,
    private readonly helpRequests: HelpRequestService,
    private readonly care: CareService,
    private readonly accessLog: AccessLogService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** What any team member sees: category, neighbourhood, age band and the request's history. */
  async pseudonymisedCase(row: EscalationRow): Promise<PseudonymisedView> {
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
   * What lets a team see who the person is: the case is open, the team is its lead or co-team, and it
   * holds a safety bypass on this case or an active consent for that very team recorded on it (consent
   * is per case, team and purpose: a later case asks again, and so does a team the case is re-routed
   * to). When the case closes, or leaves the team, its reads end at once.
   */
  async detailsAllowed(row: EscalationRow, teamId: string | null): Promise<DetailsGround | null> {
    if (!teamId || (teamId !== row.leadTeamId && teamId !== row.coTeamId)) return null;
    if (!OPEN_STATUSES.includes(row.status)) return null;
    if (row.consentBypassBasis) return { basis: "SAFETY_BYPASS", consentId: null };
    const consent = (await this.repo.activeConsents(row.id)).find((c) => c.teamId === teamId);
    return consent ? { basis: "CONSENT", consentId: consent.id } : null;
  }

  /**
   * Personal details for a professional of an open case of their team, with consent or a safety bypass.
   * Every read goes to both audit trails with the case as its purpose; every refused attempt by someone
   * signed in goes to the access log as REFUSED (NEN 7513 asks for both).
   */
  async personalDetails(viewer: Viewer, id: string): Promise<PersonalDetails> {
    let row: EscalationRow;
    try {
      row = await this.queue.requireTeamMember(viewer, id);
    } catch (error) {
      await this.refused(viewer, await this.queue.find(id), reasonOf(error));
      throw error;
    }
    const { teamId } = await this.queue.teamOf(viewer);
    if (!OPEN_STATUSES.includes(row.status)) {
      await this.refused(viewer, row, R.CASE_CLOSED);
      throw forbidden(R.CASE_CLOSED, "The case is closed: its teams no longer see who it is about.");
    }
    const ground = await this.detailsAllowed(row, teamId);
    if (!ground) {
      await this.refused(viewer, row, R.CONSENT_REQUIRED);
      throw forbidden(R.CONSENT_REQUIRED, "The person has not (or no longer) consented to share their details with your team for this case.");
    }
    const { basis, consentId } = ground;
    const person = (await this.people.findById(row.subjectId))!;
    const now = this.clock.now();
    // Every disclosure names the record it rests on: the consent record, or the case's safety bypass.
    const record = consentId ? `consent ${consentId}` : `safety bypass of ${row.id}`;
    // A read is audited, but is no change of the case: its followers hear nothing of it.
    await this.repo.appendAudit(row.id, { kind: "DETAILS_READ", actorId: viewer.personId, note: `${basis} (${record})`, at: now });
    await this.accessLog.record(viewer.personId!, person.id, DETAILS_FIELDS, casePurpose(row.id, record), row.id, { viewer });
    return {
      fullName: [person.firstName, person.lastName].filter(Boolean).join(" "),
      address: person.address,
      phone: person.phone,
      birthDate: person.birthDate,
      basis,
      consentId,
    };
  }

  /** A refused attempt at the person's details, for the access log; nothing to record without a reader or a case. */
  private async refused(viewer: Viewer, row: EscalationRow | undefined, reason: string): Promise<void> {
    if (!viewer.personId || !row) return;
    await this.accessLog.record(viewer.personId, row.subjectId, DETAILS_FIELDS, casePurpose(row.id, `refused: ${reason}`), row.id, { viewer, result: "REFUSED" });
  }

  /** A professional asks for consent; whoever asked for help (or the person) sees the request. */
  async requestConsent(viewer: Viewer, id: string, note: string | null) {
    const row = await this.queue.requireTeamMember(viewer, id);
    await this.recordChange(row.id, "CONSENT_REQUESTED", viewer.personId, parseInput(optionalText(1000), note, "note"), this.clock.now());
    return row;
  }

  async giveConsent(viewer: Viewer, id: string, purpose: string | null) {
    const v = requireViewer(viewer);
    const row = await this.repo.find(id);
    if (!row) throw notFound(R.ESCALATION_NOT_FOUND, "No escalation with this id is visible to you.");
    if (!(await this.canConsent(v, row)))
      throw forbidden(R.CANNOT_GIVE_CONSENT, "Only the person the case is about (or, for someone without an account or a child, whoever asked for them) can consent.");
    const now = this.clock.now();
    const why = parseInput(optionalText(500), purpose, "purpose") ?? "Support by the professional team for this case";
    const active = await this.repo.activeConsents(row.id);
    const teams = [row.leadTeamId, row.coTeamId].filter((t): t is string => t !== null && !active.some((c) => c.teamId === t));
    if (teams.length) {
      await this.repo.insertConsents(
        teams.map((teamId) => ({
          id: newId("Consent"),
          subjectId: row.subjectId,
          teamId,
          purpose: why,
          escalationId: row.id,
          givenById: v.personId,
          givenAt: now,
          withdrawnById: null,
          withdrawnAt: null,
        })),
      );
    }
    await this.recordChange(row.id, "CONSENT_GIVEN", v.personId, why, now);
    return row;
  }

  async withdrawConsent(viewer: Viewer, id: string) {
    const v = requireViewer(viewer);
    const row = await this.repo.find(id);
    if (!row) throw notFound(R.ESCALATION_NOT_FOUND, "No escalation with this id is visible to you.");
    if (!(await this.canConsent(v, row)))
      throw forbidden(R.CANNOT_GIVE_CONSENT, "Only the person the case is about (or, for someone without an account or a child, whoever asked for them) can withdraw consent.");
    const now = this.clock.now();
    await this.repo.withdrawConsents(row.id, v.personId, now);
    await this.recordChange(row.id, "CONSENT_WITHDRAWN", v.personId, null, now);
    return row;
  }

  consents(row: EscalationRow) {
    return this.repo.consentsFor(row.id);
  }

  /** A change of consent in the case's audit trail and, in the same unit of work, the event its followers hear. */
  private async recordChange(escalationId: string, kind: ConsentChangeKind, actorId: string | null, note: string | null, at: Date): Promise<void> {
    await this.outbox.unit(async () => {
      await this.repo.appendAudit(escalationId, { kind, actorId, note, at });
      await this.outbox.emit([changedEvent(escalationId, kind)]);
    });
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

  // ---- the person's side ---------------------------------------------------------------------

  /**
   * Whether the viewer may learn who acted in a case (audit trail, consents). Professionals and
   * volunteers are always named; someone on the person's side (the person, whoever asked for them,
   * their circle) identifies the person, so is named only to a professional of the case's teams who
   * may see the details themselves (consent or a SAFETY bypass).
   */
  async mayName(viewer: Viewer, row: EscalationRow, actorId: string): Promise<boolean> {
    const actor: AuthenticatedViewer = { personId: actorId, roles: new Set(), tokenExpiresAt: null };
    if (!(await this.onPersonsSide(actor, row))) return true;
    const { teamId } = await this.queue.teamOf(viewer);
    const ground = await this.detailsAllowed(row, teamId);
    if (!ground) return false;
    // Naming them tells who the case is about: a read of personal data, on the same basis as the details.
    const record = ground.consentId ? `consent ${ground.consentId}` : `safety bypass of ${row.id}`;
    await this.accessLog.record(viewer.personId!, actorId, ["firstName"], casePurpose(row.id, record), row.id, { viewer });
    return true;
  }

  /** Whether the viewer may follow an escalation's status: its teams, or those involved in it. */
  async canFollow(viewer: Viewer, id: string): Promise<boolean> {
    if (await this.queue.findVisible(viewer, id)) return true;
    const row = await this.repo.find(id);
    if (!row || !viewer.personId) return false;
    if (row.helpRequestId) {
      const hr = await this.helpRequests.findRow(row.helpRequestId);
      if (hr && helpRequestPolicy.isInvolved(viewer, hr)) return true;
    }
    return this.onPersonsSide(viewer as AuthenticatedViewer, row);
  }

  /** The case for whoever may follow its status; otherwise what its team view says (UNAUTHENTICATED or NOT_FOUND). */
  async followable(viewer: Viewer, id: string): Promise<EscalationRow> {
    if (!(await this.canFollow(viewer, id))) return this.queue.get(viewer, id);
    return (await this.repo.find(id))!;
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
}

/** The purpose of a read in the access log: the case it serves, and what it rests on. */
function casePurpose(caseId: string, basis: string): string {
  return `case ${caseId} (${basis})`;
}

/** The stable reason of a refusal thrown by the queue, for the access log. */
function reasonOf(error: unknown): string {
  return error instanceof DomainError ? error.reason : "refused";
}
