import { Field, ID, InputType } from "type-graphql";
import { SelfServiceRole } from "./person.types.js";

@InputType("RegisterInput", { description: "A new account. Every account is a resident; add VOLUNTEER or MANTELZORGER as needed." })
export class RegisterInput {
  @Field(() => String, { description: "Email address, used to log in." })
  email!: string;
  @Field(() => String, { description: "At least 10 characters." })
  password!: string;
  @Field(() => String, { description: "First name (shown to volunteers)." })
  firstName!: string;
  @Field(() => String, { description: "Last name (never shown to volunteers who are not matched)." })
  lastName!: string;
  @Field(() => ID, { description: "Home neighbourhood." })
  neighbourhoodId!: string;
  @Field(() => String, { nullable: true, description: "Phone number." })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: "Home address." })
  address?: string | null;
  @Field(() => String, { nullable: true, description: "Birth date as YYYY-MM-DD." })
  birthDate?: string | null;
  @Field(() => [SelfServiceRole], { nullable: true, description: "Extra roles besides RESIDENT." })
  roles?: SelfServiceRole[] | null;
}
