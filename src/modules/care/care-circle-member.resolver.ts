import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { Person } from "../people/person.types.js";
import { personById } from "./care.fields.js";
import type { MemberRow } from "./care.rows.js";
import { CareCircleMember } from "./care.types.js";

@Resolver(() => CareCircleMember)
export class CareCircleMemberResolver {
  @FieldResolver(() => Person, { description: "The member (first name)." })
  person(@Ctx() ctx: Context, @Root() m: MemberRow): Promise<Person | null> {
    return personById(ctx, m.personId);
  }
}
