import { Field, ID, InputType } from "type-graphql";
import { PlacementStatus } from "./participation.type.js";
import { NewParticipantInput } from "./signup.input.js";

@InputType("ReferralInput", { description: "A professional refers a resident to a participation place." })
export class ReferralInput {
  @Field(() => ID, { description: "The participation place (an initiative of kind PARTICIPATION_PLACE)." })
  initiativeId!: string;
  @Field(() => ID, { nullable: true, description: "A person you registered before." })
  participantId?: string | null;
  @Field(() => NewParticipantInput, { nullable: true, description: "Someone new." })
  participant?: NewParticipantInput | null;
  @Field(() => String, { nullable: true, description: "Note for the organisation, up to 1000 characters (no medical details needed)." })
  note?: string | null;
}

@InputType("PlacementFilter", { description: "Narrows the placements you see." })
export class PlacementFilter {
  @Field(() => ID, { nullable: true, description: "Only this organisation's (its organisers only)." })
  organisationId?: string | null;
  @Field(() => ID, { nullable: true, description: "Only this participation place's." })
  initiativeId?: string | null;
  @Field(() => [PlacementStatus], { nullable: true, description: "Only these statuses." })
  statuses?: PlacementStatus[] | null;
}
