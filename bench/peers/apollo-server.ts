/**
 * A PEER for the browse benchmark: the Browse query answered by Apollo Server 5 and type-graphql as
 * such a server is usually written: `startStandaloneServer` with Apollo's defaults, object types as
 * decorated classes, one resolver that runs one SQL statement (a JOIN), default resolvers for the
 * rest. It reads what the floor reads (bench/lib/browse-source.ts): the token and the VOLUNTEER role
 * (cached like the server) in the context function when a token is sent, the volunteer's profile
 * and the browse statement in the resolver (which refuses a request without a token). The answer is
 * byte-for-byte the server's.
 *
 * Env: DATABASE_URL, PORT, HOST, JWT_SECRET.
 */
import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { GraphQLError } from "graphql";
import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver, buildSchema } from "type-graphql";
import { Reject, cursorOf, openBrowseSource } from "../lib/browse-source.js";

const source = openBrowseSource(process.env.DATABASE_URL!, process.env.JWT_SECRET!);

// esbuild (tsx) emits no decorator metadata: every field names its type.
@ObjectType()
class Category {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
class Neighbourhood {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
class PersonHelped {
  @Field(() => String) firstName!: string;
}

@ObjectType()
class HelpRequest {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) urgency!: string;
  @Field(() => Date) windowStart!: Date;
  @Field(() => Date) windowEnd!: Date;
  @Field(() => Category) category!: Category;
  @Field(() => Neighbourhood) neighbourhood!: Neighbourhood;
  @Field(() => PersonHelped) personHelped!: PersonHelped;
}

@ObjectType()
class HelpRequestEdge {
  @Field(() => String) cursor!: string;
  @Field(() => HelpRequest) node!: HelpRequest;
}

@ObjectType()
class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
class HelpRequestConnection {
  @Field(() => [HelpRequestEdge]) edges!: HelpRequestEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

/** The volunteer who asks; null without a token (a request without one may still ask for `__typename`). */
interface Context {
  personId: string | null;
}

@Resolver()
class HelpRequestResolver {
  @Query(() => HelpRequestConnection)
  openHelpRequests(@Arg("first", () => Int, { defaultValue: 20 }) first: number, @Ctx() { personId }: Context): HelpRequestConnection {
    if (!personId) throw new GraphQLError("UNAUTHENTICATED", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
    const page = Math.min(Math.max(first, 0), 100);
    const rows = source.browseRows(personId, page + 1);
    const edges = rows.slice(0, page).map((r) => ({
      cursor: cursorOf(r),
      node: {
        id: r[0],
        title: r[1],
        urgency: r[2],
        windowStart: new Date(r[3]),
        windowEnd: new Date(r[4]),
        category: source.categories.get(r[5])!,
        neighbourhood: source.neighbourhoods.get(r[6])!,
        personHelped: { firstName: r[7] },
      },
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > page, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

const schema = await buildSchema({ resolvers: [HelpRequestResolver], validate: false });
const server = new ApolloServer<Context>({ schema });
await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 4300), host: process.env.HOST ?? "127.0.0.1" },
  context: async ({ req }) => {
    if (!req.headers.authorization) return { personId: null };
    try {
      return { personId: await source.viewer(req.headers.authorization) };
    } catch (err) {
      if (!(err instanceof Reject)) throw err;
      throw new GraphQLError(err.code, { extensions: { code: err.code, http: { status: err.status } } });
    }
  },
});
const stop = () => void server.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
