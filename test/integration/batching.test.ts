import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, NB, askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

/**
 * No N+1 queries: listing more requests must not cost more SQL statements. Counted on SQLite, where
 * every read goes through one connection whose statements can be observed.
 */
describe("nested fields are batched", () => {
  let t: TestApp;
  let statements = 0;
  let resident: Account;
  let volunteer: Account;
  beforeAll(async () => {
    t = await startTestApp();
    const client = (t.app.services.db.read as unknown as { $client: { prepare: (sql: string) => unknown } }).$client;
    const prepare = client.prepare.bind(client);
    client.prepare = (sql: string) => {
      statements++;
      return prepare(sql);
    };
    resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    volunteer = await buildVolunteer(t);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await askForHelp(t, resident.token, { title: `Vraag ${i}` })).id);
    // Every page holds each kind: matched, escalated, released after a match.
    for (const [i, id] of ids.entries()) {
      if (i % 3 !== 1) await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
      if (i % 3 === 1) await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: OTHER) { status } }`, { id }, resident.token);
      if (i % 3 === 2) await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
    }
  });
  afterAll(async () => t?.close());

  const cost = async (query: string, first: number, token: string) => {
    await t.gql(query, { first: 1 }, token); // the viewer's roles are cached after a first request
    // Passes that follow commits (notifications, webhooks) read on the same connection: let those of the
    // set-up's writes finish first, so only the measured request's statements are counted.
    await new Promise((r) => setTimeout(r, 300));
    statements = 0;
    const r = await t.gql(query, { first }, token);
    expect(r.errors).toBeUndefined();
    return statements;
  };

  it("lists a requester's requests with history, actors, volunteer, category, place and escalation status at the same cost for 3 or 12", async () => {
    const q = `query($first: Int) { myHelpRequests(first: $first) { edges { node {
      id status category { name } neighbourhood { name area { name } } personHelped { firstName } volunteer { firstName }
      history { at toStatus actor { firstName } } escalation { status outcome consentRequested }
    } } } }`;
    const few = await cost(q, 3, resident.token);
    const many = await cost(q, 12, resident.token);
    expect(many).toBe(few);
  });

  it("keeps nothing between the events of a subscription: each event shows the history and case as they are now", async () => {
    const req = await askForHelp(t, resident.token, { title: "Live" });
    const live = collect(
      t.ws(resident.token),
      `subscription($id: ID!) { helpRequestChanged(id: $id) { helpRequest { status history { toStatus } escalation { status consentRequested } } } }`,
      { id: req.id },
    );
    await new Promise((r) => setTimeout(r, 300));
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    expect((await live.next(2000)).data.helpRequestChanged.helpRequest).toEqual({ status: "MATCHED", history: [{ toStatus: "OPEN" }, { toStatus: "MATCHED" }], escalation: null });
    await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    expect((await live.next(2000)).data.helpRequestChanged.helpRequest.history.map((h: any) => h.toStatus)).toEqual(["OPEN", "MATCHED", "IN_PROGRESS"]);
    await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH) { status } }`, { id: req.id }, volunteer.token);
    const escalated = (await live.next(2000)).data.helpRequestChanged.helpRequest;
    expect(escalated.status).toBe("ESCALATED");
    expect(escalated.history.at(-1)).toEqual({ toStatus: "ESCALATED" });
    expect(escalated.escalation).toEqual({ status: "NEW", consentRequested: false });
  });

  it("reads afresh for each mutation of one document", async () => {
    const req = await askForHelp(t, resident.token, { title: "Twee stappen" });
    const r = await t.gql(
      `mutation($id: ID!) { a: acceptHelpRequest(id: $id) { history { toStatus } } b: startHelpRequest(id: $id) { history { toStatus } } }`,
      { id: req.id },
      volunteer.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.a.history.map((h: any) => h.toStatus)).toEqual(["OPEN", "MATCHED"]);
    expect(r.data.b.history.map((h: any) => h.toStatus)).toEqual(["OPEN", "MATCHED", "IN_PROGRESS"]);
  });

  it("browses open requests with nested fields at the same cost for 2 or 10", async () => {
    const other = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    for (let i = 0; i < 10; i++) await askForHelp(t, other.token, { title: `Open ${i}` });
    const q = `query($first: Int) { openHelpRequests(first: $first) { edges { node {
      id title urgency category { name } neighbourhood { name } personHelped { firstName } escalation { status }
    } } } }`;
    const few = await cost(q, 2, volunteer.token);
    expect(await cost(q, 10, volunteer.token)).toBe(few);
  });
});
