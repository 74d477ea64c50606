import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { SESSIONS_LISTED, type SessionService } from "./session.service.js";
import { Session } from "./session.types.js";

/** Your own login sessions: list them, end one, this one or all. */
@Resolver(() => Session)
export class SessionResolver {
  constructor(private readonly sessions: SessionService) {}

  @Extensions({ maxItems: SESSIONS_LISTED })
  @Query(() => [Session], { description: "Your open sessions, newest first (the one asking is marked `current`). UNAUTHENTICATED without a valid token." })
  async mySessions(@Ctx() ctx: Context): Promise<Session[]> {
    return this.sessions.mine(ctx.viewer);
  }

  @Mutation(() => Boolean, { description: "Logs out: ends the session of the token asking; the token stops working at once, on HTTP and on open sockets." })
  async logout(@Ctx() ctx: Context): Promise<boolean> {
    return this.sessions.logout(ctx.viewer);
  }

  @Mutation(() => Int, { description: "Ends every session of yours, this one included. Returns how many ended." })
  async logoutEverywhere(@Ctx() ctx: Context): Promise<number> {
    return this.sessions.logoutEverywhere(ctx.viewer);
  }

  @Mutation(() => Boolean, { description: "Ends one of your sessions (e.g. a lost phone). SESSION_NOT_FOUND when it is not yours or already ended." })
  async endSession(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The session (from mySessions)." }) id: string): Promise<boolean> {
    return this.sessions.endOne(ctx.viewer, id);
  }
}
