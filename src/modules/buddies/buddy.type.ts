import { Extensions, Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node } from "../../graphql/relay.js";
import { Neighbourhood } from "../places/place.types.js";
import { StatCount, StatMeasure } from "../stats/stats.type.js";

export enum BuddyProgrammeKind {
  YOUNG_PARENTS = "YOUNG_PARENTS",
  DIVORCING_PARENTS = "DIVORCING_PARENTS",
  STATUSHOUDERS = "STATUSHOUDERS",
  LONELY_ELDERLY = "LONELY_ELDERLY",
  OTHER = "OTHER",
}
registerEnumType(BuddyProgrammeKind, {
  name: "BuddyProgrammeKind",
  description: "What a buddy (maatje) programme is for.",
  valuesConfig: {
    YOUNG_PARENTS: { description: "Experienced volunteers supporting young parents in vulnerable situations (Goede start)." },
    DIVORCING_PARENTS: { description: "Trained volunteers guiding divorcing parents to agreements about their children." },
    STATUSHOUDERS: { description: "A good start for statushouders (refugees with a residence permit): a taalmaatje." },
    LONELY_ELDERLY: { description: "Company for lonely elderly people." },
    OTHER: { description: "A programme of the municipality's own, named in kindName." },
  },
});

export enum BuddyFrequency {
  WEEKLY = "WEEKLY",
  FORTNIGHTLY = "FORTNIGHTLY",
  MONTHLY = "MONTHLY",
}
registerEnumType(BuddyFrequency, {
  name: "BuddyFrequency",
  description: "How often a buddy and participant are expected to meet (and check in).",
  valuesConfig: {
    WEEKLY: { description: "Once a week (a check-in every 7 days)." },
    FORTNIGHTLY: { description: "Every two weeks (every 14 days)." },
    MONTHLY: { description: "Once a month (every 31 days)." },
  },
});

export enum BuddyReferral {
  PROFESSIONAL = "PROFESSIONAL",
  DESK = "DESK",
  SELF = "SELF",
}
registerEnumType(BuddyReferral, {
  name: "BuddyReferral",
  description: "How a participant came to the programme.",
  valuesConfig: {
    PROFESSIONAL: { description: "Referred by a professional." },
    DESK: { description: "Referred by a neighbourhood desk (an organiser)." },
    SELF: { description: "Signed up themself." },
  },
});

export enum BuddyParticipantStatus {
  WAITING = "WAITING",
  MATCHED = "MATCHED",
  ENDED = "ENDED",
}
registerEnumType(BuddyParticipantStatus, {
  name: "BuddyParticipantStatus",
  description: "Where a participant stands: waiting for a buddy, matched, or done.",
  valuesConfig: { WAITING: { description: "On the waiting list." }, MATCHED: { description: "Matched with a buddy." }, ENDED: { description: "Their match ended." } },
});

export enum BuddyStatus {
  APPLIED = "APPLIED",
  ACTIVE = "ACTIVE",
}
registerEnumType(BuddyStatus, {
  name: "BuddyStatus",
  description: "A buddy's standing.",
  valuesConfig: {
    APPLIED: { description: "Applied; the programme's training is not yet recorded." },
    ACTIVE: { description: "May be matched (a VOG still applies where the programme asks one)." },
  },
});

export enum BuddyMatchStatus {
  ACTIVE = "ACTIVE",
  PAUSED = "PAUSED",
  ENDED = "ENDED",
}
registerEnumType(BuddyMatchStatus, {
  name: "BuddyMatchStatus",
  description: "A match's state.",
  valuesConfig: {
    ACTIVE: { description: "Running; check-ins are due." },
    PAUSED: { description: "Paused; no check-ins are due." },
    ENDED: { description: "Ended; each side may evaluate it once." },
  },
});

export enum BuddyMatchRole {
  BUDDY = "BUDDY",
  PARTICIPANT = "PARTICIPANT",
}
registerEnumType(BuddyMatchRole, {
  name: "BuddyMatchRole",
  description: "A side of a match.",
  valuesConfig: { BUDDY: { description: "The volunteer buddy." }, PARTICIPANT: { description: "The participant." } },
});

export enum BuddySignalKind {
  MISSED_CHECKIN = "MISSED_CHECKIN",
  ESCALATION_DUE = "ESCALATION_DUE",
}
registerEnumType(BuddySignalKind, {
  name: "BuddySignalKind",
  description: "What the sweep signals to a programme's coordinators.",
  valuesConfig: {
    MISSED_CHECKIN: { description: "A check-in was not made within the grace days after it was due." },
    ESCALATION_DUE: { description: "Several check-ins in a row were missed: the coordinator should consider a professional team." },
  },
});

