import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { CareCircleService } from "./care-circle.service.js";
import type { CareScheduleRepository } from "./care-schedule.repository.js";
import { CareReason as R } from "./care.errors.js";
import { type CareEvent, changeWithEvents } from "./care.events.js";
import type { ShiftRow, SwapRow, TaskRow } from "./care.rows.js";
import type { ShiftStatus } from "./care.tables.js";

/** The title and care notes a shift had (they follow its task until it starts), falling back to the task for old shifts. */
export function shiftText(shift: ShiftRow, task: TaskRow | undefined): { title: string; notes: string | null } {
  if (shift.title !== null) return { title: shift.title, notes: shift.notes };
  return { title: task?.title ?? "", notes: task?.notes ?? null };
}

/**
 * The schedule: who sees which shift and its care notes, sign-up, give-back, cover and swaps between
 * members, and how each shift ends (DONE or MISSED).
 */
export class CareScheduleService {
  constructor(
    private readonly repo: CareScheduleRepository,
    private readonly circles: CareCircleService,
    private readonly helpRequests: HelpRequestService,
    private readonly accessLog: AccessLogService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  // ---- seeing shifts -----------------------------------------------------------------------

  async shifts(viewer: Viewer, circleId: string, args: PageArgs & { from?: Date | null; to?: Date | null; statuses?: ShiftStatus[] | null }) {
    await this.circles.getCircle(viewer, circleId);
    // A cursor pages the list it came from: this circle, with these bounds and statuses.
    const scope = cursorScope(`CareCircle.shifts.${circleId}`, { from: args.from?.getTime(), to: args.to?.getTime(), statuses: args.statuses });
    return this.repo.shifts({ circleId, from: args.from ?? this.clock.now(), to: args.to ?? null, statuses: args.statuses ?? null }, pageRequest(args, scope), scope);
  }

  /** Shifts the viewer holds, in any circle (members, and volunteers covering a gap). */
  async myShifts(viewer: Viewer, args: PageArgs & { from?: Date | null; to?: Date | null }) {
    const v = requireViewer(viewer);
    const scope = cursorScope("Query.myCareShifts", { from: args.from?.getTime(), to: args.to?.getTime() });
    return this.repo.shifts(
      { assigneeId: v.personId, from: args.from ?? this.clock.now(), to: args.to ?? null, statuses: ["COVERED", "DONE", "MISSED"] },
      pageRequest(args, scope),
      scope,
    );
  }

  /** Shifts a person holds (covered, done) that touch [from, to), for load and the calendar; no check on who asks. */
  heldShifts(personId: string, from: Date, to: Date, circleId?: string) {
    return this.repo.heldShifts(personId, from, to, circleId);
  }

  /** A shift for a member of its circle, or for whoever holds it (a volunteer covering a gap). */
  async getShift(viewer: Viewer, id: string): Promise<ShiftRow> {
    const v = requireViewer(viewer);
    const shift = await this.repo.findShift(id);
    if (!shift || !(shift.assigneeId === v.personId || (await this.circles.member(shift.circleId, v.personId)))) {
      throw notFound(R.CARE_SHIFT_NOT_FOUND, "No care shift with this id is visible to you.");
    }
    return shift;
  }

  async findVisibleShift(viewer: Viewer, id: string): Promise<ShiftRow | null> {
    try {
      return await this.getShift(viewer, id);
    } catch {
      return null;
    }
  }

  /** A swap for the members of its shift's circle (node lookups); null otherwise. */
  async findVisibleSwap(viewer: Viewer, id: string): Promise<SwapRow | null> {
    const swap = await this.repo.findSwap(id);
    const shift = swap && (await this.repo.findShift(swap.shiftId));
    return swap && shift && (await this.circles.findVisibleCircle(viewer, shift.circleId)) ? swap : null;
  }

  /**
   * Care notes: members of the circle; someone who is not a member (a volunteer covering a gap, a
   * member who left) only for the shift they hold, from the match until that shift ends.
   */
  async canSeeNotes(viewer: Viewer, shift: ShiftRow): Promise<boolean> {
    if (!viewer.personId) return false;
    if ((await this.circles.member(shift.circleId, viewer.personId)) !== undefined) return true;
    return shift.assigneeId === viewer.personId && shift.status === "COVERED" && shift.endsAt.getTime() > this.clock.now().getTime();
  }

  /**
   * A shift's care notes for the viewer, or null when they may not read them. Care notes are health
   * details of the care receiver: every read by someone else is written to the access log.
   */
  async notesFor(viewer: Viewer, shift: ShiftRow, notes: string | null): Promise<string | null> {
    if (!(await this.canSeeNotes(viewer, shift))) return null;
    if (notes) {
      const circle = await this.circles.findCircleRow(shift.circleId);
      const covering = shift.assigneeId === viewer.personId && (await this.circles.member(shift.circleId, viewer.personId!)) === undefined;
      if (circle) await this.accessLog.record(viewer.personId!, circle.careReceiverId, ["careNotes"], covering ? "covering volunteer" : "care circle member", shift.id, { viewer });
    }
    return notes;
  }

  // ---- holding shifts ----------------------------------------------------------------------

  async claim(viewer: Viewer, shiftId: string): Promise<ShiftRow> {
    const shift = await this.getShift(viewer, shiftId);
    const { me } = await this.circles.getCircle(viewer, shift.circleId);
    if (shift.startsAt.getTime() <= this.clock.now().getTime()) throw conflict(R.SHIFT_NOT_OPEN, "This shift has already started.");
    const { outcome, withdrawRequest } = await changeWithEvents(
      this.outbox,
      () => this.repo.claim(shiftId, me.personId, this.clock.now()),
      (o) => (o.outcome === "OK" ? [[shift.circleId, "SHIFT_CLAIMED", shiftId]] : []),
    );
    if (outcome === "NOT_OPEN") throw conflict(R.SHIFT_NOT_OPEN, "Someone else holds this shift already.");
    if (outcome === "OVERLAP") throw conflict(R.SHIFT_OVERLAP, "You already hold a shift at that time.");
    // A member took it after all: the request to volunteers is no longer needed, and the shift no longer points at it.
    if (withdrawRequest) await this.helpRequests.cancelBySystem(withdrawRequest, "A member of the care circle took this shift.");
    return (await this.repo.findShift(shiftId))!;
  }

  /** Gives a shift back to the circle; with `askCover` the circle is asked to take it over. */
  async release(viewer: Viewer, shiftId: string, askCover: boolean): Promise<ShiftRow> {
    const v = requireViewer(viewer);
    const shift = await this.getShift(v, shiftId);
    if (shift.assigneeId !== v.personId) throw forbidden(R.NOT_YOUR_SHIFT, "Only the member holding this shift can give it back.");
    if (shift.helpRequestId) {
      const request = await this.helpRequests.findRow(shift.helpRequestId);
      if (request && request.volunteerId === v.personId && (request.status === "MATCHED" || request.status === "IN_PROGRESS")) {
        throw conflict(R.SHIFT_CHANGED, "This shift is covered through a volunteer request; release that request instead.");
      }
    }
    const released = await changeWithEvents(
      this.outbox,
      () => this.repo.release(shiftId, v.personId, askCover, this.clock.now()),
      (ok) => (ok ? [[shift.circleId, askCover ? "COVER_REQUESTED" : "SHIFT_RELEASED", shiftId]] : []),
    );
    if (!released) throw conflict(R.SHIFT_CHANGED, "The shift changed or has started; reload it.");
    return (await this.repo.findShift(shiftId))!;
  }

  // ---- swaps -------------------------------------------------------------------------------

  async proposeSwap(viewer: Viewer, shiftId: string, toPersonId: string) {
    const v = requireViewer(viewer);
    const shift = await this.getShift(v, shiftId);
    if (shift.assigneeId !== v.personId || shift.status !== "COVERED") {
      throw forbidden(R.NOT_YOUR_SHIFT, "Only the member holding this shift can propose a swap.");
    }
    if (toPersonId === v.personId || !(await this.circles.member(shift.circleId, toPersonId))) {
      throw badInput(R.NOT_A_CIRCLE_MEMBER, "toPersonId: must be another member of the circle", "toPersonId");
    }
    const swap: SwapRow = { id: newId("CareSwap"), shiftId, fromId: v.personId, toId: toPersonId, status: "PENDING", createdAt: this.clock.now(), decidedAt: null };
    await changeWithEvents(
      this.outbox,
      () => this.repo.insertSwap(swap),
      () => [[shift.circleId, "SWAP_PROPOSED", shiftId]],
    );
    return swap;
  }

  async respondToSwap(viewer: Viewer, swapId: string, accept: boolean) {
    const v = requireViewer(viewer);
    const swap = await this.repo.findSwap(swapId);
    const shift = swap && (await this.repo.findShift(swap.shiftId));
    if (!swap || !shift || !(await this.circles.member(shift.circleId, v.personId))) {
      throw notFound(R.SWAP_NOT_FOUND, "No swap with this id is visible to you.");
    }
    if (swap.toId !== v.personId) throw forbidden(R.NOT_THE_SWAP_TARGET, "Only the member asked can answer this swap.");
    const outcome = await changeWithEvents(
      this.outbox,
      () => this.repo.decideSwap(swap, accept, this.clock.now()),
      (o) => (o === "OK" ? [[shift.circleId, accept ? "SWAP_ACCEPTED" : "SWAP_DECLINED", shift.id]] : []),
    );
    if (outcome === "NOT_PENDING") throw conflict(R.SWAP_NOT_PENDING, "This swap was already answered or withdrawn.");
    if (outcome === "OVERLAP") throw conflict(R.SHIFT_OVERLAP, "You already hold a shift at that time.");
    if (outcome === "SHIFT_CHANGED") throw conflict(R.SHIFT_CHANGED, "The shift changed in the meantime.");
    return (await this.repo.findSwap(swapId))!;
  }

  pendingSwaps(circleId: string) {
    return this.repo.pendingSwaps(circleId);
  }

  /** Withdraws the pending swaps nobody can accept any more (the sweep). */
  async withdrawStaleSwaps(now: Date): Promise<void> {
    await changeWithEvents(
      this.outbox,
      () => this.repo.withdrawStaleSwaps(now),
      (rows) => rows.map((w): CareEvent => [w.circleId, "SWAP_WITHDRAWN", w.shiftId]),
    );
  }

  // ---- how shifts end ----------------------------------------------------------------------

  /** After a shift started: the holder or the coordinator records whether it happened. */
  async recordOutcome(viewer: Viewer, shiftId: string, outcome: "DONE" | "MISSED"): Promise<ShiftRow> {
    const v = requireViewer(viewer);
    const shift = await this.getShift(v, shiftId);
    const member = await this.circles.member(shift.circleId, v.personId);
    if (shift.assigneeId !== v.personId && member?.role !== "COORDINATOR") {
      throw forbidden(R.NOT_YOUR_SHIFT, "Only the holder or the coordinator can record how a shift went.");
    }
    if (shift.startsAt.getTime() > this.clock.now().getTime()) throw conflict(R.SHIFT_NOT_STARTED, "This shift has not started yet.");
    const marked = await changeWithEvents(
      this.outbox,
      () => this.repo.setOutcome(shiftId, outcome, this.clock.now()),
      (ok) => (ok ? [[shift.circleId, outcome === "DONE" ? "SHIFT_DONE" : "SHIFT_MISSED", shiftId]] : []),
    );
    if (!marked) throw conflict(R.SHIFT_CHANGED, "This shift cannot be marked.");
    return (await this.repo.findShift(shiftId))!;
  }

  /** Open shifts that ended were missed (the sweep). Returns how many. */
  async markMissed(now: Date): Promise<number> {
    const missed = await changeWithEvents(
      this.outbox,
      () => this.repo.markMissed(now),
      (rows) => rows.map((s): CareEvent => [s.circleId, "SHIFT_MISSED", s.id]),
    );
    return missed.length;
  }

  /**
   * Closes covered shifts that ended without an outcome (the sweep). A member's shift is taken as DONE
   * (the holder or the coordinator can still record MISSED). A shift covered through a volunteer
   * request follows that request: DONE when it was completed or started, MISSED when the volunteer
   * never started; if the request reaches DONE or "did not happen" later, the shift follows it then.
   * Returns how many were closed as MISSED.
   */
  async closeEnded(now: Date): Promise<number> {
    let missed = 0;
    for (const shift of await this.repo.coveredEnded(now)) {
      let outcome: "DONE" | "MISSED" = "DONE";
      if (shift.helpRequestId) {
        const request = await this.helpRequests.findRow(shift.helpRequestId);
        if (request && request.volunteerId === shift.assigneeId) outcome = request.status === "DONE" || request.status === "IN_PROGRESS" ? "DONE" : "MISSED";
      }
      const closed = await changeWithEvents(
        this.outbox,
        () => this.repo.closeCovered(shift.id, outcome, now),
        (ok) => (ok ? [[shift.circleId, outcome === "DONE" ? "SHIFT_DONE" : "SHIFT_MISSED", shift.id]] : []),
      );
      if (closed && outcome === "MISSED") missed++;
    }
    return missed;
  }

  /** Sets a shift's outcome without a check on who asks (a gap's volunteer request ended). */
  setOutcome(shiftId: string, outcome: "DONE" | "MISSED", now: Date) {
    return this.repo.setOutcome(shiftId, outcome, now);
  }
}
