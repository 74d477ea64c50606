import { Extensions, Field, ID, Int, ObjectType } from "type-graphql";
import { connectionTypes } from "../../graphql/relay.js";
import { BuddyProgrammeMonth } from "../buddies/buddy.type.js";
import { EscalationOutcome, EscalationTrigger } from "../escalation/escalation.types.js";
import { StatCount, StatMeasure, StatRatio } from "./stats.type.js";

@ObjectType("TeamTriggerStat", { description: "A team's cases raised for one trigger; a trigger resting on fewer than five people is left out of the list." })
export class TeamTriggerStat {
  @Field(() => EscalationTrigger, { description: "Why the cases were raised." })
  trigger!: EscalationTrigger;
  @Field(() => StatCount, { description: "Cases raised for this trigger." })
  cases!: StatCount;
}

@ObjectType("TeamOutcomeStat", { description: "A team's cases closed with one outcome; an outcome resting on fewer than five people is left out of the list." })
export class TeamOutcomeStat {
  @Field(() => EscalationOutcome, { description: "How the cases ended." })
  outcome!: EscalationOutcome;
  @Field(() => StatCount, { description: "Cases closed with this outcome." })
  cases!: StatCount;
}

@ObjectType("TeamNormStat", {
  description:
    "One norm of a team over the year's cases it applies to (lead or co-team): met, missed and still open past it. Published when the cases rest on five people and five established accounts; a part is withheld when it, or the rest it would give away by subtraction, rests on fewer.",
})
export class TeamNormStat {
  @Field(() => StatCount, { description: "Cases that met the norm." })
  met!: StatCount;
  @Field(() => StatCount, { description: "Cases that missed it." })
  missed!: StatCount;
  @Field(() => StatCount, { description: "Cases still open past it now." })
  openOverdue!: StatCount;
}

@ObjectType("TeamYearStats", {
  description:
    "A professional team's cases of the year (raised in months that have ended, the team leading), protected like the neighbourhood figures: the people behind a case are its subject, the accounts whoever raised it, counted when registered before the year.",
})
export class TeamYearStats {
  teamId!: string;
  @Field(() => StatCount, { description: "Cases led by the team." })
  cases!: StatCount;
  @Extensions({ maxItems: 10 })
  @Field(() => [TeamTriggerStat], { description: "Cases per trigger; empty when the team's cases are withheld." })
  byTrigger!: TeamTriggerStat[];
  @Extensions({ maxItems: 10 })
  @Field(() => [TeamOutcomeStat], { description: "Closed cases per outcome; empty when the team's cases are withheld." })
  byOutcome!: TeamOutcomeStat[];
  @Field(() => StatRatio, { description: "Share of the acknowledged cases acknowledged by their norm." })
  acknowledgedWithinNorm!: StatRatio;
  @Field(() => StatMeasure, { description: "Median hours from raising a case to its acknowledgement." })
  medianHoursToAcknowledge!: StatMeasure;
  @Field(() => StatMeasure, { description: "Median days from raising a case to closing it, over the closed cases." })
  medianDaysToClose!: StatMeasure;
  @Field(() => StatCount, { description: "Cases still new past their acknowledgement norm now." })
  overdueNow!: StatCount;
  @Field(() => TeamNormStat, { nullable: true, description: "First contact within its norm; null when the norms are not recorded." })
  firstContactNorm!: TeamNormStat | null;
  @Field(() => TeamNormStat, { nullable: true, description: "Closing within its norm; null when the norms are not recorded." })
  closeNorm!: TeamNormStat | null;
}

@ObjectType("CouncilCountCell", { description: "A count of one neighbourhood in one month; withheld (null, suppressed) under the statistics' small-cell rule." })
export class CouncilCountCell {
  @Field(() => String, { description: "The month, YYYY-MM." })
  month!: string;
  neighbourhoodId!: string;
  @Field(() => StatMeasure, { description: "The figure (hours may have a tenth); null when suppressed." })
  value!: StatMeasure;
}

export const CouncilCountCellConnection = connectionTypes("CouncilCountCell", CouncilCountCell, "figures per neighbourhood and month");

@ObjectType("CouncilMonthTotal", { description: "A figure totalled over the neighbourhoods for a month." })
export class CouncilMonthTotal {
  @Field(() => String, { description: "The month, YYYY-MM." })
  month!: string;
  @Field(() => StatMeasure, { description: "The total; withheld when any cell in it is." })
  value!: StatMeasure;
}

