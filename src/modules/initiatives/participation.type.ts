import { Extensions, Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import { Area, Neighbourhood } from "../places/place.types.js";
import { Organisation } from "./organisation.type.js";
import type { PlacementRow } from "./participation.repository.js";

export enum PlacementStatus {
  REFERRED = "REFERRED",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  STARTED = "STARTED",
  ENDED = "ENDED",
}
registerEnumType(PlacementStatus, {
  name: "PlacementStatus",
  description: "Lifecycle: REFERRED -> ACCEPTED -> STARTED -> ENDED, or REFERRED/ACCEPTED -> DECLINED.",
  valuesConfig: {
    REFERRED: { description: "A professional referred the resident; the organisation has not decided yet." },
    ACCEPTED: { description: "The organisation accepted the referral." },
    DECLINED: { description: "The organisation declined it." },
    STARTED: { description: "The participant started; the placement fills one place." },
    ENDED: { description: "The placement ended; the place is free again." },
  },
});

/** The columns of a placement the Placement type shows as they are: its row is its source (see Initiative). */
type PlacementColumns = Pick<PlacementRow, "id" | "status" | "note" | "decisionNote" | "referredAt" | "acceptedAt" | "startedAt" | "endedAt" | "endReason">;

@ObjectType("Placement", {
  implements: Node,
  description:
    "A placement (plaatsing) of a resident on a participation place (participatieplek): referred by a professional, accepted, started and ended by the organisation. Seen by the organisation's organisers, the referrer and the participant.",
})
export class Placement extends Node implements PlacementColumns {
  @Field(() => PlacementStatus, { description: "Where the placement is in its lifecycle." })
  status!: PlacementColumns["status"];
  @Field(() => String, { nullable: true, description: "The referrer's note for the organisation." })
  note!: string | null;
  @Field(() => String, { nullable: true, description: "The organisation's note when accepting or declining." })
  decisionNote!: string | null;
  @Field(() => DateTimeISO, { description: "When the resident was referred." })
  referredAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When the organisation accepted." })
  acceptedAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When the participant started." })
  startedAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When the placement ended." })
  endedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Why it ended (e.g. 'found paid work')." })
  endReason!: string | null;
}

@ObjectType("ParticipationUtilisation", {
  description:
    "How well participation places are used (benutting) in one scope — the region, an area, a neighbourhood or an organisation: places and filled places at the end of the period, and participants in it. Counts only, nobody identifiable: the figures about people (filled places, free places, utilisation, participants) leave out every organisation's places in a neighbourhood that would rest on fewer than five people, so they may undercount small groups (docs/statistics-privacy.md).",
})
export class ParticipationUtilisation {
  @Field(() => Area, { nullable: true, description: "The area, in a per-area row." })
  area!: Area | null;
  @Field(() => Neighbourhood, { nullable: true, description: "The neighbourhood, in a per-neighbourhood row." })
  neighbourhood!: Neighbourhood | null;
  @Field(() => Organisation, { nullable: true, description: "The organisation, in a per-organisation row." })
  organisation!: Organisation | null;
  @Field(() => Int, { description: "Places offered at the end of the period (published participation places)." })
  places!: number;
  @Field(() => Int, { description: "Places filled at the end of the period (started, not ended placements)." })
  filledPlaces!: number;
  @Field(() => Int, { description: "Places free at the end of the period (never below zero)." })
  freePlaces!: number;
  @Field(() => Float, { nullable: true, description: "filledPlaces / places, between 0 and 1 (e.g. 0.64); null without places." })
  utilisation!: number | null;
  @Field(() => Float, { nullable: true, description: "The same as a percentage, rounded to one decimal (e.g. 64)." })
  utilisationPercentage!: number | null;
  @Field(() => Int, { description: "Participants who started a placement in the period." })
  startedParticipants!: number;
  @Field(() => Int, { description: "Participants active on a place at any moment of the period." })
  activeParticipants!: number;
  @Field(() => Int, { description: "Participants whose placement ended in the period." })
  endedParticipants!: number;
}

@ObjectType("ParticipationUtilisationReport", {
  description: "Utilisation of participation places (benutting participatieplekken) for a period: the region and its breakdown.",
})
export class ParticipationUtilisationReport {
  @Field(() => DateTimeISO, { description: "Start of the period." })
  from!: Date;
  @Field(() => DateTimeISO, { description: "End of the period; places and filled places are counted at this moment." })
  to!: Date;
  @Field(() => ParticipationUtilisation, { description: "The whole region (or the municipality asked for)." })
  region!: ParticipationUtilisation;
  @Extensions({ maxItems: 50 })
  @Field(() => [ParticipationUtilisation], { description: "Per area (gebied), with places or participants." })
  byArea!: ParticipationUtilisation[];
  @Extensions({ maxItems: 500 })
  @Field(() => [ParticipationUtilisation], { description: "Per neighbourhood where places are offered." })
  byNeighbourhood!: ParticipationUtilisation[];
  @Extensions({ maxItems: 1000 })
  @Field(() => [ParticipationUtilisation], { description: "Per organisation offering places." })
  byOrganisation!: ParticipationUtilisation[];
}

export const PlacementConnection = connectionTypes("Placement", Placement, "placements");
