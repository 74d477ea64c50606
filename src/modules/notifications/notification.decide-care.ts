import type { Clock } from "../../shared/clock.js";
import { type Decider, type Decision, NOTHING, type Wanted, notTheActor } from "./notification.decision.js";
import type { NotificationKind } from "./notification.kinds.js";
import type { LogEntry, NotificationRepository } from "./notification.repository.js";
import type { CareForNotifications } from "./notification.sources.js";
import type { DeliveryParams } from "./notifications.tables.js";

/** A circle's topic (care.events.ts careTopic): the event's id is the shift, or the circle when none. */
const CARE_TOPIC_PREFIX = "care-circle.changed.";
/** What the members who could take a shift hear when it is open again. */
const OPEN_AGAIN: Record<string, NotificationKind | undefined> = { SHIFT_RELEASED: "CARE_SHIFT_RELEASED", COVER_REQUESTED: "CARE_COVER_REQUESTED" };
/** A circle's invitations sent by e-mail (care.events.ts careInvitationTopic): the event's id is the invitation. */
const INVITATION_TOPIC_PREFIX = "care-invitation.";

/**
 * Care circles. Who is told is read when the event is decided, so someone who left the circle (or gave up
 * coordinating) in between is not. Messages name a shift's time, never its task or care notes, which can
 * be health details.
 */
export class CareDecider implements Decider {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly care: CareForNotifications,
    private readonly clock: Clock,
  ) {}

  reads(event: LogEntry): boolean {
    if (event.topic.startsWith(INVITATION_TOPIC_PREFIX)) return event.kind === "INVITATION_SENT";
    return event.topic.startsWith(CARE_TOPIC_PREFIX) && (event.kind in OPEN_AGAIN || event.kind === "SWAP_PROPOSED" || event.kind === "GAP_POSTED" || event.kind === "GAP_COVERED");
  }

  decide(event: LogEntry): Promise<Decision> {
    if (event.topic.startsWith(INVITATION_TOPIC_PREFIX)) return this.invitation(event);
    if (event.kind in OPEN_AGAIN) return this.openAgain(event, OPEN_AGAIN[event.kind]!);
    if (event.kind === "GAP_COVERED") return this.gapCovered(event);
    return this.careShift(event);
  }

  /**
   * A swap proposed (the member asked) or a shift posted to volunteers because nobody in the circle took
   * it (the circle's coordinators).
   */
  private async careShift(event: LogEntry): Promise<Decision> {
    const shift = await this.care.shift(event.id);
    if (!shift) return NOTHING;
    const params: DeliveryParams = { startsAt: shift.startsAt.getTime(), shiftId: event.id };
    if (event.kind === "SWAP_PROPOSED") {
      const swap = await this.repo.pendingSwap(event.id);
      // Already answered or withdrawn: nothing to ask any more.
      if (!swap) return NOTHING;
      return { subjectId: shift.circleId, urgent: false, list: [{ personId: swap.toId, kind: "CARE_SWAP_PROPOSED", params }] };
    }
    const coordinators = (await this.care.members(shift.circleId)).filter((m) => m.role === "COORDINATOR").map((m) => m.personId);
    return { subjectId: shift.circleId, urgent: false, list: coordinators.map((personId): Wanted => ({ personId, kind: "CARE_GAP_POSTED", params })) };
  }

  /**
   * A shift given back (or its cover asked): the circle's other members who could take it, those who do
   * not hold another shift then. Not the one who gave it back, and nobody once it is taken again or has
   * started: there is nothing left to take.
   */
  private async openAgain(event: LogEntry, kind: NotificationKind): Promise<Decision> {
    const shift = await this.care.shift(event.id);
    if (!shift || shift.status !== "OPEN" || shift.assigneeId !== null || shift.startsAt.getTime() <= this.clock.now().getTime()) return NOTHING;
    const members = (await this.care.members(shift.circleId)).map((m) => m.personId).filter((id) => id !== shift.releasedById);
    const busy = await this.care.holdingBetween(members, shift.startsAt, shift.endsAt);
    const params: DeliveryParams = { startsAt: shift.startsAt.getTime(), shiftId: event.id };
    const list = members.filter((id) => !busy.has(id)).map((personId): Wanted => ({ personId, kind, params }));
    return { subjectId: shift.circleId, urgent: false, list };
  }

  /**
   * An invitation e-mailed to an address that has an account: that account, once, while the invitation
   * can still be used and they are not in the circle already. An address without an account was mailed
   * by the care module itself; nothing to decide. The message names the inviter's first name only.
   */
  private async invitation(event: LogEntry): Promise<Decision> {
    const inv = await this.care.invitation(event.id);
    if (!inv?.inviteePersonId || inv.used || inv.expiresAt.getTime() <= this.clock.now().getTime()) return NOTHING;
    const invitee = inv.inviteePersonId;
    if ((await this.care.members(inv.circleId)).some((m) => m.personId === invitee)) return NOTHING;
    return { subjectId: event.id, urgent: false, list: [{ personId: invitee, kind: "CARE_INVITATION", params: { inviterName: inv.inviterFirstName } }] };
  }

  /** A volunteer took a shift posted to volunteers: the circle's coordinators, while the volunteer still holds it. */
  private async gapCovered(event: LogEntry): Promise<Decision> {
    const shift = await this.care.shift(event.id);
    if (!shift || shift.status !== "COVERED" || shift.assigneeId === null) return NOTHING;
    const coordinators = (await this.care.members(shift.circleId)).filter((m) => m.role === "COORDINATOR").map((m) => m.personId);
    const params: DeliveryParams = { startsAt: shift.startsAt.getTime(), shiftId: event.id };
    const list = coordinators.map((personId): Wanted => ({ personId, kind: "CARE_GAP_COVERED", params }));
    return { subjectId: shift.circleId, urgent: false, list: notTheActor(list, shift.assigneeId) };
  }
}
