import { Extensions, Field, Float, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { connectionTypes } from "../../graphql/relay.js";
import { EscalationOutcome, EscalationTrigger } from "../escalation/escalation.types.js";
import { HelpCategory } from "../places/place.types.js";

@ObjectType("StatCount", {
  description: "A count that is published only when it rests on at least five people (or on none); otherwise value is null and suppressed is true.",
})
export class StatCount {
  @Field(() => Int, { nullable: true, description: "The count; null when suppressed." })
  value!: number | null;
  @Field(() => Boolean, { description: "True when the count is withheld because it would rest on fewer than five people." })
  suppressed!: boolean;
}

@ObjectType("StatRatio", {
  description: "A share between 0 and 1. Null with suppressed false when there is nothing to divide by; null with suppressed true when it would give away a number below five.",
})
export class StatRatio {
  @Field(() => Float, { nullable: true, description: "The share, 0-1; null when suppressed or undefined." })
  value!: number | null;
  @Field(() => Boolean, { description: "True when the share is withheld to protect small numbers." })
  suppressed!: boolean;
}

@ObjectType("StatMeasure", { description: "A measure over a group (e.g. a median time), published for at least five people." })
export class StatMeasure {
  @Field(() => Float, { nullable: true, description: "The measure; null when suppressed or when there is nobody to measure." })
  value!: number | null;
  @Field(() => Boolean, { description: "True when withheld because fewer than five people are behind it." })
  suppressed!: boolean;
}

@ObjectType("CategoryStat", { description: "Requests of one help category in a neighbourhood and month." })
export class CategoryStat {
  @Field(() => HelpCategory, { description: "The category." })
  category!: HelpCategory;
  @Field(() => StatCount, { description: "Requests asked in this category (suppressed below five people, and where a suppressed number could be worked out)." })
  requests!: StatCount;
}

@ObjectType("EscalationStat", { description: "Cases raised with a professional team, by trigger and outcome." })
export class EscalationStat {
  @Field(() => EscalationTrigger, { description: "Why the cases were raised." })
  trigger!: EscalationTrigger;
  @Field(() => EscalationOutcome, { nullable: true, description: "How they ended; null for cases still open." })
  outcome!: EscalationOutcome | null;
  @Field(() => StatCount, { description: "Number of cases (suppressed below five people)." })
  cases!: StatCount;
}

@ObjectType("NeighbourhoodMonthStats", {
  description:
    "The figures of one neighbourhood (wijk) in one month (Europe/Amsterdam calendar). Requests are counted in the month they were asked; volunteers, cases and places in the month they were active.",
})
export class NeighbourhoodMonthStats {
  @Field(() => String, { description: "The month, YYYY-MM." })
  month!: string;
  @Field(() => StatCount, { description: "Help requests asked." })
  requests!: StatCount;
  @Field(() => StatRatio, { description: "Share of the requests asked that month that a volunteer (or an organisation's volunteer) took up." })
  matchedByVolunteers!: StatRatio;
  @Field(() => StatMeasure, { description: "Median hours from asking to the first match, over the requests asked that month that were matched." })
  medianHoursToMatch!: StatMeasure;
  @Field(() => StatRatio, {
    description: "Places taken out of places offered, over initiatives with a capacity that had a date this month (confirmed sign-ups).",
  })
  initiativeFillRate!: StatRatio;
  @Field(() => StatRatio, { description: "Participation places in use: people placed during the month out of the places open that month." })
  participationUtilisation!: StatRatio;
  @Field(() => StatCount, { description: "Distinct volunteers who took up a request here this month." })
  activeVolunteers!: StatCount;
  @Field(() => StatCount, {
    description: "Distinct mantelzorgers supported: members of a care circle whose request for the person they care for (asked this month) was taken up.",
  })
  mantelzorgersSupported!: StatCount;
}

export const NeighbourhoodMonthStatsConnection = connectionTypes("NeighbourhoodMonthStats", NeighbourhoodMonthStats, "neighbourhood-month figures");

@ObjectType("Stats", {
  description:
    "Statistics for the council (wijkcijfers): per neighbourhood and month, computed from live data. No figure rests on fewer than five people: such figures are null with suppressed: true.",
})
export class Stats {
  @Field(() => String, { description: "First month of the period, YYYY-MM." })
  from!: string;
  @Field(() => String, { description: "Last month of the period, YYYY-MM." })
  to!: string;
  @Extensions({ maxItems: 24 })
  @Field(() => [String], { description: "The months of the period, YYYY-MM, oldest first (at most 24)." })
  months!: string[];
  @Field(() => Int, { description: "The smallest number of people a published figure may rest on (5)." })
  suppressionThreshold!: number;
  @Field(() => GraphQLDateTimeISO, { description: "When the figures were computed (they may be reused for STATS_CACHE_SECONDS)." })
  generatedAt!: Date;
}
