import type { HelpRequestStatus, Urgency } from "./help-request.tables.js";
import type { Clock } from "../../shared/clock.js";
import { type Page, type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import type { BrowseOrder, HelpRequestBrowseRepository } from "./help-request.browse.repository.js";
import type { HelpRequestFit } from "./help-request.fit.js";
import { helpRequestPolicy as policy } from "./help-request.policy.js";
import type { HelpRequestRow } from "./help-request.repository.js";

export interface BrowseArgs extends PageArgs {
  neighbourhoodIds?: string[] | null;
  categoryIds?: string[] | null;
  urgencies?: Urgency[] | null;
  from?: Date | null;
  to?: Date | null;
  order?: BrowseOrder | null;
}

/**
 * Pages of requests: the open requests that fit a volunteer (browsing, the busiest read) or an
 * organisation's volunteers, and a person's or an organisation's own requests. Each page is one query;
 * rows carry no contact details, and field rules apply to them as to any request.
 */
export class HelpRequestBrowse {
  constructor(
    private readonly repo: HelpRequestBrowseRepository,
    private readonly fit: HelpRequestFit,
    private readonly volunteers: VolunteerService,
    private readonly clock: Clock,
  ) {}

  /** Open requests that fit the volunteer's profile (neighbourhoods, categories, VOG), narrowed by the filter. */
  async browse(viewer: Viewer, args: BrowseArgs): Promise<Page<HelpRequestRow>> {
    const v = this.volunteers.requireVolunteer(viewer);
    const order = args.order ?? "NEWEST";
    const scope = cursorScope(`HelpRequest.open.${order}`, {
      neighbourhoodIds: args.neighbourhoodIds,
      categoryIds: args.categoryIds,
      urgencies: args.urgencies,
      from: args.from,
      to: args.to,
    });
    const page = pageRequest(args, scope);
    const fit = await this.volunteers.recentFitOf(v.personId);
    return this.repo.browse({
      viewerId: v.personId,
      ...policy.browseScope(fit, args),
      urgencies: args.urgencies ?? null,
      from: args.from ?? null,
      to: args.to ?? null,
      now: this.clock.now(),
      order,
      page,
      cursorScope: scope,
    });
  }

  /**
   * Open requests that fit at least one of these volunteers, newest first: an organisation's view (the
   * caller checked that the viewer organises it and passes its volunteers). The same privacy as a
   * volunteer's browse.
   */
  async openForVolunteers(volunteerIds: string[], scopeName: string, args: PageArgs): Promise<Page<HelpRequestRow>> {
    const scope = cursorScope(scopeName);
    const page = pageRequest(args, scope);
    const fits = await this.fit.fitsOf(volunteerIds);
    return this.repo.openForFits({ fits, now: this.clock.now(), page, cursorScope: scope });
  }

  /** Requests the viewer asked (or that are for them), or that they help with, newest first. */
  async mine(viewer: Viewer, relation: "ASKED" | "HELPING", statuses: HelpRequestStatus[] | null, args: PageArgs) {
    const v = requireViewer(viewer);
    const scope = cursorScope(`HelpRequest.mine.${relation}`, { statuses });
    return this.repo.forPerson(v.personId, relation, statuses, pageRequest(args, scope), scope);
  }

  /** How many requests `mine` pages through. */
  countMine(viewer: Viewer, relation: "ASKED" | "HELPING", statuses: HelpRequestStatus[] | null): Promise<number> {
    return this.repo.countForPerson(requireViewer(viewer).personId, relation, statuses);
  }

  /** Requests asked for an organisation, newest first (the caller checked that the viewer organises it). */
  askedForOrganisation(organisationId: string, statuses: HelpRequestStatus[] | null, args: PageArgs): Promise<Page<HelpRequestRow>> {
    const scope = cursorScope(`Organisation.askedHelpRequests.${organisationId}`, { statuses });
    return this.repo.forAskingOrganisation(organisationId, statuses, pageRequest(args, scope), scope);
  }

  /** How many requests `askedForOrganisation` pages through (the caller checked that the viewer organises it). */
  countAskedForOrganisation(organisationId: string, statuses: HelpRequestStatus[] | null): Promise<number> {
    return this.repo.countForAskingOrganisation(organisationId, statuses);
  }
}
