import { Arg, Ctx, Extensions, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, toConnection } from "../../graphql/relay.js";
import { ContactDetails, HelpRequest } from "../help-requests/help-request.type.js";
import { Person } from "../people/person.types.js";
import type { PlaceService } from "../places/place.service.js";
import { HelpCategory, Neighbourhood } from "../places/place.types.js";
import { CareTaskInput, CreateCareCircleInput, RespiteInput } from "./care.input.js";
import { type CareChangeRow, careChangedStream } from "./care.live.js";
import type { CircleRow, MemberRow, ShiftRow, SwapRow, TaskRow } from "./care.repository.js";
import { CareService, type MemberLoad as MemberLoadRow } from "./care.service.js";
import { FieldCost } from "../../graphql/cost.js";
import {
  CareCircle,
  CareCircleChange,
  CareCircleMember,
  CareInvitation,
  CareShift,
  CareShiftConnection,
  CareRespite,
  CareShiftStatus,
  CareSwap,
  CareTask,
  CircleRole,
  MemberLoad,
  Relation,
  ShiftOutcome,
  Strain,
} from "./care.types.js";

const as = <T>(row: unknown) => row as T;

const person = async (ctx: Context, id: string | null): Promise<Person | null> => {
  if (!id) return null;
  const p = await ctx.loaders.personById.load(id);
  return p ? { id: p.id, firstName: p.firstName } : null;
};

@Resolver(() => CareCircle)
export class CareCircleResolver {
  constructor(
    private readonly care: CareService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => CareCircle, { description: "A care circle you are a member of (NOT_FOUND otherwise)." })
  async careCircle(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The circle." }) id: string): Promise<CareCircle> {
    return as((await this.care.getCircle(ctx.viewer, id)).circle);
  }

  @Extensions({ maxItems: 50 })
  @Query(() => [CareCircle], { description: "The care circles you are a member of." })
  async myCareCircles(@Ctx() ctx: Context): Promise<CareCircle[]> {
    return as(await this.care.myCircles(ctx.viewer));
  }

  @Mutation(() => CareCircle, { description: "Mantelzorger: starts a care circle for one care receiver; you become its coordinator." })
  async createCareCircle(@Ctx() ctx: Context, @Arg("input", () => CreateCareCircleInput, { description: "The circle." }) input: CreateCareCircleInput): Promise<CareCircle> {
    return as(await this.care.createCircle(ctx.viewer, input));
  }

  @Mutation(() => CareInvitation, { description: "Coordinator: a single-use invitation code that expires (default 72 hours)." })
  inviteToCareCircle(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("relation", () => Relation, { nullable: true, description: "The invitee's relation to the care receiver." }) relation?: Relation | null,
    @Arg("expiresInHours", () => Float, { nullable: true, description: "Validity in hours (1 to 720)." }) expiresInHours?: number | null,
  ): Promise<CareInvitation> {
    return this.care.invite(ctx.viewer, circleId, relation, expiresInHours);
  }

  @Mutation(() => CareCircle, { description: "Joins the circle of an invitation code (single use)." })
  async joinCareCircle(@Ctx() ctx: Context, @Arg("code", () => String, { description: "The invitation code." }) code: string): Promise<CareCircle> {
    return as(await this.care.join(ctx.viewer, code));
  }

  @Mutation(() => Boolean, { description: "Leaves the circle; future shifts you hold open up again. A coordinator hands over first." })
  leaveCareCircle(@Ctx() ctx: Context, @Arg("circleId", () => ID, { description: "The circle." }) circleId: string): Promise<boolean> {
    return this.care.leave(ctx.viewer, circleId);
  }

  @Mutation(() => CareCircle, { description: "Coordinator: hands coordination to another member." })
  async handOverCoordination(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("toPersonId", () => ID, { description: "The member who takes over." }) toPersonId: string,
  ): Promise<CareCircle> {
    return as(await this.care.handOver(ctx.viewer, circleId, toPersonId));
  }

  @Mutation(() => CareTask, { description: "Coordinator: adds a one-off or recurring task; its shifts appear at once." })
  async addCareTask(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("input", () => CareTaskInput, { description: "The task." }) input: CareTaskInput,
  ): Promise<CareTask> {
    return as(await this.care.addTask(ctx.viewer, circleId, input));
  }

