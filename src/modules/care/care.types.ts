import { Extensions, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import { HelpRequestStatus } from "../help-requests/help-request.type.js";
import type { MemberLoad as MemberLoadRow } from "./care-load.service.js";
import type { CircleRow, MemberRow, ShiftRow, SwapRow, TaskRow } from "./care.rows.js";

export enum CircleRole {
  COORDINATOR = "COORDINATOR",
  MEMBER = "MEMBER",
}
registerEnumType(CircleRole, {
  name: "CircleRole",
  description: "A member's part in a care circle: the coordinator (usually the main mantelzorger) or a member.",
  valuesConfig: {
    COORDINATOR: { description: "Runs the circle: invites members, plans the care tasks, asks for respite; one per circle, who hands over before leaving." },
    MEMBER: { description: "Shares the care: claims, gives back and swaps shifts, and checks in on their own load." },
  },
});

export enum Relation {
  FAMILY = "FAMILY",
  FRIEND = "FRIEND",
  NEIGHBOUR = "NEIGHBOUR",
  VOLUNTEER = "VOLUNTEER",
  OTHER = "OTHER",
}
registerEnumType(Relation, {
  name: "Relation",
  description: "How a member relates to the care receiver.",
  valuesConfig: {
    FAMILY: { description: "Family (familie): partner, child, parent, sibling or another relative." },
    FRIEND: { description: "A friend (vriend) of the care receiver." },
    NEIGHBOUR: { description: "A neighbour (buur) of the care receiver." },
    VOLUNTEER: { description: "A volunteer (vrijwilliger) who joined the circle to help regularly, not just to cover one gap." },
    OTHER: { description: "Any other relation, e.g. an acquaintance from a club or church." },
  },
});

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
  valuesConfig: {
    OPEN: { description: "Nobody holds it: members can claim it; close to its start it is posted to volunteers as a help request." },
    COVERED: { description: "Held by a member, or by the volunteer who accepted the help request posted for it." },
    DONE: { description: "It took place: recorded by its holder or the coordinator, or the volunteer completed the help request." },
    MISSED: { description: "It did not take place: recorded as missed after it started, or it ended while still open." },
    CANCELLED: { description: "No longer in the schedule: its task changed or ended while nobody held the shift." },
  },
});

export enum ShiftOutcome {
  DONE = "DONE",
  MISSED = "MISSED",
}
registerEnumType(ShiftOutcome, {
  name: "ShiftOutcome",
  description: "How a shift that started went.",
  valuesConfig: {
    DONE: { description: "The care was given as planned; the shift becomes DONE." },
    MISSED: { description: "The care was not given; the shift becomes MISSED." },
  },
});

export enum SwapStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  CANCELLED = "CANCELLED",
}
registerEnumType(SwapStatus, {
  name: "SwapStatus",
  description: "State of a swap proposal between two members.",
  valuesConfig: {
    PENDING: { description: "Waiting for the member asked to accept or decline." },
    ACCEPTED: { description: "The member asked took the shift over and now holds it." },
    DECLINED: { description: "The member asked said no; the shift stays with the member who proposed the swap." },
    CANCELLED: { description: "Void without an answer: a newer proposal for the same shift replaced it, or the holder gave the shift back." },
  },
});

