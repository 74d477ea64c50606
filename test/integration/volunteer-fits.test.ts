import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

/** A fit with its ids in order; its id sets (kept for fast lookups) must hold exactly its ids. */
const sorted = (fit: { categoryIds: string[]; neighbourhoodIds: string[]; categorySet: ReadonlySet<string>; neighbourhoodSet: ReadonlySet<string> }) => {
  const { categorySet, neighbourhoodSet, ...rest } = fit;
  expect([...categorySet].sort()).toEqual([...new Set(fit.categoryIds)].sort());
  expect([...neighbourhoodSet].sort()).toEqual([...new Set(fit.neighbourhoodIds)].sort());
  return { ...rest, categoryIds: [...fit.categoryIds].sort(), neighbourhoodIds: [...fit.neighbourhoodIds].sort() };
};

describe.each(backends())("volunteers' fits read together on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("gives each volunteer their own fit when many are read in one batch, as the exact read does, and shows a change at once", async () => {
    const near = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.groceries] });
    const wide = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk, NB.oudKrispijn], categoryIds: [CAT.company, CAT.groceries], vog: true });
    const noProfile = await buildPerson(t, { roles: ["VOLUNTEER"] });
    const volunteers = t.app.services.volunteers;

    // Asked for in the same tick, as a posted request asks for every subscriber's: one batch.
    const ids = [near.id, wide.id, noProfile.id, near.id];
    const together = await Promise.all(ids.map((id) => volunteers.recentFitOf(id)));
    const exact = await Promise.all(ids.map((id) => volunteers.fitOf(id)));
    expect(together.map(sorted)).toEqual(exact.map(sorted));
    expect(sorted(together[0])).toEqual({
      personId: near.id,
      categoryIds: [CAT.groceries],
      neighbourhoodIds: [NB.oudKrispijn],
      vogVerified: false,
      vogExpiresAt: null,
      availability: [],
      languages: ["nl"],
    });
    expect(sorted(together[1])).toEqual({
      personId: wide.id,
      categoryIds: [CAT.company, CAT.groceries].sort(),
      neighbourhoodIds: [NB.oudKrispijn, NB.wielwijk].sort(),
      vogVerified: true,
      vogExpiresAt: expect.any(Date),
      availability: [],
      languages: ["nl"],
    });
    expect(sorted(together[2])).toEqual({ personId: noProfile.id, categoryIds: [], neighbourhoodIds: [], vogVerified: false, vogExpiresAt: null, availability: [], languages: [] });
    expect(volunteers.recentFitNow(wide.id)).toEqual(together[1]);

    const changed = await t.gql(
      `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
      { input: { categoryIds: [CAT.company], neighbourhoodIds: [NB.wielwijk], languages: ["nl"], availability: [] } },
      near.token,
    );
    expect(changed.errors).toBeUndefined();
    expect(volunteers.recentFitNow(near.id)).toBeUndefined();
    expect(sorted(await volunteers.recentFitOf(near.id))).toEqual({
      personId: near.id,
      categoryIds: [CAT.company],
      neighbourhoodIds: [NB.wielwijk],
      vogVerified: false,
      vogExpiresAt: null,
      availability: [],
      languages: ["nl"],
    });
  });
});
