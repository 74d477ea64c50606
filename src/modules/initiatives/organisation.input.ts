import { Field, ID, InputType } from "type-graphql";
import { OrganisationKind } from "./organisation.type.js";

@InputType("CreateOrganisationInput", { description: "A new organisation; it becomes public once a coordinator verifies it." })
export class CreateOrganisationInput {
  @Field(() => String, { description: "Name, 1-120 characters." })
  name!: string;
  @Field(() => OrganisationKind, { description: "Kind of organisation." })
  kind!: OrganisationKind;
  @Field(() => String, { description: "What the organisation does, 1-2000 characters." })
  description!: string;
  @Field(() => ID, { description: "Neighbourhood where it is based." })
  neighbourhoodId!: string;
  @Field(() => String, { nullable: true, description: "Visiting address." })
  address?: string | null;
  @Field(() => String, { nullable: true, description: "Public phone number." })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: "Public email address." })
  email?: string | null;
  @Field(() => String, { nullable: true, description: "Website (https://...)." })
  website?: string | null;
}

@InputType("OrganisationFilter", { description: "Narrows the list of organisations." })
export class OrganisationFilter {
  @Field(() => [OrganisationKind], { nullable: true, description: "Only these kinds." })
  kinds?: OrganisationKind[] | null;
  @Field(() => [ID], { nullable: true, description: "Only organisations based in these neighbourhoods." })
  neighbourhoodIds?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: "Coordinators: only organisations awaiting verification." })
  pendingVerification?: boolean | null;
}
