import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { OrganisationService } from "../initiatives/organisation.service.js";
import { Organisation } from "../initiatives/organisation.type.js";
import type { Neighbourhood } from "../places/place.types.js";
import { ApplyAsBuddyInput, CreateBuddyProgrammeInput, ReferBuddyParticipantInput } from "./buddy.input.js";
import type { BuddyRow, ParticipantRow, ProgrammeRow } from "./buddy.repository.js";
import type { ContactView, ParticipantView } from "./buddy.service.js";
import type { Buddies } from "./buddies.services.js";
import { Buddy, BuddyContact, BuddyMatch, BuddyParticipant, BuddyPersonDetails, BuddyProgramme, BuddyProgrammeMonth, BuddySignal } from "./buddy.type.js";

const asProgramme = (row: ProgrammeRow) => row as unknown as BuddyProgramme;
const asParticipant = (row: ParticipantRow) => row as unknown as BuddyParticipant;
const asBuddy = (row: BuddyRow) => row as unknown as Buddy;

@Resolver(() => BuddyProgramme)
export class BuddyProgrammeResolver {
  constructor(
    private readonly svc: Buddies,
    private readonly organisations: OrganisationService,
  ) {}

  @Query(() => BuddyProgramme, { description: "One buddy programme (public description). BUDDY_PROGRAMME_NOT_FOUND when there is none." })
  async buddyProgramme(@Arg("id", () => ID, { description: "The programme." }) id: string): Promise<BuddyProgramme> {
    return asProgramme(await this.svc.programmes.getProgramme(id));
  }

  @Extensions({ maxItems: 200 })
  @Query(() => [BuddyProgramme], { description: "Every buddy programme, oldest first (public descriptions)." })
  async buddyProgrammes(): Promise<BuddyProgramme[]> {
    return (await this.svc.programmes.listProgrammes()).map(asProgramme);
  }

  @Extensions({ maxItems: 50 })
  @Query(() => [BuddyParticipant], { description: "Your own places in buddy programmes, as participant, with your place on the waiting list." })
  async myBuddyParticipations(@Ctx() ctx: Context): Promise<BuddyParticipant[]> {
    return (await this.svc.programmes.myParticipations(ctx.viewer)).map(asParticipant);
  }

  @Extensions({ maxItems: 50 })
  @Query(() => [Buddy], { description: "Your own applications as a buddy." })
  async myBuddyApplications(@Ctx() ctx: Context): Promise<Buddy[]> {
    return (await this.svc.programmes.myBuddyRoles(ctx.viewer)).map(asBuddy);
  }

  @Mutation(() => BuddyProgramme, { description: "Organiser: starts a buddy programme of your organisation." })
  async createBuddyProgramme(
    @Ctx() ctx: Context,
    @Arg("input", () => CreateBuddyProgrammeInput, { description: "The programme." }) input: CreateBuddyProgrammeInput,
  ): Promise<BuddyProgramme> {
    return asProgramme(await this.svc.programmes.createProgramme(ctx.viewer, input));
  }

  @Mutation(() => BuddyProgramme, { description: "Organiser: names another coordinator of the programme." })
  async addBuddyProgrammeCoordinator(
    @Ctx() ctx: Context,
    @Arg("programmeId", () => ID, { description: "The programme." }) programmeId: string,
    @Arg("personId", () => ID, { description: "The person." }) personId: string,
  ): Promise<BuddyProgramme> {
    return asProgramme(await this.svc.programmes.addCoordinator(ctx.viewer, programmeId, personId));
  }

  @Mutation(() => BuddyParticipant, { description: "Puts a participant on the programme's waiting list: yourself, or (professional, desk) someone else, with their consent." })
  async referBuddyParticipant(
    @Ctx() ctx: Context,
    @Arg("input", () => ReferBuddyParticipantInput, { description: "The participant." }) input: ReferBuddyParticipantInput,
  ): Promise<BuddyParticipant> {
    return asParticipant(await this.svc.programmes.refer(ctx.viewer, input));
  }

  @Mutation(() => Buddy, { description: "Volunteer: applies as a buddy in the programme." })
  async applyAsBuddy(@Ctx() ctx: Context, @Arg("input", () => ApplyAsBuddyInput, { description: "Your application." }) input: ApplyAsBuddyInput): Promise<Buddy> {
    return asBuddy(await this.svc.programmes.apply(ctx.viewer, input));
  }

