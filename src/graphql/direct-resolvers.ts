import { type GraphQLFieldResolver, type GraphQLSchema, isInterfaceType, isObjectType } from "graphql";
import { getMetadataStorage } from "type-graphql";

type Storage = ReturnType<typeof getMetadataStorage>;
type FieldMeta = NonNullable<Storage["objectTypes"][number]["fields"]>[number];
type FieldResolverMeta = Storage["fieldResolvers"][number];
type ParamMeta = NonNullable<FieldResolverMeta["params"]>[number];

/**
 * type-graphql gives every field a wrapper: a plain field reads `root[name]` through its middleware
 * chain (a `resolverData` object and a closure per value), and a `@FieldResolver` method is reached
 * through the container, the middleware chain and `getParams`, which sorts and maps the parameter list
 * on every call. With no `@Authorized` roles and no middleware on the field there is nothing for the
 * wrapper to do, and on a list of twenty requests it ran some four hundred times per answer.
 *
 * This pass, run on the schema type-graphql built, takes the wrappers off exactly those fields:
 * - a plain field with neither roles nor middlewares, whose property has the field's name, gets no
 *   resolver (read as a property, as type-graphql's own `simpleResolvers` does);
 * - a `@FieldResolver` of a resolver class with neither roles nor middlewares, whose parameters are
 *   only `@Root()` (whole, unconverted), `@Ctx()` (whole) and `@Info()`, calls the method directly on the
 *   instance type-graphql would have taken from the container.
 * Every other field keeps type-graphql's resolver: anything with `@Authorized`, `@UseMiddleware`,
 * `@Arg`/`@Args` (converted and validated by type-graphql) or a custom parameter. Returns how many
 * fields were changed.
 */
export function takeOffPlainWrappers(schema: GraphQLSchema, resolverClasses: readonly unknown[], instanceOf: (cls: unknown) => object): number {
  const storage = getMetadataStorage();
  const candidates = storage.fieldResolvers.filter((r) => r.kind === "internal" || resolverClasses.includes(r.target));
  let changed = 0;
  const classes = [...storage.objectTypes, ...storage.interfaceTypes];
  for (const type of classes) {
    const graphqlType = schema.getType(type.name);
    if (!isObjectType(graphqlType) && !isInterfaceType(graphqlType)) continue;
    const fields = graphqlType.getFields();
    const metas: FieldMeta[] = [...(type.fields ?? [])];
    const implemented = "interfaceClasses" in type ? (type.interfaceClasses as unknown[] | undefined) : undefined;
    if (implemented) for (const i of storage.interfaceTypes) if (implemented.includes(i.target)) metas.push(...(i.fields ?? []));
    for (const meta of metas) {
      const field = fields[meta.schemaName];
      if (!field || !field.resolve) continue;
      const resolver = candidates.find((r) => r.getObjectType?.() === meta.target && r.methodName === meta.name);
      if (!resolver) {
        if (unguarded(meta) && meta.name === meta.schemaName) {
          field.resolve = undefined;
          changed++;
        }
        continue;
      }
      if (resolver.kind !== "external" || !unguarded(resolver)) continue;
      const direct = directCall(resolver, instanceOf);
      if (direct) {
        field.resolve = direct;
        changed++;
      }
    }
  }
  return changed;
}

function unguarded(meta: { roles?: unknown[]; middlewares?: unknown[] }): boolean {
  return meta.roles === undefined && (meta.middlewares?.length ?? 0) === 0;
}

/** The method called with its parameters in order, when each is one this pass may pass on as it is. */
function directCall(resolver: FieldResolverMeta, instanceOf: (cls: unknown) => object): GraphQLFieldResolver<unknown, unknown> | null {
  const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
  if (!params.every(plainParam)) return null;
  const instance = instanceOf(resolver.target) as Record<string, (...args: unknown[]) => unknown>;
  const method = instance[resolver.methodName];
  if (typeof method !== "function") return null;
  const kinds = params.map((p) => p.kind).join(",");
  if (kinds === "") return () => method.call(instance);
  if (kinds === "root") return (root) => method.call(instance, root);
  if (kinds === "root,context") return (root, _args, context) => method.call(instance, root, context);
  if (kinds === "context,root") return (root, _args, context) => method.call(instance, context, root);
  return (root, _args, context, info) =>
    method.apply(
      instance,
      params.map((p) => (p.kind === "root" ? root : p.kind === "context" ? context : info)),
    );
}

function plainParam(p: ParamMeta): boolean {
  if (p.kind === "info") return true;
  if (p.kind === "context") return p.propertyName === undefined;
  if (p.kind === "root") return p.propertyName === undefined && (p.getType === undefined || p.getType() === Object);
  return false;
}
