import "reflect-metadata";
import {
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  getIntrospectionQuery,
  getNullableType,
  introspectionTypes,
  isInterfaceType,
  isListType,
  isObjectType,
  type OperationDefinitionNode,
  execute,
  parse,
} from "graphql";
import { describe, expect, it } from "vitest";
import { FieldCost, QueryCost, enforceListBounds, listBounds } from "../../src/graphql/cost.js";
import { buildGraphQLSchema } from "../../src/app.schema.js";
import { costCheck } from "../../src/graphql/validation.js";

const limits = { maxCost: 50_000, maxPageSize: 100, defaultPageSize: 20 };

function costOf(schema: GraphQLSchema, query: string, variables?: Record<string, unknown>): number {
  return new QueryCost(schema, limits).of(parse(query), undefined, variables);
}

describe("list bounds of the query cost limit", () => {
  const schema = buildGraphQLSchema(null);

  it("every list field of the schema declares the most items it can return", () => {
    const bounds = listBounds(schema);
    const lists = Object.values(schema.getTypeMap())
      .filter((t) => (isObjectType(t) || isInterfaceType(t)) && !introspectionTypes.includes(t as never))
      .flatMap((t) => Object.values((t as GraphQLObjectType).getFields()).map((f) => [`${t.name}.${f.name}`, f] as const))
      .filter(([, f]) => isListType(getNullableType(f.type)));
    expect(lists.length).toBeGreaterThan(40);
    for (const [key, field] of lists) {
      expect(field.extensions?.maxItems, key).toBeGreaterThanOrEqual(1);
      expect(bounds.get(key)?.maxItems, key).toBe(field.extensions?.maxItems);
    }
  });

  it("a schema with a list field that declares no bound does not start", () => {
    const bare = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: "Query",
        fields: {
          names: { type: new GraphQLList(GraphQLString) },
          sizes: { type: new GraphQLList(GraphQLInt), extensions: { maxItems: 5 } },
        },
      }),
    });
    expect(() => listBounds(bare)).toThrow(/Query\.names/);
    expect(() => costCheck(bare, { maxDepth: 12, maxAliases: 30, maxCost: 20_000, introspection: true })).toThrow(/Query\.names/);
    expect(() => listBounds(bare)).not.toThrow(/Query\.sizes/);
  });

  it("multiplies by the bound, the page, or the ids asked, with the request's variables", () => {
    // areas (50) x neighbourhoods (50) x (object 2 + id 1)
    expect(costOf(schema, "{ areas { neighbourhoods { id } } }")).toBe(50 * (2 + 50 * 3));
    // a connection's edges by its page: literal, variable (its value, at most the largest page) or
    // left out (default page); its pageInfo once
    expect(costOf(schema, "{ initiatives(first: 7) { edges { node { id } } } }")).toBe(2 + 7 * (2 + 2 + 1));
    expect(costOf(schema, "{ initiatives(first: 7) { pageInfo { hasNextPage } edges { node { id } } } }")).toBe(2 + 3 + 7 * (2 + 2 + 1));
    const paged = "query($n: Int) { initiatives(first: $n) { edges { node { id } } } }";
    expect(costOf(schema, paged, { n: 7 })).toBe(2 + 7 * 5);
    expect(costOf(schema, paged, { n: 100 })).toBe(2 + 100 * 5);
    expect(costOf(schema, paged, { n: 5000 })).toBe(2 + 100 * 5);
    expect(costOf(schema, paged, {})).toBe(2 + 20 * 5);
    expect(costOf(schema, "{ initiatives { edges { node { id } } } }")).toBe(2 + 20 * 5);
    // fields left out by @skip/@include cost nothing
    const optional = "query($with: Boolean!) { areas @include(if: $with) { neighbourhoods { id } } }";
    expect(costOf(schema, optional, { with: true })).toBe(50 * (2 + 50 * 3));
    expect(costOf(schema, optional, { with: false })).toBe(0);
    // a list paged by its own `first` within its declared pages (dates: 1-200, default 20), plus its
    // own read for each initiative
    const read = FieldCost.READ;
    expect(costOf(schema, `{ initiative(id: "x") { dates { startsAt } } }`)).toBe(2 + read + 20 * 3);
    expect(costOf(schema, `query($n: Int) { initiative(id: "x") { dates(first: $n) { startsAt } } }`, { n: 500 })).toBe(2 + read + 200 * 3);
    expect(costOf(schema, `query($n: Int) { initiative(id: "x") { dates(first: $n) { startsAt } } }`, { n: 4 })).toBe(2 + read + 4 * 3);
    // a read for each organisation of the page
    expect(costOf(schema, `{ organisations(first: 10) { edges { node { initiatives(first: 2) { edges { node { id } } } } } } }`)).toBe(
      2 + 10 * (2 + 2 + read + 2 + 2 * (2 + 2 + 1)),
    );
    // nodes(ids) by the ids given, in the document or in the variables, each id a read and its access check
    expect(costOf(schema, `{ nodes(ids: ["a", "b", "c"]) { id } }`)).toBe(3 * (3 + 2 * read));
    expect(costOf(schema, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ["a", "b"] })).toBe(2 * (3 + 2 * read));
    expect(costOf(schema, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 100 }, (_, i) => `${i}`) })).toBe(100 * (3 + 2 * read));
    expect(costOf(schema, `{ node(id: "a") { id } }`)).toBe(read + 3);
  });

  it("counts fragments wherever they are spread, and refuses a document that spreads them into too many fields", () => {
    const spread = "fragment N on Neighbourhood { id name } { areas { neighbourhoods { ...N } } a: areas { neighbourhoods { ...N } } }";
    expect(costOf(schema, spread)).toBe(2 * 50 * (2 + 50 * (2 + 2)));
    // Fragments spreading fragments: the library works each spread out again, so it stops counting.
    let chain = "fragment F0 on Neighbourhood { id }";
    for (let i = 1; i <= 40; i++) chain += ` fragment F${i} on Neighbourhood { ...F${i - 1} ...F${i - 1} }`;
    const started = performance.now();
    const doc = parse(`${chain} { neighbourhoods { ...F40 } }`);
    expect(costOf(schema, `${chain} { neighbourhoods { ...F40 } }`)).toBe(Number.POSITIVE_INFINITY);
    expect(performance.now() - started).toBeLessThan(500);
    const refused = new QueryCost(schema, limits).refusal(doc, doc.definitions.at(-1) as OperationDefinitionNode, {});
    expect(refused?.extensions).toMatchObject({ reason: "QUERY_TOO_COMPLEX", maxCost: 50_000, maxFields: 5_000, code: "GRAPHQL_VALIDATION_FAILED" });
  });

  it("describes a refusal with its cost and the limit", () => {
    const doc = parse("{ areas { neighbourhoods { area { neighbourhoods { id } } } } }");
    const refused = new QueryCost(schema, limits).refusal(doc, doc.definitions[0] as OperationDefinitionNode);
    expect(refused?.message).toBe(
      "Query is too expensive: its cost is 385100, at most 50000 is allowed (lists multiply the cost of what they contain by the most items they can return; ask for smaller pages, fewer nested lists or fewer fields).",
    );
    expect(refused?.extensions).toEqual({ reason: "QUERY_TOO_COMPLEX", cost: 385_100, maxCost: 50_000, code: "GRAPHQL_VALIDATION_FAILED" });
    expect(refused?.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it("counts the standard introspection query at what it returns, and the cost check admits it whatever the limit", () => {
    const cost = costOf(schema, getIntrospectionQuery());
    expect(cost).toBeGreaterThan(5_000);
    // What it returns, not hundreds of times that: the schema's own size, about 50,000 with every module.
    expect(cost).toBeLessThan(4 * limits.maxCost);
    const check = costCheck(schema, { maxDepth: 20, maxAliases: 20, maxCost: 1_000, introspection: true })!;
    const doc = parse(getIntrospectionQuery());
    expect(check(doc, doc.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode)).toBeNull();
    const mixed = parse("{ __schema { types { name } } areas { id } }");
    expect(check(mixed, mixed.definitions[0] as OperationDefinitionNode)?.extensions).toMatchObject({ reason: "QUERY_TOO_COMPLEX", maxCost: 1_000 });
  });

  it("holds a list whose data outgrew its bound to the bound at run time, and says so", async () => {
    const grown = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: "Query",
        fields: {
          names: { type: new GraphQLList(GraphQLString), extensions: { maxItems: 3 }, resolve: async () => ["a", "b", "c", "d", "e"] },
          sizes: { type: new GraphQLList(GraphQLInt), extensions: { maxItems: 3 }, resolve: () => [1, 2] },
        },
      }),
    });
    const cuts: [string, number, number][] = [];
    enforceListBounds(grown, (field, items, maxItems) => cuts.push([field, items, maxItems]));
    const r = await execute({ schema: grown, document: parse("{ names sizes }") });
    expect(r.data).toEqual({ names: ["a", "b", "c"], sizes: [1, 2] });
    expect(cuts).toEqual([["Query.names", 5, 3]]);
  });
});
