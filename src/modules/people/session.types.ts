import { Field, ID, ObjectType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";

@ObjectType("Session", { description: "One login of yours (a device or browser): ended by logout, logoutEverywhere or a password change." })
export class Session {
  @Field(() => ID, { description: "The session's id (endSession takes it)." })
  id!: string;
  @Field(() => DateTimeISO, { description: "When you logged in." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { description: "When it was last used, to within a few minutes." })
  lastSeenAt!: Date;
  @Field(() => DateTimeISO, { description: "When its token expires." })
  expiresAt!: Date;
  @Field(() => String, { nullable: true, description: "The browser or app that logged in (its User-Agent), when it said." })
  userAgent!: string | null;
  @Field(() => String, { nullable: true, description: "The network address it logged in from, when known." })
  address!: string | null;
  @Field(() => Boolean, { description: "Whether this is the session of the token asking." })
  current!: boolean;
}
