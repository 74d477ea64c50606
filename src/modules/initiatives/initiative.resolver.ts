import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import type { PlaceService } from "../places/place.service.js";
import { HelpCategory, Neighbourhood } from "../places/place.types.js";
import { CreateInitiativeInput, InitiativeFilter, UpdateInitiativeInput } from "./initiative.input.js";
import { initiativeChangeOf } from "./initiative.events.js";
import { type InitiativeFeedRow, publishedStream } from "./initiative.live.js";
import { publishedPlaces } from "./initiative.capacity.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import type { InitiativeService } from "./initiative.service.js";
import type { SignupStatus as SignupStatusName } from "./initiative.tables.js";
import {
  Initiative,
  InitiativeAudience,
  InitiativeConnection,
  InitiativeChange,
  InitiativeDate,
  InitiativeFeedItem,
  InitiativeKind,
  InitiativeOrder,
  Recurrence,
} from "./initiative.type.js";
import { Organisation } from "./organisation.type.js";
import type { SignupService } from "./signup.service.js";
import { Signup, SignupConnection, SignupStatus } from "./signup.type.js";
import { FieldCost } from "../../graphql/cost.js";

@Resolver(() => Initiative)
export class InitiativeResolver {
  constructor(
    private readonly initiativeService: InitiativeService,
    private readonly signupService: SignupService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => Initiative, { description: "One initiative: public when published by a verified organisation; drafts for its organisers (NOT_FOUND otherwise)." })
  async initiative(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The initiative." }) id: string): Promise<Initiative> {
    return this.initiativeService.get(ctx.viewer, id);
  }

