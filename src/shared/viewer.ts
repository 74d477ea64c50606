import { DomainError, type Reason, unauthenticated } from "./errors.js";

/** The roles a person can hold; a viewer carries them, the people module stores them. */
export type Role = "RESIDENT" | "VOLUNTEER" | "MANTELZORGER" | "ORGANISER" | "PROFESSIONAL" | "COORDINATOR";

/** Who is asking: a person with roles, or nobody. Built once per request from the bearer token. */
export interface Viewer {
  readonly personId: string | null;
  readonly roles: ReadonlySet<Role>;
  readonly tokenExpiresAt: number | null;
  /** The login session the token belongs to (logout ends it); absent for anonymous and API keys. */
  readonly sessionId?: string;
  /**
   * Set when the person's role requires a second factor they have not set up (REQUIRE_TOTP_FOR): the
   * viewer holds no roles and `requireViewer` refuses everything but what enrolling needs.
   */
  readonly mustEnrolTotp?: boolean;
  /** Set for a partner app's sandbox key: what it asks belongs to this organisation and is marked sandbox. */
  readonly sandboxOrganisationId?: string;
}

export const anonymous: Viewer = { personId: null, roles: new Set(), tokenExpiresAt: null };

export type AuthenticatedViewer = Viewer & { readonly personId: string };

/**
 * The viewer, who must be logged in. `enrolling`: the caller is among what a person who must still set
 * up a second factor may do (see Viewer.mustEnrolTotp); everything else refuses them.
 */
export function requireViewer(viewer: Viewer, enrolling = false): AuthenticatedViewer {
  if (!viewer.personId) throw unauthenticated();
  if (viewer.mustEnrolTotp && !enrolling) {
    throw new DomainError("FORBIDDEN", "TOTP_ENROLMENT_REQUIRED" as Reason, "Your role requires a second factor: set it up (enrolTotp, confirmTotp) first.");
  }
  if (viewer.tokenExpiresAt !== null && viewer.tokenExpiresAt <= Date.now()) {
    throw unauthenticated("Your token has expired: log in again.");
  }
  return viewer as AuthenticatedViewer;
}

export function hasRole(viewer: Viewer, role: Role): boolean {
  return viewer.roles.has(role);
}
