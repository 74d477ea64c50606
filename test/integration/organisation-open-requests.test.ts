import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, askForHelp, buildOrganisation, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

/** An organisation's organisers find the open requests that fit one of its volunteers, as a volunteer browses. */
const OPEN = `query($o: ID!, $first: Int, $after: String) {
  organisation(id: $o) { openHelpRequests(first: $first, after: $after) {
    edges { cursor node { id title status category { id } neighbourhood { id } personHelped { firstName } } }
    pageInfo { hasNextPage endCursor }
  } }
}`;
const ADD = `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`;
const TAKE_ON = `mutation($id: ID!, $o: ID!, $a: ID!) { takeOnHelpRequest(id: $id, organisationId: $o, assigneeId: $a) { status } }`;

describe.each(backends())("an organisation's view of open requests on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("NOT_AN_ORGANISER: lists the open requests that fit one of its volunteers, newest first, paged, without personal details", async () => {
    const org = await buildOrganisation(t);
    const mo = await buildVolunteer(t, { firstName: "Mo", categoryIds: [CAT.groceries], neighbourhoodIds: [NB.wielwijk] });
    const sara = await buildVolunteer(t, { firstName: "Sara", categoryIds: [CAT.company], neighbourhoodIds: [NB.dubbeldam], vog: true, coordinator: org.coordinator });
    const outsider = await buildVolunteer(t, { categoryIds: [CAT.paperwork], neighbourhoodIds: [NB.binnenstad] });
    for (const v of [mo, sara]) expect((await t.gql(ADD, { o: org.id, p: v.id }, org.organiser.token)).errors).toBeUndefined();

    const resident = await buildPerson(t, { firstName: "Truus" });
    const groceries = await askForHelp(t, resident.token, { categoryId: CAT.groceries, neighbourhoodId: NB.wielwijk, title: "Boodschappen" });
    const company = await askForHelp(t, resident.token, { categoryId: CAT.company, neighbourhoodId: NB.dubbeldam, title: "Gezelschap", vogRequired: true });
    const paperwork = await askForHelp(t, resident.token, { categoryId: CAT.paperwork, neighbourhoodId: NB.binnenstad, title: "Formulieren" });
    // Mo's category and Sara's neighbourhood: no single volunteer of the organisation fits it.
    const crossed = await askForHelp(t, resident.token, { categoryId: CAT.company, neighbourhoodId: NB.wielwijk, title: "Koffie" });
    // Mo's own request fits Mo's profile, but Mo cannot help himself.
    const own = await askForHelp(t, mo.token, { categoryId: CAT.groceries, neighbourhoodId: NB.wielwijk, title: "Zelf" });

    const list = await t.gql(OPEN, { o: org.id }, org.organiser.token);
    expect(list.errors).toBeUndefined();
    const ids = list.data.organisation.openHelpRequests.edges.map((e: any) => e.node.id);
    expect(ids).toEqual([company.id, groceries.id]);
    for (const id of [paperwork.id, crossed.id, own.id]) expect(ids).not.toContain(id);
    expect(list.data.organisation.openHelpRequests.edges[1].node).toMatchObject({ title: "Boodschappen", status: "OPEN", personHelped: { firstName: "Truus" } });

    const first = await t.gql(OPEN, { o: org.id, first: 1 }, org.organiser.token);
    expect(first.data.organisation.openHelpRequests.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql(OPEN, { o: org.id, first: 1, after: first.data.organisation.openHelpRequests.pageInfo.endCursor }, org.organiser.token);
    expect(second.data.organisation.openHelpRequests.edges.map((e: any) => e.node.id)).toEqual([groceries.id]);

    // The request itself is readable as a volunteer reads it: no contact details, no history.
    const one = await t.gql(`query($id: ID!) { helpRequest(id: $id) { id title } }`, { id: groceries.id }, org.organiser.token);
    expect(one.data.helpRequest).toEqual({ id: groceries.id, title: "Boodschappen" });
    expect(reasonOf(await t.gql(`query($id: ID!) { helpRequest(id: $id) { contact { phone } } }`, { id: groceries.id }, org.organiser.token))).toBe("CONTACT_DETAILS_HIDDEN");
    expect(reasonOf(await t.gql(`query($id: ID!) { helpRequest(id: $id) { history { toStatus } } }`, { id: groceries.id }, org.organiser.token))).toBe("HISTORY_HIDDEN");
    expect(codeOf(await t.gql(`query($id: ID!) { helpRequest(id: $id) { id } }`, { id: paperwork.id }, org.organiser.token))).toBe("NOT_FOUND");

    // Taken on: no longer open.
    expect((await t.gql(TAKE_ON, { id: groceries.id, o: org.id, a: mo.id }, org.organiser.token)).data.takeOnHelpRequest.status).toBe("MATCHED");
    const after = await t.gql(OPEN, { o: org.id }, org.organiser.token);
    expect(after.data.organisation.openHelpRequests.edges.map((e: any) => e.node.id)).toEqual([company.id]);

    // Only its organisers.
    for (const who of [mo, outsider]) {
      const r = await t.gql(OPEN, { o: org.id }, who.token);
      expect(codeOf(r)).toBe("FORBIDDEN");
      expect(reasonOf(r)).toBe("NOT_AN_ORGANISER");
    }
  });

  it("ORGANISATION_NOT_VERIFIED: an unverified organisation cannot browse requests", async () => {
    const org = await buildOrganisation(t, { verified: false });
    const r = await t.gql(OPEN, { o: org.id }, org.organiser.token);
    expect(reasonOf(r)).toBe("ORGANISATION_NOT_VERIFIED");
  });
});
