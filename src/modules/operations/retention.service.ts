import type { Logger } from "pino";
import type { RetentionCount, RetentionRule } from "../../shared/retention.js";

/**
 * Runs every module's retention rule (registered in src/app.retention.ts) in one pass of the sweeps and
 * reports what each removed or pseudonymised. A failed rule is reported and tried again on the next pass;
 * the others still run.
 */
export class RetentionService {
  constructor(
    private readonly rules: readonly RetentionRule[],
    private readonly clock: { now(): Date },
    private readonly log?: Logger,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {}

  async run(): Promise<RetentionCount[]> {
    const now = this.clock.now();
    const out: RetentionCount[] = [];
    for (const rule of this.rules) {
      try {
        out.push({ kind: rule.kind, ...(await rule.apply(now)) });
      } catch (err) {
        this.reportError(err, `retention of ${rule.kind}`);
        out.push({ kind: rule.kind, removed: 0, pseudonymised: 0 });
      }
    }
    if (out.some((c) => c.removed + c.pseudonymised > 0)) this.log?.info({ retention: out }, "retention: removed or pseudonymised data past its term");
    return out;
  }
}
