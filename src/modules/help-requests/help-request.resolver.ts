import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { selectedFields } from "../../graphql/selection.js";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import { Person } from "../people/person.types.js";
import type { PlaceService } from "../places/place.service.js";
import { HelpCategory, Neighbourhood } from "../places/place.types.js";
import { AskForHelpInput, HelpRequestFilter } from "./help-request.input.js";
import { type HelpRequestFeedRow, changedStream, postedStream } from "./help-request.live.js";
import type { HelpRequestEventRow, HelpRequestRow } from "./help-request.repository.js";
import type { HelpRequestService } from "./help-request.service.js";
import { FieldCost } from "../../graphql/cost.js";
import { BrowseOrder, ContactDetails, HelpRelation, HelpRequest, HelpRequestConnection, HelpRequestEvent, HelpRequestFeedItem, HelpRequestStatus } from "./help-request.type.js";

/**
 * A stored request as the API type: not a copy and not a cast. The row goes to GraphQL as it is (the
 * field resolvers below read its columns), and the compiler checks it against every field HelpRequest
 * declares.
 */
const toApi = (row: HelpRequestRow): HelpRequest => row;
const feedItem = (item: HelpRequestFeedRow): HelpRequestFeedItem => ({
  cursor: String(item.event.seq),
  sequence: item.event.seq,
  kind: item.event.kind,
  helpRequest: toApi(item.value),
});

@Resolver(() => HelpRequest)
export class HelpRequestResolver {
  constructor(
    private readonly requests: HelpRequestService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => HelpRequest, { description: "One help request, if it is visible to you (NOT_FOUND otherwise)." })
  async helpRequest(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The request." }) id: string): Promise<HelpRequest> {
    return this.requests.get(ctx.viewer, id);
  }

