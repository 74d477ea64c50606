import type { HelpRequestStatus, Urgency } from "./help-request.tables.js";
import type { Clock } from "../../shared/clock.js";
import { MAX_PAGE_SIZE, type Page, type PageArgs, cursorScope, encodeCursor, pageRequest } from "../../shared/pagination.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import type { BrowseOrder, BrowseQuery, HelpRequestBrowseRepository } from "./help-request.browse.repository.js";
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
  /** Also requests outside the volunteer's weekly availability and languages. */
  allTimesAndLanguages?: boolean | null;
  /** The fields selected on each request: only their columns are read (null: all). */
  fields?: ReadonlySet<string> | null;
}

/** How many rows one read of a page fitted to availability scans, per row wanted, and how many reads at most. */
const SCAN_FACTOR = 4;
const SCAN_READS = 3;

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
      all: args.allTimesAndLanguages ?? undefined,
    });
    const page = pageRequest(args, scope);
    const fit = await this.volunteers.recentFitOf(v.personId);
    const query = {
      viewerId: v.personId,
      ...policy.browseScope(fit, args),
      urgencies: args.urgencies ?? null,
      from: args.from ?? null,
      to: args.to ?? null,
      now: this.clock.now(),
      order,
      page,
      cursorScope: scope,
      fields: args.fields ?? null,
    };
    const limited = fit.availability.length > 0 || fit.languages.length > 0;
    if (args.allTimesAndLanguages || !limited) return this.repo.browse(query);
    return this.suitingPage(query, (r) => policy.suitsWhatIsKnown(fit, r));
  }

  /**
   * A page of the browse query's rows that also suit the volunteer's availability and languages,
   * which SQL does not decide (weekly wall-clock slots against instants): the page is chosen on the
   * index as always, first as asked, then reading on after the last row scanned with SCAN_FACTOR rows
   * per row wanted, SCAN_READS reads at most; so a page costs a bounded number of index reads however
   * few rows suit, and no more than before when they all do.
   * A page may then hold fewer rows than asked with `hasNextPage` still true (docs/decisions.md).
   */
  private async suitingPage(query: BrowseQuery, suits: (r: HelpRequestRow) => boolean): Promise<Page<HelpRequestRow>> {
    const { page } = query;
    const sortOf = (r: HelpRequestRow) => (query.order === "NEWEST" ? r.createdAt : r.windowStart).getTime();
    const scan = Math.min(page.limit * SCAN_FACTOR, MAX_PAGE_SIZE * SCAN_FACTOR);
    const found: HelpRequestRow[] = [];
    let cursor = page.cursor;
    let more = false;
    for (let read = 0; read < SCAN_READS; read++) {
      // The first read is the page as asked (most rows suit most volunteers); later reads scan wider.
      const scanned = await this.repo.browse({ ...query, page: { limit: read === 0 ? page.limit : scan, cursor, backward: page.backward } });
      // Rows in the order read (away from the cursor): a backward page comes back reversed.
      const rows = page.backward ? [...scanned.items].reverse() : scanned.items;
      found.push(...rows.filter(suits));
      more = page.backward ? scanned.hasPreviousPage : scanned.hasNextPage;
      if (found.length >= page.limit || !more || rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      cursor = { sort: sortOf(last), id: last.id };
    }
    const items = found.slice(0, page.limit);
    const beyond = found.length > page.limit || more;
    if (page.backward) items.reverse();
    return {
      items,
      hasNextPage: page.backward ? page.cursor !== null : beyond,
      hasPreviousPage: page.backward ? beyond : page.cursor !== null,
      cursorOf: (r) => encodeCursor({ sort: sortOf(r), id: r.id }, query.cursorScope),
    };
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
