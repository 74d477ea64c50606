import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import type { HelpRequestStatus as HelpRequestStatusName } from "../help-requests/help-request.tables.js";
import { HelpRequest, HelpRequestConnection, HelpRequestStatus } from "../help-requests/help-request.type.js";
import type { PlaceService } from "../places/place.service.js";
import { Neighbourhood } from "../places/place.types.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import { type Page, pageSize } from "../../shared/pagination.js";
import type { InitiativeService } from "./initiative.service.js";
import type { InitiativeStatus as StatusName, MemberRole } from "./initiative.tables.js";
import { type Initiative, InitiativeConnection, InitiativeStatus } from "./initiative.type.js";
import { CreateOrganisationInput, OrganisationFilter } from "./organisation.input.js";
import type { MemberRow, OrganisationRow } from "./organisation.repository.js";
import type { OrganisationService } from "./organisation.service.js";
import { FieldCost } from "../../graphql/cost.js";
import { Organisation, OrganisationConnection, OrganisationMember, OrganisationMemberRole, OrganisationMembership } from "./organisation.type.js";

const asMember = (m: MemberRow): OrganisationMember => ({
  person: { id: m.personId, firstName: m.firstName },
  role: m.role,
  addedAt: m.addedAt,
});

@Resolver(() => Organisation)
export class OrganisationResolver {
  constructor(
    private readonly organisationService: OrganisationService,
    private readonly initiativeService: InitiativeService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => Organisation, { description: "One organisation: public once verified; before that for its members and coordinators (NOT_FOUND otherwise)." })
  async organisation(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The organisation." }) id: string): Promise<Organisation> {
    return this.organisationService.get(ctx.viewer, id);
  }

