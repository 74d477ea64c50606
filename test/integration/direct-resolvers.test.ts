import { isObjectType } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "../../src/app.schema.js";
import { CAT, askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type GqlResult, type TestApp, startTestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("fields served without type-graphql's wrapper", () => {
  it("keeps the wrapper, with its auth check, on every field that has roles or middleware", () => {
    const schema = buildGraphQLSchema(t.app.services);
    const storage = getMetadataStorage();
    const guarded: string[] = [];
    let plain = 0;
    for (const type of storage.objectTypes) {
      const graphqlType = schema.getType(type.name);
      if (!isObjectType(graphqlType)) continue;
      const fields = graphqlType.getFields();
      for (const meta of type.fields ?? []) {
        const field = fields[meta.schemaName];
        if (!field) continue;
        const resolver = storage.fieldResolvers.find((r) => r.getObjectType?.() === meta.target && r.methodName === meta.name);
        const roles = resolver ? resolver.roles : meta.roles;
        const middlewares = resolver ? resolver.middlewares : meta.middlewares;
        if (roles !== undefined || (middlewares?.length ?? 0) > 0) {
          guarded.push(`${type.name}.${meta.schemaName}`);
          expect(field.resolve, `${type.name}.${meta.schemaName}`).toBeTypeOf("function");
        } else if (!field.resolve) plain++;
      }
    }
    // The schema has both kinds in numbers: the check above looked at real guarded fields.
    expect(guarded).toEqual(expect.arrayContaining(["HelpRequest.volunteer", "HelpRequest.contact", "HelpRequest.history", "Notification.lastError"]));
    expect(plain).toBeGreaterThan(300);
  });

  it("answers plain fields and field resolvers as before, and still refuses a guarded field to a volunteer who is not involved", async () => {
    const resident = await buildPerson(t, { firstName: "Wilma" });
    const asked = await askForHelp(t, resident.token, { title: "Boodschappen op dinsdag" });
    const volunteer = await buildVolunteer(t);
    const query = `query($id: ID!) { helpRequest(id: $id) { id title windowStart category { id } neighbourhood { id } personHelped { firstName } askedOnBehalf contact { phone } } }`;
    const r = await t.gql(query, { id: asked.id }, volunteer.token);
    expect(r.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([["helpRequest.contact", "FORBIDDEN"]]);
    expect(r.data.helpRequest.contact).toBeNull();
    expect(r.data.helpRequest.title).toBe("Boodschappen op dinsdag");
    const plain = await t.gql(query.replace(" contact { phone }", ""), { id: asked.id }, volunteer.token);
    expect(plain.errors).toBeUndefined();
    expect(plain.data.helpRequest).toMatchObject({
      id: asked.id,
      title: "Boodschappen op dinsdag",
      category: { id: CAT.groceries },
      personHelped: { firstName: "Wilma" },
      askedOnBehalf: false,
    });
    expect(plain.data.helpRequest.windowStart).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The asking side itself reads its contact details.
    const own = await t.gql(query, { id: asked.id }, resident.token);
    expect(own.errors).toBeUndefined();
    expect(own.data.helpRequest.contact.phone).toBeTruthy();
  });

  it("gives a query its arguments as before, with and without an input object, and defaults applied", async () => {
    const resident = await buildPerson(t, { firstName: "Ans" });
    const groceries = await askForHelp(t, resident.token, { title: "Boodschappen", categoryId: CAT.groceries });
    const company = await askForHelp(t, resident.token, { title: "Gezelschap", categoryId: CAT.company });
    const volunteer = await buildVolunteer(t);
    const browse = `query($filter: HelpRequestFilter, $first: Int) { openHelpRequests(filter: $filter, first: $first) { edges { node { id category { id } } } pageInfo { hasNextPage } } }`;
    const ids = (r: GqlResult) => (r.data.openHelpRequests.edges as { node: { id: string } }[]).map((e) => e.node.id);
    const all = await t.gql(browse, { filter: { allTimesAndLanguages: true } }, volunteer.token);
    expect(all.errors).toBeUndefined();
    expect(ids(all)).toEqual(expect.arrayContaining([groceries.id, company.id]));
    const narrowed = await t.gql(browse, { filter: { allTimesAndLanguages: true, categoryIds: [CAT.company] } }, volunteer.token);
    expect(narrowed.errors).toBeUndefined();
    expect(ids(narrowed)).toContain(company.id);
    expect(ids(narrowed)).not.toContain(groceries.id);
    const one = await t.gql(browse, { filter: { allTimesAndLanguages: true }, first: 1 }, volunteer.token);
    expect(ids(one)).toHaveLength(1);
    expect(one.data.openHelpRequests.pageInfo.hasNextPage).toBe(true);
    // No filter at all: the direct call, with the default order.
    const plain = await t.gql(browse, {}, volunteer.token);
    expect(plain.errors).toBeUndefined();
    const bad = await t.gql(browse, { first: -1 }, volunteer.token);
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
