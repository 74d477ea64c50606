import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import { HelpRequest } from "../help-requests/help-request.type.js";
import { Person } from "../people/person.types.js";
import type { PlaceService } from "../places/place.service.js";
import { HelpCategory, Neighbourhood } from "../places/place.types.js";
import { AskFromOfferInput, OfferFilter, PostOfferInput } from "./offer.input.js";
import type { OfferAskView, OfferRow } from "./offer.repository.js";
import type { ListingView, OfferService } from "./offer.service.js";
import { Offer, OfferAsk, OfferAskStatus, OfferListing, OfferListingConnection, OfferStatus } from "./offer.type.js";

/** A stored offer as the volunteer's own API type. */
export const offerToApi = (row: OfferRow): Offer & OfferRow => ({ ...row, listingId: row.publicId });
const places = (p: PlaceService, ids: string[]) => ids.map((id) => p.neighbourhood(id)).filter((n) => n !== undefined) as Neighbourhood[];
const categories = (p: PlaceService, ids: string[]) => ids.map((id) => p.category(id)).filter((c) => c !== undefined) as HelpCategory[];

@Resolver(() => Offer)
export class OfferResolver {
  constructor(
    private readonly offers: OfferService,
    private readonly places: PlaceService,
  ) {}

  @Extensions({ maxItems: 100 })
  @Query(() => [Offer], { description: "Volunteer: your own offers, newest first (active and paused unless statuses say otherwise)." })
  async myOffers(
    @Ctx() ctx: Context,
    @Arg("statuses", () => [OfferStatus], { nullable: true, description: "Only these statuses." }) statuses?: OfferStatus[] | null,
  ): Promise<Offer[]> {
    return (await this.offers.mine(ctx.viewer, statuses ?? null)).map(offerToApi);
  }

  @Mutation(() => Offer, {
    description: "Volunteer: offers help, within your profile's neighbourhoods and categories (OFFER_OUTSIDE_NEIGHBOURHOODS otherwise). Listed at once, without your identity.",
  })
  async postOffer(@Ctx() ctx: Context, @Arg("input", () => PostOfferInput, { description: "The offer." }) input: PostOfferInput): Promise<Offer> {
    return offerToApi(await this.offers.post(ctx.viewer, input));
  }

  @Mutation(() => Offer, { description: "Pauses your offer: no longer listed or askable until resumed; asks already made can still be answered." })
  async pauseOffer(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "Your offer." }) id: string): Promise<Offer> {
    return offerToApi(await this.offers.setStatus(ctx.viewer, id, "PAUSED"));
  }

  @Mutation(() => Offer, { description: "Resumes a paused offer." })
  async resumeOffer(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "Your offer." }) id: string): Promise<Offer> {
    return offerToApi(await this.offers.setStatus(ctx.viewer, id, "ACTIVE"));
  }

  @Mutation(() => Offer, { description: "Withdraws your offer for good; asks still waiting are declined." })
  async withdrawOffer(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "Your offer." }) id: string): Promise<Offer> {
    return offerToApi(await this.offers.setStatus(ctx.viewer, id, "WITHDRAWN"));
  }

  @Extensions({ maxItems: 20 })
  @FieldResolver(() => [HelpCategory], { description: "Kinds of help offered." })
  categories(@Root() o: OfferRow): HelpCategory[] {
    return categories(this.places, o.categoryIds);
  }

  @Extensions({ maxItems: 20 })
  @FieldResolver(() => [Neighbourhood], { description: "Where." })
  neighbourhoods(@Root() o: OfferRow): Neighbourhood[] {
    return places(this.places, o.neighbourhoodIds);
  }
}

@Resolver(() => OfferListing)
export class OfferListingResolver {
  constructor(
    private readonly service: OfferService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => OfferListingConnection, {
    description: "Offers of help, newest first, for anyone (no login needed), never naming who offers. A resident who names no neighbourhood sees those of their home.",
  })
  async offers(
    @Ctx() ctx: Context,
    @Arg("filter", () => OfferFilter, { nullable: true, description: "Narrow the list." }) filter?: OfferFilter | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
  ): Promise<ConnectionShape<OfferListing>> {
    return toConnection(await this.service.browse(ctx.viewer, filter ?? {}, { first, after }), (l) => l);
  }

