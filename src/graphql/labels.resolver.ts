import { type GraphQLResolveInfo, isEnumType } from "graphql";
import { Arg, Ctx, Extensions, Field, Info, ObjectType, Query, Resolver } from "type-graphql";
import { badInput } from "../shared/errors.js";
import { labelOf } from "../shared/i18n.js";
import type { Context } from "./context.js";
import { GraphQLReason } from "./graphql.errors.js";
import "./labels.js";

/** The most values an enum of the schema has (NotificationKind: 15), with room to grow. */
const MAX_ENUM_VALUES = 50;

@ObjectType("EnumLabel", { description: "One value of an enum with what a person reads for it, in the request's language." })
export class EnumLabel {
  @Field(() => String, { description: "The enum value as the schema spells it, e.g. URGENT." })
  value!: string;
  @Field(() => String, { description: "What a screen shows for it in the request's language (Content-Language), e.g. Dringend." })
  label!: string;
}

/**
 * Labels of the schema's enums. One query for every enum rather than a `...Label` field beside each
 * enum field: a client shows a status where it has the value, and fills a picker from the whole list.
 */
@Resolver()
export class LabelsResolver {
  @Extensions({ maxItems: MAX_ENUM_VALUES })
  @Query(() => [EnumLabel], {
    description:
      "The values of one enum of this schema with their labels in the request's language (Accept-Language: nl or en; " +
      "the answer's Content-Language says which), in the schema's order. An unknown enum name is refused (UNKNOWN_ENUM).",
  })
  enumLabels(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg("enum", () => String, { description: "The enum's name as the schema spells it, e.g. HelpRequestStatus." }) name: string,
  ): EnumLabel[] {
    const type = name.startsWith("__") ? undefined : info.schema.getType(name);
    if (!isEnumType(type)) throw badInput(GraphQLReason.UNKNOWN_ENUM, "enum: this schema has no enum of that name", "enum");
    return type.getValues().map((v) => ({ value: v.name, label: labelOf(ctx.language, name, v.name) ?? v.name }));
  }
}
