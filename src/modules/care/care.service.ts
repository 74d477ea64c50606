import type { Clock } from "../../shared/clock.js";
import type { Outbox } from "../../db/outbox.js";
import type { Viewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { TokenService } from "../people/auth.tokens.js";
import type { AccountMailer } from "../people/account.mailer.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { CareCalendarService } from "./care-calendar.service.js";
import { CareCircleService } from "./care-circle.service.js";
import { CareGapsService } from "./care-gaps.service.js";
import { CareLoadService } from "./care-load.service.js";
import { CareMessageService } from "./care-message.service.js";
import { CareRunningService } from "./care-running.service.js";
import { CareScheduleService } from "./care-schedule.service.js";
import { CareTaskService } from "./care-task.service.js";
import type { CareRepository } from "./care.repository.js";
import type { CareSettings } from "./care.settings.js";

export type { CareSettings } from "./care.settings.js";

/**
 * Care circles (zorgnetwerken) of mantelzorgers, in parts: circles and membership by single-use
 * invitation (`circles`), recurring care tasks with shifts derived for a rolling horizon (`tasks`),
 * sign-up, give-back, cover, swaps and outcomes (`schedule`), gaps turned into volunteer requests
 * (`gaps`), load and respite (`load`), private calendar feeds (`calendar`), running a circle (`running`:
 * invitations, roles, removal, hand-over) and its message threads (`messages`). The care resolvers use
 * the parts; other modules, the sweeps and the node lookups use the few methods below.
 */
export class CareService {
  readonly circles: CareCircleService;
  readonly tasks: CareTaskService;
  readonly schedule: CareScheduleService;
  readonly gaps: CareGapsService;
  readonly load: CareLoadService;
  readonly calendar: CareCalendarService;
  readonly running: CareRunningService;
  readonly messages: CareMessageService;

  constructor(
    repo: CareRepository,
    places: PlaceService,
    people: PersonService,
    helpRequests: HelpRequestService,
    tokens: TokenService,
    outbox: Outbox,
    private readonly clock: Clock,
    settings: CareSettings,
    accessLog: AccessLogService,
    /** Sends e-mailed invitations to addresses without an account (the account mailer's transport). */
    invitations: { mailer?: Pick<AccountMailer, "send">; reportError?: (err: unknown, context: string) => void } = {},
  ) {
    this.circles = new CareCircleService(repo.circles, people, accessLog, outbox, clock, settings, invitations.mailer, invitations.reportError);
    this.tasks = new CareTaskService(repo.tasks, this.circles, places, helpRequests, outbox, clock, settings);
    this.schedule = new CareScheduleService(repo.schedule, this.circles, helpRequests, accessLog, outbox, clock);
    this.gaps = new CareGapsService(repo.gaps, this.circles, this.tasks, this.schedule, helpRequests, outbox, clock, settings);
    this.load = new CareLoadService(repo.load, this.circles, this.schedule, places, helpRequests, outbox, clock, settings);
    this.calendar = new CareCalendarService(this.circles, this.tasks, this.schedule, tokens, clock, settings);
    this.running = new CareRunningService(repo.running, this.circles, people, outbox, clock);
    this.messages = new CareMessageService(repo.messages, repo.schedule, this.circles, outbox, clock);
  }

  /**
   * Time-based care work, safe to run on every instance at once: extend each task's shifts to the
   * horizon, mark open shifts that passed as MISSED, close covered shifts that ended (so every shift
   * ends DONE or MISSED), withdraw swaps nobody can accept any more, turn gaps into volunteer requests
   * (exactly one per gap), keep shifts in step with their requests, and refresh load and missed-shift
   * signals.
   */
  async sweep(): Promise<{ gapsPosted: number; missed: number }> {
    await this.tasks.syncAllTasks();
    const now = this.clock.now();
    const missed = await this.schedule.markMissed(now);
    const closedMissed = await this.schedule.closeEnded(now);
    await this.schedule.withdrawStaleSwaps(now);
    const gapsPosted = await this.gaps.postGaps(now);
    await this.gaps.reconcileRequests(now);
    await this.load.evaluateAllLoads();
    await this.load.evaluateMissed(now);
    return { gapsPosted, missed: missed + closedMissed };
  }

  /** The circle if the viewer is a member; NOT_FOUND otherwise (its existence is not revealed). */
  getCircle(viewer: Viewer, id: string) {
    return this.circles.getCircle(viewer, id);
  }

  /** The circle if the viewer is a member; null otherwise. */
  findVisibleCircle(viewer: Viewer, id: string) {
    return this.circles.findVisibleCircle(viewer, id);
  }

  /** The stored circle, without a membership check (for other modules' own rules). */
  findCircleRow(id: string) {
    return this.circles.findCircleRow(id);
  }

  findVisibleTask(viewer: Viewer, id: string) {
    return this.tasks.findVisibleTask(viewer, id);
  }

  findVisibleShift(viewer: Viewer, id: string) {
    return this.schedule.findVisibleShift(viewer, id);
  }

  findVisibleSwap(viewer: Viewer, id: string) {
    return this.schedule.findVisibleSwap(viewer, id);
  }

  /** Opens or resolves the load signals of a circle's members. */
  evaluateLoad(circleId: string) {
    return this.load.evaluateLoad(circleId);
  }

  /** Open overload signals older than the sustained threshold, for the escalation module. */
  sustainedOverload() {
    return this.load.sustainedOverload();
  }

  /** Open MISSED_SHIFTS signals, for the escalation module. */
  missedShiftSignals() {
    return this.load.missedShiftSignals();
  }
}
