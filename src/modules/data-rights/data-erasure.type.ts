import { Extensions, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";

export enum DataErasureStatus {
  RUNNING = "RUNNING",
  DONE = "DONE",
  FAILED = "FAILED",
}
registerEnumType(DataErasureStatus, {
  name: "DataErasureStatus",
  description: "Where an erasure of personal data stands.",
  valuesConfig: {
    RUNNING: { description: "Being carried out; ask again in a moment." },
    DONE: { description: "Carried out: `sections` says what was erased and what is kept restricted." },
    FAILED: { description: "Could not be carried out; nothing was changed. Ask again." },
  },
});

@ObjectType("ErasureRestriction", { description: "A part of the person's data kept under a legal duty, hidden from all but those who keep it (GDPR art. 18)." })
export class ErasureRestrictionView {
  @Field(() => String, { description: "What is kept, e.g. `escalation cases`." })
  what!: string;
  @Field(() => Int, { description: "How many records." })
  count!: number;
  @Field(() => String, { description: "The legal duty it is kept under, e.g. `Jeugdwet/Wmo 2015 dossierplicht`." })
  legalBasis!: string;
  @Field(() => String, { description: "Who may still read it." })
  keptFor!: string;
}

@ObjectType("ErasureSection", { description: "One module's part of an erasure." })
export class ErasureSectionView {
  @Field(() => String, { description: "The module's section (docs/data-erasure.md)." })
  section!: string;
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "What was erased or irreversibly pseudonymised, as `<what>: <count>`." })
  erased!: string[];
  @Extensions({ maxItems: 10 })
  @Field(() => [ErasureRestrictionView], { description: "What is kept restricted instead, with the legal reason." })
  restricted!: ErasureRestrictionView[];
}

@ObjectType("DataErasure", {
  description:
    "An erasure of one person's data (GDPR art. 17) with the restriction of what must be kept (art. 18), kept as the record of what was done and why (docs/data-erasure.md). Seen by that person and by the coordinator who asked for it on their behalf.",
})
export class DataErasure {
  @Field(() => ID, { description: "Id of the erasure." })
  id!: string;
  @Field(() => DataErasureStatus, { description: "Where the erasure stands." })
  status!: DataErasureStatus;
  @Field(() => ID, { description: "Whose data it erases." })
  subjectId!: string;
  @Field(() => Boolean, { description: "True when a coordinator asked for it on the person's behalf." })
  onBehalf!: boolean;
  @Field(() => String, { nullable: true, description: "Why a coordinator asked for it; null when the person asked." })
  basis!: string | null;
  @Field(() => DateTimeISO, { description: "When it was asked for." })
  requestedAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was carried out (or failed)." })
  finishedAt!: Date | null;
  @Extensions({ maxItems: 30 })
  @Field(() => [ErasureSectionView], { description: "Per module: what was erased and what is kept restricted, and why; empty until DONE." })
  sections!: ErasureSectionView[];
}
