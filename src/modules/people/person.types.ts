import { Extensions, Field, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node } from "../../graphql/relay.js";
import { Neighbourhood } from "../places/place.types.js";

export enum Role {
  RESIDENT = "RESIDENT",
  VOLUNTEER = "VOLUNTEER",
  MANTELZORGER = "MANTELZORGER",
  ORGANISER = "ORGANISER",
  PROFESSIONAL = "PROFESSIONAL",
  COORDINATOR = "COORDINATOR",
}
registerEnumType(Role, {
  name: "Role",
  description: "What a person does in Zorgzaam; one person can hold several roles.",
  valuesConfig: {
    RESIDENT: { description: "Inwoner: asks for help for themself." },
    VOLUNTEER: { description: "Vrijwilliger: browses and accepts help requests." },
    MANTELZORGER: { description: "Informal carer: runs a care circle, asks on behalf of the person cared for." },
    ORGANISER: { description: "Works for a neighbourhood desk (wijkwinkel) or organisation; asks on behalf of residents." },
    PROFESSIONAL: { description: "Member of a sociaal wijkteam or jeugdteam." },
    COORDINATOR: { description: "Municipal coordinator: verifies VOGs, grants roles, sees the access log." },
  },
});

export enum SelfServiceRole {
  RESIDENT = "RESIDENT",
  VOLUNTEER = "VOLUNTEER",
  MANTELZORGER = "MANTELZORGER",
}
registerEnumType(SelfServiceRole, {
  name: "SelfServiceRole",
  description: "Roles anyone can take on when registering; the others are granted by a coordinator.",
  valuesConfig: {
    RESIDENT: { description: "Resident (inwoner): asks for help for themself; every account has this role, chosen or not." },
    VOLUNTEER: { description: "Volunteer (vrijwilliger): browses and accepts open help requests; sees those that need a VOG only once theirs is verified." },
    MANTELZORGER: { description: "Informal carer (mantelzorger): runs care circles and asks for help on behalf of the person cared for." },
  },
});

@ObjectType("Person", {
  implements: Node,
  description: "A person (inwoner). Others see only the first name; contact details are separate and guarded.",
})
export class Person extends Node {
  @Field(() => String, { description: "First name." })
  firstName!: string;
}

@ObjectType("Me", { description: "The logged-in person's own account (mijn gegevens)." })
export class Me {
  @Field(() => Person, { description: "The person behind this account." })
  person!: Person;
  @Field(() => String, { nullable: true, description: "Last name." })
  lastName!: string | null;
  @Field(() => String, { nullable: true, description: "Email address used to log in." })
  email!: string | null;
  @Field(() => String, { nullable: true, description: "Phone number." })
  phone!: string | null;
  @Field(() => String, { nullable: true, description: "Home address." })
  address!: string | null;
  @Field(() => String, { nullable: true, description: "Birth date as YYYY-MM-DD." })
  birthDate!: string | null;
  @Field(() => Neighbourhood, { nullable: true, description: "Home neighbourhood." })
  neighbourhood!: Neighbourhood | null;
  @Extensions({ maxItems: 10 })
  @Field(() => [Role], { description: "Roles this account holds." })
  roles!: Role[];
  @Field(() => String, { nullable: true, description: "Id of the professional team this account belongs to." })
  teamId!: string | null;
}

@ObjectType("AuthPayload", { description: "A bearer token for `Authorization: Bearer <token>` (HTTP) or `connectionParams.authorization` (WebSocket)." })
export class AuthPayload {
  @Field(() => String, { description: "The signed token (JWT)." })
  token!: string;
  @Field(() => DateTimeISO, { description: "When the token stops working; log in again after it." })
  expiresAt!: Date;
  @Field(() => Me, { description: "The account the token stands for." })
  me!: Me;
}
