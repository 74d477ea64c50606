import type { AuthChecker } from "type-graphql";
import { helpRequestPolicy } from "../modules/help-requests/help-request.policy.js";
import type { HelpRequestRow } from "../modules/help-requests/help-request.repository.js";
import { type Reason, SharedReason, forbidden } from "../shared/errors.js";
import { type Viewer, requireViewer } from "../shared/viewer.js";
import type { Context } from "./context.js";
import { GraphQLReason } from "./graphql.errors.js";

type Rule = { allows: (viewer: Viewer, root: unknown, context: Context) => boolean | Promise<boolean>; reason: Reason; message: string };

/**
 * Field- and operation-level authorisation for `@Authorized(...)`. A name is a role
 * (RESIDENT, VOLUNTEER, ...) or a policy on the object being resolved; any one that allows is enough.
 */
const rules: Record<string, Rule> = {
  HELP_REQUEST_CONTACT: {
    // The service decides in full (e.g. the organisers of the organisation a request was asked for).
    allows: (v, r, context) =>
      helpRequestPolicy.canSeeContact(v, r as HelpRequestRow) || context.services.helpRequests.isAskerSide(v, r as HelpRequestRow),
    reason: GraphQLReason.CONTACT_DETAILS_HIDDEN,
    message: "Contact details are visible only to the person helped, the requester and the matched volunteer.",
  },
  HELP_REQUEST_HISTORY: {
    allows: (v, r) => helpRequestPolicy.canSeeHistory(v, r as HelpRequestRow),
    reason: GraphQLReason.HISTORY_HIDDEN,
    message: "Only those involved in this request can see this.",
  },
  /** The organisers of an organisation that took a request on, or that it was asked for, follow it. */
  HELP_REQUEST_ORGANISATION: {
    allows: (v, r, context) => context.services.helpRequests.canFollow(v, r as HelpRequestRow),
    reason: GraphQLReason.HISTORY_HIDDEN,
    message: "Only those involved in this request can see this.",
  },
};

export const authChecker: AuthChecker<Context> = async ({ root, context }, names) => {
  const viewer = requireViewer(context.viewer);
  for (const name of names) {
    const rule = rules[name];
    if (rule ? await rule.allows(viewer, root, context) : viewer.roles.has(name as never)) return true;
  }
  const rule = rules[names[0]];
  if (rule) throw forbidden(rule.reason, rule.message);
  throw forbidden(SharedReason.ROLE_REQUIRED, `This needs one of the roles: ${names.join(", ")}.`);
};
