import { Extensions, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";

export enum MoreNeeded {
  NOTHING = "NOTHING",
  NEW_REQUEST = "NEW_REQUEST",
  PROFESSIONAL = "PROFESSIONAL",
}
registerEnumType(MoreNeeded, {
  name: "MoreNeeded",
  description: "What the requester says is still needed after the help.",
  valuesConfig: {
    NOTHING: { description: "Nothing more: all is well." },
    NEW_REQUEST: { description: "More of the same: a new request, prefilled from this one and linked to it." },
    PROFESSIONAL: { description: "More than a volunteer can give: a professional team is asked (the escalation module's direct request)." },
  },
});

@ObjectType("HelpThanks", { description: "A private thank-you to the volunteer: seen by the volunteer and the asking side only, never public." })
export class HelpThanks {
  @Field(() => ID, { description: "The request the help was for." })
  helpRequestId!: string;
  @Field(() => String, { description: "The words of thanks." })
  message!: string;
  @Field(() => DateTimeISO, { description: "When it was sent." })
  createdAt!: Date;
}

@ObjectType("HelpFollowUp", { description: "The requester's follow-up of a DONE request: did the help happen, and is more needed?" })
export class HelpFollowUp {
  @Field(() => Boolean, { description: "Whether the help happened as hoped." })
  happened!: boolean;
  @Field(() => MoreNeeded, { description: "What is still needed." })
  moreNeeded!: `${MoreNeeded}`;
  @Field(() => String, { nullable: true, description: "A note by whoever answered." })
  note?: string | null;
  @Field(() => ID, { nullable: true, description: "The new request it opened (NEW_REQUEST); see also `followUpRequest`." })
  linkedRequestId?: string | null;
  @Field(() => Boolean, {
    description:
      "PROFESSIONAL: true when a case was opened for the person helped; false when the platform could not ask a team from here (the flag stays recorded; ask with `askProfessionalHelp`).",
  })
  professionalAsked!: boolean;
  @Field(() => DateTimeISO, { description: "When it was given." })
  createdAt!: Date;
}

@InputType("HelpFollowUpInput", { description: "The follow-up of a DONE request." })
export class HelpFollowUpInput {
  @Field(() => Boolean, { description: "Did the help happen?" })
  happened!: boolean;
  @Field(() => MoreNeeded, { description: "Is more needed, and of what kind?" })
  moreNeeded!: MoreNeeded;
  @Field(() => String, { nullable: true, description: "A note, at most 1,000 characters." })
  note?: string | null;
  @Field(() => DateTimeISO, { nullable: true, description: "NEW_REQUEST: start of the new window (default a day from now)." })
  windowStart?: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "NEW_REQUEST: end of the new window (default: as long as the old one)." })
  windowEnd?: Date | null;
}

@ObjectType("VolunteerHoursEntry", { description: "The time a volunteer spent on one DONE request: theirs to see and correct." })
export class VolunteerHoursEntry {
  @Field(() => ID, { description: "The request." })
  helpRequestId!: string;
  @Field(() => Int, { description: "Minutes spent (5-720)." })
  minutes!: number;
  @Field(() => String, { description: "The month counted in, YYYY-MM (Europe/Amsterdam, when the help's window started)." })
  month!: string;
  @Field(() => DateTimeISO, { description: "Last changed." })
  updatedAt!: Date;
}

@ObjectType("VolunteerMonthHours", { description: "A volunteer's hours in one month." })
export class VolunteerMonthHours {
  @Field(() => String, { description: "YYYY-MM, Europe/Amsterdam." })
  month!: string;
  @Field(() => Int, { description: "Minutes recorded." })
  minutes!: number;
  @Field(() => Int, { description: "Requests they were recorded on." })
  requests!: number;
}

@ObjectType("VolunteerYearHours", { description: "A volunteer's hours in one year, per month (Europe/Amsterdam)." })
export class VolunteerYearHours {
  @Field(() => Int, { description: "The year." })
  year!: number;
  @Field(() => Int, { description: "Minutes in the whole year." })
  totalMinutes!: number;
  @Extensions({ maxItems: 12 })
  @Field(() => [VolunteerMonthHours], { description: "The months with hours, in order." })
  months!: VolunteerMonthHours[];
}
