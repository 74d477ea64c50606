import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import type { Context } from "../../graphql/context.js";
import { FieldCost } from "../../graphql/cost.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import { Person } from "../people/person.types.js";
import { shiftText } from "./care-schedule.service.js";
import { personById } from "./care.fields.js";
import type { ShiftRow, TaskRow } from "./care.rows.js";
import type { CareService } from "./care.service.js";
import { CareCircle, CareShift, CareShiftConnection, CareSwap, CareTask, ShiftOutcome } from "./care.types.js";

@Resolver(() => CareShift)
export class CareShiftResolver {
  constructor(private readonly care: CareService) {}

  private loadTask(ctx: Context, s: ShiftRow) {
    return ctx.loaders
      .of<TaskRow>("careTaskById", async (ids) => {
        const rows = await this.care.tasks.findTasksByIds(ids);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id));
      })
      .load(s.taskId);
  }

  @Query(() => CareShift, { description: "A shift: for members of its circle and whoever holds it." })
  async careShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return this.care.schedule.getShift(ctx.viewer, id);
  }

  @Query(() => CareShiftConnection, { description: "Shifts you hold in any circle (also as a volunteer covering a gap), from now on." })
  async myCareShifts(
    @Ctx() ctx: Context,
    @Arg("from", () => DateTimeISO, { nullable: true, description: "Shifts ending at or after this time (default now)." }) from?: Date | null,
    @Arg("to", () => DateTimeISO, { nullable: true, description: "Shifts starting before this time." }) to?: Date | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<CareShift>> {
    return toConnection(await this.care.schedule.myShifts(ctx.viewer, { from, to, first, after, last, before }), (shift): CareShift => shift);
  }

  @Mutation(() => CareShift, { description: "Member: takes an open shift. CONFLICT when someone was first or you hold an overlapping shift." })
  async claimCareShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return this.care.schedule.claim(ctx.viewer, id);
  }

  @Mutation(() => CareShift, { description: "Holder: gives a shift back to the circle." })
  async giveBackCareShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return this.care.schedule.release(ctx.viewer, id, false);
  }

  @Mutation(() => CareShift, { description: "Holder: gives a shift back and asks the circle to cover it." })
  async askCoverForCareShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return this.care.schedule.release(ctx.viewer, id, true);
  }

  @Mutation(() => CareSwap, { description: "Holder: proposes to hand the shift to a named member, who accepts or declines." })
  async proposeCareShiftSwap(
    @Ctx() ctx: Context,
    @Arg("shiftId", () => ID, { description: "The shift." }) shiftId: string,
    @Arg("toPersonId", () => ID, { description: "The member asked." }) toPersonId: string,
  ): Promise<CareSwap> {
    return this.care.schedule.proposeSwap(ctx.viewer, shiftId, toPersonId);
  }

  @Mutation(() => CareSwap, { description: "The member asked: accepts (the shift becomes theirs) or declines a swap." })
  async respondToCareShiftSwap(
    @Ctx() ctx: Context,
    @Arg("swapId", () => ID, { description: "The swap." }) swapId: string,
    @Arg("accept", () => Boolean, { description: "True to take the shift over." }) accept: boolean,
  ): Promise<CareSwap> {
    return this.care.schedule.respondToSwap(ctx.viewer, swapId, accept);
  }

  @Mutation(() => CareShift, { description: "Holder or coordinator, once the shift started: it was DONE or MISSED." })
  async recordCareShiftOutcome(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The shift." }) id: string,
    @Arg("outcome", () => ShiftOutcome, { description: "How it went." }) outcome: ShiftOutcome,
  ): Promise<CareShift> {
    return this.care.schedule.recordOutcome(ctx.viewer, id, outcome);
  }

  @FieldResolver(() => String, { description: "The task's title, as it was for this shift (a past shift keeps the title it had)." })
  async title(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<string> {
    return shiftText(s, s.title === null ? await this.loadTask(ctx, s) : undefined).title;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Care notes as they were for this shift: members of the circle, and a volunteer for the shift they cover, from the match until it ends.",
  })
  async notes(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<string | null> {
    if (!(await this.care.schedule.canSeeNotes(ctx.viewer, s))) return null;
    return this.care.schedule.notesFor(ctx.viewer, s, shiftText(s, s.title === null ? await this.loadTask(ctx, s) : undefined).notes);
  }

  @FieldResolver(() => CareTask, { nullable: true, description: "The task; null for a volunteer who is not a member." })
  async task(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<CareTask | null | undefined> {
    return (await this.care.circles.findVisibleCircle(ctx.viewer, s.circleId)) ? this.loadTask(ctx, s) : null;
  }

  @FieldResolver(() => Person, { nullable: true, description: "Who holds it (a member, or the volunteer who accepted its request)." })
  assignee(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<Person | null> {
    return personById(ctx, s.assigneeId);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CareCircle, { nullable: true, description: "The circle; null for a volunteer who is not a member." })
  async circle(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<CareCircle | null> {
    return this.care.circles.findVisibleCircle(ctx.viewer, s.circleId);
  }
}
