import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, askForHelp, buildPerson, buildVolunteer, rowCounts, window } from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

/** 30 aliases over lists that take no `first`: about 4.5 KB, within the depth, alias and token limits. */
const REFERENCE_FLOOD = `{ ${Array.from(
  { length: 30 },
  (_, i) =>
    `a${i}: teams { id name kind neighbourhoods { id name latitude longitude area { id name municipality teams { id name kind neighbourhoods { id name area { id name teams { id name kind } } } } } } }`,
).join(" ")} }`;

const aliases = (n: number, body: string) => Array.from({ length: n }, (_, i) => `a${i}: ${body}`).join(" ");

describe.each(backends())("query cost on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("QUERY_TOO_COMPLEX: 30 aliases over nested lists without `first` are refused over HTTP before anything runs, and nothing changes", async () => {
    expect(REFERENCE_FLOOD.length).toBeGreaterThan(4000);
    const resident = await buildPerson(t);
    const before = await rowCounts(t);
    const r = await t.gql(REFERENCE_FLOOD);
    expect(r.data).toBeUndefined();
    expect(codeOf(r)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(reasonOf(r)).toBe("QUERY_TOO_COMPLEX");
    expect((r.errors![0].extensions as any).maxCost).toBe(50_000);
    expect((r.errors![0].extensions as any).cost).toBeGreaterThan(50_000);
    expect(r.errors![0].message).toMatch(/too expensive/);
    // The same lists under a mutation's answer: refused as a whole, so the mutation does not run either.
    const input = { categoryId: CAT.groceries, title: "Boodschappen", description: "Graag", ...window(t) };
    const flood = aliases(5, "area { neighbourhoods { area { teams { neighbourhoods { area { teams { id } } } } } } }");
    const m = await t.gql(`mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id neighbourhood { ${flood} } } }`, { input }, resident.token);
    expect(reasonOf(m)).toBe("QUERY_TOO_COMPLEX");
    expect(await rowCounts(t)).toEqual(before);
    // The HTTP status of a refused document.
    const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: REFERENCE_FLOOD }) });
    expect(res.status).toBe(400);
  });

  it("QUERY_TOO_COMPLEX: the same query over graphql-ws is refused for that operation, the socket stays open", async () => {
    const volunteer = await buildVolunteer(t);
    const client = t.ws(volunteer.token);
    const r = await collect(client, REFERENCE_FLOOD).next(2000);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(r.errors?.[0].extensions?.reason).toBe("QUERY_TOO_COMPLEX");
    const sub = await collect(
      client,
      `subscription { helpRequestPosted { helpRequest { id neighbourhood { ${aliases(5, "area { teams { neighbourhoods { area { neighbourhoods { area { teams { id } } } } } } }")} } } } }`,
    ).next(2000);
    expect(sub.errors?.[0].extensions?.reason).toBe("QUERY_TOO_COMPLEX");
    const ok = await collect(client, `query { helpCategories { id } }`).next(2000);
    expect(ok.data.helpCategories.length).toBeGreaterThan(3);
  });

  it("QUERY_TOO_COMPLEX: a list without `first` counts the most items it can return, not what the data holds today", async () => {
    // Twelve neighbourhoods exist, but the cost of `neighbourhoods` is its declared bound (500 places).
    const one = await t.gql(`{ neighbourhoods { id name latitude longitude area { id name municipality } } }`);
    expect(one.errors).toBeUndefined();
    const ten = await t.gql(`{ ${aliases(10, "neighbourhoods { id name latitude longitude area { id name municipality } }")} }`);
    expect(reasonOf(ten)).toBe("QUERY_TOO_COMPLEX");
  });

  it("QUERY_TOO_COMPLEX: a page size given as a variable costs what the variables say, each time the same document is sent", async () => {
    const page = `query($n: Int) { ${aliases(3, "openHelpRequests(first: $n) { edges { node { id title suggestedInitiatives(first: 20) { id title organisation { id name } } } } }")} }`;
    const volunteer = await buildVolunteer(t);
    const small = await t.gql(page, { n: 1 }, volunteer.token);
    expect(small.errors).toBeUndefined();
    const large = await t.gql(page, { n: 100 }, volunteer.token);
    expect(reasonOf(large)).toBe("QUERY_TOO_COMPLEX");
    expect((large.errors![0].extensions as any).cost).toBeGreaterThan(50_000);
    expect(reasonOf(await t.gql(page, { n: 1 }, volunteer.token))).toBeUndefined();
    // Left out, the page is the connection's default one.
    expect(reasonOf(await t.gql(page, {}, volunteer.token))).toBe("QUERY_TOO_COMPLEX");
    // Fields left out by @include/@skip cost nothing.
    const flood = `query($with: Boolean!) { helpCategories { id } ${aliases(10, "neighbourhoods @include(if: $with) { id name latitude longitude area { id name municipality } }")} }`;
    expect((await t.gql(flood, { with: false })).errors).toBeUndefined();
    expect(reasonOf(await t.gql(flood, { with: true }))).toBe("QUERY_TOO_COMPLEX");
  });

  it("QUERY_TOO_COMPLEX: over graphql-ws too, a page size given as a variable costs what the variables say", async () => {
    const volunteer = await buildVolunteer(t);
    const client = t.ws(volunteer.token);
    const page = `query($n: Int) { ${aliases(3, "openHelpRequests(first: $n) { edges { node { id title suggestedInitiatives(first: 20) { id title } } } }")} }`;
    const small = await collect(client, page, { n: 1 }).next(2000);
    expect(small.errors).toBeUndefined();
    const large = await collect(client, page, { n: 100 }).next(2000);
    expect(large.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(large.errors?.[0].extensions?.reason).toBe("QUERY_TOO_COMPLEX");
    expect((large.errors?.[0].extensions as Record<string, unknown>).http).toBeUndefined();
  });

  it("QUERY_TOO_COMPLEX: nodes(ids) costs per id asked, and batches of it add up", async () => {
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token);
    const fields = "id ... on HelpRequest { title status history { at toStatus actor { id firstName } } }";
    const few = await t.gql(`{ nodes(ids: ["${req.id}", "${req.id}"]) { ${fields} } }`, {}, resident.token);
    expect(few.errors).toBeUndefined();
    expect(few.data.nodes).toHaveLength(2);
    const ids = JSON.stringify(Array.from({ length: 100 }, () => req.id));
    const batch = await t.gql(`{ ${aliases(3, `nodes(ids: ${ids}) { ${fields} }`)} }`, {}, resident.token);
    expect(reasonOf(batch)).toBe("QUERY_TOO_COMPLEX");
    // Given as a variable, the ids count as many as the variables hold.
    const asVariable = `query($ids: [ID!]!) { ${aliases(3, `nodes(ids: $ids) { ${fields} }`)} }`;
    expect((await t.gql(asVariable, { ids: [req.id] }, resident.token)).errors).toBeUndefined();
    expect(reasonOf(await t.gql(asVariable, { ids: Array.from({ length: 100 }, () => req.id) }, resident.token))).toBe("QUERY_TOO_COMPLEX");
  });

  it("QUERY_TOO_COMPLEX: introspection costs what it returns: GraphiQL's query passes, four of it in one document do not", async () => {
    const intro = getIntrospectionQuery();
    const one = await t.gql(intro);
    expect(one.errors).toBeUndefined();
    expect(one.data.__schema.types.length).toBeGreaterThan(50);
    const body = intro
      .slice(intro.indexOf("__schema"), intro.indexOf("fragment FullType"))
      .trim()
      .replace(/\}\s*$/, "");
    const four = await t.gql(`query { a: ${body} b: ${body} c: ${body} d: ${body} } ${intro.slice(intro.indexOf("fragment FullType"))}`);
    expect(reasonOf(four)).toBe("QUERY_TOO_COMPLEX");
    // The fields of every field's type, reached through `__type`: each list counts at its longest.
    const nested = await t.gql(`{ __type(name: "Query") { fields { type { fields { name args { name type { name } } type { name kind } } } } } }`);
    expect(nested.errors).toHaveLength(1);
    expect(reasonOf(nested)).toBe("QUERY_TOO_COMPLEX");
  });
});