  @Extensions({ maxItems: 20 })
  @FieldResolver(() => [HelpCategory], { description: "Kinds of help offered." })
  categories(@Root() l: ListingView): HelpCategory[] {
    return categories(this.places, l.categoryIds);
  }

  @Extensions({ maxItems: 20 })
  @FieldResolver(() => [Neighbourhood], { description: "Where." })
  neighbourhoods(@Root() l: ListingView): Neighbourhood[] {
    return places(this.places, l.neighbourhoodIds);
  }
}

@Resolver(() => OfferAsk)
export class OfferAskResolver {
  constructor(
    private readonly offers: OfferService,
    private readonly places: PlaceService,
  ) {}

  @Extensions({ maxItems: 100 })
  @Query(() => [OfferAsk], { description: "Volunteer: what was asked from your offers, newest first." })
  async offerAsksToMe(
    @Ctx() ctx: Context,
    @Arg("statuses", () => [OfferAskStatus], { nullable: true, description: "Only these statuses." }) statuses?: OfferAskStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: "At most this many, 1-100 (default 20)." }) first?: number | null,
  ): Promise<OfferAsk[]> {
    return this.offers.asksToMe(ctx.viewer, statuses ?? null, first ?? null);
  }

  @Extensions({ maxItems: 100 })
  @Query(() => [OfferAsk], { description: "What you asked from offers, or was asked for you, newest first." })
  async myOfferAsks(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: "At most this many, 1-100 (default 20)." }) first?: number | null,
  ): Promise<OfferAsk[]> {
    return this.offers.myAsks(ctx.viewer, first ?? null);
  }

  @Mutation(() => OfferAsk, { description: "Asks from an offer, for yourself or on someone's behalf. The volunteer who offers accepts or declines." })
  async askFromOffer(@Ctx() ctx: Context, @Arg("input", () => AskFromOfferInput, { description: "The ask." }) input: AskFromOfferInput): Promise<OfferAsk> {
    return this.offers.ask(ctx.viewer, input);
  }

  @Mutation(() => OfferAsk, {
    description: "Volunteer who offers: accepts an ask; it becomes a help request MATCHED to you (`helpRequest`). CONFLICT when it was answered already.",
  })
  async acceptOfferAsk(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The ask." }) id: string): Promise<OfferAsk> {
    return this.offers.accept(ctx.viewer, id);
  }

  @Mutation(() => OfferAsk, { description: "Volunteer who offers: declines an ask. CONFLICT when it was answered already." })
  async declineOfferAsk(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The ask." }) id: string): Promise<OfferAsk> {
    return this.offers.decline(ctx.viewer, id);
  }

  @FieldResolver(() => HelpCategory, { description: "Kind of help." })
  category(@Root() a: OfferAskView): HelpCategory {
    return this.places.category(a.categoryId) as HelpCategory;
  }

  @FieldResolver(() => Neighbourhood, { description: "Where help is needed." })
  neighbourhood(@Root() a: OfferAskView): Neighbourhood {
    return this.places.neighbourhood(a.neighbourhoodId) as Neighbourhood;
  }

  @FieldResolver(() => Person, { description: "The person helped: first name only (contact details come with the matched help request)." })
  personHelped(@Root() a: OfferAskView): Person {
    return { id: a.personHelpedId, firstName: a.personHelpedFirstName };
  }

  @FieldResolver(() => OfferListing, { nullable: true, description: "The offer it was asked from, as listed (naming no one)." })
  offer(@Root() a: OfferAskView): Promise<ListingView | null> {
    return this.offers.listingOfAsk(a);
  }

  @FieldResolver(() => HelpRequest, {
    nullable: true,
    description: "Once accepted: the matched help request, with its usual rules (the volunteer and contact details show to those involved).",
  })
  helpRequest(@Ctx() ctx: Context, @Root() a: OfferAskView): Promise<HelpRequest | null> {
    return this.offers.helpRequestOf(ctx.viewer, a);
  }
}
