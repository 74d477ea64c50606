import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, askForHelp, buildCoordinator, buildOrganisation, buildOrganiser, buildPerson, buildVolunteer } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const OFFER = `mutation($r: ID!, $note: String!) { offerToHelp(helpRequestId: $r, note: $note) { id status note volunteer { firstName } } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawHelpOffer(id: $id) { id status } }`;
const PICK = `mutation($id: ID!) { pickHelpOffer(id: $id) { id status volunteer { id firstName } } }`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const OFFERS = `query($id: ID!) { helpRequest(id: $id) { choiceMode status offersToHelp { id note status volunteer { firstName languages neighbourhoods { id } } } } }`;
const MINE = `query($id: ID!) { helpRequest(id: $id) { status myHelpOffer { id status notice } } }`;
const CONTACT = `query($id: ID!) { helpRequest(id: $id) { contact { phone address } } }`;

describe.each(backends())("the requester's choice on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  /** A resident's request in choice mode with an offer from each of `names` (volunteers in Oud-Krispijn). */
  async function withOffers(names: string[]) {
    const resident = await buildPerson(t, { firstName: "Mien" });
    const req = await askForHelp(t, resident.token, { choiceMode: true });
    const volunteers = await Promise.all(names.map((firstName) => buildVolunteer(t, { firstName })));
    const offers: string[] = [];
    for (const [i, v] of volunteers.entries()) {
      const r = await t.gql(OFFER, { r: req.id, note: `Ik kan dinsdag, groet ${names[i]}` }, v.token);
      expect(r.errors).toBeUndefined();
      expect(r.data.offerToHelp).toMatchObject({ status: "OFFERED", volunteer: null });
      offers.push(r.data.offerToHelp.id);
    }
    return { resident, req, volunteers, offers };
  }

  it("three offers, one picked: the requester sees first name, neighbourhoods, languages and note; contact goes both ways only after the pick", async () => {
    const { resident, req, volunteers, offers } = await withOffers(["Anna", "Bram", "Cor"]);
    const seen = await t.gql(OFFERS, { id: req.id }, resident.token);
    expect(seen.data.helpRequest.choiceMode).toBe(true);
    expect(seen.data.helpRequest.offersToHelp).toHaveLength(3);
    expect(seen.data.helpRequest.offersToHelp[0]).toEqual({
      id: offers[0],
      note: "Ik kan dinsdag, groet Anna",
      status: "OFFERED",
      volunteer: { firstName: "Anna", languages: ["nl"], neighbourhoods: [{ id: NB.oudKrispijn }, { id: NB.wielwijk }] },
    });
    // Before the pick the volunteers see what browsing shows: no contact, no other offers, no volunteer.
    for (const v of volunteers) {
      expect(reasonOf(await t.gql(CONTACT, { id: req.id }, v.token))).toBe("CONTACT_DETAILS_HIDDEN");
      expect((await t.gql(OFFERS, { id: req.id }, v.token)).data.helpRequest.offersToHelp).toEqual([]);
    }
    const picked = await t.gql(PICK, { id: offers[1] }, resident.token);
    expect(picked.errors).toBeUndefined();
    expect(picked.data.pickHelpOffer).toMatchObject({ status: "MATCHED", volunteer: { id: volunteers[1].id, firstName: "Bram" } });
    // Contact both ways: the picked volunteer reads the resident's contact, the resident sees who comes.
    expect((await t.gql(CONTACT, { id: req.id }, volunteers[1].token)).data.helpRequest.contact).toEqual({ phone: "06 1111 2222", address: "Teststraat 1, Dordrecht" });
    expect((await t.gql(MINE, { id: req.id }, volunteers[1].token)).data.helpRequest.myHelpOffer).toMatchObject({ status: "PICKED", notice: null });
    const after = await t.gql(OFFERS, { id: req.id }, resident.token);
    expect(after.data.helpRequest.offersToHelp.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([[offers[1], "PICKED"]]);
    // The unpicked: released with a kind notice, and the request is no longer theirs to read.
    for (const v of [volunteers[0], volunteers[2]]) {
      expect(codeOf(await t.gql(MINE, { id: req.id }, v.token))).toBe("NOT_FOUND");
      expect(reasonOf(await t.gql(CONTACT, { id: req.id }, v.token))).toBe("HELP_REQUEST_NOT_FOUND");
    }
    const released = await t.app.services.db.read.select().from(t.app.services.db.tables.helpRequestOffers);
    const mine = released.filter((o) => o.helpRequestId === req.id);
    expect(mine.map((o) => o.status).sort()).toEqual(["PICKED", "RELEASED", "RELEASED"]);
    // The usual lifecycle follows.
    expect((await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: req.id }, volunteers[1].token)).data.startHelpRequest.status).toBe("IN_PROGRESS");
  });

  it("HELP_OFFER_NOT_OPEN: a released volunteer reads the kind notice on their own offer in their list of offers made, and cannot withdraw it", async () => {
    const { resident, req, volunteers, offers } = await withOffers(["Dirk", "Els"]);
    // While still open, the volunteer reads their own offer on the request.
    expect((await t.gql(MINE, { id: req.id }, volunteers[0].token)).data.helpRequest.myHelpOffer).toEqual({ id: offers[0], status: "OFFERED", notice: null });
    await t.gql(PICK, { id: offers[1] }, resident.token);
    const MY = `{ myHelpOffers { id helpRequestId status notice volunteer { firstName } } }`;
    const list = (await t.gql(MY, {}, volunteers[0].token)).data.myHelpOffers;
    expect(list).toEqual([{ id: offers[0], helpRequestId: req.id, status: "RELEASED", notice: expect.stringContaining("Someone else was chosen"), volunteer: null }]);
    expect((await t.gql(MY, {}, volunteers[1].token)).data.myHelpOffers[0]).toMatchObject({ status: "PICKED", notice: null });
    expect(codeOf(await t.gql(MY, {}, resident.token))).toBe("FORBIDDEN");
    expect(codeOf(await t.gql(MY, {}))).toBe("UNAUTHENTICATED");
    const withdrawn = await t.gql(WITHDRAW, { id: offers[0] }, volunteers[0].token);
    expect(codeOf(withdrawn)).toBe("CONFLICT");
    expect(reasonOf(withdrawn)).toBe("HELP_OFFER_NOT_OPEN");
    expect(withdrawn.errors?.[0].message).toContain("RELEASED");
  });

  it("HELP_REQUEST_CHOICE_MODE: accepting a request in choice mode is refused with the advice to offer instead", async () => {
    const { req, volunteers } = await withOffers(["Fien"]);
    const other = await buildVolunteer(t);
    for (const v of [other, volunteers[0]]) {
      const r = await t.gql(ACCEPT, { id: req.id }, v.token);
      expect(codeOf(r)).toBe("CONFLICT");
      expect(reasonOf(r)).toBe("HELP_REQUEST_CHOICE_MODE");
      expect(r.errors?.[0].message).toContain("offerToHelp");
    }
  });

  it("HELP_REQUEST_NOT_IN_CHOICE_MODE: offering on an ordinary request is refused (accept it instead)", async () => {
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token);
    const v = await buildVolunteer(t);
    const r = await t.gql(OFFER, { r: req.id, note: "Graag" }, v.token);
    expect(reasonOf(r)).toBe("HELP_REQUEST_NOT_IN_CHOICE_MODE");
    expect((await t.gql(OFFERS, { id: req.id }, resident.token)).data.helpRequest).toMatchObject({ choiceMode: false, offersToHelp: [] });
  });

  it("HELP_OFFER_WITHDRAWN, HELP_OFFER_NOT_FOUND: a volunteer withdraws their offer; picking it afterwards is refused, offering again reopens it", async () => {
    const { resident, req, volunteers, offers } = await withOffers(["Gijs", "Hanna"]);
    const w = await t.gql(WITHDRAW, { id: offers[0] }, volunteers[0].token);
    expect(w.data.withdrawHelpOffer).toEqual({ id: offers[0], status: "WITHDRAWN" });
    expect((await t.gql(OFFERS, { id: req.id }, resident.token)).data.helpRequest.offersToHelp.map((o: { id: string }) => o.id)).toEqual([offers[1]]);
    const pick = await t.gql(PICK, { id: offers[0] }, resident.token);
    expect(codeOf(pick)).toBe("CONFLICT");
    expect(reasonOf(pick)).toBe("HELP_OFFER_WITHDRAWN");
    expect((await t.gql(MINE, { id: req.id }, resident.token)).data.helpRequest.status).toBe("OPEN");
    // Someone else's offer cannot be withdrawn (it does not exist for them).
    expect(reasonOf(await t.gql(WITHDRAW, { id: offers[1] }, volunteers[0].token))).toBe("HELP_OFFER_NOT_FOUND");
    const again = await t.gql(OFFER, { r: req.id, note: "Toch wel" }, volunteers[0].token);
    expect(again.data.offerToHelp).toMatchObject({ id: offers[0], status: "OFFERED", note: "Toch wel" });
  });

  it("NOT_THE_REQUESTER, HELP_REQUEST_NOT_FOUND, UNAUTHENTICATED: only the asking side picks; another neighbourhood's volunteer and anonymous cannot offer", async () => {
    const { req, volunteers, offers } = await withOffers(["Ivo"]);
    const fitting = await buildVolunteer(t);
    const r1 = await t.gql(PICK, { id: offers[0] }, fitting.token);
    expect(codeOf(r1)).toBe("FORBIDDEN");
    expect(reasonOf(r1)).toBe("NOT_THE_REQUESTER");
    // The offering volunteer cannot pick themself either.
    expect(reasonOf(await t.gql(PICK, { id: offers[0] }, volunteers[0].token))).toBe("NOT_THE_REQUESTER");
    // A stranger to the request does not learn that the offer exists.
    const stranger = await buildPerson(t);
    expect(reasonOf(await t.gql(PICK, { id: offers[0] }, stranger.token))).toBe("HELP_OFFER_NOT_FOUND");
    const elsewhere = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad] });
    const r2 = await t.gql(OFFER, { r: req.id, note: "Ik kom graag" }, elsewhere.token);
    expect(codeOf(r2)).toBe("NOT_FOUND");
    expect(reasonOf(r2)).toBe("HELP_REQUEST_NOT_FOUND");
    expect(codeOf(await t.gql(OFFER, { r: req.id, note: "Ik" }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(PICK, { id: offers[0] }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(OFFERS, { id: req.id }))).toBeDefined();
    // A resident (no volunteer) cannot offer.
    expect(codeOf(await t.gql(OFFER, { r: req.id, note: "Ik" }, stranger.token))).toBe("FORBIDDEN");
  });

  it("INVALID_INPUT: an empty note or one over 500 characters is refused", async () => {
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token, { choiceMode: true });
    const v = await buildVolunteer(t);
    expect(reasonOf(await t.gql(OFFER, { r: req.id, note: " " }, v.token))).toBe("INVALID_INPUT");
    expect(reasonOf(await t.gql(OFFER, { r: req.id, note: "x".repeat(501) }, v.token))).toBe("INVALID_INPUT");
  });

  it("a wijkwinkel that asked on behalf picks (a colleague at the desk too); the person's contact reaches the picked volunteer", async () => {
    const coordinator = await buildCoordinator(t);
    const org = await buildOrganisation(t, { coordinator });
    const colleague = await buildOrganiser(t, coordinator);
    const add = await t.gql(
      `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: ORGANISER) { role } }`,
      { o: org.id, p: colleague.id },
      org.organiser.token,
    );
    expect(add.errors).toBeUndefined();
    const req = await askForHelp(t, org.organiser.token, {
      choiceMode: true,
      askingOrganisationId: org.id,
      personHelped: { firstName: "Kees", neighbourhoodId: NB.oudKrispijn, phone: "06 3333 4444", address: "Kade 2" },
    });
    const [v1, v2] = [await buildVolunteer(t, { firstName: "Lot" }), await buildVolunteer(t, { firstName: "Mo" })];
    const o1 = (await t.gql(OFFER, { r: req.id, note: "Ik ken Kees" }, v1.token)).data.offerToHelp.id;
    await t.gql(OFFER, { r: req.id, note: "Ik heb een auto" }, v2.token);
    const otherDesk = await buildOrganisation(t, { coordinator });
    expect(codeOf(await t.gql(PICK, { id: o1 }, otherDesk.organiser.token))).toBe("NOT_FOUND");
    expect((await t.gql(OFFERS, { id: req.id }, colleague.token)).data.helpRequest.offersToHelp.map((o: { volunteer: { firstName: string } }) => o.volunteer.firstName)).toEqual([
      "Lot",
      "Mo",
    ]);
    const picked = await t.gql(PICK, { id: o1 }, colleague.token);
    expect(picked.data.pickHelpOffer).toMatchObject({ status: "MATCHED", volunteer: { id: v1.id } });
    expect((await t.gql(CONTACT, { id: req.id }, v1.token)).data.helpRequest.contact).toEqual({ phone: "06 3333 4444", address: "Kade 2" });
    expect(reasonOf(await t.gql(CONTACT, { id: req.id }, v2.token))).toBe("HELP_REQUEST_NOT_FOUND");
  });

  it("HELP_REQUEST_ALREADY_MATCHED: two picks at once, exactly one wins; the other offers end released", async () => {
    for (let round = 0; round < 5; round++) {
      const { resident, req, offers, volunteers } = await withOffers(["Nel", "Olaf", "Piet"]);
      const results = await Promise.all([t.gql(PICK, { id: offers[0] }, resident.token), t.gql(PICK, { id: offers[2] }, resident.token)]);
      const winners = results.filter((r) => r.data?.pickHelpOffer?.status === "MATCHED");
      expect(winners).toHaveLength(1);
      const loser = results.find((r) => r.errors)!;
      expect(codeOf(loser)).toBe("CONFLICT");
      expect(reasonOf(loser)).toBe("HELP_REQUEST_ALREADY_MATCHED");
      const winner = winners[0].data.pickHelpOffer.volunteer.id;
      expect([volunteers[0].id, volunteers[2].id]).toContain(winner);
      const rows = (await t.app.services.db.read.select().from(t.app.services.db.tables.helpRequestOffers)).filter((o) => o.helpRequestId === req.id);
      expect(rows.filter((o) => o.status === "PICKED").map((o) => o.volunteerId)).toEqual([winner]);
      expect(rows.filter((o) => o.status === "RELEASED")).toHaveLength(2);
      const history = await t.gql(`query($id: ID!) { helpRequest(id: $id) { history { toStatus } } }`, { id: req.id }, resident.token);
      expect(history.data.helpRequest.history.filter((e: { toStatus: string }) => e.toStatus === "MATCHED")).toHaveLength(1);
    }
  });

  it("a pick and a withdrawal at once: either the pick wins and the withdrawal is refused, or the other way round, never both", async () => {
    for (let round = 0; round < 5; round++) {
      const { resident, req, offers, volunteers } = await withOffers(["Quinten"]);
      const [pick, withdraw] = await Promise.all([t.gql(PICK, { id: offers[0] }, resident.token), t.gql(WITHDRAW, { id: offers[0] }, volunteers[0].token)]);
      const status = (await t.gql(MINE, { id: req.id }, resident.token)).data.helpRequest.status;
      if (pick.errors) {
        expect(reasonOf(pick)).toBe("HELP_OFFER_WITHDRAWN");
        expect(withdraw.data.withdrawHelpOffer.status).toBe("WITHDRAWN");
        expect(status).toBe("OPEN");
      } else {
        expect(reasonOf(withdraw)).toBe("HELP_OFFER_NOT_OPEN");
        expect(status).toBe("MATCHED");
      }
    }
  });

  it("HELP_OFFER_NO_LONGER_FITS: a volunteer who left the neighbourhood after offering cannot be picked", async () => {
    const { resident, req, volunteers, offers } = await withOffers(["Sem"]);
    const moved = await t.gql(
      `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
      { input: { categoryIds: [CAT.groceries], neighbourhoodIds: [NB.binnenstad], languages: ["nl"], availability: [] } },
      volunteers[0].token,
    );
    expect(moved.errors).toBeUndefined();
    const pick = await t.gql(PICK, { id: offers[0] }, resident.token);
    expect(codeOf(pick)).toBe("CONFLICT");
    expect(reasonOf(pick)).toBe("HELP_OFFER_NO_LONGER_FITS");
    expect((await t.gql(MINE, { id: req.id }, resident.token)).data.helpRequest.status).toBe("OPEN");
  });

  it("offers on a request that is cancelled are released", async () => {
    const { resident, req, volunteers } = await withOffers(["Roos"]);
    await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id: req.id }, resident.token);
    const rows = (await t.app.services.db.read.select().from(t.app.services.db.tables.helpRequestOffers)).filter((o) => o.helpRequestId === req.id);
    expect(rows.map((o) => [o.volunteerId, o.status])).toEqual([[volunteers[0].id, "RELEASED"]]);
  });
});

describe.each(backends())("notices of the requester's choice on $name", (backend) => {
  let t: TestApp;
  let box: Mailbox;
  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url });
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  it("the chosen volunteer is told they were chosen, the others kindly that someone else was", async () => {
    const resident = await buildPerson(t, { firstName: "Mien" });
    const req = await askForHelp(t, resident.token, { choiceMode: true });
    const volunteers = [await buildVolunteer(t, { firstName: "Tess" }), await buildVolunteer(t, { firstName: "Udo" }), await buildVolunteer(t, { firstName: "Wim" })];
    const offers: string[] = [];
    for (const v of volunteers) offers.push((await t.gql(OFFER, { r: req.id, note: "Ik help graag" }, v.token)).data.offerToHelp.id);
    await t.gql(PICK, { id: offers[2] }, resident.token);
    const MY = `{ myNotifications(first: 50) { edges { node { kind aboutId link } } } }`;
    const kinds = async (who: { token: string }) => {
      for (let i = 0; i < 2; i++) await t.app.services.notifications.sweep();
      const r = await t.gql(MY, {}, who.token);
      expect(r.errors).toBeUndefined();
      return r.data.myNotifications.edges
        .map((e: { node: { kind: string; aboutId: string; link: string } }) => e.node)
        .filter((n: { kind: string }) => n.kind.startsWith("HELP_OFFER") || n.kind === "HELP_REQUEST_MATCHED");
    };
    expect(await kinds(volunteers[2])).toEqual([expect.objectContaining({ kind: "HELP_OFFER_CHOSEN", aboutId: req.id })]);
    for (const v of volunteers.slice(0, 2)) {
      const got = await kinds(v);
      expect(got.map((n: { kind: string }) => n.kind)).toEqual(["HELP_OFFER_NOT_CHOSEN"]);
      // It leads to the open requests, not to the request that is no longer theirs to see.
      expect(got[0].link).toMatch(/\/help-requests\/open$/);
    }
    // The requester made the pick: they are not told of their own step.
    expect(await kinds(resident)).toEqual([]);
  });
});
