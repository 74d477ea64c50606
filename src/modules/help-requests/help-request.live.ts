import type { Context } from "../../graphql/context.js";
import { forbidden } from "../../shared/errors.js";
import { topics } from "../../shared/events.js";
import type { FeedItem } from "../../shared/outbox.js";
import { requireViewer } from "../../shared/viewer.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import { helpRequestPolicy } from "./help-request.policy.js";
import type { HelpRequestRow } from "./help-request.repository.js";

export type HelpRequestFeedRow = FeedItem<HelpRequestRow>;

/**
 * Subscription streams over the event log. Events carry only ids; each one is reloaded with the
 * subscriber's rights and dropped when the subscriber may not see it, so the server filters, not the
 * client. With `since` the stream first replays what the subscriber missed.
 */
export async function postedStream(
  ctx: Context,
  args: { neighbourhoodIds?: string[] | null; categoryIds?: string[] | null; since?: string | null },
): Promise<AsyncIterable<HelpRequestFeedRow>> {
  const { helpRequests, volunteers, places } = ctx.services;
  const viewer = volunteers.requireVolunteer(ctx.viewer);
  await Promise.all([
    ...(args.neighbourhoodIds ?? []).map((id, i) => places.requireNeighbourhood(id, `neighbourhoodIds.${i}`)),
    ...(args.categoryIds ?? []).map((id, i) => places.requireCategory(id, `categoryIds.${i}`)),
  ]);
  return ctx.services.outbox.stream(topics.helpRequestPosted, args.since, async (event) => {
    const row = await helpRequests.findRow(event.id);
    return row && (await helpRequests.fitsSubscriber(viewer, row, args)) ? row : null;
  });
}

export async function changedStream(ctx: Context, id: string, since: string | null | undefined): Promise<AsyncIterable<HelpRequestFeedRow>> {
  const { helpRequests } = ctx.services;
  const viewer = requireViewer(ctx.viewer);
  const row = await helpRequests.get(viewer, id);
  if (!helpRequestPolicy.canSeeHistory(viewer, row)) {
    throw forbidden(R.HISTORY_HIDDEN, "Only those involved in a request can follow its changes.");
  }
  return ctx.services.outbox.stream(topics.helpRequestChanged(id), since, async () => {
    const current = await helpRequests.findRow(id);
    return current && helpRequestPolicy.canSeeHistory(viewer, current) ? current : null;
  });
}
