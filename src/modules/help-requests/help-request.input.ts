import { Field, ID, InputType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { ContactVia, Urgency } from "./help-request.type.js";

@InputType("PersonHelpedInput", { description: "The person helped, when asking on behalf of someone without an account." })
export class PersonHelpedInput {
  @Field(() => String, { description: "First name (shown to volunteers)." })
  firstName!: string;
  @Field(() => String, { nullable: true, description: "Last name." })
  lastName?: string | null;
  @Field(() => ID, { description: "Home neighbourhood." })
  neighbourhoodId!: string;
  @Field(() => String, { nullable: true, description: "Phone number." })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: "Address." })
  address?: string | null;
  @Field(() => String, { nullable: true, description: "Birth date, YYYY-MM-DD; a minor always needs a volunteer with a VOG." })
  birthDate?: string | null;
}

@InputType("AskForHelpInput", { description: "A new help request. Leave both personHelped fields out to ask for yourself." })
export class AskForHelpInput {
  @Field(() => ID, { description: "Kind of help." })
  categoryId!: string;
  @Field(() => String, { description: "Short title, 1-120 characters." })
  title!: string;
  @Field(() => String, { description: "What is needed, 1-4000 characters." })
  description!: string;
  @Field(() => ID, { nullable: true, description: "Where help is needed; defaults to the person helped's neighbourhood." })
  neighbourhoodId?: string | null;
  @Field(() => DateTimeISO, { description: "Start of the wanted time window." })
  windowStart!: Date;
  @Field(() => DateTimeISO, { description: "End of the wanted time window (in the future, at most 90 days after the start)." })
  windowEnd!: Date;
  @Field(() => Urgency, { nullable: true, description: "Defaults to NORMAL." })
  urgency?: Urgency | null;
  @Field(() => Boolean, { nullable: true, description: "Ask for a volunteer with a VOG (forced when the person helped is a minor)." })
  vogRequired?: boolean | null;
  @Field(() => ID, { nullable: true, description: "On behalf of a person you asked for before." })
  personHelpedId?: string | null;
  @Field(() => PersonHelpedInput, { nullable: true, description: "On behalf of someone new (mantelzorger, wijkwinkel or professional)." })
  personHelped?: PersonHelpedInput | null;
  @Field(() => String, {
    nullable: true,
    description:
      "On behalf of someone with their own account, named by the email they log in with: they see and follow the request as theirs (their stored address and phone stay theirs: whoever asked does not read them).",
  })
  personHelpedEmail?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: "Ask as this organisation (e.g. the wijkwinkel you organise): its organisers share the request (see, follow, cancel, complete) and the volunteer may reach it.",
  })
  askingOrganisationId?: string | null;
  @Field(() => ContactVia, {
    nullable: true,
    description: "Whom the matched volunteer contacts. Default: the person helped, or whoever asked when asking for someone without a phone.",
  })
  contactVia?: ContactVia | null;
  @Field(() => String, {
    nullable: true,
    description: "The language the person helped needs, as an ISO 639 code (nl, en, ar, tr, ...), when it matters: volunteers who speak it are shown the request.",
  })
  language?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "The requester's choice: volunteers offer to help with a short note instead of accepting; you (or whoever asked with you) see each offer and pick one, and only then is contact shared. Default false.",
  })
  choiceMode?: boolean | null;
}

@InputType("HelpRequestFilter", { description: "Narrows the open requests a volunteer browses; never widens them beyond the profile." })
export class HelpRequestFilter {
  @Field(() => [ID], { nullable: true, description: "Only these neighbourhoods." })
  neighbourhoodIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: "Only these categories." })
  categoryIds?: string[] | null;
  @Field(() => [Urgency], { nullable: true, description: "Only these urgencies." })
  urgencies?: Urgency[] | null;
  @Field(() => DateTimeISO, { nullable: true, description: "Only requests whose window ends at or after this time." })
  from?: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "Only requests whose window starts at or before this time." })
  to?: Date | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "Also show requests outside your weekly availability and in languages you do not speak (by default a request whose window meets none of your slots, or that needs a language you do not speak, is left out).",
  })
  allTimesAndLanguages?: boolean | null;
}
