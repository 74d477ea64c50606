import type { Urgency } from "../help-requests/help-request.tables.js";
import type { Clock } from "../../shared/clock.js";
import type { Outbox } from "../../db/outbox.js";
import type { Viewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { CareService } from "../care/care.service.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { ConsentService } from "./consent.service.js";
import { EscalationTriggerService } from "./escalation-trigger.service.js";
import type { EscalationRepository, EscalationRow } from "./escalation.repository.js";
import type { EscalationSettings } from "./escalation.settings.js";
import type { EscalationOutcome, FlagReason } from "./escalation.tables.js";
import { TeamQueueService } from "./team-queue.service.js";

export type { EscalationSettings } from "./escalation.settings.js";

/**
 * The safety net (vangnet): requests and care situations the informal network cannot carry go to
 * the right professional team, once, with the reason, with consent (or a recorded legal basis for
 * a safety concern), and with every step and every read of personal details in the audit trail.
 *
 * One entry point for resolvers, subscriptions and the sweep over three parts: when a case opens
 * (`EscalationTriggerService`), the team's queue (`TeamQueueService`) and consent with personal
 * details (`ConsentService`).
 */
export class EscalationService {
  readonly triggers: EscalationTriggerService;
  private readonly teamQueue: TeamQueueService;
  private readonly consent: ConsentService;

  constructor(
    repo: EscalationRepository,
    places: PlaceService,
    people: PersonService,
    helpRequests: HelpRequestService,
    care: CareService,
    accessLog: AccessLogService,
    outbox: Outbox,
    clock: Clock,
    settings: EscalationSettings,
    reportError: (err: unknown, context: string) => void = () => undefined,
    /** Whether a case is restricted after its subject's erasure (GDPR art. 18): then only its teams read it. */
    isRestricted: (caseId: string) => Promise<boolean> = async () => false,
  ) {
    this.teamQueue = new TeamQueueService(repo, places, people, helpRequests, outbox, clock, isRestricted);
    this.triggers = new EscalationTriggerService(repo, this.teamQueue, places, people, helpRequests, care, outbox, clock, settings, reportError);
    this.consent = new ConsentService(repo, this.teamQueue, people, helpRequests, care, accessLog, outbox, clock);
  }

  // ---- triggers ------------------------------------------------------------------------------

  sweep(): Promise<number> {
    return this.triggers.sweep();
  }

  flagHelpRequest(viewer: Viewer, helpRequestId: string, reason: FlagReason, note: string | null) {
    return this.triggers.flagHelpRequest(viewer, helpRequestId, reason, note);
  }

  flagCareCircle(viewer: Viewer, circleId: string, reason: FlagReason, note: string | null) {
    return this.triggers.flagCareCircle(viewer, circleId, reason, note);
  }

  askProfessionalHelp(
    viewer: Viewer,
    input: { helpRequestId?: string | null; personId?: string | null; circleId?: string | null; reason: FlagReason; note?: string | null; urgency?: Urgency | null },
  ) {
    return this.triggers.askProfessionalHelp(viewer, input);
  }

  // ---- the team queue ------------------------------------------------------------------------

  get(viewer: Viewer, id: string): Promise<EscalationRow> {
    return this.teamQueue.get(viewer, id);
  }

  findVisible(viewer: Viewer, id: string): Promise<EscalationRow | null> {
    return this.teamQueue.findVisible(viewer, id);
  }

  find(id: string) {
    return this.teamQueue.find(id);
  }

  queue(viewer: Viewer, teamId: string, args: Parameters<TeamQueueService["queue"]>[2]) {
    return this.teamQueue.queue(viewer, teamId, args);
  }

  isOverdue(row: EscalationRow): boolean {
    return this.teamQueue.isOverdue(row);
  }

  acknowledge(viewer: Viewer, id: string) {
    return this.teamQueue.acknowledge(viewer, id);
  }

  assign(viewer: Viewer, id: string, professionalId: string) {
    return this.teamQueue.assign(viewer, id, professionalId);
  }

  startCare(viewer: Viewer, id: string) {
    return this.teamQueue.startCare(viewer, id);
  }

  close(viewer: Viewer, id: string, outcome: EscalationOutcome, note: string | null) {
    return this.teamQueue.close(viewer, id, outcome, note);
  }

  reroute(viewer: Viewer, id: string, leadTeamId: string, coTeamId: string | null, reason: string | null = null) {
    return this.teamQueue.reroute(viewer, id, leadTeamId, coTeamId, reason);
  }

  audit(row: EscalationRow) {
    return this.teamQueue.audit(row);
  }

  statusForRequest(viewer: Viewer, row: HelpRequestRow, load?: (helpRequestId: string) => Promise<EscalationRow | undefined>) {
    return this.teamQueue.statusForRequest(viewer, row, load);
  }

  latestForRequests(helpRequestIds: readonly string[]) {
    return this.teamQueue.latestForRequests(helpRequestIds);
  }

  auditsOf(escalationIds: readonly string[]) {
    return this.teamQueue.auditsOf(escalationIds);
  }

  // ---- consent and personal details ----------------------------------------------------------

  pseudonymisedCase(row: EscalationRow) {
    return this.consent.pseudonymisedCase(row);
  }

  personalDetails(viewer: Viewer, id: string) {
    return this.consent.personalDetails(viewer, id);
  }

  requestConsent(viewer: Viewer, id: string, note: string | null) {
    return this.consent.requestConsent(viewer, id, note);
  }

  giveConsent(viewer: Viewer, id: string, purpose: string | null) {
    return this.consent.giveConsent(viewer, id, purpose);
  }

  withdrawConsent(viewer: Viewer, id: string) {
    return this.consent.withdrawConsent(viewer, id);
  }

  consents(row: EscalationRow) {
    return this.consent.consents(row);
  }

  mayName(viewer: Viewer, row: EscalationRow, actorId: string): Promise<boolean> {
    return this.consent.mayName(viewer, row, actorId);
  }

  canFollow(viewer: Viewer, id: string): Promise<boolean> {
    return this.consent.canFollow(viewer, id);
  }

  followable(viewer: Viewer, id: string): Promise<EscalationRow> {
    return this.consent.followable(viewer, id);
  }
}