export enum BuddyCandidateReason {
  SHARED_LANGUAGE = "SHARED_LANGUAGE",
  SAME_NEIGHBOURHOOD = "SAME_NEIGHBOURHOOD",
  NEAR_NEIGHBOURHOOD = "NEAR_NEIGHBOURHOOD",
  SHARED_INTERESTS = "SHARED_INTERESTS",
  AVAILABILITY_OVERLAP = "AVAILABILITY_OVERLAP",
  LOW_LOAD = "LOW_LOAD",
}
registerEnumType(BuddyCandidateReason, {
  name: "BuddyCandidateReason",
  description: "Why a buddy is proposed for a participant.",
  valuesConfig: {
    SHARED_LANGUAGE: { description: "They speak a language in common." },
    SAME_NEIGHBOURHOOD: { description: "They live in the same neighbourhood." },
    NEAR_NEIGHBOURHOOD: { description: "They live in neighbourhoods of the same area." },
    SHARED_INTERESTS: { description: "They share interests." },
    AVAILABILITY_OVERLAP: { description: "They can meet on the same weekdays." },
    LOW_LOAD: { description: "The buddy has no participant yet." },
  },
});

@ObjectType("BuddyProgramme", { implements: Node, description: "A buddy (maatje) programme an organisation runs. Its description is public; its people are not." })
export class BuddyProgramme extends Node {
  @Field(() => String, { description: "Name of the programme." })
  name!: string;
  @Field(() => BuddyProgrammeKind, { description: "What it is for." })
  kind!: BuddyProgrammeKind;
  @Field(() => String, { nullable: true, description: "The municipality's own name of an OTHER programme." })
  kindName!: string | null;
  @Field(() => String, { description: "Who the programme is for (intake criteria)." })
  intakeCriteria!: string;
  @Field(() => String, { nullable: true, description: "The training a buddy must follow before a match; null when none." })
  trainingName!: string | null;
  @Field(() => Boolean, { description: "Whether buddies need a verified VOG (always when working with minors or families)." })
  vogRequired!: boolean;
  @Field(() => Boolean, { description: "Whether buddies work with minors or families." })
  worksWithMinorsOrFamilies!: boolean;
  @Field(() => BuddyFrequency, { description: "How often buddy and participant meet." })
  frequency!: BuddyFrequency;
  @Field(() => Int, { description: "Expected duration of a match: at least this many months." })
  minMonths!: number;
  @Field(() => Int, { description: "Expected duration of a match: at most this many months." })
  maxMonths!: number;
  organisationId!: string;
}

@ObjectType("BuddyPersonDetails", {
  description: "What a programme shows of a person: first name, neighbourhood and languages (interests to coordinators only). Every read by someone else is logged.",
})
export class BuddyPersonDetails {
  @Field(() => String, { description: "First name." })
  firstName!: string;
  @Field(() => Neighbourhood, { nullable: true, description: "Neighbourhood." })
  neighbourhood!: Neighbourhood | null;
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Languages spoken." })
  languages!: string[];
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { nullable: true, description: "Interests; null unless you coordinate the programme or they are yours." })
  interests!: string[] | null;
}

@ObjectType("BuddyContact", { description: "Contact details: for the programme's coordinators, and for the other side of a match that has not ended." })
export class BuddyContact {
  @Field(() => String, { description: "Full name." })
  fullName!: string;
  @Field(() => String, { nullable: true, description: "Phone number." })
  phone!: string | null;
  @Field(() => String, { nullable: true, description: "E-mail address." })
  email!: string | null;
}

@ObjectType("BuddyParticipant", { implements: Node, description: "A participant of a programme: seen by its coordinators, themself, and their matched buddy." })
export class BuddyParticipant extends Node {
  @Field(() => BuddyParticipantStatus, { description: "Waiting, matched or ended." })
  status!: BuddyParticipantStatus;
  @Field(() => BuddyReferral, { description: "Referred by a professional, a desk, or signed up themself." })
  referral!: BuddyReferral;
  @Field(() => DateTimeISO, { description: "When they were referred: the waiting list's order." })
  referredAt!: Date;
  @Field(() => DateTimeISO, { description: "When their consent was recorded." })
  consentAt!: Date;
  programmeId!: string;
  personId!: string;
}

