import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import { notFound } from "../../shared/errors.js";
import { Person } from "../people/person.types.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import type { InitiativeService } from "./initiative.service.js";
import type { PlacementStatus as StatusName } from "./initiative.tables.js";
import { Initiative } from "./initiative.type.js";
import type { OrganisationService } from "./organisation.service.js";
import { Organisation } from "./organisation.type.js";
import { PlacementFilter, ReferralInput } from "./participation.input.js";
import type { PlacementRow } from "./participation.repository.js";
import type { ParticipationService } from "./participation.service.js";
import { ParticipationUtilisationReport, Placement, PlacementConnection } from "./participation.type.js";
import { ParticipantContact } from "./signup.type.js";
import { FieldCost } from "../../graphql/cost.js";

@Resolver(() => Placement)
export class PlacementResolver {
  constructor(
    private readonly participation: ParticipationService,
    private readonly initiatives: InitiativeService,
    private readonly organisations: OrganisationService,
  ) {}

  @Query(() => PlacementConnection, {
    description: "Placements you are concerned with: of organisations you organise, referred by you, or your own; newest referral first.",
  })
  async participationPlacements(
    @Ctx() ctx: Context,
    @Arg("filter", () => PlacementFilter, { nullable: true, description: "Narrow the list." }) filter?: PlacementFilter | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<Placement>> {
    const page = await this.participation.list(
      ctx.viewer,
      { organisationId: filter?.organisationId, initiativeId: filter?.initiativeId, statuses: (filter?.statuses as StatusName[] | null) ?? null },
      { first, after, last, before },
    );
    return toConnection(page, (row): Placement => row);
  }

  @Query(() => ParticipationUtilisationReport, {
    description:
      "Utilisation of participation places (no token needed; counts only): places and filled places at the end of the period, participants started, active and ended in it; for the region and per area, neighbourhood and organisation. Groups of fewer than five participants (an organisation's places in one neighbourhood) are left out of the people figures. Default period: the twelve months up to now.",
  })
  async participationUtilisation(
    @Arg("from", () => DateTimeISO, { nullable: true, description: "Start of the period (default: a year before `to`)." }) from?: Date | null,
    @Arg("to", () => DateTimeISO, { nullable: true, description: "End of the period (default: now)." }) to?: Date | null,
    @Arg("municipality", () => String, { nullable: true, description: "Only this municipality, e.g. Dordrecht (default: the whole region)." }) municipality?: string | null,
  ): Promise<ParticipationUtilisationReport> {
    return this.participation.utilisation(from ?? null, to ?? null, municipality ?? null);
  }

  @Mutation(() => Placement, { description: "Professional: refers a resident to a participation place (-> REFERRED)." })
  async referToParticipationPlace(@Ctx() ctx: Context, @Arg("input", () => ReferralInput, { description: "The referral." }) input: ReferralInput): Promise<Placement> {
    return this.participation.refer(ctx.viewer, input);
  }

  @Mutation(() => Placement, { description: "Organiser: accepts a referral (REFERRED -> ACCEPTED)." })
  async acceptPlacement(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The placement." }) id: string,
    @Arg("note", () => String, { nullable: true, description: "A note for the referrer." }) note?: string | null,
  ): Promise<Placement> {
    return this.participation.accept(ctx.viewer, id, note ?? null);
  }

  @Mutation(() => Placement, { description: "Organiser: declines a referral (REFERRED or ACCEPTED -> DECLINED)." })
  async declinePlacement(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The placement." }) id: string,
    @Arg("note", () => String, { nullable: true, description: "Why, for the referrer." }) note?: string | null,
  ): Promise<Placement> {
    return this.participation.decline(ctx.viewer, id, note ?? null);
  }

  @Mutation(() => Placement, { description: "Organiser: the participant started (ACCEPTED -> STARTED), filling a place. PARTICIPATION_PLACES_FULL when none is free." })
  async startPlacement(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The placement." }) id: string,
    @Arg("startedAt", () => DateTimeISO, { nullable: true, description: "When it started (default now; not in the future, at most five years back)." })
    startedAt?: Date | null,
  ): Promise<Placement> {
    return this.participation.start(ctx.viewer, id, startedAt ?? null);
  }

  @Mutation(() => Placement, { description: "Organiser: the placement ended (STARTED -> ENDED), freeing the place." })
  async endPlacement(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The placement." }) id: string,
    @Arg("endedAt", () => DateTimeISO, { nullable: true, description: "When it ended (default now; not before the start, not in the future)." }) endedAt?: Date | null,
    @Arg("reason", () => String, { nullable: true, description: "Why (e.g. 'found paid work')." }) reason?: string | null,
  ): Promise<Placement> {
    return this.participation.end(ctx.viewer, id, endedAt ?? null, reason ?? null);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Initiative, { description: "The participation place." })
  async initiative(@Root() p: PlacementRow): Promise<Initiative> {
    const row = await this.initiatives.findRow(p.initiativeId);
    if (!row) throw notFound(R.INITIATIVE_NOT_FOUND, "The participation place no longer exists.");
    return row;
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Organisation, { description: "The organisation offering the place." })
  async organisation(@Root() p: PlacementRow): Promise<Organisation> {
    // A placement's organisation is a foreign key, so its row is there.
    return (await this.organisations.findRow(p.organisationId))!;
  }

  @FieldResolver(() => Person, { description: "The participant (first name)." })
  participant(@Root() p: PlacementRow): Person {
    return { id: p.participantId, firstName: p.participantFirstName };
  }

  @FieldResolver(() => Person, { description: "The professional who referred them (first name)." })
  async referredBy(@Ctx() ctx: Context, @Root() p: PlacementRow): Promise<Person> {
    const person = await ctx.loaders.personById.load(p.referredById);
    return { id: p.referredById, firstName: person?.firstName ?? "" };
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => ParticipantContact, {
    nullable: true,
    description:
      "Name and contact details of the participant: for the organisation's organisers unless they declined the referral (each read is logged), the referrer and the participant.",
  })
  async contact(@Ctx() ctx: Context, @Root() p: PlacementRow): Promise<ParticipantContact> {
    return this.participation.contact(ctx.viewer, p);
  }
}
