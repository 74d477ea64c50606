import { z } from "zod";
import type { Outbox } from "../../db/outbox.js";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { type Page, type PageRequest, decodeCursor, encodeCursor, pageSize } from "../../shared/pagination.js";
import { ageOn, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { type AskData, requireWindow, resolvePersonHelped } from "../help-requests/help-request.ask.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import { OfferReason as R } from "./offer.errors.js";
import { askChangedEvent } from "./offer.events.js";
import { type ListingFilter, type ListingScope, offerPolicy as policy } from "./offer.policy.js";
import type { OfferAskView, OfferRepository, OfferRow } from "./offer.repository.js";
import type { OfferAskStatus, OfferContactVia, OfferStatus } from "./offer.tables.js";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM");
const language = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/, "must be a language code such as nl, en, ar, tr, pl");

const PostSchema = z.object({
  title: text(1, 120),
  description: text(1, 2000),
  categoryIds: z.array(z.string().min(1, "must not be empty")).min(1, "give at least one").max(20, "at most 20 categories"),
  neighbourhoodIds: z.array(z.string().min(1, "must not be empty")).min(1, "give at least one").max(20, "at most 20 neighbourhoods"),
  availability: z
    .array(
      z
        .object({
          weekday: z.number().int().min(1, "must be 1 (Monday) to 7 (Sunday)").max(7, "must be 1 (Monday) to 7 (Sunday)"),
          from: time,
          to: time,
        })
        .refine((s) => s.from < s.to, { message: "must end after it starts", path: ["to"] }),
    )
    .max(50, "at most 50 slots"),
  languages: z.array(language).max(20, "at most 20 languages"),
});

const AskFromOfferSchema = z.object({
  listingId: z.string().min(1, "must not be empty"),
  title: text(1, 120),
  description: text(1, 4000),
  categoryId: z.string().min(1, "must not be empty").nullish(),
  neighbourhoodId: z.string().min(1, "must not be empty").nullish(),
  windowStart: z.date({ error: "must be a date-time" }),
  windowEnd: z.date({ error: "must be a date-time" }),
  vogRequired: z.boolean().nullish(),
  language: language.nullish(),
  personHelpedId: z.string().min(1).nullish(),
  personHelpedEmail: z.string().trim().min(1, "must not be empty").nullish(),
  personHelped: z.unknown().nullish(),
  contactVia: z.enum(["PERSON_HELPED", "ASKER"]).nullish(),
});

/** An offer's public listing: what it offers, where and when, and no one's identity. */
export interface ListingView extends ListingScope {
  id: string;
  title: string;
  description: string;
  languages: string[];
  availability: OfferRow["availability"];
}

/** How many active offers one read of browsing takes, and how many it reads at most for one page. */
const BATCH = 200;
const MAX_SCANNED = 2000;
const ON_BEHALF_ROLES = ["MANTELZORGER", "ORGANISER", "PROFESSIONAL"] as const;

/**
 * Offers (hulpaanbod): a volunteer posts what they offer within their profile, pauses, resumes and
 * withdraws it; anyone browses the listings, which name no one; residents and desks ask from one; the
 * volunteer accepts (the ask becomes a matched help request, and from then on the help-request
 * lifecycle runs) or declines. Each answer is one conditional update, so of two answers one wins.
 */
