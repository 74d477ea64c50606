import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { NB, SIGN_UP, buildOrganisation, buildPerson, postInitiative, schedule } from "../support/builders.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

/** Subscribers of `initiativePublished` hear every public change of an initiative, and which it was. */
const FEED = `subscription($n: [ID!], $changes: [InitiativeChange!], $since: String) {
  initiativePublished(neighbourhoodIds: $n, changes: $changes, since: $since) { cursor kind change initiative { id status placesLeft nextDate { startsAt } } }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdateInitiativeInput!) { updateInitiative(id: $id, input: $input) { id } }`;

describe.each(backends())("initiative changes reach subscribers on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("carries publication, new dates, freed places and cancellation, each named in `change`; `changes` narrows to the old feed of new initiatives", async () => {
    const org = await buildOrganisation(t, { neighbourhoodId: NB.binnenstad });
    const all = collect(t.ws(), FEED, { n: [NB.binnenstad] });
    const onlyNew = collect(t.ws(), FEED, { n: [NB.binnenstad], changes: ["PUBLISHED"] });
    await new Promise((r) => setTimeout(r, 300));

    const ini = await postInitiative(t, org, { neighbourhoodId: NB.binnenstad, capacity: 1, title: "Repair café" });
    const published = (await all.next(3000)).data.initiativePublished;
    expect(published).toMatchObject({ kind: "PUBLISHED", change: "PUBLISHED", initiative: { id: ini.id, status: "PUBLISHED", placesLeft: 1 } });

    const moved = schedule(t, 96, 2);
    expect((await t.gql(UPDATE, { id: ini.id, input: { schedule: moved } }, org.organiser.token)).errors).toBeUndefined();
    const rescheduled = (await all.next(3000)).data.initiativePublished;
    expect(rescheduled).toMatchObject({ change: "RESCHEDULED", initiative: { id: ini.id } });
    expect(Date.parse(rescheduled.initiative.nextDate.startsAt)).toBe(Date.parse(moved.startsAt));

    // A title edit is not one of the announced changes.
    expect((await t.gql(UPDATE, { id: ini.id, input: { title: "Repair café Binnenstad" } }, org.organiser.token)).errors).toBeUndefined();

    const resident = await buildPerson(t);
    const signup = await t.gql(SIGN_UP, { input: { initiativeId: ini.id } }, resident.token);
    expect(signup.data.signUpForInitiative.status).toBe("CONFIRMED");
    const cancelled = await t.gql(`mutation($id: ID!) { cancelSignup(id: $id) { status } }`, { id: signup.data.signUpForInitiative.id }, resident.token);
    expect(cancelled.errors).toBeUndefined();
    const freed = (await all.next(3000)).data.initiativePublished;
    expect(freed).toMatchObject({ change: "PLACES_FREED", initiative: { id: ini.id, placesLeft: 1 } });

    expect((await t.gql(UPDATE, { id: ini.id, input: { capacity: 5 } }, org.organiser.token)).errors).toBeUndefined();
    expect((await all.next(3000)).data.initiativePublished).toMatchObject({ change: "PLACES_FREED", initiative: { placesLeft: 5 } });

    const stop = await t.gql(`mutation($id: ID!) { cancelInitiative(id: $id, reason: "Geen vrijwilligers") { status } }`, { id: ini.id }, org.organiser.token);
    expect(stop.errors).toBeUndefined();
    const gone = (await all.next(3000)).data.initiativePublished;
    expect(gone).toMatchObject({ kind: "CANCELLED", change: "CANCELLED", initiative: { id: ini.id, status: "CANCELLED" } });
    expect(await all.quiet(300)).toBe(true);
    expect(all.items.map((i) => i.data?.initiativePublished.change)).toEqual(["PUBLISHED", "RESCHEDULED", "PLACES_FREED", "PLACES_FREED", "CANCELLED"]);

    await onlyNew.quiet(300);
    expect(onlyNew.items.map((i) => i.data?.initiativePublished.change)).toEqual(["PUBLISHED"]);

    // A subscriber that reconnects after the publication replays the changes it missed, in order.
    const replay = collect(t.ws(), FEED, { n: [NB.binnenstad], since: published.cursor });
    for (const change of ["RESCHEDULED", "PLACES_FREED", "PLACES_FREED", "CANCELLED"]) {
      expect((await replay.next(3000)).data.initiativePublished.change).toBe(change);
    }
  });

  it("keeps changes of a draft to its organisers: nothing is announced before the initiative is public", async () => {
    const org = await buildOrganisation(t, { neighbourhoodId: NB.dubbeldam });
    const all = collect(t.ws(), FEED, { n: [NB.dubbeldam] });
    await new Promise((r) => setTimeout(r, 300));
    const draft = await postInitiative(t, org, { neighbourhoodId: NB.dubbeldam, capacity: 3, publish: false });
    await t.gql(UPDATE, { id: draft.id, input: { schedule: schedule(t, 72, 2), capacity: 6 } }, org.organiser.token);
    await t.gql(`mutation($id: ID!) { cancelInitiative(id: $id) { status } }`, { id: draft.id }, org.organiser.token);
    expect(await all.quiet(500)).toBe(true);
    expect(all.items).toHaveLength(0);
  });
});
