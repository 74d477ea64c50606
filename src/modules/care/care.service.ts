import { createHash, randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { cursorScope, decodeCursor, pageSize } from "../../shared/pagination.js";
import { optionalText, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import { MAX_WINDOW_MS, type HelpRequestService } from "../help-requests/help-request.service.js";
import type { TokenService } from "../people/auth.tokens.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { CareReason as R } from "./care.errors.js";
import type { CareRepository, CircleRow, MemberRow, RespiteRow, ShiftRow, SwapRow, TaskRow } from "./care.repository.js";
import type { LoadReason, Relation, ShiftStatus, Strain } from "./care.tables.js";
import { CARE_ZONE, isLocalDate, occurrences, weekOf } from "./recurrence.js";

export interface CareSettings {
  horizonWeeks: number;
  gapLeadHours: number;
  invitationTtlHours: number;
  sustainedOverloadDays: number;
  /** This many missed shifts within `missedShiftsDays` days raise a MISSED_SHIFTS signal for the circle. */
  missedShiftsLimit: number;
  missedShiftsDays: number;
  publicUrl: string;
}

/** SCP: intensive informal care is more than 8 hours a week for more than three months. */
export const INTENSIVE_HOURS_PER_WEEK = 8;
export const INTENSIVE_WEEKS = 13;

const RELATIONS = ["FAMILY", "FRIEND", "NEIGHBOUR", "VOLUNTEER", "OTHER"] as const;
const HOUR = 3600_000;

const TaskSchema = z
  .object({
    title: text(1, 120),
    categoryId: z.string().min(1, "must not be empty"),
    notes: optionalText(2000),
    vogRequired: z.boolean().nullish(),
    startDate: z.string().refine(isLocalDate, "must be a date as YYYY-MM-DD"),
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM"),
    durationMinutes: z.number().int().min(5, "must be at least 5 minutes").max(24 * 60, "must be at most 24 hours"),
    weekdays: z
      .array(z.number().int().min(1, "must be 1 (Monday) to 7 (Sunday)").max(7, "must be 1 (Monday) to 7 (Sunday)"))
      .max(7)
      .nullish(),
    intervalWeeks: z.number().int().min(1, "must be at least 1").max(12, "must be at most 12").nullish(),
    endDate: z.string().refine(isLocalDate, "must be a date as YYYY-MM-DD").nullish(),
  })
  .refine((t) => !t.endDate || t.endDate >= t.startDate, { message: "must not be before startDate", path: ["endDate"] });

export type CircleEventKind =
  | "MEMBER_JOINED"
  | "MEMBER_LEFT"
  | "COORDINATION_HANDED_OVER"
  | "SHIFTS_CHANGED"
  | "SHIFT_CLAIMED"
  | "SHIFT_RELEASED"
  | "COVER_REQUESTED"
  | "SWAP_PROPOSED"
  | "SWAP_ACCEPTED"
  | "SWAP_DECLINED"
  | "SWAP_WITHDRAWN"
  | "SHIFT_DONE"
  | "SHIFT_MISSED"
  | "GAP_POSTED"
  | "LOAD_SIGNAL";

export const careTopic = (circleId: string) => `care-circle.changed.${circleId}`;

/** [circle, what happened, shift concerned] */
type CircleEvent = [string, CircleEventKind, string?];

export interface MemberLoad {
  personId: string;
  weeks: { weekStart: string; hours: number }[];
  averageHours: number;
  intensive: boolean;
  latestStrain: Strain | null;
  signals: { reason: LoadReason; since: Date; sustained: boolean; detail: string }[];
}

/**
 * Care circles (zorgnetwerken) of mantelzorgers: membership by single-use invitation, recurring care
 * tasks with shifts derived for a rolling horizon, sign-up, give-back, cover and swaps, gaps turned
 * into volunteer requests, load and respite, and private calendar feeds.
 */
export class CareService {
  constructor(
    private readonly repo: CareRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly helpRequests: HelpRequestService,
    private readonly tokens: TokenService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly settings: CareSettings,
    private readonly accessLog: AccessLogService,
  ) {
    helpRequests.onChange((row) => this.onHelpRequestChanged(row));
  }

  // ---- circles ---------------------------------------------------------------------------

  async createCircle(viewer: Viewer, input: { name: string; relation?: Relation | null; careReceiverId?: string | null; careReceiver?: unknown }) {
    const v = requireViewer(viewer);
    if (!hasRole(v, "MANTELZORGER")) throw forbidden(R.MANTELZORGER_ONLY, "Only a mantelzorger can start a care circle.");
    const name = parseInput(text(1, 120), input.name, "input.name");
    const relation = parseInput(z.enum(RELATIONS), input.relation ?? "FAMILY", "input.relation");
    let receiver;
    if (input.careReceiverId && input.careReceiver) {
      throw badInput("INVALID_INPUT", "input.careReceiver: give careReceiverId or careReceiver, not both", "input.careReceiver");
    } else if (input.careReceiverId) {
      receiver = await this.people.findById(input.careReceiverId);
      if (!receiver || (receiver.createdById !== v.personId && receiver.id !== v.personId)) {
        throw badInput(R.UNKNOWN_PERSON, "input.careReceiverId: not a person you registered", "input.careReceiverId");
      }
    } else if (input.careReceiver) {
      receiver = await this.people.createPersonHelped(v, input.careReceiver, "input.careReceiver");
    } else {
      throw badInput("INVALID_INPUT", "input.careReceiver: say who receives the care", "input.careReceiver");
    }
    if (!receiver.neighbourhoodId) {
      throw badInput("NEIGHBOURHOOD_REQUIRED", "input.careReceiver.neighbourhoodId: the care receiver needs a neighbourhood", "input.careReceiver");
    }
    const now = this.clock.now();
    const circle: CircleRow = { id: newId("CareCircle"), name, careReceiverId: receiver.id, neighbourhoodId: receiver.neighbourhoodId, createdById: v.personId, createdAt: now };
    await this.repo.insertCircle(circle, { personId: v.personId, role: "COORDINATOR", relation, joinedAt: now, leftAt: null, calendarVersion: 1 });
    return circle;
  }

  /** The circle if the viewer is a member; NOT_FOUND otherwise (its existence is not revealed). */
  async getCircle(viewer: Viewer, id: string): Promise<{ circle: CircleRow; me: MemberRow }> {
    const v = requireViewer(viewer);
    const [circle, me] = await Promise.all([this.repo.findCircle(id), this.repo.member(id, v.personId)]);
    if (!circle || !me) throw notFound(R.CIRCLE_NOT_FOUND, "No care circle with this id has you as a member.");
    return { circle, me };
  }

  async findVisibleCircle(viewer: Viewer, id: string): Promise<CircleRow | null> {
    if (!viewer.personId) return null;
    const member = await this.repo.member(id, viewer.personId);
    return member ? ((await this.repo.findCircle(id)) ?? null) : null;
  }

  /** The stored circle, without a membership check (for other modules' own rules). */
  findCircleRow(id: string) {
    return this.repo.findCircle(id);
  }

  myCircles(viewer: Viewer) {
    return this.repo.circlesOf(requireViewer(viewer).personId);
  }

  members(circleId: string) {
    return this.repo.members(circleId);
  }

  /** The care receiver's contact details, for members; each read is logged. */
  async careReceiverContact(viewer: Viewer, circle: CircleRow) {
    const { me } = await this.getCircle(viewer, circle.id);
    const person = await this.people.findById(circle.careReceiverId);
    if (!person) throw notFound("PERSON_NOT_FOUND", "The care receiver no longer exists.");
    await this.accessLog.record(me.personId, person.id, ["fullName", "address", "phone"], "care circle member", circle.id);
    return { fullName: [person.firstName, person.lastName].filter(Boolean).join(" "), address: person.address, phone: person.phone };
  }

  findTasksByIds(ids: readonly string[]) {
    return this.repo.findTasksByIds(ids);
  }

  private async requireCoordinator(viewer: Viewer, circleId: string) {
    const { circle, me } = await this.getCircle(viewer, circleId);
    if (me.role !== "COORDINATOR") throw forbidden(R.COORDINATOR_ONLY, "Only the circle's coordinator can do this.");
    return { circle, me, v: viewer as AuthenticatedViewer };
  }

  async invite(viewer: Viewer, circleId: string, relation: Relation | null | undefined, ttlHours?: number | null) {
    const { v } = await this.requireCoordinator(viewer, circleId);
    const rel = parseInput(z.enum(RELATIONS), relation ?? "FAMILY", "relation");
    const hours = parseInput(z.number().min(1).max(24 * 30), ttlHours ?? this.settings.invitationTtlHours, "expiresInHours");
    const code = randomBytes(9).toString("base64url");
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + hours * HOUR);
    await this.repo.insertInvitation({ id: newId("CareInvitation"), circleId, codeHash: hashCode(code), relation: rel, invitedById: v.personId, createdAt: now, expiresAt });
    return { code, expiresAt };
  }

  async join(viewer: Viewer, code: string) {
    const v = requireViewer(viewer);
    const result = await this.change(
      () => this.repo.redeem(hashCode(code.trim()), v.personId, this.clock.now()),
      (r) => (r.outcome === "OK" ? [[r.circleId!, "MEMBER_JOINED"]] : []),
    );
    switch (result.outcome) {
      case "UNKNOWN":
        throw notFound(R.INVITATION_UNKNOWN, "This invitation code is not known.");
      case "EXPIRED":
        throw conflict(R.INVITATION_EXPIRED, "This invitation has expired; ask for a new one.");
      case "USED":
        throw conflict(R.INVITATION_USED, "This invitation has already been used.");
      case "ALREADY_MEMBER":
        throw conflict(R.ALREADY_MEMBER, "You are already a member of this circle.");
    }
    return (await this.repo.findCircle(result.circleId!))!;
  }

  async leave(viewer: Viewer, circleId: string) {
    const { me } = await this.getCircle(viewer, circleId);
    if (me.role === "COORDINATOR") {
      throw conflict(R.COORDINATOR_MUST_HAND_OVER, "Hand coordination over to another member before leaving.");
    }
    await this.change(
      () => this.repo.leave(circleId, me.personId, this.clock.now()),
      ({ reopened, swapsWithdrawn }) => [
        [circleId, "MEMBER_LEFT"],
        ...swapsWithdrawn.map((id): CircleEvent => [circleId, "SWAP_WITHDRAWN", id]),
        ...reopened.map((id): CircleEvent => [circleId, "SHIFT_RELEASED", id]),
      ],
    );
    return true;
  }

  async handOver(viewer: Viewer, circleId: string, toPersonId: string) {
    const { me, circle } = await this.requireCoordinator(viewer, circleId);
    if (toPersonId === me.personId || !(await this.repo.member(circleId, toPersonId))) {
      throw badInput(R.NOT_A_MEMBER, "toPersonId: must be another member of the circle", "toPersonId");
    }
    const handedOver = await this.change(
      () => this.repo.handOver(circleId, me.personId, toPersonId),
      (ok) => (ok ? [[circleId, "COORDINATION_HANDED_OVER"]] : []),
    );
    if (!handedOver) {
      throw conflict(R.COORDINATOR_ONLY, "Coordination changed in the meantime; reload and try again.");
    }
    return circle;
  }

  // ---- tasks -----------------------------------------------------------------------------

  async addTask(viewer: Viewer, circleId: string, input: unknown): Promise<TaskRow> {
    await this.requireCoordinator(viewer, circleId);
    const data = parseInput(TaskSchema, input);
    await this.places.requireCategory(data.categoryId, "input.categoryId");
    const now = this.clock.now();
    const task: TaskRow = {
      id: newId("CareTask"),
      circleId,
      title: data.title,
      categoryId: data.categoryId,
      notes: data.notes,
      vogRequired: data.vogRequired ?? false,
      startDate: data.startDate,
      startTime: data.startTime,
      durationMinutes: data.durationMinutes,
      weekdays: [...new Set(data.weekdays ?? [])].sort(),
      intervalWeeks: data.intervalWeeks ?? 1,
      endDate: data.endDate ?? null,
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insertTask(task);
    await this.syncTask(task);
    return task;
  }

  /** Changes a task; future unclaimed shifts follow, claimed ones are kept and flagged. */
  async updateTask(viewer: Viewer, taskId: string, input: unknown): Promise<TaskRow> {
    const task = await this.repo.findTask(taskId);
    if (!task || !task.active) throw notFound(R.TASK_NOT_FOUND, "No care task with this id.");
    await this.requireCoordinator(viewer, task.circleId);
    const data = parseInput(TaskSchema, input);
    await this.places.requireCategory(data.categoryId, "input.categoryId");
    const set = {
      title: data.title,
      categoryId: data.categoryId,
      notes: data.notes,
      vogRequired: data.vogRequired ?? false,
      startDate: data.startDate,
      startTime: data.startTime,
      durationMinutes: data.durationMinutes,
      weekdays: [...new Set(data.weekdays ?? [])].sort(),
      intervalWeeks: data.intervalWeeks ?? 1,
      endDate: data.endDate ?? null,
      updatedAt: this.clock.now(),
    };
    await this.repo.updateTask(taskId, set);
    const updated = { ...task, ...set };
    await this.syncTask(updated);
    return updated;
  }

  async removeTask(viewer: Viewer, taskId: string): Promise<boolean> {
    const task = await this.repo.findTask(taskId);
    if (!task || !task.active) throw notFound(R.TASK_NOT_FOUND, "No care task with this id.");
    await this.requireCoordinator(viewer, task.circleId);
    await this.repo.updateTask(taskId, { active: false, updatedAt: this.clock.now() });
    await this.syncTask({ ...task, active: false });
    return true;
  }

  tasks(circleId: string) {
    return this.repo.tasksOf(circleId);
  }

  findTask(id: string) {
    return this.repo.findTask(id);
  }

  private async syncTask(task: TaskRow): Promise<void> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.settings.horizonWeeks * 7 * 24 * HOUR);
    const desired = task.active ? occurrences(task, now, until) : [];
    // A gap posted to volunteers that nobody accepted is still an unclaimed shift: when the task moves
    // or ends it follows, and its request is withdrawn first. One accepted meanwhile is held and stays.
    const wanted = new Map(desired.map((o) => [o.occurrence, o]));
    const withdrawn = new Set<string>();
    for (const shift of await this.repo.unheldShiftsWithRequest(task.id, now)) {
      const o = wanted.get(shift.occurrence);
      if (o && o.startsAt.getTime() === shift.startsAt.getTime() && o.endsAt.getTime() === shift.endsAt.getTime()) continue;
      const note = task.active ? "The care task changed: this shift moved." : "The care task ended: this shift is cancelled.";
      if (await this.helpRequests.cancelBySystem(shift.helpRequestId!, note)) withdrawn.add(shift.helpRequestId!);
    }
    await this.change(
      () => this.repo.syncShifts(task, desired, now, withdrawn),
      (changed) => (changed ? [[task.circleId, "SHIFTS_CHANGED"]] : []),
    );
  }

  // ---- shifts ----------------------------------------------------------------------------

  async shifts(viewer: Viewer, circleId: string, args: { from?: Date | null; to?: Date | null; statuses?: ShiftStatus[] | null; first?: number | null; after?: string | null }) {
    await this.getCircle(viewer, circleId);
    // A cursor pages the list it came from: this circle, with these bounds and statuses.
    const scope = cursorScope(`CareCircle.shifts.${circleId}`, { from: args.from?.getTime(), to: args.to?.getTime(), statuses: args.statuses });
    return this.repo.shifts(
      { circleId, from: args.from ?? this.clock.now(), to: args.to ?? null, statuses: args.statuses ?? null },
      args.after ? decodeCursor(args.after, "after", scope) : null,
      pageSize(args.first),
      scope,
    );
  }

  /** Shifts the viewer holds, in any circle (members, and volunteers covering a gap). */
  async myShifts(viewer: Viewer, args: { from?: Date | null; to?: Date | null; first?: number | null; after?: string | null }) {
    const v = requireViewer(viewer);
    const scope = cursorScope("Query.myCareShifts", { from: args.from?.getTime(), to: args.to?.getTime() });
    return this.repo.shifts(
      { assigneeId: v.personId, from: args.from ?? this.clock.now(), to: args.to ?? null, statuses: ["COVERED", "DONE", "MISSED"] },
      args.after ? decodeCursor(args.after, "after", scope) : null,
      pageSize(args.first),
      scope,
    );
  }

  /** A shift for a member of its circle, or for whoever holds it (a volunteer covering a gap). */
  async getShift(viewer: Viewer, id: string): Promise<ShiftRow> {
    const v = requireViewer(viewer);
    const shift = await this.repo.findShift(id);
    if (!shift || !(shift.assigneeId === v.personId || (await this.repo.member(shift.circleId, v.personId)))) {
      throw notFound(R.SHIFT_NOT_FOUND, "No care shift with this id is visible to you.");
    }
    return shift;
  }

  /** A task for the members of its circle (node lookups); null otherwise. */
  async findVisibleTask(viewer: Viewer, id: string): Promise<TaskRow | null> {
    const task = await this.repo.findTask(id);
    return task && (await this.findVisibleCircle(viewer, task.circleId)) ? task : null;
  }

  /** A swap for the members of its shift's circle (node lookups); null otherwise. */
  async findVisibleSwap(viewer: Viewer, id: string): Promise<SwapRow | null> {
    const swap = await this.repo.findSwap(id);
    const shift = swap && (await this.repo.findShift(swap.shiftId));
    return swap && shift && (await this.findVisibleCircle(viewer, shift.circleId)) ? swap : null;
  }

  async findVisibleShift(viewer: Viewer, id: string): Promise<ShiftRow | null> {
    try {
      return await this.getShift(viewer, id);
    } catch {
      return null;
    }
  }

  /**
   * Care notes: members of the circle; someone who is not a member (a volunteer covering a gap, a
   * member who left) only for the shift they hold, from the match until that shift ends.
   */
  async canSeeNotes(viewer: Viewer, shift: ShiftRow): Promise<boolean> {
    if (!viewer.personId) return false;
    if ((await this.repo.member(shift.circleId, viewer.personId)) !== undefined) return true;
    return shift.assigneeId === viewer.personId && shift.status === "COVERED" && shift.endsAt.getTime() > this.clock.now().getTime();
  }

  /**
   * A shift's care notes for the viewer, or null when they may not read them. Care notes are health
   * details of the care receiver: every read by someone else is written to the access log.
   */
  async notesFor(viewer: Viewer, shift: ShiftRow, notes: string | null): Promise<string | null> {
    if (!(await this.canSeeNotes(viewer, shift))) return null;
    if (notes) {
      const circle = await this.repo.findCircle(shift.circleId);
      const covering = shift.assigneeId === viewer.personId && (await this.repo.member(shift.circleId, viewer.personId!)) === undefined;
      if (circle) await this.accessLog.record(viewer.personId!, circle.careReceiverId, ["careNotes"], covering ? "covering volunteer" : "care circle member", shift.id);
    }
    return notes;
  }

  /** The title and care notes a shift had (they follow its task until it starts), falling back to the task for old shifts. */
  static shiftText(shift: ShiftRow, task: TaskRow | undefined): { title: string; notes: string | null } {
    if (shift.title !== null) return { title: shift.title, notes: shift.notes };
    return { title: task?.title ?? "", notes: task?.notes ?? null };
  }

  async claim(viewer: Viewer, shiftId: string): Promise<ShiftRow> {
    const shift = await this.getShift(viewer, shiftId);
    const { me } = await this.getCircle(viewer, shift.circleId);
    if (shift.startsAt.getTime() <= this.clock.now().getTime()) throw conflict(R.SHIFT_TAKEN, "This shift has already started.");
    const { outcome, withdrawRequest } = await this.change(
      () => this.repo.claim(shiftId, me.personId, this.clock.now()),
      (o) => (o.outcome === "OK" ? [[shift.circleId, "SHIFT_CLAIMED", shiftId]] : []),
    );
    if (outcome === "NOT_OPEN") throw conflict(R.SHIFT_TAKEN, "Someone else holds this shift already.");
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
    const released = await this.change(
      () => this.repo.release(shiftId, v.personId, askCover, this.clock.now()),
      (ok) => (ok ? [[shift.circleId, askCover ? "COVER_REQUESTED" : "SHIFT_RELEASED", shiftId]] : []),
    );
    if (!released) throw conflict(R.SHIFT_CHANGED, "The shift changed or has started; reload it.");
    return (await this.repo.findShift(shiftId))!;
  }

  async proposeSwap(viewer: Viewer, shiftId: string, toPersonId: string) {
    const v = requireViewer(viewer);
    const shift = await this.getShift(v, shiftId);
    if (shift.assigneeId !== v.personId || shift.status !== "COVERED") {
      throw forbidden(R.NOT_YOUR_SHIFT, "Only the member holding this shift can propose a swap.");
    }
    if (toPersonId === v.personId || !(await this.repo.member(shift.circleId, toPersonId))) {
      throw badInput(R.NOT_A_MEMBER, "toPersonId: must be another member of the circle", "toPersonId");
    }
    const swap = { id: newId("CareSwap"), shiftId, fromId: v.personId, toId: toPersonId, status: "PENDING" as const, createdAt: this.clock.now(), decidedAt: null };
    await this.change(
      () => this.repo.insertSwap(swap),
      () => [[shift.circleId, "SWAP_PROPOSED", shiftId]],
    );
    return swap;
  }

  async respondToSwap(viewer: Viewer, swapId: string, accept: boolean) {
    const v = requireViewer(viewer);
    const swap = await this.repo.findSwap(swapId);
    const shift = swap && (await this.repo.findShift(swap.shiftId));
    if (!swap || !shift || !(await this.repo.member(shift.circleId, v.personId))) {
      throw notFound(R.SWAP_NOT_FOUND, "No swap with this id is visible to you.");
    }
    if (swap.toId !== v.personId) throw forbidden(R.NOT_SWAP_TARGET, "Only the member asked can answer this swap.");
    const outcome = await this.change(
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

  findSwap(id: string) {
    return this.repo.findSwap(id);
  }

  /** After a shift started: the holder or the coordinator records whether it happened. */
  async recordOutcome(viewer: Viewer, shiftId: string, outcome: "DONE" | "MISSED"): Promise<ShiftRow> {
    const v = requireViewer(viewer);
    const shift = await this.getShift(v, shiftId);
    const member = await this.repo.member(shift.circleId, v.personId);
    if (shift.assigneeId !== v.personId && member?.role !== "COORDINATOR") {
      throw forbidden(R.NOT_YOUR_SHIFT, "Only the holder or the coordinator can record how a shift went.");
    }
    if (shift.startsAt.getTime() > this.clock.now().getTime()) throw conflict(R.SHIFT_NOT_STARTED, "This shift has not started yet.");
    const marked = await this.change(
      () => this.repo.setOutcome(shiftId, outcome, this.clock.now()),
      (ok) => (ok ? [[shift.circleId, outcome === "DONE" ? "SHIFT_DONE" : "SHIFT_MISSED", shiftId]] : []),
    );
    if (!marked) throw conflict(R.SHIFT_CHANGED, "This shift cannot be marked.");
    return (await this.repo.findShift(shiftId))!;
  }

  // ---- sweeps ----------------------------------------------------------------------------

  /**
   * Time-based care work, safe to run on every instance at once: extend each task's shifts to the
   * horizon, mark open shifts that passed as MISSED, close covered shifts that ended (so every shift
   * ends DONE or MISSED), withdraw swaps nobody can accept any more, turn gaps into volunteer requests
   * (exactly one per gap), keep shifts in step with their requests, and refresh load and missed-shift
   * signals.
   */
  async sweep(): Promise<{ gapsPosted: number; missed: number }> {
    for (const task of await this.repo.activeTasks()) await this.syncTask(task);
    const now = this.clock.now();
    const missed = await this.change(
      () => this.repo.markMissed(now),
      (rows) => rows.map((s): CircleEvent => [s.circleId, "SHIFT_MISSED", s.id]),
    );
    const closedMissed = await this.closeEnded(now);
    await this.change(
      () => this.repo.withdrawStaleSwaps(now),
      (rows) => rows.map((w): CircleEvent => [w.circleId, "SWAP_WITHDRAWN", w.shiftId]),
    );
    let gapsPosted = 0;
    for (const gap of await this.repo.gaps(now, new Date(now.getTime() + this.settings.gapLeadHours * HOUR))) {
      const id = newId("HelpRequest");
      if (await this.repo.reserveGap(gap.id, id, now)) {
        await this.createGapRequest({ ...gap, helpRequestId: id });
        gapsPosted += 1;
      }
    }
    await this.reconcileRequests(now);
    for (const circleId of await this.repo.allCircleIds()) await this.evaluateLoad(circleId);
    await this.evaluateMissed(now);
    return { gapsPosted, missed: missed.length + closedMissed };
  }

  /**
   * Closes covered shifts that ended without an outcome. A member's shift is taken as DONE (the holder
   * or the coordinator can still record MISSED). A shift covered through a volunteer request follows
   * that request: DONE when it was completed or started, MISSED when the volunteer never started; if
   * the request reaches DONE or "did not happen" later, the shift follows it then. Returns how many
   * were closed as MISSED.
   */
  private async closeEnded(now: Date): Promise<number> {
    let missed = 0;
    for (const shift of await this.repo.coveredEnded(now)) {
      let outcome: "DONE" | "MISSED" = "DONE";
      if (shift.helpRequestId) {
        const request = await this.helpRequests.findRow(shift.helpRequestId);
        if (request && request.volunteerId === shift.assigneeId) outcome = request.status === "DONE" || request.status === "IN_PROGRESS" ? "DONE" : "MISSED";
      }
      const closed = await this.change(
        () => this.repo.closeCovered(shift.id, outcome, now),
        (ok) => (ok ? [[shift.circleId, outcome === "DONE" ? "SHIFT_DONE" : "SHIFT_MISSED", shift.id]] : []),
      );
      if (closed && outcome === "MISSED") missed++;
    }
    return missed;
  }

  /**
   * Missed shifts are the clearest sign of a circle in trouble: `missedShiftsLimit` of them within
   * `missedShiftsDays` days open a MISSED_SHIFTS signal for the circle (its person is the care
   * receiver), which the escalation module turns into one case; fewer resolve it.
   */
  private async evaluateMissed(now: Date): Promise<void> {
    const counts = await this.repo.missedCounts(new Date(now.getTime() - this.settings.missedShiftsDays * 24 * HOUR), now);
    const open = await this.repo.openSignals({ reasons: ["MISSED_SHIFTS"] });
    for (const [circleId, count] of counts) {
      if (count < this.settings.missedShiftsLimit) continue;
      const circle = await this.repo.findCircle(circleId);
      if (!circle) continue;
      const detail = `${count} missed shifts in the last ${this.settings.missedShiftsDays} days`;
      const isNew = !open.some((g) => g.circleId === circleId);
      await this.repo.raiseSignal(circleId, circle.careReceiverId, "MISSED_SHIFTS", detail, now);
      if (isNew) await this.emit([[circleId, "LOAD_SIGNAL"]]);
    }
    for (const g of open) {
      if ((counts.get(g.circleId) ?? 0) < this.settings.missedShiftsLimit) await this.repo.resolveSignal(g.circleId, g.personId, "MISSED_SHIFTS", now);
    }
  }

  /** Open MISSED_SHIFTS signals, for the escalation module. */
  missedShiftSignals() {
    return this.repo.openSignals({ reasons: ["MISSED_SHIFTS"] });
  }

  private async createGapRequest(shift: ShiftRow): Promise<HelpRequestRow | undefined> {
    const [task, circle] = await Promise.all([this.repo.findTask(shift.taskId), this.repo.findCircle(shift.circleId)]);
    if (!task || !circle || !shift.helpRequestId) return undefined;
    const coordinator = (await this.repo.members(circle.id)).find((m) => m.role === "COORDINATOR");
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
    await this.emit([[circle.id, "GAP_POSTED", shift.id]]);
    return row;
  }

  /** Repairs what a crash between two steps may have left: a reserved request never created, or a shift out of step with its request. */
  private async reconcileRequests(now: Date) {
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
    const kind: CircleEventKind = row.status === "OPEN" ? "SHIFT_RELEASED" : row.status === "DONE" ? "SHIFT_DONE" : notHappened ? "SHIFT_MISSED" : "SHIFT_CLAIMED";
    await this.change(
      async () => {
        if ((row.status === "MATCHED" || row.status === "IN_PROGRESS") && row.volunteerId) return this.repo.coverByVolunteer(shift.id, row.volunteerId, now);
        if (row.status === "OPEN" && shift.status === "COVERED" && shift.assigneeId) return this.repo.uncover(shift.id, shift.assigneeId, now);
        if (row.status === "DONE" && held && shift.status !== "DONE") return this.repo.setOutcome(shift.id, "DONE", now);
        if (notHappened && (shift.status === "COVERED" || shift.status === "DONE")) return this.repo.setOutcome(shift.id, "MISSED", now);
        return false;
      },
      (changed) => (changed ? [[shift.circleId, kind, shift.id]] : []),
    );
  }

  // ---- load and respite --------------------------------------------------------------------

  async checkIn(viewer: Viewer, circleId: string, strain: Strain, note: string | null) {
    const { me } = await this.getCircle(viewer, circleId);
    const s = parseInput(z.enum(["LOW", "MODERATE", "HIGH"]), strain, "strain");
    const n = note === null || note === undefined ? null : parseInput(optionalText(1000), note, "note");
    await this.repo.insertCheckin({ id: newId("CareCheckin"), circleId, personId: me.personId, strain: s, note: n, at: this.clock.now() });
    await this.evaluateLoad(circleId);
    return true;
  }

  /**
   * Hours per member per week from the shifts they hold, over the last `weeks` weeks (this one
   * included). The hours shown are this circle's part only; whether a member's care is intensive is
   * judged on their hours in all their circles together, as SCP counts a person's care.
   */
  async load(circleId: string, weeks = 4): Promise<MemberLoad[]> {
    const members = await this.repo.members(circleId);
    const now = this.clock.now();
    const thisWeek = DateTime.fromJSDate(now, { zone: CARE_ZONE }).startOf("week");
    const span = Math.max(weeks, INTENSIVE_WEEKS + 1);
    const from = thisWeek.minus({ weeks: span - 1 }).toJSDate();
    const to = thisWeek.plus({ weeks: 1 }).toJSDate();
    const [checkins, signals] = await Promise.all([this.repo.latestCheckins(circleId), this.repo.openSignals({ circleId, reasons: ["INTENSIVE_HOURS", "HIGH_STRAIN"] })]);
    const sustainedBefore = now.getTime() - this.settings.sustainedOverloadDays * 24 * HOUR;
    const out: MemberLoad[] = [];
    for (const m of members) {
      const held = await this.repo.heldShifts(m.personId, from, to);
      const here = new Map<string, number>();
      const everywhere = new Map<string, number>();
      for (let i = 0; i < span; i++) {
        here.set(thisWeek.minus({ weeks: i }).toISODate()!, 0);
        everywhere.set(thisWeek.minus({ weeks: i }).toISODate()!, 0);
      }
      for (const s of held) {
        const w = weekOf(s.startsAt);
        if (!everywhere.has(w)) continue;
        const hours = (s.endsAt.getTime() - s.startsAt.getTime()) / HOUR;
        everywhere.set(w, everywhere.get(w)! + hours);
        if (s.circleId === circleId) here.set(w, here.get(w)! + hours);
      }
      const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
      // Full weeks before this one decide "intensive": more than 8 hours in each of the last 13, in all circles.
      const past = sorted(everywhere).slice(-INTENSIVE_WEEKS - 1, -1);
      const shown = sorted(here).slice(-weeks).map(([weekStart, hours]) => ({ weekStart, hours: round(hours) }));
      out.push({
        personId: m.personId,
        weeks: shown,
        averageHours: round(shown.reduce((a, w) => a + w.hours, 0) / Math.max(1, shown.length)),
        intensive: past.length === INTENSIVE_WEEKS && past.every(([, h]) => h > INTENSIVE_HOURS_PER_WEEK),
        latestStrain: checkins.find((c) => c.personId === m.personId)?.strain ?? null,
        signals: signals
          .filter((s) => s.personId === m.personId)
          .map((s) => ({ reason: s.reason, since: s.since, detail: s.detail, sustained: s.since.getTime() <= sustainedBefore })),
      });
    }
    return out;
  }

  /** Opens or resolves the load signals of a circle's members (stored for the escalation module). */
  async evaluateLoad(circleId: string): Promise<void> {
    const now = this.clock.now();
    const loads = await this.load(circleId, 1);
    let raised = false;
    for (const l of loads) {
      if (l.intensive) {
        // One signal per person, however many circles they care in: it stays in the circle that raised it.
        const [open] = await this.repo.openSignals({ personId: l.personId, reasons: ["INTENSIVE_HOURS"] });
        await this.repo.raiseSignal(open?.circleId ?? circleId, l.personId, "INTENSIVE_HOURS", `More than ${INTENSIVE_HOURS_PER_WEEK} hours of care a week for ${INTENSIVE_WEEKS} weeks, over all their care circles`, now);
        raised ||= !open;
      } else {
        await this.repo.resolveSignalEverywhere(l.personId, "INTENSIVE_HOURS", now);
      }
      if (l.latestStrain === "HIGH") {
        const had = l.signals.some((s) => s.reason === "HIGH_STRAIN");
        await this.repo.raiseSignal(circleId, l.personId, "HIGH_STRAIN", "Reported high strain in the check-in", now);
        raised ||= !had;
      } else {
        await this.repo.resolveSignal(circleId, l.personId, "HIGH_STRAIN", now);
      }
    }
    if (raised) await this.emit([[circleId, "LOAD_SIGNAL"]]);
  }

  /** Open overload signals older than the sustained threshold, for the escalation module. */
  sustainedOverload() {
    return this.repo.openSignals({ reasons: ["INTENSIVE_HOURS", "HIGH_STRAIN"], sinceBefore: new Date(this.clock.now().getTime() - this.settings.sustainedOverloadDays * 24 * HOUR) });
  }

  /** The coordinator asks for respite care: a RESPITE help request for the care receiver. */
  async askForRespite(viewer: Viewer, circleId: string, input: { windowStart: Date; windowEnd: Date; description?: string | null }) {
    const { circle, v } = await this.requireCoordinator(viewer, circleId);
    const respite = this.places.categoryByCode("RESPITE");
    if (!respite) throw notFound("UNKNOWN_CATEGORY", "The RESPITE category is not configured.");
    const description = parseInput(optionalText(2000), input.description ?? null, "input.description") ?? "Respijtzorg: iemand neemt de zorg even over zodat de mantelzorger kan rusten.";
    const now = this.clock.now();
    if (input.windowEnd.getTime() <= input.windowStart.getTime() || input.windowEnd.getTime() <= now.getTime()) {
      throw badInput("INVALID_TIME_WINDOW", "input.windowEnd: must be after windowStart and in the future", "input.windowEnd");
    }
    // The limits of any help request: a respite window is a request to volunteers like the others.
    if (input.windowEnd.getTime() - input.windowStart.getTime() > MAX_WINDOW_MS) {
      throw badInput("INVALID_TIME_WINDOW", `input.windowEnd: a window spans at most ${MAX_WINDOW_MS / (24 * HOUR)} days`, "input.windowEnd");
    }
    const id = newId("HelpRequest");
    const row = await this.helpRequests.createInternal({
      id,
      askedById: v.personId,
      personHelpedId: circle.careReceiverId,
      categoryId: respite.id,
      neighbourhoodId: circle.neighbourhoodId,
      title: `Respijtzorg voor ${circle.name}`,
      description,
      urgency: "NORMAL",
      vogRequired: false,
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
    });
    // It shows in the circle's schedule, next to the shifts.
    await this.repo.insertRespite({ id: newId("CareRespite"), circleId, helpRequestId: id, windowStart: input.windowStart, windowEnd: input.windowEnd, createdAt: now });
    await this.emit([[circleId, "SHIFTS_CHANGED"]]);
    return row;
  }

  /** The circle's respite from `from` (default now) on, with the state of each request, for its members. */
  async respite(viewer: Viewer, circleId: string, from?: Date | null): Promise<(RespiteRow & { status: string; volunteerId: string | null })[]> {
    await this.getCircle(viewer, circleId);
    const rows = await this.repo.respites(circleId, from ?? this.clock.now());
    const out = [];
    for (const r of rows) {
      const request = await this.helpRequests.findRow(r.helpRequestId);
      out.push({ ...r, status: request?.status ?? "CANCELLED", volunteerId: request?.volunteerId ?? null });
    }
    return out;
  }

  // ---- calendar ----------------------------------------------------------------------------

  async calendarUrl(viewer: Viewer, circleId: string, revoke: boolean): Promise<string> {
    const { me } = await this.getCircle(viewer, circleId);
    const version = revoke ? await this.repo.bumpCalendarVersion(circleId, me.personId) : me.calendarVersion;
    const token = await this.tokens.signCapability("calendar", { c: circleId, p: me.personId, v: version });
    return `${this.settings.publicUrl.replace(/\/$/, "")}/calendar/${token}.ics`;
  }

  /** The member's shifts for a feed token, or null when the token is invalid or revoked. */
  async calendarFor(token: string): Promise<{ circle: CircleRow; shifts: ShiftRow[]; tasks: Map<string, TaskRow> } | null> {
    const claims = await this.tokens.verifyCapability("calendar", token);
    if (!claims || typeof claims.c !== "string" || typeof claims.p !== "string") return null;
    const member = await this.repo.member(claims.c, claims.p);
    if (!member || member.calendarVersion !== claims.v) return null;
    const circle = await this.repo.findCircle(claims.c);
    if (!circle) return null;
    const now = this.clock.now();
    const shifts = await this.repo.heldShifts(claims.p, new Date(now.getTime() - 30 * 24 * HOUR), new Date(now.getTime() + this.settings.horizonWeeks * 7 * 24 * HOUR), claims.c);
    const tasks = new Map((await this.repo.tasksOf(claims.c, true)).map((t) => [t.id, t]));
    return { circle, shifts, tasks };
  }

  /** Runs a change and records its events in the same transaction (see Outbox). */
  private change<T>(write: () => Promise<T>, events: (result: T) => CircleEvent[]): Promise<T> {
    return this.outbox.unit(async () => {
      const result = await write();
      await this.emit(events(result));
      return result;
    });
  }

  private emit(events: CircleEvent[]): Promise<void> {
    return this.outbox.emit(events.map(([circleId, kind, shiftId]) => ({ topic: careTopic(circleId), id: shiftId ?? circleId, kind })));
  }
}

function hashCode(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
