import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { Person } from "../people/person.types.js";
import type { MemberLoad as MemberLoadRow } from "./care-load.service.js";
import { personById } from "./care.fields.js";
import { MemberLoad } from "./care.types.js";

@Resolver(() => MemberLoad)
export class MemberLoadResolver {
  @FieldResolver(() => Person, { description: "The member." })
  person(@Ctx() ctx: Context, @Root() m: MemberLoadRow): Promise<Person | null> {
    return personById(ctx, m.personId);
  }
}
