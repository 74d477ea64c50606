import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../seeds/demo.js";
import { backends } from "../support/backends.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const UTILISATION = `query($m: String) {
  participationUtilisation(municipality: $m) {
    region { places filledPlaces freePlaces utilisation utilisationPercentage startedParticipants activeParticipants endedParticipants }
    byArea { area { name } places filledPlaces }
    byOrganisation { organisation { name kind } places filledPlaces utilisationPercentage }
  }
}`;

/** The demo seed is the one place where the source text's figures must come out of Zorgzaam itself. */
describe.each(backends())("the demo's neighbourhood initiatives on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
    await seedDemo(t.app.services);
  }, 120_000);
  afterAll(async () => t?.close());

  it("reproduces the source's participation figures: 375 places, 367 active participants (303 started), 64% used", async () => {
    const r = await t.gql(UTILISATION, { m: "Dordrecht" });
    expect(r.errors).toBeUndefined();
    expect(r.data.participationUtilisation.region).toEqual({
      places: 375,
      filledPlaces: 240,
      freePlaces: 135,
      utilisation: 0.64,
      utilisationPercentage: 64,
      startedParticipants: 303,
      activeParticipants: 367,
      endedParticipants: 127,
    });
    expect(r.data.participationUtilisation.byOrganisation).toHaveLength(17);
    expect(r.data.participationUtilisation.byOrganisation.every((o: any) => o.organisation.kind === "LEARNING_WORK_COMPANY")).toBe(true);
    const perArea = r.data.participationUtilisation.byArea.reduce((n: number, a: any) => n + a.places, 0);
    expect(perArea).toBe(375);
  });

  it("lets an anonymous partner app find the seeded initiatives, and suggests the coffee morning with Anna's request for company", async () => {
    const found = await t.gql(
      `{ initiatives(filter: { neighbourhoodIds: ["nb_dordrecht-oud-krispijn"], includeNearby: true }, first: 50) { edges { node { title organisation { name } } } } }`,
    );
    expect(found.errors).toBeUndefined();
    const titles = found.data.initiatives.edges.map((e: any) => e.node.title);
    expect(titles).toContain("Koffieochtend in de wijkwinkel");
    expect(titles).toContain("Taalcafé: Nederlands oefenen"); // Wielwijk is near Oud-Krispijn

    const login = await t.gql(`mutation { login(email: "anna@zorgzaam.example", password: "zorgzaam-demo") { token } }`);
    const mine = await t.gql(`{ myHelpRequests { edges { node { title suggestedInitiatives { title } } } } }`, {}, login.data.login.token);
    const walk = mine.data.myHelpRequests.edges.find((e: any) => e.node.title === "Samen een wandeling maken");
    expect(walk.node.suggestedInitiatives[0].title).toBe("Koffieochtend in de wijkwinkel");
  });
});
