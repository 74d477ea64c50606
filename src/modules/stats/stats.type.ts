import { Extensions, Field, Float, Int, ObjectType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { connectionTypes } from "../../graphql/relay.js";
import { EscalationOutcome, EscalationTrigger } from "../escalation/escalation.types.js";
import { HelpCategory } from "../places/place.types.js";
import type { StatsCell, StatsReport } from "./stats.service.js";

@ObjectType("StatCount", {
  description:
    "A count that is published only when it rests on at least five people and on at least five accounts registered before the month began (see docs/statistics-privacy.md); otherwise value is null and suppressed is true. Zero is withheld like any number below five, so a withheld count says neither that someone nor that nobody is behind it.",
})
export class StatCount {
  @Field(() => Int, { nullable: true, description: "The count; null when suppressed." })
  value!: number | null;
  @Field(() => Boolean, {
    description: "True when the count is withheld: it would rest on fewer than five people, could be worked out from other figures, or its month has not ended.",
  })
  suppressed!: boolean;
}

@ObjectType("StatRatio", {
  description:
    "A share between 0 and 1. Null with suppressed true when it would rest on fewer than five people or give away a number below five; null with suppressed false only for a share of places when no places were offered.",
})
export class StatRatio {
  @Field(() => Float, { nullable: true, description: "The share, 0-1; null when suppressed or undefined." })
  value!: number | null;
  @Field(() => Boolean, { description: "True when the share is withheld to protect small numbers." })
  suppressed!: boolean;
}

@ObjectType("StatMeasure", { description: "A measure over a group (e.g. a median time), published when the group rests on at least five people (and five established accounts)." })
export class StatMeasure {
  @Field(() => Float, { nullable: true, description: "The measure; null when suppressed." })
  value!: number | null;
  @Field(() => Boolean, { description: "True when withheld because fewer than five people are behind it." })
  suppressed!: boolean;
}

@ObjectType("CategoryStat", { description: "Requests of one help category in a neighbourhood and month; every category is listed in every cell, asked or not." })
export class CategoryStat {
  @Field(() => HelpCategory, { description: "The category." })
  category!: HelpCategory;
  @Field(() => StatCount, {
    description: "Requests asked in this category (withheld below five people, including none, and where a withheld number could be worked out from the cell's total).",
  })
  requests!: StatCount;
}

@ObjectType("EscalationStat", { description: "Cases raised with a professional team, by trigger and outcome." })
export class EscalationStat {
  @Field(() => EscalationTrigger, { description: "Why the cases were raised." })
  trigger!: EscalationTrigger;
  @Field(() => EscalationOutcome, { nullable: true, description: "How they ended; null for cases still open." })
  outcome!: EscalationOutcome | null;
  @Field(() => StatCount, { description: "Number of cases (always published: groups below five people are left out of the list)." })
  cases!: StatCount;
}

/**
 * The figures of a cell the NeighbourhoodMonthStats type shows as they are. The computed cell is the
 * type's source (its field resolvers read the neighbourhood, the categories and the escalations), so
 * the compiler checks that a cell holds every field (docs/decisions.md, 24).
 */
type CellFigures = Pick<
  StatsCell,
  "month" | "closed" | "requests" | "matchedByVolunteers" | "medianHoursToMatch" | "initiativeFillRate" | "participationUtilisation" | "activeVolunteers" | "mantelzorgersSupported"
>;

@ObjectType("NeighbourhoodMonthStats", {
  description:
    "The figures of one neighbourhood (wijk) in one month (Europe/Amsterdam calendar), published once the month has ended and computed as of its end, so they do not change afterwards. Requests are counted in the month they were asked; volunteers, cases and places in the month they were active.",
})
export class NeighbourhoodMonthStats implements CellFigures {
  @Field(() => String, { description: "The month, YYYY-MM." })
  month!: string;
  @Field(() => Boolean, { description: "True once the month has ended. Until then every figure of the cell is withheld (suppressed)." })
  closed!: boolean;
  @Field(() => StatCount, { description: "Help requests asked (counted per request; published by the people and established accounts behind them)." })
  requests!: StatCount;
  @Field(() => StatRatio, { description: "Share of the requests asked that month that a volunteer (or an organisation's volunteer) took up before the month ended." })
  matchedByVolunteers!: StatRatio;
  @Field(() => StatMeasure, { description: "Median hours from asking to the first match, over the requests asked that month that were matched before it ended." })
  medianHoursToMatch!: StatMeasure;
  @Field(() => StatRatio, {
    description:
      "Places taken out of places offered, over initiatives of verified organisations with a capacity that had a date this month (sign-ups confirmed at the month's end), leaving out initiatives with one to four places taken (their own placesTaken is withheld). Null (not suppressed) when no places were offered.",
  })
  initiativeFillRate!: StatRatio;
  @Field(() => StatRatio, {
    description:
      "Participation places in use: people placed during the month out of the places of verified organisations open that month (the same places participationUtilisation counts). Null (not suppressed) when no places were open.",
  })
  participationUtilisation!: StatRatio;
  @Field(() => StatCount, { description: "Distinct volunteers who took up a request here this month." })
  activeVolunteers!: StatCount;
  @Field(() => StatCount, {
    description: "Distinct mantelzorgers supported: members of a care circle whose request for the person they care for (asked this month) was taken up.",
  })
  mantelzorgersSupported!: StatCount;
}

export const NeighbourhoodMonthStatsConnection = connectionTypes("NeighbourhoodMonthStats", NeighbourhoodMonthStats, "neighbourhood-month figures");

/** What the Stats type shows of a report as it is; the report is its source (`cells` pages through it). */
type ReportFields = Pick<StatsReport, "from" | "to" | "months" | "suppressionThreshold" | "generatedAt">;

@ObjectType("Stats", {
  description:
    "Statistics for the council (wijkcijfers): per neighbourhood and month, published for ended months only. No figure rests on fewer than five people, nor can one that does be worked out from published figures or by adding one's own requests (docs/statistics-privacy.md): such figures are null with suppressed: true.",
})
export class Stats implements ReportFields {
  @Field(() => String, { description: "First month of the period, YYYY-MM." })
  from!: string;
  @Field(() => String, { description: "Last month of the period, YYYY-MM." })
  to!: string;
  @Extensions({ maxItems: 24 })
  @Field(() => [String], { description: "The months of the period, YYYY-MM, oldest first (at most 24)." })
  months!: string[];
  @Field(() => Int, { description: "The smallest number of people, and of accounts registered before the month, a published figure may rest on (5)." })
  suppressionThreshold!: number;
  @Field(() => DateTimeISO, {
    description:
      "When the report was put together. The figures of ended months are kept as they happen (docs/statistics-privacy.md) and always reflect every committed change; there is no cache.",
  })
  generatedAt!: Date;
}
