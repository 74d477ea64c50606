import type { CareService } from "../care/care.service.js";
import type { EscalationService } from "../escalation/escalation.service.js";
import type { IdempotencyService } from "../idempotency/idempotency.service.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { RetentionCount } from "../../shared/retention.js";

/** A further step of the pass, run after the time-based rules and before the event log is pruned. */
export interface SweepStep {
  /** Names the step in the error report when it fails. */
  context: string;
  run(): Promise<unknown>;
}

export interface SweepReport {
  expiredRequests: number;
  gapsPosted: number;
  missedShifts: number;
  escalationsRaised: number;
  /** What retention removed or pseudonymised, per kind of data. */
  retention: RetentionCount[];
}

/**
 * Every time-based rule in one pass. Each step claims its rows with conditional updates, so the
 * pass may run on every instance at once and still act once per row.
 */
export class SweepService {
  private running: Promise<SweepReport> | null = null;

  constructor(
    private readonly helpRequests: HelpRequestService,
    private readonly care: CareService,
    private readonly escalation: EscalationService,
    private readonly idempotency: IdempotencyService,
    private readonly pruneEventLog: () => Promise<number> = async () => 0,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
    /** E.g. notifications, which read what the rules just recorded in the event log before it is pruned. */
    private readonly followUps: readonly SweepStep[] = [],
    /** Removes or pseudonymises what is past its term (see docs/retention.md). */
    private readonly retention: () => Promise<RetentionCount[]> = async () => [],
  ) {}

  /** Runs a pass, or joins the one already running on this instance. */
  run(): Promise<SweepReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<SweepReport> {
    // Each rule runs whatever happened to the one before: a fault in the care rules must not stop the
    // safety net or expiry. A failed step is reported and tried again on the next pass.
    const care = await this.step("care sweep", () => this.care.sweep(), { gapsPosted: 0, missed: 0 });
    // The safety net looks before expiry: a request open past its limit goes to a team, not to EXPIRED.
    const escalationsRaised = await this.step("escalation sweep", () => this.escalation.sweep(), 0);
    const expiredRequests = await this.step("expiring help requests", () => this.helpRequests.expireDue(), 0);
    await this.step("pruning idempotency keys", () => this.idempotency.prune(), undefined);
    for (const followUp of this.followUps) await this.step(followUp.context, () => followUp.run(), undefined);
    // After the rules: a request closed by this pass is far from its term, so order does not matter for it.
    const retention = await this.step("retention", () => this.retention(), []);
    await this.step("pruning the event log", () => this.pruneEventLog(), 0);
    return { expiredRequests, gapsPosted: care.gapsPosted, missedShifts: care.missed, escalationsRaised, retention };
  }

  private async step<T>(context: string, run: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await run();
    } catch (err) {
      this.reportError(err, context);
      return fallback;
    }
  }
}
