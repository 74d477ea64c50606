import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, HOUR, NB, askForHelp, buildCoordinator, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;

describe.each(backends())("node(id) for every Node type on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const node = async (id: string, token?: string) => (await t.gql(NODE, { id }, token)).data?.node ?? null;

  it("answers help request events, access log entries, care tasks and swaps to those who may see them, and null to others", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const stranger = await buildPerson(t);
    const coordinator = await buildCoordinator(t);

    const req = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    await t.gql(`query($id: ID!) { helpRequest(id: $id) { contact { address } } }`, { id: req.id }, volunteer.token);
    const [opened, matched] = (await t.gql(`query($id: ID!) { helpRequest(id: $id) { history { id } } }`, { id: req.id }, resident.token)).data.helpRequest.history;
    expect(await node(opened.id, resident.token)).toEqual({ __typename: "HelpRequestEvent", id: opened.id });
    expect(await node(matched.id, volunteer.token)).toEqual({ __typename: "HelpRequestEvent", id: matched.id });
    expect(await node(matched.id, stranger.token)).toBeNull();
    expect(await node(matched.id)).toBeNull();

    const entry = (await t.gql(`{ accessLog { edges { node { id } } } }`, {}, resident.token)).data.accessLog.edges[0].node.id;
    expect(await node(entry, resident.token)).toEqual({ __typename: "AccessLogEntry", id: entry });
    expect(await node(entry, coordinator.token)).toEqual({ __typename: "AccessLogEntry", id: entry });
    expect(await node(entry, volunteer.token)).toBeNull(); // the reader is not the person read about

    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const member = await buildPerson(t);
    const circleId = (
      await t.gql(
        `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
        { i: { name: "Zorg", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } },
        carer.token,
      )
    ).data.createCareCircle.id;
    const code = (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c) { code } }`, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
    await t.gql(`mutation($code: String!) { joinCareCircle(code: $code) { id } }`, { code }, member.token);
    const startDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + 72 * HOUR));
    const task = (
      await t.gql(
        `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`,
        { c: circleId, i: { title: "Koken", categoryId: CAT.groceries, startDate, startTime: "17:00", durationMinutes: 60 } },
        carer.token,
      )
    ).data.addCareTask.id;
    const shift = (await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts { edges { node { id } } } } }`, { c: circleId }, carer.token)).data.careCircle.shifts.edges[0].node.id;
    await t.gql(`mutation($id: ID!) { claimCareShift(id: $id) { id } }`, { id: shift }, carer.token);
    const swap = (await t.gql(`mutation($s: ID!, $to: ID!) { proposeCareShiftSwap(shiftId: $s, toPersonId: $to) { id } }`, { s: shift, to: member.id }, carer.token)).data
      .proposeCareShiftSwap.id;
    for (const token of [carer.token, member.token]) {
      expect(await node(task, token)).toEqual({ __typename: "CareTask", id: task });
      expect(await node(swap, token)).toEqual({ __typename: "CareSwap", id: swap });
    }
    for (const token of [stranger.token, coordinator.token, undefined]) {
      expect(await node(task, token)).toBeNull();
      expect(await node(swap, token)).toBeNull();
    }
    const many = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }`, { ids: [task, swap, opened.id, entry] }, resident.token);
    expect(many.data.nodes).toEqual([null, null, { __typename: "HelpRequestEvent" }, { __typename: "AccessLogEntry" }]);
  });
});
