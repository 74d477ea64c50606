import type { GraphQLModule } from "../../graphql/module.js";
import type { Clock, ShiftableClock } from "../../shared/clock.js";
import { OperationsResolver } from "./operations.resolver.js";
import type { RetentionService } from "./retention.service.js";
import type { SweepService } from "./sweep.service.js";

/** Operations: the clock (moved only under CLOCK_CONTROL), the time-based sweep and what retention did. */
export const operationsModule: GraphQLModule<{ clock: Clock; controllableClock: ShiftableClock | null; sweeps: SweepService; retention: RetentionService }> = {
  resolvers: [OperationsResolver],
  instances: (s) => [new OperationsResolver(s.clock, s.controllableClock, s.sweeps, s.retention)],
};
