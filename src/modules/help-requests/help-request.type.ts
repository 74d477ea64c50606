import { Field, Float, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";

export enum HelpRequestStatus {
  OPEN = "OPEN",
  MATCHED = "MATCHED",
  IN_PROGRESS = "IN_PROGRESS",
  DONE = "DONE",
  CANCELLED = "CANCELLED",
  EXPIRED = "EXPIRED",
  ESCALATED = "ESCALATED",
}
registerEnumType(HelpRequestStatus, {
  name: "HelpRequestStatus",
  description: "Lifecycle: OPEN -> MATCHED -> IN_PROGRESS -> DONE, or CANCELLED, EXPIRED, ESCALATED.",
  valuesConfig: {
    OPEN: { description: "Waiting for a volunteer." },
    MATCHED: { description: "A volunteer accepted it." },
    IN_PROGRESS: { description: "The volunteer started helping." },
    DONE: { description: "Help was given." },
    CANCELLED: { description: "Withdrawn by the requester." },
    EXPIRED: { description: "The wanted time window passed without help: unmatched, or confirmed by those involved." },
    ESCALATED: { description: "Handed to a professional team." },
  },
});

export enum Urgency {
  LOW = "LOW",
  NORMAL = "NORMAL",
  HIGH = "HIGH",
  URGENT = "URGENT",
}
registerEnumType(Urgency, {
  name: "Urgency",
  description: "How soon help is needed.",
  valuesConfig: {
    LOW: { description: "No hurry; by default escalated after 7 days still open, with 72 hours for a team to acknowledge." },
    NORMAL: { description: "The usual pace; by default escalated after 72 hours still open, with 24 hours for a team to acknowledge." },
    HIGH: { description: "Soon, e.g. a care shift that starts within a day; by default escalated after 24 hours still open, with 4 hours to acknowledge." },
    URGENT: { description: "As soon as possible (every case flagged SAFETY is URGENT); by default escalated after 4 hours still open, with 1 hour to acknowledge." },
  },
});

export enum BrowseOrder {
  NEWEST = "NEWEST",
  SOONEST = "SOONEST",
}
registerEnumType(BrowseOrder, {
  name: "BrowseOrder",
  description: "Order of open requests.",
  valuesConfig: {
    NEWEST: { description: "Most recently asked first." },
    SOONEST: { description: "Earliest wanted start first." },
  },
});

export enum ContactVia {
  PERSON_HELPED = "PERSON_HELPED",
  ASKER = "ASKER",
}
registerEnumType(ContactVia, {
  name: "ContactVia",
  description: "Whom the matched volunteer contacts to arrange the help.",
  valuesConfig: {
    PERSON_HELPED: { description: "The person helped (`contact`)." },
    ASKER: { description: "Whoever asked on their behalf, or the organisation it was asked for (`askerContact`)." },
  },
});

export enum HelpRelation {
  ASKED = "ASKED",
  HELPING = "HELPING",
}
registerEnumType(HelpRelation, {
  name: "HelpRelation",
  description: "How the viewer relates to a request.",
  valuesConfig: {
    ASKED: { description: "Asked by the viewer, or for the viewer." },
    HELPING: { description: "The viewer is the matched volunteer." },
  },
});

/**
 * The API shape of a request. Resolvers hand the stored row (HelpRequestRow) to GraphQL as it is, so
 * the browse path builds no objects per row; the enum fields are typed by their values, so that the
 * compiler checks the row against every field declared here (a missing or differently typed column
 * does not compile).
 */
@ObjectType("HelpRequest", {
  implements: Node,
  simpleResolvers: true,
  description:
    "A help request (hulpvraag): one concrete ask of a resident, made by themself or on their behalf. Everyone who may see it sees the neighbourhood and first name; contact details only the people involved.",
})
export class HelpRequest extends Node {
  @Field(() => String, { description: "Short title, e.g. 'Boodschappen op dinsdag'." })
  title!: string;
  @Field(() => String, { description: "What is needed, in the requester's words." })
  description!: string;
  @Field(() => Urgency, { description: "How soon help is needed." })
  urgency!: `${Urgency}`;
  @Field(() => Boolean, { description: "Whether the volunteer needs a verified VOG (always when the person helped is a minor)." })
  vogRequired!: boolean;
  @Field(() => Boolean, { description: "True when a partner app asked it with a sandbox key: a test that reaches no volunteer, organisation, team or statistic." })
  sandbox!: boolean;
  @Field(() => Boolean, {
    description: "True when the requester chooses: volunteers offer to help (`offerToHelp`) instead of accepting, and the asking side picks one (`pickHelpOffer`).",
  })
  choiceMode!: boolean;
  @Field(() => DateTimeISO, { description: "Start of the wanted time window." })
  windowStart!: Date;
  @Field(() => DateTimeISO, { description: "End of the wanted time window; an unmatched request expires then, a matched one asks for its outcome (`outcomeDue`)." })
  windowEnd!: Date;
  @Field(() => HelpRequestStatus, { description: "Where the request is in its lifecycle." })
  status!: `${HelpRequestStatus}`;
  @Field(() => String, { nullable: true, description: "The language the person helped needs (ISO 639 code), if it was stated." })
  language!: string | null;
  @Field(() => ContactVia, { description: "Whom the matched volunteer contacts: the person helped or whoever asked." })
  contactVia!: `${ContactVia}`;
  @Field(() => DateTimeISO, { description: "When it was asked." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { description: "When it last changed." })
  updatedAt!: Date;
}

@ObjectType("ContactDetails", { description: "Personal details of the person helped (special-category data; every read is logged)." })
export class ContactDetails {
  @Field(() => String, { description: "Full name." })
  fullName!: string;
  @Field(() => String, { nullable: true, description: "Address where help is needed." })
  address!: string | null;
  @Field(() => String, { nullable: true, description: "Phone number." })
  phone!: string | null;
}

/** A transition as the API shows it; the stored HelpRequestEventRow is checked against it as for HelpRequest. */
@ObjectType("HelpRequestEvent", { implements: Node, description: "One transition of a help request, with who made it and when." })
export class HelpRequestEvent extends Node {
  @Field(() => HelpRequestStatus, { nullable: true, description: "Status before; null when the request was created." })
  fromStatus!: `${HelpRequestStatus}` | null;
  @Field(() => HelpRequestStatus, { description: "Status after." })
  toStatus!: `${HelpRequestStatus}`;
  @Field(() => String, { nullable: true, description: "Note given with the change (e.g. a reason to release)." })
  note!: string | null;
  @Field(() => DateTimeISO, { description: "When it happened." })
  at!: Date;
}

@ObjectType("HelpRequestFeedItem", {
  description: "One event of a help-request subscription. Keep `cursor` and pass it as `since` when you reconnect to get what you missed.",
})
export class HelpRequestFeedItem {
  @Field(() => String, { description: "Position of this event in the event log; pass it as `since` to resume after it." })
  cursor!: string;
  @Field(() => Float, { description: "The same position as a number, increasing: drop an event whose sequence you have seen." })
  sequence!: number;
  @Field(() => String, {
    description: "What happened: POSTED, REOPENED, OUTCOME_DUE (a matched request's window ended: did the help happen?), or the new status (MATCHED, DONE, EXPIRED, ...).",
  })
  kind!: string;
  @Field(() => HelpRequest, { description: "The request as it is now." })
  helpRequest!: HelpRequest;
}

export const HelpRequestConnection = connectionTypes("HelpRequest", HelpRequest, "help requests", {
  totalCount:
    "How many requests the whole list holds, across all pages: for your own requests and an organisation's asked ones. Null when browsing open requests (`openHelpRequests`, an organisation's `openHelpRequests`): those are read page by page along an index and a count would read every fitting open request for each page.",
  nullableCount: true,
});
