import type { Outbox } from "../../db/outbox.js";
import type { Clock } from "../../shared/clock.js";
import { conflict, forbidden, notFound } from "../../shared/errors.js";
import { parseInput, text } from "../../shared/validation.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import { HelpChoiceReason as C } from "./help-request.choice.errors.js";
import { type HelpOfferRow, type HelpRequestChoiceRepository, MAX_OFFERS_SHOWN, type OfferingVolunteer } from "./help-request.choice.repository.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import { transitionEvents } from "./help-request.events.js";
import { helpRequestPolicy as policy } from "./help-request.policy.js";
import type { HelpRequestRepository, HelpRequestRow } from "./help-request.repository.js";
import type { HelpRequestService } from "./help-request.service.js";

/** An offer as the asking side sees it: the note and what the volunteer shares, nothing to reach them by. */
export interface HelpOfferView extends HelpOfferRow {
  volunteer: OfferingVolunteer;
}

/**
 * The requester's choice. On a request in choice mode volunteers offer to help (with a short note)
 * instead of accepting; the asking side sees each offer's volunteer by first name, neighbourhoods and
 * languages, and picks one: the request becomes MATCHED with them (the usual lifecycle follows) and the
 * other offers are released. The pick follows the race rules of accepting: one conditional update of
 * the request decides, so of two picks at once exactly one wins.
 */
export class HelpRequestChoiceService {
  constructor(
    private readonly repo: HelpRequestChoiceRepository,
    private readonly requestRepo: HelpRequestRepository,
    private readonly requests: HelpRequestService,
    private readonly volunteers: VolunteerService,
    private readonly accessLog: AccessLogService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {
    // A request that closes without a pick (cancelled, expired, escalated) releases its open offers.
    requests.onChange(async (row) => {
      if (row.choiceMode && row.status !== "OPEN") await this.repo.releaseOpen(row.id, this.clock.now());
    });
  }

  /** A volunteer the request fits offers to help, with a note; offering again replaces the note. */
  async offer(viewer: Viewer, helpRequestId: string, note: string): Promise<HelpOfferRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const body = parseInput(text(1, 500), note, "note");
    const row = await this.requestRepo.findById(helpRequestId);
    if (!row) throw notFound(R.HELP_REQUEST_NOT_FOUND, "No help request with this id is visible to you.");
    if (policy.isRequester(v, row)) throw forbidden(R.CANNOT_ACCEPT_OWN_REQUEST, "You cannot accept a request you asked or are helped by.");
    const fit = await this.volunteers.fitOf(v.personId);
    // The fit of browsing: outside it the request does not exist for this volunteer.
    if (!policy.fitsProfile(fit, row)) throw notFound(R.HELP_REQUEST_NOT_FOUND, "No help request with this id is visible to you.");
    if (row.vogRequired && !fit.vogVerified) throw forbidden(R.VOG_REQUIRED, "This request needs a verified VOG (certificate of conduct).");
    if (!row.choiceMode) throw conflict(C.HELP_REQUEST_NOT_IN_CHOICE_MODE, "This request is taken by the first volunteer who accepts it: accept it instead of offering.");
    this.requireOpen(row);
    const offer = await this.repo.offer(row.id, v.personId, body, this.clock.now());
    if (offer) return offer;
    // Their earlier offer on this request was picked or released: it is not made again.
    const earlier = await this.repo.findFor(row.id, v.personId);
    throw conflict(C.HELP_OFFER_NOT_OPEN, "This offer is {status} and can no longer be withdrawn.", { status: earlier?.status ?? "RELEASED" });
  }

