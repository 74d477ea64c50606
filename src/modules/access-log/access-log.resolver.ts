import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import { Person } from "../people/person.types.js";
import type { AccessLogRow } from "./access-log.repository.js";
import type { AccessLogService } from "./access-log.service.js";
import { AccessLogConnection, AccessLogEntry, AccessLogVerification } from "./access-log.type.js";
import { hasRole } from "../../shared/viewer.js";

@Resolver(() => AccessLogEntry)
export class AccessLogResolver {
  constructor(private readonly log: AccessLogService) {}

  @Query(() => AccessLogConnection, {
    description: "Who read personal data, newest first. A coordinator sees all entries; anyone else sees the reads of their own data.",
  })
  async accessLog(
    @Ctx() ctx: Context,
    @Arg("subjectId", () => ID, { nullable: true, description: "Only reads of this person's data." }) subjectId?: string | null,
    @Arg("readerId", () => ID, { nullable: true, description: "Only reads by this person." }) readerId?: string | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<AccessLogEntry>> {
    const page = await this.log.list(ctx.viewer, { subjectId, readerId }, { first, after, last, before });
    return toConnection(page, (r) => r as AccessLogEntry);
  }

  @Query(() => AccessLogVerification, {
    description: "Walks the access log's hash chain and reports the first broken link (a removed, altered or reordered entry). Coordinators only.",
  })
  async verifyAccessLog(@Ctx() ctx: Context): Promise<AccessLogVerification> {
    return (await this.log.verify(ctx.viewer)) as AccessLogVerification;
  }

  @FieldResolver(() => String, { nullable: true, description: "The network address the read came from. Coordinators only: null for anyone else." })
  clientAddress(@Ctx() ctx: Context, @Root() e: AccessLogRow): string | null {
    return hasRole(ctx.viewer, "COORDINATOR") ? e.clientAddress : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The partner app (API client id) the read came through, if any. Coordinators only: null for anyone else." })
  apiClientId(@Ctx() ctx: Context, @Root() e: AccessLogRow): string | null {
    return hasRole(ctx.viewer, "COORDINATOR") ? e.apiClientId : null;
  }

  @FieldResolver(() => Person, { nullable: true, description: "Who read the data: their id and first name (their role and team are readerRoles and readerTeam)." })
  async reader(@Ctx() ctx: Context, @Root() e: AccessLogRow): Promise<Person | null> {
    const p = await ctx.loaders.personById.load(e.readerId);
    return p ? { id: p.id, firstName: p.firstName } : null;
  }

  @FieldResolver(() => Person, { nullable: true, description: "Whose data was read." })
  async subject(@Ctx() ctx: Context, @Root() e: AccessLogRow): Promise<Person | null> {
    const p = await ctx.loaders.personById.load(e.subjectId);
    return p ? { id: p.id, firstName: p.firstName } : null;
  }
}
