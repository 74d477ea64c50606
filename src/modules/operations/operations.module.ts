import type { GraphQLModule } from "../../graphql/module.js";
import type { Clock, ShiftableClock } from "../../shared/clock.js";
import { OperationsResolver } from "./operations.resolver.js";
import type { SweepService } from "./sweep.service.js";

/** Operations: the clock (moved only under CLOCK_CONTROL) and the time-based sweep. */
export const operationsModule: GraphQLModule<{ clock: Clock; controllableClock: ShiftableClock | null; sweeps: SweepService }> = {
  resolvers: [OperationsResolver],
  instances: (s) => [new OperationsResolver(s.clock, s.controllableClock, s.sweeps)],
};
