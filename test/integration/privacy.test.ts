import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, askForHelp, buildCoordinator, buildPerson, buildVolunteer, window, ASK } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const CONTACT = `query($id: ID!) { helpRequest(id: $id) { id contact { fullName address phone } } }`;
const LOG = `query($subjectId: ID) { accessLog(subjectId: $subjectId) { edges { node { fields purpose objectId reader { id } subject { id } } } } }`;

describe.each(backends())("privacy of the person helped on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("CONTACT_DETAILS_HIDDEN: address and phone reach only the person, the asker and the matched volunteer while matched", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Henk" });
    const r = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.groceries,
          title: "Boodschappen voor moeder",
          description: "Elke dinsdag",
          ...window(t),
          personHelped: { firstName: "Riet", lastName: "Visser", neighbourhoodId: NB.wielwijk, address: "Dordtse Straat 5", phone: "078 123 4567" },
        },
      },
      carer.token,
    );
    const id = r.data.askForHelp.id;
    const riet = r.data.askForHelp.personHelped.id;
    const matched = await buildVolunteer(t);
    const bystander = await buildVolunteer(t);
    const stranger = await buildPerson(t);

    // The asker sees it.
    const asker = await t.gql(CONTACT, { id }, carer.token);
    expect(asker.data.helpRequest.contact).toEqual({ fullName: "Riet Visser", address: "Dordtse Straat 5", phone: "078 123 4567" });

    // A volunteer who may see the open request sees no contact details.
    const before = await t.gql(CONTACT, { id }, matched.token);
    expect(before.data.helpRequest).toEqual({ id, contact: null });
    expect(codeOf(before)).toBe("FORBIDDEN");
    expect(reasonOf(before)).toBe("CONTACT_DETAILS_HIDDEN");

    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id }, matched.token);
    const during = await t.gql(CONTACT, { id }, matched.token);
    expect(during.data.helpRequest.contact.address).toBe("Dordtse Straat 5");

    // Other volunteers and strangers cannot even see the matched request.
    expect(codeOf(await t.gql(CONTACT, { id }, bystander.token))).toBe("NOT_FOUND");
    expect(codeOf(await t.gql(CONTACT, { id }, stranger.token))).toBe("NOT_FOUND");
    expect(codeOf(await t.gql(CONTACT, { id }))).toBe("UNAUTHENTICATED");

    // After the volunteer releases it, the match is over and so is access.
    await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { id } }`, { id }, matched.token);
    const after = await t.gql(CONTACT, { id }, matched.token);
    expect(after.data.helpRequest.contact).toBeNull();
    expect(reasonOf(after)).toBe("CONTACT_DETAILS_HIDDEN");

    // Every read by someone other than the person is in the access log, which coordinators can inspect.
    const coordinator = await buildCoordinator(t);
    const log = await t.gql(LOG, { subjectId: riet }, coordinator.token);
    const entries = log.data.accessLog.edges.map((e: any) => e.node);
    expect(entries).toHaveLength(2);
    expect(entries.map((e: any) => e.reader.id).sort()).toEqual([carer.id, matched.id].sort());
    expect(entries.every((e: any) => e.objectId === id && e.subject.id === riet && e.fields.includes("address"))).toBe(true);
    expect(entries.map((e: any) => e.purpose).sort()).toEqual(["asked on behalf", "matched volunteer"]);
  });

  it("ACCESS_LOG_OF_OTHERS: a person sees who read their own data, not anyone else's; reading your own data is not logged", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn });
    await t.gql(CONTACT, { id: req.id }, resident.token); // own data: not logged
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    await t.gql(CONTACT, { id: req.id }, volunteer.token);
    const mine = await t.gql(LOG, {}, resident.token);
    expect(mine.data.accessLog.edges.map((e: any) => e.node.reader.id)).toEqual([volunteer.id]);
    const theirs = await t.gql(LOG, { subjectId: resident.id }, volunteer.token);
    expect(reasonOf(theirs)).toBe("ACCESS_LOG_OF_OTHERS");
  });

  it("HISTORY_HIDDEN: a browsing volunteer sees first name and neighbourhood, never the volunteer or the history", async () => {
    const resident = await buildPerson(t, { firstName: "Ali", lastName: "Secret" });
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const r = await t.gql(`query($id: ID!) { helpRequest(id: $id) { personHelped { firstName } neighbourhood { name } history { toStatus } } }`, { id: req.id }, volunteer.token);
    expect(r.data).toBeNull(); // history is non-null, so the error nulls the request
    expect(reasonOf(r)).toBe("HISTORY_HIDDEN");
    const ok = await t.gql(`query($id: ID!) { helpRequest(id: $id) { personHelped { firstName } neighbourhood { name } } }`, { id: req.id }, volunteer.token);
    expect(ok.data.helpRequest).toEqual({ personHelped: { firstName: "Ali" }, neighbourhood: { name: "Oud-Krispijn" } });
    expect(JSON.stringify(ok)).not.toContain("Secret");
  });

  it("VOG_REQUIRED: a volunteer without a verified VOG cannot accept a request that needs one", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token, { vogRequired: true });
    const r = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    expect(codeOf(r)).toBe("FORBIDDEN");
    expect(reasonOf(r)).toBe("VOG_REQUIRED");
    const withVog = await buildVolunteer(t, { vog: true });
    const ok = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: req.id }, withVog.token);
    expect(ok.data.acceptHelpRequest.status).toBe("MATCHED");
  });
});
