import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { buildOrganisation, postInitiative } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const DISCOVER = `query($filter: InitiativeFilter, $order: InitiativeOrder, $first: Int, $after: String) {
  initiatives(filter: $filter, orderBy: $order, first: $first, after: $after) {
    edges { cursor node { id title } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(backends())("initiative text search on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const ids = async (filter: Record<string, unknown>) => {
    const r = await t.gql(DISCOVER, { filter, first: 100 });
    expect(r.errors).toBeUndefined();
    return r.data.initiatives.edges.map((e: any) => e.node.id) as string[];
  };

  it("matches the start of words: taal finds taalcafé and Taalmaatje, not Digitaal café", async () => {
    const org = await buildOrganisation(t, { name: "Stichting Woordbegin" });
    const cafe = await postInitiative(t, org, { title: "Taalcafé", description: "Nederlands oefenen." });
    const maatje = await postInitiative(t, org, { title: "Taalmaatje gezocht", description: "Samen oefenen." });
    const digital = await postInitiative(t, org, { title: "Digitaal café", description: "Hulp met de computer." });
    const found = await ids({ organisationId: org.id, text: "taal" });
    expect(found.sort()).toEqual([cafe.id, maatje.id].sort());
    expect(found).not.toContain(digital.id);
  });

  it("ignores accents both ways: cafe finds café and café finds cafe", async () => {
    const org = await buildOrganisation(t, { name: "Stichting Accenten" });
    const accented = await postInitiative(t, org, { title: "Reparatiecafé in de buurt", description: "Breng je spullen mee." });
    const plain = await postInitiative(t, org, { title: "Cafe voor ouderen", description: "Koffie en gezelligheid." });
    expect((await ids({ organisationId: org.id, text: "reparatiecafe" })).sort()).toEqual([accented.id]);
    expect((await ids({ organisationId: org.id, text: "café" })).sort()).toEqual([plain.id]);
  });

  it("ranks a title match above a match in the description", async () => {
    const org = await buildOrganisation(t, { name: "Stichting Volgorde" });
    const inDescription = await postInitiative(t, org, { title: "Samen eten", description: "Daarna een moestuin bezoeken." });
    const inTitle = await postInitiative(t, org, { title: "Moestuin van de buurt", description: "Groenten kweken." });
    expect(await ids({ organisationId: org.id, text: "moestuin" })).toEqual([inTitle.id, inDescription.id]);
  });

  it("pages ranked results with cursors, each match exactly once, and a cursor belongs to its search", async () => {
    const org = await buildOrganisation(t, { name: "Stichting Bladeren" });
    const posted: string[] = [];
    for (let i = 0; i < 5; i++) posted.push((await postInitiative(t, org, { title: `Wandelgroep ${i}`, description: i % 2 ? "wandelgroep wandelgroep" : "Samen lopen." })).id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r: any = await t.gql(DISCOVER, { filter: { organisationId: org.id, text: "wandelgroep" }, first: 2, after });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.initiatives.edges.map((e: any) => e.node.id));
      if (!r.data.initiatives.pageInfo.hasNextPage) break;
      after = r.data.initiatives.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([...posted].sort());
    const first: any = await t.gql(DISCOVER, { filter: { organisationId: org.id, text: "wandelgroep" }, first: 1 });
    const other = await t.gql(DISCOVER, { filter: { organisationId: org.id, text: "samen" }, first: 1, after: first.data.initiatives.pageInfo.endCursor });
    expect(other.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("keeps the search text in step with an edit", async () => {
    const org = await buildOrganisation(t, { name: "Stichting Bewerken" });
    const posted = await postInitiative(t, org, { title: "Schaakclub", description: "Elke dinsdag." });
    const u = await t.gql(
      `mutation($id: ID!, $input: UpdateInitiativeInput!) { updateInitiative(id: $id, input: $input) { title } }`,
      { id: posted.id, input: { title: "Dammenclub" } },
      org.organiser.token,
    );
    expect(u.errors).toBeUndefined();
    expect(await ids({ organisationId: org.id, text: "dammen" })).toEqual([posted.id]);
    expect(await ids({ organisationId: org.id, text: "schaak" })).toEqual([]);
  });

  it("answers hostile input with an empty result or the usual refusal, never an internal error", async () => {
    const org = await buildOrganisation(t, { name: "Stichting Vijandig" });
    const posted = await postInitiative(t, org, { title: "Taalles NEAR het station", description: "Lessen (gratis) voor iedereen." });
    const inputs = [
      '"taalles',
      "taalles*",
      "NEAR(taalles station)",
      "taalles -station",
      "(taalles OR x)",
      "taalles AND NOT station",
      "'; drop table initiatives; --",
      "taal:* & !x",
      "^taalles",
      "{title}: taalles",
      "a".repeat(199),
    ];
    for (const text of inputs) {
      const r = await t.gql(DISCOVER, { filter: { organisationId: org.id, text }, first: 10 });
      const code = r.errors?.[0]?.extensions?.code;
      if (code) expect(code).toBe("BAD_USER_INPUT");
      else expect(Array.isArray(r.data.initiatives.edges)).toBe(true);
    }
    const long = await t.gql(DISCOVER, { filter: { organisationId: org.id, text: "taal ".repeat(100) }, first: 10 });
    expect(long.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const only = await t.gql(DISCOVER, { filter: { organisationId: org.id, text: '"*" - ()' }, first: 10 });
    expect(only.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await ids({ organisationId: org.id, text: "(taalles)" })).toEqual([posted.id]);
    expect(await ids({ organisationId: org.id, text: '"taalles" station*' })).toEqual([posted.id]);
  });

  it.runIf(backend.name === "postgres")("stems Dutch words on PostgreSQL: wandelen finds a wandeling", async () => {
    const org = await buildOrganisation(t, { name: "Stichting Stammen" });
    const walk = await postInitiative(t, org, { title: "Wandeling door het park", description: "Rustig tempo." });
    expect(await ids({ organisationId: org.id, text: "wandelen" })).toEqual([walk.id]);
  });
});
