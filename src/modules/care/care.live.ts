import type { Context } from "../../graphql/context.js";
import type { LoggedEvent } from "../../db/client.js";
import type { Feed } from "../../db/outbox.js";
import { requireViewer } from "../../shared/viewer.js";
import { type CareChangeRow, type CareEventKind, careTopic } from "./care.events.js";

/**
 * Changes in one circle, for its members (replayed from `since`); a member who left stops receiving them.
 * A LOAD_SIGNAL goes to the circle's coordinators only: in a small circle, that a signal was raised
 * would tell a plain member about another member's strain (care-load.policy.ts).
 */
export async function careChangedStream(ctx: Context, circleId: string, since: string | null | undefined): Promise<Feed<LoggedEvent, CareChangeRow>> {
  const { care } = ctx.services;
  const viewer = requireViewer(ctx.viewer);
  await care.getCircle(viewer, circleId);
  return ctx.services.outbox.feed(careTopic(circleId), since, {
    loads: "care-event",
    fetch: async (event) => event,
    // Members see shifts with their care notes: each is executed alone.
    see: async (_value, event) => {
      const me = await care.circles.member(circleId, viewer.personId);
      if (!me) return false;
      return event.kind === "LOAD_SIGNAL" && me.role !== "COORDINATOR" ? false : "personal";
    },
    // The log holds on a circle's topic only the kinds the care services recorded there.
    root: ({ event }) => ({ kind: event.kind as CareEventKind, circleId, shiftId: event.id !== circleId ? event.id : null, cursor: String(event.seq) }),
  });
}
