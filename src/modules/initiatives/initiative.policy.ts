import type { Viewer } from "../../shared/viewer.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import type { MemberRole } from "./initiative.tables.js";
import type { OrganisationRow } from "./organisation.repository.js";
import type { PlacementRow } from "./participation.repository.js";
import type { SignupRow } from "./signup.repository.js";

/**
 * Who may see and do what with organisations, initiatives, sign-ups and placements. Pure rules over
 * rows and the viewer's membership role (looked up by the services), used by every service of the
 * module so a rule cannot differ between two places.
 */
export const initiativePolicy = {
  /** Organisations are public once verified; before that only members and coordinators see them. */
  canSeeOrganisation(viewer: Viewer, org: OrganisationRow, role: MemberRole | undefined): boolean {
    return org.verifiedAt !== null || role !== undefined || viewer.roles.has("COORDINATOR");
  },

  /** Organisers manage the organisation, its initiatives and its participants. */
  isOrganiser(role: MemberRole | undefined): boolean {
    return role === "ORGANISER";
  },

  /** The member list: the organisation's organisers and coordinators. */
  canSeeMembers(viewer: Viewer, role: MemberRole | undefined): boolean {
    return role === "ORGANISER" || viewer.roles.has("COORDINATOR");
  },

  /** Public: published (or since cancelled or ended) by a verified organisation. Drafts never are. */
  isPublic(row: InitiativeRow): boolean {
    return row.organisationVerified && row.status !== "DRAFT";
  },

  canSeeInitiative(row: InitiativeRow, role: MemberRole | undefined): boolean {
    return initiativePolicy.isPublic(row) || role === "ORGANISER";
  },

  /** Open for sign-up and referral: published, public, and not all dates past. */
  isOpen(row: InitiativeRow, now: Date): boolean {
    return row.status === "PUBLISHED" && row.organisationVerified && (row.lastEndsAt === null || row.lastEndsAt.getTime() > now.getTime());
  },

  /** The participant themself, whoever signed them up, and the initiative's organisers. Nobody else. */
  canSeeSignup(viewer: Viewer, s: Pick<SignupRow, "personId" | "signedUpById">, organiser: boolean): boolean {
    const me = viewer.personId;
    return organiser || (me !== null && (me === s.personId || me === s.signedUpById));
  },

  /** The organisation's organisers, the referring professional, and the participant. Nobody else. */
  canSeePlacement(viewer: Viewer, p: Pick<PlacementRow, "participantId" | "referredById">, organiser: boolean): boolean {
    const me = viewer.personId;
    return organiser || (me !== null && (me === p.participantId || me === p.referredById));
  },
};
