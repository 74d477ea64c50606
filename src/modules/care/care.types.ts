import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { Node, connectionTypes } from "../../graphql/relay.js";

export enum CircleRole {
  COORDINATOR = "COORDINATOR",
  MEMBER = "MEMBER",
}
registerEnumType(CircleRole, { name: "CircleRole", description: "A member's part in a care circle: the coordinator (usually the main mantelzorger) or a member." });

export enum Relation {
  FAMILY = "FAMILY",
  FRIEND = "FRIEND",
  NEIGHBOUR = "NEIGHBOUR",
  VOLUNTEER = "VOLUNTEER",
  OTHER = "OTHER",
}
registerEnumType(Relation, { name: "Relation", description: "How a member relates to the care receiver." });

export enum CareShiftStatus {
  OPEN = "OPEN",
  COVERED = "COVERED",
  DONE = "DONE",
  MISSED = "MISSED",
  CANCELLED = "CANCELLED",
}
registerEnumType(CareShiftStatus, {
  name: "CareShiftStatus",
  description: "Lifecycle of a shift: OPEN -> COVERED -> DONE, or MISSED; CANCELLED when its task no longer has it.",
});

export enum ShiftOutcome {
  DONE = "DONE",
  MISSED = "MISSED",
}
registerEnumType(ShiftOutcome, { name: "ShiftOutcome", description: "How a shift that started went." });

export enum SwapStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  CANCELLED = "CANCELLED",
}
registerEnumType(SwapStatus, { name: "SwapStatus", description: "State of a swap proposal between two members." });

export enum Strain {
  LOW = "LOW",
  MODERATE = "MODERATE",
  HIGH = "HIGH",
}
registerEnumType(Strain, { name: "Strain", description: "How heavy caring feels, from the periodic check-in (belasting)." });

export enum LoadReason {
  INTENSIVE_HOURS = "INTENSIVE_HOURS",
  HIGH_STRAIN = "HIGH_STRAIN",
}
registerEnumType(LoadReason, {
  name: "LoadReason",
  description: "Why a member is flagged as (at risk of) overload (overbelasting).",
  valuesConfig: {
    INTENSIVE_HOURS: { description: "More than 8 hours of care a week for more than 3 months (SCP's threshold for intensive care)." },
    HIGH_STRAIN: { description: "Reported high strain in the latest check-in." },
  },
});

export enum CareCircleEventKind {
  MEMBER_JOINED = "MEMBER_JOINED",
  MEMBER_LEFT = "MEMBER_LEFT",
  COORDINATION_HANDED_OVER = "COORDINATION_HANDED_OVER",
  SHIFTS_CHANGED = "SHIFTS_CHANGED",
  SHIFT_CLAIMED = "SHIFT_CLAIMED",
  SHIFT_RELEASED = "SHIFT_RELEASED",
  COVER_REQUESTED = "COVER_REQUESTED",
  SWAP_PROPOSED = "SWAP_PROPOSED",
  SWAP_ACCEPTED = "SWAP_ACCEPTED",
  SWAP_DECLINED = "SWAP_DECLINED",
  SHIFT_DONE = "SHIFT_DONE",
  SHIFT_MISSED = "SHIFT_MISSED",
  GAP_POSTED = "GAP_POSTED",
  LOAD_SIGNAL = "LOAD_SIGNAL",
}
registerEnumType(CareCircleEventKind, { name: "CareCircleEventKind", description: "What changed in a care circle." });

@ObjectType("CareCircle", {
  implements: Node,
  description: "A care circle (zorgnetwerk): the people around one care receiver who share the care. Visible to its members only.",
})
export class CareCircle extends Node {
  @Field(() => String, { description: "Name of the circle, e.g. 'Zorg voor moeder'." })
  name!: string;
  @Field(() => GraphQLDateTimeISO, { description: "When the circle was started." })
  createdAt!: Date;
}

@ObjectType("CareCircleMember", { description: "A member of a care circle." })
export class CareCircleMember {
  @Field(() => CircleRole, { description: "Coordinator or member." })
  role!: CircleRole;
  @Field(() => Relation, { description: "Relation to the care receiver." })
  relation!: Relation;
  @Field(() => GraphQLDateTimeISO, { description: "When they joined." })
  joinedAt!: Date;
}

