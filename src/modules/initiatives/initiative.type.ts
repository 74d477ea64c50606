import { Extensions, Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import type { InitiativeChangeKind } from "./initiative.events.js";
import type { Frequency } from "./initiative.tables.js";

export enum InitiativeKind {
  ACTIVITY = "ACTIVITY",
  MEETING_PLACE = "MEETING_PLACE",
  COURSE = "COURSE",
  SERVICE = "SERVICE",
  PARTICIPATION_PLACE = "PARTICIPATION_PLACE",
}
registerEnumType(InitiativeKind, {
  name: "InitiativeKind",
  description: "What an initiative offers.",
  valuesConfig: {
    ACTIVITY: { description: "An activity: a walk, a cooking evening, a repair café." },
    MEETING_PLACE: { description: "A meeting place (ontmoetingsplek): a coffee morning, a lunch table." },
    COURSE: { description: "A course or workshop, usually a series of dates." },
    SERVICE: { description: "A service or consultation hour, e.g. help with forms." },
    PARTICIPATION_PLACE: { description: "Participation places (participatieplekken) at a learning-work company; reached through a professional's referral." },
  },
});

export enum InitiativeChange {
  PUBLISHED = "PUBLISHED",
  RESCHEDULED = "RESCHEDULED",
  PLACES_FREED = "PLACES_FREED",
  CANCELLED = "CANCELLED",
  ENDED = "ENDED",
}
registerEnumType(InitiativeChange, {
  name: "InitiativeChange",
  description: "What happened to a public initiative, in an `initiativePublished` event. More values may be added: treat an unknown one as a change to reload.",
  valuesConfig: {
    PUBLISHED: { description: "It became public: published by a verified organisation, or its organisation was verified." },
    RESCHEDULED: { description: "Its dates changed." },
    PLACES_FREED: { description: "Places came free for new sign-ups (a sign-up was cancelled with nobody waiting, or the capacity was raised)." },
    CANCELLED: { description: "It was called off." },
    ENDED: { description: "Its organisers marked it as over." },
  },
});

export enum InitiativeStatus {
  DRAFT = "DRAFT",
  PUBLISHED = "PUBLISHED",
  CANCELLED = "CANCELLED",
  ENDED = "ENDED",
}
registerEnumType(InitiativeStatus, {
  name: "InitiativeStatus",
  description: "Lifecycle: DRAFT -> PUBLISHED -> CANCELLED or ENDED.",
  valuesConfig: {
    DRAFT: { description: "Being prepared; only its organisers see it." },
    PUBLISHED: { description: "Public (once the organisation is verified) and open for sign-up." },
    CANCELLED: { description: "Called off; every sign-up was cancelled." },
    ENDED: { description: "Over; sign-ups are kept as history." },
  },
});

export enum InitiativeOrder {
  RELEVANCE = "RELEVANCE",
  SOONEST = "SOONEST",
  NEWEST = "NEWEST",
}
registerEnumType(InitiativeOrder, {
  name: "InitiativeOrder",
  description: "Order of discovered initiatives.",
  valuesConfig: {
    RELEVANCE: { description: "Best text match first (needs `filter.text`; otherwise SOONEST)." },
    SOONEST: { description: "Next date first; initiatives without dates (always open) last." },
    NEWEST: { description: "Most recently published first." },
  },
});

export enum RecurrenceFrequency {
  DAILY = "DAILY",
  WEEKLY = "WEEKLY",
  MONTHLY = "MONTHLY",
}
registerEnumType(RecurrenceFrequency, {
  name: "RecurrenceFrequency",
  description: "Unit in which recurring dates repeat (in the city's local time, Europe/Amsterdam).",
  valuesConfig: {
    DAILY: { description: "Every `interval` days, at the same local time." },
    WEEKLY: { description: "Every `interval` weeks, on the same weekday and local time." },
    MONTHLY: { description: "Every `interval` months, on the same day of the month (the last day in a shorter month) and local time." },
  },
});

/**
 * The columns of an initiative the Initiative type shows as they are. An initiative's row is the
 * source of an Initiative (its field resolvers read the row's organisation, categories, audience,
 * counts and dates), so the fields are typed by the row: the compiler checks that a row holds every
 * field (docs/decisions.md, 24).
 */
type InitiativeColumns = Pick<
  InitiativeRow,
  | "id"
  | "kind"
  | "status"
  | "title"
  | "description"
  | "address"
  | "capacity"
  | "takenCount"
  | "waitlistCount"
  | "accessibility"
  | "firstStartsAt"
  | "lastEndsAt"
  | "publishedAt"
  | "closedAt"
  | "closeReason"
  | "createdAt"
  | "updatedAt"
>;

@ObjectType("Initiative", {
  implements: Node,
  description:
    "A neighbourhood initiative (buurtinitiatief): an activity, meeting place, course, service or participation place offered by an organisation, with dates, capacity and an audience. Published initiatives of verified organisations are public.",
})
export class Initiative extends Node implements InitiativeColumns {
  @Field(() => InitiativeKind, { description: "What it offers." })
  kind!: InitiativeColumns["kind"];
  @Field(() => InitiativeStatus, { description: "Where it is in its lifecycle." })
  status!: InitiativeColumns["status"];
  @Field(() => String, { description: "Title, e.g. 'Koffieochtend in de wijkwinkel'." })
  title!: string;
  @Field(() => String, { description: "What to expect, in the organiser's words." })
  description!: string;
  @Field(() => String, { nullable: true, description: "Where it takes place." })
  address!: string | null;
  @Field(() => Int, { nullable: true, description: "Number of places; null when unlimited. For participation places: the places offered." })
  capacity!: number | null;
  // placesTaken and waitingListLength are published through InitiativeResolver (small numbers withheld).
  takenCount!: number;
  waitlistCount!: number;
  @Field(() => String, { nullable: true, description: "Accessibility notes: wheelchair access, hearing loop, stairs, ..." })
  accessibility!: string | null;
  @Field(() => DateTimeISO, { nullable: true, description: "Start of the first date; null for an initiative without dates (always open)." })
  firstStartsAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "End of the last date; null for an initiative without dates." })
  lastEndsAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was published; null while a draft." })
  publishedAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was cancelled or ended." })
  closedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Why it was cancelled or ended." })
  closeReason!: string | null;
  @Field(() => DateTimeISO, { description: "When it was created." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { description: "When it last changed." })
  updatedAt!: Date;
}