describe("the schema's own introspection under a cost limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(undefined, { MAX_QUERY_COST: "2000" });
  });
  afterAll(async () => t?.close());

  it("QUERY_TOO_COMPLEX stays for anything else: the full introspection is admitted whatever the limit, an operation mixing it with data is not", async () => {
    const full = await t.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true }));
    expect(full.errors).toBeUndefined();
    expect(full.data.__schema.types.length).toBeGreaterThan(100);
    const mixed = await t.gql(`${getIntrospectionQuery().replace("query IntrospectionQuery {", "query IntrospectionQuery { helpCategories { id }")}`);
    expect(reasonOf(mixed)).toBe("QUERY_TOO_COMPLEX");
    expect((mixed.errors![0].extensions as any).maxCost).toBe(2000);
  });
});

describe("query cost kept per document", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: "sqlite" }, { MAX_QUERY_COST: "200" });
  });
  afterAll(async () => t?.close());

  it("QUERY_TOO_COMPLEX: one document sent again and again is judged by each request's own variables, in any order", async () => {
    const volunteer = await buildVolunteer(t);
    const doc = `query Page($n: Int) { openHelpRequests(first: $n) { edges { node { id title category { id name } } } } }`;
    const judged = async (n: number) => {
      const r = await t.gql(doc, { n }, volunteer.token);
      return reasonOf(r) === "QUERY_TOO_COMPLEX" ? ((r.errors![0].extensions as any).cost as number) : "admitted";
    };
    const big = await judged(100);
    expect(big).toBeGreaterThan(200);
    for (const n of [1, 100, 1, 2, 100, 100, 1]) expect(await judged(n)).toBe(n === 100 ? big : "admitted");
    // The same variables in another operation of the same text are another operation.
    const two = `${doc} query Other($n: Int) { openHelpRequests(first: $n) { edges { node { id } } } }`;
    const named = async (operationName: string, n: number) => {
      const res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${volunteer.token}` },
        body: JSON.stringify({ query: two, variables: { n }, operationName }),
      });
      return (await res.json()) as { errors?: { extensions?: { reason?: string } }[] };
    };
    expect((await named("Other", 20)).errors).toBeUndefined();
    expect((await named("Page", 100)).errors?.[0]?.extensions?.reason).toBe("QUERY_TOO_COMPLEX");
    expect((await named("Other", 20)).errors).toBeUndefined();
  });
});
