import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { FieldCost } from "../../graphql/cost.js";
import type { CircleRow } from "./care.rows.js";
import type { CareService } from "./care.service.js";
import { CareCircleWithoutCoordinator, CareOpenInvitation } from "./care-running.types.js";
import { CareCircle, CircleRole } from "./care.types.js";

@Resolver(() => CareCircle)
export class CareRunningResolver {
  constructor(private readonly care: CareService) {}

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CareOpenInvitation], { description: "Coordinators: invitations nobody used yet that are still valid (FORBIDDEN for other members)." })
  async openInvitations(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<CareOpenInvitation[]> {
    const rows = await this.care.running.openInvitations(ctx.viewer, c.id);
    return rows.map((r) => ({ ...r, relation: r.relation as CareOpenInvitation["relation"] }));
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Boolean, { description: "Whether you share your strain answers with the circle's coordinators (shareCareLoad)." })
  async myLoadShared(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<boolean> {
    return (await this.care.circles.getCircle(ctx.viewer, c.id)).me.shareLoad === true;
  }

  @Mutation(() => Boolean, { description: "Coordinator: withdraws an open invitation (a code or an e-mailed one); nobody can join with it any more." })
  revokeCareInvitation(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("invitationId", () => ID, { description: "The invitation (openInvitations)." }) invitationId: string,
  ): Promise<boolean> {
    return this.care.running.revokeInvitation(ctx.viewer, circleId, invitationId);
  }

  @Mutation(() => Boolean, {
    description: "Coordinator: removes another member. Their future shifts open up again, their pending swaps are withdrawn and their calendar feed stops at once.",
  })
  removeCareCircleMember(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("personId", () => ID, { description: "The member to remove." }) personId: string,
  ): Promise<boolean> {
    return this.care.running.removeMember(ctx.viewer, circleId, personId);
  }

  @Mutation(() => CareCircle, { description: "Coordinator: makes a member coordinator too, or a coordinator (yourself too) a member; a circle keeps at least one." })
  async setCareCircleRole(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("personId", () => ID, { description: "The member." }) personId: string,
    @Arg("role", () => CircleRole, { description: "Their new role." }) role: CircleRole,
  ): Promise<CareCircle> {
    return this.care.running.setRole(ctx.viewer, circleId, personId, role);
  }

  @Mutation(() => Boolean, { description: "Member: shares your strain answers with the circle's coordinators (true), or stops sharing them (false)." })
  shareCareLoad(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("share", () => Boolean, { description: "Whether coordinators see your strain." }) share: boolean,
  ): Promise<boolean> {
    return this.care.running.shareLoad(ctx.viewer, circleId, share);
  }

  @Extensions({ maxItems: 500 })
  @Query(() => [CareCircleWithoutCoordinator], { description: "Municipality coordinators: care circles nobody coordinates any more." })
  careCirclesWithoutCoordinator(@Ctx() ctx: Context): Promise<CareCircleWithoutCoordinator[]> {
    return this.care.running.circlesWithoutCoordinator(ctx.viewer);
  }

  @Mutation(() => ID, {
    description: "Municipality coordinator: appoints a person coordinator of a circle that has none; they join it if they are not a member. Answers the circle's id.",
  })
  async appointCareCircleCoordinator(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("personId", () => ID, { description: "The person who will run it." }) personId: string,
  ): Promise<string> {
    return (await this.care.running.appoint(ctx.viewer, circleId, personId)).id;
  }
}
