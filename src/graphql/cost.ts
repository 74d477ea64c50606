import {
  type ArgumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  getNamedType,
  getNullableType,
  introspectionTypes,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  defaultFieldResolver,
  type GraphQLCompositeType,
} from "graphql";
import { GraphQLReason } from "./graphql.errors.js";

/**
 * What a list field declares about its length, in its GraphQL extensions (type-graphql
 * `@Extensions({ maxItems: … })`), so that the cost of a query is known before it runs:
 * - `maxItems`: the most items the field can ever return (for a paged list, its largest page);
 * - `defaultItems`: for a list paged by its own `first`, the page it serves when `first` is left out;
 * - `itemsFrom`: the list argument whose length is the number of items (e.g. `nodes(ids)`);
 * - `itemCost`: what each item costs to fetch besides its fields (`nodes` reads each id on its own).
 * Any field (list or not) may also declare `cost`: what resolving it once costs, in place of 2 for an
 * object and 1 for a scalar, for a field that reads the database (or searches) for each object it is
 * asked on, instead of in one batch; see FieldCost.
 */
export interface ListBound {
  maxItems: number;
  defaultItems?: number;
  itemsFrom?: string;
  itemCost?: number;
  /** Introspection only (see introspectionBounds): on an object of the complete population `from`, ... */
  from?: string;
  /** ... the list's mean length over that population, ... */
  mean?: number;
  /** ... the population its items then form, ... */
  to?: string;
  /** ... and for `ofType`, the share of that population not yet null at each step. */
  steps?: number[];
}

export interface CostLimits {
  maxCost: number;
  /** The largest page a connection serves (its `first` given as a variable counts as this). */
  maxPageSize: number;
  /** The page a connection serves when its `first` is left out. */
  defaultPageSize: number;
}

/** Each object costs this much, each scalar 1: the cost is about the number of fields resolved. */
const OBJECT_COST = 2;
const SCALAR_COST = 1;
/**
 * Introspection fields cost this many plain fields each: the schema's own objects are resolved and
 * serialised at about twice the server time of a plain field (measured with
 * bench/benchmarks/worst-query.ts), and an introspection query returns a great many of them.
 */
const INTROSPECTION_WEIGHT = 2;

/**
 * What a field costs to resolve once when it does more than read a property (`@Extensions({ cost })`),
 * in units of a plain field (a microsecond or two of server time): one database read of its own for
 * each object it is asked on (batched reads cost nothing extra), or a search. Measured with
 * bench/benchmarks/worst-query.ts.
 */
export const FieldCost = { READ: 200, SEARCH: 2000 } as const;

/**
 * The bound of every list field of the schema, by `Type.field`. Throws (at boot) naming every
 * list field that declares none: a list without a bound would make the cost limit meaningless.
 * The introspection types' lists are bounded by the schema itself (it cannot change while the
 * server runs), so they are counted (introspectionBounds) rather than declared.
 */
export function listBounds(schema: GraphQLSchema): Map<string, ListBound> {
  const bounds = new Map<string, ListBound>();
  const missing: string[] = [];
  for (const [key, bound] of introspectionBounds(schema)) bounds.set(key, bound);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(isObjectType(type) || isInterfaceType(type)) || introspectionTypes.includes(type as never)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type))) continue;
      const bound = field.extensions?.maxItems;
      const key = `${type.name}.${field.name}`;
      if (typeof bound === "number" && Number.isInteger(bound) && bound >= 1) {
        bounds.set(key, field.extensions as unknown as ListBound);
      } else {
        missing.push(key);
      }
    }
  }
  if (missing.length) {
    throw new Error(`Every list field needs a bound (@Extensions({ maxItems })) for the query cost limit; these have none: ${missing.join(", ")}`);
  }
  return bounds;
}

/**
 * The introspection lists, counted on the schema. Multiplying the longest list at each level would
 * make the ordinary introspection query (GraphiQL's) cost hundreds of times what it returns, so a
 * list reached from a complete population (all types from `__schema.types`, all their fields, all
 * those fields' arguments, all their type references, ...) costs its mean length over that population:
 * the sum over the population is then exact. Anywhere else (the fields of a field's type, the types
 * of `__type(name)`) a list costs its longest.
 */
