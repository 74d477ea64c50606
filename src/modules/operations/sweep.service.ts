import type { CareService } from "../care/care.service.js";
import type { EscalationService } from "../escalation/escalation.service.js";
import type { IdempotencyService } from "../idempotency/idempotency.service.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";

export interface SweepReport {
  expiredRequests: number;
  gapsPosted: number;
  missedShifts: number;
  escalationsRaised: number;
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
  ) {}

  /** Runs a pass, or joins the one already running on this instance. */
  run(): Promise<SweepReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<SweepReport> {
    const care = await this.care.sweep();
    // The safety net looks before expiry: a request open past its limit goes to a team, not to EXPIRED.
    const escalationsRaised = await this.escalation.sweep();
    const expiredRequests = await this.helpRequests.expireDue();
    await this.idempotency.prune();
    await this.pruneEventLog();
    return { expiredRequests, gapsPosted: care.gapsPosted, missedShifts: care.missed, escalationsRaised };
  }
}