  @Query(() => InitiativeConnection, {
    description:
      "Discover public initiatives (no token needed): by neighbourhood (and nearby ones), kind, category, date range, audience and text, upcoming only, with cursor paging.",
  })
  async initiatives(
    @Arg("filter", () => InitiativeFilter, { nullable: true, description: "What to look for." }) filter?: InitiativeFilter | null,
    @Arg("orderBy", () => InitiativeOrder, { nullable: true, description: "Order; default RELEVANCE with a text search, else SOONEST." }) orderBy?: InitiativeOrder | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: `${PAGE_ARG.after} Same filter and order.` }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: `${PAGE_ARG.before} Same filter and order.` }) before?: string | null,
  ): Promise<ConnectionShape<Initiative>> {
    const page = await this.initiativeService.discover({ ...filter }, orderBy ?? null, { first, after, last, before });
    return toConnection(page, (row): Initiative => row);
  }

  @Mutation(() => Initiative, { description: "Organiser: creates an initiative of your organisation (a DRAFT, or published with `publish: true`)." })
  async createInitiative(@Ctx() ctx: Context, @Arg("input", () => CreateInitiativeInput, { description: "The initiative." }) input: CreateInitiativeInput): Promise<Initiative> {
    return this.initiativeService.create(ctx.viewer, input);
  }

  @Mutation(() => Initiative, { description: "Organiser: changes a draft or published initiative." })
  async updateInitiative(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The initiative." }) id: string,
    @Arg("input", () => UpdateInitiativeInput, { description: "The changes." }) input: UpdateInitiativeInput,
  ): Promise<Initiative> {
    return this.initiativeService.update(ctx.viewer, id, input);
  }

  @Mutation(() => Initiative, { description: "Organiser: publishes a draft (DRAFT -> PUBLISHED); public once the organisation is verified." })
  async publishInitiative(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The initiative." }) id: string): Promise<Initiative> {
    return this.initiativeService.publish(ctx.viewer, id);
  }

  @Mutation(() => Initiative, { description: "Organiser: calls an initiative off (-> CANCELLED); every sign-up is cancelled and told." })
  async cancelInitiative(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The initiative." }) id: string,
    @Arg("reason", () => String, { nullable: true, description: "Why, for the participants." }) reason?: string | null,
  ): Promise<Initiative> {
    return this.initiativeService.cancel(ctx.viewer, id, reason ?? null);
  }

  @Mutation(() => Initiative, { description: "Organiser: marks a published initiative as over (-> ENDED)." })
  async endInitiative(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The initiative." }) id: string,
    @Arg("reason", () => String, { nullable: true, description: "A closing word." }) reason?: string | null,
  ): Promise<Initiative> {
    return this.initiativeService.end(ctx.viewer, id, reason ?? null);
  }

  @Subscription(() => InitiativeFeedItem, {
    description:
      "Residents and partner apps (no token needed): public initiatives as they become public and as they change (new dates, places freed, cancelled, ended; `change` says which), optionally only in these neighbourhoods, of these kinds and for these changes. Pass the last `cursor` as `since` after a reconnect to receive what you missed first.",
    subscribe: ({ args, context }) => publishedStream(context as Context, args),
  })
  initiativePublished(
    @Root() item: InitiativeFeedRow,
    @Arg("neighbourhoodIds", () => [ID], { nullable: true, description: "Only these neighbourhoods." }) _n?: string[] | null,
    @Arg("kinds", () => [InitiativeKind], { nullable: true, description: "Only these kinds." }) _k?: InitiativeKind[] | null,
    @Arg("since", () => String, { nullable: true, description: "Cursor of the last event you received: replay what came after it." }) _since?: string | null,
    @Arg("changes", () => [InitiativeChange], { nullable: true, description: "Only these changes (e.g. [PUBLISHED] for new initiatives only); every change when left out." })
    _changes?: InitiativeChange[] | null,
  ): InitiativeFeedItem {
    const change = initiativeChangeOf(item.event);
    return { cursor: String(item.event.seq), sequence: item.event.seq, kind: change, change, initiative: item.value };
  }

  @FieldResolver(() => Neighbourhood, { description: "Where it takes place." })
  neighbourhood(@Root() r: InitiativeRow): Neighbourhood {
    return this.places.neighbourhood(r.neighbourhoodId) as Neighbourhood;
  }

  @FieldResolver(() => Organisation, { description: "Who offers it." })
  organisation(@Root() r: InitiativeRow): Organisation {
    return r.organisation;
  }

  @Extensions({ maxItems: 20 })
  @FieldResolver(() => [HelpCategory], { description: "Help categories it fits." })
  categories(@Root() r: InitiativeRow): HelpCategory[] {
    return r.categoryIds.map((id) => this.places.category(id)).filter(Boolean) as HelpCategory[];
  }

  @FieldResolver(() => InitiativeAudience, { description: "Who it is for." })
  audience(@Root() r: InitiativeRow): InitiativeAudience {
    return { minAge: r.minAge, maxAge: r.maxAge, languages: r.languages };
  }

  @FieldResolver(() => Recurrence, { nullable: true, description: "How its dates repeat; null for a one-off date or no dates." })
  recurrence(@Root() r: InitiativeRow): Recurrence | null {
    if (!r.recurrence) return null;
    return {
      frequency: r.recurrence.frequency,
      interval: r.recurrence.interval,
      count: r.recurrence.count,
      until: r.recurrence.until ? new Date(r.recurrence.until) : null,
    };
  }

  @FieldResolver(() => Boolean, { description: "True when there is no limit on places." })
  unlimited(@Root() r: InitiativeRow): boolean {
    return r.capacity === null;
  }

  @FieldResolver(() => Int, {
    description:
      "Places taken (confirmed sign-ups), as published: a number of one to four is given as 0 so it says nothing about the few people behind it; always 0 for a participation place (see participationUtilisation). Organisers see their sign-ups themselves.",
  })
  placesTaken(@Root() r: InitiativeRow): number {
    return publishedPlaces(r).taken;
  }

  @FieldResolver(() => Int, { description: "People on the waiting list, as published: one to four is given as 0; always 0 for a participation place." })
  waitingListLength(@Root() r: InitiativeRow): number {
    return publishedPlaces(r).waiting;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "Free places: capacity minus the published placesTaken; null when unlimited, and for a participation place (not published).",
  })
  placesLeft(@Root() r: InitiativeRow): number | null {
    return publishedPlaces(r).left;
  }

  @FieldResolver(() => InitiativeDate, { nullable: true, description: "The next date (not yet ended); null when all are past or it has no dates." })
  nextDate(@Root() r: InitiativeRow): InitiativeDate | null {
    return r.nextStartsAt && r.nextEndsAt ? { startsAt: r.nextStartsAt, endsAt: r.nextEndsAt } : null;
  }

  @Extensions({ maxItems: 200, defaultItems: 20, cost: FieldCost.READ })
  @FieldResolver(() => [InitiativeDate], { description: "Its dates ending after `from` (default now), soonest first." })
  async dates(
    @Root() r: InitiativeRow,
    @Arg("from", () => DateTimeISO, { nullable: true, description: "Only dates ending after this moment (default now)." }) from?: Date | null,
    @Arg("first", () => Int, { nullable: true, description: "At most this many, 1-200 (default 20)." }) first?: number | null,
  ): Promise<InitiativeDate[]> {
    return this.initiativeService.dates(r, from ?? null, first);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Signup, { nullable: true, description: "Your own active sign-up for it; null when you have none (or no token)." })
  async mySignup(@Ctx() ctx: Context, @Root() r: InitiativeRow): Promise<Signup | null> {
    return this.signupService.mySignupFor(ctx.viewer, r.id);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => SignupConnection, { description: "Its sign-ups in arrival order, with names and contact details: its organisers only (NOT_AN_ORGANISER otherwise)." })
  async signups(
    @Ctx() ctx: Context,
    @Root() r: InitiativeRow,
    @Arg("statuses", () => [SignupStatus], { nullable: true, description: "Only these statuses." }) statuses?: SignupStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<Signup>> {
    const only = (statuses as SignupStatusName[] | null) ?? null;
    const page = await this.signupService.forInitiative(ctx.viewer, r, only, { first, after, last, before });
    return toConnection(
      page,
      (row): Signup => row,
      () => this.signupService.countForInitiative(ctx.viewer, r, only),
    );
  }
}
