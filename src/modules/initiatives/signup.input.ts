import { Field, ID, InputType } from "type-graphql";

@InputType("NewParticipantInput", { description: "Someone without an account, signed up or referred by a wijkwinkel, professional or mantelzorger." })
export class NewParticipantInput {
  @Field(() => String, { description: "First name." })
  firstName!: string;
  @Field(() => String, { nullable: true, description: "Last name." })
  lastName?: string | null;
  @Field(() => ID, { description: "Home neighbourhood." })
  neighbourhoodId!: string;
  @Field(() => String, { nullable: true, description: "Phone number, for the organisers." })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: "Address." })
  address?: string | null;
  @Field(() => String, { nullable: true, description: "Birth date, YYYY-MM-DD (checked against the audience's ages)." })
  birthDate?: string | null;
}

@InputType("SignUpInput", { description: "A sign-up. Leave both participant fields out to sign yourself up." })
export class SignUpInput {
  @Field(() => ID, { description: "The initiative." })
  initiativeId!: string;
  @Field(() => ID, { nullable: true, description: "On behalf of a person you registered before." })
  participantId?: string | null;
  @Field(() => NewParticipantInput, { nullable: true, description: "On behalf of someone new (wijkwinkel, professional or mantelzorger)." })
  participant?: NewParticipantInput | null;
  @Field(() => String, { nullable: true, description: "Note for the organisers, up to 500 characters." })
  note?: string | null;
}
