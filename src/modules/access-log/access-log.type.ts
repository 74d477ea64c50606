import { Extensions, Field, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { Node, connectionTypes } from "../../graphql/relay.js";

@ObjectType("AccessLogEntry", {
  implements: Node,
  description: "One read of someone's personal data (inzage-log): who read whose data, what, why and when. Append-only.",
})
export class AccessLogEntry extends Node {
  @Extensions({ maxItems: 20 })
  @Field(() => [String], { description: "Which fields were read." })
  fields!: string[];
  @Field(() => String, { description: "Why the reader was allowed to read them." })
  purpose!: string;
  @Field(() => String, { nullable: true, description: "Id of the object through which they were read (e.g. the help request)." })
  objectId!: string | null;
  @Field(() => GraphQLDateTimeISO, { description: "When." })
  at!: Date;
}

export const AccessLogConnection = connectionTypes("AccessLogEntry", AccessLogEntry, "access log entries");
