import type { Clock } from "../../shared/clock.js";
import { forbidden } from "../../shared/errors.js";
import type { Viewer } from "../../shared/viewer.js";
import type { VolunteerFit, VolunteerService } from "../volunteers/volunteer.service.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import { helpRequestPolicy as policy } from "./help-request.policy.js";
import type { HelpRequestRow } from "./help-request.repository.js";

/** What a volunteer narrowed their `helpRequestPosted` subscription to. */
export interface SubscriberFilter {
  neighbourhoodIds?: string[] | null;
  categoryIds?: string[] | null;
  /** Also requests outside the volunteer's weekly availability and languages (see helpRequestPolicy.suitsWhatIsKnown). */
  allTimesAndLanguages?: boolean | null;
}

/**
 * Which requests fit whom, beyond the rule itself (helpRequestPolicy.fitsOpenRequest): a live
 * subscriber and their filter, the volunteers of an organisation, an assignee an organisation names.
 * Fits are read through the volunteers' short-lived cache, except where a decision must be exact.
 */
export class HelpRequestFit {
  constructor(
    private readonly volunteers: VolunteerService,
    private readonly clock: Clock,
  ) {}

  /** Whether a posted request should reach this volunteer's `helpRequestPosted` subscription. */
  async fitsSubscriber(viewer: Viewer, row: HelpRequestRow, filter: SubscriberFilter): Promise<boolean> {
    if (!viewer.personId) return false;
    return this.fitsSubscriberWith(viewer, row, filter, await this.volunteers.recentFitOf(viewer.personId));
  }

  /**
   * `fitsSubscriber` without waiting when the volunteer's fit is at hand: a posted request is checked
   * for every subscribed volunteer, so the common case stays synchronous.
   */
  fitsSubscriberNow(viewer: Viewer, row: HelpRequestRow, filter: SubscriberFilter): boolean | Promise<boolean> {
    const fit = viewer.personId ? this.volunteers.recentFitNow(viewer.personId) : undefined;
    return fit ? this.fitsSubscriberWith(viewer, row, filter, fit) : this.fitsSubscriber(viewer, row, filter);
  }

  private fitsSubscriberWith(viewer: Viewer, row: HelpRequestRow, filter: SubscriberFilter, fit: VolunteerFit): boolean {
    if (!viewer.personId || !viewer.roles.has("VOLUNTEER") || row.status !== "OPEN") return false;
    if (policy.isRequester(viewer, row)) return false;
    if (filter.neighbourhoodIds?.length && !filter.neighbourhoodIds.includes(row.neighbourhoodId)) return false;
    if (filter.categoryIds?.length && !filter.categoryIds.includes(row.categoryId)) return false;
    return policy.fitsOpenRequest(fit, row) && (filter.allTimesAndLanguages === true || policy.suitsWhatIsKnown(fit, row));
  }

  /**
   * Whether an open request, still in its window, fits one of the volunteers `volunteerIds` names (an
   * organisation's: its organisers may see what they could take on for them). Looked up only when the
   * window is open.
   */
  async fitsOneOf(row: HelpRequestRow, volunteerIds: () => Promise<string[]>): Promise<boolean> {
    if (row.sandbox || row.windowEnd.getTime() <= this.clock.now().getTime()) return false;
    const fits = await Promise.all((await volunteerIds()).map((id) => this.volunteers.recentFitOf(id)));
    return fits.some(
      (f) =>
        f.personId !== row.askedById &&
        f.personId !== row.personHelpedId &&
        f.neighbourhoodIds.includes(row.neighbourhoodId) &&
        f.categoryIds.includes(row.categoryId) &&
        (!row.vogRequired || f.vogVerified),
    );
  }

  /** The volunteers' fits, for listing what fits any of them (see HelpRequestBrowseRepository.openForFits). */
  fitsOf(volunteerIds: string[]): Promise<VolunteerFit[]> {
    return Promise.all(volunteerIds.map((id) => this.volunteers.recentFitOf(id)));
  }

  /**
   * Throws unless an organisation may hand the request to this volunteer: not someone who asked it or
   * is helped by it, with a verified VOG if it needs one, and a profile that covers it (read exactly).
   */
  async requireAssignee(row: HelpRequestRow, assigneeId: string): Promise<void> {
    if (assigneeId === row.askedById || assigneeId === row.personHelpedId) {
      throw forbidden(R.CANNOT_ACCEPT_OWN_REQUEST, "The assignee asked this request or is helped by it.");
    }
    const fit = await this.volunteers.fitOf(assigneeId);
    if (row.vogRequired && !fit.vogVerified) {
      throw forbidden(R.VOG_REQUIRED, "This request needs a volunteer with a verified VOG (certificate of conduct).");
    }
    if (!policy.fitsProfile(fit, row)) {
      throw forbidden(R.ASSIGNEE_DOES_NOT_FIT, "The assignee's volunteer profile does not cover this request's neighbourhood and category.");
    }
  }
}
