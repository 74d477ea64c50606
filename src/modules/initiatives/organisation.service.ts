import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { email, optionalText, parseInput, phone, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { HelpRequestStatus } from "../help-requests/help-request.tables.js";
import type { HelpRequestsForOrganisations } from "../help-requests/help-request.organisations.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import { HelpRequestReason } from "../help-requests/help-request.errors.js";
import { publishedEvent } from "./initiative.events.js";
import { initiativePolicy as policy } from "./initiative.policy.js";
import type { MemberRole, OrganisationKind } from "./initiative.tables.js";
import type { MemberRow, OrganisationRepository, OrganisationRow } from "./organisation.repository.js";

const KINDS = ["WIJKWINKEL", "COMMUNITY_CENTRE", "SHOP", "WELFARE", "LEARNING_WORK_COMPANY", "OTHER"] as const;

const CreateSchema = z.object({
  name: text(1, 120),
  kind: z.enum(KINDS),
  description: text(1, 2000),
  neighbourhoodId: z.string().min(1, "must not be empty"),
  address: optionalText(300),
  phone: phone.nullish(),
  email: email.nullish(),
  website: z
    .string()
    .trim()
    .max(300, "must be at most 300 characters")
    .regex(/^https?:\/\/[^\s]+$/, "must be a web address starting with http:// or https://")
    .nullish(),
});

/** How long one request (or subscription) trusts a membership it looked up. */
const MEMBERSHIP_MEMO_MS = 2_000;

/**
 * Organisations (wijkwinkels, community centres, welfare foundations, learning-work companies): who
 * belongs to them, their verification by a coordinator, and taking on help requests for their own
 * volunteers.
 */
export class OrganisationService {
  /** Membership lookups per viewer object (one per request or subscription), briefly memoised. */
  private readonly memo = new WeakMap<Viewer, Map<string, { at: number; role: Promise<MemberRole | undefined> }>>();

  constructor(
    private readonly repo: OrganisationRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly helpRequests: HelpRequestsForOrganisations,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {
    // Organiser rights come with the ORGANISER role: taking the role away ends the person's organiser
    // memberships, so they no longer read participants' details or act for the organisation.
    people.onRoleRevoked(async (personId, role) => (role === "ORGANISER" ? (await this.repo.endOrganiserMemberships(personId, this.clock.now())).length : 0));
  }

  /** Registers an organisation; the creator (an organiser or coordinator) becomes its first organiser. */
  async create(viewer: Viewer, input: unknown): Promise<OrganisationRow> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "ORGANISER") && !hasRole(v, "COORDINATOR")) {
      throw forbidden(R.ROLE_REQUIRED, "This needs one of the roles: ORGANISER, COORDINATOR.");
    }
    const data = parseInput(CreateSchema, input);
    await this.places.requireNeighbourhood(data.neighbourhoodId, "input.neighbourhoodId");
    const now = this.clock.now();
    const row: OrganisationRow = {
      id: newId("Organisation"),
      name: data.name,
      kind: data.kind as OrganisationKind,
      description: data.description,
      neighbourhoodId: data.neighbourhoodId,
      address: data.address,
      phone: data.phone ?? null,
      email: data.email ?? null,
      website: data.website ?? null,
      verifiedAt: null,
      verifiedById: null,
      createdById: v.personId,
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insert(row);
    this.forget(v);
    return (await this.repo.findById(row.id))!;
  }

  /** One organisation as the viewer may see it; NOT_FOUND otherwise. */
  async get(viewer: Viewer, id: string): Promise<OrganisationRow> {
    const row = await this.repo.findById(id);
    if (!row || !policy.canSeeOrganisation(viewer, row, await this.roleOf(viewer, id))) {
      throw notFound(R.ORGANISATION_NOT_FOUND, "No organisation with this id is visible to you.");
    }
    return row;
  }

  async findVisible(viewer: Viewer, id: string): Promise<OrganisationRow | null> {
    const row = await this.repo.findById(id);
    return row && policy.canSeeOrganisation(viewer, row, await this.roleOf(viewer, id)) ? row : null;
  }

  /** The stored row, without a visibility check (for rows already known to be visible). */
  findRow(id: string): Promise<OrganisationRow | undefined> {
    return this.repo.findById(id);
  }

  findRows(ids: readonly string[]): Promise<OrganisationRow[]> {
    return this.repo.findByIds(ids);
  }

  /** Verified organisations for everyone; coordinators may ask for those awaiting verification. */
  async list(viewer: Viewer, filter: { kinds?: OrganisationKind[] | null; neighbourhoodIds?: string[] | null; pendingVerification?: boolean | null }, args: PageArgs) {
    if (filter.pendingVerification) {
      const v = requireViewer(viewer);
      if (!hasRole(v, "COORDINATOR")) throw forbidden(R.COORDINATOR_ONLY, "Only a coordinator can list organisations awaiting verification.");
    }
    for (const [i, id] of (filter.neighbourhoodIds ?? []).entries()) await this.places.requireNeighbourhood(id, `filter.neighbourhoodIds.${i}`);
    const scope = cursorScope("Organisations", { ...filter });
    return this.repo.list({
      verified: !filter.pendingVerification,
      kinds: filter.kinds ?? null,
      neighbourhoodIds: filter.neighbourhoodIds ?? null,
      page: pageRequest(args, scope),
      cursorScope: scope,
    });
  }

  async mine(viewer: Viewer) {
    const v = requireViewer(viewer);
    return this.repo.forMember(v.personId);
  }

  /** A coordinator verifies an organisation; its published initiatives become public at once. */
  async verify(viewer: Viewer, id: string): Promise<OrganisationRow> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(R.COORDINATOR_ONLY, "Only a coordinator can verify an organisation.");
    const row = await this.repo.findById(id);
    if (!row) throw notFound(R.ORGANISATION_NOT_FOUND, "No organisation has this id.");
    await this.outbox.unit(async () => {
      const result = await this.repo.verify(id, v.personId, this.clock.now());
      await this.outbox.emit(result.publishedIds.map(publishedEvent));
    });
    return (await this.repo.findById(id))!;
  }

  /** Members of an organisation: for its organisers and coordinators. */
  async members(viewer: Viewer, organisationId: string): Promise<MemberRow[]> {
    const v = requireViewer(viewer);
    if (!policy.canSeeMembers(v, await this.roleOf(v, organisationId))) {
      throw forbidden(R.NOT_AN_ORGANISER, "Only the organisers of this organisation can see its members.");
    }
    return this.repo.members(organisationId);
  }

  /** An organiser (or a coordinator) adds a person with an account, or changes their role. */
  async addMember(viewer: Viewer, organisationId: string, personId: string, role: MemberRole): Promise<MemberRow[]> {
    const v = requireViewer(viewer);
    await this.get(v, organisationId);
    if (!policy.canSeeMembers(v, await this.roleOf(v, organisationId))) {
      throw forbidden(R.NOT_AN_ORGANISER, "Only the organisers of this organisation can add members.");
    }
    const person = await this.people.findById(personId);
    if (!person || !person.email) throw notFound(R.PERSON_NOT_FOUND, "No account has this id.");
    const outcome = await this.repo.saveMember(organisationId, personId, role, v.personId, this.clock.now());
    if (outcome === "LAST_ORGANISER") throw conflict(R.LAST_ORGANISER, "An organisation keeps at least one organiser.");
    this.forget(v);
    return this.repo.members(organisationId);
  }

  async removeMember(viewer: Viewer, organisationId: string, personId: string): Promise<MemberRow[]> {
    const v = requireViewer(viewer);
    await this.get(v, organisationId);
    if (!policy.canSeeMembers(v, await this.roleOf(v, organisationId))) {
      throw forbidden(R.NOT_AN_ORGANISER, "Only the organisers of this organisation can remove members.");
    }
    const outcome = await this.repo.removeMember(organisationId, personId, this.clock.now());
    if (outcome === "LAST_ORGANISER") throw conflict(R.LAST_ORGANISER, "An organisation keeps at least one organiser.");
    if (outcome === "NOT_A_MEMBER") throw badInput(R.NOT_AN_ORGANISATION_MEMBER, "personId: not a member of this organisation", "personId");
    this.forget(v);
    return this.repo.members(organisationId);
  }

  /**
   * The organisation takes on an open help request for one of its own volunteers: the request is
   * MATCHED with the organisation as the matched party and the assignee as the person who helps
   * (and who, from then on, sees the contact details). Who may act for the organisation and whom it
   * may assign is decided here; the request's own rules (open, in its window, fitting the assignee)
   * by the help-request module.
   */
  async takeOnHelpRequest(viewer: Viewer, helpRequestId: string, organisationId: string, assigneeId: string): Promise<HelpRequestRow> {
    const v = await this.requireActingOrganiser(viewer, organisationId);
    await this.requireVolunteerMember(organisationId, assigneeId);
    return this.helpRequests.matchForOrganisation(v, helpRequestId, { organisationId, assigneeId });
  }

  /**
   * The open requests that fit one of the organisation's volunteers: what its organisers may take on
   * for them. Organisers of a verified organisation only.
   */
  async openHelpRequests(viewer: Viewer, organisationId: string, args: PageArgs) {
    await this.requireActingOrganiser(viewer, organisationId);
    const volunteerIds = await this.repo.volunteerMemberIds([organisationId]);
    return this.helpRequests.openForVolunteers(volunteerIds, `Organisation.openHelpRequests.${organisationId}`, args);
  }

  /** The help requests asked for the organisation: for its organisers. */
  async askedHelpRequests(viewer: Viewer, organisationId: string, statuses: HelpRequestStatus[] | null, args: PageArgs) {
    await this.requireOrganiserOf(viewer, organisationId);
    return this.helpRequests.askedForOrganisation(organisationId, statuses, args);
  }

  /** How many help requests were asked for the organisation: for its organisers. */
  async countAskedHelpRequests(viewer: Viewer, organisationId: string, statuses: HelpRequestStatus[] | null): Promise<number> {
    await this.requireOrganiserOf(viewer, organisationId);
    return this.helpRequests.countAskedForOrganisation(organisationId, statuses);
  }

  private async requireOrganiserOf(viewer: Viewer, organisationId: string) {
    const v = requireViewer(viewer);
    if (!(await this.isOrganiser(v, organisationId))) {
      throw forbidden(R.NOT_AN_ORGANISER, "Only the organisers of this organisation can see the requests asked for it.");
    }
  }

  /** The volunteers of every verified organisation the viewer organises (who may see which open requests). */
  async organisedVolunteerIds(viewer: Viewer): Promise<string[]> {
    if (!viewer.personId) return [];
    const mine = await this.repo.forMember(viewer.personId);
    const organised = mine.filter((m) => policy.isOrganiser(m.role) && m.organisation.verifiedAt !== null).map((m) => m.organisation.id);
    return this.repo.volunteerMemberIds(organised);
  }

  /** Hands a request the organisation holds to another of its volunteers. */
  async reassignHelpRequest(viewer: Viewer, helpRequestId: string, assigneeId: string): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.helpRequests.findRow(helpRequestId);
    const organisationId = row?.organisationId ?? null;
    if (!row || organisationId === null || !policy.isOrganiser(await this.roleOf(v, organisationId))) {
      throw notFound(HelpRequestReason.HELP_REQUEST_NOT_FOUND, "No help request with this id is held by an organisation you organise.");
    }
    await this.requireActingOrganiser(v, organisationId);
    await this.requireVolunteerMember(organisationId, assigneeId);
    return this.helpRequests.rematchWithinOrganisation(v, helpRequestId, { organisationId, assigneeId });
  }

  /** The viewer's role in the organisation, if any. */
  roleOf(viewer: Viewer, organisationId: string): Promise<MemberRole | undefined> {
    const me = viewer.personId;
    if (!me) return Promise.resolve(undefined);
    let byOrg = this.memo.get(viewer);
    if (!byOrg) this.memo.set(viewer, (byOrg = new Map()));
    const hit = byOrg.get(organisationId);
    const now = Date.now();
    if (hit && now - hit.at < MEMBERSHIP_MEMO_MS) return hit.role;
    const role = this.repo.roleOf(me, organisationId);
    byOrg.set(organisationId, { at: now, role });
    return role;
  }

  async isOrganiser(viewer: Viewer, organisationId: string): Promise<boolean> {
    return policy.isOrganiser(await this.roleOf(viewer, organisationId));
  }

  /** Throws NOT_AN_ORGANISER unless the viewer organises this organisation. */
  async requireOrganiser(viewer: Viewer, organisationId: string): Promise<AuthenticatedViewer> {
    const v = requireViewer(viewer);
    if (!(await this.isOrganiser(v, organisationId))) {
      throw forbidden(R.NOT_AN_ORGANISER, "Only the organisers of this organisation can do this.");
    }
    return v;
  }

  private async requireActingOrganiser(viewer: Viewer, organisationId: string): Promise<AuthenticatedViewer> {
    const v = requireViewer(viewer);
    const org = await this.get(v, organisationId);
    await this.requireOrganiser(v, organisationId);
    if (!org.verifiedAt) {
      throw forbidden(R.ORGANISATION_NOT_VERIFIED, "A coordinator has to verify this organisation first.");
    }
    return v;
  }

  private async requireVolunteerMember(organisationId: string, personId: string): Promise<void> {
    const member = await this.repo.memberWithVolunteerRole(organisationId, personId);
    if (!member) throw badInput(R.NOT_AN_ORGANISATION_MEMBER, "assigneeId: not a member of this organisation", "assigneeId");
    if (!member.volunteer) {
      throw badInput(R.ASSIGNEE_NOT_A_VOLUNTEER, "assigneeId: this member has no volunteer account", "assigneeId");
    }
  }

  /**
   * Seats a partner app's account among a verified organisation's organisers (a coordinator bound the
   * app to it: see api-client.organisations.ts); `unseatApp` ends the seat.
   */
  async seatApp(organisationId: string, personId: string, byId: string): Promise<void> {
    const org = await this.repo.findById(organisationId);
    if (!org) throw notFound(R.ORGANISATION_NOT_FOUND, "No organisation has this id.");
    if (!org.verifiedAt) throw forbidden(R.ORGANISATION_NOT_VERIFIED, "A coordinator has to verify this organisation first.");
    await this.repo.saveMember(organisationId, personId, "ORGANISER", byId, this.clock.now());
  }

  async unseatApp(personId: string): Promise<void> {
    await this.repo.endOrganiserMemberships(personId, this.clock.now());
  }

  /** Drops the memoised memberships of this viewer after a change it made. */
  private forget(viewer: Viewer) {
    this.memo.delete(viewer);
  }
}
