import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, type OperationDefinitionNode, buildSchema, parse, print, specifiedRules, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NB, buildCoordinator, window } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

/**
 * The example partner app (examples/partner-app) builds its typed operations from the committed
 * schema. CI runs its full build (codegen and tsc); this test keeps the fast part in the suite: its
 * operations are valid for schema/schema.graphql, so a schema change that breaks them fails here too,
 * and they run against a real server with a sandbox key as its README tells a partner to.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const example = resolve(root, "examples/partner-app");
const schemaText = readFileSync(resolve(root, "schema/schema.graphql"), "utf8");
const documentText = readFileSync(resolve(example, "src/operations.graphql"), "utf8");
const operations = new Map(
  parse(documentText)
    .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => [op.name!.value, print(op)]),
);

describe("the example partner app", () => {
  it("generates its operations from the committed schema and the documents checked here", () => {
    const config = readFileSync(resolve(example, "codegen.yml"), "utf8");
    expect(config).toMatch(/^schema: \.\.\/\.\.\/schema\/schema\.graphql$/m);
    expect(config).toMatch(/^documents: src\/operations\.graphql$/m);
    expect([...operations.keys()].sort()).toEqual(["AskOnBehalf", "CurrentKey", "NeighbourhoodInitiatives", "OurOpenRequests", "Places"]);
  });

  it("has operations that are valid for schema/schema.graphql", () => {
    const errors = validate(buildSchema(schemaText), parse(documentText), specifiedRules);
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("fails that check when the schema drops or renames a field the app uses", () => {
    const broken = schemaText.replace(/^(type HelpRequest [^{]*\{[\s\S]*?)\n\s*"""[^"]*"""\n\s*sandbox: Boolean!/m, "$1");
    expect(broken).not.toBe(schemaText);
    const errors = validate(buildSchema(broken), parse(documentText), specifiedRules);
    expect(errors.map((e) => e.message)).toContainEqual(expect.stringContaining(`"sandbox" on type "HelpRequest"`));
  });

  describe("against a server, with a sandbox key", () => {
    let t: TestApp;
    let secret: string;
    beforeAll(async () => {
      t = await startTestApp();
      const coordinator = await buildCoordinator(t);
      const app = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { name: "Stichting Welzijn Dordrecht" });
      const issued = await t.gql(
        `mutation($id: ID!) { issueApiKey(clientId: $id, input: { label: "sandbox", scopes: [PUBLIC_READ, REQUESTS_WRITE], sandbox: true }) { secret } }`,
        { id: app.clientId },
        coordinator.token,
      );
      expect(issued.errors).toBeUndefined();
      secret = issued.data.issueApiKey.secret;
    });
    afterAll(async () => t?.close());

    const run = async (name: string, variables: Record<string, unknown> = {}) => {
      const r = await keyed(t, secret, operations.get(name)!, variables);
      expect(r.errors, name).toBeUndefined();
      expect(r.headers.get("zorgzaam-sandbox")).toBe("true");
      return r.data;
    };

    it("runs every operation as the app does: asks on behalf of a resident and lists its open requests there", async () => {
      expect((await run("CurrentKey")).currentApiKey).toMatchObject({ clientName: "Stichting Welzijn Dordrecht", sandbox: true });
      const places = await run("Places");
      const wielwijk = places.neighbourhoods.find((n: { id: string }) => n.id === NB.wielwijk);
      expect(wielwijk.name).toBe("Wielwijk");
      await run("NeighbourhoodInitiatives", { neighbourhoodIds: [wielwijk.id], first: 5 });
      const groceries = places.helpCategories.find((c: { code: string }) => c.code === "GROCERIES");
      const asked = await run("AskOnBehalf", {
        input: {
          categoryId: groceries.id,
          title: "Boodschappen voor mevrouw",
          description: "Mevrouw kan na een val niet zelf naar de supermarkt.",
          ...window(t),
          personHelped: { firstName: "Riet", neighbourhoodId: wielwijk.id, phone: "06 1234 5678" },
        },
      });
      expect(asked.askForHelp).toMatchObject({ status: "OPEN", sandbox: true, neighbourhood: { name: "Wielwijk" } });
      const open = await run("OurOpenRequests", { first: 50 });
      expect(open.myHelpRequests.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([asked.askForHelp.id]);
    });
  });
});
