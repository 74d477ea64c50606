import { Extensions, Field, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import { ContactVia } from "../help-requests/help-request.type.js";
import { AvailabilitySlot } from "../volunteers/volunteer.types.js";

export enum OfferStatus {
  ACTIVE = "ACTIVE",
  PAUSED = "PAUSED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(OfferStatus, {
  name: "OfferStatus",
  description: "Where an offer of help is: shown, paused for a while, or withdrawn for good.",
  valuesConfig: {
    ACTIVE: { description: "Shown to residents and desks, who may ask from it." },
    PAUSED: { description: "Not shown and not askable for now; asks already made can still be answered." },
    WITHDRAWN: { description: "Withdrawn for good; asks still waiting were declined." },
  },
});

export enum OfferAskStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
}
registerEnumType(OfferAskStatus, {
  name: "OfferAskStatus",
  description: "The answer of the volunteer who offers to an ask made from their offer.",
  valuesConfig: {
    PENDING: { description: "Waiting for the volunteer's answer." },
    ACCEPTED: { description: "Accepted: it became a matched help request (`helpRequest`)." },
    DECLINED: { description: "Declined, or the offer was withdrawn." },
  },
});

/** The fields an offer shows, to its volunteer and (without them) to everyone. */
@ObjectType("Offer", {
  implements: Node,
  description: "An offer of help (hulpaanbod) as its own volunteer sees it. Only they can read it; others see its public `OfferListing`.",
})
export class Offer extends Node {
  @Field(() => String, { description: "Short title, e.g. 'Boodschappen op dinsdagochtend'." })
  title!: string;
  @Field(() => String, { description: "What is offered, in the volunteer's words." })
  description!: string;
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Languages the help can be given in (ISO 639 codes)." })
  languages!: string[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AvailabilitySlot], { description: "When, weekly (Europe/Amsterdam)." })
  availability!: AvailabilitySlot[];
  @Field(() => OfferStatus, { description: "Shown, paused or withdrawn." })
  status!: `${OfferStatus}`;
  @Field(() => String, { description: "The id of the offer's public listing (`OfferListing`), which residents and desks ask from." })
  listingId!: string;
  @Field(() => DateTimeISO, { description: "When it was posted." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { description: "When it last changed." })
  updatedAt!: Date;
}

@ObjectType("OfferListing", {
  implements: Node,
  description:
    "An offer of help as everyone may see it, anonymous visitors too: what, where, when and in which languages, never who offers. Its id leads to no one; the volunteer is known only once they accept an ask.",
})
export class OfferListing extends Node {
  @Field(() => String, { description: "Short title." })
  title!: string;
  @Field(() => String, { description: "What is offered." })
  description!: string;
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Languages the help can be given in (ISO 639 codes)." })
  languages!: string[];
  @Extensions({ maxItems: 50 })
  @Field(() => [AvailabilitySlot], { description: "When, weekly (Europe/Amsterdam)." })
  availability!: AvailabilitySlot[];
  @Field(() => Boolean, { description: "Whether the volunteer holds a verified VOG (certificate of conduct), so the offer can serve help that needs one." })
  vogVerified!: boolean;
}

@ObjectType("OfferAsk", {
  implements: Node,
  description:
    "An ask made from an offer, for oneself or on someone's behalf. Seen by whoever asked, the person helped and the volunteer who offers (who sees the first name only). Accepted, it becomes a matched help request.",
})
export class OfferAsk extends Node {
  @Field(() => OfferAskStatus, { description: "Waiting, accepted or declined." })
  status!: `${OfferAskStatus}`;
  @Field(() => String, { description: "Short title." })
  title!: string;
  @Field(() => String, { description: "What is needed." })
  description!: string;
  @Field(() => DateTimeISO, { description: "Start of the wanted time window." })
  windowStart!: Date;
  @Field(() => DateTimeISO, { description: "End of the wanted time window." })
  windowEnd!: Date;
  @Field(() => Boolean, { description: "Whether a verified VOG is needed (always when the person helped is a minor)." })
  vogRequired!: boolean;
  @Field(() => String, { nullable: true, description: "The language the person helped needs, if stated." })
  language!: string | null;
  @Field(() => ContactVia, { description: "Whom the volunteer contacts once matched." })
  contactVia!: `${ContactVia}`;
  @Field(() => DateTimeISO, { description: "When it was asked." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When the volunteer answered." })
  answeredAt!: Date | null;
}

export const OfferListingConnection = connectionTypes("OfferListing", OfferListing, "offer listings", {});
