import { type WeeklySlot, speaksLanguage, windowMeetsSlots } from "../../shared/availability.js";
import type { Viewer } from "../../shared/viewer.js";
import type { HelpRequestRow } from "./help-request.repository.js";

/** What decides which open requests a volunteer may browse, read and accept (their profile and VOG). */
export interface OpenRequestFit {
  neighbourhoodIds: string[];
  categoryIds: string[];
  /**
   * The same ids as sets, where a fit is checked against many requests (a posted request is checked
   * against every subscribed volunteer's fit): a lookup instead of comparing ids one by one.
   */
  neighbourhoodSet?: ReadonlySet<string>;
  categorySet?: ReadonlySet<string>;
  vogVerified: boolean;
}

/** The columns browsing narrows on; `browseScope` and `fitsOpenRequest` are the same rule, for SQL and for one row. */
export interface BrowseScope {
  neighbourhoodIds: string[];
  categoryIds: string[];
  vogVerified: boolean;
}

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
   * Whether an open request lies within a volunteer's neighbourhoods and categories. Apart from the
   * VOG, this is what a volunteer may be handed by an organisation, too. A sandbox's request (a partner
   * app's test) fits nobody.
   */
  fitsProfile(fit: OpenRequestFit, r: HelpRequestRow): boolean {
    if (r.sandbox) return false;
    const inNeighbourhood = fit.neighbourhoodSet ? fit.neighbourhoodSet.has(r.neighbourhoodId) : fit.neighbourhoodIds.includes(r.neighbourhoodId);
    return inNeighbourhood && (fit.categorySet ? fit.categorySet.has(r.categoryId) : fit.categoryIds.includes(r.categoryId));
  },

  /**
   * The one rule for browsing, reading and accepting an open request as a volunteer: it lies within
   * their neighbourhoods and categories, and they hold a verified VOG if it needs one. Reading must not
   * reach further than browsing, or a guessed or shared id shows a stranger's request elsewhere.
   */
  fitsOpenRequest(fit: OpenRequestFit, r: HelpRequestRow): boolean {
    return helpRequestPolicy.fitsProfile(fit, r) && (!r.vogRequired || fit.vogVerified);
  },

  /**
   * `fitsOpenRequest` as query bounds for browsing: the volunteer's neighbourhoods and categories,
   * narrowed (never widened) by what they asked for, and whether requests needing a VOG may show.
   */
  browseScope(fit: OpenRequestFit, wanted: { neighbourhoodIds?: string[] | null; categoryIds?: string[] | null }): BrowseScope {
    const narrow = (mine: string[], asked: string[] | null | undefined) => (asked?.length ? mine.filter((id) => asked.includes(id)) : mine);
    return {
      neighbourhoodIds: narrow(fit.neighbourhoodIds, wanted.neighbourhoodIds),
      categoryIds: narrow(fit.categoryIds, wanted.categoryIds),
      vogVerified: fit.vogVerified,
    };
  },

  /**
   * Whether what is known of the volunteer suits the request: its window meets one of their weekly
   * slots (Europe/Amsterdam) and they speak the language it states. Not a rule of access but of what
   * is shown by default (browsing, live and notified): reading, accepting and the `allTimesAndLanguages`
   * filter reach past it. A volunteer who stated no availability or no languages is limited by neither.
   */
  suitsWhatIsKnown(known: { availability: readonly WeeklySlot[]; languages: readonly string[] }, r: Pick<HelpRequestRow, "windowStart" | "windowEnd" | "language">): boolean {
    return speaksLanguage(r.language, known.languages) && windowMeetsSlots(r.windowStart, r.windowEnd, known.availability);
  },

  /**
   * Whether the request is visible at all: those involved and coordinators always; a volunteer while
   * it is open (without personal details) and fits them as browsing would show it (`fitsOpenRequest`).
   */
  canSee(viewer: Viewer, r: HelpRequestRow, fit: () => Promise<OpenRequestFit>): Promise<boolean> | boolean {
    if (helpRequestPolicy.canSeeHistory(viewer, r)) return true;
    if (!viewer.roles.has("VOLUNTEER") || r.status !== "OPEN") return false;
    return fit().then((f) => helpRequestPolicy.fitsOpenRequest(f, r));
  },
};
