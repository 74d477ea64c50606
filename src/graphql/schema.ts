import { type GraphQLObjectType, type GraphQLSchema, isInterfaceType, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchemaSync } from "type-graphql";
import type { Services } from "../app.services.js";
import { AccessLogResolver } from "../modules/access-log/access-log.resolver.js";
import { CareCircleChangeResolver } from "../modules/care/care-circle-change.resolver.js";
import { CareCircleMemberResolver } from "../modules/care/care-circle-member.resolver.js";
import { CareCircleResolver } from "../modules/care/care-circle.resolver.js";
import { CareShiftResolver } from "../modules/care/care-shift.resolver.js";
import { CareSwapResolver } from "../modules/care/care-swap.resolver.js";
import { CareTaskResolver } from "../modules/care/care-task.resolver.js";
import { MemberLoadResolver } from "../modules/care/member-load.resolver.js";
import { OperationsResolver } from "../modules/operations/operations.resolver.js";
import {
  EscalationAuditResolver,
  EscalationResolver,
  HelpRequestEscalationResolver,
} from "../modules/escalation/escalation.resolver.js";
import { HelpRequestEventResolver, HelpRequestResolver } from "../modules/help-requests/help-request.resolver.js";
import { HelpRequestInitiativesResolver } from "../modules/initiatives/help-request-suggestion.resolver.js";
import { InitiativeResolver } from "../modules/initiatives/initiative.resolver.js";
import { OrganisationResolver } from "../modules/initiatives/organisation.resolver.js";
import { PlacementResolver } from "../modules/initiatives/participation.resolver.js";
import { SignupResolver } from "../modules/initiatives/signup.resolver.js";
import { PersonResolver } from "../modules/people/person.resolver.js";
import {
  AreaResolver,
  HelpCategoryResolver,
  NeighbourhoodResolver,
  TeamResolver,
} from "../modules/places/place.resolver.js";
import { VolunteerResolver } from "../modules/volunteers/volunteer.resolver.js";
import { authChecker } from "./auth-checker.js";
import { NodeResolver } from "./node.resolver.js";
import { resolveNodeType } from "./relay.js";
import { ApiClientResolver, ApiKeyResolver } from "../modules/api-clients/api-client.resolver.js";
import { NeighbourhoodMonthStatsResolver, StatsResolver } from "../modules/stats/stats.resolver.js";

/** Resolver instances, built by hand from the services (esbuild emits no decorator metadata). */
function resolverInstances(s: Services): object[] {
  return [
    new NodeResolver(),
    new AreaResolver(s.places),
    new NeighbourhoodResolver(s.places),
    new HelpCategoryResolver(s.places),
    new TeamResolver(s.places),
    new PersonResolver(s.people, s.places),
    new VolunteerResolver(s.volunteers, s.places),
    new HelpRequestResolver(s.helpRequests, s.places),
    new HelpRequestEventResolver(),
    new AccessLogResolver(s.accessLog),
    new OrganisationResolver(s.organisations, s.initiatives, s.places),
    new InitiativeResolver(s.initiatives, s.signups, s.places),
    new SignupResolver(s.signups, s.initiatives),
    new PlacementResolver(s.participation, s.initiatives, s.organisations),
    new HelpRequestInitiativesResolver(s.initiatives, s.organisations),
    new CareCircleResolver(s.care, s.places),
    new CareCircleMemberResolver(),
    new MemberLoadResolver(),
    new CareTaskResolver(s.places),
    new CareShiftResolver(s.care),
    new CareSwapResolver(s.care),
    new CareCircleChangeResolver(s.care),
    new OperationsResolver(s.clock, s.controllableClock, s.sweeps),
    new EscalationResolver(s.escalation, s.places),
    new EscalationAuditResolver(s.escalation),
    new HelpRequestEscalationResolver(s.escalation),
    new ApiClientResolver(s.apiClients),
    new ApiKeyResolver(s.apiClients),
    new StatsResolver(s.stats),
    new NeighbourhoodMonthStatsResolver(s.stats, s.places),
  ];
}

/** A resolver class: type-graphql's container asks for an instance by it. */
type ResolverClass = abstract new (...args: never[]) => object;

export function buildGraphQLSchema(services: Services | null): GraphQLSchema {
  const instances = services ? resolverInstances(services) : [];
  const byClass = new Map<ResolverClass, object>(instances.map((i) => [i.constructor as ResolverClass, i]));
  const resolvers = [
    NodeResolver,
    AreaResolver,
    NeighbourhoodResolver,
    HelpCategoryResolver,
    TeamResolver,
    PersonResolver,
    VolunteerResolver,
    HelpRequestResolver,
    HelpRequestEventResolver,
    AccessLogResolver,
    OrganisationResolver,
    InitiativeResolver,
    SignupResolver,
    PlacementResolver,
    HelpRequestInitiativesResolver,
    CareCircleResolver,
    CareCircleMemberResolver,
    MemberLoadResolver,
    CareTaskResolver,
    CareShiftResolver,
    CareSwapResolver,
    CareCircleChangeResolver,
    OperationsResolver,
    EscalationResolver,
    EscalationAuditResolver,
    HelpRequestEscalationResolver,
    ApiClientResolver,
    ApiKeyResolver,
    StatsResolver,
    NeighbourhoodMonthStatsResolver,
  ] as const;
  const schema = buildSchemaSync({
    resolvers,
    authChecker,
    validate: false,
    // Every subscription declares its own `subscribe` stream (help-request.live.ts); none uses topics.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error("subscriptions must declare their own subscribe function");
      },
    },
    container: {
      get: (cls: ResolverClass) => {
        const found = byClass.get(cls);
        if (!found) throw new Error(`no instance wired for ${cls.name}`);
        return found;
      },
    },
  });
  describeRoots(schema);
  // type-graphql wraps resolveType in an async function; graphql-jit calls it synchronously.
  const node = schema.getType("Node");
  if (isInterfaceType(node)) node.resolveType = resolveNodeType;
  return schema;
}

/** Root types have no decorator to carry a description; every type of the contract gets one. */
function describeRoots(schema: GraphQLSchema) {
  const roots: [GraphQLObjectType | null | undefined, string][] = [
    [schema.getQueryType(), "Reads. Public reference data needs no token; everything personal does."],
    [schema.getMutationType(), "Changes. Each one checks who may make it and writes nothing when it fails."],
    [schema.getSubscriptionType(), "Live updates over WebSocket (graphql-ws protocol) at the same /graphql path."],
  ];
  for (const [type, description] of roots) if (type) type.description = description;
}

/** The SDL as committed in schema/schema.graphql: sorted, so it diffs cleanly. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