@ObjectType("CouncilQuarterTotal", { description: "A figure totalled over the neighbourhoods for a quarter." })
export class CouncilQuarterTotal {
  @Field(() => String, { description: "The quarter, YYYY-Qn." })
  quarter!: string;
  @Field(() => StatMeasure, { description: "The total; withheld when any cell in it is." })
  value!: StatMeasure;
}

@ObjectType("CouncilNeighbourhoodTotal", { description: "A figure totalled over the months of the year for a neighbourhood." })
export class CouncilNeighbourhoodTotal {
  neighbourhoodId!: string;
  @Field(() => StatMeasure, { description: "The total; withheld when any cell in it is." })
  value!: StatMeasure;
}

@ObjectType("CouncilFigureSeries", {
  description:
    "One figure per neighbourhood and month of the year with its totals. A total is the sum of its cells and is published only when every cell in it is, so no withheld cell follows from any combination of cells and totals.",
})
export class CouncilFigureSeries {
  /** Month by month (oldest first), neighbourhoods in the order of the report; paged by the resolver's `cells`. */
  cellList!: CouncilCountCell[];
  @Extensions({ maxItems: 12 })
  @Field(() => [CouncilMonthTotal], { description: "Per month over the neighbourhoods." })
  perMonth!: CouncilMonthTotal[];
  @Extensions({ maxItems: 4 })
  @Field(() => [CouncilQuarterTotal], { description: "Per quarter over the neighbourhoods." })
  perQuarter!: CouncilQuarterTotal[];
  @Extensions({ maxItems: 500 })
  @Field(() => [CouncilNeighbourhoodTotal], { description: "Per neighbourhood over the year." })
  perNeighbourhood!: CouncilNeighbourhoodTotal[];
  @Field(() => StatMeasure, { description: "The year over every neighbourhood of the report." })
  overall!: StatMeasure;
}

@ObjectType("CouncilBuddyProgramme", { description: "A buddy programme's figures month by month, withheld as the programme's own figures are." })
export class CouncilBuddyProgramme {
  @Field(() => ID, { description: "The programme's id." })
  programmeId!: string;
  @Field(() => String, { description: "The programme's name." })
  name!: string;
  @Extensions({ maxItems: 12 })
  @Field(() => [BuddyProgrammeMonth], { description: "The months of the year." })
  months!: BuddyProgrammeMonth[];
}

@ObjectType("CouncilStats", {
  description:
    "The council's further figures of a year (what /reports/council shows beyond the neighbourhood cells of `stats`): per team, hours of informal help, care circles, mantelzorgers and buddy programmes, for the city or an area. Every figure is protected like those of `stats` (docs/statistics-privacy.md): withheld figures are null with suppressed: true.",
})
export class CouncilStats {
  @Field(() => Int, { description: "The year (Europe/Amsterdam calendar)." })
  year!: number;
  @Field(() => ID, { nullable: true, description: "The area the figures are narrowed to; null for the whole city." })
  areaId!: string | null;
  @Extensions({ maxItems: 12 })
  @Field(() => [String], { description: "The months of the year, YYYY-MM." })
  months!: string[];
  @Field(() => Int, { description: "The smallest number of people, and of established accounts, a published figure may rest on (5)." })
  suppressionThreshold!: number;
  @Extensions({ maxItems: 100 })
  @Field(() => [TeamYearStats], { description: "Per team that led cases raised in the year's ended months, by team id." })
  teams!: TeamYearStats[];
  @Field(() => CouncilFigureSeries, {
    nullable: true,
    description: "Hours of informal help: volunteers' recorded hours and care shifts held, per neighbourhood and month. Null while not recorded.",
  })
  informalHours!: CouncilFigureSeries | null;
  @Field(() => CouncilFigureSeries, { nullable: true, description: "Care circles active per neighbourhood and month. Null while not recorded." })
  activeCareCircles!: CouncilFigureSeries | null;
  @Field(() => CouncilFigureSeries, {
    nullable: true,
    description: "Mantelzorgers who signalled an intensive load, per neighbourhood and month. Null while not recorded.",
  })
  intensiveMantelzorgers!: CouncilFigureSeries | null;
  @Extensions({ maxItems: 100 })
  @Field(() => [CouncilBuddyProgramme], { description: "Each buddy programme's figures over the year." })
  buddyProgrammes!: CouncilBuddyProgramme[];
}
