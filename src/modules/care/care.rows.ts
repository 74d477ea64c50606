import type { CircleRole, LoadReason, Relation, ShiftStatus, Strain, SwapStatus } from "./care.tables.js";

/** Stored rows of the care module, as its repositories read and write them (not API types: see care.types.ts). */

export interface CircleRow {
  id: string;
  name: string;
  careReceiverId: string;
  neighbourhoodId: string;
  createdById: string;
  createdAt: Date;
}
export interface MemberRow {
  circleId: string;
  personId: string;
  role: CircleRole;
  relation: Relation;
  joinedAt: Date;
  leftAt: Date | null;
  calendarVersion: number;
  /** Lets the circle's coordinators see this member's strain answers. */
  shareLoad?: boolean;
}
export interface InvitationRow {
  id: string;
  circleId: string;
  codeHash: string;
  relation: Relation;
  invitedById: string;
  createdAt: Date;
  expiresAt: Date;
  /** Sent by e-mail (counted against the daily limit); the address is not kept. */
  byEmail?: boolean;
  /** The account the e-mail address belonged to, if any: the one person who may accept it by id. */
  inviteePersonId?: string | null;
  revokedAt?: Date | null;
}
export interface MessageRow {
  id: string;
  circleId: string;
  /** The shift whose thread it is in; null for the circle's own thread. */
  shiftId: string | null;
  /** Null once the author was erased. */
  authorId: string | null;
  announcement: boolean;
  body: string;
  createdAt: Date;
}
export interface TaskRow {
  id: string;
  circleId: string;
  title: string;
  categoryId: string;
  notes: string | null;
  vogRequired: boolean;
  startDate: string;
  startTime: string;
  durationMinutes: number;
  weekdays: number[];
  intervalWeeks: number;
  endDate: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
export interface ShiftRow {
  id: string;
  taskId: string;
  circleId: string;
  occurrence: string;
  startsAt: Date;
  endsAt: Date;
  status: ShiftStatus;
  /** The task's title and notes as they are for this shift (null on shifts older than this copy). */
  title: string | null;
  notes: string | null;
  assigneeId: string | null;
  flagged: boolean;
  coverRequested: boolean;
  /** Who last gave the shift back; null when nobody has. */
  releasedById: string | null;
  helpRequestId: string | null;
  updatedAt: Date;
}
export interface SwapRow {
  id: string;
  shiftId: string;
  fromId: string;
  toId: string;
  status: SwapStatus;
  createdAt: Date;
  decidedAt: Date | null;
}
export interface CheckinRow {
  id: string;
  circleId: string;
  personId: string;
  strain: Strain;
  note: string | null;
  at: Date;
}
export interface RespiteRow {
  id: string;
  circleId: string;
  helpRequestId: string;
  windowStart: Date;
  windowEnd: Date;
  createdAt: Date;
}
export interface SignalRow {
  id: string;
  circleId: string;
  personId: string;
  reason: LoadReason;
  detail: string;
  since: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}
