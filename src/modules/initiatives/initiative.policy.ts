import type { Viewer } from "../../shared/viewer.js";
import type { InitiativeRow } from "./initiative.repository.js";
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

/** The smallest number of people a published count of places may rest on (docs/statistics-privacy.md). */
const PLACES_THRESHOLD = 5;

/**
 * The counts of places as everyone sees them. A number of one to four people is given as 0, so it
 * neither names nor counts the few who signed up; a participation place's placements are not
 * published at all (its use is published, over groups of at least five, by participationUtilisation).
 * The organisation sees who holds its places through its sign-ups and placements.
 */
export function publishedPlaces(r: { kind: string; capacity: number | null; takenCount: number; waitlistCount: number }): {
  taken: number;
  left: number | null;
  waiting: number;
} {
  if (r.kind === "PARTICIPATION_PLACE") return { taken: 0, left: null, waiting: 0 };
  const publish = (n: number) => (n < PLACES_THRESHOLD ? 0 : n);
  const taken = publish(r.takenCount);
  return { taken, left: r.capacity === null ? null : Math.max(0, r.capacity - taken), waiting: publish(r.waitlistCount) };
}

/** The same rule for the hasPlacesLeft filter: an initiative is shown as full only when its published count says so. */
export const PUBLISHED_PLACES_THRESHOLD = PLACES_THRESHOLD;