function introspectionBounds(schema: GraphQLSchema): [string, ListBound][] {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  const fields = types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : []));
  const count = (of: (t: GraphQLNamedType) => number) => {
    const each = types.map(of);
    return { sum: each.reduce((a, b) => a + b, 0), max: Math.max(1, ...each) };
  };
  const typeFields = count((t) => (isObjectType(t) || isInterfaceType(t) ? Object.keys(t.getFields()).length : 0));
  const interfaces = count((t) => (isObjectType(t) || isInterfaceType(t) ? t.getInterfaces().length : 0));
  const possible = count((t) => (isUnionType(t) || isInterfaceType(t) ? schema.getPossibleTypes(t).length : 0));
  const enumValues = count((t) => (isEnumType(t) ? t.getValues().length : 0));
  const inputFields = count((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0));
  const fieldArgs = fields.map((f) => f.args.length);
  const directiveArgs = directives.map((d) => d.args.length);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const over = (total: number, population: number) => total / Math.max(1, population);
  const T = types.length;
  const depths = [...fields.flatMap((f) => [f.type, ...f.args.map((a) => a.type)]), ...inputTypes(types)].map(wrappers);
  const steps = Array.from({ length: Math.max(...depths) }, (_, k) => over(depths.filter((d) => d > k).length, depths.filter((d) => d >= k).length));
  return [
    ["__Schema.types", { maxItems: T, from: "schema", mean: T, to: "types" }],
    ["__Schema.directives", { maxItems: Math.max(1, directives.length), from: "schema", mean: directives.length, to: "directives" }],
    ["__Type.fields", { maxItems: typeFields.max, from: "types", mean: over(typeFields.sum, T), to: "fields" }],
    ["__Type.inputFields", { maxItems: inputFields.max, from: "types", mean: over(inputFields.sum, T), to: "values" }],
    ["__Type.enumValues", { maxItems: enumValues.max, from: "types", mean: over(enumValues.sum, T) }],
    ["__Type.interfaces", { maxItems: interfaces.max, from: "types", mean: over(interfaces.sum, T) }],
    ["__Type.possibleTypes", { maxItems: possible.max, from: "types", mean: over(possible.sum, T) }],
    ["__Field.args", { maxItems: Math.max(1, ...fieldArgs), from: "fields", mean: over(sum(fieldArgs), fields.length), to: "values" }],
    ["__Directive.args", { maxItems: Math.max(1, ...directiveArgs), from: "directives", mean: over(sum(directiveArgs), directives.length), to: "values" }],
    ["__Directive.locations", { maxItems: 19 }], // every DirectiveLocation of the GraphQL specification
    // Not lists: a field's or argument's type starts a population of type references, and `ofType`
    // goes at most as deep as the deepest wrapping ([Item!]! is three wrappers deep), then is null;
    // over that population, `steps` is the share of references still wrapped at each step.
    ["__Field.type", { maxItems: 1, from: "fields", to: "refs" }],
    ["__InputValue.type", { maxItems: 1, from: "values", to: "refs" }],
    ["__Type.ofType", { maxItems: Math.max(...depths), from: "refs", to: "refs", steps }],
  ];
}

/**
 * The query cost limit. The cost of an operation is an upper bound on the fields the server would
 * resolve for it: each object costs 2 and each scalar 1, and a list multiplies what it contains by
 * the most items it can return:
 * - a connection (a field taking `first`/`last`) by its page: the literal page size, the largest
 *   page when the size is a variable (validation is cached per document, so it cannot depend on
 *   variables), its default page when left out;
 * - a list paged by its own `first` likewise, within the bounds it declares;
 * - a list taking its items from an argument (`nodes(ids)`) by that list's length;
 * - every other list by the bound it declares (`maxItems`), whether or not the data holds that many;
 * and a field that reads the database for each object adds its declared `cost` (FieldCost).
 * Fragments count wherever they are spread (once worked out per fragment, so nesting them costs
 * nothing to check), fields under `@skip`/`@include` count as included, and introspection costs like
 * any other query. An operation over the limit is refused before it runs, as a validation error
 * (`QUERY_TOO_COMPLEX`: a 400 over HTTP, an error message on a WebSocket), never thrown.
 */
