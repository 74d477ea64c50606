import type { Clock } from "../../shared/clock.js";
import { badInput, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { CareCircleService } from "./care-circle.service.js";
import type { CareMessageRepository } from "./care-message.repository.js";
import type { CareScheduleRepository } from "./care-schedule.repository.js";
import { CareReason as R } from "./care.errors.js";
import { changeWithEvents } from "./care.events.js";
import type { MessageRow, ShiftRow } from "./care.rows.js";

const MAX_BODY = 1000;

/**
 * Talking to each other: a short message thread per circle (with announcements by its coordinators)
 * and per shift ("the key is with the neighbour"). A circle's thread is for its current members; a
 * shift's thread also for the volunteer who covers that shift through its help request, only while
 * they cover it. The text never leaves these threads: the circle's live feed and any notification
 * carry only that a message was posted, with ids (MESSAGE_POSTED).
 */
export class CareMessageService {
  constructor(
    private readonly repo: CareMessageRepository,
    private readonly shifts: Pick<CareScheduleRepository, "findShift">,
    private readonly circles: CareCircleService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** Posts to the circle's thread; an announcement only by a coordinator. */
  async postToCircle(viewer: Viewer, circleId: string, body: string, announcement: boolean): Promise<MessageRow> {
    const { me } = await this.circles.getCircle(viewer, circleId);
    if (announcement && me.role !== "COORDINATOR") throw forbidden(R.CARE_MESSAGE_NOT_ALLOWED, "Only the circle's coordinators can post an announcement.");
    return this.post({ circleId, shiftId: null, authorId: me.personId, announcement, body: checkBody(body) });
  }

  /** Posts to a shift's thread, as a member of its circle or as the volunteer covering it. */
  async postToShift(viewer: Viewer, shiftId: string, body: string): Promise<MessageRow> {
    const shift = await this.readableShift(viewer, shiftId);
    return this.post({ circleId: shift.circleId, shiftId, authorId: requireViewer(viewer).personId, announcement: false, body: checkBody(body) });
  }

  /** The circle's thread, for its members: the latest `last` messages before `before`, oldest first. */
  async circleThread(viewer: Viewer, circleId: string, last: number, before?: Date | null): Promise<MessageRow[]> {
    await this.circles.getCircle(viewer, circleId);
    return this.repo.thread(circleId, null, clamp(last), before ? { at: before, id: "\uffff" } : undefined);
  }

  /** A shift's thread, for members of its circle and the volunteer covering it (while they do). */
  async shiftThread(viewer: Viewer, shiftId: string, last: number, before?: Date | null): Promise<MessageRow[]> {
    const shift = await this.readableShift(viewer, shiftId);
    return this.repo.thread(shift.circleId, shiftId, clamp(last), before ? { at: before, id: "\uffff" } : undefined);
  }

  /**
   * Who reads and writes a shift's thread: the current members of its circle, and the volunteer who
   * holds the shift through the help request posted for its gap while it is COVERED by them (not
   * before they accept, not after they release it or it ends). Anyone else: NOT_FOUND, as for the shift.
   */
  private async readableShift(viewer: Viewer, shiftId: string): Promise<ShiftRow> {
    const v = requireViewer(viewer);
    const shift = await this.shifts.findShift(shiftId);
    const covering = !!shift && shift.assigneeId === v.personId && shift.helpRequestId !== null && shift.status === "COVERED";
    if (!shift || !(covering || (await this.circles.member(shift.circleId, v.personId)))) {
      throw notFound(R.CARE_SHIFT_NOT_FOUND, "No care shift with this id is visible to you.");
    }
    return shift;
  }

  private async post(input: Omit<MessageRow, "id" | "createdAt">): Promise<MessageRow> {
    const row: MessageRow = { ...input, id: newId("CareMessage"), createdAt: this.clock.now() };
    await changeWithEvents(
      this.outbox,
      () => this.repo.insert(row),
      () => [[row.circleId, "MESSAGE_POSTED", row.shiftId ?? undefined]],
    );
    return row;
  }
}

function checkBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_BODY) throw badInput(R.INVALID_INPUT, "body: must be 1 to 1000 characters", "body");
  return trimmed;
}

function clamp(last: number): number {
  return Math.min(100, Math.max(1, Math.trunc(last)));
}
