import { type GraphQLObjectType, type GraphQLSchema, isInterfaceType, isObjectType, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchemaSync } from "type-graphql";
import { type AuthRule, createAuthChecker } from "./auth-checker.js";
import { LabelsResolver } from "./labels.resolver.js";
import { takeOffPlainWrappers } from "./direct-resolvers.js";
import { type NodeLoader, NodeResolver } from "./node.resolver.js";
import { resolveNodeType } from "./relay.js";

/** A resolver class, as type-graphql takes it. */
export type ResolverClass = abstract new (...args: never[]) => object;

/** The parts of the schema, composed by the app from its modules (see graphql/module.ts). */
export interface SchemaParts {
  /** Every module's resolver classes, in order; `NodeResolver` and `LabelsResolver` come first on their own. */
  resolvers: readonly ResolverClass[];
  /**
   * What serving the schema needs: an instance of each class (built by hand: esbuild emits no
   * decorator metadata), the named `@Authorized` rules and the loaders of `node(id)`. Left out
   * when the schema is only printed (`npm run schema`).
   */
  serving?: {
    instances: readonly object[];
    rules: Readonly<Record<string, AuthRule>>;
    nodes: Readonly<Record<string, NodeLoader>>;
  };
}

export function assembleSchema(parts: SchemaParts): GraphQLSchema {
  const instances = parts.serving ? [new NodeResolver(parts.serving.nodes), new LabelsResolver(), ...parts.serving.instances] : [];
  const byClass = new Map<ResolverClass, object>(instances.map((i) => [i.constructor as ResolverClass, i]));
  const resolvers = [NodeResolver, LabelsResolver, ...parts.resolvers];
  const schema = buildSchemaSync({
    resolvers: resolvers as [ResolverClass, ...ResolverClass[]],
    authChecker: createAuthChecker(parts.serving?.rules ?? {}),
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
  if (parts.serving) {
    takeOffPlainWrappers(schema, resolvers, (cls) => {
      const found = byClass.get(cls as ResolverClass);
      if (!found) throw new Error(`no instance wired for ${(cls as ResolverClass).name}`);
      return found;
    });
  }
  // type-graphql wraps resolveType in an async function; graphql-jit calls it synchronously.
  const node = schema.getType("Node");
  if (isInterfaceType(node)) node.resolveType = resolveNodeType;
  countLazily(schema);
  return schema;
}

/**
 * A connection's `totalCount` is a thunk on the connection (toConnection): its resolver calls it, so
 * the COUNT runs only when the field is selected. graphql-jit reads a field without a resolver as a
 * plain property, so the resolver is set here rather than left to the default one.
 */
function countLazily(schema: GraphQLSchema) {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.name.endsWith("Connection")) continue;
    const field = type.getFields().totalCount;
    if (field) field.resolve = (source: { totalCount?: () => Promise<number> }) => source.totalCount?.() ?? null;
  }
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