export enum Strain {
  LOW = "LOW",
  MODERATE = "MODERATE",
  HIGH = "HIGH",
}
registerEnumType(Strain, {
  name: "Strain",
  description: "How heavy caring feels, from the periodic check-in (belasting).",
  valuesConfig: {
    LOW: { description: "Caring feels manageable (licht belast)." },
    MODERATE: { description: "Caring feels heavy at times (matig belast); no signal is raised." },
    HIGH: { description: "Caring feels too heavy (zwaar belast): raises a HIGH_STRAIN overload signal, which goes to a professional team when it lasts." },
  },
});

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
  SWAP_WITHDRAWN = "SWAP_WITHDRAWN",
  SHIFT_DONE = "SHIFT_DONE",
  SHIFT_MISSED = "SHIFT_MISSED",
  GAP_POSTED = "GAP_POSTED",
  GAP_COVERED = "GAP_COVERED",
  LOAD_SIGNAL = "LOAD_SIGNAL",
  MESSAGE_POSTED = "MESSAGE_POSTED",
}
registerEnumType(CareCircleEventKind, {
  name: "CareCircleEventKind",
  description: "What changed in a care circle.",
  valuesConfig: {
    MEMBER_JOINED: { description: "Someone joined the circle with an invitation code." },
    MEMBER_LEFT: { description: "A member left the circle; the future shifts they held are open again (each also sent as SHIFT_RELEASED)." },
    COORDINATION_HANDED_OVER: { description: "The coordinator handed coordination of the circle to another member." },
    SHIFTS_CHANGED: { description: "Shifts were added, moved, cancelled or flagged because a care task was added, changed or removed, or the schedule was extended." },
    SHIFT_CLAIMED: { description: "A member claimed an open shift, or a volunteer accepted the help request posted for it." },
    SHIFT_RELEASED: { description: "A shift is open again: its holder gave it back or left the circle, or the volunteer released its help request." },
    COVER_REQUESTED: { description: "The holder gave a shift back and asked the other members to cover it." },
    SWAP_PROPOSED: { description: "The holder of a shift proposed to hand it to another member." },
    SWAP_ACCEPTED: { description: "The member asked accepted a swap and now holds the shift." },
    SWAP_DECLINED: { description: "The member asked declined a swap; the shift stays with its holder." },
    SWAP_WITHDRAWN: { description: "A pending swap was withdrawn: its proposer or the member asked left, its shift started unanswered, or its holder no longer holds it." },
    SHIFT_DONE: { description: "A shift was recorded as done, or the volunteer covering it completed the help request." },
    SHIFT_MISSED: { description: "A shift was recorded as missed, or it ended while nobody held it." },
    GAP_POSTED: { description: "An open shift close to its start was posted to volunteers as a help request (a gap nobody in the circle could fill)." },
    GAP_COVERED: {
      description: "A volunteer accepted the help request posted for a gap and now holds the shift (sent right after the SHIFT_CLAIMED of the same change).",
    },
    LOAD_SIGNAL: {
      description:
        "A new signal was raised: a member's overload (overbelasting: intensive care hours or high strain), or repeated missed shifts in the circle. Sent to the circle's coordinators only.",
    },
    MESSAGE_POSTED: { description: "A message or announcement was posted in the circle's thread, or in a shift's thread (then `shift` names it); read it there." },
  },
});

// The API types below that a resolver returns a stored row for `implement` the row's fields they show,
// typed as the row types them (an enum field as the row's string union), so the compiler checks that a
// row can stand for the type: the rows pass through as roots because the field resolvers need more of
// them (a circle's care receiver, a shift's task) than the API shows.

@ObjectType("CareCircle", {
  implements: Node,
  description: "A care circle (zorgnetwerk): the people around one care receiver who share the care. Visible to its members only.",
})
export class CareCircle extends Node implements Pick<CircleRow, "id" | "name" | "createdAt"> {
  @Field(() => String, { description: "Name of the circle, e.g. 'Zorg voor moeder'." })
  name!: string;
  @Field(() => DateTimeISO, { description: "When the circle was started." })
  createdAt!: Date;
}

@ObjectType("CareCircleMember", { description: "A member of a care circle." })
export class CareCircleMember implements Pick<MemberRow, "role" | "relation" | "joinedAt"> {
  @Field(() => CircleRole, { description: "Coordinator or member." })
  role!: MemberRow["role"];
  @Field(() => Relation, { description: "Relation to the care receiver." })
  relation!: MemberRow["relation"];
  @Field(() => DateTimeISO, { description: "When they joined." })
  joinedAt!: Date;
}

@ObjectType("CareTask", {
  implements: Node,
  description: "A care task (zorgtaak): one-off or recurring, from which shifts are derived for at least eight weeks ahead.",
})
export class CareTask
  extends Node
  implements Pick<TaskRow, "id" | "title" | "notes" | "vogRequired" | "startDate" | "startTime" | "durationMinutes" | "weekdays" | "intervalWeeks" | "endDate">
{
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
  @Extensions({ maxItems: 7 })
  @Field(() => [Int], { description: "ISO weekdays it repeats on (1 = Monday); empty for a one-off." })
  weekdays!: number[];
  @Field(() => Int, { description: "Repeats every N weeks." })
  intervalWeeks!: number;
  @Field(() => String, { nullable: true, description: "Last date (inclusive), or null for no end." })
  endDate!: string | null;
}

