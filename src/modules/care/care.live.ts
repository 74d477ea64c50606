import { map, pipe } from "@graphql-yoga/subscription";
import type { Context } from "../../graphql/context.js";
import type { FeedItem } from "../../shared/outbox.js";
import { requireViewer } from "../../shared/viewer.js";
import { careTopic } from "./care.service.js";

export interface CareChangeRow {
  kind: string;
  circleId: string;
  shiftId: string | null;
  cursor: string;
}

/** Changes in one circle, for its members (replayed from `since`); a member who left stops receiving them. */
export async function careChangedStream(ctx: Context, circleId: string, since: string | null | undefined) {
  const { care } = ctx.services;
  const viewer = requireViewer(ctx.viewer);
  await care.getCircle(viewer, circleId);
  return pipe(
    ctx.services.outbox.stream(careTopic(circleId), since, async (event) => ((await care.findVisibleCircle(viewer, circleId)) ? event : null)),
    map(({ event }: FeedItem<unknown>): CareChangeRow => ({ kind: event.kind, circleId, shiftId: event.id !== circleId ? event.id : null, cursor: String(event.seq) })),
  );
}
