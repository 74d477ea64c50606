import type { HelpRequestStatus } from "./help-request.tables.js";
import type { Page, PageArgs } from "../../shared/pagination.js";
import type { AuthenticatedViewer, Viewer } from "../../shared/viewer.js";
import type { HelpRequestRow } from "./help-request.repository.js";

/** How the matched volunteer reaches an organisation a request was asked for (its public details). */
export interface OrganisationContact {
  name: string;
  phone: string | null;
  address: string | null;
}

/**
 * What the help-request module needs to know of organisations, and nothing more: linked by the
 * composition root to the initiatives module, which owns them. Until linked, nobody organises anything.
 */
export interface OrganisationsForHelpRequests {
  /** Whether the viewer organises the organisation: its organisers share what it asked and what it took on. */
  isOrganiser(viewer: Viewer, organisationId: string): Promise<boolean>;
  /** The volunteers of the verified organisations the viewer organises: their organisers may see what fits them. */
  organisedVolunteerIds(viewer: Viewer): Promise<string[]>;
  /** Where the matched volunteer reaches an organisation a request was asked for. */
  contactOf(organisationId: string): Promise<OrganisationContact | undefined>;
}

export const noOrganisations: OrganisationsForHelpRequests = {
  isOrganiser: async () => false,
  organisedVolunteerIds: async () => [],
  contactOf: async () => undefined,
};

/** An organisation taking a request on, or handing it on: who holds it and who helps. */
export interface OrganisationMatch {
  organisationId: string;
  /** The volunteer (one of the organisation's) who helps and, while matched, sees the contact details. */
  assigneeId: string;
}

/**
 * What the organisation side (src/modules/initiatives) may do with help requests. Whether the viewer
 * acts for the organisation and whom it may assign is decided there; the request's own rules (its
 * status, its window, whether the assignee fits it) are checked here.
 */
export interface HelpRequestsForOrganisations {
  /** The stored request, without a visibility check. */
  findRow(id: string): Promise<HelpRequestRow | undefined>;
  /** OPEN -> MATCHED with the organisation as the matched party and the assignee as the person who helps. */
  matchForOrganisation(actor: AuthenticatedViewer, id: string, match: OrganisationMatch): Promise<HelpRequestRow>;
  /** A MATCHED request the organisation holds goes to another of its volunteers. */
  rematchWithinOrganisation(actor: AuthenticatedViewer, id: string, match: OrganisationMatch): Promise<HelpRequestRow>;
  /** Open requests that fit at least one of these volunteers, newest first. */
  openForVolunteers(volunteerIds: string[], scopeName: string, args: PageArgs): Promise<Page<HelpRequestRow>>;
  /** Requests asked for the organisation, newest first. */
  askedForOrganisation(organisationId: string, statuses: HelpRequestStatus[] | null, args: PageArgs): Promise<Page<HelpRequestRow>>;
  /** How many requests were asked for the organisation (with these statuses). */
  countAskedForOrganisation(organisationId: string, statuses: HelpRequestStatus[] | null): Promise<number>;
}
