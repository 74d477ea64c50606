import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  Kind,
  SchemaMetaFieldDef,
  TypeInfo,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  ValidationContext,
  defaultFieldResolver,
  getArgumentValues,
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
  visit,
} from "graphql";
import { createComplexityRule } from "graphql-query-complexity";
import { localizedError } from "./errors.js";
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
  /** The most selections the cost is worked out for (fragments counted at every spread); more is refused. */
  maxFields?: number;
}

/**
 * Selections (fields, fragment spreads and inline fragments, each spread of a fragment counted again)
 * whose cost is worked out at most. The standard introspection query has 231, a document of 2,000
 * tokens without fragments at most about 2,000 (30 aliases of the attack in decision 21: 811); 5,000
 * take the library about 6 ms, the most a refused document costs per request.
 */
const DEFAULT_MAX_FIELDS = 5_000;

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
 * The query cost limit, worked out by graphql-query-complexity with one estimator for every field
 * (`estimate`), on the operation that is to run and with the request's own variables. The cost of
 * an operation is an upper bound on the fields the server would resolve for it: each object costs 2
 * and each scalar 1, and a list multiplies what it contains by the most items it can return:
 * - a connection (a field taking `first`/`last`) by its page: the page size asked (in the document or
 *   in the variables), at most its largest page, its default page when left out;
 * - a list paged by its own `first` likewise, within the bounds it declares;
 * - a list taking its items from an argument (`nodes(ids)`) by that list's length;
 * - every other list by the bound it declares (`maxItems`), whether or not the data holds that many;
 * and a field that reads the database for each object adds its declared `cost` (FieldCost).
 * Fields left out by `@skip`/`@include` cost nothing, abstract selections cost their most expensive
 * type, and introspection costs like any other query. The library works a fragment out again at every
 * spread, so it stops after `maxFields` selections (a document of 2,000 tokens that spreads
 * fragments into fragments could otherwise ask for billions): such a document is refused too.
 *
 * The cost depends on the variables, so it is checked per request once the operation is known (an
 * Apollo plugin and the WebSocket path, see validation.ts), not by a validation rule: both transports
 * validate a document once and keep it. An operation over the limit is refused before it runs
 * (`QUERY_TOO_COMPLEX`, code GRAPHQL_VALIDATION_FAILED: a 400 over HTTP, an error of that operation on
 * a WebSocket), never thrown.
 */
/** How many variable sets of one document keep their cost (a client paging through many cursors starts over). */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * What a kept cost is found by: the operation's name and its variables as JSON; null (not kept) when
 * the variables are large, so a client cannot fill memory with one document and many long variables.
 */
function costKey(operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): string | null {
  const vars = variables ? JSON.stringify(variables) : "";
  if (vars.length > 1024) return null;
  return `${operationName ?? ""}\u0000${vars}`;
}

export class QueryCost {
  private readonly bounds: Map<string, ListBound>;
  private readonly maxFields: number;
  /** Costs already worked out, per document object, by operation name and variables (see costKey). */
  private readonly known = new WeakMap<DocumentNode, Map<string, number>>();

