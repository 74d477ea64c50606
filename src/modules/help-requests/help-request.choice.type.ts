import { Extensions, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Neighbourhood } from "../places/place.types.js";

export enum HelpOfferStatus {
  OFFERED = "OFFERED",
  WITHDRAWN = "WITHDRAWN",
  PICKED = "PICKED",
  RELEASED = "RELEASED",
}
registerEnumType(HelpOfferStatus, {
  name: "HelpOfferStatus",
  description: "Where a volunteer's offer to help with a request in choice mode stands.",
  valuesConfig: {
    OFFERED: { description: "Waiting for the requester's choice." },
    WITHDRAWN: { description: "Taken back by the volunteer." },
    PICKED: { description: "Chosen: the request is matched with this volunteer." },
    RELEASED: { description: "Not chosen this time (or the request closed): the volunteer is free again." },
  },
});

@ObjectType("OfferingVolunteer", { description: "What the asking side sees of a volunteer who offers to help: no surname, no contact details." })
export class OfferingVolunteer {
  @Field(() => String, { description: "First name." })
  firstName!: string;
  @Extensions({ maxItems: 100 })
  @Field(() => [Neighbourhood], { description: "The neighbourhoods the volunteer helps in." })
  neighbourhoods!: Neighbourhood[];
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Languages the volunteer speaks." })
  languages!: string[];
}

@ObjectType("HelpOffer", { description: "A volunteer's offer to help with a request in choice mode, with a short note." })
export class HelpOffer {
  @Field(() => ID, { description: "The offer (pass it to `pickHelpOffer` or `withdrawHelpOffer`)." })
  id!: string;
  @Field(() => ID, { description: "The request offered for." })
  helpRequestId!: string;
  @Field(() => String, { description: "The volunteer's note to the requester." })
  note!: string;
  @Field(() => HelpOfferStatus, { description: "Where the offer stands." })
  status!: `${HelpOfferStatus}`;
  @Field(() => String, { nullable: true, description: "For a released offer: a kind word to the volunteer that someone else was chosen this time." })
  notice?: string | null;
  @Field(() => OfferingVolunteer, { nullable: true, description: "The volunteer, for the asking side; null on your own offer." })
  volunteer?: OfferingVolunteer | null;
  @Field(() => DateTimeISO, { description: "When the offer was made." })
  createdAt!: Date;
}
