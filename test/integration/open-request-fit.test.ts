import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, askForHelp, buildOrganisation, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

const STAART = "nb_dordrecht-staart";
const READ = `query($id: ID!) { helpRequest(id: $id) { id title description personHelped { firstName } } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on HelpRequest { title description } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on HelpRequest { title } } }`;
const BROWSE = `{ openHelpRequests(first: 100) { edges { node { id } } } }`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { id status volunteer { id } } }`;
const TAKE_ON = `mutation($id: ID!, $o: ID!, $a: ID!) { takeOnHelpRequest(id: $id, organisationId: $o, assigneeId: $a) { id status volunteer { id } } }`;
const ADD = `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`;

describe.each(backends())("what a volunteer may read and accept follows what they may browse, on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("HELP_REQUEST_NOT_FOUND: an open request outside a volunteer's neighbourhoods or categories is not readable by helpRequest, node or nodes, nor acceptable; a fitting volunteer reads and accepts it", async () => {
    const resident = await buildPerson(t, { firstName: "Dirkje", neighbourhoodId: NB.dubbeldam });
    const req = await askForHelp(t, resident.token, { neighbourhoodId: NB.dubbeldam, title: "Boodschappen Dubbeldam", description: "Elke dinsdag naar de Jumbo" });
    const elsewhere = await buildVolunteer(t, { neighbourhoodIds: [STAART], categoryIds: [CAT.groceries] });
    const otherSkill = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.company] });
    const fitting = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.groceries] });

    for (const v of [elsewhere, otherSkill]) {
      const browse = await t.gql(BROWSE, {}, v.token);
      expect(browse.data.openHelpRequests.edges.map((e: any) => e.node.id)).not.toContain(req.id);
      const read = await t.gql(READ, { id: req.id }, v.token);
      expect([codeOf(read), reasonOf(read)]).toEqual(["NOT_FOUND", "HELP_REQUEST_NOT_FOUND"]);
      expect(JSON.stringify(read.data ?? null)).not.toMatch(/Dirkje|Jumbo|Dubbeldam/);
      expect((await t.gql(NODE, { id: req.id }, v.token)).data.node).toBeNull();
      expect((await t.gql(NODES, { ids: [req.id] }, v.token)).data.nodes).toEqual([null]);
      const accept = await t.gql(ACCEPT, { id: req.id }, v.token);
      expect([codeOf(accept), reasonOf(accept)]).toEqual(["NOT_FOUND", "HELP_REQUEST_NOT_FOUND"]);
      const follow = collect(t.ws(v.token), `subscription($id: ID!) { helpRequestChanged(id: $id) { helpRequest { title } } }`, { id: req.id });
      const first = await follow.next(3000);
      expect(first.data ?? null).toBeNull();
      expect(first.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    }
    expect((await t.gql(`query($id: ID!) { helpRequest(id: $id) { status } }`, { id: req.id }, resident.token)).data.helpRequest.status).toBe("OPEN");

    const browse = await t.gql(BROWSE, {}, fitting.token);
    expect(browse.data.openHelpRequests.edges.map((e: any) => e.node.id)).toContain(req.id);
    expect((await t.gql(READ, { id: req.id }, fitting.token)).data.helpRequest).toEqual({
      id: req.id,
      title: "Boodschappen Dubbeldam",
      description: "Elke dinsdag naar de Jumbo",
      personHelped: { firstName: "Dirkje" },
    });
    expect((await t.gql(NODES, { ids: [req.id] }, fitting.token)).data.nodes).toEqual([{ __typename: "HelpRequest", id: req.id, title: "Boodschappen Dubbeldam" }]);
    const accepted = await t.gql(ACCEPT, { id: req.id }, fitting.token);
    expect(accepted.data.acceptHelpRequest).toEqual({ id: req.id, status: "MATCHED", volunteer: { id: fitting.id } });
    // The people involved keep their access whatever their profile: the requester, and the matched volunteer.
    expect((await t.gql(READ, { id: req.id }, resident.token)).data.helpRequest.id).toBe(req.id);
    const profileChanged = await t.gql(
      `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
      { input: { categoryIds: [CAT.company], neighbourhoodIds: [STAART], languages: ["nl"], availability: [] } },
      fitting.token,
    );
    expect(profileChanged.errors).toBeUndefined();
    expect((await t.gql(READ, { id: req.id }, fitting.token)).data.helpRequest.id).toBe(req.id);
  });

  it("ASSIGNEE_DOES_NOT_FIT: an organisation takes an open request on only for a volunteer whose profile fits it", async () => {
    const org = await buildOrganisation(t);
    const staart = await buildVolunteer(t, { neighbourhoodIds: [STAART], categoryIds: [CAT.groceries] });
    const fits = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.groceries] });
    for (const v of [staart, fits]) expect((await t.gql(ADD, { o: org.id, p: v.id }, org.organiser.token)).errors).toBeUndefined();
    const resident = await buildPerson(t, { neighbourhoodId: NB.dubbeldam });
    const req = await askForHelp(t, resident.token, { neighbourhoodId: NB.dubbeldam });

    const refused = await t.gql(TAKE_ON, { id: req.id, o: org.id, a: staart.id }, org.organiser.token);
    expect([codeOf(refused), reasonOf(refused)]).toEqual(["FORBIDDEN", "ASSIGNEE_DOES_NOT_FIT"]);
    expect(reasonOf(await t.gql(READ, { id: req.id }, staart.token))).toBe("HELP_REQUEST_NOT_FOUND");
    const taken = await t.gql(TAKE_ON, { id: req.id, o: org.id, a: fits.id }, org.organiser.token);
    expect(taken.data.takeOnHelpRequest).toEqual({ id: req.id, status: "MATCHED", volunteer: { id: fits.id } });
    const reassign = await t.gql(`mutation($id: ID!, $a: ID!) { reassignHelpRequest(id: $id, assigneeId: $a) { status } }`, { id: req.id, a: staart.id }, org.organiser.token);
    expect(reasonOf(reassign)).toBe("ASSIGNEE_DOES_NOT_FIT");
  });
});
