import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

const POSTED = `subscription($n: [ID!], $c: [ID!]) { helpRequestPosted(neighbourhoodIds: $n, categoryIds: $c) { helpRequest { id title personHelped { firstName } neighbourhood { id } } } }`;
const CHANGED = `subscription($id: ID!) { helpRequestChanged(id: $id) { helpRequest { id status } } }`;

describe.each(backends())("live updates over graphql-ws on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const settle = () => new Promise((r) => setTimeout(r, 300)); // let the subscription register (and Redis subscribe)

  it("delivers a posted request within a second to a fitting volunteer, and not to one who may not see it", async () => {
    const resident = await buildPerson(t);
    const fitting = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.groceries] });
    const elsewhere = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.groceries] });
    const otherSkill = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.transport] });
    const noVog = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.groceries] });
    const subs = {
      fitting: collect(t.ws(fitting.token), POSTED),
      filtered: collect(t.ws(fitting.token), POSTED, { n: [NB.wielwijk] }),
      elsewhere: collect(t.ws(elsewhere.token), POSTED),
      otherSkill: collect(t.ws(otherSkill.token), POSTED),
      noVog: collect(t.ws(noVog.token), POSTED),
    };
    await settle();
    const started = Date.now();
    const req = await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn, title: "Live!" });
    const got = await subs.fitting.next(1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(got.data).toEqual({ helpRequestPosted: { helpRequest: { id: req.id, title: "Live!", personHelped: { firstName: "Test" }, neighbourhood: { id: NB.oudKrispijn } } } });

    const vogReq = await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn, vogRequired: true });
    expect(await subs.elsewhere.quiet(400)).toBe(true);
    expect(subs.elsewhere.items).toHaveLength(0);
    expect(subs.otherSkill.items).toHaveLength(0);
    expect(subs.filtered.items).toHaveLength(0);
    expect(subs.noVog.items.map((i) => i.data?.helpRequestPosted.helpRequest.id)).toEqual([req.id]); // not vogReq
    expect(subs.fitting.items.map((i) => i.data?.helpRequestPosted.helpRequest.id)).toEqual([req.id]);
    void vogReq;
  });

  it("tells the people involved of every transition, and nobody else", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const forResident = collect(t.ws(resident.token), CHANGED, { id: req.id });
    await settle();
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    expect((await forResident.next(1000)).data).toEqual({ helpRequestChanged: { helpRequest: { id: req.id, status: "MATCHED" } } });
    const forVolunteer = collect(t.ws(volunteer.token), CHANGED, { id: req.id });
    await settle();
    await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    expect((await forResident.next(1000)).data.helpRequestChanged.helpRequest.status).toBe("IN_PROGRESS");
    expect((await forVolunteer.next(1000)).data.helpRequestChanged.helpRequest.status).toBe("IN_PROGRESS");

    const stranger = await buildVolunteer(t);
    const denied = collect(t.ws(stranger.token), CHANGED, { id: req.id });
    const first = await denied.next(1000);
    expect(first.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });

  it("refuses subscriptions without a token (UNAUTHENTICATED) and from non-volunteers (FORBIDDEN) with a clear error", async () => {
    const anon = collect(t.ws(), POSTED);
    const a = await anon.next(1000);
    expect(a.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const resident = await buildPerson(t);
    const r = await collect(t.ws(resident.token), POSTED).next(1000);
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(r.errors?.[0].extensions?.reason).toBe("VOLUNTEER_ONLY");
  });

  it("rejects a bad token at connect and an expired token on subscribe", async () => {
    const bad = collect(t.ws("not-a-token"), POSTED);
    await expect(bad.next(1000)).rejects.toThrow(/subscription ended/);
    const volunteer = await buildVolunteer(t);
    const expired = await t.expiredToken(volunteer.id);
    const e = collect(t.ws(expired), POSTED);
    await expect(e.next(1000)).rejects.toThrow(/subscription ended/);
  });

  it("applies the same validation rules as HTTP: a 50-level query is refused for that operation, the socket stays open", async () => {
    const volunteer = await buildVolunteer(t);
    const client = t.ws(volunteer.token);
    let deep = "name";
    for (let i = 0; i < 25; i++) deep = `neighbourhoods { area { ${deep} } }`;
    const r = await collect(client, `query { areas { ${deep} } }`).next(1000);
    expect(r.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(r.errors?.[0].message).toMatch(/too deep/);
    const ok = await collect(client, `query { helpCategories { id } }`).next(1000);
    expect(ok.data.helpCategories.length).toBeGreaterThan(3);
    const typo = await collect(client, `query { helpCategoriez { id } }`).next(1000);
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it("TOO_MANY_SUBSCRIPTIONS: caps operations per socket and frame size", async () => {
    const volunteer = await buildVolunteer(t);
    const client = t.ws(volunteer.token);
    const subs = Array.from({ length: 50 }, () => collect(client, POSTED));
    await settle();
    const over = await collect(client, POSTED).next(1000);
    expect(over.errors?.[0].extensions?.reason).toBe("TOO_MANY_SUBSCRIPTIONS");
    subs.forEach((s) => s.unsubscribe());

    // An oversized frame closes that socket (1009) and nothing else.
    const raw = new WebSocket(t.wsUrl, "graphql-transport-ws");
    await new Promise((r) => raw.once("open", r));
    const closed = new Promise<number>((r) => raw.once("close", (code) => r(code)));
    raw.send("x".repeat(200_000));
    expect(await closed).toBe(1009);
    const health = await t.gql(`{ helpCategories { id } }`);
    expect(health.data.helpCategories.length).toBeGreaterThan(0);
  });
});
