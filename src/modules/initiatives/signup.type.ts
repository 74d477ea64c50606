import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import type { SignupChangeKind as SignupChangeKindName } from "./initiative.events.js";
import type { SignupRow } from "./signup.repository.js";

export enum SignupStatus {
  CONFIRMED = "CONFIRMED",
  WAITLISTED = "WAITLISTED",
  CANCELLED = "CANCELLED",
}
registerEnumType(SignupStatus, {
  name: "SignupStatus",
  description: "CONFIRMED, or WAITLISTED -> CONFIRMED when a place frees up; CANCELLED.",
  valuesConfig: {
    CONFIRMED: { description: "Has a place." },
    WAITLISTED: { description: "On the waiting list, in arrival order." },
    CANCELLED: { description: "Cancelled by the participant, whoever signed them up, an organiser, or with the initiative." },
  },
});

export enum SignupChangeKind {
  CONFIRMED = "CONFIRMED",
  WAITLISTED = "WAITLISTED",
  PROMOTED = "PROMOTED",
  CANCELLED = "CANCELLED",
  INITIATIVE_CANCELLED = "INITIATIVE_CANCELLED",
}
registerEnumType(SignupChangeKind, {
  name: "SignupChangeKind",
  description: "What happened to a sign-up.",
  valuesConfig: {
    CONFIRMED: { description: "A new sign-up got a place." },
    WAITLISTED: { description: "A new sign-up went onto the waiting list." },
    PROMOTED: { description: "Moved from the waiting list to a place." },
    CANCELLED: { description: "The sign-up was cancelled." },
    INITIATIVE_CANCELLED: { description: "The initiative was called off, and the sign-up with it." },
  },
});

/** The columns of a sign-up the Signup type shows as they are: its row is its source (see Initiative). */
type SignupColumns = Pick<SignupRow, "id" | "status" | "position" | "note" | "createdAt" | "promotedAt" | "cancelledAt">;

@ObjectType("Signup", {
  implements: Node,
  description: "A sign-up (aanmelding) of one person for an initiative. Seen by the participant, whoever signed them up and the initiative's organisers.",
})
export class Signup extends Node implements SignupColumns {
  @Field(() => SignupStatus, { description: "Confirmed, waitlisted or cancelled." })
  status!: SignupColumns["status"];
  @Field(() => Int, { description: "Arrival order among all sign-ups of the initiative (1 = first)." })
  position!: number;
  @Field(() => String, { nullable: true, description: "Note for the organisers (e.g. 'comes with a walker')." })
  note!: string | null;
  @Field(() => DateTimeISO, { description: "When the sign-up was made." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When it moved from the waiting list to a place." })
  promotedAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was cancelled." })
  cancelledAt!: Date | null;
}

@ObjectType("SignupChange", { description: "A change to a sign-up, delivered live to the person concerned and the organisers." })
export class SignupChange {
  @Field(() => SignupChangeKind, { description: "What happened." })
  kind!: SignupChangeKindName;
  @Field(() => String, { description: "Position of this event in the event log; pass it as `since` to resume after it." })
  cursor!: string;
  @Field(() => Float, { description: "The same position as a number, increasing: drop an event whose sequence you have seen." })
  sequence!: number;
  @Field(() => Signup, { description: "The sign-up as it is now." })
  signup!: Signup;
}

@ObjectType("ParticipantContact", {
  description:
    "Name and contact details of a participant (personal data): for the organisers, the participant and whoever signed them up or referred them. Organisers' reads are logged.",
})
export class ParticipantContact {
  @Field(() => String, { description: "Full name." })
  fullName!: string;
  @Field(() => String, { nullable: true, description: "Phone number." })
  phone!: string | null;
  @Field(() => String, { nullable: true, description: "Email address (people with an account)." })
  email!: string | null;
  @Field(() => String, { nullable: true, description: "Address." })
  address!: string | null;
}

export const SignupConnection = connectionTypes("Signup", Signup, "sign-ups", {
  totalCount: "How many sign-ups the whole list holds (with the statuses asked), across all pages.",
});
