import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, buildCoordinator, buildOrganiser, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";
import { offerEraser } from "../../src/modules/offers/offer.erasure.js";
import { offerExporter } from "../../src/modules/offers/offer.export.js";

const POST = `mutation($input: PostOfferInput!) { postOffer(input: $input) { id listingId status title neighbourhoods { id } categories { id } } }`;
const BROWSE = `query($f: OfferFilter) { offers(filter: $f, first: 100) { edges { node { id title vogVerified languages neighbourhoods { id } categories { id } availability { weekday from to } } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on OfferListing { title } ... on Offer { title status } ... on OfferAsk { askStatus: status } } }`;
const ASK = `mutation($input: AskFromOfferInput!) { askFromOffer(input: $input) { id status personHelped { firstName } helpRequest { id } offer { id title } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOfferAsk(id: $id) { id status helpRequest { id status } } }`;
const DECLINE = `mutation($id: ID!) { declineOfferAsk(id: $id) { id status } }`;
const TO_ME = `{ offerAsksToMe { id status title personHelped { firstName } helpRequest { id } } }`;
const MY_ASKS = `{ myOfferAsks { id status offer { id } helpRequest { id status volunteer { id firstName } contact { phone } } } }`;

const offerInput = (o: Record<string, unknown> = {}) => ({
  title: "Boodschappen op dinsdagochtend",
  description: "Ik doe boodschappen in Wielwijk en Oud-Krispijn",
  categoryIds: [CAT.groceries],
  neighbourhoodIds: [NB.wielwijk],
  availability: [{ weekday: 2, from: "09:00", to: "12:00" }],
  languages: ["nl", "en"],
  ...o,
});

