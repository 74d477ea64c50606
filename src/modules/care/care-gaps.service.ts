import { DateTime } from "luxon";
import type { Clock } from "../../shared/clock.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { CareCircleService } from "./care-circle.service.js";
import type { CareGapsRepository } from "./care-gaps.repository.js";
import type { CareScheduleService } from "./care-schedule.service.js";
import type { CareTaskService } from "./care-task.service.js";
import { type CareEvent, type CareEventKind, changeWithEvents, emitCareEvents } from "./care.events.js";
import type { ShiftRow } from "./care.rows.js";
import type { CareSettings } from "./care.settings.js";
import { CARE_ZONE } from "./recurrence.js";

const HOUR = 3600_000;

/**
 * Gaps: an open shift close to its start that nobody in the circle took becomes a help request to
 * volunteers (exactly one per gap), and the shift then follows that request: covered when a volunteer
 * accepts, open again when they release it, DONE or MISSED as it ends.
 */
export class CareGapsService {
  constructor(
    private readonly repo: CareGapsRepository,
    private readonly circles: CareCircleService,
    private readonly tasks: CareTaskService,
    private readonly schedule: CareScheduleService,
    private readonly helpRequests: HelpRequestService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly settings: Pick<CareSettings, "gapLeadHours">,
  ) {
    helpRequests.onChange((row) => this.onHelpRequestChanged(row));
  }

  /** Posts the gaps starting within the lead time to volunteers (the sweep). Returns how many. */
  async postGaps(now: Date): Promise<number> {
    let gapsPosted = 0;
    for (const gap of await this.repo.gaps(now, new Date(now.getTime() + this.settings.gapLeadHours * HOUR))) {
      const id = newId("HelpRequest");
      if (await this.repo.reserveGap(gap.id, id, now)) {
        await this.createGapRequest({ ...gap, helpRequestId: id });
        gapsPosted += 1;
      }
    }
    return gapsPosted;
  }

  private async createGapRequest(shift: ShiftRow): Promise<HelpRequestRow | undefined> {
    const [task, circle] = await Promise.all([this.tasks.findTask(shift.taskId), this.circles.findCircleRow(shift.circleId)]);
    if (!task || !circle || !shift.helpRequestId) return undefined;
    const coordinator = (await this.circles.members(circle.id)).find((m) => m.role === "COORDINATOR");
    const when = DateTime.fromJSDate(shift.startsAt, { zone: CARE_ZONE }).setLocale("nl").toFormat("cccc d LLLL HH:mm");
    const row = await this.helpRequests.createInternal({
      id: shift.helpRequestId,
      askedById: coordinator?.personId ?? circle.createdById,
      personHelpedId: circle.careReceiverId,
      categoryId: task.categoryId,
      neighbourhoodId: circle.neighbourhoodId,
      title: task.title,
      description: `Nobody in the care circle can take this shift (${when}). Can you help?`,
      urgency: shift.startsAt.getTime() - this.clock.now().getTime() < 24 * HOUR ? "HIGH" : "NORMAL",
      vogRequired: task.vogRequired,
      windowStart: shift.startsAt,
      windowEnd: shift.endsAt,
    });
    await emitCareEvents(this.outbox, [[circle.id, "GAP_POSTED", shift.id]]);
    return row;
  }

  /** Repairs what a crash between two steps may have left: a reserved request never created, or a shift out of step with its request. */
  async reconcileRequests(now: Date) {
    for (const shift of await this.repo.shiftsWithRequests(new Date(now.getTime() - 24 * HOUR))) {
      const request = await this.helpRequests.findRow(shift.helpRequestId!);
      if (!request) {
        if (shift.status === "OPEN" && shift.startsAt > now) await this.createGapRequest(shift);
        continue;
      }
      await this.onHelpRequestChanged(request);
    }
  }

  /** Keeps a gap shift in step with its volunteer request. */
  private async onHelpRequestChanged(row: HelpRequestRow): Promise<void> {
    const shift = await this.repo.findShiftByHelpRequest(row.id);
    if (!shift) return;
    const now = this.clock.now();
    // A request that ends without the help (expired, or confirmed as not having happened) leaves a
    // shift its volunteer held, and that already started, MISSED; one completed leaves it DONE.
    const status = row.status as string;
    const held = shift.assigneeId !== null && shift.assigneeId === row.volunteerId;
    const notHappened = held && (status === "EXPIRED" || status === "NOT_HAPPENED") && shift.startsAt.getTime() <= now.getTime();
    const kind: CareEventKind = row.status === "OPEN" ? "SHIFT_RELEASED" : row.status === "DONE" ? "SHIFT_DONE" : notHappened ? "SHIFT_MISSED" : "SHIFT_CLAIMED";
    let covered = false;
    await changeWithEvents(
      this.outbox,
      async () => {
        if ((row.status === "MATCHED" || row.status === "IN_PROGRESS") && row.volunteerId) {
          covered = await this.repo.coverByVolunteer(shift.id, row.volunteerId, now);
          return covered;
        }
        if (row.status === "OPEN" && shift.status === "COVERED" && shift.assigneeId) return this.repo.uncover(shift.id, shift.assigneeId, now);
        if (row.status === "DONE" && held && shift.status !== "DONE") return this.schedule.setOutcome(shift.id, "DONE", now);
        if (notHappened && (shift.status === "COVERED" || shift.status === "DONE")) return this.schedule.setOutcome(shift.id, "MISSED", now);
        return false;
      },
      // A gap covered is also said apart from a member's claim: the circle's coordinators hear of it.
      (changed) => (changed ? [[shift.circleId, kind, shift.id], ...(covered ? [[shift.circleId, "GAP_COVERED", shift.id] as CareEvent] : [])] : []),
    );
  }
}
