import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { ASK, CAT, NB, askForHelp, birthDateForAge, buildOrganisation, buildPerson, buildVolunteer, postInitiative, schedule, window } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const SUGGESTIONS = `query($id: ID!) { helpRequest(id: $id) { suggestedInitiatives(first: 10) { id title neighbourhood { id } } } }`;
const TAKE_ON = `mutation($id: ID!, $o: ID!, $a: ID!) { takeOnHelpRequest(id: $id, organisationId: $o, assigneeId: $a) { id status volunteer { id } takenOnBy { id name } } }`;
const CONTACT = `query($id: ID!) { helpRequest(id: $id) { status contact { fullName address } } }`;
const ADD = `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`;

describe.each(backends())("help requests meet initiatives on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("suggests fitting initiatives with a help request: its category, the neighbourhood or a nearby one, the person's age; closest first", async () => {
    const org = await buildOrganisation(t);
    const pending = await buildOrganisation(t, { coordinator: org.coordinator, verified: false });
    const here = await postInitiative(t, org, { title: "Koffieochtend om de hoek", neighbourhoodId: NB.oudKrispijn, categoryIds: [CAT.company], schedule: schedule(t, 24, 2) });
    const nearby = await postInitiative(t, org, { title: "Wandelclub Wielwijk", kind: "ACTIVITY", neighbourhoodId: NB.wielwijk, categoryIds: [CAT.company] });
    await postInitiative(t, org, { title: "Koffie in Dubbeldam", neighbourhoodId: NB.dubbeldam, categoryIds: [CAT.company] });
    await postInitiative(t, org, { title: "Boodschappenhulp", neighbourhoodId: NB.oudKrispijn, categoryIds: [CAT.groceries] });
    const youth = await postInitiative(t, org, { title: "Jongerenavond", neighbourhoodId: NB.oudKrispijn, categoryIds: [CAT.company], audience: { minAge: 16, maxAge: 27 } });
    await postInitiative(t, org, { title: "Concept", neighbourhoodId: NB.oudKrispijn, categoryIds: [CAT.company], publish: false });
    await postInitiative(t, pending, { title: "Nog niet geverifieerd", neighbourhoodId: NB.oudKrispijn, categoryIds: [CAT.company] });
    await postInitiative(t, org, {
      title: "Participatieplek",
      kind: "PARTICIPATION_PLACE",
      capacity: 3,
      schedule: null,
      neighbourhoodId: NB.oudKrispijn,
      categoryIds: [CAT.company],
    });

    const lonely = await buildPerson(t, { neighbourhoodId: NB.oudKrispijn });
    const request = await askForHelp(t, lonely.token, { categoryId: CAT.company, title: "Iemand om mee te praten" });
    const r = await t.gql(SUGGESTIONS, { id: request.id }, lonely.token);
    expect(r.errors).toBeUndefined();
    // No birth date known: every age fits; the same neighbourhood first, then the nearby one.
    expect(r.data.helpRequest.suggestedInitiatives.map((i: any) => i.title)).toEqual(["Koffieochtend om de hoek", "Jongerenavond", "Wandelclub Wielwijk"]);

    // A mantelzorger asks for an 80-year-old mother: the youth evening no longer fits.
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const forMother = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.company,
          title: "Gezelschap voor mijn moeder",
          description: "Ze is eenzaam.",
          ...window(t),
          personHelped: { firstName: "Riet", neighbourhoodId: NB.oudKrispijn, birthDate: birthDateForAge(t, 80) },
        },
      },
      carer.token,
    );
    const s = await t.gql(SUGGESTIONS, { id: forMother.data.askForHelp.id }, carer.token);
    expect(s.data.helpRequest.suggestedInitiatives.map((i: any) => i.id)).toEqual([here.id, nearby.id]);
    expect(s.data.helpRequest.suggestedInitiatives.map((i: any) => i.id)).not.toContain(youth.id);
    // A volunteer browsing open requests sees the same suggestions.
    const volunteer = await buildVolunteer(t, { categoryIds: [CAT.company], neighbourhoodIds: [NB.oudKrispijn] });
    const browse = await t.gql(`{ openHelpRequests(first: 20) { edges { node { id suggestedInitiatives { id } } } } }`, {}, volunteer.token);
    const seen = browse.data.openHelpRequests.edges.find((e: any) => e.node.id === request.id);
    expect(seen.node.suggestedInitiatives).toHaveLength(3);
  });

  it("lets an organisation take on an open request for one of its volunteers, who then sees the contact details", async () => {
    const org = await buildOrganisation(t, { name: "Wijkwinkel Pool" });
    // Their profiles cover the request: an organisation hands a volunteer only what they could accept themselves.
    const mo = await buildVolunteer(t, { firstName: "Mo", categoryIds: [CAT.paperwork] });
    const sara = await buildVolunteer(t, { firstName: "Sara", categoryIds: [CAT.paperwork] });
    for (const v of [mo, sara]) expect((await t.gql(ADD, { o: org.id, p: v.id }, org.organiser.token)).errors).toBeUndefined();
    const resident = await buildPerson(t, { firstName: "Truus", lastName: "Bakker", address: "Dorpsstraat 9" });
    const request = await askForHelp(t, resident.token, { categoryId: CAT.paperwork, title: "Hulp bij formulieren" });

    // Before: Mo may see the open request but not the contact details.
    expect(reasonOf(await t.gql(CONTACT, { id: request.id }, mo.token))).toBe("CONTACT_DETAILS_HIDDEN");
    const taken = await t.gql(TAKE_ON, { id: request.id, o: org.id, a: mo.id }, org.organiser.token);
    expect(taken.errors).toBeUndefined();
    expect(taken.data.takeOnHelpRequest).toEqual({ id: request.id, status: "MATCHED", volunteer: { id: mo.id }, takenOnBy: { id: org.id, name: "Wijkwinkel Pool" } });

    const seen = await t.gql(CONTACT, { id: request.id }, mo.token);
    expect(seen.data.helpRequest.contact).toEqual({ fullName: "Truus Bakker", address: "Dorpsstraat 9" });
    const log = await t.gql(`{ accessLog { edges { node { purpose reader { id } } } } }`, {}, resident.token);
    expect(log.data.accessLog.edges.map((e: any) => e.node)).toContainEqual({ purpose: "assigned by organisation", reader: { id: mo.id } });
    // The organiser follows the request but does not read the contact details.
    const byOrganiser = await t.gql(CONTACT, { id: request.id }, org.organiser.token);
    expect(byOrganiser.data.helpRequest).toEqual({ status: "MATCHED", contact: null });
    expect(reasonOf(byOrganiser)).toBe("CONTACT_DETAILS_HIDDEN");
    const history = await t.gql(`query($id: ID!) { helpRequest(id: $id) { volunteer { id } history { toStatus actor { id } } } }`, { id: request.id }, org.organiser.token);
    expect(history.data.helpRequest).toEqual({
      volunteer: { id: mo.id },
      history: [
        { toStatus: "OPEN", actor: { id: resident.id } },
        { toStatus: "MATCHED", actor: { id: org.organiser.id } },
      ],
    });
    // Anyone else: the request is no longer open.
    expect(reasonOf(await t.gql(CONTACT, { id: request.id }, sara.token))).toBe("HELP_REQUEST_NOT_FOUND");

    // The organisation hands it to Sara: Mo loses access, Sara gains it.
    const re = await t.gql(
      `mutation($id: ID!, $a: ID!) { reassignHelpRequest(id: $id, assigneeId: $a) { status volunteer { id } } }`,
      { id: request.id, a: sara.id },
      org.organiser.token,
    );
    expect(re.data.reassignHelpRequest).toEqual({ status: "MATCHED", volunteer: { id: sara.id } });
    expect(reasonOf(await t.gql(CONTACT, { id: request.id }, mo.token))).toBe("HELP_REQUEST_NOT_FOUND");
    expect((await t.gql(CONTACT, { id: request.id }, sara.token)).data.helpRequest.contact.fullName).toBe("Truus Bakker");

    // Sara helps like any matched volunteer; releasing returns it to everyone.
    const start = await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: request.id }, sara.token);
    expect(start.data.startHelpRequest.status).toBe("IN_PROGRESS");
    const released = await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { status takenOnBy { id } } }`, { id: request.id }, sara.token);
    expect(released.data.releaseHelpRequest).toEqual({ status: "OPEN", takenOnBy: null });
    const again = await t.gql(TAKE_ON, { id: request.id, o: org.id, a: mo.id }, org.organiser.token);
    expect(again.data.takeOnHelpRequest.status).toBe("MATCHED");
    const twice = await t.gql(TAKE_ON, { id: request.id, o: org.id, a: sara.id }, org.organiser.token);
    expect(codeOf(twice)).toBe("CONFLICT");
    expect(reasonOf(twice)).toBe("HELP_REQUEST_ALREADY_MATCHED");
  });

  it("NOT_AN_ORGANISATION_MEMBER, ASSIGNEE_NOT_A_VOLUNTEER, ORGANISATION_NOT_VERIFIED, NOT_AN_ORGANISER, VOG_REQUIRED: refuses take-overs the rules do not allow", async () => {
    const org = await buildOrganisation(t);
    const unverified = await buildOrganisation(t, { coordinator: org.coordinator, verified: false });
    const member = await buildVolunteer(t);
    const outsider = await buildVolunteer(t);
    const plainMember = await buildPerson(t);
    await t.gql(ADD, { o: org.id, p: member.id }, org.organiser.token);
    await t.gql(ADD, { o: org.id, p: plainMember.id }, org.organiser.token);
    await t.gql(ADD, { o: unverified.id, p: member.id }, unverified.organiser.token);
    const resident = await buildPerson(t);
    const request = await askForHelp(t, resident.token);

    const notMember = await t.gql(TAKE_ON, { id: request.id, o: org.id, a: outsider.id }, org.organiser.token);
    expect(codeOf(notMember)).toBe("BAD_USER_INPUT");
    expect(reasonOf(notMember)).toBe("NOT_AN_ORGANISATION_MEMBER");
    expect(reasonOf(await t.gql(TAKE_ON, { id: request.id, o: org.id, a: plainMember.id }, org.organiser.token))).toBe("ASSIGNEE_NOT_A_VOLUNTEER");
    expect(reasonOf(await t.gql(TAKE_ON, { id: request.id, o: unverified.id, a: member.id }, unverified.organiser.token))).toBe("ORGANISATION_NOT_VERIFIED");
    expect(reasonOf(await t.gql(TAKE_ON, { id: request.id, o: org.id, a: member.id }, member.token))).toBe("NOT_AN_ORGANISER");
    expect(reasonOf(await t.gql(TAKE_ON, { id: "hr_nope", o: org.id, a: member.id }, org.organiser.token))).toBe("HELP_REQUEST_NOT_FOUND");
    const needsVog = await askForHelp(t, resident.token, { vogRequired: true });
    expect(reasonOf(await t.gql(TAKE_ON, { id: needsVog.id, o: org.id, a: member.id }, org.organiser.token))).toBe("VOG_REQUIRED");
    const reassign = await t.gql(`mutation($id: ID!, $a: ID!) { reassignHelpRequest(id: $id, assigneeId: $a) { status } }`, { id: request.id, a: member.id }, org.organiser.token);
    expect(reasonOf(reassign)).toBe("HELP_REQUEST_NOT_FOUND");
    // Nothing changed.
    expect((await t.gql(`query($id: ID!) { helpRequest(id: $id) { status takenOnBy { id } } }`, { id: request.id }, resident.token)).data.helpRequest).toEqual({
      status: "OPEN",
      takenOnBy: null,
    });
  });
});
