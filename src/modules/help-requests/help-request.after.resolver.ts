import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { FollowUpRow } from "./help-request.after.repository.js";
import { type HelpRequestAfterService, suggestedMinutes } from "./help-request.after.service.js";
import { HelpFollowUp, HelpFollowUpInput, HelpThanks, VolunteerHoursEntry, VolunteerYearHours } from "./help-request.after.type.js";
import type { HelpRequestRow } from "./help-request.repository.js";
import { HelpRequest } from "./help-request.type.js";

/** The thanks a volunteer is shown at most, newest first. */
const MAX_THANKS = 50;

const followUpToApi = (f: FollowUpRow): HelpFollowUp => ({ ...f, professionalAsked: f.escalationId !== null });

/** After the help: thanks, the requester's follow-up, and the volunteer's hours. */
@Resolver(() => HelpRequest)
export class HelpRequestAfterResolver {
  constructor(private readonly after: HelpRequestAfterService) {}

  @Mutation(() => HelpThanks, {
    description:
      "The person helped or whoever asked: a private thank-you to the volunteer of a DONE request, once (1-1000 characters). Never public; there are no ratings of people.",
  })
  async thankVolunteer(
    @Ctx() ctx: Context,
    @Arg("helpRequestId", () => ID, { description: "The DONE request." }) helpRequestId: string,
    @Arg("message", () => String, { description: "The words of thanks." }) message: string,
  ): Promise<HelpThanks> {
    return this.after.thank(ctx.viewer, helpRequestId, message);
  }

  @Mutation(() => HelpFollowUp, {
    description:
      "The person helped or whoever asked, once per DONE request: did it happen, is more needed? NEW_REQUEST opens a linked request prefilled from this one; PROFESSIONAL asks a team.",
  })
  async giveHelpFollowUp(
    @Ctx() ctx: Context,
    @Arg("helpRequestId", () => ID, { description: "The DONE request." }) helpRequestId: string,
    @Arg("input", () => HelpFollowUpInput, { description: "The answers." }) input: HelpFollowUpInput,
  ): Promise<HelpFollowUp> {
    return followUpToApi(await this.after.followUp(ctx.viewer, helpRequestId, input));
  }

  @Mutation(() => VolunteerHoursEntry, {
    description:
      "The volunteer who gave the help: records the minutes spent on a DONE request (5-720; leave out for the window's length, see `suggestedMinutes`). Again to correct them.",
  })
  async recordVolunteerHours(
    @Ctx() ctx: Context,
    @Arg("helpRequestId", () => ID, { description: "The DONE request." }) helpRequestId: string,
    @Arg("minutes", () => Int, { nullable: true, description: "Minutes spent." }) minutes?: number | null,
  ): Promise<VolunteerHoursEntry> {
    return this.after.recordHours(ctx.viewer, helpRequestId, minutes ?? null);
  }

  @Query(() => VolunteerYearHours, { description: "Volunteer: your recorded hours in a year, per month (Europe/Amsterdam)." })
  async myVolunteerHours(
    @Ctx() ctx: Context,
    @Arg("year", () => Int, { nullable: true, description: "The year; default the current one." }) year?: number | null,
  ): Promise<VolunteerYearHours> {
    return this.after.myHours(ctx.viewer, year ?? null);
  }

  @Extensions({ maxItems: MAX_THANKS })
  @Query(() => [HelpThanks], { description: "The thanks you received for help you gave, newest first (the last 50)." })
  async myThanks(@Ctx() ctx: Context): Promise<HelpThanks[]> {
    return this.after.myThanks(ctx.viewer, MAX_THANKS);
  }

  @FieldResolver(() => HelpThanks, { nullable: true, description: "The thank-you for this request: for the volunteer thanked and the asking side only." })
  async thanks(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<HelpThanks | null> {
    return this.after.thanksOn(ctx.viewer, r);
  }

  @FieldResolver(() => HelpFollowUp, { nullable: true, description: "The follow-up of this request: for the asking side only." })
  async followUp(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<HelpFollowUp | null> {
    const f = await this.after.followUpOn(ctx.viewer, r);
    return f ? followUpToApi(f) : null;
  }

  @FieldResolver(() => HelpRequest, { nullable: true, description: "The request the follow-up of this one opened, if it is visible to you." })
  async followUpRequest(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<HelpRequest | null> {
    return this.after.linked(ctx.viewer, r, "next");
  }

  @FieldResolver(() => HelpRequest, { nullable: true, description: "The request whose follow-up opened this one, if it is visible to you." })
  async followsUpOn(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<HelpRequest | null> {
    return this.after.linked(ctx.viewer, r, "previous");
  }

  @FieldResolver(() => VolunteerHoursEntry, { nullable: true, description: "The hours you recorded on this request (the volunteer who gave the help only)." })
  async myHours(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<VolunteerHoursEntry | null> {
    return this.after.hoursOn(ctx.viewer, r);
  }

  @FieldResolver(() => Int, { nullable: true, description: "For the volunteer who gave the help: the minutes hours are prefilled with (the window's length, 5-720)." })
  suggestedMinutes(@Ctx() ctx: Context, @Root() r: HelpRequestRow): number | null {
    return ctx.viewer.personId !== null && r.volunteerId === ctx.viewer.personId && r.status === "DONE" ? suggestedMinutes(r) : null;
  }
}
