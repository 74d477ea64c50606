import { SharedReason, forbidden } from "../../shared/errors.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";

/** Partner apps, their keys, usage and organisations are managed by coordinators only. */
export function requirePartnerAppCoordinator(viewer: Viewer): AuthenticatedViewer {
  const v = requireViewer(viewer);
  if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may manage partner apps and their keys.");
  return v;
}
