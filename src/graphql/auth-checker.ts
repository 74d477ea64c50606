import type { AuthChecker } from "type-graphql";
import { type Reason, SharedReason, forbidden } from "../shared/errors.js";
import { type Viewer, requireViewer } from "../shared/viewer.js";
import type { Context } from "./context.js";

/**
 * A named rule for `@Authorized(NAME)`: a policy on the object being resolved (`root`). Modules
 * declare theirs (e.g. HELP_REQUEST_CONTACT in help-request.module.ts); the app composes them.
 */
export interface AuthRule {
  allows: (viewer: Viewer, root: unknown, context: Context) => boolean | Promise<boolean>;
  reason: Reason;
  message: string;
}

/**
 * Field- and operation-level authorisation for `@Authorized(...)`. A name is a role
 * (RESIDENT, VOLUNTEER, ...) or one of `rules`; any one that allows is enough.
 */
export function createAuthChecker(rules: Readonly<Record<string, AuthRule>>): AuthChecker<Context> {
  const byName = new Map(Object.entries(rules));
  return async ({ root, context }, names) => {
    const viewer = requireViewer(context.viewer);
    for (const name of names) {
      const rule = byName.get(name);
      if (rule ? await rule.allows(viewer, root, context) : viewer.roles.has(name as never)) return true;
    }
    const rule = byName.get(names[0]);
    if (rule) throw forbidden(rule.reason, rule.message);
    throw forbidden(SharedReason.ROLE_REQUIRED, "This needs one of the roles: {roles}.", { roles: names.join(", ") });
  };
}