  @Mutation(() => CareTask, { description: "Coordinator: changes a task. Future unclaimed shifts follow; claimed ones are kept and flagged." })
  async updateCareTask(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The task." }) id: string,
    @Arg("input", () => CareTaskInput, { description: "The whole task." }) input: CareTaskInput,
  ): Promise<CareTask> {
    return as(await this.care.updateTask(ctx.viewer, id, input));
  }

  @Mutation(() => Boolean, { description: "Coordinator: ends a task; its future unclaimed shifts are cancelled, claimed ones flagged." })
  removeCareTask(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The task." }) id: string): Promise<boolean> {
    return this.care.removeTask(ctx.viewer, id);
  }

  @Mutation(() => Boolean, { description: "Member: a short periodic check-in on how heavy caring feels." })
  careCheckIn(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("strain", () => Strain, { description: "How heavy it feels." }) strain: Strain,
    @Arg("note", () => String, { nullable: true, description: "Anything to add." }) note?: string | null,
  ): Promise<boolean> {
    return this.care.checkIn(ctx.viewer, circleId, strain, note ?? null);
  }

  @Mutation(() => HelpRequest, { description: "Coordinator: asks for respite care (respijtzorg), a RESPITE help request for the care receiver." })
  async askForRespite(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("input", () => RespiteInput, { description: "When." }) input: RespiteInput,
  ): Promise<HelpRequest> {
    return as(await this.care.askForRespite(ctx.viewer, circleId, input));
  }

  @Mutation(() => String, {
    description: "Your private iCalendar feed URL for this circle's shifts you hold. With revoke, every earlier URL stops working.",
  })
  careCalendarFeed(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("revoke", () => Boolean, { defaultValue: false, description: "Revoke earlier URLs and issue a new one." }) revoke: boolean,
  ): Promise<string> {
    return this.care.calendarUrl(ctx.viewer, circleId, revoke);
  }

  @Subscription(() => CareCircleChange, {
    description: "Members: new, claimed, released and swapped shifts and other changes in the circle.",
    subscribe: ({ args, context }) => careChangedStream(context as Context, args.circleId, args.since),
  })
  careCircleChanged(
    @Root() change: CareChangeRow,
    @Arg("circleId", () => ID, { description: "The circle." }) _circleId: string,
    @Arg("since", () => String, { nullable: true, description: "Cursor of the last event you received: replay what came after it." }) _since?: string | null,
  ): CareCircleChange {
    return as(change);
  }

  @FieldResolver(() => Person, { description: "The care receiver (first name)." })
  careReceiver(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<Person | null> {
    return person(ctx, c.careReceiverId);
  }

  @FieldResolver(() => ContactDetails, { description: "The care receiver's contact details, for members; each read is logged." })
  careReceiverContact(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<ContactDetails> {
    return this.care.careReceiverContact(ctx.viewer, c);
  }

  @FieldResolver(() => Neighbourhood, { description: "The care receiver's neighbourhood." })
  neighbourhood(@Root() c: CircleRow): Neighbourhood {
    return as(this.places.neighbourhood(c.neighbourhoodId));
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CircleRole, { description: "Your role in this circle." })
  async myRole(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<CircleRole> {
    return as((await this.care.getCircle(ctx.viewer, c.id)).me.role);
  }

  @Extensions({ maxItems: 50, cost: FieldCost.READ })
  @FieldResolver(() => [CareCircleMember], { description: "Current members, coordinator included." })
  async members(@Root() c: CircleRow): Promise<CareCircleMember[]> {
    return as(await this.care.members(c.id));
  }

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CareTask], { description: "Active tasks." })
  async tasks(@Root() c: CircleRow): Promise<CareTask[]> {
    return as(await this.care.tasks(c.id));
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CareShiftConnection, { description: "Shifts in time order, from now (or `from`) on; cancelled ones only when asked for." })
  async shifts(
    @Ctx() ctx: Context,
    @Root() c: CircleRow,
    @Arg("from", () => GraphQLDateTimeISO, { nullable: true, description: "Shifts ending at or after this time (default now)." }) from?: Date | null,
    @Arg("to", () => GraphQLDateTimeISO, { nullable: true, description: "Shifts starting before this time." }) to?: Date | null,
    @Arg("statuses", () => [CareShiftStatus], { nullable: true, description: "Only these statuses." }) statuses?: CareShiftStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1-100 (default 20)." }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the last edge of the previous page." }) after?: string | null,
  ): Promise<ConnectionShape<CareShift>> {
    const page = await this.care.shifts(ctx.viewer, c.id, { from, to, statuses: statuses as never, first, after });
    return toConnection(page, (r) => as<CareShift>(r));
  }

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CareRespite], { description: "Respite asked for this circle, from now (or `from`) on, in time order." })
  async respite(
    @Ctx() ctx: Context,
    @Root() c: CircleRow,
    @Arg("from", () => GraphQLDateTimeISO, { nullable: true, description: "Respite ending at or after this time (default now)." }) from?: Date | null,
  ): Promise<CareRespite[]> {
    return as(await this.care.respite(ctx.viewer, c.id, from));
  }

  @Extensions({ maxItems: 50, cost: FieldCost.READ })
  @FieldResolver(() => [CareSwap], { description: "Swap proposals waiting for an answer." })
  async pendingSwaps(@Root() c: CircleRow): Promise<CareSwap[]> {
    return as(await this.care.pendingSwaps(c.id));
  }

  @Extensions({ maxItems: 50, cost: FieldCost.READ })
  @FieldResolver(() => [MemberLoad], { description: "Each member's care load: hours per week, the SCP threshold, strain and overload signals." })
  async load(
    @Root() c: CircleRow,
    @Arg("weeks", () => Int, { defaultValue: 4, description: "How many weeks to show (1-26)." }) weeks: number,
  ): Promise<MemberLoad[]> {
    return as(await this.care.load(c.id, Math.min(26, Math.max(1, weeks))));
  }
}

