import { Arg, Ctx, Extensions, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import type { Context } from "../../graphql/context.js";
import { FieldCost } from "../../graphql/cost.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import { ContactDetails, HelpRequest, HelpRequestStatus } from "../help-requests/help-request.type.js";
import { Person } from "../people/person.types.js";
import type { PlaceService } from "../places/place.service.js";
import { Neighbourhood } from "../places/place.types.js";
import type { CareChangeRow } from "./care.events.js";
import { personById } from "./care.fields.js";
import { CareTaskInput, CreateCareCircleInput, RespiteInput } from "./care.input.js";
import { careChangedStream } from "./care.live.js";
import type { CircleRow } from "./care.rows.js";
import type { CareService } from "./care.service.js";
import {
  CareCircle,
  CareCircleChange,
  CareCircleEventKind,
  CareCircleMember,
  CareInvitation,
  CareRespite,
  type CareShift,
  CareShiftConnection,
  CareShiftStatus,
  CareSwap,
  CareTask,
  CircleRole,
  MemberLoad,
  Relation,
  Strain,
} from "./care.types.js";

@Resolver(() => CareCircle)
export class CareCircleResolver {
  constructor(
    private readonly care: CareService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => CareCircle, { description: "A care circle you are a member of (NOT_FOUND otherwise)." })
  async careCircle(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The circle." }) id: string): Promise<CareCircle> {
    return (await this.care.circles.getCircle(ctx.viewer, id)).circle;
  }

  @Extensions({ maxItems: 50 })
  @Query(() => [CareCircle], { description: "The care circles you are a member of." })
  async myCareCircles(@Ctx() ctx: Context): Promise<CareCircle[]> {
    return this.care.circles.myCircles(ctx.viewer);
  }

  @Mutation(() => CareCircle, { description: "Mantelzorger: starts a care circle for one care receiver; you become its coordinator." })
  async createCareCircle(@Ctx() ctx: Context, @Arg("input", () => CreateCareCircleInput, { description: "The circle." }) input: CreateCareCircleInput): Promise<CareCircle> {
    return this.care.circles.createCircle(ctx.viewer, input);
  }

  @Mutation(() => CareInvitation, {
    description: "Coordinator: a single-use invitation code that expires (default 72 hours). With `email`, the platform also sends it to that address.",
  })
  inviteToCareCircle(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("relation", () => Relation, { nullable: true, description: "The invitee's relation to the care receiver." }) relation?: Relation | null,
    @Arg("expiresInHours", () => Float, { nullable: true, description: "Validity in hours (1 to 720)." }) expiresInHours?: number | null,
    @Arg("email", () => String, {
      nullable: true,
      description:
        "Sends the invitation to this address: to its account as a notification, else as one e-mail with the join link in your language. The answer is the same either way. At most CARE_EMAIL_INVITATIONS_PER_DAY a circle per 24 hours; the address is not stored.",
    })
    email?: string | null,
    @Arg("firstName", () => String, { nullable: true, description: "The invitee's first name, for the greeting of an e-mail to an address without an account (with email only)." })
    firstName?: string | null,
  ): Promise<CareInvitation> {
    return this.care.circles.invite(ctx.viewer, circleId, relation, expiresInHours, { email, firstName }, ctx.language);
  }

  @Mutation(() => CareCircle, { description: "Joins the circle of an invitation e-mailed to your account (CARE_INVITATION notification), by its id; nobody else can use that id." })
  async acceptCareInvitation(
    @Ctx() ctx: Context,
    @Arg("invitationId", () => ID, { description: "The invitation, as the notification's link names it." }) invitationId: string,
  ): Promise<CareCircle> {
    return this.care.circles.acceptInvitation(ctx.viewer, invitationId);
  }

  @Mutation(() => CareCircle, { description: "Joins the circle of an invitation code (single use)." })
  async joinCareCircle(@Ctx() ctx: Context, @Arg("code", () => String, { description: "The invitation code." }) code: string): Promise<CareCircle> {
    return this.care.circles.join(ctx.viewer, code);
  }

  @Mutation(() => Boolean, {
    description: "Leaves the circle; future shifts you hold open up again and your calendar feed stops. The circle's only coordinator names a successor (or hands over first).",
  })
  leaveCareCircle(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("successorId", () => ID, { nullable: true, description: "Coordinators: the member who takes over coordination as you leave." }) successorId?: string | null,
  ): Promise<boolean> {
    return this.care.circles.leave(ctx.viewer, circleId, successorId);
  }

  @Mutation(() => CareCircle, { description: "Coordinator: hands coordination to another member." })
  async handOverCoordination(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("toPersonId", () => ID, { description: "The member who takes over." }) toPersonId: string,
  ): Promise<CareCircle> {
    return this.care.circles.handOver(ctx.viewer, circleId, toPersonId);
  }

  @Mutation(() => CareTask, { description: "Coordinator: adds a one-off or recurring task; its shifts appear at once." })
  async addCareTask(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("input", () => CareTaskInput, { description: "The task." }) input: CareTaskInput,
  ): Promise<CareTask> {
    return this.care.tasks.addTask(ctx.viewer, circleId, input);
  }

  @Mutation(() => CareTask, { description: "Coordinator: changes a task. Future unclaimed shifts follow; claimed ones are kept and flagged." })
  async updateCareTask(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The task." }) id: string,
    @Arg("input", () => CareTaskInput, { description: "The whole task." }) input: CareTaskInput,
  ): Promise<CareTask> {
    return this.care.tasks.updateTask(ctx.viewer, id, input);
  }

  @Mutation(() => Boolean, { description: "Coordinator: ends a task; its future unclaimed shifts are cancelled, claimed ones flagged." })
  removeCareTask(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The task." }) id: string): Promise<boolean> {
    return this.care.tasks.removeTask(ctx.viewer, id);
  }

  @Mutation(() => Boolean, { description: "Member: a short periodic check-in on how heavy caring feels." })
  careCheckIn(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("strain", () => Strain, { description: "How heavy it feels." }) strain: Strain,
    @Arg("note", () => String, { nullable: true, description: "Anything to add." }) note?: string | null,
  ): Promise<boolean> {
    return this.care.load.checkIn(ctx.viewer, circleId, strain, note ?? null);
  }

  /** Answers the stored help request: the help-request module's resolvers resolve its fields from the row. */
  @Mutation(() => HelpRequest, { description: "Coordinator: asks for respite care (respijtzorg), a RESPITE help request for the care receiver." })
  async askForRespite(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("input", () => RespiteInput, { description: "When." }) input: RespiteInput,
  ): Promise<HelpRequestRow> {
    return this.care.load.askForRespite(ctx.viewer, circleId, input);
  }

  @Mutation(() => String, {
    description: "Your private iCalendar feed URL for this circle's shifts you hold. With revoke, every earlier URL stops working.",
  })
  careCalendarFeed(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("revoke", () => Boolean, { defaultValue: false, description: "Revoke earlier URLs and issue a new one." }) revoke: boolean,
  ): Promise<string> {
    return this.care.calendar.calendarUrl(ctx.viewer, circleId, revoke);
  }

  @Mutation(() => String, {
    description: "Volunteers: your private iCalendar feed URL of the gap shifts you cover in any circle, each while you cover it.",
  })
  careCoverCalendarFeed(@Ctx() ctx: Context): Promise<string> {
    return this.care.calendar.coverCalendarUrl(ctx.viewer);
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
    // The root goes on to the field resolvers, which need the circle and the shift.
    return { ...change, kind: CareCircleEventKind[change.kind] };
  }

  @FieldResolver(() => Person, { description: "The care receiver (first name)." })
  careReceiver(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<Person | null> {
    return personById(ctx, c.careReceiverId);
  }

  @FieldResolver(() => ContactDetails, { description: "The care receiver's contact details, for members; each read is logged." })
  careReceiverContact(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<ContactDetails> {
    return this.care.circles.careReceiverContact(ctx.viewer, c);
  }

  @FieldResolver(() => Neighbourhood, { description: "The care receiver's neighbourhood." })
  neighbourhood(@Root() c: CircleRow): Neighbourhood | undefined {
    return this.places.neighbourhood(c.neighbourhoodId);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CircleRole, { description: "Your role in this circle." })
  async myRole(@Ctx() ctx: Context, @Root() c: CircleRow): Promise<CircleRole> {
    return CircleRole[(await this.care.circles.getCircle(ctx.viewer, c.id)).me.role];
  }

  @Extensions({ maxItems: 50, cost: FieldCost.READ })
  @FieldResolver(() => [CareCircleMember], { description: "Current members, coordinator included." })
  async members(@Root() c: CircleRow): Promise<CareCircleMember[]> {
    return this.care.circles.members(c.id);
  }

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CareTask], { description: "Active tasks." })
  async tasks(@Root() c: CircleRow): Promise<CareTask[]> {
    return this.care.tasks.tasks(c.id);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CareShiftConnection, { description: "Shifts in time order, from now (or `from`) on; cancelled ones only when asked for." })
  async shifts(
    @Ctx() ctx: Context,
    @Root() c: CircleRow,
    @Arg("from", () => DateTimeISO, { nullable: true, description: "Shifts ending at or after this time (default now)." }) from?: Date | null,
    @Arg("to", () => DateTimeISO, { nullable: true, description: "Shifts starting before this time." }) to?: Date | null,
    @Arg("statuses", () => [CareShiftStatus], { nullable: true, description: "Only these statuses." }) statuses?: CareShiftStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<CareShift>> {
    const page = await this.care.schedule.shifts(ctx.viewer, c.id, { from, to, statuses, first, after, last, before });
    return toConnection(page, (shift): CareShift => shift);
  }

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CareRespite], { description: "Respite asked for this circle, from now (or `from`) on, in time order." })
  async respite(
    @Ctx() ctx: Context,
    @Root() c: CircleRow,
    @Arg("from", () => DateTimeISO, { nullable: true, description: "Respite ending at or after this time (default now)." }) from?: Date | null,
  ): Promise<CareRespite[]> {
    const rows = await this.care.load.respite(ctx.viewer, c.id, from);
    return rows.map((r) => ({ id: r.id, windowStart: r.windowStart, windowEnd: r.windowEnd, status: HelpRequestStatus[r.status] }));
  }

  @Extensions({ maxItems: 50, cost: FieldCost.READ })
  @FieldResolver(() => [CareSwap], { description: "Swap proposals waiting for an answer." })
  async pendingSwaps(@Root() c: CircleRow): Promise<CareSwap[]> {
    return this.care.schedule.pendingSwaps(c.id);
  }

  @Extensions({ maxItems: 50, cost: FieldCost.READ })
  @FieldResolver(() => [MemberLoad], {
    description:
      "Care load: hours per week, the SCP threshold, strain and overload signals. A member sees their own; a coordinator also sees the others' hours and signals, and their strain only when they share it (shareCareLoad).",
  })
  async load(
    @Ctx() ctx: Context,
    @Root() c: CircleRow,
    @Arg("weeks", () => Int, { defaultValue: 4, description: "How many weeks to show (1-26)." }) weeks: number,
  ): Promise<MemberLoad[]> {
    return this.care.load.loadFor(ctx.viewer, c.id, Math.min(26, Math.max(1, weeks)));
  }
}
