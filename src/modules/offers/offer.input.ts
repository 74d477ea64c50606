import { Field, ID, InputType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { PersonHelpedInput } from "../help-requests/help-request.input.js";
import { ContactVia } from "../help-requests/help-request.type.js";
import { AvailabilitySlotInput } from "../volunteers/volunteer.types.js";

@InputType("PostOfferInput", { description: "A new offer of help, within your volunteer profile's neighbourhoods and categories." })
export class PostOfferInput {
  @Field(() => String, { description: "Short title, 1-120 characters." })
  title!: string;
  @Field(() => String, { description: "What you offer, 1-2000 characters." })
  description!: string;
  @Field(() => [ID], { description: "Kinds of help offered (1-20), each one of your profile's." })
  categoryIds!: string[];
  @Field(() => [ID], { description: "Neighbourhoods (1-20), each one of your profile's." })
  neighbourhoodIds!: string[];
  @Field(() => [AvailabilitySlotInput], { description: "When, weekly (Europe/Amsterdam); none means by arrangement." })
  availability!: AvailabilitySlotInput[];
  @Field(() => [String], { description: "Languages you can help in (ISO 639 codes)." })
  languages!: string[];
}

@InputType("OfferFilter", { description: "Narrows the offers listed." })
export class OfferFilter {
  @Field(() => [ID], { nullable: true, description: "Only offers in one of these neighbourhoods. A resident who gives none sees those of their home neighbourhood." })
  neighbourhoodIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: "Only offers of one of these categories." })
  categoryIds?: string[] | null;
  @Field(() => String, { nullable: true, description: "Only offers in this language (ISO 639 code)." })
  language?: string | null;
  @Field(() => Boolean, { nullable: true, description: "Only offers of volunteers with a verified VOG (for help that needs one)." })
  vogVerified?: boolean | null;
  @Field(() => DateTimeISO, { nullable: true, description: "With `to`: only offers whose weekly availability meets this window (or states none)." })
  from?: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "End of the window given with `from`." })
  to?: Date | null;
}

@InputType("AskFromOfferInput", { description: "An ask made from an offer. Leave the personHelped fields out to ask for yourself." })
export class AskFromOfferInput {
  @Field(() => ID, { description: "The offer's listing id." })
  listingId!: string;
  @Field(() => String, { description: "Short title, 1-120 characters." })
  title!: string;
  @Field(() => String, { description: "What is needed, 1-4000 characters." })
  description!: string;
  @Field(() => ID, { nullable: true, description: "One of the offer's categories; defaults to its first." })
  categoryId?: string | null;
  @Field(() => ID, { nullable: true, description: "Where help is needed (one of the offer's neighbourhoods); defaults to the person helped's." })
  neighbourhoodId?: string | null;
  @Field(() => DateTimeISO, { description: "Start of the wanted time window." })
  windowStart!: Date;
  @Field(() => DateTimeISO, { description: "End of the wanted time window (in the future, at most 90 days after the start)." })
  windowEnd!: Date;
  @Field(() => Boolean, { nullable: true, description: "Ask for a volunteer with a VOG (forced when the person helped is a minor)." })
  vogRequired?: boolean | null;
  @Field(() => String, { nullable: true, description: "The language the person helped needs (ISO 639 code), if it matters." })
  language?: string | null;
  @Field(() => ID, { nullable: true, description: "On behalf of a person you asked for before." })
  personHelpedId?: string | null;
  @Field(() => PersonHelpedInput, { nullable: true, description: "On behalf of someone new (mantelzorger, wijkwinkel or professional)." })
  personHelped?: PersonHelpedInput | null;
  @Field(() => String, { nullable: true, description: "On behalf of someone with their own account, named by their email." })
  personHelpedEmail?: string | null;
  @Field(() => ContactVia, { nullable: true, description: "Whom the volunteer contacts once matched. Default as for askForHelp." })
  contactVia?: ContactVia | null;
}
