import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { optionalText, parseInput, text } from "../../shared/validation.js";
import type { Viewer } from "../../shared/viewer.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { CareCircleService } from "./care-circle.service.js";
import type { CareTaskRepository } from "./care-task.repository.js";
import { CareReason as R } from "./care.errors.js";
import { changeWithEvents } from "./care.events.js";
import type { TaskRow } from "./care.rows.js";
import type { CareSettings } from "./care.settings.js";
import { isLocalDate, occurrences } from "./recurrence.js";

const HOUR = 3600_000;

const TaskSchema = z
  .object({
    title: text(1, 120),
    categoryId: z.string().min(1, "must not be empty"),
    notes: optionalText(2000),
    vogRequired: z.boolean().nullish(),
    startDate: z.string().refine(isLocalDate, "must be a date as YYYY-MM-DD"),
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM"),
    durationMinutes: z
      .number()
      .int()
      .min(5, "must be at least 5 minutes")
      .max(24 * 60, "must be at most 24 hours"),
    weekdays: z.array(z.number().int().min(1, "must be 1 (Monday) to 7 (Sunday)").max(7, "must be 1 (Monday) to 7 (Sunday)")).max(7).nullish(),
    intervalWeeks: z.number().int().min(1, "must be at least 1").max(12, "must be at most 12").nullish(),
    endDate: z.string().refine(isLocalDate, "must be a date as YYYY-MM-DD").nullish(),
  })
  .refine((t) => !t.endDate || t.endDate >= t.startDate, { message: "must not be before startDate", path: ["endDate"] });

/** What a task's input sets, the same for a new task and a changed one. */
type TaskFields = Omit<TaskRow, "id" | "circleId" | "active" | "createdAt" | "updatedAt">;

/**
 * Care tasks, one-off or recurring, and the shifts derived from them for a rolling horizon: when a
 * task changes or ends, its unclaimed shifts follow and the ones someone holds are kept and flagged.
 */
export class CareTaskService {
  constructor(
    private readonly repo: CareTaskRepository,
    private readonly circles: CareCircleService,
    private readonly places: PlaceService,
    private readonly helpRequests: HelpRequestService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly settings: Pick<CareSettings, "horizonWeeks">,
  ) {}

  async addTask(viewer: Viewer, circleId: string, input: unknown): Promise<TaskRow> {
    await this.circles.requireCoordinator(viewer, circleId);
    const fields = await this.parseTask(input);
    const now = this.clock.now();
    const task: TaskRow = { id: newId("CareTask"), circleId, ...fields, active: true, createdAt: now, updatedAt: now };
    await this.repo.insertTask(task);
    await this.syncTask(task);
    return task;
  }

  /** Changes a task; future unclaimed shifts follow, claimed ones are kept and flagged. */
  async updateTask(viewer: Viewer, taskId: string, input: unknown): Promise<TaskRow> {
    const task = await this.repo.findTask(taskId);
    if (!task || !task.active) throw notFound(R.CARE_TASK_NOT_FOUND, "No care task with this id.");
    await this.circles.requireCoordinator(viewer, task.circleId);
    const set = { ...(await this.parseTask(input)), updatedAt: this.clock.now() };
    await this.repo.updateTask(taskId, set);
    const updated = { ...task, ...set };
    await this.syncTask(updated);
    return updated;
  }

  async removeTask(viewer: Viewer, taskId: string): Promise<boolean> {
    const task = await this.repo.findTask(taskId);
    if (!task || !task.active) throw notFound(R.CARE_TASK_NOT_FOUND, "No care task with this id.");
    await this.circles.requireCoordinator(viewer, task.circleId);
    await this.repo.updateTask(taskId, { active: false, updatedAt: this.clock.now() });
    await this.syncTask({ ...task, active: false });
    return true;
  }

  /** Validates a task's input (its category included) into the fields stored. */
  private async parseTask(input: unknown): Promise<TaskFields> {
    const data = parseInput(TaskSchema, input);
    await this.places.requireCategory(data.categoryId, "input.categoryId");
    return {
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
    };
  }

  /** A circle's tasks, for the members the caller checked; `includeInactive` adds the ended ones. */
  tasks(circleId: string, includeInactive = false) {
    return this.repo.tasksOf(circleId, includeInactive);
  }

  findTask(id: string) {
    return this.repo.findTask(id);
  }

  findTasksByIds(ids: readonly string[]) {
    return this.repo.findTasksByIds(ids);
  }

  /** A task for the members of its circle (node lookups); null otherwise. */
  async findVisibleTask(viewer: Viewer, id: string): Promise<TaskRow | null> {
    const task = await this.repo.findTask(id);
    return task && (await this.circles.findVisibleCircle(viewer, task.circleId)) ? task : null;
  }

  /** Extends every active task's shifts to the horizon (the sweep). */
  async syncAllTasks(): Promise<void> {
    for (const task of await this.repo.activeTasks()) await this.syncTask(task);
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
    await changeWithEvents(
      this.outbox,
      () => this.repo.syncShifts(task, desired, now, withdrawn),
      (changed) => (changed ? [[task.circleId, "SHIFTS_CHANGED"]] : []),
    );
  }
}
