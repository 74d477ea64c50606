import { filter, map, pipe } from "@graphql-yoga/subscription";
import type { Context } from "../../graphql/context.js";
import { forbidden, notFound } from "../../shared/errors.js";
import { hasRole, requireViewer } from "../../shared/viewer.js";
import { EscalationReason as R } from "./escalation.errors.js";
import type { EscalationRow } from "./escalation.repository.js";
import { escalationTopics } from "./escalation.service.js";

/** New (and re-routed) cases in a team's queue, for that team's professionals and coordinators. */
export async function raisedStream(ctx: Context, teamId: string) {
  const { escalation, people } = ctx.services;
  const v = requireViewer(ctx.viewer);
  const own = hasRole(v, "PROFESSIONAL") ? (await people.findById(v.personId))?.teamId : null;
  if (own !== teamId && !hasRole(v, "COORDINATOR")) throw forbidden(R.NOT_TEAM_MEMBER, "Only members of this team follow its queue.");
  return pipe(
    ctx.services.events.subscribe(escalationTopics.raised(teamId)),
    map((event) => escalation.findVisible(v, event.id)),
    filter((row): row is EscalationRow => row !== null),
  );
}

/** Status changes of one case: its teams, and the residents and volunteers involved (status only). */
export async function changedStream(ctx: Context, id: string) {
  const { escalation } = ctx.services;
  const v = requireViewer(ctx.viewer);
  if (!(await escalation.canFollow(v, id))) throw notFound(R.NOT_FOUND, "No escalation with this id is visible to you.");
  return pipe(
    ctx.services.events.subscribe(escalationTopics.changed(id)),
    map(() => escalation.find(id)),
    filter((row): row is EscalationRow => row !== undefined),
  );
}
