import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { ASK, type Account, CAT, HOUR, NB, birthDateForAge, buildCoordinator, buildPerson, buildVolunteer, askForHelp, window } from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

const CONTACT = `query($id: ID!) { helpRequest(id: $id) { status volunteer { id } contact { fullName address } } }`;
const STATE = `query($id: ID!) { helpRequest(id: $id) { status vogRequired volunteer { id } history { fromStatus toStatus note actor { id } } } }`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const REVIEW = `mutation($p: ID!, $v: Boolean!, $d: String) { reviewVog(personId: $p, verified: $v, issuedOn: $d) { vogStatus vogIssuedOn } }`;
const DECLARE = `mutation($d: String!) { declareVog(issuedOn: $d) { vogStatus vogIssuedOn } }`;
const PROFILE = `{ myVolunteerProfile { vogStatus vogIssuedOn } }`;

/** A YYYY-MM-DD date `days` after the server's today in Dordrecht. */
const dayFromToday = (t: TestApp, days: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + days * 24 * HOUR));

describe.each(backends())("VOG (certificate of conduct) on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  const forChild = async (carer: Account, firstName: string) => {
    const r = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.groceries,
          title: "Naar de sportclub",
          description: "Brengen en halen",
          ...window(t),
          personHelped: { firstName, neighbourhoodId: NB.wielwijk, address: "Schoolstraat 3", birthDate: birthDateForAge(t, 12) },
        },
      },
      carer.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.askForHelp.vogRequired).toBe(true);
    return r.data.askForHelp.id as string;
  };

  it("a rejected VOG ends every match that needed one: back to OPEN with a history event, the contact hidden at once; matches without a VOG stay", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk });
    const volunteer = await buildVolunteer(t, { vog: true, coordinator });
    const matched = await forChild(carer, "Sem");
    const started = await forChild(carer, "Lotte");
    const adult = await buildPerson(t, { firstName: "Gert", address: "Dijk 4" });
    const plain = (await askForHelp(t, adult.token)).id;
    for (const id of [matched, started, plain]) expect((await t.gql(ACCEPT, { id }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    expect((await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: started }, volunteer.token)).data.startHelpRequest.status).toBe("IN_PROGRESS");
    expect((await t.gql(CONTACT, { id: matched }, volunteer.token)).data.helpRequest.contact.address).toBe("Schoolstraat 3");
    const follow = collect(t.ws(carer.token), `subscription($id: ID!) { helpRequestChanged(id: $id) { kind helpRequest { status } } }`, { id: matched });
    await new Promise((r) => setTimeout(r, 300));

    const rejected = await t.gql(REVIEW, { p: volunteer.id, v: false, d: null }, coordinator.token);
    expect(rejected.data.reviewVog.vogStatus).toBe("REJECTED");

    for (const [id, from] of [
      [matched, "MATCHED"],
      [started, "IN_PROGRESS"],
    ]) {
      const state = (await t.gql(STATE, { id }, carer.token)).data.helpRequest;
      expect(state.status).toBe("OPEN");
      expect(state.volunteer).toBeNull();
      expect(state.history.at(-1)).toMatchObject({ fromStatus: from, toStatus: "OPEN", actor: { id: coordinator.id } });
      expect(state.history.at(-1).note).toMatch(/VOG/);
      const read = await t.gql(CONTACT, { id }, volunteer.token);
      expect([codeOf(read), reasonOf(read)]).toEqual(["NOT_FOUND", "HELP_REQUEST_NOT_FOUND"]);
      expect(JSON.stringify(read.data ?? null)).not.toContain("Schoolstraat");
    }
    expect(reasonOf(await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: matched }, volunteer.token))).toBe("HELP_REQUEST_NOT_FOUND");
    expect(reasonOf(await t.gql(ACCEPT, { id: matched }, volunteer.token))).toBe("VOG_REQUIRED");
    const mine = await t.gql(`{ myHelpRequests(relation: HELPING) { edges { node { id status } } } }`, {}, volunteer.token);
    expect(mine.data.myHelpRequests.edges.map((e: any) => e.node)).toEqual([{ id: plain, status: "MATCHED" }]);
    // The request without a VOG stays with the volunteer.
    expect((await t.gql(CONTACT, { id: plain }, volunteer.token)).data.helpRequest).toEqual({
      status: "MATCHED",
      volunteer: { id: volunteer.id },
      contact: { fullName: "Gert Person", address: "Dijk 4" },
    });
    // Those following the request hear that it is open again.
    const events = [];
    for (;;) {
      const e = (await follow.next(2000)).data.helpRequestChanged;
      events.push(e);
      if (e.helpRequest.status === "OPEN" && e.kind === "OPEN") break;
    }
    expect(events.at(-1)).toEqual({ kind: "OPEN", helpRequest: { status: "OPEN" } });
    // Another volunteer with a VOG can take it.
    const other = await buildVolunteer(t, { vog: true, coordinator });
    expect((await t.gql(ACCEPT, { id: matched }, other.token)).data.acceptHelpRequest.status).toBe("MATCHED");
  });

  it("VOG_ISSUED_IN_FUTURE: a VOG cannot be declared or verified with an issue date after today; verifying without a date keeps the declared one", async () => {
    const volunteer = await buildVolunteer(t);
    const tomorrow = dayFromToday(t, 1);
    const declaredFuture = await t.gql(DECLARE, { d: tomorrow }, volunteer.token);
    expect(declaredFuture.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "VOG_ISSUED_IN_FUTURE", field: "issuedOn" });
    expect((await t.gql(PROFILE, {}, volunteer.token)).data.myVolunteerProfile).toEqual({ vogStatus: "NONE", vogIssuedOn: null });

    const today = dayFromToday(t, 0);
    expect((await t.gql(DECLARE, { d: today }, volunteer.token)).data.declareVog).toEqual({ vogStatus: "PENDING", vogIssuedOn: today });
    const reviewedFuture = await t.gql(REVIEW, { p: volunteer.id, v: true, d: tomorrow }, coordinator.token);
    expect(reviewedFuture.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "VOG_ISSUED_IN_FUTURE", field: "issuedOn" });
    expect((await t.gql(PROFILE, {}, volunteer.token)).data.myVolunteerProfile).toEqual({ vogStatus: "PENDING", vogIssuedOn: today });

    const verified = await t.gql(REVIEW, { p: volunteer.id, v: true, d: null }, coordinator.token);
    expect(verified.data.reviewVog).toEqual({ vogStatus: "VERIFIED", vogIssuedOn: today });
    const earlier = dayFromToday(t, -30);
    expect((await t.gql(REVIEW, { p: volunteer.id, v: true, d: earlier }, coordinator.token)).data.reviewVog).toEqual({ vogStatus: "VERIFIED", vogIssuedOn: earlier });
  });
});
