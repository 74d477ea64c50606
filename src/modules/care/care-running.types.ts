import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Relation } from "./care.types.js";
import type { MessageRow } from "./care.rows.js";

@ObjectType("CareOpenInvitation", { description: "An invitation to a care circle nobody used yet, for its coordinators (never its code)." })
export class CareOpenInvitation {
  @Field(() => ID, { description: "The invitation, for revokeCareInvitation." })
  id!: string;
  @Field(() => Relation, { description: "The relation the invitee will have to the care receiver." })
  relation!: Relation;
  @Field(() => DateTimeISO, { description: "When it was made." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { description: "When it stops working." })
  expiresAt!: Date;
  @Field(() => Boolean, { description: "Sent by e-mail (the address is not kept)." })
  byEmail!: boolean;
}

@ObjectType("CareCircleWithoutCoordinator", {
  description: "For the municipality: a care circle that nobody coordinates any more (ids and counts only; its name and care stay with its members).",
})
export class CareCircleWithoutCoordinator {
  @Field(() => ID, { description: "The circle, for appointCareCircleCoordinator." })
  id!: string;
  @Field(() => ID, { description: "The care receiver's neighbourhood." })
  neighbourhoodId!: string;
  @Field(() => Int, { description: "How many members it still has." })
  memberCount!: number;
}

@ObjectType("CareMessage", { description: "A message in a care circle's thread or a shift's thread. Read by the thread's readers only; never sent in a notification." })
export class CareMessage implements Pick<MessageRow, "id" | "body" | "announcement" | "createdAt"> {
  @Field(() => ID, { description: "The message." })
  id!: string;
  @Field(() => String, { description: "The text (at most 1000 characters)." })
  body!: string;
  @Field(() => Boolean, { description: "An announcement by a coordinator of the circle." })
  announcement!: boolean;
  @Field(() => DateTimeISO, { description: "When it was posted." })
  createdAt!: Date;
}