  @Mutation(() => Buddy, { description: "Programme coordinator: records that the buddy followed the programme's training." })
  async recordBuddyTraining(@Ctx() ctx: Context, @Arg("buddyId", () => ID, { description: "The buddy." }) buddyId: string): Promise<Buddy> {
    return asBuddy(await this.svc.programmes.recordTraining(ctx.viewer, buddyId));
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation that runs it." })
  async organisation(@Ctx() ctx: Context, @Root() p: ProgrammeRow): Promise<Organisation | null> {
    return this.organisations.findVisible(ctx.viewer, p.organisationId);
  }

  @FieldResolver(() => Boolean, { description: "Whether you coordinate this programme." })
  async amICoordinator(@Ctx() ctx: Context, @Root() p: ProgrammeRow): Promise<boolean> {
    return this.svc.programmes.isCoordinator(ctx.viewer, p);
  }

  @Extensions({ maxItems: 500 })
  @FieldResolver(() => [BuddyParticipant], { description: "Coordinators: every participant, in waiting-list order. NOT_A_PROGRAMME_COORDINATOR otherwise." })
  async participants(@Ctx() ctx: Context, @Root() p: ProgrammeRow): Promise<BuddyParticipant[]> {
    return (await this.svc.programmes.participants(ctx.viewer, p.id)).map(asParticipant);
  }

  @Extensions({ maxItems: 500 })
  @FieldResolver(() => [BuddyParticipant], { description: "Coordinators: the waiting list, first referred first. NOT_A_PROGRAMME_COORDINATOR otherwise." })
  async waitingList(@Ctx() ctx: Context, @Root() p: ProgrammeRow): Promise<BuddyParticipant[]> {
    return (await this.svc.programmes.waitingList(ctx.viewer, p.id)).map(asParticipant);
  }

  @Extensions({ maxItems: 500 })
  @FieldResolver(() => [Buddy], { description: "Coordinators: the buddies. NOT_A_PROGRAMME_COORDINATOR otherwise." })
  async buddies(@Ctx() ctx: Context, @Root() p: ProgrammeRow): Promise<Buddy[]> {
    return (await this.svc.programmes.buddies(ctx.viewer, p.id)).map(asBuddy);
  }

  @Extensions({ maxItems: 500 })
  @FieldResolver(() => [BuddyMatch], { description: "Coordinators: the matches. NOT_A_PROGRAMME_COORDINATOR otherwise." })
  async matches(@Ctx() ctx: Context, @Root() p: ProgrammeRow): Promise<BuddyMatch[]> {
    return (await this.svc.matches.matches(ctx.viewer, p.id)) as unknown as BuddyMatch[];
  }

  @Extensions({ maxItems: 500 })
  @FieldResolver(() => [BuddySignal], { description: "Coordinators: missed check-ins and escalations due, oldest first. NOT_A_PROGRAMME_COORDINATOR otherwise." })
  async signals(@Ctx() ctx: Context, @Root() p: ProgrammeRow): Promise<BuddySignal[]> {
    return (await this.svc.matches.signals(ctx.viewer, p.id)) as unknown as BuddySignal[];
  }

  @Extensions({ maxItems: 24 })
  @FieldResolver(() => [BuddyProgrammeMonth], {
    description: "The programme's coordinators and the municipality's coordinators: figures per month, withheld as the statistics are. NOT_A_PROGRAMME_COORDINATOR otherwise.",
  })
  async figures(
    @Ctx() ctx: Context,
    @Root() p: ProgrammeRow,
    @Arg("from", () => String, { nullable: true, description: "First month, YYYY-MM (default: eleven months before `to`)." }) from?: string | null,
    @Arg("to", () => String, { nullable: true, description: "Last month, YYYY-MM (default: this month)." }) to?: string | null,
  ): Promise<BuddyProgrammeMonth[]> {
    return this.svc.matches.figures(ctx.viewer, p.id, from ?? null, to ?? null);
  }
}

const asDetails = (view: ParticipantView, neighbourhood: (id: string | null) => Neighbourhood | null): BuddyPersonDetails => ({
  firstName: view.firstName,
  neighbourhood: neighbourhood(view.neighbourhoodId),
  languages: view.languages,
  interests: view.interests,
});

@Resolver(() => BuddyParticipant)
export class BuddyParticipantResolver {
  constructor(private readonly buddies: Buddies) {}

  private readonly place = (id: string | null) => this.buddies.programmes.neighbourhood(id) as Neighbourhood | null;

  @FieldResolver(() => BuddyProgramme, { description: "The programme." })
  async programme(@Root() p: ParticipantRow): Promise<BuddyProgramme> {
    return asProgramme(await this.buddies.programmes.getProgramme(p.programmeId));
  }

  @FieldResolver(() => BuddyPersonDetails, { description: "First name, neighbourhood and languages (every read by someone else is logged)." })
  async person(@Ctx() ctx: Context, @Root() p: ParticipantRow): Promise<BuddyPersonDetails> {
    return asDetails(await this.buddies.programmes.participantDetails(ctx.viewer, p), this.place);
  }

  @FieldResolver(() => BuddyContact, { nullable: true, description: "Contact: for the coordinators, and for their buddy while matched; null otherwise (logged when read)." })
  async contact(@Ctx() ctx: Context, @Root() p: ParticipantRow): Promise<ContactView | null> {
    return this.buddies.programmes.participantContact(ctx.viewer, p);
  }

  @FieldResolver(() => Int, { nullable: true, description: "1-based place on the waiting list; null unless waiting (shown to the participant and the coordinators)." })
  async waitingListPosition(@Root() p: ParticipantRow): Promise<number | null> {
    return this.buddies.programmes.waitingPosition(p);
  }
}

@Resolver(() => Buddy)
export class BuddyResolver {
  constructor(private readonly buddies: Buddies) {}

  private readonly place = (id: string | null) => this.buddies.programmes.neighbourhood(id) as Neighbourhood | null;

  @FieldResolver(() => BuddyProgramme, { description: "The programme." })
  async programme(@Root() b: BuddyRow): Promise<BuddyProgramme> {
    return asProgramme(await this.buddies.programmes.getProgramme(b.programmeId));
  }

  @FieldResolver(() => BuddyPersonDetails, { description: "First name, neighbourhood and languages (every read by someone else is logged)." })
  async person(@Ctx() ctx: Context, @Root() b: BuddyRow): Promise<BuddyPersonDetails> {
    return asDetails(await this.buddies.programmes.buddyDetails(ctx.viewer, b), this.place);
  }

  @FieldResolver(() => BuddyContact, { nullable: true, description: "Contact: for the coordinators, and for their participant while matched; null otherwise (logged when read)." })
  async contact(@Ctx() ctx: Context, @Root() b: BuddyRow): Promise<ContactView | null> {
    return this.buddies.programmes.buddyContact(ctx.viewer, b);
  }
}
