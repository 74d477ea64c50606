import { Field, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import { Person } from "../people/person.types.js";
import type { MemberRole } from "./initiative.tables.js";
import type { OrganisationRow } from "./organisation.repository.js";

export enum OrganisationKind {
  WIJKWINKEL = "WIJKWINKEL",
  COMMUNITY_CENTRE = "COMMUNITY_CENTRE",
  SHOP = "SHOP",
  WELFARE = "WELFARE",
  LEARNING_WORK_COMPANY = "LEARNING_WORK_COMPANY",
  OTHER = "OTHER",
}
registerEnumType(OrganisationKind, {
  name: "OrganisationKind",
  description: "What kind of organisation offers initiatives.",
  valuesConfig: {
    WIJKWINKEL: { description: "Neighbourhood shop or desk: a low-threshold place for questions." },
    COMMUNITY_CENTRE: { description: "Community centre (buurthuis, wijkcentrum)." },
    SHOP: { description: "A local shop or business." },
    WELFARE: { description: "Welfare foundation (welzijnsorganisatie)." },
    LEARNING_WORK_COMPANY: { description: "Learning-work company (leerwerkbedrijf) offering participation places." },
    OTHER: { description: "Any other organisation." },
  },
});

export enum OrganisationMemberRole {
  ORGANISER = "ORGANISER",
  VOLUNTEER = "VOLUNTEER",
}
registerEnumType(OrganisationMemberRole, {
  name: "OrganisationMemberRole",
  description: "What a member does for an organisation.",
  valuesConfig: {
    ORGANISER: { description: "Manages the organisation, its initiatives and its participants." },
    VOLUNTEER: { description: "One of the organisation's own volunteers (its pool); can be assigned help requests it takes on." },
  },
});

/** The columns of an organisation the Organisation type shows as they are: its row is its source (see Initiative). */
type OrganisationColumns = Pick<OrganisationRow, "id" | "name" | "kind" | "description" | "address" | "phone" | "email" | "website" | "verifiedAt" | "createdAt">;

@ObjectType("Organisation", {
  implements: Node,
  description:
    "An organisation (organisatie) that offers neighbourhood initiatives: a wijkwinkel, community centre, shop, welfare foundation or learning-work company. Public once a coordinator has verified it.",
})
export class Organisation extends Node implements OrganisationColumns {
  @Field(() => String, { description: "Name, e.g. 'Wijkwinkel Krispijn'." })
  name!: string;
  @Field(() => OrganisationKind, { description: "Kind of organisation." })
  kind!: OrganisationColumns["kind"];
  @Field(() => String, { description: "What the organisation does, in its own words." })
  description!: string;
  @Field(() => String, { nullable: true, description: "Visiting address." })
  address!: string | null;
  @Field(() => String, { nullable: true, description: "Public phone number of the organisation." })
  phone!: string | null;
  @Field(() => String, { nullable: true, description: "Public email address of the organisation." })
  email!: string | null;
  @Field(() => String, { nullable: true, description: "Website." })
  website!: string | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When a coordinator verified it; null while it awaits verification (its initiatives are not public yet)." })
  verifiedAt!: Date | null;
  @Field(() => DateTimeISO, { description: "When it was registered." })
  createdAt!: Date;
}

@ObjectType("OrganisationMember", { description: "A person who works or volunteers for an organisation (lid)." })
export class OrganisationMember {
  @Field(() => Person, { description: "The member (first name)." })
  person!: Person;
  @Field(() => OrganisationMemberRole, { description: "What they do for the organisation." })
  role!: MemberRole;
  @Field(() => DateTimeISO, { description: "Since when." })
  addedAt!: Date;
}

@ObjectType("OrganisationMembership", { description: "An organisation the viewer belongs to, and in which role." })
export class OrganisationMembership {
  @Field(() => Organisation, { description: "The organisation." })
  organisation!: Organisation;
  @Field(() => OrganisationMemberRole, { description: "The viewer's role in it." })
  role!: MemberRole;
}

export const OrganisationConnection = connectionTypes("Organisation", Organisation, "organisations");
