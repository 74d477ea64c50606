import type { AuthRule } from "./auth-checker.js";
import type { NodeLoader } from "./node.resolver.js";
import type { ResolverClass } from "./schema.js";

/**
 * What a module gives the GraphQL API, exported from its `<module>.module.ts`. The app lists its
 * modules and composes their parts into the schema (src/app.schema.ts), so graphql/ names none of
 * them. `S` is the services the module is built from, named by the module itself: the app's services
 * need only include them. A module's tables are not here but in its `<module>.tables.ts`, which the
 * app composes apart (src/app.tables.ts), so drizzle-kit loads tables without loading resolvers.
 */
export interface GraphQLModule<S> {
  /** The module's resolver classes, in the order they join the schema. */
  readonly resolvers: readonly ResolverClass[];
  /** One instance of each class in `resolvers`, built by hand (esbuild emits no decorator metadata). */
  instances(services: S): object[];
  /** Named rules for `@Authorized(NAME)` on the module's types (a role name needs none). */
  rules?(services: S): Record<string, AuthRule>;
  /** How `node(id)` loads each node type the module owns, by type name. */
  nodes?(services: S): Record<string, NodeLoader>;
}
