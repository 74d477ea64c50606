import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { CareChangeRow } from "./care.events.js";
import type { CareService } from "./care.service.js";
import { CareCircle, CareCircleChange, CareShift } from "./care.types.js";

@Resolver(() => CareCircleChange)
export class CareCircleChangeResolver {
  constructor(private readonly care: CareService) {}

  @FieldResolver(() => CareCircle, { description: "The circle." })
  async circle(@Ctx() ctx: Context, @Root() c: CareChangeRow): Promise<CareCircle> {
    return (await this.care.circles.getCircle(ctx.viewer, c.circleId)).circle;
  }

  @FieldResolver(() => CareShift, { nullable: true, description: "The shift concerned, if any." })
  async shift(@Ctx() ctx: Context, @Root() c: CareChangeRow): Promise<CareShift | null> {
    return c.shiftId ? this.care.schedule.findVisibleShift(ctx.viewer, c.shiftId) : null;
  }
}
