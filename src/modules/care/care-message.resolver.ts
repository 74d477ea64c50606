import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import type { Context } from "../../graphql/context.js";
import { FieldCost } from "../../graphql/cost.js";
import { Person } from "../people/person.types.js";
import { personById } from "./care.fields.js";
import type { CircleRow, MessageRow, ShiftRow } from "./care.rows.js";
import type { CareService } from "./care.service.js";
import { CareMessage } from "./care-running.types.js";
import { CareCircle, CareShift } from "./care.types.js";

const LAST = "How many of the latest messages (1-100).";
const BEFORE = "Only messages posted before this time (to page back).";

@Resolver(() => CareMessage)
export class CareMessageResolver {
  constructor(private readonly care: CareService) {}

  @FieldResolver(() => Person, { nullable: true, description: "Who wrote it (first name); null once they were erased." })
  author(@Ctx() ctx: Context, @Root() m: MessageRow): Promise<Person | null> {
    return personById(ctx, m.authorId);
  }

  @Mutation(() => CareMessage, { description: "Member: posts to the circle's thread; a coordinator can post it as an announcement." })
  postCareMessage(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("body", () => String, { description: "The text, 1 to 1000 characters." }) body: string,
    @Arg("announcement", () => Boolean, { defaultValue: false, description: "Coordinators: post as an announcement." }) announcement: boolean,
  ): Promise<MessageRow> {
    return this.care.messages.postToCircle(ctx.viewer, circleId, body, announcement);
  }

  @Mutation(() => CareMessage, { description: "Posts to a shift's thread: members of its circle, and the volunteer covering the shift while they cover it." })
  postCareShiftMessage(
    @Ctx() ctx: Context,
    @Arg("shiftId", () => ID, { description: "The shift." }) shiftId: string,
    @Arg("body", () => String, { description: "The text, 1 to 1000 characters." }) body: string,
  ): Promise<MessageRow> {
    return this.care.messages.postToShift(ctx.viewer, shiftId, body);
  }
}

@Resolver(() => CareCircle)
export class CareCircleMessagesResolver {
  constructor(private readonly care: CareService) {}

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CareMessage], { description: "The circle's thread (announcements included), oldest first: the latest `last` messages." })
  messages(
    @Ctx() ctx: Context,
    @Root() c: CircleRow,
    @Arg("last", () => Int, { defaultValue: 50, description: LAST }) last: number,
    @Arg("before", () => DateTimeISO, { nullable: true, description: BEFORE }) before?: Date | null,
  ): Promise<MessageRow[]> {
    return this.care.messages.circleThread(ctx.viewer, c.id, last, before);
  }
}

@Resolver(() => CareShift)
export class CareShiftMessagesResolver {
  constructor(private readonly care: CareService) {}

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CareMessage], {
    description: "The shift's thread, oldest first: for members of its circle, and for the volunteer covering the shift while they cover it (NOT_FOUND otherwise).",
  })
  messages(
    @Ctx() ctx: Context,
    @Root() s: ShiftRow,
    @Arg("last", () => Int, { defaultValue: 50, description: LAST }) last: number,
    @Arg("before", () => DateTimeISO, { nullable: true, description: BEFORE }) before?: Date | null,
  ): Promise<MessageRow[]> {
    return this.care.messages.shiftThread(ctx.viewer, s.id, last, before);
  }
}
