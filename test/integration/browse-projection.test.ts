import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, NB, askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

/**
 * Browsing reads only the columns of the fields an operation selects (and joins the person helped
 * only for their name). Whatever is selected, and however it is written (plain, in an inline fragment,
 * in a named fragment, twice), each node of a browse page must be what `nodes` answers for the same
 * request and selection, which reads the whole row. Each document runs three times, so the last run
 * is the compiled one (GRAPHQL_JIT_AFTER).
 */
const LEAVES = [
  "id",
  "__typename",
  "title",
  "description",
  "urgency",
  "vogRequired",
  "sandbox",
  "choiceMode",
  "windowStart",
  "windowEnd",
  "status",
  "language",
  "contactVia",
  "createdAt",
  "updatedAt",
  "askedOnBehalf",
  "outcomeDue",
  "suggestedMinutes",
];
const OBJECTS = ["category { id name }", "neighbourhood { id name }", "personHelped { id firstName }", "myHelpOffer { id }", "followsUpOn { id }"];
const FIELDS = [...LEAVES, ...OBJECTS];

describe.each(backends())("browse reads what the operation selects, on $name", (backend) => {
  let t: TestApp;
  let volunteer: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk, firstName: "Truus" });
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk, firstName: "Henk" });
    await askForHelp(t, resident.token, { title: "Boodschappen", language: "nl" });
    await askForHelp(t, resident.token, { title: "Ophalen apotheek", urgency: "HIGH", choiceMode: true });
    await askForHelp(t, carer.token, { title: "Voor moeder", personHelped: { firstName: "Riet", neighbourhoodId: NB.wielwijk }, contactVia: "ASKER" });
  });
  afterAll(async () => t?.close());

  it("every node of a browse page equals the request read by id, for any selection however written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 8 }), fc.constantFrom("plain", "inline", "named", "split"), async (fields, style) => {
        const body = fields.join(" ");
        const half = Math.ceil(fields.length / 2);
        const selection =
          style === "plain"
            ? `id ${body}`
            : style === "inline"
              ? `id ... on HelpRequest { ${body} }`
              : style === "named"
                ? `id ...F`
                : `id ${fields.slice(0, half).join(" ")} ... on HelpRequest { id ${fields.slice(half).join(" ")} }`;
        const fragment = style === "named" ? ` fragment F on HelpRequest { ${body} }` : "";
        const browse = `query B { openHelpRequests(first: 10) { edges { cursor node { ${selection} } } } }${fragment}`;
        let page: any;
        for (let run = 0; run < 3; run++) {
          const r = await t.gql(browse, {}, volunteer.token);
          expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
          if (page) expect(r.data).toEqual(page);
          page = r.data;
        }
        const nodes = page.openHelpRequests.edges.map((e: any) => e.node);
        expect(nodes.length).toBe(3);
        const read = await t.gql(
          `query N($ids: [ID!]!) { nodes(ids: $ids) { ... on HelpRequest { ${selection} } } }${fragment}`,
          { ids: nodes.map((n: any) => n.id) },
          volunteer.token,
        );
        expect(read.errors).toBeUndefined();
        expect(nodes).toEqual(read.data.nodes);
      }),
      { numRuns: 25 },
    );
  });
});
