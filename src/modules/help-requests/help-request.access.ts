import { forbidden, notFound } from "../../shared/errors.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import type { HelpRequestFit } from "./help-request.fit.js";
import type { OrganisationsForHelpRequests } from "./help-request.organisations.js";
import { helpRequestPolicy as policy } from "./help-request.policy.js";
import type { HelpRequestEventRow, HelpRequestRepository, HelpRequestRow } from "./help-request.repository.js";

export interface ContactDetails {
  fullName: string;
  address: string | null;
  phone: string | null;
}

/**
 * Who may see a request, and what of it: the request itself, its history, and the contact details of
 * the person helped and of whoever asked. The rules are helpRequestPolicy's, plus what depends on data
 * elsewhere (a volunteer's fit, the organisations the viewer organises). Every read of a person's
 * details by someone else is logged.
 */
export class HelpRequestAccess {
  constructor(
    private readonly repo: HelpRequestRepository,
    private readonly fit: HelpRequestFit,
    private readonly volunteers: VolunteerService,
    private readonly people: PersonService,
    private readonly accessLog: AccessLogService,
    private readonly organisations: () => OrganisationsForHelpRequests,
  ) {}

  /** One request as the viewer may see it; NOT_FOUND when they may not (its existence is not revealed). */
  async get(viewer: Viewer, id: string): Promise<HelpRequestRow> {
    requireViewer(viewer);
    const row = await this.repo.findById(id);
    if (!row || !(await this.canSee(viewer, row))) throw notFound(R.HELP_REQUEST_NOT_FOUND, "No help request with this id is visible to you.");
    return row;
  }

  /** The stored row without a visibility check; callers apply the policy themselves. */
  findRow(id: string): Promise<HelpRequestRow | undefined> {
    return this.repo.findById(id);
  }

  async findVisible(viewer: Viewer, id: string): Promise<HelpRequestRow | null> {
    const row = await this.repo.findById(id);
    return row && (await this.canSee(viewer, row)) ? row : null;
  }

  /**
   * Those involved and coordinators; a volunteer it fits while open (policy.canSee); the organisers of
   * the organisation it was asked for or that took it on; and, while open, the organisers of an
   * organisation with a volunteer it fits. Synchronous when the policy alone decides.
   */
  canSee(viewer: Viewer, row: HelpRequestRow): boolean | Promise<boolean> {
    const me = viewer.personId;
    const seen = me === null ? false : policy.canSee(viewer, row, () => this.volunteers.fitOf(me));
    const organisationId = row.organisationId;
    if (viewer.personId === null) return seen;
    const organisations = this.organisations();
    if (row.askingOrganisationId !== null) {
      const asking = row.askingOrganisationId;
      const rest = { ...row, askingOrganisationId: null };
      return Promise.resolve(seen).then(async (ok) => ok || (await organisations.isOrganiser(viewer, asking)) || this.canSee(viewer, rest));
    }
    if (organisationId === null) {
      if (row.status !== "OPEN" || !viewer.roles.has("ORGANISER")) return seen;
      return Promise.resolve(seen).then((ok) => ok || this.fit.fitsOneOf(row, () => organisations.organisedVolunteerIds(viewer)));
    }
    return Promise.resolve(seen).then((ok) => ok || organisations.isOrganiser(viewer, organisationId));
  }

  /**
   * Whether the viewer follows the request (its history, its changes, its volunteer): those involved,
   * coordinators, and the organisers of the organisation that took it on or that it was asked for.
   */
  async canFollow(viewer: Viewer, row: HelpRequestRow): Promise<boolean> {
    if (policy.canSeeHistory(viewer, row)) return true;
    const organisations = this.organisations();
    if (row.organisationId !== null && (await organisations.isOrganiser(viewer, row.organisationId))) return true;
    return row.askingOrganisationId !== null && organisations.isOrganiser(viewer, row.askingOrganisationId);
  }

  /** Asked for it, is the person helped, or organises the organisation it was asked for. */
  async isAskerSide(viewer: Viewer, row: HelpRequestRow): Promise<boolean> {
    if (policy.isRequester(viewer, row)) return true;
    return row.askingOrganisationId !== null && viewer.personId !== null && this.organisations().isOrganiser(viewer, row.askingOrganisationId);
  }