@ObjectType("InitiativeFeedItem", {
  description: "One event of the `initiativePublished` subscription. Keep `cursor` and pass it as `since` when you reconnect to get what you missed.",
})
export class InitiativeFeedItem {
  @Field(() => String, { description: "Position of this event in the event log; pass it as `since` to resume after it." })
  cursor!: string;
  @Field(() => Float, { description: "The same position as a number, increasing: drop an event whose sequence you have seen." })
  sequence!: number;
  @Field(() => String, { description: "What happened, as text: the same value as `change` (PUBLISHED, RESCHEDULED, PLACES_FREED, CANCELLED, ENDED)." })
  kind!: string;
  @Field(() => InitiativeChange, { description: "What happened: it became public, its dates changed, places came free, or it was cancelled or ended." })
  change!: InitiativeChangeKind;
  @Field(() => Initiative, { description: "The initiative as it is now." })
  initiative!: Initiative;
}

@ObjectType("InitiativeDate", { description: "One date (datum) of an initiative: when it starts and ends." })
export class InitiativeDate {
  @Field(() => DateTimeISO, { description: "Start." })
  startsAt!: Date;
  @Field(() => DateTimeISO, { description: "End." })
  endsAt!: Date;
}

@ObjectType("InitiativeAudience", { description: "Who an initiative is for (doelgroep)." })
export class InitiativeAudience {
  @Field(() => Int, { nullable: true, description: "Youngest age welcome; null for no lower bound." })
  minAge!: number | null;
  @Field(() => Int, { nullable: true, description: "Oldest age welcome; null for no upper bound." })
  maxAge!: number | null;
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Languages spoken (codes such as nl, en, ar, tr); empty when not specified." })
  languages!: string[];
}

@ObjectType("Recurrence", { description: "How the dates of a recurring initiative repeat." })
export class Recurrence {
  @Field(() => RecurrenceFrequency, { description: "Daily, weekly or monthly." })
  frequency!: Frequency;
  @Field(() => Int, { description: "Every how many days, weeks or months." })
  interval!: number;
  @Field(() => Int, { nullable: true, description: "Number of dates, when limited by count." })
  count!: number | null;
  @Field(() => DateTimeISO, { nullable: true, description: "No date starts after this moment." })
  until!: Date | null;
}

export const InitiativeConnection = connectionTypes("Initiative", Initiative, "initiatives");