  @Query(() => OrganisationConnection, { description: "Verified organisations, oldest first; no token needed. Coordinators can list those awaiting verification." })
  async organisations(
    @Ctx() ctx: Context,
    @Arg("filter", () => OrganisationFilter, { nullable: true, description: "Narrow the list." }) filter?: OrganisationFilter | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<Organisation>> {
    const page = await this.organisationService.list(ctx.viewer, { ...filter }, { first, after, last, before });
    return toConnection(page, (row): Organisation => row);
  }

  @Extensions({ maxItems: 50 })
  @Query(() => [OrganisationMembership], { description: "The organisations you belong to, with your role." })
  async myOrganisations(@Ctx() ctx: Context): Promise<OrganisationMembership[]> {
    const mine = await this.organisationService.mine(ctx.viewer);
    return mine.map((m) => ({ organisation: m.organisation, role: m.role }));
  }

  @Mutation(() => Organisation, { description: "Organiser or coordinator: registers an organisation (you become its organiser). Public after a coordinator verifies it." })
  async createOrganisation(
    @Ctx() ctx: Context,
    @Arg("input", () => CreateOrganisationInput, { description: "The organisation." }) input: CreateOrganisationInput,
  ): Promise<Organisation> {
    return this.organisationService.create(ctx.viewer, input);
  }

  @Mutation(() => Organisation, { description: "Coordinator: verifies an organisation; its published initiatives become public." })
  async verifyOrganisation(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The organisation." }) id: string): Promise<Organisation> {
    return this.organisationService.verify(ctx.viewer, id);
  }

  @Extensions({ maxItems: 100 })
  @Mutation(() => [OrganisationMember], { description: "Organiser (or coordinator): adds a person with an account to the organisation, or changes their role." })
  async addOrganisationMember(
    @Ctx() ctx: Context,
    @Arg("organisationId", () => ID, { description: "The organisation." }) organisationId: string,
    @Arg("personId", () => ID, { description: "The person (their account id)." }) personId: string,
    @Arg("role", () => OrganisationMemberRole, { description: "Organiser or one of its volunteers." }) role: OrganisationMemberRole,
  ): Promise<OrganisationMember[]> {
    return (await this.organisationService.addMember(ctx.viewer, organisationId, personId, role as MemberRole)).map(asMember);
  }

  @Extensions({ maxItems: 100 })
  @Mutation(() => [OrganisationMember], { description: "Organiser (or coordinator): removes a member; the last organiser stays (LAST_ORGANISER)." })
  async removeOrganisationMember(
    @Ctx() ctx: Context,
    @Arg("organisationId", () => ID, { description: "The organisation." }) organisationId: string,
    @Arg("personId", () => ID, { description: "The member." }) personId: string,
  ): Promise<OrganisationMember[]> {
    return (await this.organisationService.removeMember(ctx.viewer, organisationId, personId)).map(asMember);
  }

  @Mutation(() => HelpRequest, {
    description:
      "Organiser of a verified organisation: takes an OPEN help request on for one of the organisation's volunteers (OPEN -> MATCHED). The organisation is the matched party; the assignee helps and sees the contact details.",
  })
  async takeOnHelpRequest(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The help request." }) id: string,
    @Arg("organisationId", () => ID, { description: "Your organisation." }) organisationId: string,
    @Arg("assigneeId", () => ID, { description: "The member (with a volunteer account) who will help." }) assigneeId: string,
  ): Promise<HelpRequest> {
    return this.organisationService.takeOnHelpRequest(ctx.viewer, id, organisationId, assigneeId);
  }

  @Mutation(() => HelpRequest, { description: "Organiser: hands a MATCHED request your organisation took on to another of its volunteers." })
  async reassignHelpRequest(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The help request." }) id: string,
    @Arg("assigneeId", () => ID, { description: "The member who will help instead." }) assigneeId: string,
  ): Promise<HelpRequest> {
    return this.organisationService.reassignHelpRequest(ctx.viewer, id, assigneeId);
  }

  @FieldResolver(() => Boolean, { description: "Whether a coordinator verified it (its initiatives are public)." })
  verified(@Root() org: OrganisationRow): boolean {
    return org.verifiedAt !== null;
  }

  @FieldResolver(() => Neighbourhood, { description: "Where it is based." })
  neighbourhood(@Root() org: OrganisationRow): Neighbourhood {
    return this.places.neighbourhood(org.neighbourhoodId) as Neighbourhood;
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => InitiativeConnection, {
    description: "Its initiatives: for its organisers all of them (newest first), for everyone else the public upcoming ones (soonest first).",
  })
  async initiatives(
    @Ctx() ctx: Context,
    @Root() org: OrganisationRow,
    @Arg("statuses", () => [InitiativeStatus], { nullable: true, description: "Organisers: only these statuses." }) statuses?: InitiativeStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<Initiative>> {
    // Batched: a page of organisations is searched once for everyone's first page, not once per organisation
    // (a page from a cursor or backward is read on its own, see forOrganisation).
    const size = pageSize(first);
    const firstPages = ctx.loaders.of<Page<InitiativeRow>>("publicInitiativesOfOrganisation", (keys) =>
      this.initiativeService.publicFirstPages(keys.map((k) => JSON.parse(k) as [number, string])),
    );
    const page = await this.initiativeService.forOrganisation(ctx.viewer, org.id, (statuses as StatusName[] | null) ?? null, { first, after, last, before }, () =>
      firstPages.load(JSON.stringify([size, org.id])),
    );
    return toConnection(page, (row): Initiative => row);
  }

  @FieldResolver(() => HelpRequestConnection, {
    description:
      "Organisers of a verified organisation: the open requests that fit at least one of its volunteers (their neighbourhoods, categories and VOG), newest first; take one on with `takeOnHelpRequest`. Seen as a volunteer sees them: no contact details or history. NOT_AN_ORGANISER otherwise.",
  })
  async openHelpRequests(
    @Ctx() ctx: Context,
    @Root() org: OrganisationRow,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<HelpRequest>> {
    const page = await this.organisationService.openHelpRequests(ctx.viewer, org.id, { first, after, last, before });
    return toConnection(page, (row): HelpRequest => row);
  }

  @FieldResolver(() => HelpRequestConnection, {
    description: "Organisers: the help requests asked for this organisation (by any of its organisers), newest first. NOT_AN_ORGANISER otherwise.",
  })
  async askedHelpRequests(
    @Ctx() ctx: Context,
    @Root() org: OrganisationRow,
    @Arg("statuses", () => [HelpRequestStatus], { nullable: true, description: "Only these statuses." }) statuses?: HelpRequestStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<HelpRequest>> {
    const only = (statuses as HelpRequestStatusName[] | null) ?? null;
    const page = await this.organisationService.askedHelpRequests(ctx.viewer, org.id, only, { first, after, last, before });
    return toConnection(
      page,
      (row): HelpRequest => row,
      () => this.organisationService.countAskedHelpRequests(ctx.viewer, org.id, only),
    );
  }

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [OrganisationMember], { description: "Members and their roles: for its organisers and coordinators (NOT_AN_ORGANISER otherwise)." })
  async members(@Ctx() ctx: Context, @Root() org: OrganisationRow): Promise<OrganisationMember[]> {
    return (await this.organisationService.members(ctx.viewer, org.id)).map(asMember);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => OrganisationMemberRole, { nullable: true, description: "Your role in this organisation; null when you are not a member." })
  async myRole(@Ctx() ctx: Context, @Root() org: OrganisationRow): Promise<MemberRole | null> {
    return (await this.organisationService.roleOf(ctx.viewer, org.id)) ?? null;
  }
}
