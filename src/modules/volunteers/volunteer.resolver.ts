import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import type { PlaceService } from "../places/place.service.js";
import type { HelpCategory, Neighbourhood } from "../places/place.types.js";
import type { VolunteerProfileRow } from "./volunteer.repository.js";
import type { VolunteerService } from "./volunteer.service.js";
import { type VogReview, VogReviewConnection, type VogStatus, VolunteerProfile, VolunteerProfileInput } from "./volunteer.types.js";

@Resolver(() => VolunteerProfile)
export class VolunteerResolver {
  constructor(
    private readonly volunteers: VolunteerService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => VolunteerProfile, { nullable: true, description: "The logged-in volunteer's profile; null before it is first saved." })
  async myVolunteerProfile(@Ctx() ctx: Context): Promise<VolunteerProfile | null> {
    const row = await this.volunteers.myProfile(ctx.viewer);
    return row ? this.toType(row) : null;
  }

  @Mutation(() => VolunteerProfile, { description: "Volunteer only: saves the profile that decides which requests are shown." })
  async updateVolunteerProfile(
    @Ctx() ctx: Context,
    @Arg("input", () => VolunteerProfileInput, { description: "The whole profile." }) input: VolunteerProfileInput,
  ): Promise<VolunteerProfile> {
    return this.toType(await this.volunteers.updateMyProfile(ctx.viewer, input));
  }

  @Mutation(() => VolunteerProfile, {
    description:
      "Volunteer only: declares a VOG; a coordinator verifies it. Until then requests that need a VOG are not shown, and any you hold go back to OPEN. BAD_USER_INPUT (VOG_ISSUED_IN_FUTURE) for a date after today.",
  })
  async declareVog(@Ctx() ctx: Context, @Arg("issuedOn", () => String, { description: "Issue date, YYYY-MM-DD." }) issuedOn: string): Promise<VolunteerProfile> {
    return this.toType(await this.volunteers.declareVog(ctx.viewer, issuedOn));
  }

  @Mutation(() => VolunteerProfile, {
    description: "Coordinator only: records a VOG as verified or rejected. A rejection sends every request the volunteer holds that needs a VOG back to OPEN.",
  })
  async reviewVog(
    @Ctx() ctx: Context,
    @Arg("personId", () => ID, { description: "The volunteer." }) personId: string,
    @Arg("verified", () => Boolean, { description: "True when a valid VOG was seen." }) verified: boolean,
    @Arg("issuedOn", () => String, { nullable: true, description: "Issue date, YYYY-MM-DD, not after today; leave out to keep the declared one." }) issuedOn?: string | null,
  ): Promise<VolunteerProfile> {
    return this.toType(await this.volunteers.reviewVog(ctx.viewer, personId, verified, issuedOn ?? null));
  }

  @Query(() => VogReviewConnection, {
    description: "Coordinators only: the VOGs declared and awaiting review, oldest declaration first. FORBIDDEN (COORDINATOR_ONLY) for anyone else.",
  })
  async vogReviewQueue(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<VogReview>> {
    const page = await this.volunteers.reviewQueue(ctx.viewer, { first, after, last, before });
    const people = await Promise.all(page.items.map((r) => ctx.loaders.personById.load(r.id)));
    const names = new Map(page.items.map((r, i) => [r.id, people[i]?.firstName ?? ""]));
    return toConnection(
      page,
      (r) => ({ volunteer: { id: r.id, firstName: names.get(r.id)! }, vogIssuedOn: r.vogIssuedOn, declaredAt: r.vogDeclaredAt }),
      () => this.volunteers.reviewQueueCount(ctx.viewer),
    );
  }

  private toType(r: VolunteerProfileRow): VolunteerProfile {
    return {
      categories: r.categoryIds.map((id) => this.places.category(id)).filter(Boolean) as HelpCategory[],
      neighbourhoods: r.neighbourhoodIds.map((id) => this.places.neighbourhood(id)).filter(Boolean) as Neighbourhood[],
      languages: r.languages,
      availability: r.availability,
      vogStatus: r.vogStatus as VogStatus,
      vogIssuedOn: r.vogIssuedOn,
      vogReviewedAt: r.vogVerifiedAt,
      vogExpiresOn: r.vogIssuedOn && (r.vogStatus === "VERIFIED" || r.vogStatus === "EXPIRED") ? this.volunteers.vogExpiresOn(r.vogIssuedOn) : null,
    };
  }
}
