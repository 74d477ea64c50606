import { z } from "zod";
import type { ContactVia, HelpRequestStatus, Urgency } from "../../db/tables.js";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import { type EventBus, topics } from "../../shared/events.js";
import { newId } from "../../shared/ids.js";
import { cursorScope, decodeCursor, pageSize } from "../../shared/pagination.js";
import { ageOn, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { VolunteerFit, VolunteerService } from "../volunteers/volunteer.service.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import { helpRequestPolicy as policy } from "./help-request.policy.js";
import type { BrowseOrder, HelpRequestEventRow, HelpRequestRepository, HelpRequestRow } from "./help-request.repository.js";

/** The longest window a request (and respite asked by a care circle) may span. */
export const MAX_WINDOW_MS = 90 * 24 * 3600 * 1000;
const URGENCIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;

const AskSchema = z.object({
  categoryId: z.string().min(1, "must not be empty"),
  title: text(1, 120),
  description: text(1, 4000),
  neighbourhoodId: z.string().min(1, "must not be empty").nullish(),
  windowStart: z.date({ error: "must be a date-time" }),
  windowEnd: z.date({ error: "must be a date-time" }),
  urgency: z.enum(URGENCIES).nullish(),
  vogRequired: z.boolean().nullish(),
  personHelpedId: z.string().min(1).nullish(),
  personHelpedEmail: z.string().trim().min(1, "must not be empty").nullish(),
  personHelped: z.unknown().nullish(),
  askingOrganisationId: z.string().min(1, "must not be empty").nullish(),
  contactVia: z.enum(["PERSON_HELPED", "ASKER"]).nullish(),
});

/** Roles that may ask for help on someone else's behalf (mantelzorger, wijkwinkel, professional). */
const ON_BEHALF_ROLES = ["MANTELZORGER", "ORGANISER", "PROFESSIONAL"] as const;
const ACTIVE: HelpRequestStatus[] = ["OPEN", "MATCHED", "IN_PROGRESS"];
/** A volunteer holds the request: past its window it waits for its outcome instead of expiring. */
const MATCHED_STATES: HelpRequestStatus[] = ["MATCHED", "IN_PROGRESS"];

export interface BrowseArgs {
  neighbourhoodIds?: string[] | null;
  categoryIds?: string[] | null;
  urgencies?: Urgency[] | null;
  from?: Date | null;
  to?: Date | null;
  order?: BrowseOrder | null;
  first?: number | null;
  after?: string | null;
}

/**
 * Called after a request changed status and the change was committed (other modules keep their own
 * state in step: a care shift covered by the volunteer who accepted its request, an escalation...).
 * A listener that fails is reported and does not undo the change; sweeps reconcile later.
 */
export type HelpRequestListener = (row: HelpRequestRow) => Promise<void>;

export interface ContactDetails {
  fullName: string;
  address: string | null;
  phone: string | null;
}

/** How an organisation a request was asked for is reached (wired by the initiatives module). */
export type OrganisationContact = (organisationId: string) => Promise<{ name: string; phone: string | null; address: string | null } | undefined>;

/** What a volunteer narrowed their `helpRequestPosted` subscription to. */
export interface SubscriberFilter {
  neighbourhoodIds?: string[] | null;
  categoryIds?: string[] | null;
}

/**
 * The help-request lifecycle: ask, browse, accept, start, complete, release, cancel, expire.
 * Every change is a conditional update with its event in one transaction, published after commit.
 */
export class HelpRequestService {
  constructor(
    private readonly repo: HelpRequestRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly volunteers: VolunteerService,
    private readonly accessLog: AccessLogService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {
    volunteers.onVogLost((personId, actorId) => this.endMatchesNeedingVog(personId, actorId));
    people.onRoleRevoked(async (personId, role, actorId) => (role === "VOLUNTEER" ? this.endMatchesOfFormerVolunteer(personId, actorId) : 0));
  }

  private readonly listeners: HelpRequestListener[] = [];

  /** Whether the viewer organises the given organisation (wired by the initiatives module). */
  private organisationAccess: (viewer: Viewer, organisationId: string) => Promise<boolean> = async () => false;

  /**
   * Lets the organisers of an organisation that took a request on see it (not its contact details:
   * those go to the person the organisation assigned).
   */
  setOrganisationAccess(check: (viewer: Viewer, organisationId: string) => Promise<boolean>): void {
    this.organisationAccess = check;
  }

  /** The volunteers of the verified organisations the viewer organises (wired by the initiatives module). */
  private organisedVolunteers: (viewer: Viewer) => Promise<string[]> = async () => [];

  /**
   * Lets the organisers of a verified organisation read the open requests that fit one of its
   * volunteers, as those volunteers may (they can take them on for them).
   */
  setOrganisedVolunteers(lookup: (viewer: Viewer) => Promise<string[]>): void {
    this.organisedVolunteers = lookup;
  }

  private organisationContact: OrganisationContact = async () => undefined;

  /** Where the matched volunteer reaches an organisation a request was asked for. */
  setOrganisationContact(lookup: OrganisationContact): void {
    this.organisationContact = lookup;
  }

  /** Registers a listener for committed status changes (see HelpRequestListener). */
  onChange(listener: HelpRequestListener): void {
    this.listeners.push(listener);
  }

  async ask(viewer: Viewer, input: unknown): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const data = parseInput(AskSchema, input);
    await this.places.requireCategory(data.categoryId, "input.categoryId");
    const now = this.clock.now();
    // A sandbox key asks for its sandbox organisation (and cannot ask as any other: it organises no other).
    const askingOrganisationId = data.askingOrganisationId ?? v.sandboxOrganisationId ?? null;
    if (askingOrganisationId !== null && !(await this.organisationAccess(v, askingOrganisationId))) {
      throw forbidden("NOT_AN_ORGANISER", "Only the organisers of this organisation can ask for help as it.");
    }
    const personHelped = await this.personHelped(v, data.personHelpedId ?? null, data.personHelped ?? null, data.personHelpedEmail ?? null, askingOrganisationId);
    const neighbourhoodId = data.neighbourhoodId ?? personHelped.neighbourhoodId;
    if (!neighbourhoodId) {
      throw badInput("NEIGHBOURHOOD_REQUIRED", "input.neighbourhoodId: say in which neighbourhood help is needed", "input.neighbourhoodId");
    }
    await this.places.requireNeighbourhood(neighbourhoodId, "input.neighbourhoodId");
    if (data.windowEnd.getTime() <= data.windowStart.getTime()) {
      throw badInput(R.INVALID_WINDOW, "input.windowEnd: must be after windowStart", "input.windowEnd");
    }
    if (data.windowEnd.getTime() <= now.getTime()) {
      throw badInput(R.INVALID_WINDOW, "input.windowEnd: must be in the future", "input.windowEnd");
    }
    if (data.windowEnd.getTime() - data.windowStart.getTime() > MAX_WINDOW_MS) {
      throw badInput(R.INVALID_WINDOW, "input.windowEnd: a window spans at most 90 days", "input.windowEnd");
    }
    const minor = personHelped.birthDate !== null && ageOn(personHelped.birthDate, now) < 18;
    const row = {
      id: newId("HelpRequest"),
      personHelpedId: personHelped.id,
      askedById: v.personId,
      categoryId: data.categoryId,
      neighbourhoodId,
      title: data.title,
      description: data.description,
      urgency: data.urgency ?? "NORMAL",
      // Helping a minor always needs a certificate of conduct.
      vogRequired: minor || (data.vogRequired ?? false),
      windowStart: data.windowStart,
      windowEnd: data.windowEnd,
      status: "OPEN" as const,
      volunteerId: null,
      organisationId: null,
      askingOrganisationId,
      sandbox: v.sandboxOrganisationId !== undefined,
      // Someone asked for without a phone is reached through whoever asked, unless told otherwise.
      contactVia: data.contactVia ?? ((personHelped.id === v.personId || personHelped.phone ? "PERSON_HELPED" : "ASKER") as ContactVia),
      releaseCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insert(row);
    return (await this.repo.findById(row.id))!;
  }

  /**
   * A request the platform asks on someone's behalf (a care circle's uncovered shift, a respite
   * request). The caller has checked its own rules; the id may be reserved beforehand, which makes
   * this idempotent: asking again with the same id changes nothing.
   */
  async createInternal(input: {
    id: string;
    askedById: string;
    personHelpedId: string;
    categoryId: string;
    neighbourhoodId: string;
    title: string;
    description: string;
    urgency: Urgency;
    vogRequired: boolean;
    windowStart: Date;
    windowEnd: Date;
  }): Promise<HelpRequestRow> {
    const now = this.clock.now();
    const inserted = await this.repo.insert({
      ...input,
      status: "OPEN",
      volunteerId: null,
      organisationId: null,
      releaseCount: 0,
      createdAt: now,
      updatedAt: now,
    });
    void inserted; // asking again with a reserved id is a no-op; the first insert logged the event
    return (await this.repo.findById(input.id))!;
  }

  /** Withdraws an OPEN request on the platform's behalf (e.g. a circle member took the shift after all). */
  async cancelBySystem(id: string, note: string): Promise<HelpRequestRow | undefined> {
    const updated = await this.repo.transition(id, { from: ["OPEN"], to: "CANCELLED", actorId: null, note, at: this.clock.now() });
    return updated ? this.changed(updated) : undefined;
  }

  /** Hands the request to a professional team (the escalation module records why and where). */
  async markEscalated(id: string, note: string, actorId: string | null): Promise<HelpRequestRow | undefined> {
    const updated = await this.repo.transition(id, { from: ACTIVE, to: "ESCALATED", actorId, note, at: this.clock.now() });
    return updated ? this.changed(updated) : undefined;
  }

  /** The team handed the request back to the informal network: it is open to volunteers again. */
  async reopenAfterEscalation(id: string, note: string, actorId: string | null): Promise<HelpRequestRow | undefined> {
    const updated = await this.repo.transition(id, {
      from: ["ESCALATED"],
      to: "OPEN",
      set: { volunteerId: null },
      actorId,
      note,
      at: this.clock.now(),
    });
    return updated ? this.changed(updated) : undefined;
  }

  /** OPEN requests that have waited longer than the limit for their urgency since they (re)opened. */
  openPastLimit(limitsMs: Record<Urgency, number>): Promise<HelpRequestRow[]> {
    return this.repo.openPastLimit(this.clock.now(), limitsMs);
  }

  private async personHelped(
    v: AuthenticatedViewer,
    personHelpedId: string | null,
    newPerson: unknown,
    accountEmail: string | null,
    askingOrganisationId: string | null,
  ): Promise<PersonRow> {
    if (personHelpedId === null && newPerson === null && accountEmail === null) {
      return (await this.people.findById(v.personId))!;
    }
    if (!ON_BEHALF_ROLES.some((role) => hasRole(v, role))) {
      throw forbidden(R.CANNOT_ASK_ON_BEHALF, "Only a mantelzorger, neighbourhood desk or professional can ask on someone's behalf.");
    }
    if ([personHelpedId, newPerson, accountEmail].filter((x) => x !== null).length > 1) {
      throw badInput("INVALID_INPUT", "input.personHelped: give one of personHelpedId, personHelpedEmail or personHelped", "input.personHelped");
    }
    if (newPerson !== null) return this.people.createPersonHelped(v, newPerson, "input.personHelped");
    if (accountEmail !== null) {
      // Someone with their own account, named by the email they gave: the request is theirs to follow.
      const account = await this.people.findAccountByEmail(accountEmail);
      if (!account) throw badInput(R.UNKNOWN_PERSON_HELPED, "input.personHelpedEmail: no account has this email", "input.personHelpedEmail");
      return account;
    }
    const person = await this.people.findById(personHelpedId!);
    // Only people this account registered before (or itself), or that the organisation it asks as
    // asked for before (a colleague at the same desk), can be named again.
    const known =
      person &&
      (person.createdById === v.personId ||
        person.id === v.personId ||
        (askingOrganisationId !== null && (await this.repo.organisationAskedFor(askingOrganisationId, person.id))));
    if (!person || !known) {
      throw badInput(R.UNKNOWN_PERSON_HELPED, "input.personHelpedId: not a person you asked for before", "input.personHelpedId");
    }
    return person;
  }

  /** One request as the viewer may see it; NOT_FOUND when they may not (its existence is not revealed). */
  async get(viewer: Viewer, id: string): Promise<HelpRequestRow> {
    requireViewer(viewer);
    const row = await this.repo.findById(id);
    if (!row || !(await this.canSee(viewer, row))) throw notFound(R.NOT_FOUND, "No help request with this id is visible to you.");
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

  canSee(viewer: Viewer, row: HelpRequestRow): boolean | Promise<boolean> {
    const me = viewer.personId;
    const seen = me === null ? false : policy.canSee(viewer, row, () => this.volunteers.fitOf(me));
    const organisationId = row.organisationId;
    if (viewer.personId === null) return seen;
    if (row.askingOrganisationId !== null) {
      const asking = row.askingOrganisationId;
      const rest = { ...row, askingOrganisationId: null };
      return Promise.resolve(seen).then(async (ok) => ok || (await this.organisationAccess(viewer, asking)) || this.canSee(viewer, rest));
    }
    if (organisationId === null) {
      if (row.status !== "OPEN" || !viewer.roles.has("ORGANISER")) return seen;
      return Promise.resolve(seen).then((ok) => ok || this.fitsOrganisedVolunteer(viewer, row));
    }
    return Promise.resolve(seen).then((ok) => ok || this.organisationAccess(viewer, organisationId));
  }

  /** Whether an open request fits one of the volunteers of an organisation the viewer organises. */
  private async fitsOrganisedVolunteer(viewer: Viewer, row: HelpRequestRow): Promise<boolean> {
    if (row.sandbox || row.windowEnd.getTime() <= this.clock.now().getTime()) return false;
    const ids = await this.organisedVolunteers(viewer);
    const fits = await Promise.all(ids.map((id) => this.volunteers.recentFitOf(id)));
    return fits.some(
      (f) =>
        f.personId !== row.askedById &&
        f.personId !== row.personHelpedId &&
        f.neighbourhoodIds.includes(row.neighbourhoodId) &&
        f.categoryIds.includes(row.categoryId) &&
        (!row.vogRequired || f.vogVerified),
    );
  }

  /**
   * Open requests that fit at least one of these volunteers, newest first: an organisation's view
   * (the caller checked that the viewer organises it and passes its volunteers). The same privacy as a
   * volunteer's browse: the rows carry no contact details and field rules apply as for a volunteer.
   */
  async openForVolunteers(volunteerIds: string[], scopeName: string, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const scope = cursorScope(scopeName);
    const cursor = after ? decodeCursor(after, "after", scope) : null;
    const fits = await Promise.all(volunteerIds.map((id) => this.volunteers.recentFitOf(id)));
    return this.repo.openForFits({ fits, now: this.clock.now(), after: cursor, limit, cursorScope: scope });
  }

  /** Open requests that fit the volunteer's profile (neighbourhoods, categories, VOG), narrowed by the filter. */
  async browse(viewer: Viewer, args: BrowseArgs) {
    const v = this.volunteers.requireVolunteer(viewer);
    const limit = pageSize(args.first);
    const order = args.order ?? "NEWEST";
    const scope = cursorScope(`HelpRequest.open.${order}`, {
      neighbourhoodIds: args.neighbourhoodIds,
      categoryIds: args.categoryIds,
      urgencies: args.urgencies,
      from: args.from,
      to: args.to,
    });
    const after = args.after ? decodeCursor(args.after, "after", scope) : null;
    const fit = await this.volunteers.recentFitOf(v.personId);
    return this.repo.browse({
      viewerId: v.personId,
      ...policy.browseScope(fit, args),
      urgencies: args.urgencies ?? null,
      from: args.from ?? null,
      to: args.to ?? null,
      now: this.clock.now(),
      order,
      after,
      limit,
      cursorScope: scope,
    });
  }

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
    return policy.fitsOpenRequest(fit, row);
  }

  async mine(viewer: Viewer, relation: "ASKED" | "HELPING", statuses: HelpRequestStatus[] | null, first?: number | null, after?: string | null) {
    const v = requireViewer(viewer);
    const scope = cursorScope(`HelpRequest.mine.${relation}`, { statuses });
    return this.repo.forPerson(v.personId, relation, statuses, after ? decodeCursor(after, "after", scope) : null, pageSize(first), scope);
  }

  async accept(viewer: Viewer, id: string): Promise<HelpRequestRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    // Not `get`: a volunteer who loses a race must hear CONFLICT, not that the request vanished.
    const row = await this.repo.findById(id);
    if (!row) throw notFound(R.NOT_FOUND, "No help request with this id is visible to you.");
    if (policy.isRequester(v, row)) throw forbidden(R.OWN_REQUEST, "You cannot accept a request you asked or are helped by.");
    // The same fit as browsing and reading: outside it the request does not exist for this volunteer.
    const fit = await this.volunteers.fitOf(v.personId);
    if (!policy.fitsProfile(fit, row)) throw notFound(R.NOT_FOUND, "No help request with this id is visible to you.");
    if (row.vogRequired && !fit.vogVerified) {
      throw forbidden(R.VOG_REQUIRED, "This request needs a verified VOG (certificate of conduct).");
    }
    if (row.status === "MATCHED" || row.status === "IN_PROGRESS") {
      throw conflict(R.ALREADY_MATCHED, "Another volunteer has already accepted this request.");
    }
    if (row.status !== "OPEN") throw conflict(R.NOT_OPEN, `This request is ${row.status} and can no longer be accepted.`);
    const now = this.clock.now();
    if (row.windowEnd.getTime() <= now.getTime()) {
      throw conflict(R.EXPIRED, "The wanted time window of this request has passed.");
    }
    const updated = await this.repo.transition(id, {
      from: ["OPEN"],
      to: "MATCHED",
      set: { volunteerId: v.personId },
      actorId: v.personId,
      note: null,
      at: now,
    });
    if (!updated) throw conflict(R.ALREADY_MATCHED, "Another volunteer has just accepted this request.");
    return this.changed(updated);
  }

  async start(viewer: Viewer, id: string): Promise<HelpRequestRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const row = await this.get(v, id);
    this.requireMatchedVolunteer(v, row);
    return this.move(v, row, ["MATCHED"], "IN_PROGRESS", { volunteerId: v.personId });
  }

  /**
   * Help was given. The volunteer completes what they started; whoever asked may also complete a
   * MATCHED request (help can happen before the volunteer presses start).
   */
  async complete(viewer: Viewer, id: string, note: string | null): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.get(v, id);
    const requester = await this.isAskerSide(v, row);
    if (!requester && !policy.isMatchedVolunteer(v, row)) {
      throw forbidden(R.NOT_MATCHED_VOLUNTEER, "Only the matched volunteer or the requester can complete this request.");
    }
    return this.move(v, row, requester ? MATCHED_STATES : ["IN_PROGRESS"], "DONE", { note: this.note(note) });
  }

  /** Whether the window of a matched request has ended, so those involved are asked whether help happened. */
  outcomeDue(row: HelpRequestRow): boolean {
    return MATCHED_STATES.includes(row.status) && row.windowEnd.getTime() <= this.clock.now().getTime();
  }

  /**
   * The matched volunteer or whoever asked says, after the window, whether the help happened:
   * DONE, or EXPIRED (the window passed without help). The first answer counts.
   */
  async confirmOutcome(viewer: Viewer, id: string, happened: boolean, note: string | null): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.get(v, id);
    if (!MATCHED_STATES.includes(row.status)) throw conflict(R.WRONG_STATUS, `A request that is ${row.status} has no outcome to confirm.`);
    if (!(await this.isAskerSide(v, row)) && !policy.isMatchedVolunteer(v, row)) {
      throw forbidden(R.NOT_MATCHED_VOLUNTEER, "Only the matched volunteer or whoever asked can confirm what happened.");
    }
    if (!this.outcomeDue(row)) {
      throw conflict(R.OUTCOME_NOT_DUE, "The wanted time window has not ended yet; complete the request when help was given.");
    }
    return this.move(v, row, MATCHED_STATES, happened ? "DONE" : "EXPIRED", { note: this.note(note) });
  }

  /** The matched volunteer gives the request back; it is open to others again. */
  async release(viewer: Viewer, id: string, note: string | null): Promise<HelpRequestRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const row = await this.get(v, id);
    this.requireMatchedVolunteer(v, row);
    return this.move(v, row, ["MATCHED", "IN_PROGRESS"], "OPEN", {
      volunteerId: v.personId,
      set: { volunteerId: null, organisationId: null, incrementReleases: true },
      note: this.note(note),
    });
  }

  async cancel(viewer: Viewer, id: string, reason: string | null): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.get(v, id);
    if (!(await this.isAskerSide(v, row))) throw forbidden(R.NOT_REQUESTER, "Only the requester can cancel this request.");
    return this.move(v, row, ACTIVE, "CANCELLED", { note: this.note(reason) });
  }

  /**
   * An organisation takes an OPEN request on for one of its volunteers (OPEN -> MATCHED): the
   * organisation is the matched party, the assignee helps and sees the contact details while matched.
   * The caller (OrganisationService) has checked that the viewer organises the organisation and that
   * the assignee is one of its volunteers; the request's own rules are checked here.
   */
  async takeOnForOrganisation(viewer: Viewer, id: string, organisationId: string, assigneeId: string): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.repo.findById(id);
    if (!row) throw notFound(R.NOT_FOUND, "No help request with this id is visible to you.");
    await this.requireFitAssignee(row, assigneeId);
    if (row.status === "MATCHED" || row.status === "IN_PROGRESS") {
      throw conflict(R.ALREADY_MATCHED, "Someone has already taken this request on.");
    }
    if (row.status !== "OPEN") throw conflict(R.NOT_OPEN, `This request is ${row.status} and can no longer be taken on.`);
    const now = this.clock.now();
    if (row.windowEnd.getTime() <= now.getTime()) throw conflict(R.EXPIRED, "The wanted time window of this request has passed.");
    const updated = await this.repo.transition(id, {
      from: ["OPEN"],
      to: "MATCHED",
      set: { volunteerId: assigneeId, organisationId },
      actorId: v.personId,
      note: null,
      at: now,
    });
    if (!updated) throw conflict(R.ALREADY_MATCHED, "Someone has just taken this request on.");
    return this.changed(updated);
  }

  /** The organisation holding a MATCHED request hands it to another of its volunteers (checked by the caller). */
  async reassignWithinOrganisation(viewer: Viewer, id: string, organisationId: string, assigneeId: string): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.repo.findById(id);
    if (!row || row.organisationId !== organisationId) throw notFound(R.NOT_FOUND, "No help request with this id is visible to you.");
    if (row.status !== "MATCHED") throw conflict(R.WRONG_STATUS, `A request that is ${row.status} cannot be reassigned.`);
    await this.requireFitAssignee(row, assigneeId);
    const updated = await this.repo.transition(id, {
      from: ["MATCHED"],
      to: "MATCHED",
      organisationId,
      set: { volunteerId: assigneeId },
      actorId: v.personId,
      note: null,
      at: this.clock.now(),
    });
    if (!updated) throw conflict(R.WRONG_STATUS, "The request changed in the meantime; reload it and try again.");
    return this.changed(updated);
  }

  private async requireFitAssignee(row: HelpRequestRow, assigneeId: string): Promise<void> {
    if (assigneeId === row.askedById || assigneeId === row.personHelpedId) {
      throw forbidden(R.OWN_REQUEST, "The assignee asked this request or is helped by it.");
    }
    const fit = await this.volunteers.fitOf(assigneeId);
    if (row.vogRequired && !fit.vogVerified) {
      throw forbidden(R.VOG_REQUIRED, "This request needs a volunteer with a verified VOG (certificate of conduct).");
    }
    if (!policy.fitsProfile(fit, row)) {
      throw forbidden(R.ASSIGNEE_DOES_NOT_FIT, "The assignee's volunteer profile does not cover this request's neighbourhood and category.");
    }
  }

  /**
   * The volunteer no longer holds a verified VOG: every request they hold that needs one goes back to
   * OPEN (with its event), so the contact details are hidden from them at once and others can take it.
   */
  endMatchesNeedingVog(volunteerId: string, actorId: string): Promise<number> {
    return this.reopenHeld(
      volunteerId,
      actorId,
      () => this.repo.heldNeedingVog(volunteerId),
      "The volunteer's VOG is no longer verified; the request is open to other volunteers again.",
    );
  }

  /** The person is no longer a volunteer: every request they hold goes back to OPEN, as above. */
  endMatchesOfFormerVolunteer(volunteerId: string, actorId: string): Promise<number> {
    return this.reopenHeld(volunteerId, actorId, () => this.repo.heldBy(volunteerId), "The volunteer no longer volunteers; the request is open to other volunteers again.");
  }

  /** Ends the volunteer's matches among `held`, each back to OPEN with a history entry and its event; returns how many. */
  private async reopenHeld(volunteerId: string, actorId: string, held: () => Promise<HelpRequestRow[]>, note: string): Promise<number> {
    let ended = 0;
    for (const row of await held()) {
      const updated = await this.repo.transition(row.id, {
        from: ["MATCHED", "IN_PROGRESS"],
        to: "OPEN",
        volunteerId,
        set: { volunteerId: null, organisationId: null },
        actorId,
        note,
        at: this.clock.now(),
      });
      if (!updated) continue;
      ended++;
      await this.changed(updated);
    }
    return ended;
  }

  /**
   * Expires unmatched requests whose window passed (returns how many) and asks those involved in
   * matched ones for the outcome. Safe to run on every instance at once.
   */
  async expireDue(): Promise<number> {
    try {
      while ((await this.repo.askOutcomesDue(this.clock.now())).length > 0);
    } catch (err) {
      this.reportError(err, "asking for outcomes of matched help requests");
    }
    let total = 0;
    for (;;) {
      const ids = await this.repo.expireDue(this.clock.now());
      for (const id of ids) {
        const row = await this.repo.findById(id);
        if (row) await this.changed(row);
      }
      total += ids.length;
      if (ids.length === 0) return total;
    }
  }

  /** The transitions of a request without a visibility check (the caller applies its own rules). */
  historyRows(id: string) {
    return this.repo.events(id);
  }

  /**
   * A request's transitions, for those involved. `load` fetches the events (a batching loader when
   * many requests are listed at once); the access check is per request.
   */
  async history(viewer: Viewer, row: HelpRequestRow, load: (id: string) => Promise<HelpRequestEventRow[]> = (id) => this.repo.events(id)) {
    if (!(await this.canFollow(viewer, row))) throw forbidden(R.HISTORY_HIDDEN, "Only those involved can see this request's history.");
    return load(row.id);
  }

  /**
   * Whether the viewer follows the request (its history, its changes, its volunteer): those involved,
   * coordinators, and the organisers of the organisation that took it on or that it was asked for.
   */
  async canFollow(viewer: Viewer, row: HelpRequestRow): Promise<boolean> {
    if (policy.canSeeHistory(viewer, row)) return true;
    if (row.organisationId !== null && (await this.organisationAccess(viewer, row.organisationId))) return true;
    return row.askingOrganisationId !== null && this.organisationAccess(viewer, row.askingOrganisationId);
  }

  /** Asked for it, is the person helped, or organises the organisation it was asked for. */
  async isAskerSide(viewer: Viewer, row: HelpRequestRow): Promise<boolean> {
    if (policy.isRequester(viewer, row)) return true;
    return row.askingOrganisationId !== null && viewer.personId !== null && this.organisationAccess(viewer, row.askingOrganisationId);
  }

  /** Requests asked for an organisation, newest first: for its organisers. */
  async askedForOrganisation(viewer: Viewer, organisationId: string, statuses: HelpRequestStatus[] | null, first?: number | null, after?: string | null) {
    requireViewer(viewer);
    if (!(await this.organisationAccess(viewer, organisationId))) {
      throw forbidden("NOT_AN_ORGANISER", "Only the organisers of this organisation can see the requests asked for it.");
    }
    const scope = cursorScope(`Organisation.askedHelpRequests.${organisationId}`, { statuses });
    return this.repo.forAskingOrganisation(organisationId, statuses, after ? decodeCursor(after, "after", scope) : null, pageSize(first), scope);
  }

  /**
   * Whom the matched volunteer reaches besides the person helped: whoever asked (name and phone), or
   * the organisation it was asked for (name, phone, address). For the matched volunteer while matched
   * and the asking side; a read of a person's details by someone else is logged.
   */
  async askerContact(viewer: Viewer, row: HelpRequestRow): Promise<ContactDetails> {
    const volunteer = policy.isMatchedVolunteer(viewer, row);
    if (!volunteer && !(await this.isAskerSide(viewer, row))) {
      throw forbidden(R.CONTACT_HIDDEN, "Whoever asked is reached by the matched volunteer while matched, and by the asking side.");
    }
    if (row.askingOrganisationId !== null) {
      const org = await this.organisationContact(row.askingOrganisationId);
      if (org) return { fullName: org.name, phone: org.phone, address: org.address };
    }
    const asker = await this.people.findById(row.askedById);
    if (!asker) throw notFound("PERSON_NOT_FOUND", "Whoever asked no longer exists.");
    await this.accessLog.record(viewer.personId!, asker.id, ["fullName", "phone"], volunteer ? "matched volunteer" : "asked on behalf", row.id);
    return { fullName: [asker.firstName, asker.lastName].filter(Boolean).join(" "), address: null, phone: asker.phone };
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

  /** The histories of several requests in one query, for a batching loader (no access check). */
  historiesOf(ids: readonly string[]): Promise<HelpRequestEventRow[][]> {
    return this.repo.eventsFor(ids);
  }

  /** Address and phone of the person helped, for those allowed; every read by someone else is logged. */
  async contact(viewer: Viewer, row: HelpRequestRow, person: PersonRow | undefined): Promise<ContactDetails> {
    const hidden = () =>
      forbidden(R.CONTACT_HIDDEN, "Contact details are visible only to the person helped, the requester and the matched volunteer.");
    const matched = policy.isMatchedVolunteer(viewer, row);
    const self = viewer.personId !== null && viewer.personId === row.personHelpedId;
    if (!self && !matched && !(await this.isAskerSide(viewer, row))) throw hidden();
    if (!person) throw notFound("PERSON_NOT_FOUND", "The person helped no longer exists.");
    // Someone with their own account keeps their stored details to themself: whoever asked knows them.
    if (!self && !matched && person.email !== null) throw hidden();
    const purpose = policy.isOrganisationAssignee(viewer, row)
      ? "assigned by organisation"
      : policy.isMatchedVolunteer(viewer, row)
        ? "matched volunteer"
        : "asked on behalf";
    await this.accessLog.record(viewer.personId!, person.id, ["fullName", "address", "phone"], purpose, row.id);
    return {
      fullName: [person.firstName, person.lastName].filter(Boolean).join(" "),
      address: person.address,
      phone: person.phone,
    };
  }

  private requireMatchedVolunteer(v: Viewer, row: HelpRequestRow) {
    if (!policy.isMatchedVolunteer(v, row)) {
      throw forbidden(R.NOT_MATCHED_VOLUNTEER, "Only the matched volunteer can do this.");
    }
  }

  private note(value: string | null): string | null {
    return value === null ? null : parseInput(text(0, 1000), value, "note") || null;
  }

  private async move(
    v: AuthenticatedViewer,
    row: HelpRequestRow,
    from: HelpRequestStatus[],
    to: HelpRequestStatus,
    opts: {
      volunteerId?: string;
      set?: { volunteerId?: string | null; organisationId?: string | null; incrementReleases?: boolean };
      note?: string | null;
    },
  ): Promise<HelpRequestRow> {
    if (!from.includes(row.status)) {
      throw conflict(R.WRONG_STATUS, `A request that is ${row.status} cannot become ${to}.`);
    }
    const updated = await this.repo.transition(row.id, {
      from,
      to,
      volunteerId: opts.volunteerId,
      set: opts.set as { volunteerId?: string | null; organisationId?: string | null } | undefined,
      actorId: v.personId,
      note: opts.note ?? null,
      at: this.clock.now(),
    });
    if (!updated) throw conflict(R.WRONG_STATUS, "The request changed in the meantime; reload it and try again.");
    return this.changed(updated);
  }

  private async changed(row: HelpRequestRow): Promise<HelpRequestRow> {
    for (const listener of this.listeners) {
      try {
        await listener(row);
      } catch (err) {
        this.reportError(err, `help request listener for ${row.id}`);
      }
    }
    return row;
  }
}