@ObjectType("Buddy", { implements: Node, description: "A volunteer who applied as a buddy in a programme: seen by its coordinators, themself, and their matched participants." })
export class Buddy extends Node {
  @Field(() => BuddyStatus, { description: "Applied or active." })
  status!: BuddyStatus;
  @Field(() => Int, { description: "How many participants at once." })
  capacity!: number;
  @Field(() => DateTimeISO, { nullable: true, description: "When the coordinator recorded the programme's training." })
  trainedAt!: Date | null;
  @Field(() => DateTimeISO, { description: "When they applied." })
  appliedAt!: Date;
  programmeId!: string;
  personId!: string;
}

@ObjectType("BuddyCandidate", { description: "A buddy proposed for a participant, with the reasons they fit." })
export class BuddyCandidate {
  @Field(() => Buddy, { description: "The buddy." })
  buddy!: Buddy;
  @Field(() => Float, { description: "Higher is a better fit; the list is ordered by it." })
  score!: number;
  @Extensions({ maxItems: 6 })
  @Field(() => [BuddyCandidateReason], { description: "Why they fit." })
  reasons!: BuddyCandidateReason[];
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Languages both speak." })
  sharedLanguages!: string[];
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Interests both have." })
  sharedInterests!: string[];
  @Extensions({ maxItems: 7 })
  @Field(() => [Int], { description: "ISO weekdays (1 = Monday) both can meet." })
  sharedWeekdays!: number[];
  @Field(() => Int, { description: "Participants the buddy has now." })
  currentLoad!: number;
}

@ObjectType("BuddyMatch", { implements: Node, description: "A participant and a buddy matched in a programme: seen by its coordinators and its two people." })
export class BuddyMatch extends Node {
  @Field(() => BuddyMatchStatus, { description: "Active, paused or ended." })
  status!: BuddyMatchStatus;
  @Field(() => DateTimeISO, { description: "When it started." })
  startedAt!: Date;
  @Field(() => DateTimeISO, { description: "The planned end (may lie well beyond 90 days); moved on by pauses." })
  plannedEndAt!: Date;
  @Field(() => Int, { description: "Days between check-ins." })
  checkinEveryDays!: number;
  @Field(() => DateTimeISO, { description: "When the next check-in is due." })
  nextCheckinDue!: Date;
  @Field(() => Int, { description: "Check-ins missed in a row." })
  missedInRow!: number;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was paused, while it is." })
  pausedAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When it ended." })
  endedAt!: Date | null;
  programmeId!: string;
  participantId!: string;
  buddyId!: string;
}

@ObjectType("BuddyCheckin", { description: "A check-in of a match." })
export class BuddyCheckin {
  @Field(() => DateTimeISO, { description: "When." })
  at!: Date;
  @Field(() => BuddyMatchRole, { description: "Who checked in." })
  by!: BuddyMatchRole;
  @Field(() => String, { nullable: true, description: "A short note." })
  note!: string | null;
}

@ObjectType("BuddyEvaluation", { description: "One side's evaluation of an ended match." })
export class BuddyEvaluation {
  @Field(() => BuddyMatchRole, { description: "Whose." })
  role!: BuddyMatchRole;
  @Field(() => Boolean, { description: "Whether it went well." })
  wentWell!: boolean;
  @Field(() => String, { nullable: true, description: "A note." })
  note!: string | null;
  @Field(() => DateTimeISO, { description: "When it was given." })
  at!: Date;
}

@ObjectType("BuddySignal", { implements: Node, description: "A signal to a programme's coordinators about a match (a missed check-in, an escalation due)." })
export class BuddySignal extends Node {
  @Field(() => BuddySignalKind, { description: "What happened." })
  kind!: BuddySignalKind;
  @Field(() => DateTimeISO, { description: "When the missed check-in was due." })
  dueAt!: Date;
  @Field(() => DateTimeISO, { description: "When the sweep found it." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When a coordinator acknowledged it." })
  acknowledgedAt!: Date | null;
  matchId!: string;
}

@ObjectType("BuddyProgrammeMonth", { description: "A programme's figures for one month (Europe/Amsterdam), withheld under the statistics' small-cell rule." })
export class BuddyProgrammeMonth {
  @Field(() => String, { description: "The month, YYYY-MM." })
  month!: string;
  @Field(() => StatCount, { description: "Participants waiting at the month's end." })
  waiting!: StatCount;
  @Field(() => StatCount, { description: "Matches running at some time in the month." })
  matched!: StatCount;
  @Field(() => StatCount, { description: "Matches started in the month." })
  started!: StatCount;
  @Field(() => StatCount, { description: "Matches ended in the month." })
  ended!: StatCount;
  @Field(() => StatCount, { description: "Matches ended in the month that both sides said went well." })
  endedWell!: StatCount;
  @Field(() => StatMeasure, { description: "Mean duration in days (pauses left out) of the matches ended in the month." })
  meanDurationDays!: StatMeasure;
}
