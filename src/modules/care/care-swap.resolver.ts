import { Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { FieldCost } from "../../graphql/cost.js";
import { Person } from "../people/person.types.js";
import { personById } from "./care.fields.js";
import type { SwapRow } from "./care.rows.js";
import type { CareService } from "./care.service.js";
import { CareShift, CareSwap } from "./care.types.js";

@Resolver(() => CareSwap)
export class CareSwapResolver {
  constructor(private readonly care: CareService) {}

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CareShift, { description: "The shift." })
  async shift(@Ctx() ctx: Context, @Root() w: SwapRow): Promise<CareShift> {
    return this.care.schedule.getShift(ctx.viewer, w.shiftId);
  }

  @FieldResolver(() => Person, { nullable: true, description: "Who proposed it." })
  from(@Ctx() ctx: Context, @Root() w: SwapRow): Promise<Person | null> {
    return personById(ctx, w.fromId);
  }

  @FieldResolver(() => Person, { nullable: true, description: "The member asked." })
  to(@Ctx() ctx: Context, @Root() w: SwapRow): Promise<Person | null> {
    return personById(ctx, w.toId);
  }
}
