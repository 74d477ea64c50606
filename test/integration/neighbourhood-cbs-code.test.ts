import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "../../seeds/seed-runner.js";
import { backends } from "../support/backends.js";
import { type Account, NB, buildCoordinator, buildPerson } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

/** The CBS wijk codes of Dordrecht (GM0505) the reference data brings; see docs/statistics-privacy.md. */
const EXPECTED: Record<string, string | null> = {
  "Oud-Krispijn": "WK050503",
  "Nieuw-Krispijn": "WK050504",
  Wielwijk: "WK050507",
  Crabbehof: null,
  Zuidhoven: null,
  Sterrenburg: "WK050509",
  Stadspolders: "WK050511",
  Dubbeldam: "WK050510",
  Binnenstad: "WK050501",
  Noordflank: "WK050502",
  Staart: "WK050506",
  Reeland: "WK050505",
};
const DORDRECHT_CODE = /^(WK|BU)0505\d+$/;

const AREAS = `{ areas { municipality name neighbourhoods { id name cbsCode } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Neighbourhood { name cbsCode } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Neighbourhood { cbsCode } } }`;
const STATS = `{ stats { cells(first: 100) { edges { node { neighbourhood { id name cbsCode } } } } } }`;
const CREATE = `mutation($areaId: ID!) { createNeighbourhood(areaId: $areaId, name: "Nieuwe wijk", latitude: 51.8, longitude: 4.7) { id cbsCode } }`;

type Nb = { id: string; name: string; cbsCode: string | null };

describe.each(backends())("CBS codes of neighbourhoods on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let person: Account;

  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
    person = await buildPerson(t);
  });
  afterAll(async () => t?.close());

  const dordrecht = async (token?: string): Promise<Nb[]> => {
    const r = await t.gql(AREAS, undefined, token);
    expect(r.errors).toBeUndefined();
    return r.data.areas.filter((a: { municipality: string }) => a.municipality === "Dordrecht").flatMap((a: { neighbourhoods: Nb[] }) => a.neighbourhoods);
  };

  it("shows every seeded Dordrecht neighbourhood's wijk code to anyone, anonymous or signed in", async () => {
    for (const token of [undefined, person.token]) {
      const list = await dordrecht(token);
      expect(Object.fromEntries(list.map((n) => [n.name, n.cbsCode]))).toEqual(EXPECTED);
      const coded = list.filter((n) => n.cbsCode !== null);
      expect(coded).toHaveLength(10);
      for (const n of coded) expect(n.cbsCode).toMatch(DORDRECHT_CODE);
      // One code names one place.
      expect(new Set(coded.map((n) => n.cbsCode)).size).toBe(coded.length);
    }
  });

  it("gives the code through node and nodes", async () => {
    const one = await t.gql(NODE, { id: NB.oudKrispijn });
    expect(one.errors).toBeUndefined();
    expect(one.data.node).toEqual({ id: NB.oudKrispijn, name: "Oud-Krispijn", cbsCode: "WK050503" });
    const many = await t.gql(NODES, { ids: [NB.wielwijk, NB.binnenstad, NB.dubbeldam, "nb_dordrecht-crabbehof"] });
    expect(many.errors).toBeUndefined();
    expect(many.data.nodes.map((n: { cbsCode: string | null }) => n.cbsCode)).toEqual(["WK050507", "WK050501", "WK050510", null]);
  });

  it("gives the code with each neighbourhood of the statistics", async () => {
    const r = await t.gql(STATS);
    expect(r.errors).toBeUndefined();
    const seen = new Map<string, string | null>(r.data.stats.cells.edges.map((e: { node: { neighbourhood: Nb } }) => [e.node.neighbourhood.name, e.node.neighbourhood.cbsCode]));
    expect(seen.get("Sterrenburg")).toBe("WK050509");
    expect(seen.get("Stadspolders")).toBe("WK050511");
    expect(seen.get("Zuidhoven")).toBeNull();
  });

  it("leaves the code empty on a neighbourhood a coordinator adds", async () => {
    const area = (await t.gql(`{ areas { id name } }`)).data.areas.find((a: { name: string }) => a.name === "Oost");
    const r = await t.gql(CREATE, { areaId: area.id }, coordinator.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.createNeighbourhood.cbsCode).toBeNull();
    const again = await t.gql(NODE, { id: r.data.createNeighbourhood.id });
    expect(again.data.node.cbsCode).toBeNull();
  });

  it("fills the codes into a database seeded before they were known, and keeps the rest of the row", async () => {
    const s = t.app.services;
    const n = s.db.tables.neighbourhoods;
    await s.db.transaction(async (tx) => {
      await tx.update(n).set({ cbsCode: null, latitude: 51.79 }).where(eq(n.id, "nb_dordrecht-sterrenburg"));
    });
    await s.places.reload();
    expect((await t.gql(NODE, { id: "nb_dordrecht-sterrenburg" })).data.node.cbsCode).toBeNull();

    await seedReferenceData(s);
    const after = await t.gql(`query($id: ID!) { node(id: $id) { ... on Neighbourhood { name latitude cbsCode } } }`, { id: "nb_dordrecht-sterrenburg" });
    expect(after.data.node).toEqual({ name: "Sterrenburg", latitude: 51.79, cbsCode: "WK050509" });
    // The coordinator's neighbourhood (added above) keeps its empty code.
    expect(Object.fromEntries((await dordrecht()).map((x) => [x.name, x.cbsCode]))).toEqual({ ...EXPECTED, "Nieuwe wijk": null });
  });
});
