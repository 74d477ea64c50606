import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, HOUR, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer, rowCounts, window } from "../support/builders.js";
import { buildPartnerKey } from "../support/partners.js";
import { type GqlResult, type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

/** Reasons from docs/error-codes.md that no other test title names; each answered with its code, nothing written. */
describe.each(backends())("error reasons on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const expectError = (r: GqlResult, code: string, reason: string) => expect([codeOf(r), reasonOf(r)]).toEqual([code, reason]);
  const localDate = (days: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + days * 24 * HOUR));

  it("GRAPHQL_PARSE_FAILED, TOO_MANY_IDS: a document that does not parse answers 400; nodes(ids) takes at most 100", async () => {
    const parse = await t.gql(`{ helpCategories { id `);
    expect(parse.status).toBe(400);
    expect(codeOf(parse)).toBe("GRAPHQL_PARSE_FAILED");
    const ids = Array.from({ length: 101 }, (_, i) => `hr_${i}`);
    expectError(await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids }), "BAD_USER_INPUT", "TOO_MANY_IDS");
    expect((await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ids.slice(0, 100) })).errors).toBeUndefined();
  });

  it("QUERY_TOO_DEEP, TOO_MANY_ALIASES: a document nested deeper than MAX_QUERY_DEPTH or with more than MAX_ALIASES aliases is refused before it runs", async () => {
    let deep = "name";
    for (let i = 0; i < 8; i++) deep = `neighbourhoods { area { ${deep} } }`;
    const tooDeep = await t.gql(`{ areas { ${deep} } }`);
    expect(tooDeep.status).toBe(400);
    expectError(tooDeep, "GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_DEEP");
    expect(tooDeep.data).toBeUndefined();
    const aliases = (n: number) => `{ areas { ${Array.from({ length: n }, (_, i) => `a${i}: name`).join(" ")} } }`;
    const tooMany = await t.gql(aliases(31));
    expect(tooMany.status).toBe(400);
    expectError(tooMany, "GRAPHQL_VALIDATION_FAILED", "TOO_MANY_ALIASES");
    expect(tooMany.data).toBeUndefined();
    expect((await t.gql(aliases(30))).errors).toBeUndefined();
  });

  it("NEIGHBOURHOOD_REQUIRED: a partner app asking for its own account, which lives in no neighbourhood, must name one", async () => {
    const coordinator = await buildCoordinator(t);
    const key = await buildPartnerKey(t, coordinator, ["REQUESTS_WRITE"]);
    const { db } = t.app.services;
    const [{ servicePersonId }] = await db.read
      .select({ servicePersonId: db.tables.apiClients.servicePersonId })
      .from(db.tables.apiClients)
      .where(eq(db.tables.apiClients.id, key.clientId));
    const ask = (input: Record<string, unknown>) =>
      fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key.secret },
        body: JSON.stringify({
          query: `mutation($i: AskForHelpInput!) { askForHelp(input: $i) { status neighbourhood { id } } }`,
          variables: { i: { categoryId: CAT.groceries, title: "Voor de app", description: "Graag", ...window(t), personHelpedId: servicePersonId, ...input } },
        }),
      }).then(async (r) => ({ status: r.status, ...((await r.json()) as Omit<GqlResult, "status">) }));
    const before = await rowCounts(t);
    const refused = await ask({});
    expectError(refused, "BAD_USER_INPUT", "NEIGHBOURHOOD_REQUIRED");
    expect(refused.errors?.[0].extensions?.field).toBe("input.neighbourhoodId");
    expect(await rowCounts(t)).toEqual(before);
    expect((await ask({ neighbourhoodId: NB.wielwijk })).data?.askForHelp).toEqual({ status: "OPEN", neighbourhood: { id: NB.wielwijk } });
  });

  it("HELP_REQUEST_WINDOW_PASSED: accepting after the wanted window ended, before the sweep marked it", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token, window(t, 1, 1));
    t.clock.advance(3 * HOUR);
    try {
      const before = await rowCounts(t);
      expectError(await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: req.id }, volunteer.token), "CONFLICT", "HELP_REQUEST_WINDOW_PASSED");
      expect(await rowCounts(t)).toEqual(before);
    } finally {
      t.clock.advance(-3 * HOUR);
    }
  });

  it("UNKNOWN_CARE_RECEIVER, ALREADY_A_MEMBER, NOT_A_CIRCLE_MEMBER, CARE_TASK_NOT_FOUND, CARE_SHIFT_NOT_FOUND, SWAP_NOT_FOUND, SHIFT_CHANGED: care circle mistakes change nothing", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const member = await buildPerson(t);
    const stranger = await buildPerson(t);
    const create = `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`;
    expectError(await t.gql(create, { i: { name: "Zorg", careReceiverId: stranger.id } }, carer.token), "BAD_USER_INPUT", "UNKNOWN_CARE_RECEIVER");
    const circleId = (await t.gql(create, { i: { name: "Zorg", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } }, carer.token)).data.createCareCircle.id;
    const invite = async () => (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c) { code } }`, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
    const join = `mutation($code: String!) { joinCareCircle(code: $code) { id } }`;
    expect((await t.gql(join, { code: await invite() }, member.token)).errors).toBeUndefined();
    const second = await invite();
    expectError(await t.gql(join, { code: second }, member.token), "CONFLICT", "ALREADY_A_MEMBER");
    await t.gql(
      `mutation($i: CareTaskInput!, $c: ID!) { addCareTask(circleId: $c, input: $i) { id } }`,
      { c: circleId, i: { title: "Koken", categoryId: CAT.groceries, startDate: localDate(2), startTime: "17:00", durationMinutes: 60 } },
      carer.token,
    );
    const shift = (await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts { edges { node { id startsAt } } } } }`, { c: circleId }, carer.token)).data.careCircle.shifts.edges[0]
      .node;
    await t.gql(`mutation($id: ID!) { claimCareShift(id: $id) { id } }`, { id: shift.id }, carer.token);

    const before = await rowCounts(t);
    const cases: [string, Record<string, unknown>, string, string][] = [
      [`mutation($s: ID!, $to: ID!) { proposeCareShiftSwap(shiftId: $s, toPersonId: $to) { id } }`, { s: shift.id, to: stranger.id }, "BAD_USER_INPUT", "NOT_A_CIRCLE_MEMBER"],
      [`mutation($c: ID!, $to: ID!) { handOverCoordination(circleId: $c, toPersonId: $to) { id } }`, { c: circleId, to: stranger.id }, "BAD_USER_INPUT", "NOT_A_CIRCLE_MEMBER"],
      [
        `mutation($id: ID!, $i: CareTaskInput!) { updateCareTask(id: $id, input: $i) { id } }`,
        { id: "task_nope", i: { title: "X", categoryId: CAT.groceries, startDate: localDate(2), startTime: "10:00", durationMinutes: 30 } },
        "NOT_FOUND",
        "CARE_TASK_NOT_FOUND",
      ],
      [`mutation($id: ID!) { removeCareTask(id: $id) }`, { id: "task_nope" }, "NOT_FOUND", "CARE_TASK_NOT_FOUND"],
      [`mutation($id: ID!) { claimCareShift(id: $id) { id } }`, { id: "shift_nope" }, "NOT_FOUND", "CARE_SHIFT_NOT_FOUND"],
      [`query($id: ID!) { careShift(id: $id) { id } }`, { id: shift.id }, "NOT_FOUND", "CARE_SHIFT_NOT_FOUND"], // as the stranger below
      [`mutation($id: ID!, $a: Boolean!) { respondToCareShiftSwap(swapId: $id, accept: $a) { id } }`, { id: "swap_nope", a: true }, "NOT_FOUND", "SWAP_NOT_FOUND"],
    ];
    for (const [doc, vars, code, reason] of cases) {
      const token = doc.includes("careShift(id") ? stranger.token : carer.token;
      expectError(await t.gql(doc, vars, token), code, reason);
    }
    expect(await rowCounts(t)).toEqual(before);

    // A shift covered through a volunteer request is given back by releasing that request instead.
    await t.gql(
      `mutation($i: CareTaskInput!, $c: ID!) { addCareTask(circleId: $c, input: $i) { id } }`,
      { c: circleId, i: { title: "Boodschappen", categoryId: CAT.groceries, startDate: localDate(1), startTime: "10:00", durationMinutes: 60 } },
      carer.token,
    );
    await t.app.services.care.sweep();
    const gap = (await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts { edges { node { id helpRequestId } } } } }`, { c: circleId }, carer.token)).data.careCircle.shifts.edges
      .map((e: any) => e.node)
      .find((n: any) => n.helpRequestId);
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: gap.helpRequestId }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    const atGiveBack = await rowCounts(t);
    expectError(await t.gql(`mutation($id: ID!) { giveBackCareShift(id: $id) { status } }`, { id: gap.id }, volunteer.token), "CONFLICT", "SHIFT_CHANGED");
    expect(await rowCounts(t)).toEqual(atGiveBack);
  });

  it("UNKNOWN_TEAM: re-routing a case to a team that does not exist changes nothing", async () => {
    const coordinator = await buildCoordinator(t);
    const professional = await buildProfessional(t, TEAM.westSocial, coordinator);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const req = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk });
    const id = (await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: OTHER) { escalationId } }`, { id: req.id }, resident.token)).data.flagHelpRequest.escalationId;
    const before = await rowCounts(t);
    const reroute = `mutation($id: ID!, $lead: ID!, $co: ID) { rerouteEscalation(id: $id, leadTeamId: $lead, coTeamId: $co, reason: "Andere wijk") { id } }`;
    expectError(await t.gql(reroute, { id, lead: "team_nowhere" }, coordinator.token), "BAD_USER_INPUT", "UNKNOWN_TEAM");
    expectError(await t.gql(reroute, { id, lead: TEAM.centrumSocial, co: "team_nowhere" }, coordinator.token), "BAD_USER_INPUT", "UNKNOWN_TEAM");
    expect(await rowCounts(t)).toEqual(before);
    expect((await t.gql(`query($id: ID!) { escalation(id: $id) { leadTeam { id } } }`, { id }, professional.token)).data.escalation.leadTeam.id).toBe(TEAM.westSocial);
  });
});