export class OfferService {
  constructor(
    private readonly repo: OfferRepository,
    private readonly volunteers: VolunteerService,
    private readonly people: PersonService,
    private readonly places: PlaceService,
    private readonly helpRequests: HelpRequestService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {
    // Someone who stops volunteering withdraws every offer, and what was asked of them is declined.
    people.onRoleRevoked(async (personId, role) => (role === "VOLUNTEER" ? this.withdrawAllOf(personId) : 0));
  }

  async post(viewer: Viewer, input: unknown): Promise<OfferRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const data = parseInput(PostSchema, input);
    const categoryIds = [...new Set(data.categoryIds)];
    const neighbourhoodIds = [...new Set(data.neighbourhoodIds)];
    for (const [i, id] of categoryIds.entries()) await this.places.requireCategory(id, `input.categoryIds.${i}`);
    for (const [i, id] of neighbourhoodIds.entries()) await this.places.requireNeighbourhood(id, `input.neighbourhoodIds.${i}`);
    const fit = await this.volunteers.fitOf(v.personId);
    const outside = neighbourhoodIds.findIndex((id) => !fit.neighbourhoodIds.includes(id));
    if (outside >= 0) {
      const field = `input.neighbourhoodIds.${outside}`;
      throw badInput(R.OFFER_OUTSIDE_NEIGHBOURHOODS, "{field}: you can offer help only in the neighbourhoods of your volunteer profile", field, { field });
    }
    const otherCategory = categoryIds.findIndex((id) => !fit.categoryIds.includes(id));
    if (otherCategory >= 0) {
      const field = `input.categoryIds.${otherCategory}`;
      throw badInput(R.OFFER_OUTSIDE_CATEGORIES, "{field}: you can offer help only in the categories of your volunteer profile", field, { field });
    }
    const now = this.clock.now();
    const row: OfferRow = {
      id: newId("Offer"),
      publicId: newId("OfferListing"),
      volunteerId: v.personId,
      title: data.title,
      description: data.description,
      categoryIds,
      neighbourhoodIds,
      availability: data.availability,
      languages: [...new Set(data.languages)],
      status: "ACTIVE",
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insertOffer(row);
    return row;
  }

  /** Pauses (ACTIVE -> PAUSED), resumes (PAUSED -> ACTIVE) or withdraws (for good) one's own offer. */
  async setStatus(viewer: Viewer, id: string, to: OfferStatus): Promise<OfferRow> {
    const v = requireViewer(viewer);
    const offer = await this.repo.findOffer(id);
    if (!offer || !policy.isOfferer(v, offer)) throw notFound(R.OFFER_NOT_FOUND, "No offer with this id is visible to you.");
    if (to === "ACTIVE") this.volunteers.requireVolunteer(v);
    if (offer.status === "WITHDRAWN") throw conflict(R.OFFER_WITHDRAWN, "This offer was withdrawn.");
    const from: OfferStatus[] = to === "WITHDRAWN" ? ["ACTIVE", "PAUSED"] : to === "PAUSED" ? ["ACTIVE"] : ["PAUSED"];
    const now = this.clock.now();
    const updated = await this.repo.setStatus(id, from, to, now);
    if (!updated) throw conflict(R.OFFER_PAUSED, "The offer is {status} and cannot become {to}.", { status: offer.status, to });
    if (to === "WITHDRAWN") await this.repo.declinePending([id], now);
    return updated;
  }

  /** The viewer's own offers, newest first (withdrawn ones only when asked for). */
  async mine(viewer: Viewer, statuses: OfferStatus[] | null): Promise<OfferRow[]> {
    const v = requireViewer(viewer);
    return this.repo.ofVolunteer(v.personId, statuses?.length ? statuses : ["ACTIVE", "PAUSED"]);
  }

  /** One's own offer by its id, or null (node lookup). */
  async findOwn(viewer: Viewer, id: string): Promise<OfferRow | null> {
    const offer = await this.repo.findOffer(id);
    return offer && policy.isOfferer(viewer, offer) ? offer : null;
  }

  /** An active offer's public listing by its listing id, or null: it names no one, so anyone may read it. */
  async listing(publicId: string): Promise<ListingView | null> {
    const offer = await this.repo.findByPublicId(publicId);
    if (!offer) return null;
    const scope = policy.scope(offer, await this.volunteers.recentFitOf(offer.volunteerId));
    const open: ListingFilter = { neighbourhoodIds: null, categoryIds: null, language: null, vogVerified: false, window: null };
    return policy.listed(offer, scope, open) ? listingOf(offer, scope) : null;
  }

  /** The listing of the offer an ask was made from, whatever its state now (for those who see the ask). */
  async listingOfAsk(ask: OfferAskView): Promise<ListingView | null> {
    const offer = await this.repo.findOffer(ask.offerId);
    return offer ? listingOf(offer, policy.scope(offer, await this.volunteers.recentFitOf(offer.volunteerId))) : null;
  }

  /**
   * Listings of active offers, newest first, for anyone (anonymous visitors too). A resident who names
   * no neighbourhood sees those of their home; desks and carers, asking for others, see every one.
   * Offers are read in batches and narrowed by their volunteers' current profiles; see
   * docs/decisions.md on why this is not one SQL statement.
   */
  async browse(
    viewer: Viewer,
    f: { neighbourhoodIds?: string[] | null; categoryIds?: string[] | null; language?: string | null; vogVerified?: boolean | null; from?: Date | null; to?: Date | null },
    args: { first?: number | null; after?: string | null },
  ): Promise<Page<ListingView>> {
    const page: PageRequest = { limit: pageSize(args.first), cursor: args.after ? decodeCursor(args.after, "after", "OfferListing") : null, backward: false };
    let neighbourhoodIds = f.neighbourhoodIds?.length ? f.neighbourhoodIds : null;
    if (!neighbourhoodIds && viewer.personId && !ON_BEHALF_ROLES.some((role) => hasRole(viewer, role))) {
      const home = (await this.people.findById(viewer.personId))?.neighbourhoodId;
      if (home) neighbourhoodIds = [home];
    }
    const filter: ListingFilter = {
      neighbourhoodIds,
      categoryIds: f.categoryIds?.length ? f.categoryIds : null,
      language: f.language ? f.language.trim().toLowerCase() : null,
      vogVerified: f.vogVerified === true,
      window: f.from && f.to ? { from: f.from, to: f.to } : null,
    };
    const found: ListingView[] = [];
    let after = page.cursor ? { at: new Date(page.cursor.sort), id: page.cursor.id } : null;
    let more = false;
    const createdAt = new Map<string, number>();
    for (let scanned = 0; scanned < MAX_SCANNED && found.length <= page.limit;) {
      const batch = await this.repo.activeBatch(after, BATCH);
      scanned += batch.length;
      more = batch.length === BATCH;
      const fits = await Promise.all(batch.map((o) => this.volunteers.recentFitOf(o.volunteerId)));
      batch.forEach((offer, i) => {
        const scope = policy.scope(offer, fits[i]!);
        if (!policy.listed(offer, scope, filter)) return;
        found.push(listingOf(offer, scope));
        createdAt.set(offer.publicId, offer.createdAt.getTime());
      });
      if (!more) break;
      const last = batch[batch.length - 1]!;
      after = { at: last.createdAt, id: last.publicId };
    }
    return {
      items: found.slice(0, page.limit),
      hasNextPage: found.length > page.limit || more,
      hasPreviousPage: page.cursor !== null,
      cursorOf: (l) => encodeCursor({ sort: createdAt.get(l.id)!, id: l.id }, "OfferListing"),
    };
  }

  /** Asks from an offer: for oneself, or (a mantelzorger, desk or professional) on someone's behalf. */
  async ask(viewer: Viewer, input: unknown): Promise<OfferAskView> {
    const v = requireViewer(viewer);
    const data = parseInput(AskFromOfferSchema, input);
    const offer = await this.repo.findByPublicId(data.listingId);
    const fit = offer ? await this.volunteers.fitOf(offer.volunteerId) : null;
    const scope = offer && fit ? policy.scope(offer, fit) : null;
    if (!offer || !scope || offer.status === "WITHDRAWN") {
      if (offer?.status === "WITHDRAWN") throw conflict(R.OFFER_WITHDRAWN, "This offer was withdrawn.");
      throw notFound(R.OFFER_NOT_FOUND, "No offer with this id is visible to you.");
    }
    if (offer.status === "PAUSED") throw conflict(R.OFFER_PAUSED, "This offer is paused; ask again later.");
    if (policy.isOfferer(v, offer)) throw forbidden(R.CANNOT_ASK_OWN_OFFER, "You cannot ask from your own offer.");
    const personHelped = await resolvePersonHelped(this.people, async () => false, v, { ...data, askingOrganisationId: null } as unknown as AskData);
    const categoryId = data.categoryId ?? scope.categoryIds[0];
    if (!categoryId || !scope.categoryIds.includes(categoryId))
      throw badInput(R.ASK_OUTSIDE_OFFER, "{field}: this offer does not cover it", "input.categoryId", { field: "input.categoryId" });
    const neighbourhoodId = data.neighbourhoodId ?? personHelped.neighbourhoodId;
    if (!neighbourhoodId || !scope.neighbourhoodIds.includes(neighbourhoodId)) {
      throw badInput(R.ASK_OUTSIDE_OFFER, "{field}: this offer does not cover it", "input.neighbourhoodId", { field: "input.neighbourhoodId" });
    }
    const now = this.clock.now();
    requireWindow(data as unknown as AskData, now);
    const minor = personHelped.birthDate !== null && ageOn(personHelped.birthDate, now) < 18;
    const vogRequired = minor || data.vogRequired === true;
    if (vogRequired && !scope.vogVerified) throw forbidden(R.VOG_REQUIRED, "This ask needs a verified VOG (certificate of conduct).");
    const contactVia: OfferContactVia = data.contactVia ?? (personHelped.id === v.personId || personHelped.phone ? "PERSON_HELPED" : "ASKER");
    const id = newId("OfferAsk");
    await this.outbox.unit(async () => {
      await this.repo.insertAsk({
        id,
        offerId: offer.id,
        askedById: v.personId,
        personHelpedId: personHelped.id,
        categoryId,
        neighbourhoodId,
        title: data.title,
        description: data.description,
        windowStart: data.windowStart,
        windowEnd: data.windowEnd,
        vogRequired,
        contactVia,
        language: data.language ?? null,
        status: "PENDING",
        helpRequestId: null,
        answeredAt: null,
        createdAt: now,
      });
      await this.outbox.emit([askChangedEvent(id, "PENDING")]);
    });
    return (await this.repo.findAsk(id))!;
  }

  /**
   * The volunteer who offers accepts an ask: it becomes a help request MATCHED to them, through the
   * help-request service, so the usual lifecycle follows and contact details show as for any match.
   */
  async accept(viewer: Viewer, id: string): Promise<OfferAskView> {
    const { v, ask } = await this.answerable(viewer, id);
    const fit = await this.volunteers.fitOf(v.personId);
    if (ask.vogRequired && !fit.vogVerified) throw forbidden(R.VOG_REQUIRED, "This ask needs a verified VOG (certificate of conduct).");
    const helpRequestId = newId("HelpRequest");
    const now = this.clock.now();
    if (!(await this.claim(id, "ACCEPTED", helpRequestId, now))) throw conflict(R.OFFER_ASK_ALREADY_ANSWERED, "This ask was already answered.");
    try {
      await this.helpRequests.offered.createMatched(
        {
          id: helpRequestId,
          askedById: ask.askedById,
          personHelpedId: ask.personHelpedId,
          categoryId: ask.categoryId,
          neighbourhoodId: ask.neighbourhoodId,
          title: ask.title,
          description: ask.description,
          urgency: "NORMAL",
          vogRequired: ask.vogRequired,
          windowStart: ask.windowStart,
          windowEnd: ask.windowEnd,
          contactVia: ask.contactVia,
          language: ask.language,
        },
        v.personId,
      );
    } catch (err) {
      await this.repo.reopen(id, helpRequestId);
      throw err;
    }
    return (await this.repo.findAsk(id))!;
  }

  async decline(viewer: Viewer, id: string): Promise<OfferAskView> {
    await this.answerable(viewer, id);
    if (!(await this.claim(id, "DECLINED", null, this.clock.now()))) throw conflict(R.OFFER_ASK_ALREADY_ANSWERED, "This ask was already answered.");
    return (await this.repo.findAsk(id))!;
  }

  /** Asks made from the viewer's offers (volunteer), newest first. */
  async asksToMe(viewer: Viewer, statuses: OfferAskStatus[] | null, first: number | null): Promise<OfferAskView[]> {
    const v = requireViewer(viewer);
    return this.repo.asksToVolunteer(v.personId, statuses?.length ? statuses : ["PENDING", "ACCEPTED", "DECLINED"], pageSize(first));
  }

  /** Asks the viewer made, or that are for them, newest first. */
  async myAsks(viewer: Viewer, first: number | null): Promise<OfferAskView[]> {
    return this.repo.asksOfPerson(requireViewer(viewer).personId, pageSize(first));
  }

  /** An ask, if the viewer asked it, is helped by it or offers what it was asked from; else null. */
  async findAsk(viewer: Viewer, id: string): Promise<OfferAskView | null> {
    const ask = await this.repo.findAsk(id);
    if (!ask || !viewer.personId) return null;
    if (policy.isAskerSide(viewer, ask)) return ask;
    const offer = await this.repo.findOffer(ask.offerId);
    return offer && policy.isOfferer(viewer, offer) ? ask : null;
  }

  /** The help request an accepted ask became, with the viewer's rights on it. */
  async helpRequestOf(viewer: Viewer, ask: OfferAskView): Promise<HelpRequestRow | null> {
    return ask.helpRequestId ? ((await this.helpRequests.findVisible(viewer, ask.helpRequestId)) ?? null) : null;
  }

  /** The checks before answering: the ask is visible, the viewer offers it and still volunteers, it is pending and not past its window. */
  private async answerable(viewer: Viewer, id: string): Promise<{ v: AuthenticatedViewer; ask: OfferAskView }> {
    const v = requireViewer(viewer);
    const ask = await this.findAsk(v, id);
    if (!ask) throw notFound(R.OFFER_ASK_NOT_FOUND, "No ask with this id is visible to you.");
    const offer = (await this.repo.findOffer(ask.offerId))!;
    if (!policy.isOfferer(v, offer)) throw forbidden(R.NOT_THE_OFFERING_VOLUNTEER, "Only the volunteer who offers can answer this ask.");
    this.volunteers.requireVolunteer(v);
    if (ask.status !== "PENDING") throw conflict(R.OFFER_ASK_ALREADY_ANSWERED, "This ask was already answered.");
    if (ask.windowEnd.getTime() <= this.clock.now().getTime()) throw conflict(R.OFFER_ASK_WINDOW_PASSED, "The wanted time window of this ask has passed.");
    return { v, ask };
  }

  /** One conditional update with its event; true when this call answered the ask. */
  private claim(id: string, to: "ACCEPTED" | "DECLINED", helpRequestId: string | null, at: Date): Promise<boolean> {
    return this.outbox.unit(async () => {
      const answered = await this.repo.answer(id, to, helpRequestId, at);
      if (answered) await this.outbox.emit([askChangedEvent(id, to)]);
      return answered;
    });
  }

  private async withdrawAllOf(personId: string): Promise<number> {
    const offers = await this.repo.ofVolunteer(personId, ["ACTIVE", "PAUSED"]);
    const now = this.clock.now();
    for (const o of offers) await this.repo.setStatus(o.id, ["ACTIVE", "PAUSED"], "WITHDRAWN", now);
    return this.repo.declinePending(
      offers.map((o) => o.id),
      now,
    );
  }
}

function listingOf(offer: OfferRow, scope: ListingScope): ListingView {
  return { id: offer.publicId, title: offer.title, description: offer.description, languages: offer.languages, availability: offer.availability, ...scope };
}
