import { Field, Float, ID, InputType, Int } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { InitiativeKind, RecurrenceFrequency } from "./initiative.type.js";

@InputType("RepeatInput", { description: "Makes the first date repeat. Give `count`, `until` or both (whichever comes first); at most 200 dates." })
export class RepeatInput {
  @Field(() => RecurrenceFrequency, { description: "Daily, weekly or monthly (same local time, Europe/Amsterdam)." })
  frequency!: RecurrenceFrequency;
  @Field(() => Int, { nullable: true, description: "Every how many days, weeks or months (1-52; default 1)." })
  interval?: number | null;
  @Field(() => Int, { nullable: true, description: "Number of dates, including the first (1-200)." })
  count?: number | null;
  @Field(() => DateTimeISO, { nullable: true, description: "No date starts after this moment (at most two years after the first)." })
  until?: Date | null;
}

@InputType("ScheduleInput", { description: "When an initiative takes place: one date, or a first date that repeats." })
export class ScheduleInput {
  @Field(() => DateTimeISO, { description: "Start of the (first) date." })
  startsAt!: Date;
  @Field(() => DateTimeISO, { description: "End of the (first) date; after the start, at most 14 days later." })
  endsAt!: Date;
  @Field(() => RepeatInput, { nullable: true, description: "Leave out for a one-off date." })
  repeat?: RepeatInput | null;
}

@InputType("AudienceInput", { description: "Who the initiative is for." })
export class AudienceInput {
  @Field(() => Int, { nullable: true, description: "Youngest age welcome (0-120)." })
  minAge?: number | null;
  @Field(() => Int, { nullable: true, description: "Oldest age welcome (0-120, not below minAge)." })
  maxAge?: number | null;
  @Field(() => [String], { nullable: true, description: "Languages spoken, as codes such as nl, en, ar, tr, pl." })
  languages?: string[] | null;
}

@InputType("CreateInitiativeInput", { description: "A new initiative of an organisation you organise; a DRAFT unless `publish` is true." })
export class CreateInitiativeInput {
  @Field(() => ID, { description: "The organisation offering it." })
  organisationId!: string;
  @Field(() => InitiativeKind, { description: "What it offers." })
  kind!: InitiativeKind;
  @Field(() => String, { description: "Title, 1-120 characters." })
  title!: string;
  @Field(() => String, { description: "Description, 1-4000 characters." })
  description!: string;
  @Field(() => ID, { description: "Neighbourhood where it takes place." })
  neighbourhoodId!: string;
  @Field(() => String, { nullable: true, description: "Address where it takes place." })
  address?: string | null;
  @Field(() => Int, { nullable: true, description: "Number of places (1-10000); leave out for unlimited. Required for participation places." })
  capacity?: number | null;
  @Field(() => ScheduleInput, { nullable: true, description: "Dates; leave out for an initiative that is always open (a meeting place, a participation place)." })
  schedule?: ScheduleInput | null;
  @Field(() => AudienceInput, { nullable: true, description: "Who it is for; leave out for everyone." })
  audience?: AudienceInput | null;
  @Field(() => String, { nullable: true, description: "Accessibility notes (up to 1000 characters)." })
  accessibility?: string | null;
  @Field(() => [ID], { nullable: true, description: "Help categories it fits (used to suggest it with help requests)." })
  categoryIds?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: "Publish at once (default false: a draft)." })
  publish?: boolean | null;
}

@InputType("UpdateInitiativeInput", {
  description: "Changes to a draft or published initiative; omitted fields stay as they are. Raising the capacity moves people from the waiting list at once.",
})
export class UpdateInitiativeInput {
  @Field(() => String, { nullable: true, description: "New title." })
  title?: string | null;
  @Field(() => String, { nullable: true, description: "New description." })
  description?: string | null;
  @Field(() => ID, { nullable: true, description: "New neighbourhood." })
  neighbourhoodId?: string | null;
  @Field(() => String, { nullable: true, description: "New address." })
  address?: string | null;
  @Field(() => Int, { nullable: true, description: "New number of places; not below the places already taken." })
  capacity?: number | null;
  @Field(() => Boolean, { nullable: true, description: "True: unlimited places (everyone waiting gets a place)." })
  unlimited?: boolean | null;
  @Field(() => ScheduleInput, { nullable: true, description: "New dates (replace the old ones)." })
  schedule?: ScheduleInput | null;
  @Field(() => AudienceInput, { nullable: true, description: "New audience." })
  audience?: AudienceInput | null;
  @Field(() => String, { nullable: true, description: "New accessibility notes." })
  accessibility?: string | null;
  @Field(() => [ID], { nullable: true, description: "New categories." })
  categoryIds?: string[] | null;
}

@InputType("InitiativeFilter", { description: "What to look for among public initiatives. Every field narrows; leave all out for everything upcoming." })
export class InitiativeFilter {
  @Field(() => [ID], { nullable: true, description: "Only these neighbourhoods." })
  neighbourhoodIds?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: "Also neighbourhoods whose centroid lies within `nearbyKm` of one of neighbourhoodIds." })
  includeNearby?: boolean | null;
  @Field(() => Float, { nullable: true, description: "Radius for includeNearby, in km (0.1-10; default 1.75)." })
  nearbyKm?: number | null;
  @Field(() => [InitiativeKind], { nullable: true, description: "Only these kinds." })
  kinds?: InitiativeKind[] | null;
  @Field(() => [ID], { nullable: true, description: "Only initiatives in one of these help categories." })
  categoryIds?: string[] | null;
  @Field(() => ID, { nullable: true, description: "Only this organisation's." })
  organisationId?: string | null;
  @Field(() => DateTimeISO, { nullable: true, description: "Only initiatives with a date ending at or after this moment (initiatives without dates always match)." })
  from?: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "Only initiatives with a date starting at or before this moment (initiatives without dates always match)." })
  to?: Date | null;
  @Field(() => Int, { nullable: true, description: "Only initiatives whose audience welcomes someone of this age." })
  age?: number | null;
  @Field(() => [String], { nullable: true, description: "Only initiatives in one of these languages (or with no language given)." })
  languages?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Words to search for in title, description, address, organisation, neighbourhood and categories; each must start a word there (accents and case ignored; on PostgreSQL also Dutch word forms). Ranked with orderBy RELEVANCE.",
  })
  text?: string | null;
  @Field(() => Boolean, { nullable: true, description: "True: only initiatives with a free place (or unlimited)." })
  hasPlacesLeft?: boolean | null;
}