  /** Throws when a list field of the schema declares no bound (see listBounds). */
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: CostLimits,
  ) {
    this.bounds = listBounds(schema);
    this.maxFields = limits.maxFields ?? DEFAULT_MAX_FIELDS;
  }

  /**
   * The cost of the operation named `operationName` (the document's only one when not named) with
   * these variables; Infinity when its fragments spread into more than `maxFields` selections. Variables
   * that do not fit the operation cost nothing here: execution refuses them before anything runs.
   */
  of(document: DocumentNode, operationName?: string | null, variables?: Record<string, unknown> | null): number {
    // Documents are parsed once and kept by both transports, so the same document object comes back
    // with each request: its cost is worked out once per operation and variables, not per request.
    const key = costKey(operationName, variables);
    let known = this.known.get(document);
    const cached = key === null ? undefined : known?.get(key);
    if (cached !== undefined) return cached;
    const cost = this.compute(document, operationName, variables);
    if (key !== null) {
      if (!known) this.known.set(document, (known = new Map()));
      if (known.size >= MAX_COSTS_PER_DOCUMENT) known.clear();
      known.set(key, cost);
    }
    return cost;
  }

  private compute(document: DocumentNode, operationName?: string | null, variables?: Record<string, unknown> | null): number {
    const typeInfo = new TypeInfo(this.schema);
    // What the library reports besides the cost (variables or arguments that do not coerce) is left to
    // execution, which refuses the same: a field whose arguments fail never runs, so it costs nothing.
    const context = new ValidationContext(this.schema, document, typeInfo, () => {});
    const visitor = createComplexityRule({
      maximumComplexity: Number.POSITIVE_INFINITY,
      estimators: [],
      variables: variables ?? undefined,
      operationName: operationName ?? undefined,
      maxQueryNodes: this.maxFields,
    })(context);
    // The estimators see a field with its arguments, its parent type and its children's cost; the
    // cost of a list also depends on where it stands (the page of the connection around `edges`,
    // the introspection population of its object, how deep in `ofType` it is), so each selection set
    // the library walks (it calls nodeComplexity for each, recursively) pushes where it stands.
    const path: Where[] = [];
    const walk = visitor.nodeComplexity.bind(visitor);
    visitor.nodeComplexity = (node, typeDef, activeFragments) => {
      const parent = path.at(-1);
      let where: Where = parent ?? { type: typeDef!, page: undefined, population: undefined, ofType: 0 };
      if (node.kind === Kind.FIELD && parent && typeDef) {
        const def = this.fieldDef(parent.type, node.name.value);
        if (def) where = this.inner(parent, def, node, typeDef, visitor.variableValues);
      } else if (typeDef) {
        where = { ...where, type: typeDef };
      }
      path.push(where);
      try {
        return walk(node, typeDef, activeFragments);
      } finally {
        path.pop();
      }
    };
    visitor.estimators = [({ type, field, args, childComplexity, node }) => this.estimate(path.at(-1), type, field, node, args, childComplexity)];
    try {
      visit(document, visitor as ASTVisitor);
    } catch (err) {
      if (visitor.evaluatedNodes >= visitor.maxQueryNodes) return Number.POSITIVE_INFINITY;
      throw err;
    }
    return visitor.complexity;
  }

  /** Why this operation is refused (see QueryCost), or null when its cost is within the limit (`maxCost`, the configured one unless given). */
  refusal(document: DocumentNode, operation: OperationDefinitionNode, variables?: Record<string, unknown> | null, maxCost: number = this.limits.maxCost): GraphQLError | null {
    const cost = this.of(document, operation.name?.value, variables);
    if (cost <= maxCost) return null;
    const code = "GRAPHQL_VALIDATION_FAILED";
    if (!Number.isFinite(cost)) {
      return localizedError(
        "Query is too expensive: once its fragments are spread it selects more than {maxFields} fields, at most a cost of {maxCost} is allowed (spread fragments into fewer places, or ask for fewer fields).",
        { maxFields: this.maxFields, maxCost: maxCost },
        { nodes: [operation], extensions: { reason: GraphQLReason.QUERY_TOO_COMPLEX, maxCost: maxCost, maxFields: this.maxFields, code } },
      );
    }
    const shown = Math.ceil(cost);
    return localizedError(
      "Query is too expensive: its cost is {cost}, at most {maxCost} is allowed (lists multiply the cost of what they contain by the most items they can return; ask for smaller pages, fewer nested lists or fewer fields).",
      { cost: shown, maxCost: maxCost },
      { nodes: [operation], extensions: { reason: GraphQLReason.QUERY_TOO_COMPLEX, cost: shown, maxCost: maxCost, code } },
    );
  }

  /** Where the selection set of field `def` (on an object of `parent`) stands. */
  private inner(parent: Where, def: GraphQLField<unknown, unknown>, node: FieldNode, type: GraphQLCompositeType, variables: Record<string, unknown>): Where {
    const key = `${parent.type.name}.${def.name}`;
    const bound = this.bounds.get(key);
    const inPopulation = bound?.from !== undefined && parent.population === bound.from;
    const isList = isListType(getNullableType(def.type));
    return {
      type,
      // A non-list field taking `first` is a connection: its page bounds the lists inside it.
      page: isList || !takesPage(def) ? undefined : this.pageOf(def, bound, argumentValues(def, node, variables)),
      population: def === SchemaMetaFieldDef ? "schema" : inPopulation ? bound?.to : undefined,
      ofType: key === "__Type.ofType" ? parent.ofType + 1 : 0,
    };
  }

  /** The cost of one field asked on an object of `parent` (standing at `at`), its children costing `children`. */
  private estimate(
    at: Where | undefined,
    parent: GraphQLCompositeType,
    def: GraphQLField<unknown, unknown>,
    node: FieldNode,
    args: Record<string, unknown>,
    children: number,
  ): number {
    const key = `${parent.name}.${def.name}`;
    const bound = this.bounds.get(key);
    const inPopulation = bound?.from !== undefined && at?.population === bound.from;
    const ofType = key === "__Type.ofType" ? (at?.ofType ?? 0) + 1 : 0;
    const unit = isIntrospection(parent, def) ? INTROSPECTION_WEIGHT : 1;
    if (ofType > (bound?.maxItems ?? Infinity)) return unit * SCALAR_COST; // null
    // Over a population of type references, only a share of them is wrapped this deep; the rest is null.
    const share = ofType && inPopulation ? (bound?.steps?.[ofType - 1] ?? 1) : 1;
    let items = 1;
    if (isListType(getNullableType(def.type))) {
      const ownPage = takesPage(def) ? this.pageOf(def, bound, args) : undefined;
      items = inPopulation && bound?.mean !== undefined ? bound.mean : this.itemsOf(bound, args, ownPage ?? at?.page);
    }
    const own = typeof def.extensions?.cost === "number" ? def.extensions.cost : 0;
    if (!node.selectionSet || !isCompositeType(getNamedType(def.type))) return own + items * unit * SCALAR_COST;
    const each = unit * OBJECT_COST + (bound?.itemCost ?? 0) + children;
    return own + share * items * each + (1 - share) * unit * SCALAR_COST;
  }

  private fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }

  /** The page size asked of a field that takes `first` (or `last`), with the variables' values. */
  private pageOf(def: GraphQLField<unknown, unknown>, bound: ListBound | undefined, args: Record<string, unknown>): number {
    // A paged list declares its pages with its bound; a connection may declare them in its extensions.
    const declared = bound ?? (def.extensions as Partial<ListBound> | undefined);
    const max = declared?.maxItems ?? this.limits.maxPageSize;
    const given = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : undefined;
    if (given === undefined) return Math.min(declared?.defaultItems ?? this.limits.defaultPageSize, max);
    return Math.min(Math.max(0, given), max);
  }

  /** How many items a list field can return (see QueryCost). */
  private itemsOf(bound: ListBound | undefined, args: Record<string, unknown>, page: number | undefined): number {
    const max = bound?.maxItems ?? this.limits.maxPageSize;
    if (bound?.itemsFrom) {
      const given = args[bound.itemsFrom];
      return Array.isArray(given) ? Math.min(given.length, max) : max;
    }
    return page !== undefined ? Math.min(page, max) : max;
  }
}

/** Where a selection set stands: on what type, inside which connection's page, in which population. */
interface Where {
  type: GraphQLCompositeType;
  /** The page size of the connection the set belongs to, if any: it bounds the set's lists (`edges`). */
  page: number | undefined;
  /** The introspection population the object belongs to (see introspectionBounds), if any. */
  population: string | undefined;
  /** How many `ofType` steps led here: past the deepest wrapping in the schema it is null. */
  ofType: number;
}

/** Whether a field is paged by `first`/`last` (a connection, or a list paged by its own `first`). */
function takesPage(def: GraphQLField<unknown, unknown>): boolean {
  return def.args.some((a) => a.name === "first" || a.name === "last");
}

/** A field's arguments with the request's variables (as the library gives its estimators); none when they do not coerce. */
function argumentValues(def: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  try {
    return getArgumentValues(def, node, variables);
  } catch {
    return {};
  }
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