@ObjectType("CareTask", {
  implements: Node,
  description: "A care task (zorgtaak): one-off or recurring, from which shifts are derived for at least eight weeks ahead.",
})
export class CareTask extends Node {
  @Field(() => String, { description: "What has to be done." })
  title!: string;
  @Field(() => String, { nullable: true, description: "Care notes for whoever does it (members, and the volunteer covering a shift)." })
  notes!: string | null;
  @Field(() => Boolean, { description: "Whether a volunteer covering a gap needs a verified VOG." })
  vogRequired!: boolean;
  @Field(() => String, { description: "First (or only) date, YYYY-MM-DD (Europe/Amsterdam)." })
  startDate!: string;
  @Field(() => String, { description: "Local start time, HH:MM." })
  startTime!: string;
  @Field(() => Int, { description: "Duration in minutes." })
  durationMinutes!: number;
  @Field(() => [Int], { description: "ISO weekdays it repeats on (1 = Monday); empty for a one-off." })
  weekdays!: number[];
  @Field(() => Int, { description: "Repeats every N weeks." })
  intervalWeeks!: number;
  @Field(() => String, { nullable: true, description: "Last date (inclusive), or null for no end." })
  endDate!: string | null;
}

@ObjectType("CareShift", { implements: Node, description: "One occurrence of a care task (dienst), which a member or a volunteer covers." })
export class CareShift extends Node {
  @Field(() => GraphQLDateTimeISO, { description: "Start." })
  startsAt!: Date;
  @Field(() => GraphQLDateTimeISO, { description: "End." })
  endsAt!: Date;
  @Field(() => CareShiftStatus, { description: "Where the shift stands." })
  status!: CareShiftStatus;
  @Field(() => Boolean, { description: "Held by someone, but its task changed since: check it with them." })
  flagged!: boolean;
  @Field(() => Boolean, { description: "The holder gave it back asking the circle to cover it." })
  coverRequested!: boolean;
  @Field(() => ID, { nullable: true, description: "The help request to volunteers made for this shift when nobody in the circle took it." })
  helpRequestId!: string | null;
}

@ObjectType("CareSwap", { implements: Node, description: "A proposal to hand a shift to another member, who accepts or declines." })
export class CareSwap extends Node {
  @Field(() => SwapStatus, { description: "State of the proposal." })
  status!: SwapStatus;
  @Field(() => GraphQLDateTimeISO, { description: "When it was proposed." })
  createdAt!: Date;
}

@ObjectType("CareInvitation", { description: "A single-use invitation to a care circle. The code is shown once; pass it to joinCareCircle." })
export class CareInvitation {
  @Field(() => String, { description: "The invitation code." })
  code!: string;
  @Field(() => GraphQLDateTimeISO, { description: "After this the code no longer works." })
  expiresAt!: Date;
}

@ObjectType("WeekHours", { description: "Hours of care in one week (Monday to Sunday, Europe/Amsterdam)." })
export class WeekHours {
  @Field(() => String, { description: "Monday of the week, YYYY-MM-DD." })
  weekStart!: string;
  @Field(() => Float, { description: "Hours of the shifts held that week." })
  hours!: number;
}

@ObjectType("LoadSignal", { description: "A stored overload signal; sustained ones are routed to the sociaal wijkteam." })
export class LoadSignal {
  @Field(() => LoadReason, { description: "Why." })
  reason!: LoadReason;
  @Field(() => String, { description: "In words." })
  detail!: string;
  @Field(() => GraphQLDateTimeISO, { description: "Since when the signal holds." })
  since!: Date;
  @Field(() => Boolean, { description: "Held for longer than the sustained-overload period." })
  sustained!: boolean;
}

@ObjectType("MemberLoad", { description: "A member's care load (mantelzorgbelasting)." })
export class MemberLoad {
  @Field(() => [WeekHours], { description: "Hours per week, oldest first, this week last." })
  weeks!: WeekHours[];
  @Field(() => Float, { description: "Average hours per week over those weeks." })
  averageHours!: number;
  @Field(() => Boolean, { description: "Above SCP's threshold: more than 8 hours a week in each of the last 13 weeks." })
  intensive!: boolean;
  @Field(() => Strain, { nullable: true, description: "Strain reported in the latest check-in." })
  latestStrain!: string | null;
  @Field(() => [LoadSignal], { description: "Open overload signals." })
  signals!: LoadSignal[];
}

@ObjectType("CareCircleChange", { description: "Something changed in a care circle. Keep `cursor` and pass it as `since` when you reconnect." })
export class CareCircleChange {
  @Field(() => CareCircleEventKind, { description: "What happened." })
  kind!: CareCircleEventKind;
  @Field(() => String, { description: "Position of this event in the event log; pass it as `since` to resume after it." })
  cursor!: string;
}

export const CareShiftConnection = connectionTypes("CareShift", CareShift, "care shifts");