  @Query(() => HelpRequestConnection, {
    description: "Volunteer only: open requests that fit your profile (neighbourhoods, categories, VOG), newest or soonest first.",
  })
  async openHelpRequests(
    @Ctx() ctx: Context,
    @Arg("filter", () => HelpRequestFilter, { nullable: true, description: "Narrow the list further." }) filter?: HelpRequestFilter | null,
    @Arg("orderBy", () => BrowseOrder, { nullable: true, defaultValue: BrowseOrder.NEWEST, description: "Order." }) orderBy?: BrowseOrder,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<ConnectionShape<HelpRequest>> {
    const fields = info ? selectedFields(info, ["edges", "node"]) : null;
    const page = await this.requests.browsing.browse(ctx.viewer, { ...filter, order: orderBy, first, after, last, before, fields });
    return toConnection(page, toApi);
  }

  @Query(() => HelpRequestConnection, { description: "Requests you asked (or that are for you), or that you help with, newest first." })
  async myHelpRequests(
    @Ctx() ctx: Context,
    @Arg("relation", () => HelpRelation, { defaultValue: HelpRelation.ASKED, description: "Asked by or for you, or helped by you." }) relation: HelpRelation,
    @Arg("statuses", () => [HelpRequestStatus], { nullable: true, description: "Only these statuses." }) statuses?: HelpRequestStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<HelpRequest>> {
    const page = await this.requests.browsing.mine(ctx.viewer, relation, statuses ?? null, { first, after, last, before });
    return toConnection(page, toApi, () => this.requests.browsing.countMine(ctx.viewer, relation, statuses ?? null));
  }

  @Mutation(() => HelpRequest, { description: "Asks for help, for yourself or on someone's behalf. The request is OPEN to fitting volunteers at once." })
  async askForHelp(@Ctx() ctx: Context, @Arg("input", () => AskForHelpInput, { description: "The request." }) input: AskForHelpInput): Promise<HelpRequest> {
    return this.requests.ask(ctx.viewer, input);
  }

  @Mutation(() => HelpRequest, { description: "Volunteer: takes an OPEN request (OPEN -> MATCHED). CONFLICT when someone else was first." })
  async acceptHelpRequest(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The request." }) id: string): Promise<HelpRequest> {
    return this.requests.accept(ctx.viewer, id);
  }

  @Mutation(() => HelpRequest, { description: "Matched volunteer: starts helping (MATCHED -> IN_PROGRESS)." })
  async startHelpRequest(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The request." }) id: string): Promise<HelpRequest> {
    return this.requests.start(ctx.viewer, id);
  }

  @Mutation(() => HelpRequest, { description: "Help was given (-> DONE): the matched volunteer from IN_PROGRESS, whoever asked from MATCHED or IN_PROGRESS." })
  async completeHelpRequest(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The request." }) id: string,
    @Arg("note", () => String, { nullable: true, description: "A word of thanks or what was done." }) note?: string | null,
  ): Promise<HelpRequest> {
    return this.requests.complete(ctx.viewer, id, note ?? null);
  }

  @Mutation(() => HelpRequest, {
    description:
      "Matched volunteer or whoever asked, once the window has ended (`outcomeDue`): did the help happen? true -> DONE, false -> EXPIRED. The first answer counts (HELP_REQUEST_OUTCOME_NOT_DUE before the window ends).",
  })
  async confirmHelpRequestOutcome(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The request." }) id: string,
    @Arg("happened", () => Boolean, { description: "Whether the help was given." }) happened: boolean,
    @Arg("note", () => String, { nullable: true, description: "A word of thanks, or what went wrong." }) note?: string | null,
  ): Promise<HelpRequest> {
    return this.requests.confirmOutcome(ctx.viewer, id, happened, note ?? null);
  }

  @Mutation(() => HelpRequest, { description: "Matched volunteer: gives the request back to other volunteers (-> OPEN)." })
  async releaseHelpRequest(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The request." }) id: string,
    @Arg("note", () => String, { nullable: true, description: "Why, for the requester." }) note?: string | null,
  ): Promise<HelpRequest> {
    return this.requests.release(ctx.viewer, id, note ?? null);
  }

  @Mutation(() => HelpRequest, { description: "Requester: withdraws the request (-> CANCELLED)." })
  async cancelHelpRequest(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The request." }) id: string,
    @Arg("reason", () => String, { nullable: true, description: "Why, for the volunteer." }) reason?: string | null,
  ): Promise<HelpRequest> {
    return this.requests.cancel(ctx.viewer, id, reason ?? null);
  }

  @Subscription(() => HelpRequestFeedItem, {
    description:
      "Volunteer: new (and re-opened) requests that fit your profile, optionally narrowed to neighbourhoods and categories. Pass the last `cursor` as `since` after a reconnect to receive what you missed first.",
    subscribe: ({ args, context }) => postedStream(context as Context, args),
  })
  helpRequestPosted(
    @Root() item: HelpRequestFeedRow,
    @Arg("neighbourhoodIds", () => [ID], { nullable: true, description: "Only these neighbourhoods." }) _n?: string[] | null,
    @Arg("categoryIds", () => [ID], { nullable: true, description: "Only these categories." }) _c?: string[] | null,
    @Arg("since", () => String, { nullable: true, description: "Cursor of the last event you received: replay what came after it." }) _since?: string | null,
    @Arg("allTimesAndLanguages", () => Boolean, {
      nullable: true,
      description: "Also requests outside your weekly availability and in languages you do not speak (left out by default).",
    })
    _all?: boolean | null,
  ): HelpRequestFeedItem {
    return feedItem(item);
  }

  @Subscription(() => HelpRequestFeedItem, {
    description: "Those involved in a request: each change of its status. Pass the last `cursor` as `since` after a reconnect.",
    subscribe: ({ args, context }) => changedStream(context as Context, args.id, args.since),
  })
  helpRequestChanged(
    @Root() item: HelpRequestFeedRow,
    @Arg("id", () => ID, { description: "The request." }) _id: string,
    @Arg("since", () => String, { nullable: true, description: "Cursor of the last event you received: replay what came after it." }) _since?: string | null,
  ): HelpRequestFeedItem {
    return feedItem(item);
  }

  @FieldResolver(() => HelpCategory, { description: "Kind of help." })
  category(@Root() r: HelpRequestRow): HelpCategory {
    return this.places.category(r.categoryId) as HelpCategory;
  }

  @FieldResolver(() => Neighbourhood, { description: "Where help is needed." })
  neighbourhood(@Root() r: HelpRequestRow): Neighbourhood {
    return this.places.neighbourhood(r.neighbourhoodId) as Neighbourhood;
  }

  @FieldResolver(() => Person, { description: "The person helped: first name only." })
  personHelped(@Root() r: HelpRequestRow): Person {
    return { id: r.personHelpedId, firstName: r.personHelpedFirstName };
  }

  @FieldResolver(() => Boolean, {
    description:
      "True when a volunteer holds the request (MATCHED or IN_PROGRESS) and its window has ended: the volunteer or whoever asked confirms with `confirmHelpRequestOutcome` whether the help happened. A matched request never expires by itself.",
  })
  outcomeDue(@Root() r: HelpRequestRow): boolean {
    return this.requests.outcomeDue(r);
  }

  @FieldResolver(() => Boolean, { description: "True when someone asked on the person's behalf." })
  askedOnBehalf(@Root() r: HelpRequestRow): boolean {
    return r.askedById !== r.personHelpedId;
  }

  @Authorized("HELP_REQUEST_HISTORY", "HELP_REQUEST_ORGANISATION")
  @FieldResolver(() => Person, { nullable: true, description: "The matched volunteer (first name). Those involved only." })
  async volunteer(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<Person | null> {
    if (!r.volunteerId) return null;
    const p = await ctx.loaders.personById.load(r.volunteerId);
    return p ? { id: p.id, firstName: p.firstName } : null;
  }

  @Authorized("HELP_REQUEST_CONTACT")
  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => ContactDetails, {
    nullable: true,
    description: "Address and phone of the person helped: for them, whoever asked, and the matched volunteer while matched. FORBIDDEN for anyone else; each read is logged.",
  })
  async contact(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<ContactDetails> {
    return this.requests.access.contact(ctx.viewer, r, await ctx.loaders.personById.load(r.personHelpedId));
  }

  @FieldResolver(() => ContactDetails, {
    nullable: true,
    description:
      "Whoever asked on the person's behalf (name and phone), or the organisation it was asked for (name, phone, address): for the matched volunteer while matched and the asking side, so help can be arranged through them (see `contactVia`). FORBIDDEN for anyone else; each read of a person's details is logged.",
  })
  async askerContact(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<ContactDetails> {
    return this.requests.access.askerContact(ctx.viewer, r);
  }

  @Authorized("HELP_REQUEST_HISTORY", "HELP_REQUEST_ORGANISATION")
  @Extensions({ maxItems: 30 })
  @FieldResolver(() => [HelpRequestEvent], { description: "Every transition with actor and time. Those involved and coordinators only." })
  async history(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<HelpRequestEvent[]> {
    // Batched within one execution step, never cached: a later mutation in the same document, or a later
    // event of a subscription, sees the history as it is then.
    const histories = ctx.loaders.of<HelpRequestEventRow[]>("helpRequestHistory", (ids) => this.requests.access.historiesOf(ids));
    const load = async (id: string) => {
      try {
        return (await histories.load(id)) ?? [];
      } finally {
        histories.clear(id);
      }
    };
    return this.requests.access.history(ctx.viewer, r, load);
  }
}

@Resolver(() => HelpRequestEvent)
export class HelpRequestEventResolver {
  @FieldResolver(() => Person, { nullable: true, description: "Who made the change; null for the system (e.g. expiry)." })
  async actor(@Ctx() ctx: Context, @Root() e: HelpRequestEventRow): Promise<Person | null> {
    if (!e.actorId) return null;
    const p = await ctx.loaders.personById.load(e.actorId);
    return p ? { id: p.id, firstName: p.firstName } : null;
  }
}