  /** The transitions of a request without a visibility check (the caller applies its own rules). */
  historyRows(id: string): Promise<HelpRequestEventRow[]> {
    return this.repo.events(id);
  }

  /**
   * A request's transitions, for those who follow it. `load` fetches the events (a batching loader
   * when many requests are listed at once); the access check is per request.
   */
  async history(viewer: Viewer, row: HelpRequestRow, load: (id: string) => Promise<HelpRequestEventRow[]> = (id) => this.repo.events(id)) {
    if (!(await this.canFollow(viewer, row))) throw forbidden(R.HISTORY_HIDDEN, "Only those involved can see this request's history.");
    return load(row.id);
  }

  /** The histories of several requests in one query, for a batching loader (no access check). */
  historiesOf(ids: readonly string[]): Promise<HelpRequestEventRow[][]> {
    return this.repo.eventsFor(ids);
  }

  /** One transition, for those who may see its request's history (node lookups); null otherwise. */
  async findVisibleEvent(viewer: Viewer, id: string): Promise<HelpRequestEventRow | null> {
    const event = await this.repo.findEvent(id);
    const row = event && (await this.findVisible(viewer, event.helpRequestId));
    if (!event || !row) return null;
    try {
      await this.history(viewer, row, async () => []);
      return event;
    } catch {
      return null;
    }
  }

  /** Address and phone of the person helped, for those allowed; every read by someone else is logged. */
  async contact(viewer: Viewer, row: HelpRequestRow, person: PersonRow | undefined): Promise<ContactDetails> {
    const hidden = () => forbidden(R.CONTACT_DETAILS_HIDDEN, "Contact details are visible only to the person helped, the requester and the matched volunteer.");
    const matched = policy.isMatchedVolunteer(viewer, row);
    const self = viewer.personId !== null && viewer.personId === row.personHelpedId;
    if (!self && !matched && !(await this.isAskerSide(viewer, row))) throw hidden();
    if (!person) throw notFound(R.PERSON_NOT_FOUND, "The person helped no longer exists.");
    // Someone with their own account keeps their stored details to themself: whoever asked knows them.
    if (!self && !matched && person.email !== null) throw hidden();
    const purpose = policy.isOrganisationAssignee(viewer, row) ? "assigned by organisation" : policy.isMatchedVolunteer(viewer, row) ? "matched volunteer" : "asked on behalf";
    await this.accessLog.record(viewer.personId!, person.id, ["fullName", "address", "phone"], purpose, row.id, { viewer });
    return {
      fullName: [person.firstName, person.lastName].filter(Boolean).join(" "),
      address: person.address,
      phone: person.phone,
    };
  }

  /**
   * Whom the matched volunteer reaches besides the person helped: whoever asked (name and phone), or
   * the organisation it was asked for (name, phone, address). For the matched volunteer while matched
   * and the asking side; a read of a person's details by someone else is logged.
   */
  async askerContact(viewer: Viewer, row: HelpRequestRow): Promise<ContactDetails> {
    const volunteer = policy.isMatchedVolunteer(viewer, row);
    if (!volunteer && !(await this.isAskerSide(viewer, row))) {
      throw forbidden(R.CONTACT_DETAILS_HIDDEN, "Whoever asked is reached by the matched volunteer while matched, and by the asking side.");
    }
    if (row.askingOrganisationId !== null) {
      const org = await this.organisations().contactOf(row.askingOrganisationId);
      if (org) return { fullName: org.name, phone: org.phone, address: org.address };
    }
    const asker = await this.people.findById(row.askedById);
    if (!asker) throw notFound(R.PERSON_NOT_FOUND, "Whoever asked no longer exists.");
    await this.accessLog.record(viewer.personId!, asker.id, ["fullName", "phone"], volunteer ? "matched volunteer" : "asked on behalf", row.id, { viewer });
    return { fullName: [asker.firstName, asker.lastName].filter(Boolean).join(" "), address: null, phone: asker.phone };
  }
}
