import { Extensions, Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";

@ObjectType("AccessLogEntry", {
  implements: Node,
  description: "One read of someone's personal data (inzage-log): who read whose data, what, why and when. Append-only and hash-chained.",
})
export class AccessLogEntry extends Node {
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Which fields were read." })
  fields!: string[];
  @Field(() => String, { description: "Why the reader was allowed to read them." })
  purpose!: string;
  @Field(() => String, { nullable: true, description: "Id of the object through which they were read (e.g. the help request)." })
  objectId!: string | null;
  @Field(() => String, { nullable: true, description: "The kind of object read through (e.g. HelpRequest, CareShift); null on entries from before it was recorded." })
  objectType!: string | null;
  @Field(() => DateTimeISO, { description: "When." })
  at!: Date;
  @Extensions({ maxItems: 10 })
  @Field(() => [String], { nullable: true, description: "The roles the reader acted in when reading; null on entries from before it was recorded." })
  readerRoles!: string[] | null;
  @Field(() => String, { nullable: true, description: "The reader's team, by name, when reading." })
  readerTeam!: string | null;
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { nullable: true, description: "The organisations the reader belonged to when reading, by name; null on entries from before it was recorded." })
  readerOrganisations!: string[] | null;
  @Field(() => String, { nullable: true, description: "GRANTED or REFUSED; null on entries from before it was recorded." })
  result!: string | null;
}

export const AccessLogConnection = connectionTypes("AccessLogEntry", AccessLogEntry, "access log entries");

/** How a link of the access log's hash chain is broken. */
export enum AccessLogBreakKind {
  MISSING_ENTRY = "MISSING_ENTRY",
  BROKEN_LINK = "BROKEN_LINK",
  ALTERED_ENTRY = "ALTERED_ENTRY",
  HEAD_MISMATCH = "HEAD_MISMATCH",
}
registerEnumType(AccessLogBreakKind, {
  name: "AccessLogBreakKind",
  description: "How the access log's chain is broken.",
  valuesConfig: {
    MISSING_ENTRY: { description: "An entry is missing (removed): the sequence has a gap." },
    BROKEN_LINK: { description: "An entry does not link to the one before it (reordered, or one before it replaced)." },
    ALTERED_ENTRY: { description: "An entry's content does not match its hash (altered)." },
    HEAD_MISMATCH: { description: "The chain ends before or after its recorded head (entries removed from the end)." },
  },
});

@ObjectType("AccessLogBreak", { description: "The first broken link of the access log's chain." })
export class AccessLogBreak {
  @Field(() => AccessLogBreakKind, { description: "How it is broken." })
  kind!: AccessLogBreakKind;
  @Field(() => Int, { description: "The position in the chain where it breaks." })
  seq!: number;
  @Field(() => String, { nullable: true, description: "Id of the entry found at that place, if any." })
  entryId!: string | null;
  @Field(() => String, { description: "What was found, in words." })
  detail!: string;
}

@ObjectType("AccessLogVerification", { description: "The outcome of walking the access log's hash chain from its anchor to its head." })
export class AccessLogVerification {
  @Field(() => Boolean, { description: "Whether every link holds." })
  ok!: boolean;
  @Field(() => Int, { description: "Chained entries checked (up to the first break)." })
  checked!: number;
  @Field(() => Int, { description: "Entries from before the chain began: kept, listed, not verifiable." })
  unchained!: number;
  @Field(() => Int, { description: "Where the chain starts: 0 at the genesis, else the last entry removed by retention." })
  anchorSeq!: number;
  @Field(() => Int, { description: "The recorded newest entry." })
  headSeq!: number;
  @Field(() => AccessLogBreak, { nullable: true, description: "The first broken link, when not ok." })
  broken!: AccessLogBreak | null;
}
