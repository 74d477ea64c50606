import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, TEAM, askForHelp, buildCoordinator, buildOrganisation, buildPerson, buildProfessional, buildVolunteer, postInitiative, SIGN_UP } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const BROWSE = `query($after: String, $order: BrowseOrder, $filter: HelpRequestFilter) {
  openHelpRequests(first: 1, after: $after, orderBy: $order, filter: $filter) { edges { cursor node { id } } pageInfo { endCursor } }
}`;
const MINE = `query($after: String) { myHelpRequests(relation: ASKED, first: 1, after: $after) { pageInfo { endCursor } } }`;
const DISCOVER = `query($after: String, $order: InitiativeOrder) { initiatives(first: 1, after: $after, orderBy: $order) { pageInfo { endCursor } } }`;

const refused = (r: Awaited<ReturnType<TestApp["gql"]>>) => {
  expect(r.data).toBeFalsy();
  expect(codeOf(r)).toBe("BAD_USER_INPUT");
  expect(reasonOf(r)).toBe("INVALID_CURSOR");
};

describe.each(backends())("cursors belong to their connection and arguments on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("INVALID_CURSOR: a NEWEST cursor of openHelpRequests is refused with orderBy SOONEST, and a cursor of another filter or connection too", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    for (let i = 0; i < 3; i++) await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, categoryId: CAT.groceries });
    const newest = await t.gql(BROWSE, { order: "NEWEST" }, volunteer.token);
    const cursor = newest.data.openHelpRequests.pageInfo.endCursor as string;
    expect(cursor).toBeTruthy();
    // The same cursor works with the arguments it was handed out for.
    expect((await t.gql(BROWSE, { order: "NEWEST", after: cursor }, volunteer.token)).errors).toBeUndefined();
    refused(await t.gql(BROWSE, { order: "SOONEST", after: cursor }, volunteer.token));
    refused(await t.gql(BROWSE, { order: "NEWEST", after: cursor, filter: { urgencies: ["HIGH"] } }, volunteer.token));

    const soonest = await t.gql(BROWSE, { order: "SOONEST" }, volunteer.token);
    refused(await t.gql(BROWSE, { order: "NEWEST", after: soonest.data.openHelpRequests.pageInfo.endCursor }, volunteer.token));

    const mine = await t.gql(MINE, {}, resident.token);
    const mineCursor = mine.data.myHelpRequests.pageInfo.endCursor as string;
    expect((await t.gql(MINE, { after: mineCursor }, resident.token)).errors).toBeUndefined();
    refused(await t.gql(BROWSE, { order: "NEWEST", after: mineCursor }, volunteer.token));
    refused(await t.gql(MINE, { after: cursor }, resident.token));
  });

  it("INVALID_CURSOR: an initiatives cursor is refused with another order or in the organisations list, and a sign-up cursor in another list", async () => {
    const org = await buildOrganisation(t);
    for (let i = 0; i < 2; i++) await postInitiative(t, org, { title: `Koffie ${i}` });
    const byNewest = await t.gql(DISCOVER, { order: "NEWEST" });
    const cursor = byNewest.data.initiatives.pageInfo.endCursor as string;
    expect((await t.gql(DISCOVER, { order: "NEWEST", after: cursor })).errors).toBeUndefined();
    refused(await t.gql(DISCOVER, { order: "SOONEST", after: cursor }));

    // Another list's cursor: the organisations list and discovery each refuse the other's.
    await buildOrganisation(t, { coordinator: org.coordinator });
    const ORGS = `query($after: String) { organisations(first: 1, after: $after) { pageInfo { endCursor } } }`;
    const orgCursor = (await t.gql(ORGS, {})).data.organisations.pageInfo.endCursor as string;
    expect((await t.gql(ORGS, { after: orgCursor })).errors).toBeUndefined();
    refused(await t.gql(DISCOVER, { order: "NEWEST", after: orgCursor }));
    refused(await t.gql(ORGS, { after: cursor }));

    const ini = await postInitiative(t, org, { title: "Met inschrijving", capacity: 5 });
    const people = [await buildPerson(t), await buildPerson(t)];
    for (const p of people) expect((await t.gql(SIGN_UP, { input: { initiativeId: ini.id } }, p.token)).errors).toBeUndefined();
    const SIGNUPS = `query($id: ID!, $after: String) { initiative(id: $id) { signups(first: 1, after: $after) { pageInfo { endCursor } } } }`;
    const MY = `query($after: String) { mySignups(first: 1, after: $after) { pageInfo { endCursor } } }`;
    const listCursor = (await t.gql(SIGNUPS, { id: ini.id }, org.organiser.token)).data.initiative.signups.pageInfo.endCursor;
    const myCursor = (await t.gql(MY, {}, people[0].token)).data.mySignups.pageInfo.endCursor;
    refused(await t.gql(MY, { after: listCursor }, people[0].token));
    const wrong = await t.gql(SIGNUPS, { id: ini.id, after: myCursor }, org.organiser.token);
    expect(reasonOf(wrong)).toBe("INVALID_CURSOR");
  });
  it("INVALID_CURSOR: a care circle's shift cursor is refused with other statuses, in another circle and in a team's queue", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const circle = async () =>
      (
        await t.gql(
          `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
          { i: { name: "Zorg", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } },
          carer.token,
        )
      ).data.createCareCircle.id as string;
    const [a, b] = [await circle(), await circle()];
    const start = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + 3 * 86_400_000));
    for (const c of [a, b]) {
      const task = await t.gql(
        `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`,
        { c, i: { title: "Koken", categoryId: CAT.groceries, startDate: start, startTime: "12:00", durationMinutes: 60, weekdays: [1, 2, 3, 4, 5, 6, 7] } },
        carer.token,
      );
      expect(task.errors).toBeUndefined();
    }
    const SHIFTS = `query($c: ID!, $after: String, $statuses: [CareShiftStatus!]) { careCircle(id: $c) { shifts(first: 1, after: $after, statuses: $statuses) { pageInfo { endCursor } } } }`;
    const cursor = (await t.gql(SHIFTS, { c: a }, carer.token)).data.careCircle.shifts.pageInfo.endCursor as string;
    expect(cursor).toBeTruthy();
    expect((await t.gql(SHIFTS, { c: a, after: cursor }, carer.token)).errors).toBeUndefined();
    refused(await t.gql(SHIFTS, { c: a, after: cursor, statuses: ["OPEN"] }, carer.token));
    refused(await t.gql(SHIFTS, { c: b, after: cursor }, carer.token));
    const professional = await buildProfessional(t, TEAM.westSocial, await buildCoordinator(t));
    refused(
      await t.gql(
        `query($team: ID!, $after: String) { teamQueue(teamId: $team, first: 1, after: $after) { pageInfo { endCursor } } }`,
        { team: TEAM.westSocial, after: cursor },
        professional.token,
      ),
    );
  });
});
