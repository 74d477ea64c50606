import type { Viewer } from "../../shared/viewer.js";
import type { HelpRequestRow } from "./help-request.repository.js";

/**
 * Who may see what of a help request. One place, used by the service and by the schema's
 * field authorisation, so a rule cannot differ between the two.
 */
export const helpRequestPolicy = {
  /** Asked for it, is the person helped, or is (or was last) the matched volunteer. */
  isInvolved(viewer: Viewer, r: HelpRequestRow): boolean {
    const me = viewer.personId;
    return me !== null && (me === r.askedById || me === r.personHelpedId || me === r.volunteerId);
  },

  /** Asked for it or is the person helped. */
  isRequester(viewer: Viewer, r: HelpRequestRow): boolean {
    const me = viewer.personId;
    return me !== null && (me === r.askedById || me === r.personHelpedId);
  },

  isMatchedVolunteer(viewer: Viewer, r: HelpRequestRow): boolean {
    return viewer.personId !== null && viewer.personId === r.volunteerId && (r.status === "MATCHED" || r.status === "IN_PROGRESS");
  },

  /** The matched volunteer of a request an organisation took on (the person it assigned). */
  isOrganisationAssignee(viewer: Viewer, r: HelpRequestRow): boolean {
    return r.organisationId !== null && helpRequestPolicy.isMatchedVolunteer(viewer, r);
  },

  /** Address and phone: the person helped, whoever asked for them, and the matched volunteer while the match lasts. */
  canSeeContact(viewer: Viewer, r: HelpRequestRow): boolean {
    return helpRequestPolicy.isRequester(viewer, r) || helpRequestPolicy.isMatchedVolunteer(viewer, r);
  },

  /** The history and the volunteer's name: those involved, and coordinators. */
  canSeeHistory(viewer: Viewer, r: HelpRequestRow): boolean {
    return helpRequestPolicy.isInvolved(viewer, r) || viewer.roles.has("COORDINATOR");
  },

  /**
   * Whether the request is visible at all: those involved and coordinators always; any volunteer
   * while it is open (without personal details), unless it needs a VOG they do not have.
   */
  canSee(viewer: Viewer, r: HelpRequestRow, vogVerified: () => Promise<boolean>): Promise<boolean> | boolean {
    if (helpRequestPolicy.canSeeHistory(viewer, r)) return true;
    if (!viewer.roles.has("VOLUNTEER") || r.status !== "OPEN") return false;
    return r.vogRequired ? vogVerified() : true;
  },
};