@Resolver(() => CareCircleMember)
export class CareCircleMemberResolver {
  @FieldResolver(() => Person, { description: "The member (first name)." })
  person(@Ctx() ctx: Context, @Root() m: MemberRow): Promise<Person | null> {
    return person(ctx, m.personId);
  }
}

@Resolver(() => MemberLoad)
export class MemberLoadResolver {
  @FieldResolver(() => Person, { description: "The member." })
  person(@Ctx() ctx: Context, @Root() m: MemberLoadRow): Promise<Person | null> {
    return person(ctx, m.personId);
  }
}

@Resolver(() => CareTask)
export class CareTaskResolver {
  constructor(private readonly places: PlaceService) {}

  @FieldResolver(() => HelpCategory, { description: "Help category." })
  category(@Root() t: TaskRow): HelpCategory {
    return as(this.places.category(t.categoryId));
  }
}

@Resolver(() => CareShift)
export class CareShiftResolver {
  constructor(private readonly care: CareService) {}

  private loadTask(ctx: Context, s: ShiftRow) {
    return ctx.loaders.of<TaskRow>("careTaskById", async (ids) => {
      const rows = await this.care.findTasksByIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id));
    }).load(s.taskId);
  }

  @Query(() => CareShift, { description: "A shift: for members of its circle and whoever holds it." })
  async careShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return as(await this.care.getShift(ctx.viewer, id));
  }

  @Query(() => CareShiftConnection, { description: "Shifts you hold in any circle (also as a volunteer covering a gap), from now on." })
  async myCareShifts(
    @Ctx() ctx: Context,
    @Arg("from", () => GraphQLDateTimeISO, { nullable: true, description: "Shifts ending at or after this time (default now)." }) from?: Date | null,
    @Arg("to", () => GraphQLDateTimeISO, { nullable: true, description: "Shifts starting before this time." }) to?: Date | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1-100 (default 20)." }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the last edge of the previous page." }) after?: string | null,
  ): Promise<ConnectionShape<CareShift>> {
    return toConnection(await this.care.myShifts(ctx.viewer, { from, to, first, after }), (r) => as<CareShift>(r));
  }

  @Mutation(() => CareShift, { description: "Member: takes an open shift. CONFLICT when someone was first or you hold an overlapping shift." })
  async claimCareShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return as(await this.care.claim(ctx.viewer, id));
  }

  @Mutation(() => CareShift, { description: "Holder: gives a shift back to the circle." })
  async giveBackCareShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return as(await this.care.release(ctx.viewer, id, false));
  }

  @Mutation(() => CareShift, { description: "Holder: gives a shift back and asks the circle to cover it." })
  async askCoverForCareShift(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The shift." }) id: string): Promise<CareShift> {
    return as(await this.care.release(ctx.viewer, id, true));
  }

  @Mutation(() => CareSwap, { description: "Holder: proposes to hand the shift to a named member, who accepts or declines." })
  async proposeCareShiftSwap(
    @Ctx() ctx: Context,
    @Arg("shiftId", () => ID, { description: "The shift." }) shiftId: string,
    @Arg("toPersonId", () => ID, { description: "The member asked." }) toPersonId: string,
  ): Promise<CareSwap> {
    return as(await this.care.proposeSwap(ctx.viewer, shiftId, toPersonId));
  }

  @Mutation(() => CareSwap, { description: "The member asked: accepts (the shift becomes theirs) or declines a swap." })
  async respondToCareShiftSwap(
    @Ctx() ctx: Context,
    @Arg("swapId", () => ID, { description: "The swap." }) swapId: string,
    @Arg("accept", () => Boolean, { description: "True to take the shift over." }) accept: boolean,
  ): Promise<CareSwap> {
    return as(await this.care.respondToSwap(ctx.viewer, swapId, accept));
  }

  @Mutation(() => CareShift, { description: "Holder or coordinator, once the shift started: it was DONE or MISSED." })
  async recordCareShiftOutcome(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The shift." }) id: string,
    @Arg("outcome", () => ShiftOutcome, { description: "How it went." }) outcome: ShiftOutcome,
  ): Promise<CareShift> {
    return as(await this.care.recordOutcome(ctx.viewer, id, outcome));
  }

  @FieldResolver(() => String, { description: "The task's title, as it was for this shift (a past shift keeps the title it had)." })
  async title(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<string> {
    return CareService.shiftText(s, s.title === null ? await this.loadTask(ctx, s) : undefined).title;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Care notes as they were for this shift: members of the circle, and a volunteer for the shift they cover, from the match until it ends.",
  })
  async notes(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<string | null> {
    if (!(await this.care.canSeeNotes(ctx.viewer, s))) return null;
    return this.care.notesFor(ctx.viewer, s, CareService.shiftText(s, s.title === null ? await this.loadTask(ctx, s) : undefined).notes);
  }

  @FieldResolver(() => CareTask, { nullable: true, description: "The task; null for a volunteer who is not a member." })
  async task(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<CareTask | null> {
    return (await this.care.findVisibleCircle(ctx.viewer, s.circleId)) ? as(await this.loadTask(ctx, s)) : null;
  }

  @FieldResolver(() => Person, { nullable: true, description: "Who holds it (a member, or the volunteer who accepted its request)." })
  assignee(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<Person | null> {
    return person(ctx, s.assigneeId);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CareCircle, { nullable: true, description: "The circle; null for a volunteer who is not a member." })
  async circle(@Ctx() ctx: Context, @Root() s: ShiftRow): Promise<CareCircle | null> {
    return as(await this.care.findVisibleCircle(ctx.viewer, s.circleId));
  }
}

@Resolver(() => CareSwap)
export class CareSwapResolver {
  constructor(private readonly care: CareService) {}

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CareShift, { description: "The shift." })
  async shift(@Ctx() ctx: Context, @Root() w: SwapRow): Promise<CareShift> {
    return as(await this.care.getShift(ctx.viewer, w.shiftId));
  }

  @FieldResolver(() => Person, { nullable: true, description: "Who proposed it." })
  from(@Ctx() ctx: Context, @Root() w: SwapRow): Promise<Person | null> {
    return person(ctx, w.fromId);
  }

  @FieldResolver(() => Person, { nullable: true, description: "The member asked." })
  to(@Ctx() ctx: Context, @Root() w: SwapRow): Promise<Person | null> {
    return person(ctx, w.toId);
  }
}

@Resolver(() => CareCircleChange)
export class CareCircleChangeResolver {
  constructor(private readonly care: CareService) {}

  @FieldResolver(() => CareCircle, { description: "The circle." })
  async circle(@Ctx() ctx: Context, @Root() c: CareChangeRow): Promise<CareCircle> {
    return as((await this.care.getCircle(ctx.viewer, c.circleId)).circle);
  }

  @FieldResolver(() => CareShift, { nullable: true, description: "The shift concerned, if any." })
  async shift(@Ctx() ctx: Context, @Root() c: CareChangeRow): Promise<CareShift | null> {
    return c.shiftId ? as(await this.care.findVisibleShift(ctx.viewer, c.shiftId)) : null;
  }
}

