import type { HelpRequestStatus, Urgency } from "./help-request.tables.js";
import type { Clock } from "../../shared/clock.js";
import { conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import { HelpRequestAccess } from "./help-request.access.js";
import { AskSchema, neighbourhoodOf, newRequestRow, parseNote, requireNotChoiceMode, requireWindow, resolvePersonHelped } from "./help-request.ask.js";
import { HelpRequestBrowse } from "./help-request.browse.js";
import type { HelpRequestBrowseRepository } from "./help-request.browse.repository.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import { askedEvents, changedEvent, transitionEvents } from "./help-request.events.js";
import { HelpRequestFit } from "./help-request.fit.js";
import { OfferedHelpRequests } from "./help-request.offered.js";
import { type HelpRequestsForOrganisations, type OrganisationMatch, type OrganisationsForHelpRequests, noOrganisations } from "./help-request.organisations.js";
import { helpRequestPolicy as policy } from "./help-request.policy.js";
import type { HelpRequestRepository, HelpRequestRow, Transition } from "./help-request.repository.js";

export { MAX_WINDOW_MS } from "./help-request.ask.js";

const ACTIVE: HelpRequestStatus[] = ["OPEN", "MATCHED", "IN_PROGRESS"];
/** A volunteer holds the request: past its window it waits for its outcome instead of expiring. */
const MATCHED_STATES: HelpRequestStatus[] = ["MATCHED", "IN_PROGRESS"];

/**
 * Called after a request changed status and the change was committed (other modules keep their own
 * state in step: a care shift covered by the volunteer who accepted its request, an escalation...).
 * A listener that fails is reported and does not undo the change; sweeps reconcile later.
 */
export type HelpRequestListener = (row: HelpRequestRow) => Promise<void>;

/** What the platform gives when it asks on someone's behalf (see `createInternal`). */
type InternalAsk = Pick<
  HelpRequestRow,
  "id" | "askedById" | "personHelpedId" | "categoryId" | "neighbourhoodId" | "title" | "description" | "urgency" | "vogRequired" | "windowStart" | "windowEnd"
>;

/**
 * The help-request lifecycle: ask, accept, start, complete, release, cancel, expire, and the outcome
 * of matched help. Every change is a conditional update recorded with its events in one unit of work;
 * the events are published after commit. Who may see what is HelpRequestAccess's (`access`), the
 * lists are HelpRequestBrowse's (`browsing`), which requests fit whom HelpRequestFit's (`fit`).
 */
export class HelpRequestService implements HelpRequestsForOrganisations {
  readonly fit: HelpRequestFit;
  readonly access: HelpRequestAccess;
  readonly browsing: HelpRequestBrowse;
  readonly offered: OfferedHelpRequests; // requests asked from an offer (the offers module)
  private readonly listeners: HelpRequestListener[] = [];
  private organisations: OrganisationsForHelpRequests = noOrganisations;

  // Reads and lists for the modules that act on requests, decided by the parts named above.
  readonly get = (viewer: Viewer, id: string) => this.access.get(viewer, id);
  readonly findRow = (id: string) => this.access.findRow(id);
  readonly findVisible = (viewer: Viewer, id: string) => this.access.findVisible(viewer, id);
  readonly findVisibleEvent = (viewer: Viewer, id: string) => this.access.findVisibleEvent(viewer, id);
  readonly canFollow = (viewer: Viewer, row: HelpRequestRow) => this.access.canFollow(viewer, row);
  readonly isAskerSide = (viewer: Viewer, row: HelpRequestRow) => this.access.isAskerSide(viewer, row);
  readonly historyRows = (id: string) => this.access.historyRows(id);
  readonly openForVolunteers: HelpRequestsForOrganisations["openForVolunteers"] = (...args) => this.browsing.openForVolunteers(...args);
  readonly askedForOrganisation: HelpRequestsForOrganisations["askedForOrganisation"] = (...args) => this.browsing.askedForOrganisation(...args);
  readonly countAskedForOrganisation: HelpRequestsForOrganisations["countAskedForOrganisation"] = (...args) => this.browsing.countAskedForOrganisation(...args);

  constructor(
    private readonly repo: HelpRequestRepository,
    browseRepo: HelpRequestBrowseRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly volunteers: VolunteerService,
    accessLog: AccessLogService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {
    this.fit = new HelpRequestFit(volunteers, clock);
    this.access = new HelpRequestAccess(repo, this.fit, volunteers, people, accessLog, () => this.organisations);
    this.browsing = new HelpRequestBrowse(browseRepo, this.fit, volunteers, clock);
    volunteers.onVogLost((personId, actorId, why) => this.endMatchesNeedingVog(personId, actorId, why));
    this.offered = new OfferedHelpRequests(repo, outbox, clock, (row) => this.changed(row));
    people.onRoleRevoked(async (personId, role, actorId) => (role === "VOLUNTEER" ? this.endMatchesOfFormerVolunteer(personId, actorId) : 0));
  }

  /** What this module needs of organisations (the initiatives module owns them); see OrganisationsForHelpRequests. */
  linkOrganisations(organisations: OrganisationsForHelpRequests): void {
    this.organisations = organisations;
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
    if (askingOrganisationId !== null && !(await this.organisations.isOrganiser(v, askingOrganisationId))) {
      throw forbidden(R.NOT_AN_ORGANISER, "Only the organisers of this organisation can ask for help as it.");
    }
    const asked = { ...data, askingOrganisationId };
    const personHelped = await resolvePersonHelped(this.people, (org, person) => this.repo.organisationAskedFor(org, person), v, asked);
    const neighbourhoodId = neighbourhoodOf(data, personHelped);
    await this.places.requireNeighbourhood(neighbourhoodId, "input.neighbourhoodId");
    requireWindow(data, now);
    const row = newRequestRow(v, asked, personHelped, neighbourhoodId, now, await this.places.categoryNeedsVog(data.categoryId));
    await this.insert(row);
    return (await this.repo.findById(row.id))!;
  }

  /**
   * A request the platform asks on someone's behalf (a care circle's uncovered shift, a respite
   * request). The caller has checked its own rules; the id may be reserved beforehand, which makes
   * this idempotent: asking again with the same id changes nothing.
   */
  async createInternal(input: InternalAsk): Promise<HelpRequestRow> {
    const now = this.clock.now();
    // Asking again with a reserved id is a no-op; the first insert recorded the events.
    const vogRequired = input.vogRequired || (await this.places.categoryNeedsVog(input.categoryId));
    await this.insert({ ...input, vogRequired, status: "OPEN", volunteerId: null, organisationId: null, releaseCount: 0, createdAt: now, updatedAt: now });
    return (await this.repo.findById(input.id))!;
  }

  /** Withdraws an OPEN request on the platform's behalf (e.g. a circle member took the shift after all). */
  async cancelBySystem(id: string, note: string): Promise<HelpRequestRow | undefined> {
    const updated = await this.transition(id, { from: ["OPEN"], to: "CANCELLED", actorId: null, note, at: this.clock.now() });
    return updated ? this.changed(updated) : undefined;
  }

  /** Hands the request to a professional team (the escalation module records why and where). */
  async markEscalated(id: string, note: string, actorId: string | null): Promise<HelpRequestRow | undefined> {
    const updated = await this.transition(id, { from: ACTIVE, to: "ESCALATED", actorId, note, at: this.clock.now() });
    return updated ? this.changed(updated) : undefined;
  }

  /** The team handed the request back to the informal network: it is open to volunteers again. */
  async reopenAfterEscalation(id: string, note: string, actorId: string | null): Promise<HelpRequestRow | undefined> {
    const updated = await this.transition(id, { from: ["ESCALATED"], to: "OPEN", set: { volunteerId: null }, actorId, note, at: this.clock.now() });
    return updated ? this.changed(updated) : undefined;
  }

  /** OPEN requests that have waited longer than the limit for their urgency since they (re)opened. */
  openPastLimit(limitsMs: Record<Urgency, number>): Promise<HelpRequestRow[]> {
    return this.repo.openPastLimit(this.clock.now(), limitsMs);
  }

  async accept(viewer: Viewer, id: string): Promise<HelpRequestRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    // Not `get`: a volunteer who loses a race must hear CONFLICT, not that the request vanished.
    const row = await this.repo.findById(id);
    if (!row) throw notFound(R.HELP_REQUEST_NOT_FOUND, "No help request with this id is visible to you.");
    if (policy.isRequester(v, row)) throw forbidden(R.CANNOT_ACCEPT_OWN_REQUEST, "You cannot accept a request you asked or are helped by.");
    requireNotChoiceMode(row);
    // The same fit as browsing and reading: outside it the request does not exist for this volunteer.
    const fit = await this.volunteers.fitOf(v.personId);
    if (!policy.fitsProfile(fit, row)) throw notFound(R.HELP_REQUEST_NOT_FOUND, "No help request with this id is visible to you.");
    if (row.vogRequired && !fit.vogVerified) {
      throw forbidden(R.VOG_REQUIRED, "This request needs a verified VOG (certificate of conduct).");
    }
    if (row.status === "MATCHED" || row.status === "IN_PROGRESS") {
      throw conflict(R.HELP_REQUEST_ALREADY_MATCHED, "Another volunteer has already accepted this request.");
    }
    if (row.status !== "OPEN") throw conflict(R.HELP_REQUEST_NOT_OPEN, "This request is {status} and can no longer be accepted.", { status: row.status });
    const now = this.clock.now();
    if (row.windowEnd.getTime() <= now.getTime()) {
      throw conflict(R.HELP_REQUEST_WINDOW_PASSED, "The wanted time window of this request has passed.");
    }
    const updated = await this.transition(id, { from: ["OPEN"], to: "MATCHED", set: { volunteerId: v.personId }, actorId: v.personId, note: null, at: now });
    if (!updated) throw conflict(R.HELP_REQUEST_ALREADY_MATCHED, "Another volunteer has just accepted this request.");
    return this.changed(updated);
  }

  async start(viewer: Viewer, id: string): Promise<HelpRequestRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const row = await this.access.get(v, id);
    this.requireMatchedVolunteer(v, row);
    return this.move(v, row, ["MATCHED"], "IN_PROGRESS", { volunteerId: v.personId });
  }

  /**
   * Help was given. The volunteer completes what they started; whoever asked may also complete a
   * MATCHED request (help can happen before the volunteer presses start).
   */
  async complete(viewer: Viewer, id: string, note: string | null): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.access.get(v, id);
    const requester = await this.access.isAskerSide(v, row);
    if (!requester && !policy.isMatchedVolunteer(v, row)) {
      throw forbidden(R.NOT_THE_MATCHED_VOLUNTEER, "Only the matched volunteer or the requester can complete this request.");
    }
    return this.move(v, row, requester ? MATCHED_STATES : ["IN_PROGRESS"], "DONE", { note: parseNote(note) });
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
    const row = await this.access.get(v, id);
    if (!MATCHED_STATES.includes(row.status)) throw conflict(R.HELP_REQUEST_WRONG_STATUS, "A request that is {status} has no outcome to confirm.", { status: row.status });
    if (!(await this.access.isAskerSide(v, row)) && !policy.isMatchedVolunteer(v, row)) {
      throw forbidden(R.NOT_THE_MATCHED_VOLUNTEER, "Only the matched volunteer or whoever asked can confirm what happened.");
    }
    if (!this.outcomeDue(row)) {
      throw conflict(R.HELP_REQUEST_OUTCOME_NOT_DUE, "The wanted time window has not ended yet; complete the request when help was given.");
    }
    return this.move(v, row, MATCHED_STATES, happened ? "DONE" : "EXPIRED", { note: parseNote(note) });
  }

  /** The matched volunteer gives the request back; it is open to others again. */
  async release(viewer: Viewer, id: string, note: string | null): Promise<HelpRequestRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const row = await this.access.get(v, id);
    this.requireMatchedVolunteer(v, row);
    return this.move(v, row, ["MATCHED", "IN_PROGRESS"], "OPEN", {
      volunteerId: v.personId,
      set: { volunteerId: null, organisationId: null, incrementReleases: true },
      note: parseNote(note),
    });
  }

  async cancel(viewer: Viewer, id: string, reason: string | null): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const row = await this.access.get(v, id);
    if (!(await this.access.isAskerSide(v, row))) throw forbidden(R.NOT_THE_REQUESTER, "Only the requester can cancel this request.");
    return this.move(v, row, ACTIVE, "CANCELLED", { note: parseNote(reason) });
  }

  /** See HelpRequestsForOrganisations: the request's rules; the organisation side decided who acts and whom. */
  async matchForOrganisation(actor: AuthenticatedViewer, id: string, match: OrganisationMatch): Promise<HelpRequestRow> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound(R.HELP_REQUEST_NOT_FOUND, "No help request with this id is visible to you.");
    await this.fit.requireAssignee(row, match.assigneeId);
    requireNotChoiceMode(row);
    if (row.status === "MATCHED" || row.status === "IN_PROGRESS") {
      throw conflict(R.HELP_REQUEST_ALREADY_MATCHED, "Someone has already taken this request on.");
    }
    if (row.status !== "OPEN") throw conflict(R.HELP_REQUEST_NOT_OPEN, "This request is {status} and can no longer be taken on.", { status: row.status });
    const now = this.clock.now();
    if (row.windowEnd.getTime() <= now.getTime()) throw conflict(R.HELP_REQUEST_WINDOW_PASSED, "The wanted time window of this request has passed.");
    const set = { volunteerId: match.assigneeId, organisationId: match.organisationId };
    const updated = await this.transition(id, { from: ["OPEN"], to: "MATCHED", set, actorId: actor.personId, note: null, at: now });
    if (!updated) throw conflict(R.HELP_REQUEST_ALREADY_MATCHED, "Someone has just taken this request on.");
    return this.changed(updated);
  }

  /** See HelpRequestsForOrganisations: only a MATCHED request the organisation holds, to an assignee it fits. */
  async rematchWithinOrganisation(actor: AuthenticatedViewer, id: string, match: OrganisationMatch): Promise<HelpRequestRow> {
    const row = await this.repo.findById(id);
    if (!row || row.organisationId !== match.organisationId) throw notFound(R.HELP_REQUEST_NOT_FOUND, "No help request with this id is visible to you.");
    if (row.status !== "MATCHED") throw conflict(R.HELP_REQUEST_WRONG_STATUS, "A request that is {status} cannot be reassigned.", { status: row.status });
    await this.fit.requireAssignee(row, match.assigneeId);
    const updated = await this.transition(id, {
      from: ["MATCHED"],
      to: "MATCHED",
      organisationId: match.organisationId,
      set: { volunteerId: match.assigneeId },
      actorId: actor.personId,
      note: null,
      at: this.clock.now(),
    });
    if (!updated) throw conflict(R.HELP_REQUEST_WRONG_STATUS, "The request changed in the meantime; reload it and try again.");
    return this.changed(updated);
  }

  /** The volunteer's VOG no longer counts: the requests they hold that need one go back to OPEN, hidden from them at once. */
  endMatchesNeedingVog(volunteerId: string, actorId: string | null, why = "The volunteer's VOG is no longer verified"): Promise<number> {
    const note = `${why}; the request is open to other volunteers again.`;
    return this.reopenHeld(volunteerId, actorId, () => this.repo.heldNeedingVog(volunteerId), note);
  }

  /** The person is no longer a volunteer: every request they hold goes back to OPEN, as above. */
  endMatchesOfFormerVolunteer(volunteerId: string, actorId: string): Promise<number> {
    return this.reopenHeld(volunteerId, actorId, () => this.repo.heldBy(volunteerId), "The volunteer no longer volunteers; the request is open to other volunteers again.");
  }

  /** Ends the volunteer's matches among `held`, each back to OPEN with a history entry and its event; returns how many. */
  private async reopenHeld(volunteerId: string, actorId: string | null, held: () => Promise<HelpRequestRow[]>, note: string): Promise<number> {
    let ended = 0;
    for (const row of await held()) {
      const set = { volunteerId: null, organisationId: null };
      const updated = await this.transition(row.id, { from: MATCHED_STATES, to: "OPEN", volunteerId, set, actorId, note, at: this.clock.now() });
      if (!updated) continue;
      ended++;
      await this.changed(updated);
    }
    return ended;
  }

  /**
   * Expires unmatched requests whose window passed (returns how many) and asks those involved in matched ones for the outcome.
   * Safe on every instance at once: each request is claimed by one conditional update, with its events in the same unit of work.
   */
  async expireDue(): Promise<number> {
    try {
      while (
        (
          await this.claimDue(
            (now) => this.repo.outcomesDue(now),
            (ids, now) => this.repo.claimOutcomesDue(ids, now),
            "OUTCOME_DUE",
          )
        ).length > 0
      );
    } catch (err) {
      this.reportError(err, "asking for outcomes of matched help requests");
    }
    let total = 0;
    for (;;) {
      const ids = await this.claimDue(
        (now) => this.repo.dueToExpire(now),
        (due, now) => this.repo.expire(due, now),
        "EXPIRED",
      );
      for (const id of ids) {
        const row = await this.repo.findById(id);
        if (row) await this.changed(row);
      }
      total += ids.length;
      if (ids.length === 0) return total;
    }
  }

  /** Claims a batch of what `find` found due, with a helpRequestChanged event of `kind` for each request claimed. */
  private async claimDue(find: (now: Date) => Promise<string[]>, claim: (ids: string[], now: Date) => Promise<string[]>, kind: "OUTCOME_DUE" | "EXPIRED"): Promise<string[]> {
    const now = this.clock.now();
    const due = await find(now);
    if (due.length === 0) return [];
    return this.outbox.unit(async () => {
      const claimed = await claim(due, now);
      await this.outbox.emit(claimed.map((id) => changedEvent(id, kind)));
      return claimed;
    });
  }

  private requireMatchedVolunteer(v: Viewer, row: HelpRequestRow) {
    if (!policy.isMatchedVolunteer(v, row)) {
      throw forbidden(R.NOT_THE_MATCHED_VOLUNTEER, "Only the matched volunteer can do this.");
    }
  }

  private async move(
    v: AuthenticatedViewer,
    row: HelpRequestRow,
    from: HelpRequestStatus[],
    to: HelpRequestStatus,
    opts: { volunteerId?: string; set?: Transition["set"]; note?: string | null },
  ): Promise<HelpRequestRow> {
    if (!from.includes(row.status)) {
      throw conflict(R.HELP_REQUEST_WRONG_STATUS, "A request that is {status} cannot become {to}.", { status: row.status, to });
    }
    const updated = await this.transition(row.id, { from, to, volunteerId: opts.volunteerId, set: opts.set, actorId: v.personId, note: opts.note ?? null, at: this.clock.now() });
    if (!updated) throw conflict(R.HELP_REQUEST_WRONG_STATUS, "The request changed in the meantime; reload it and try again.");
    return this.changed(updated);
  }

  /** Inserts a new request with its events in one unit of work; nothing is recorded when the id exists. */
  private insert(row: Parameters<HelpRequestRepository["insert"]>[0]): Promise<boolean> {
    return this.outbox.unit(async () => {
      const inserted = await this.repo.insert(row);
      if (inserted) await this.outbox.emit(askedEvents(row.id));
      return inserted;
    });
  }

  /** One conditional status change with its events, in one unit of work; undefined when it no longer applies. */
  private transition(id: string, change: Transition): Promise<HelpRequestRow | undefined> {
    return this.outbox.unit(async () => {
      const updated = await this.repo.transition(id, change);
      if (updated) await this.outbox.emit(transitionEvents(id, change.to));
      return updated;
    });
  }

  /** Tells the listeners about a committed change (also of a pick in choice mode, help-request.choice.service.ts). */
  async changed(row: HelpRequestRow): Promise<HelpRequestRow> {
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
