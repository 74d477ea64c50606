import { filter, map, pipe } from "@graphql-yoga/subscription";
import type { Context } from "../../graphql/context.js";
import { requireViewer } from "../../shared/viewer.js";
import { careTopic } from "./care.service.js";

export interface CareChangeRow {
  kind: string;
  circleId: string;
  shiftId: string | null;
}

/** Changes in one circle, for its members; a member who left stops receiving them. */
export async function careChangedStream(ctx: Context, circleId: string) {
  const { care } = ctx.services;
  const viewer = requireViewer(ctx.viewer);
  await care.getCircle(viewer, circleId);
  return pipe(
    ctx.services.events.subscribe(careTopic(circleId)),
    map(async (event): Promise<CareChangeRow | null> => {
      if (!(await care.findVisibleCircle(viewer, circleId))) return null;
      return { kind: event.kind, circleId, shiftId: event.id !== circleId ? event.id : null };
    }),
    filter((row): row is CareChangeRow => row !== null),
  );
}