@ObjectType("CareShift", { implements: Node, description: "One occurrence of a care task (dienst), which a member or a volunteer covers." })
export class CareShift extends Node implements Pick<ShiftRow, "id" | "startsAt" | "endsAt" | "status" | "flagged" | "coverRequested" | "helpRequestId"> {
  @Field(() => DateTimeISO, { description: "Start." })
  startsAt!: Date;
  @Field(() => DateTimeISO, { description: "End." })
  endsAt!: Date;
  @Field(() => CareShiftStatus, { description: "Where the shift stands." })
  status!: ShiftRow["status"];
  @Field(() => Boolean, { description: "Held by someone, but its task changed since: check it with them." })
  flagged!: boolean;
  @Field(() => Boolean, { description: "The holder gave it back asking the circle to cover it." })
  coverRequested!: boolean;
  @Field(() => ID, { nullable: true, description: "The help request to volunteers made for this shift when nobody in the circle took it." })
  helpRequestId!: string | null;
}

@ObjectType("CareSwap", { implements: Node, description: "A proposal to hand a shift to another member, who accepts or declines." })
export class CareSwap extends Node implements Pick<SwapRow, "id" | "status" | "createdAt"> {
  @Field(() => SwapStatus, { description: "State of the proposal." })
  status!: SwapRow["status"];
  @Field(() => DateTimeISO, { description: "When it was proposed." })
  createdAt!: Date;
}

@ObjectType("CareRespite", { description: "Respite (respijtzorg) the circle asked for: a RESPITE help request to volunteers, shown in the circle's schedule." })
export class CareRespite {
  @Field(() => ID, { description: "The respite entry." })
  id!: string;
  @Field(() => DateTimeISO, { description: "When the respite starts." })
  windowStart!: Date;
  @Field(() => DateTimeISO, { description: "When the respite ends." })
  windowEnd!: Date;
  @Field(() => HelpRequestStatus, { description: "Where its help request stands (OPEN until a volunteer takes it on)." })
  status!: HelpRequestStatus;
}

@ObjectType("CareInvitation", { description: "A single-use invitation to a care circle. The code is shown once; pass it to joinCareCircle." })
export class CareInvitation {
  @Field(() => String, { description: "The invitation code." })
  code!: string;
  @Field(() => DateTimeISO, { description: "After this the code no longer works." })
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
export class LoadSignal implements Pick<MemberLoadRow["signals"][number], "reason" | "detail" | "since" | "sustained"> {
  @Field(() => LoadReason, { description: "Why." })
  reason!: MemberLoadRow["signals"][number]["reason"];
  @Field(() => String, { description: "In words." })
  detail!: string;
  @Field(() => DateTimeISO, { description: "Since when the signal holds." })
  since!: Date;
  @Field(() => Boolean, { description: "Held for longer than the sustained-overload period." })
  sustained!: boolean;
}

@ObjectType("MemberLoad", { description: "A member's care load (mantelzorgbelasting)." })
export class MemberLoad implements Pick<MemberLoadRow, "weeks" | "averageHours" | "intensive" | "latestStrain" | "signals"> {
  @Extensions({ maxItems: 26 })
  @Field(() => [WeekHours], { description: "Hours per week, oldest first, this week last." })
  weeks!: WeekHours[];
  @Field(() => Float, { description: "Average hours per week over those weeks." })
  averageHours!: number;
  @Field(() => Boolean, { description: "Above SCP's threshold: more than 8 hours a week in each of the last 13 weeks." })
  intensive!: boolean;
  @Field(() => Strain, { nullable: true, description: "Strain reported in the latest check-in." })
  latestStrain!: MemberLoadRow["latestStrain"];
  @Extensions({ maxItems: 10 })
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