export function costRule(schema: GraphQLSchema, limits: CostLimits): ValidationRule {
  const bounds = listBounds(schema);
  return (context) => ({
    // On leave, so that cheaper findings (depth, aliases) are reported first.
    Document: {
      leave(document) {
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
        const estimator = new CostEstimator(context.getSchema(), bounds, limits, fragments);
        for (const d of document.definitions) {
          if (d.kind !== Kind.OPERATION_DEFINITION) continue;
          const cost = estimator.operation(d);
          if (cost > limits.maxCost) {
            const shown = Number.isFinite(cost) ? Math.ceil(cost) : Number.MAX_SAFE_INTEGER;
            context.reportError(
              new GraphQLError(
                `Query is too expensive: its cost is ${shown}, at most ${limits.maxCost} is allowed (lists multiply the cost of what they contain by the most items they can return; ask for smaller pages, fewer nested lists or fewer fields).`,
                { nodes: [d], extensions: { reason: GraphQLReason.QUERY_TOO_COMPLEX, cost: shown, maxCost: limits.maxCost } },
              ),
            );
          }
        }
      },
    },
  });
}

/** The cost of the operations of one document (see costRule). */
export class CostEstimator {
  private readonly fragmentCosts = new Map<string, number>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly bounds: Map<string, ListBound>,
    private readonly limits: CostLimits,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
  ) {}

  operation(op: OperationDefinitionNode): number {
    const root = this.schema.getRootType(op.operation);
    return root ? this.selections(op.selectionSet, root, { page: undefined, population: undefined, ofType: 0 }) : 0;
  }

  /**
   * The cost of a selection set on `type`, once per object. `at.page` is the page size of the
   * connection the set belongs to, if any: it bounds the set's lists (a connection's `edges`).
   * `at.population` names the complete introspection population the object is one of, if any.
   */
  private selections(set: SelectionSetNode, type: GraphQLCompositeType, at: Where): number {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        cost += this.field(sel, type, at);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        // Type conditions are summed, not maximised: an upper bound either way.
        const on = sel.typeCondition ? this.schema.getType(sel.typeCondition.name.value) : type;
        if (on && isCompositeType(on)) cost += this.selections(sel.selectionSet, on, at);
      } else {
        cost += this.fragment(sel.name.value, at);
      }
    }
    return cost;
  }

  /** A fragment's cost is worked out once per place it can stand in, however often it is spread. */
  private fragment(name: string, at: Where): number {
    const def = this.fragments.get(name);
    // Unknown and cyclic fragments are reported by the specified rules; they cost nothing here.
    if (!def || this.inProgress.has(name)) return 0;
    const on = this.schema.getType(def.typeCondition.name.value);
    if (!on || !isCompositeType(on)) return 0;
    const key = `${name}:${at.page ?? ""}:${at.population ?? ""}:${at.ofType}`;
    const cached = this.fragmentCosts.get(key);
    if (cached !== undefined) return cached;
    this.inProgress.add(name);
    const cost = this.selections(def.selectionSet, on, at);
    this.inProgress.delete(name);
    this.fragmentCosts.set(key, cost);
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, at: Where): number {
    const def = this.fieldDef(parent, node.name.value);
    if (!def) return 0; // unknown fields are reported by the specified rules
    const named = getNamedType(def.type);
    const key = `${parent.name}.${def.name}`;
    const bound = this.bounds.get(key);
    const inPopulation = bound?.from !== undefined && at.population === bound.from;
    const ofType = key === "__Type.ofType" ? at.ofType + 1 : 0;
    const unit = isIntrospection(parent, def) ? INTROSPECTION_WEIGHT : 1;
    if (ofType > (bound?.maxItems ?? Infinity)) return unit * SCALAR_COST; // null
    // Over a population of type references, only a share of them is wrapped this deep; the rest is null.
    const share = ofType && inPopulation ? (bound?.steps?.[ofType - 1] ?? 1) : 1;
    const ownPage = this.pageOf(def, bound, node);
    let items = 1;
    if (isListType(getNullableType(def.type))) {
      items = inPopulation && bound?.mean !== undefined ? bound.mean : this.itemsOf(bound, node, ownPage ?? at.page);
    }
    const own = typeof def.extensions?.cost === "number" ? def.extensions.cost : undefined;
    if (!node.selectionSet || !isCompositeType(named)) return (own ?? 0) + items * unit * SCALAR_COST;
    const inner: Where = {
      // A non-list field taking `first` is a connection: its page bounds the lists inside it.
      page: isListType(getNullableType(def.type)) ? undefined : ownPage,
      population: def === SchemaMetaFieldDef ? "schema" : inPopulation ? bound?.to : undefined,
      ofType,
    };
    const each = unit * OBJECT_COST + (bound?.itemCost ?? 0) + this.selections(node.selectionSet, named, inner);
    return (own ?? 0) + share * items * each + (1 - share) * unit * SCALAR_COST;
  }

  private fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }

  /** The page size asked of a field that takes `first` (or `last`); undefined when it takes neither. */
  private pageOf(def: GraphQLField<unknown, unknown>, bound: ListBound | undefined, node: FieldNode): number | undefined {
    const takes = def.args.find((a) => a.name === "first" || a.name === "last");
    if (!takes) return undefined;
    // A paged list declares its pages with its bound; a connection may declare them in its extensions.
    const declared = bound ?? (def.extensions as Partial<ListBound> | undefined);
    const max = declared?.maxItems ?? this.limits.maxPageSize;
    const given = node.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
    if (!given) {
      if (typeof takes.defaultValue === "number") return Math.min(takes.defaultValue, max);
      return Math.min(declared?.defaultItems ?? this.limits.defaultPageSize, max);
    }
    return Math.min(literalInt(given) ?? max, max);
  }

  /** How many items a list field can return (see costRule). */
  private itemsOf(bound: ListBound | undefined, node: FieldNode, page: number | undefined): number {
    const max = bound?.maxItems ?? this.limits.maxPageSize;
    if (bound?.itemsFrom) {
      const arg = node.arguments?.find((a) => a.name.value === bound.itemsFrom);
      if (arg?.value.kind === Kind.LIST) return Math.min(arg.value.values.length, max);
      return max;
    }
    return page !== undefined ? Math.min(page, max) : max;
  }
}

