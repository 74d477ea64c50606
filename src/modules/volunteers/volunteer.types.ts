import { Extensions, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { connectionTypes } from "../../graphql/relay.js";
import { Person } from "../people/person.types.js";
import { HelpCategory, Neighbourhood } from "../places/place.types.js";

export enum VogStatus {
  NONE = "NONE",
  PENDING = "PENDING",
  VERIFIED = "VERIFIED",
  REJECTED = "REJECTED",
  EXPIRED = "EXPIRED",
}
registerEnumType(VogStatus, {
  name: "VogStatus",
  description: "State of the volunteer's VOG (Verklaring Omtrent Gedrag, certificate of conduct).",
  valuesConfig: {
    NONE: { description: "No VOG declared." },
    PENDING: { description: "Declared by the volunteer, not yet seen by a coordinator." },
    VERIFIED: { description: "A coordinator saw a valid VOG." },
    REJECTED: { description: "A coordinator found the VOG missing or invalid." },
    EXPIRED: { description: "The verified VOG passed its term (VOG_VALID_MONTHS after its issue date, 36 by default); a new one can be declared." },
  },
});

@ObjectType("AvailabilitySlot", { description: "A weekly time slot in which the volunteer is usually available." })
export class AvailabilitySlot {
  @Field(() => Int, { description: "ISO weekday: 1 is Monday, 7 is Sunday." })
  weekday!: number;
  @Field(() => String, { description: "Start time, HH:MM (Europe/Amsterdam)." })
  from!: string;
  @Field(() => String, { description: "End time, HH:MM (Europe/Amsterdam)." })
  to!: string;
}

@InputType("AvailabilitySlotInput", { description: "A weekly time slot." })
export class AvailabilitySlotInput {
  @Field(() => Int, { description: "ISO weekday: 1 is Monday, 7 is Sunday." })
  weekday!: number;
  @Field(() => String, { description: "Start time, HH:MM." })
  from!: string;
  @Field(() => String, { description: "End time, HH:MM, after the start." })
  to!: string;
}

@ObjectType("VolunteerProfile", { description: "What a volunteer (vrijwilliger) offers: skills, neighbourhoods, languages, availability and VOG." })
export class VolunteerProfile {
  @Extensions({ maxItems: 20 })
  @Field(() => [HelpCategory], { description: "Kinds of help offered." })
  categories!: HelpCategory[];
  @Extensions({ maxItems: 100 })
  @Field(() => [Neighbourhood], { description: "Neighbourhoods served." })
  neighbourhoods!: Neighbourhood[];
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Languages spoken, as ISO 639 codes (nl, en, ar, tr, ...)." })
  languages!: string[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AvailabilitySlot], { description: "Weekly availability." })
  availability!: AvailabilitySlot[];
  @Field(() => VogStatus, { description: "VOG state." })
  vogStatus!: VogStatus;
  @Field(() => String, { nullable: true, description: "Issue date of the VOG, YYYY-MM-DD." })
  vogIssuedOn!: string | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When a coordinator reviewed the VOG." })
  vogReviewedAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: "The day the VOG stops counting, YYYY-MM-DD (Amsterdam): its issue date plus the term. From then on requests that need a VOG are not shown.",
  })
  vogExpiresOn!: string | null;
}

@ObjectType("VogReview", { description: "A VOG declared by a volunteer and awaiting a coordinator's review." })
export class VogReview {
  @Field(() => Person, { description: "The volunteer (first name; their id is the `personId` for reviewVog)." })
  volunteer!: Person;
  @Field(() => String, { nullable: true, description: "Declared issue date, YYYY-MM-DD." })
  vogIssuedOn!: string | null;
  @Field(() => DateTimeISO, { description: "When the volunteer declared it." })
  declaredAt!: Date;
}

export const VogReviewConnection = connectionTypes("VogReview", VogReview, "VOGs awaiting review", { totalCount: "How many VOGs await review in all." });

@InputType("VolunteerProfileInput", { description: "The whole profile; lists replace what was there." })
export class VolunteerProfileInput {
  @Field(() => [ID], { description: "Ids of the help categories offered." })
  categoryIds!: string[];
  @Field(() => [ID], { description: "Ids of the neighbourhoods served." })
  neighbourhoodIds!: string[];
  @Field(() => [String], { description: "Languages spoken, as ISO 639 codes." })
  languages!: string[];
  @Field(() => [AvailabilitySlotInput], { description: "Weekly availability." })
  availability!: AvailabilitySlotInput[];
}
