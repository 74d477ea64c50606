import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { ASK, CAT, NB, buildCoordinator, buildOrganisation, buildOrganiser, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

/** Asking on someone's behalf: the person helped, the desk's colleagues and the volunteer all find each other. */
const ASK_FULL = `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id status contactVia askedOnBehalf personHelped { id firstName } askedFor { id name } } }`;
const READ = `query($id: ID!) { helpRequest(id: $id) { id title status history { toStatus } } }`;
const CONTACT = `query($id: ID!) { helpRequest(id: $id) { contact { fullName phone address } } }`;
const ASKER = `query($id: ID!) { helpRequest(id: $id) { contactVia askerContact { fullName phone address } } }`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const ADD = `mutation($o: ID!, $p: ID!, $role: OrganisationMemberRole!) { addOrganisationMember(organisationId: $o, personId: $p, role: $role) { role } }`;

const request = (extra: Record<string, unknown>) => ({
  categoryId: CAT.groceries,
  title: "Boodschappen",
  description: "Boodschappen voor de week.",
  neighbourhoodId: NB.oudKrispijn,
  ...extra,
});

describe.each(backends())("asking on someone's behalf on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("UNKNOWN_PERSON_HELPED: a person with their own account, named by their email, sees the request as theirs; the asker does not read their stored address", async () => {
    const resident = await buildPerson(t, { firstName: "Truus", phone: "06 1234 5678", address: "Dorpsstraat 1" });
    const desk = await buildOrganiser(t);
    const asked = await t.gql(ASK_FULL, { input: request({ ...window(t), personHelpedEmail: resident.email.toUpperCase() }) }, desk.token);
    expect(asked.errors).toBeUndefined();
    expect(asked.data.askForHelp).toMatchObject({ askedOnBehalf: true, personHelped: { id: resident.id, firstName: "Truus" }, contactVia: "PERSON_HELPED" });
    const id = asked.data.askForHelp.id;

    const mine = await t.gql(`{ myHelpRequests(relation: ASKED) { edges { node { id } } } }`, {}, resident.token);
    expect(mine.data.myHelpRequests.edges.map((e: any) => e.node.id)).toContain(id);
    expect((await t.gql(READ, { id }, resident.token)).data.helpRequest.history).toEqual([{ toStatus: "OPEN" }]);
    expect((await t.gql(CONTACT, { id }, resident.token)).data.helpRequest.contact).toEqual({ fullName: "Truus Person", phone: "06 1234 5678", address: "Dorpsstraat 1" });
    expect(reasonOf(await t.gql(CONTACT, { id }, desk.token))).toBe("CONTACT_DETAILS_HIDDEN");
    const cancel = await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id }, resident.token);
    expect(cancel.data.cancelHelpRequest.status).toBe("CANCELLED");

    const unknown = await t.gql(ASK, { input: request({ ...window(t), personHelpedEmail: "nobody@test.example" }) }, desk.token);
    expect(reasonOf(unknown)).toBe("UNKNOWN_PERSON_HELPED");
    const plain = await buildPerson(t);
    expect(reasonOf(await t.gql(ASK, { input: request({ ...window(t), personHelpedEmail: resident.email }) }, plain.token))).toBe("CANNOT_ASK_ON_BEHALF");
  });

  it("NOT_AN_ORGANISER, HELP_REQUEST_NOT_FOUND: the organisers of the wijkwinkel a request was asked for share it; nobody else sees it", async () => {
    const coordinator = await buildCoordinator(t);
    const org = await buildOrganisation(t, { coordinator, name: "Wijkwinkel Krispijn" });
    const colleague = await buildOrganiser(t, coordinator);
    expect((await t.gql(ADD, { o: org.id, p: colleague.id, role: "ORGANISER" }, org.organiser.token)).errors).toBeUndefined();
    const otherDesk = await buildOrganiser(t, coordinator);

    const asked = await t.gql(
      ASK_FULL,
      {
        input: request({
          ...window(t),
          askingOrganisationId: org.id,
          personHelped: { firstName: "Kees", neighbourhoodId: NB.oudKrispijn, phone: "06 5555 0000", address: "Kade 4" },
        }),
      },
      org.organiser.token,
    );
    expect(asked.errors).toBeUndefined();
    expect(asked.data.askForHelp.askedFor).toEqual({ id: org.id, name: "Wijkwinkel Krispijn" });
    const id = asked.data.askForHelp.id;

    expect((await t.gql(READ, { id }, colleague.token)).data.helpRequest).toMatchObject({ id, status: "OPEN", history: [{ toStatus: "OPEN" }] });
    expect((await t.gql(CONTACT, { id }, colleague.token)).data.helpRequest.contact).toEqual({ fullName: "Kees", phone: "06 5555 0000", address: "Kade 4" });
    const list = await t.gql(`query($o: ID!) { organisation(id: $o) { askedHelpRequests(first: 10) { edges { node { id } } } } }`, { o: org.id }, colleague.token);
    expect(list.data.organisation.askedHelpRequests.edges.map((e: any) => e.node.id)).toEqual([id]);
    expect(reasonOf(await t.gql(ASK, { input: request({ ...window(t), askingOrganisationId: org.id, personHelpedId: (await buildPerson(t)).id }) }, colleague.token))).toBe(
      "UNKNOWN_PERSON_HELPED",
    );
    expect(codeOf(await t.gql(READ, { id }, otherDesk.token))).toBe("NOT_FOUND");
    expect(reasonOf(await t.gql(READ, { id }, otherDesk.token))).toBe("HELP_REQUEST_NOT_FOUND");
    expect(reasonOf(await t.gql(`query($o: ID!) { organisation(id: $o) { askedHelpRequests { edges { node { id } } } } }`, { o: org.id }, otherDesk.token))).toBe(
      "NOT_AN_ORGANISER",
    );

    // The colleague asks again for the same person, as the desk; without the desk, the person is unknown to them.
    const keesId = asked.data.askForHelp.personHelped.id;
    const again = await t.gql(ASK_FULL, { input: request({ ...window(t), askingOrganisationId: org.id, personHelpedId: keesId }) }, colleague.token);
    expect(again.errors).toBeUndefined();
    expect(again.data.askForHelp.personHelped).toEqual({ id: keesId, firstName: "Kees" });
    expect(reasonOf(await t.gql(ASK, { input: request({ ...window(t), personHelpedId: keesId }) }, colleague.token))).toBe("UNKNOWN_PERSON_HELPED");
    expect(reasonOf(await t.gql(ASK, { input: request({ ...window(t), personHelpedId: keesId }) }, otherDesk.token))).toBe("UNKNOWN_PERSON_HELPED");

    // The colleague can act for the desk: withdraw the request.
    const cancel = await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id }, colleague.token);
    expect(cancel.data.cancelHelpRequest.status).toBe("CANCELLED");

    const notMine = await t.gql(
      ASK,
      { input: request({ ...window(t), askingOrganisationId: org.id, personHelped: { firstName: "X", neighbourhoodId: NB.oudKrispijn } }) },
      otherDesk.token,
    );
    expect(reasonOf(notMine)).toBe("NOT_AN_ORGANISER");
  });

  it("CONTACT_DETAILS_HIDDEN: for a person without a phone the matched volunteer reaches whoever asked (the carer, or the desk)", async () => {
    const carer = await buildPerson(t, { firstName: "Carla", lastName: "Zorg", roles: ["MANTELZORGER"], phone: "06 9999 8888" });
    const volunteer = await buildVolunteer(t);
    const other = await buildVolunteer(t);
    const asked = await t.gql(ASK_FULL, { input: request({ ...window(t), personHelped: { firstName: "Opa", neighbourhoodId: NB.oudKrispijn, address: "Hof 2" } }) }, carer.token);
    expect(asked.data.askForHelp.contactVia).toBe("ASKER");
    const id = asked.data.askForHelp.id;
    expect(reasonOf(await t.gql(ASKER, { id }, volunteer.token))).toBe("CONTACT_DETAILS_HIDDEN");
    expect((await t.gql(ACCEPT, { id }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    expect((await t.gql(ASKER, { id }, volunteer.token)).data.helpRequest).toEqual({
      contactVia: "ASKER",
      askerContact: { fullName: "Carla Zorg", phone: "06 9999 8888", address: null },
    });
    expect(codeOf(await t.gql(ASKER, { id }, other.token))).toBe("NOT_FOUND");
    // The read is in the carer's access log.
    const log = await t.gql(`{ accessLog(first: 10) { edges { node { purpose fields } } } }`, {}, carer.token);
    expect(log.errors).toBeUndefined();
    expect(JSON.stringify(log.data)).toContain("matched volunteer");

    // A desk's request names the desk: its name, phone and address.
    const org = await buildOrganisation(t, { name: "Wijkwinkel Wielwijk" });
    const byDesk = await t.gql(
      ASK_FULL,
      {
        input: request({
          ...window(t),
          askingOrganisationId: org.id,
          contactVia: "ASKER",
          personHelped: { firstName: "Jan", neighbourhoodId: NB.oudKrispijn, phone: "06 1212 1212" },
        }),
      },
      org.organiser.token,
    );
    expect(byDesk.data.askForHelp.contactVia).toBe("ASKER");
    await t.gql(ACCEPT, { id: byDesk.data.askForHelp.id }, volunteer.token);
    expect((await t.gql(ASKER, { id: byDesk.data.askForHelp.id }, volunteer.token)).data.helpRequest.askerContact).toMatchObject({
      fullName: "Wijkwinkel Wielwijk",
      address: "Buurtstraat 1, Dordrecht",
    });
  });
});
