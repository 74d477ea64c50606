import { Ctx, Extensions, Field, Float, Int, Mutation, ObjectType, Query, Resolver, Arg } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import type { Context } from "../../graphql/context.js";
import { SharedReason, badInput, forbidden } from "../../shared/errors.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { ShiftableClock } from "../../shared/clock.js";
import { OperationsReason } from "./operations.errors.js";
import type { RetentionService } from "./retention.service.js";
import type { SweepService } from "./sweep.service.js";

@ObjectType("RetentionCount", { description: "What retention did to one kind of data in one pass (docs/retention.md)." })
export class RetentionCountType {
  @Field(() => String, { description: "The kind of data, e.g. helpRequests or escalations." })
  kind!: string;
  @Field(() => Int, { description: "Rows deleted because their term passed." })
  removed!: number;
  @Field(() => Int, { description: "Rows kept for statistics with their person links replaced by pseudonyms and their free text cleared." })
  pseudonymised!: number;
}

@ObjectType("SweepReport", { description: "What one pass of the time-based rules did." })
export class SweepReportType {
  @Field(() => Int, { description: "Help requests expired because their window passed." })
  expiredRequests!: number;
  @Field(() => Int, { description: "Care shifts still open near their start that became volunteer requests." })
  gapsPosted!: number;
  @Field(() => Int, { description: "Open care shifts that passed and were marked MISSED." })
  missedShifts!: number;
  @Field(() => Int, { description: "Cases raised to professional teams by time-based triggers." })
  escalationsRaised!: number;
  @Extensions({ maxItems: 50 })
  @Field(() => [RetentionCountType], { description: "What retention removed or pseudonymised in this pass, per kind of data." })
  retention!: RetentionCountType[];
}

@ObjectType("RetentionReport", { description: "What retention has removed or pseudonymised since the database was created (docs/retention.md)." })
export class RetentionReportType {
  @Extensions({ maxItems: 50 })
  @Field(() => [RetentionCountType], { description: "Totals per kind of data, every row counted once however many instances swept." })
  kinds!: RetentionCountType[];
  @Field(() => DateTimeISO, { nullable: true, description: "When retention last ran on any instance; null before the first pass." })
  lastRunAt!: Date | null;
}

/**
 * The server's clock, and for tests and simulations (CLOCK_CONTROL=true, never in production) moving
 * it forward and running the time-based rules at once.
 */
@Resolver()
export class OperationsResolver {
  constructor(
    private readonly clock: { now(): Date },
    private readonly controllable: ShiftableClock | null,
    private readonly sweeps: SweepService,
    private readonly retention: RetentionService,
  ) {}

  @Query(() => DateTimeISO, { description: "The server's current time (moved forward when CLOCK_CONTROL is on)." })
  serverTime(): Date {
    return this.clock.now();
  }

  @Mutation(() => DateTimeISO, { description: "CLOCK_CONTROL only, coordinator only: moves the server's clock forward by some hours and returns the new time." })
  advanceClock(@Ctx() ctx: Context, @Arg("hours", () => Float, { description: "Hours to move forward (0 to 8784)." }) hours: number): Date {
    const clock = this.requireControl(ctx.viewer);
    if (!(hours >= 0 && hours <= 8784)) throw badInput(SharedReason.INVALID_INPUT, "hours: must be between 0 and 8784", "hours");
    clock.advance(hours * 3600_000);
    return clock.now();
  }

  @Mutation(() => SweepReportType, { description: "CLOCK_CONTROL only, coordinator only: runs the time-based rules (care gaps, missed shifts, escalations, expiry) now." })
  runSweeps(@Ctx() ctx: Context): Promise<SweepReportType> {
    this.requireControl(ctx.viewer);
    return this.sweeps.run();
  }

  @Query(() => RetentionReportType, { description: "Coordinator only: what retention has removed or pseudonymised, per kind of data, and when it last ran." })
  retentionReport(@Ctx() ctx: Context): Promise<RetentionReportType> {
    if (!hasRole(requireViewer(ctx.viewer), "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may read what retention did.");
    return this.retention.totals();
  }

  /**
   * Moving the clock changes every deadline on the server (expiry, escalation, consent), so only a
   * coordinator may do it, even on a test or simulation server that has clock control on.
   */
  private requireControl(viewer: Viewer): ShiftableClock {
    if (!this.controllable) throw forbidden(OperationsReason.CLOCK_CONTROL_DISABLED, "Clock control is off on this server (CLOCK_CONTROL=true enables it outside production).");
    if (!hasRole(requireViewer(viewer), "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may move the clock or run the sweeps.");
    return this.controllable;
  }
}
