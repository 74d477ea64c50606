import { Field, ID, InputType, Int } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { BuddyFrequency, BuddyProgrammeKind } from "./buddy.type.js";

@InputType("CreateBuddyProgrammeInput", { description: "A new buddy programme of an organisation you organise." })
export class CreateBuddyProgrammeInput {
  @Field(() => ID, { description: "The organisation that runs it (you organise it)." })
  organisationId!: string;
  @Field(() => String, { description: "Name, 1-120 characters." })
  name!: string;
  @Field(() => BuddyProgrammeKind, { description: "What it is for." })
  kind!: BuddyProgrammeKind;
  @Field(() => String, { nullable: true, description: "For OTHER: the municipality's own name of the programme." })
  kindName?: string | null;
  @Field(() => String, { description: "Who it is for (intake criteria), 1-2000 characters." })
  intakeCriteria!: string;
  @Field(() => String, { nullable: true, description: "The training buddies must follow before a match." })
  trainingName?: string | null;
  @Field(() => Boolean, { description: "Whether buddies need a verified VOG (forced on when they work with minors or families)." })
  vogRequired!: boolean;
  @Field(() => Boolean, { description: "Whether buddies work with minors or families (always so for YOUNG_PARENTS and DIVORCING_PARENTS)." })
  worksWithMinorsOrFamilies!: boolean;
  @Field(() => BuddyFrequency, { description: "How often they meet." })
  frequency!: BuddyFrequency;
  @Field(() => Int, { description: "Expected duration: at least this many months (1-60)." })
  minMonths!: number;
  @Field(() => Int, { description: "Expected duration: at most this many months (1-60)." })
  maxMonths!: number;
}

@InputType("ReferBuddyParticipantInput", { description: "A participant for a programme's waiting list: yourself, or (professional, desk) someone else." })
export class ReferBuddyParticipantInput {
  @Field(() => ID, { description: "The programme." })
  programmeId!: string;
  @Field(() => ID, { nullable: true, description: "The person referred; leave out to sign up yourself." })
  personId?: string | null;
  @Field(() => Boolean, { description: "The participant consents to taking part and to their first name, neighbourhood and languages being shown to a buddy. Must be true." })
  consent!: boolean;
  @Field(() => String, { nullable: true, description: "How consent was given (e.g. 'verbal, at the desk')." })
  consentNote?: string | null;
  @Field(() => [String], { description: "Languages the participant speaks." })
  languages!: string[];
  @Field(() => [String], { description: "Interests, for matching." })
  interests!: string[];
  @Field(() => [Int], { description: "ISO weekdays (1 = Monday) they can meet." })
  weekdays!: number[];
}

@InputType("ApplyAsBuddyInput", { description: "A volunteer's application as a buddy." })
export class ApplyAsBuddyInput {
  @Field(() => ID, { description: "The programme." })
  programmeId!: string;
  @Field(() => [String], { description: "Languages you speak." })
  languages!: string[];
  @Field(() => [String], { description: "Your interests." })
  interests!: string[];
  @Field(() => [Int], { description: "ISO weekdays (1 = Monday) you can meet." })
  weekdays!: number[];
  @Field(() => Int, { nullable: true, description: "How many participants at once (1-5, default 1)." })
  capacity?: number | null;
}

@InputType("MatchBuddyInput", { description: "A coordinator's match of a waiting participant with a buddy." })
export class MatchBuddyInput {
  @Field(() => ID, { description: "The waiting participant." })
  participantId!: string;
  @Field(() => ID, { description: "The buddy." })
  buddyId!: string;
  @Field(() => Int, { nullable: true, description: "Days between check-ins (default from the programme's frequency)." })
  checkinEveryDays?: number | null;
  @Field(() => DateTimeISO, {
    nullable: true,
    description: "Planned end; default the programme's longest expected duration. Up to three years: longer than a help request's 90 days.",
  })
  plannedEndAt?: Date | null;
  @Field(() => String, { nullable: true, description: "Required when someone referred earlier is still waiting: why this participant goes first." })
  skipReason?: string | null;
}

@InputType("BuddyEvaluationInput", { description: "How a match went, from one side." })
export class BuddyEvaluationInput {
  @Field(() => Boolean, { description: "Whether it went well." })
  wentWell!: boolean;
  @Field(() => String, { nullable: true, description: "A note for the coordinator." })
  note?: string | null;
}