describe.each(backends())("offers of help, on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  async function postOffer(v: Account, o: Record<string, unknown> = {}) {
    const r = await t.gql(POST, { input: offerInput(o) }, v.token);
    expect(r.errors).toBeUndefined();
    return r.data.postOffer as { id: string; listingId: string };
  }
  async function ask(token: string, listingId: string, o: Record<string, unknown> = {}) {
    return t.gql(ASK, { input: { listingId, title: "Boodschappen", description: "Melk en brood graag", ...window(t, 24, 48), ...o } }, token);
  }

  it("an offer is found anonymously without its volunteer's identity, asked for, accepted, and only then does contact show both ways; the usual lifecycle follows", async () => {
    const volunteer = await buildVolunteer(t, { firstName: "Volkert", neighbourhoodIds: [NB.wielwijk, NB.oudKrispijn] });
    const offer = await postOffer(volunteer, { neighbourhoodIds: [NB.wielwijk, NB.oudKrispijn] });
    expect(offer.listingId).toMatch(/^ofl_/);

    const anonymous = await t.gql(BROWSE, { f: { neighbourhoodIds: [NB.wielwijk] } });
    const listed = anonymous.data.offers.edges.map((e: any) => e.node);
    const mine = listed.find((l: any) => l.id === offer.listingId);
    expect(mine).toMatchObject({ title: "Boodschappen op dinsdagochtend", vogVerified: false, languages: ["nl", "en"], categories: [{ id: CAT.groceries }] });
    expect(JSON.stringify(anonymous)).not.toContain(volunteer.id);
    expect(JSON.stringify(anonymous)).not.toContain("Volkert");
    expect(JSON.stringify(anonymous)).not.toContain(offer.id);
    // The listing's id leads to the listing only; the offer's own id to nothing but for its volunteer.
    expect((await t.gql(NODE, { id: offer.listingId })).data.node).toEqual({ __typename: "OfferListing", id: offer.listingId, title: "Boodschappen op dinsdagochtend" });
    expect((await t.gql(NODE, { id: offer.id })).data.node).toBeNull();
    const resident = await buildPerson(t, { firstName: "Rianne", neighbourhoodId: NB.wielwijk, phone: "06 1234 5678" });
    expect((await t.gql(NODE, { id: offer.id }, resident.token)).data.node).toBeNull();
    expect((await t.gql(NODE, { id: offer.id }, volunteer.token)).data.node).toEqual({
      __typename: "Offer",
      id: offer.id,
      title: "Boodschappen op dinsdagochtend",
      status: "ACTIVE",
    });

    // A resident who names no neighbourhood sees the offers of their home.
    const home = await t.gql(BROWSE, {}, resident.token);
    expect(home.data.offers.edges.map((e: any) => e.node.id)).toContain(offer.listingId);

    const asked = await ask(resident.token, offer.listingId);
    expect(asked.errors).toBeUndefined();
    expect(asked.data.askFromOffer).toMatchObject({ status: "PENDING", personHelped: { firstName: "Rianne" }, helpRequest: null, offer: { id: offer.listingId } });
    const askId = asked.data.askFromOffer.id;
    const before = await t.gql(MY_ASKS, {}, resident.token);
    expect(before.data.myOfferAsks).toEqual([{ id: askId, status: "PENDING", offer: { id: offer.listingId }, helpRequest: null }]);
    expect(JSON.stringify(before)).not.toContain(volunteer.id);
    const toMe = await t.gql(TO_ME, {}, volunteer.token);
    expect(toMe.data.offerAsksToMe).toEqual([{ id: askId, status: "PENDING", title: "Boodschappen", personHelped: { firstName: "Rianne" }, helpRequest: null }]);
    expect(JSON.stringify(toMe)).not.toContain("06 1234 5678");

    const accepted = await t.gql(ACCEPT, { id: askId }, volunteer.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptOfferAsk).toMatchObject({ id: askId, status: "ACCEPTED", helpRequest: { status: "MATCHED" } });
    const requestId = accepted.data.acceptOfferAsk.helpRequest.id;
    const after = await t.gql(MY_ASKS, {}, resident.token);
    expect(after.data.myOfferAsks[0]).toMatchObject({
      status: "ACCEPTED",
      helpRequest: { id: requestId, status: "MATCHED", volunteer: { id: volunteer.id, firstName: "Volkert" } },
    });
    const contact = await t.gql(`query($id: ID!) { helpRequest(id: $id) { contact { phone } } }`, { id: requestId }, volunteer.token);
    expect(contact.data.helpRequest.contact.phone).toBe("06 1234 5678");

    // The usual lifecycle: start, complete.
    const started = await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: requestId }, volunteer.token);
    expect(started.data.startHelpRequest.status).toBe("IN_PROGRESS");
    const done = await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id, note: null) { status } }`, { id: requestId }, volunteer.token);
    expect(done.data.completeHelpRequest.status).toBe("DONE");
    // The listing still names no one after the match.
    expect(JSON.stringify((await t.gql(NODE, { id: offer.listingId })).data)).not.toContain(volunteer.id);
  });

  it("a desk asks from an offer on someone's behalf; the request is theirs to follow, and the person helped's contact shows to the volunteer only once matched", async () => {
    const volunteer = await buildVolunteer(t);
    const offer = await postOffer(volunteer);
    const desk = await buildOrganiser(t, coordinator);
    const asked = await ask(desk.token, offer.listingId, {
      personHelped: { firstName: "Gerrit", neighbourhoodId: NB.wielwijk, phone: "06 9999 0000", address: "Wielwijkstraat 3" },
    });
    expect(asked.errors).toBeUndefined();
    expect(asked.data.askFromOffer.personHelped.firstName).toBe("Gerrit");
    const accepted = await t.gql(ACCEPT, { id: asked.data.askFromOffer.id }, volunteer.token);
    const requestId = accepted.data.acceptOfferAsk.helpRequest.id;
    const seen = await t.gql(`query($id: ID!) { helpRequest(id: $id) { askedOnBehalf status contact { phone address } } }`, { id: requestId }, volunteer.token);
    expect(seen.data.helpRequest).toEqual({ askedOnBehalf: true, status: "MATCHED", contact: { phone: "06 9999 0000", address: "Wielwijkstraat 3" } });
    const mine = await t.gql(`{ myHelpRequests { edges { node { id status } } } }`, {}, desk.token);
    expect(mine.data.myHelpRequests.edges.map((e: any) => e.node.id)).toContain(requestId);
    // Released, it is open to other volunteers as any request.
    const released = await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id, note: null) { status } }`, { id: requestId }, volunteer.token);
    expect(released.data.releaseHelpRequest.status).toBe("OPEN");
  });

  it("OFFER_OUTSIDE_NEIGHBOURHOODS, OFFER_OUTSIDE_CATEGORIES, ASK_OUTSIDE_OFFER: a volunteer of another neighbourhood cannot offer in Wielwijk, nor help of a kind outside their profile; nothing is stored, and their offer cannot be asked for Wielwijk", async () => {
    const elsewhere = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.groceries] });
    const outside = await t.gql(POST, { input: offerInput({ neighbourhoodIds: [NB.dubbeldam, NB.wielwijk] }) }, elsewhere.token);
    expect([codeOf(outside), reasonOf(outside), outside.errors?.[0].extensions?.field]).toEqual(["BAD_USER_INPUT", "OFFER_OUTSIDE_NEIGHBOURHOODS", "input.neighbourhoodIds.1"]);
    const otherKind = await t.gql(POST, { input: offerInput({ neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.paperwork] }) }, elsewhere.token);
    expect(reasonOf(otherKind)).toBe("OFFER_OUTSIDE_CATEGORIES");
    expect((await t.gql(`{ myOffers { id } }`, {}, elsewhere.token)).data.myOffers).toEqual([]);
    const resident = await buildPerson(t);
    const notVolunteer = await t.gql(POST, { input: offerInput() }, resident.token);
    expect(reasonOf(notVolunteer)).toBe("VOLUNTEER_ONLY");
    // Their Dubbeldam offer is not shown to a resident of Wielwijk browsing their home.
    const dubbeldam = await postOffer(elsewhere, { neighbourhoodIds: [NB.dubbeldam] });
    const wielwijker = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    expect((await t.gql(BROWSE, {}, wielwijker.token)).data.offers.edges.map((e: any) => e.node.id)).not.toContain(dubbeldam.listingId);
    const outsideAsk = await ask(wielwijker.token, dubbeldam.listingId);
    expect(reasonOf(outsideAsk)).toBe("ASK_OUTSIDE_OFFER");
  });

  it("OFFER_PAUSED, OFFER_WITHDRAWN, OFFER_NOT_FOUND, CANNOT_ASK_OWN_OFFER: a paused offer is not listed nor askable until resumed; withdrawing declines what waits; only its volunteer changes it", async () => {
    const volunteer = await buildVolunteer(t);
    const offer = await postOffer(volunteer);
    const other = await buildVolunteer(t);
    const theirs = await t.gql(`mutation($id: ID!) { pauseOffer(id: $id) { status } }`, { id: offer.id }, other.token);
    expect([codeOf(theirs), reasonOf(theirs)]).toEqual(["NOT_FOUND", "OFFER_NOT_FOUND"]);
    const own = await ask(volunteer.token, offer.listingId);
    expect(reasonOf(own)).toBe("CANNOT_ASK_OWN_OFFER");

    const paused = await t.gql(`mutation($id: ID!) { pauseOffer(id: $id) { status } }`, { id: offer.id }, volunteer.token);
    expect(paused.data.pauseOffer.status).toBe("PAUSED");
    expect((await t.gql(BROWSE, { f: { neighbourhoodIds: [NB.wielwijk] } })).data.offers.edges.map((e: any) => e.node.id)).not.toContain(offer.listingId);
    expect((await t.gql(NODE, { id: offer.listingId })).data.node).toBeNull();
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const whilePaused = await ask(resident.token, offer.listingId);
    expect([codeOf(whilePaused), reasonOf(whilePaused)]).toEqual(["CONFLICT", "OFFER_PAUSED"]);

    await t.gql(`mutation($id: ID!) { resumeOffer(id: $id) { status } }`, { id: offer.id }, volunteer.token);
    const waiting = await ask(resident.token, offer.listingId);
    expect(waiting.data.askFromOffer.status).toBe("PENDING");
    const withdrawn = await t.gql(`mutation($id: ID!) { withdrawOffer(id: $id) { status } }`, { id: offer.id }, volunteer.token);
    expect(withdrawn.data.withdrawOffer.status).toBe("WITHDRAWN");
    expect((await t.gql(MY_ASKS, {}, resident.token)).data.myOfferAsks[0].status).toBe("DECLINED");
    const afterWithdrawal = await ask(resident.token, offer.listingId);
    expect([codeOf(afterWithdrawal), reasonOf(afterWithdrawal)]).toEqual(["CONFLICT", "OFFER_WITHDRAWN"]);
    const resume = await t.gql(`mutation($id: ID!) { resumeOffer(id: $id) { status } }`, { id: offer.id }, volunteer.token);
    expect(reasonOf(resume)).toBe("OFFER_WITHDRAWN");
    const unknown = await ask(resident.token, "ofl_nothing");
    expect(reasonOf(unknown)).toBe("OFFER_NOT_FOUND");
  });

  it("OFFER_ASK_NOT_FOUND, NOT_THE_OFFERING_VOLUNTEER, OFFER_ASK_ALREADY_ANSWERED: another volunteer cannot see or answer an ask, whoever asked cannot answer it, and a declined ask cannot be accepted", async () => {
    const volunteer = await buildVolunteer(t);
    const offer = await postOffer(volunteer);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const askId = (await ask(resident.token, offer.listingId)).data.askFromOffer.id;
    const other = await buildVolunteer(t);
    for (const m of [ACCEPT, DECLINE]) {
      const r = await t.gql(m, { id: askId }, other.token);
      expect([codeOf(r), reasonOf(r)]).toEqual(["NOT_FOUND", "OFFER_ASK_NOT_FOUND"]);
    }
    expect((await t.gql(NODE, { id: askId }, other.token)).data.node).toBeNull();
    expect((await t.gql(TO_ME, {}, other.token)).data.offerAsksToMe).toEqual([]);
    const self = await t.gql(ACCEPT, { id: askId }, resident.token);
    expect([codeOf(self), reasonOf(self)]).toEqual(["FORBIDDEN", "NOT_THE_OFFERING_VOLUNTEER"]);
    expect((await t.gql(NODE, { id: askId }, resident.token)).data.node).toEqual({ __typename: "OfferAsk", id: askId, askStatus: "PENDING" });

    const declined = await t.gql(DECLINE, { id: askId }, volunteer.token);
    expect(declined.data.declineOfferAsk.status).toBe("DECLINED");
    const late = await t.gql(ACCEPT, { id: askId }, volunteer.token);
    expect([codeOf(late), reasonOf(late)]).toEqual(["CONFLICT", "OFFER_ASK_ALREADY_ANSWERED"]);
    const twice = await t.gql(DECLINE, { id: askId }, volunteer.token);
    expect(reasonOf(twice)).toBe("OFFER_ASK_ALREADY_ANSWERED");
    expect((await t.gql(`{ myHelpRequests { edges { node { id } } } }`, {}, resident.token)).data.myHelpRequests.edges).toEqual([]);
  });

  it("OFFER_ASK_ALREADY_ANSWERED: two answers to one ask at once, exactly one wins and one help request results; two asks answered at once both stand", async () => {
    const volunteer = await buildVolunteer(t);
    const offer = await postOffer(volunteer);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const askId = (await ask(resident.token, offer.listingId)).data.askFromOffer.id;
    const answers = await Promise.all([
      t.gql(ACCEPT, { id: askId }, volunteer.token),
      t.gql(ACCEPT, { id: askId }, volunteer.token),
      t.gql(DECLINE, { id: askId }, volunteer.token),
    ]);
    const won = answers.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(answers.filter((r) => r.errors).map(reasonOf)).toEqual(["OFFER_ASK_ALREADY_ANSWERED", "OFFER_ASK_ALREADY_ANSWERED"]);
    const requests = (await t.gql(`{ myHelpRequests { edges { node { id } } } }`, {}, resident.token)).data.myHelpRequests.edges;
    expect(requests).toHaveLength(won[0]!.data.acceptOfferAsk ? 1 : 0);

    const second = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const third = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const a2 = (await ask(second.token, offer.listingId)).data.askFromOffer.id;
    const a3 = (await ask(third.token, offer.listingId)).data.askFromOffer.id;
    const both = await Promise.all([t.gql(ACCEPT, { id: a2 }, volunteer.token), t.gql(ACCEPT, { id: a3 }, volunteer.token)]);
    expect(both.map((r) => r.data?.acceptOfferAsk.status)).toEqual(["ACCEPTED", "ACCEPTED"]);
  });

  it("OFFER_ASK_WINDOW_PASSED: an ask whose window ended can no longer be accepted", async () => {
    const volunteer = await buildVolunteer(t);
    const offer = await postOffer(volunteer);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const askId = (await ask(resident.token, offer.listingId, window(t, 1, 2))).data.askFromOffer.id;
    t.clock.advance(4 * HOUR);
    const late = await t.gql(ACCEPT, { id: askId }, volunteer.token);
    expect([codeOf(late), reasonOf(late)]).toEqual(["CONFLICT", "OFFER_ASK_WINDOW_PASSED"]);
  });

  it("VOG_REQUIRED: a volunteer whose VOG is rejected is no longer shown where a VOG is needed, and one who stops volunteering has their offers withdrawn", async () => {
    const volunteer = await buildVolunteer(t, { vog: true, coordinator });
    const offer = await postOffer(volunteer);
    const vogOnly = { f: { neighbourhoodIds: [NB.wielwijk], vogVerified: true } };
    expect((await t.gql(BROWSE, vogOnly)).data.offers.edges.map((e: any) => e.node.id)).toContain(offer.listingId);
    await t.gql(`mutation($id: ID!) { reviewVog(personId: $id, verified: false) { vogStatus } }`, { id: volunteer.id }, coordinator.token);
    expect((await t.gql(BROWSE, vogOnly)).data.offers.edges.map((e: any) => e.node.id)).not.toContain(offer.listingId);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const needsVog = await ask(resident.token, offer.listingId, { vogRequired: true });
    expect([codeOf(needsVog), reasonOf(needsVog)]).toEqual(["FORBIDDEN", "VOG_REQUIRED"]);
    // Without a VOG need it is still listed and askable.
    const pending = await ask(resident.token, offer.listingId);
    expect(pending.data.askFromOffer.status).toBe("PENDING");

    await t.gql(`mutation($id: ID!) { revokeRole(personId: $id, role: VOLUNTEER) }`, { id: volunteer.id }, coordinator.token);
    expect((await t.gql(BROWSE, { f: { neighbourhoodIds: [NB.wielwijk] } })).data.offers.edges.map((e: any) => e.node.id)).not.toContain(offer.listingId);
    expect((await t.gql(MY_ASKS, {}, resident.token)).data.myOfferAsks.find((a: any) => a.id === pending.data.askFromOffer.id).status).toBe("DECLINED");
  });

  it("a person's data export holds their offers and the asks they made, and an erasure removes both", async () => {
    const volunteer = await buildVolunteer(t);
    const offer = await postOffer(volunteer);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const askId = (await ask(resident.token, offer.listingId)).data.askFromOffer.id;
    const s = t.app.services;
    const volunteerPart = (await offerExporter(s.db).export(volunteer.id)) as any;
    expect(volunteerPart.offers.map((o: any) => o.id)).toEqual([offer.id]);
    expect(volunteerPart.asks).toEqual([]);
    const residentPart = (await offerExporter(s.db).export(resident.id)) as any;
    expect(residentPart).toMatchObject({ offers: [], asks: [{ id: askId, askedByYou: true, forYou: true, status: "PENDING" }] });
    const erased = await offerEraser(s.db).erase(volunteer.id);
    expect(erased.erased).toEqual(["offers of help: 1", "asks from offers: 1"]);
    expect(await offerExporter(s.db).export(resident.id)).toBeNull();
    expect((await t.gql(NODE, { id: offer.listingId })).data.node).toBeNull();
  });
});