  /** The volunteer takes their offer back while it is still open. */
  async withdraw(viewer: Viewer, offerId: string): Promise<HelpOfferRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const offer = await this.repo.find(offerId);
    if (!offer || offer.volunteerId !== v.personId) throw notFound(C.HELP_OFFER_NOT_FOUND, "No offer to help with this id is visible to you.");
    const moved = await this.repo.move(offerId, "WITHDRAWN", this.clock.now(), v.personId);
    if (moved) return moved;
    const now = (await this.repo.find(offerId))!;
    throw conflict(C.HELP_OFFER_NOT_OPEN, "This offer is {status} and can no longer be withdrawn.", { status: now.status });
  }

  /** The asking side picks one offer: the request is MATCHED with its volunteer, the other offers are released. */
  async pick(viewer: Viewer, offerId: string): Promise<HelpRequestRow> {
    const v = requireViewer(viewer);
    const offer = await this.repo.find(offerId);
    if (!offer) throw notFound(C.HELP_OFFER_NOT_FOUND, "No offer to help with this id is visible to you.");
    // Not `get`: whoever loses a race must hear CONFLICT, not that the request vanished.
    const row = await this.requests.findVisible(v, offer.helpRequestId);
    if (!row) throw notFound(C.HELP_OFFER_NOT_FOUND, "No offer to help with this id is visible to you.");
    if (!(await this.requests.isAskerSide(v, row))) throw forbidden(R.NOT_THE_REQUESTER, "Only whoever asked can pick who helps.");
    this.requireOfferOpen(offer);
    this.requireOpen(row);
    const fit = await this.volunteers.fitOf(offer.volunteerId);
    if (!policy.fitsOpenRequest(fit, row)) throw conflict(C.HELP_OFFER_NO_LONGER_FITS, "This volunteer no longer fits the request (neighbourhood, category or VOG).");
    const now = this.clock.now();
    const matched = await this.outbox.unit(async () => {
      const updated = await this.requestRepo.transition(row.id, {
        from: ["OPEN"],
        to: "MATCHED",
        set: { volunteerId: offer.volunteerId },
        actorId: v.personId,
        note: null,
        at: now,
      });
      if (!updated) return undefined;
      // Withdrawn since it was read: the whole pick is undone (the throw rolls the unit back).
      if (!(await this.repo.move(offer.id, "PICKED", now))) this.requireOfferOpen((await this.repo.find(offer.id))!);
      await this.repo.releaseOpen(row.id, now);
      await this.outbox.emit(transitionEvents(row.id, "MATCHED"));
      return updated;
    });
    if (!matched) throw conflict(R.HELP_REQUEST_ALREADY_MATCHED, "Another volunteer has just accepted this request.");
    return this.requests.changed(matched);
  }

  /** The offers on a request, for its asking side only (each volunteer's details read is logged). */
  async offersOn(viewer: Viewer, row: HelpRequestRow): Promise<HelpOfferView[]> {
    const v = requireViewer(viewer);
    if (!row.choiceMode || !(await this.requests.isAskerSide(v, row))) return [];
    const offers = await this.repo.forRequest(row.id, row.status === "OPEN" ? ["OFFERED"] : ["PICKED"]);
    const people = await this.repo.volunteers(offers.map((o) => o.volunteerId));
    for (const o of offers) await this.accessLog.record(v.personId, o.volunteerId, ["firstName", "neighbourhoods", "languages"], "offer to help", row.id, { viewer: v });
    return offers.map((o) => ({ ...o, volunteer: people.get(o.volunteerId) ?? { firstName: "", neighbourhoodIds: [], languages: [] } }));
  }

  /** The volunteer's own offers, newest first: a released one carries its notice (help-request.choice.resolver.ts). */
  mine(viewer: Viewer): Promise<HelpOfferRow[]> {
    const v = this.volunteers.requireVolunteer(viewer);
    return this.repo.byVolunteer(v.personId, MAX_OFFERS_SHOWN);
  }

  /** For notifications: the volunteers whose offers on the request were released, and when. */
  releasedOffers(helpRequestId: string): Promise<{ volunteerId: string; at: Date }[]> {
    return this.repo.releasedOn(helpRequestId);
  }

  /** The viewer's own offer on a request, if any. */
  async myOffer(viewer: Viewer, row: HelpRequestRow): Promise<HelpOfferRow | null> {
    if (viewer.personId === null || !row.choiceMode) return null;
    return (await this.repo.findFor(row.id, viewer.personId)) ?? null;
  }

  private requireOfferOpen(offer: HelpOfferRow): void {
    if (offer.status === "WITHDRAWN") throw conflict(C.HELP_OFFER_WITHDRAWN, "This offer was withdrawn by the volunteer.");
    if (offer.status !== "OFFERED") throw conflict(R.HELP_REQUEST_ALREADY_MATCHED, "Another volunteer has already accepted this request.");
  }

  private requireOpen(row: HelpRequestRow): void {
    if (row.status === "MATCHED" || row.status === "IN_PROGRESS") throw conflict(R.HELP_REQUEST_ALREADY_MATCHED, "Another volunteer has already accepted this request.");
    if (row.status !== "OPEN") throw conflict(R.HELP_REQUEST_NOT_OPEN, "This request is {status} and can no longer be accepted.", { status: row.status });
    if (row.windowEnd.getTime() <= this.clock.now().getTime()) throw conflict(R.HELP_REQUEST_WINDOW_PASSED, "The wanted time window of this request has passed.");
  }
}
