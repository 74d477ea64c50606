import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { PersonService } from "../people/person.service.js";
import type { CareCircleService } from "./care-circle.service.js";
import type { CareRunningRepository } from "./care-running.repository.js";
import { CareReason as R } from "./care.errors.js";
import { changeWithEvents } from "./care.events.js";
import type { CircleRole } from "./care.tables.js";

/**
 * Running a circle: its coordinators see and withdraw open invitations, promote and demote members
 * (a circle with members always keeps at least one coordinator) and remove a member (leaving with a
 * successor is CareCircleService.leave). A coordinator of the municipality appoints one for a circle
 * nobody coordinates any more (docs/decisions.md).
 */
export class CareRunningService {
  constructor(
    private readonly repo: CareRunningRepository,
    private readonly circles: CareCircleService,
    private readonly people: PersonService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** Open invitations (not used, revoked or expired), for the circle's coordinators. */
  async openInvitations(viewer: Viewer, circleId: string) {
    await this.circles.requireCoordinator(viewer, circleId);
    return this.repo.openInvitations(circleId, this.clock.now());
  }

  /** Withdraws an open invitation, a code or an e-mailed one: it can no longer be used. */
  async revokeInvitation(viewer: Viewer, circleId: string, invitationId: string): Promise<boolean> {
    await this.circles.requireCoordinator(viewer, circleId);
    if (!(await this.repo.revokeInvitation(circleId, invitationId, this.clock.now()))) {
      throw conflict(R.INVITATION_NOT_OPEN, "This invitation was used, withdrawn or is not one of this circle's.");
    }
    return true;
  }

  /** Promotes a member to coordinator or demotes a coordinator (themselves included) to member. */
  async setRole(viewer: Viewer, circleId: string, personId: string, role: CircleRole) {
    const { circle } = await this.circles.requireCoordinator(viewer, circleId);
    const outcome = await changeWithEvents(
      this.outbox,
      () => this.repo.setRole(circleId, personId, role),
      (o) => (o === "OK" ? [[circleId, "COORDINATION_HANDED_OVER"]] : []),
    );
    if (outcome === "GONE") throw badInput(R.NOT_A_CIRCLE_MEMBER, "personId: must be a member of the circle", "personId");
    if (outcome === "LAST_COORDINATOR") throw conflict(R.LAST_COORDINATOR, "The circle needs at least one coordinator while it has members.");
    return circle;
  }

  /**
   * A coordinator removes another member: their future shifts open up as gaps for the others (and,
   * near their start, for volunteers), their pending swaps are withdrawn and their calendar feed stops.
   */
  async removeMember(viewer: Viewer, circleId: string, personId: string): Promise<boolean> {
    const { me } = await this.circles.requireCoordinator(viewer, circleId);
    if (personId === me.personId) throw badInput(R.INVALID_INPUT, "personId: to leave yourself, use leaveCareCircle", "personId");
    const outcome = await this.circles.endMembership(circleId, personId, null);
    if (!outcome.ok && outcome.reason === "GONE") throw badInput(R.NOT_A_CIRCLE_MEMBER, "personId: must be a member of the circle", "personId");
    if (!outcome.ok) throw conflict(R.LAST_COORDINATOR, "The circle needs at least one coordinator while it has members.");
    return true;
  }

  /** Municipality: circles nobody coordinates (their members, if any, cannot run them); ids and counts only. */
  async circlesWithoutCoordinator(viewer: Viewer) {
    this.requireMunicipal(viewer);
    return this.repo.circlesWithoutCoordinator();
  }

  /**
   * Municipality: makes a person coordinator of a circle that has none (after its coordinator died or
   * everyone left), e.g. a relative who asked at the desk. The appointee reads the circle from then on
   * as any coordinator does; the municipality itself does not.
   */
  async appoint(viewer: Viewer, circleId: string, personId: string) {
    this.requireMunicipal(viewer);
    const circle = await this.circles.findCircleRow(circleId);
    if (!circle) throw notFound(R.CARE_CIRCLE_NOT_FOUND, "No care circle with this id.");
    if (!(await this.people.findById(personId))) throw notFound(R.PERSON_NOT_FOUND, "No person with this id.");
    const ok = await changeWithEvents(
      this.outbox,
      () => this.repo.appoint(circleId, personId, this.clock.now()),
      (done) => (done ? [[circleId, "COORDINATION_HANDED_OVER"]] : []),
    );
    if (!ok) throw conflict(R.CIRCLE_HAS_COORDINATOR, "This circle has a coordinator; they run it.");
    return circle;
  }

  /** The member shares their strain answers with the circle's coordinators, or stops sharing them. */
  async shareLoad(viewer: Viewer, circleId: string, share: boolean): Promise<boolean> {
    const { me } = await this.circles.getCircle(viewer, circleId);
    await this.repo.setShareLoad(circleId, me.personId, share);
    return share;
  }

  private requireMunicipal(viewer: Viewer) {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(R.MUNICIPAL_COORDINATOR_ONLY, "Only a coordinator of the municipality can do this.");
    return v;
  }
}
