import { type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema, isInterfaceType, isObjectType } from "graphql";
import { getMetadataStorage } from "type-graphql";

type Storage = ReturnType<typeof getMetadataStorage>;
type FieldMeta = NonNullable<Storage["objectTypes"][number]["fields"]>[number];
type FieldResolverMeta = Storage["fieldResolvers"][number];
type ResolverMeta = Storage["queries"][number];
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
 * - a query or mutation with neither roles nor middlewares, whose parameters are those and `@Arg`s, is
 *   called directly too, with each argument as GraphQL gave it, whenever type-graphql's conversion
 *   would give the same: a scalar or enum (a list of them copied, as type-graphql copies it), or an
 *   input object that is absent or null. When an input object is given, the call goes through
 *   type-graphql's resolver, which makes instances of the input classes. The schema is built with
 *   `validate: false` and no validation function (assembleSchema), and no `@Arg` here has its own.
 * Every other field keeps type-graphql's resolver: anything with `@Authorized`, `@UseMiddleware`,
 * `@Args`, an `@Arg` with its own validation, or a custom parameter. Returns how many fields were changed.
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
  const isInput = (type: unknown) => storage.inputTypes.some((t) => t.target === type);
  const roots: [GraphQLObjectType | null | undefined, readonly ResolverMeta[]][] = [
    [schema.getQueryType(), storage.queries],
    [schema.getMutationType(), storage.mutations],
  ];
  for (const [root, metas] of roots) {
    if (!root) continue;
    const fields = root.getFields();
    for (const meta of metas) {
      const field = fields[meta.schemaName];
      if (!field?.resolve || !resolverClasses.includes(meta.target) || !unguarded(meta)) continue;
      const direct = directCall(meta, instanceOf, isInput, field.resolve);
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
function directCall(
  resolver: FieldResolverMeta | ResolverMeta,
  instanceOf: (cls: unknown) => object,
  isInput?: (type: unknown) => boolean,
  wrapped?: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> | null {
  const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
  const args = params.filter((p): p is ArgParam => p.kind === "arg");
  if (args.length > 0) return isInput && wrapped ? withArgs(resolver, params, args, instanceOf, isInput, wrapped) : null;
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

type ArgParam = Extract<ParamMeta, { kind: "arg" }>;

/** A query's or mutation's method called with its arguments as they are, where that is what type-graphql would pass. */
function withArgs(
  resolver: FieldResolverMeta | ResolverMeta,
  params: ParamMeta[],
  args: ArgParam[],
  instanceOf: (cls: unknown) => object,
  isInput: (type: unknown) => boolean,
  wrapped: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> | null {
  if (!params.every((p) => plainParam(p) || (p.kind === "arg" && p.validateFn === undefined && p.validateSettings === undefined))) return null;
  const inputs = args.filter((a) => isInput(a.getType())).map((a) => a.name);
  const instance = instanceOf(resolver.target) as Record<string, (...args: unknown[]) => unknown>;
  const method = instance[resolver.methodName];
  if (typeof method !== "function") return null;
  const value = (p: ParamMeta, root: unknown, given: Record<string, unknown>, context: unknown, info: unknown): unknown => {
    if (p.kind === "root") return root;
    if (p.kind === "context") return context;
    if (p.kind === "info") return info;
    const v = given[(p as ArgParam).name];
    return Array.isArray(v) ? v.slice() : v;
  };
  return (root, given, context, info) => {
    for (const name of inputs) if (given[name] !== undefined && given[name] !== null) return wrapped(root, given, context, info);
    const values = new Array<unknown>(params.length);
    for (let i = 0; i < params.length; i++) values[i] = value(params[i], root, given, context, info);
    return method.apply(instance, values);
  };
}

function plainParam(p: ParamMeta): boolean {
  if (p.kind === "info") return true;
  if (p.kind === "context") return p.propertyName === undefined;
  if (p.kind === "root") return p.propertyName === undefined && (p.getType === undefined || p.getType() === Object);
  return false;
}
