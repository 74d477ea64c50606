import type { Context } from "../../graphql/context.js";
import { forbidden, notFound } from "../../shared/errors.js";
import type { Feed, FeedItem } from "../../db/outbox.js";
import { hasRole, requireViewer } from "../../shared/viewer.js";
import { EscalationReason as R } from "./escalation.errors.js";
import type { EscalationRow } from "./escalation.repository.js";
import { escalationTopics } from "./escalation.events.js";

export type EscalationFeedRow = FeedItem<EscalationRow>;

/** New (and re-routed) cases in a team's queue, for that team's professionals and coordinators. */
export async function raisedStream(ctx: Context, teamId: string, since: string | null | undefined): Promise<Feed<EscalationRow>> {
  const { escalation, people } = ctx.services;
  const v = requireViewer(ctx.viewer);
  const own = hasRole(v, "PROFESSIONAL") ? (await people.findById(v.personId))?.teamId : null;
  if (own !== teamId && !hasRole(v, "COORDINATOR")) throw forbidden(R.NOT_A_TEAM_MEMBER, "Only members of this team follow its queue.");
  // Case details depend on the professional's team and consent: every subscriber is executed alone.
  return ctx.services.outbox.feed(escalationTopics.raised(teamId), since, {
    loads: "escalation",
    fetch: (event) => escalation.find(event.id),
    see: async (row) => ((await escalation.findVisible(v, row.id)) ? "personal" : false),
  });
}

/**
 * Status changes of one case: its teams, and the residents and volunteers involved (status only). Who
 * may follow is decided again for every event, on the case as it is then: a professional whose case
 * went to another team, or who left the team, stops receiving its changes.
 */
export async function changedStream(ctx: Context, id: string, since: string | null | undefined): Promise<Feed<EscalationRow>> {
  const { escalation } = ctx.services;
  const v = requireViewer(ctx.viewer);
  if (!(await escalation.canFollow(v, id))) throw notFound(R.ESCALATION_NOT_FOUND, "No escalation with this id is visible to you.");
  return ctx.services.outbox.feed(escalationTopics.changed(id), since, {
    loads: "escalation",
    fetch: () => escalation.find(id),
    see: async () => ((await escalation.canFollow(v, id)) ? "personal" : false),
  });
}
