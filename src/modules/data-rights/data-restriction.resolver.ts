import { Field, FieldResolver, ObjectType, Resolver, Root } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Escalation } from "../escalation/escalation.types.js";
import type { DataErasureService } from "./data-erasure.service.js";

@ObjectType("DataRestriction", {
  description: "Why a record is kept after its subject's erasure (GDPR art. 18): a legal duty, and who may still read it.",
})
export class DataRestriction {
  @Field(() => String, { description: "The legal duty it is kept under, e.g. `Jeugdwet/Wmo 2015 dossierplicht`." })
  legalBasis!: string;
  @Field(() => String, { description: "Who may still read it." })
  keptFor!: string;
  @Field(() => DateTimeISO, { description: "Since when (the erasure)." })
  since!: Date;
}

/** Shows a case's restriction to those who may still read the case (its teams). */
@Resolver(() => Escalation)
export class EscalationRestrictionResolver {
  constructor(private readonly erasures: DataErasureService) {}

  @FieldResolver(() => DataRestriction, {
    nullable: true,
    description: "Set when the person the case is about had their data erased: the case is kept under this legal duty and read only by its teams.",
  })
  async restriction(@Root() e: { id: string }): Promise<DataRestriction | null> {
    return this.erasures.restrictionOf(e.id);
  }
}
