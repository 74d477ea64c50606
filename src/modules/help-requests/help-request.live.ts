import type { Context } from "../../graphql/context.js";
import { forbidden } from "../../shared/errors.js";
import type { Feed, FeedItem, Visibility } from "../../db/outbox.js";
import type { Viewer } from "../../shared/viewer.js";
import { requireViewer } from "../../shared/viewer.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import { helpRequestTopics } from "./help-request.events.js";
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
  args: { neighbourhoodIds?: string[] | null; categoryIds?: string[] | null; allTimesAndLanguages?: boolean | null; since?: string | null },
): Promise<Feed<HelpRequestRow>> {
  const { helpRequests, volunteers, places } = ctx.services;
  const viewer = volunteers.requireVolunteer(ctx.viewer);
  await Promise.all([
    ...(args.neighbourhoodIds ?? []).map((id, i) => places.requireNeighbourhood(id, `neighbourhoodIds.${i}`)),
    ...(args.categoryIds ?? []).map((id, i) => places.requireCategory(id, `categoryIds.${i}`)),
  ]);
  return ctx.services.outbox.feed(helpRequestTopics.posted, args.since, {
    loads: "help-request",
    fetch: (event) => helpRequests.findRow(event.id),
    see: (row) => {
      const fits = helpRequests.fit.fitsSubscriberNow(viewer, row, args);
      return fits instanceof Promise ? fits.then((ok) => (ok ? visibilityOf(viewer, row) : false)) : fits ? visibilityOf(viewer, row) : false;
    },
  });
}

export async function changedStream(ctx: Context, id: string, since: string | null | undefined): Promise<Feed<HelpRequestRow>> {
  const { helpRequests } = ctx.services;
  const viewer = requireViewer(ctx.viewer);
  const row = await helpRequests.get(viewer, id);
  if (!(await helpRequests.canFollow(viewer, row))) {
    throw forbidden(R.HISTORY_HIDDEN, "Only those involved in a request can follow its changes.");
  }
  return ctx.services.outbox.feed(helpRequestTopics.changed(id), since, {
    loads: "help-request",
    fetch: () => helpRequests.findRow(id),
    see: (current) =>
      helpRequestPolicy.canSeeHistory(viewer, current)
        ? visibilityOf(viewer, current)
        : helpRequests.canFollow(viewer, current).then((ok) => (ok ? visibilityOf(viewer, current) : false)),
  });
}

/**
 * What a subscriber sees of a request depends only on their roles unless they are involved in it,
 * coordinate (they see history), work in a team (escalation details), or the request was taken on by
 * an organisation (its organisers follow it): those are executed alone.
 */
function visibilityOf(viewer: Viewer, row: HelpRequestRow): Visibility {
  const own =
    helpRequestPolicy.isInvolved(viewer, row) ||
    viewer.roles.has("COORDINATOR") ||
    viewer.roles.has("PROFESSIONAL") ||
    row.organisationId !== null ||
    row.askingOrganisationId !== null;
  return own ? "personal" : "shared";
}
