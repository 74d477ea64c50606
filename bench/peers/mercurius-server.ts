/**
 * A PEER for the browse benchmark: the Browse query answered the way a fast Node GraphQL server is
 * usually built, fastify + mercurius with graphql-jit (`jit: 1`: a query is compiled once it has been
 * seen). An SDL schema, one resolver that runs one SQL statement, default resolvers for the rest.
 * It reads what the floor reads (bench/lib/browse-source.ts): the token and the VOLUNTEER role
 * (cached like the server) in a preHandler hook, the volunteer's profile and the browse statement in
 * the resolver. The answer is byte-for-byte the server's: the same cursors, graphql-scalars'
 * DateTimeISO, and the trailing newline Apollo writes (an onSend hook; fastify writes none).
 *
 * Env: DATABASE_URL, PORT, HOST, JWT_SECRET.
 */
import Fastify from "fastify";
import { GraphQLDateTimeISO } from "graphql-scalars";
import mercurius, { type IResolvers, type MercuriusContext } from "mercurius";
import { Reject, cursorOf, openBrowseSource } from "../lib/browse-source.js";

const source = openBrowseSource(process.env.DATABASE_URL!, process.env.JWT_SECRET!);

const schema = /* GraphQL */ `
  scalar DateTimeISO
  type Category {
    id: ID!
    name: String!
  }
  type Neighbourhood {
    id: ID!
    name: String!
  }
  type PersonHelped {
    firstName: String!
  }
  type HelpRequest {
    id: ID!
    title: String!
    urgency: String!
    windowStart: DateTimeISO!
    windowEnd: DateTimeISO!
    category: Category!
    neighbourhood: Neighbourhood!
    personHelped: PersonHelped!
  }
  type HelpRequestEdge {
    cursor: String!
    node: HelpRequest!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type HelpRequestConnection {
    edges: [HelpRequestEdge!]!
    pageInfo: PageInfo!
  }
  type Query {
    openHelpRequests(first: Int = 20): HelpRequestConnection!
  }
`;

declare module "mercurius" {
  interface MercuriusContext {
    personId: string;
  }
}

const resolvers: IResolvers = {
  DateTimeISO: GraphQLDateTimeISO,
  Query: {
    openHelpRequests(_root: unknown, { first }: { first: number }, { personId }: MercuriusContext) {
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
          category: source.categories.get(r[5]),
          neighbourhood: source.neighbourhoods.get(r[6]),
          personHelped: { firstName: r[7] },
        },
      }));
      return { edges, pageInfo: { hasNextPage: rows.length > page, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
};

declare module "fastify" {
  interface FastifyRequest {
    personId?: string;
  }
}

const app = Fastify({ logger: false });
app.get("/healthz", async () => ({ status: "ok" }));
app.addHook("preHandler", async (request, reply) => {
  if (request.url !== "/graphql") return;
  try {
    request.personId = await source.viewer(request.headers.authorization);
  } catch (err) {
    if (!(err instanceof Reject)) throw err;
    return reply.code(err.status).send({ errors: [{ message: err.code, extensions: { code: err.code } }] });
  }
});
app.addHook("onSend", async (request, _reply, payload) => (request.url === "/graphql" && typeof payload === "string" ? `${payload}\n` : payload));
await app.register(mercurius, {
  schema,
  resolvers,
  jit: 1,
  graphiql: false,
  context: (request) => ({ personId: request.personId! }),
});

await app.listen({ port: Number(process.env.PORT ?? 4200), host: process.env.HOST ?? "127.0.0.1" });
const stop = () => void app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