interface Where {
  page: number | undefined;
  /** The introspection population the object belongs to (see introspectionBounds), if any. */
  population: string | undefined;
  /** How many `ofType` steps led here: past the deepest wrapping in the schema it is null. */
  ofType: number;
}

/** Whether a field belongs to introspection: `__schema`, `__type`, or a field of an introspection type. */
function isIntrospection(parent: GraphQLCompositeType, def: GraphQLField<unknown, unknown>): boolean {
  return def === SchemaMetaFieldDef || def === TypeMetaFieldDef || introspectionTypes.includes(parent as never);
}

/** How many List/NonNull wrappers a type reference has. */
function wrappers(type: GraphQLType): number {
  return "ofType" in type && type.ofType ? 1 + wrappers(type.ofType) : 0;
}

function inputTypes(types: GraphQLNamedType[]): GraphQLType[] {
  return types.flatMap((t) => (isInputObjectType(t) ? Object.values(t.getFields()).map((f) => f.type) : []));
}

function literalInt(arg: ArgumentNode): number | undefined {
  return arg.value.kind === Kind.INT ? Math.max(0, Number.parseInt(arg.value.value, 10)) : undefined;
}

/**
 * Holds every list field to its declared bound at run time too, so that what the cost limit
 * assumed is what can happen: a list that would return more items than its bound (data that grew
 * past what the bound allows for, e.g. a very large organisation) returns the first `maxItems` and
 * `onCut` is told, so the bound can be raised or the list paged. Lists paged by `first` and
 * connections are bounded by their page already and are left alone.
 */
export function enforceListBounds(schema: GraphQLSchema, onCut: (field: string, items: number, maxItems: number) => void): void {
  const bounds = listBounds(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(isObjectType(type) || isInterfaceType(type)) || introspectionTypes.includes(type as never)) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      const bound = bounds.get(key);
      if (!bound || field.args.some((a) => a.name === "first" || a.name === "last") || type.name.endsWith("Connection")) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const cut = (value: unknown) => {
        if (!Array.isArray(value) || value.length <= bound.maxItems) return value;
        onCut(key, value.length, bound.maxItems);
        return value.slice(0, bound.maxItems);
      };
      field.resolve = (source, args, context, info) => {
        const value = resolve(source, args, context, info);
        return value instanceof Promise ? value.then(cut) : cut(value);
      };
    }
  }
}
