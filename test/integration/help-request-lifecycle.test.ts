import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { ASK, CAT, HOUR, NB, askForHelp, buildCoordinator, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const BROWSE = `query($first: Int, $after: String, $filter: HelpRequestFilter, $order: BrowseOrder) {
  openHelpRequests(first: $first, after: $after, filter: $filter, orderBy: $order) {
    edges { cursor node { id title status windowStart category { id } neighbourhood { id } personHelped { firstName } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const HISTORY = `query($id: ID!) { helpRequest(id: $id) { status history { fromStatus toStatus note actor { firstName } } } }`;

describe.each(backends())("help request lifecycle on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("runs the whole story: ask, browse, accept, start, complete, with every transition in the history", async () => {
    const resident = await buildPerson(t, { firstName: "Anna" });
    const volunteer = await buildVolunteer(t, { firstName: "Mo" });
    const req = await askForHelp(t, resident.token, { title: "Boodschappen op dinsdag" });
    expect(req.status).toBe("OPEN");
    expect(req.personHelped.firstName).toBe("Anna");

    const browse = await t.gql(BROWSE, {}, volunteer.token);
    expect(browse.errors).toBeUndefined();
    const found = browse.data.openHelpRequests.edges.find((e: any) => e.node.id === req.id);
    expect(found.node).toMatchObject({ title: "Boodschappen op dinsdag", status: "OPEN", personHelped: { firstName: "Anna" } });

    const accept = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status volunteer { firstName } } }`, { id: req.id }, volunteer.token);
    expect(accept.data.acceptHelpRequest).toEqual({ status: "MATCHED", volunteer: { firstName: "Mo" } });

    const afterAccept = await t.gql(BROWSE, {}, volunteer.token);
    expect(afterAccept.data.openHelpRequests.edges.map((e: any) => e.node.id)).not.toContain(req.id);

    const start = await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: req.id }, volunteer.token);
    expect(start.data.startHelpRequest.status).toBe("IN_PROGRESS");
    const done = await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id, note: "Gedaan!") { status } }`, { id: req.id }, volunteer.token);
    expect(done.data.completeHelpRequest.status).toBe("DONE");

    const h = await t.gql(HISTORY, { id: req.id }, resident.token);
    const times = (await t.gql(`query($id: ID!) { helpRequest(id: $id) { history { at } } }`, { id: req.id }, resident.token)).data.helpRequest.history.map((e: any) =>
      Date.parse(e.at),
    );
    expect(times.every((x: number, i: number) => Number.isFinite(x) && Math.abs(x - t.clock.now().getTime()) < 60_000 && (i === 0 || x >= times[i - 1]))).toBe(true);
    expect(h.data.helpRequest.history).toEqual([
      { fromStatus: null, toStatus: "OPEN", note: null, actor: { firstName: "Anna" } },
      { fromStatus: "OPEN", toStatus: "MATCHED", note: null, actor: { firstName: "Mo" } },
      { fromStatus: "MATCHED", toStatus: "IN_PROGRESS", note: null, actor: { firstName: "Mo" } },
      { fromStatus: "IN_PROGRESS", toStatus: "DONE", note: "Gedaan!", actor: { firstName: "Mo" } },
    ]);
  });

  it("lets the matched volunteer release a request back to OPEN, after which another volunteer can take it", async () => {
    const resident = await buildPerson(t);
    const v1 = await buildVolunteer(t);
    const v2 = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, v1.token);
    const rel = await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id, note: "Ik ben ziek") { status } }`, { id: req.id }, v1.token);
    expect(rel.data.releaseHelpRequest.status).toBe("OPEN");
    const again = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status volunteer { firstName } } }`, { id: req.id }, v2.token);
    expect(again.data.acceptHelpRequest.status).toBe("MATCHED");
    const h = await t.gql(HISTORY, { id: req.id }, resident.token);
    expect(h.data.helpRequest.history.map((e: any) => e.toStatus)).toEqual(["OPEN", "MATCHED", "OPEN", "MATCHED"]);
    expect(h.data.helpRequest.history[2].note).toBe("Ik ben ziek");
  });

  it("NOT_THE_MATCHED_VOLUNTEER, HELP_REQUEST_WRONG_STATUS: only the matched volunteer may start or release, and only in lifecycle order", async () => {
    const resident = await buildPerson(t);
    const v1 = await buildVolunteer(t);
    const v2 = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, v1.token);
    const start = await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: req.id }, v2.token);
    expect(codeOf(start)).toBe("NOT_FOUND"); // v2 may no longer see the matched request at all
    const complete = await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id) { status } }`, { id: req.id }, v1.token);
    expect(codeOf(complete)).toBe("CONFLICT"); // MATCHED cannot jump to DONE
    expect(reasonOf(complete)).toBe("HELP_REQUEST_WRONG_STATUS");
  });

  it("NOT_THE_REQUESTER, HELP_REQUEST_NOT_OPEN: lets the requester cancel, refuses a cancel by anyone else, and a cancelled request cannot be accepted", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const notMine = await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id: req.id }, volunteer.token);
    expect(codeOf(notMine)).toBe("FORBIDDEN");
    expect(reasonOf(notMine)).toBe("NOT_THE_REQUESTER");
    const c = await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id, reason: "Mijn zoon helpt al") { status } }`, { id: req.id }, resident.token);
    expect(c.data.cancelHelpRequest.status).toBe("CANCELLED");
    const accept = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: req.id }, volunteer.token);
    expect(reasonOf(accept)).toBe("HELP_REQUEST_NOT_OPEN");
  });

  it("expires OPEN requests when the window passes, exactly once however often the sweep runs; a MATCHED one waits for its outcome", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const open = await askForHelp(t, resident.token, window(t, 1, 2));
    const matched = await askForHelp(t, resident.token, window(t, 1, 2));
    const later = await askForHelp(t, resident.token, window(t, 1, 200));
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: matched.id }, volunteer.token);
    t.clock.advance(4 * HOUR);
    const runs = await Promise.all([1, 2, 3].map(() => t.app.services.helpRequests.expireDue()));
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    await t.app.services.helpRequests.expireDue();
    const held = await t.gql(`query($id: ID!) { helpRequest(id: $id) { status outcomeDue } }`, { id: matched.id }, resident.token);
    expect(held.data.helpRequest).toEqual({ status: "MATCHED", outcomeDue: true });
    for (const id of [open.id]) {
      const h = await t.gql(HISTORY, { id }, resident.token);
      expect(h.data.helpRequest.status).toBe("EXPIRED");
      expect(h.data.helpRequest.history.filter((e: any) => e.toStatus === "EXPIRED")).toHaveLength(1);
      expect(h.data.helpRequest.history.at(-1).actor).toBeNull();
    }
    const stillOpen = await t.gql(HISTORY, { id: later.id }, resident.token);
    expect(stillOpen.data.helpRequest.status).toBe("OPEN");
    t.clock.advance(-4 * HOUR);
  });

  it("CANNOT_ACCEPT_OWN_REQUEST: a volunteer cannot accept a request they asked themselves", async () => {
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, volunteer.token, { neighbourhoodId: NB.oudKrispijn });
    const r = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: req.id }, volunteer.token);
    expect(codeOf(r)).toBe("FORBIDDEN");
    expect(reasonOf(r)).toBe("CANNOT_ACCEPT_OWN_REQUEST");
    const browse = await t.gql(BROWSE, {}, volunteer.token);
    expect(browse.data.openHelpRequests.edges.map((e: any) => e.node.id)).not.toContain(req.id);
  });

  it("browses only requests that fit the volunteer: neighbourhoods, categories and VOG, with filters and cursor paging", async () => {
    const resident = await buildPerson(t);
    const coordinator = await buildCoordinator(t);
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport, CAT.paperwork] });
    const fits = [];
    for (let i = 0; i < 5; i++) {
      fits.push(await askForHelp(t, resident.token, { neighbourhoodId: NB.dubbeldam, categoryId: CAT.transport, title: `Rit ${i}`, ...window(t, 10 - i, 4) }));
    }
    const paperwork = await askForHelp(t, resident.token, { neighbourhoodId: NB.dubbeldam, categoryId: CAT.paperwork, urgency: "URGENT" });
    const otherPlace = await askForHelp(t, resident.token, { neighbourhoodId: NB.binnenstad, categoryId: CAT.transport });
    const otherKind = await askForHelp(t, resident.token, { neighbourhoodId: NB.dubbeldam, categoryId: CAT.groceries });
    const needsVog = await askForHelp(t, resident.token, { neighbourhoodId: NB.dubbeldam, categoryId: CAT.transport, vogRequired: true });

    const ids = async (vars: Record<string, unknown>, token = volunteer.token) =>
      (await t.gql(BROWSE, { first: 50, ...vars }, token)).data.openHelpRequests.edges.map((e: any) => e.node.id);
    const all = await ids({});
    expect(all).toEqual([paperwork.id, ...fits.map((f) => f.id).reverse()]); // newest first
    expect(all).not.toContain(otherPlace.id);
    expect(all).not.toContain(otherKind.id);
    expect(all).not.toContain(needsVog.id);

    expect(await ids({ filter: { urgencies: ["URGENT"] } })).toEqual([paperwork.id]);
    expect(await ids({ filter: { categoryIds: [CAT.transport] }, order: "SOONEST" })).toEqual(fits.map((f) => f.id).reverse());
    // A filter narrows, never widens beyond the profile.
    expect(await ids({ filter: { neighbourhoodIds: [NB.binnenstad] } })).toEqual([]);
    expect(await ids({ filter: { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.paperwork] } })).toEqual([paperwork.id]);
    // Time window: requests whose window overlaps [from, to]. fits[i] runs from 10-i to 14-i hours ahead.
    const at = (hours: number) => new Date(t.clock.now().getTime() + hours * HOUR).toISOString();
    expect(await ids({ filter: { categoryIds: [CAT.transport], from: at(12.5), to: at(30) }, order: "SOONEST" })).toEqual([fits[1].id, fits[0].id]);
    expect(await ids({ filter: { categoryIds: [CAT.transport], to: at(7.5) }, order: "SOONEST" })).toEqual([fits[4].id, fits[3].id]);
    expect(await ids({ filter: { from: at(500) } })).toEqual([]);

    // Cursor paging walks every item exactly once.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await t.gql(BROWSE, { first: 2, after }, volunteer.token);
      seen.push(...page.data.openHelpRequests.edges.map((e: any) => e.node.id));
      expect(page.data.openHelpRequests.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.data.openHelpRequests.pageInfo.hasNextPage) break;
      after = page.data.openHelpRequests.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);

    // With a verified VOG the VOG request shows up.
    await t.gql(`mutation($id: ID!) { reviewVog(personId: $id, verified: true, issuedOn: "2026-02-01") { vogStatus } }`, { id: volunteer.id }, coordinator.token);
    expect(await ids({})).toContain(needsVog.id);
  });

  it("VOLUNTEER_ONLY: a resident without the volunteer role cannot browse or accept", async () => {
    const resident = await buildPerson(t);
    const other = await buildPerson(t);
    const req = await askForHelp(t, other.token);
    const b = await t.gql(BROWSE, {}, resident.token);
    expect(codeOf(b)).toBe("FORBIDDEN");
    expect(reasonOf(b)).toBe("VOLUNTEER_ONLY");
    const a = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: req.id }, resident.token);
    expect(reasonOf(a)).toBe("VOLUNTEER_ONLY");
  });

  it("lists my requests as requester and as helper", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const r1 = await askForHelp(t, resident.token);
    const r2 = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: r1.id }, volunteer.token);
    const q = `query($rel: HelpRelation) { myHelpRequests(relation: $rel) { edges { node { id status } } } }`;
    const asked = await t.gql(q, { rel: "ASKED" }, resident.token);
    expect(asked.data.myHelpRequests.edges.map((e: any) => e.node.id)).toEqual([r2.id, r1.id]);
    const helping = await t.gql(q, { rel: "HELPING" }, volunteer.token);
    expect(helping.data.myHelpRequests.edges).toEqual([{ node: { id: r1.id, status: "MATCHED" } }]);
  });

  it("answers node(id) for visible objects and null for hidden ones", async () => {
    const resident = await buildPerson(t);
    const stranger = await buildPerson(t);
    const req = await askForHelp(t, resident.token);
    const q = `query($id: ID!) { node(id: $id) { __typename id ... on HelpRequest { title } ... on Neighbourhood { name } } }`;
    expect((await t.gql(q, { id: req.id }, resident.token)).data.node).toMatchObject({ __typename: "HelpRequest", id: req.id });
    expect((await t.gql(q, { id: req.id }, stranger.token)).data.node).toBeNull();
    expect((await t.gql(q, { id: NB.wielwijk })).data.node).toEqual({ __typename: "Neighbourhood", id: NB.wielwijk, name: "Wielwijk" });
    const many = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [NB.wielwijk, "nope_1", req.id] }, resident.token);
    expect(many.data.nodes).toEqual([{ id: NB.wielwijk }, null, { id: req.id }]);
  });

  it("CANNOT_ASK_ON_BEHALF, UNKNOWN_PERSON_HELPED: asks on behalf of someone: only mantelzorgers, wijkwinkels and professionals, for people they registered", async () => {
    const resident = await buildPerson(t);
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const input = {
      categoryId: CAT.groceries,
      title: "Voor mijn moeder",
      description: "Boodschappen",
      ...window(t),
      personHelped: { firstName: "Riet", neighbourhoodId: NB.wielwijk, address: "Straat 1" },
    };
    const denied = await t.gql(ASK, { input }, resident.token);
    expect(reasonOf(denied)).toBe("CANNOT_ASK_ON_BEHALF");
    const ok = await t.gql(ASK, { input }, carer.token);
    expect(ok.data.askForHelp).toMatchObject({ askedOnBehalf: true, personHelped: { firstName: "Riet" }, neighbourhood: { id: NB.wielwijk } });
    // The same person can be named again by id, but only by whoever registered them.
    const again = await t.gql(ASK, { input: { ...input, personHelped: undefined, personHelpedId: ok.data.askForHelp.personHelped.id } }, carer.token);
    expect(again.errors).toBeUndefined();
    const other = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const stolen = await t.gql(ASK, { input: { ...input, personHelped: undefined, personHelpedId: ok.data.askForHelp.personHelped.id } }, other.token);
    expect(reasonOf(stolen)).toBe("UNKNOWN_PERSON_HELPED");
  });

  it("always requires a VOG when the person helped is a minor", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const birth = new Date(t.clock.now().getTime() - 12 * 365 * 24 * HOUR).toISOString().slice(0, 10);
    const r = await askForHelp(t, carer.token, { vogRequired: false, personHelped: { firstName: "Daan", neighbourhoodId: NB.wielwijk, birthDate: birth } });
    expect(r.vogRequired).toBe(true);
  });
});
