import { Field, ID, InputType, Int } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { PersonHelpedInput } from "../help-requests/help-request.input.js";
import { Relation } from "./care.types.js";

@InputType("CreateCareCircleInput", { description: "A new care circle for one care receiver, who may have no account." })
export class CreateCareCircleInput {
  @Field(() => String, { description: "Name of the circle." })
  name!: string;
  @Field(() => Relation, { nullable: true, description: "Your relation to the care receiver (default FAMILY)." })
  relation?: Relation | null;
  @Field(() => ID, { nullable: true, description: "A care receiver you registered before." })
  careReceiverId?: string | null;
  @Field(() => PersonHelpedInput, { nullable: true, description: "A new care receiver." })
  careReceiver?: PersonHelpedInput | null;
}

@InputType("CareTaskInput", { description: "A care task: one-off (no weekdays) or weekly on weekdays every N weeks." })
export class CareTaskInput {
  @Field(() => String, { description: "What has to be done, 1-120 characters." })
  title!: string;
  @Field(() => ID, { description: "Help category (used when a gap becomes a volunteer request)." })
  categoryId!: string;
  @Field(() => String, { nullable: true, description: "Care notes, visible to members and the volunteer covering a shift." })
  notes?: string | null;
  @Field(() => Boolean, { nullable: true, description: "A volunteer covering a gap needs a verified VOG." })
  vogRequired?: boolean | null;
  @Field(() => String, { description: "First (or only) date, YYYY-MM-DD (Europe/Amsterdam)." })
  startDate!: string;
  @Field(() => String, { description: "Local start time, HH:MM." })
  startTime!: string;
  @Field(() => Int, { description: "Duration in minutes (5 to 1440)." })
  durationMinutes!: number;
  @Field(() => [Int], { nullable: true, description: "ISO weekdays to repeat on (1 = Monday); leave out for a one-off." })
  weekdays?: number[] | null;
  @Field(() => Int, { nullable: true, description: "Every N weeks (default 1)." })
  intervalWeeks?: number | null;
  @Field(() => String, { nullable: true, description: "Last date (inclusive), YYYY-MM-DD; leave out for no end." })
  endDate?: string | null;
}

@InputType("RespiteInput", { description: "When the mantelzorger needs someone to take over (respijtzorg)." })
export class RespiteInput {
  @Field(() => DateTimeISO, { description: "From." })
  windowStart!: Date;
  @Field(() => DateTimeISO, { description: "Until." })
  windowEnd!: Date;
  @Field(() => String, { nullable: true, description: "What is needed." })
  description?: string | null;
}
