import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CREATE_INITIATIVE, NB, SIGN_UP, buildCoordinator, buildOrganisation, buildPerson, schedule } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, reasonOf, startTestApp } from "../support/test-app.js";

const BIND = `mutation($c: ID!, $o: ID!) { bindApiClientToOrganisation(clientId: $c, organisationId: $o) { organisationId accountId boundAt } }`;
const UNBIND = `mutation($c: ID!) { unbindApiClientFromOrganisation(clientId: $c) }`;
const SIGNUPS = `query($id: ID!) { node(id: $id) { ... on Initiative { id signups(first: 10) { edges { node { participant { firstName } } } } } } }`;
const MEMBERS = `query($id: ID!) { organisation(id: $id) { members { person { id firstName } role } } }`;

const initiativeInput = (t: TestApp, organisationId: string, title = "Repair Café") => ({
  input: {
    organisationId,
    kind: "ACTIVITY",
    title,
    description: "Samen spullen repareren in de wijkwinkel.",
    neighbourhoodId: NB.oudKrispijn,
    schedule: schedule(t),
    publish: true,
  },
});

/** A partner app acting for one organisation: posting its initiatives and reading their sign-ups, and nothing beyond. */
describe.each(backends())("a partner app acting for an organisation on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  it("NOT_BOUND_TO_ORGANISATION until a coordinator binds it, API_CLIENT_ALREADY_BOUND for a second one; then it posts the organisation's initiatives and reads their sign-ups, and only those", async () => {
    const desk = await buildOrganisation(t, { coordinator });
    const other = await buildOrganisation(t, { coordinator });
    const app = await buildPartnerKey(t, coordinator, ["ORGANISATION_WRITE"]);

    const before = await keyed(t, app.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id));
    expect(before.status).toBe(403);
    expect(reasonOf(before)).toBe("NOT_BOUND_TO_ORGANISATION");

    // Only a coordinator binds; the organiser of the organisation cannot bind an app themself.
    expect(reasonOf(await t.gql(BIND, { c: app.clientId, o: desk.id }, desk.organiser.token))).toBe("COORDINATOR_ONLY");
    const bound = await t.gql(BIND, { c: app.clientId, o: desk.id }, coordinator.token);
    expect(bound.errors).toBeUndefined();
    expect(bound.data.bindApiClientToOrganisation.organisationId).toBe(desk.id);
    // Binding again to the same organisation answers the same binding; to another one is refused.
    expect((await t.gql(BIND, { c: app.clientId, o: desk.id }, coordinator.token)).data.bindApiClientToOrganisation.accountId).toBe(
      bound.data.bindApiClientToOrganisation.accountId,
    );
    expect(reasonOf(await t.gql(BIND, { c: app.clientId, o: other.id }, coordinator.token))).toBe("API_CLIENT_ALREADY_BOUND");

    const info = await keyed(t, app.secret, `{ currentApiKey { actsForOrganisationId scopes } }`);
    expect(info.data.currentApiKey).toEqual({ actsForOrganisationId: desk.id, scopes: ["ORGANISATION_WRITE"] });

    const posted = await keyed(t, app.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id));
    expect(posted.errors).toBeUndefined();
    const initiativeId = posted.data.createInitiative.id as string;
    expect(posted.data.createInitiative.organisation.id).toBe(desk.id);
    // Another organisation's name does not make the app its organiser.
    const elsewhere = await keyed(t, app.secret, CREATE_INITIATIVE, initiativeInput(t, other.id));
    expect(elsewhere.data?.createInitiative ?? null).toBeNull();
    expect(reasonOf(elsewhere)).toBe("NOT_AN_ORGANISER");

    const resident = await buildPerson(t, { firstName: "Riet" });
    expect((await t.gql(SIGN_UP, { input: { initiativeId } }, resident.token)).errors).toBeUndefined();
    const read = await keyed(t, app.secret, SIGNUPS, { id: initiativeId });
    expect(read.errors).toBeUndefined();
    expect(read.data.node.signups.edges.map((e: any) => e.node.participant.firstName)).toEqual(["Riet"]);

    // The other organisation's sign-ups stay closed to it.
    const theirs = await t.gql(CREATE_INITIATIVE, initiativeInput(t, other.id, "Breicafé"), other.organiser.token);
    const closed = await keyed(t, app.secret, SIGNUPS, { id: theirs.data.createInitiative.id });
    expect(reasonOf(closed)).toBe("NOT_AN_ORGANISER");
  });

  it("keys of the same app without organisation:write do not act for the organisation, not even through node", async () => {
    const desk = await buildOrganisation(t, { coordinator });
    const writer = await buildPartnerKey(t, coordinator, ["ORGANISATION_WRITE"]);
    expect((await t.gql(BIND, { c: writer.clientId, o: desk.id }, coordinator.token)).errors).toBeUndefined();
    const reader = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { clientId: writer.clientId });
    const asker = await buildPartnerKey(t, coordinator, ["REQUESTS_WRITE"], { clientId: writer.clientId });

    const refused = await keyed(t, reader.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id));
    expect(refused.status).toBe(403);
    expect(reasonOf(refused)).toBe("SCOPE_REQUIRED");

    const posted = await keyed(t, writer.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id));
    const initiativeId = posted.data.createInitiative.id as string;
    const resident = await buildPerson(t, { firstName: "Joke" });
    await t.gql(SIGN_UP, { input: { initiativeId } }, resident.token);
    for (const key of [reader, asker]) {
      const r = await keyed(t, key.secret, SIGNUPS, { id: initiativeId });
      expect(JSON.stringify(r.data ?? {})).not.toContain("Joke");
      expect(r.errors?.length ?? 0).toBeGreaterThan(0);
    }
    // An anonymous caller neither.
    const anon = await keyed(t, null, SIGNUPS, { id: initiativeId });
    expect(JSON.stringify(anon.data ?? {})).not.toContain("Joke");
  });

  it("the organisation's organisers see the app among their members and can remove it; unbinding ends it at once too", async () => {
    const desk = await buildOrganisation(t, { coordinator });
    const app = await buildPartnerKey(t, coordinator, ["ORGANISATION_WRITE"], { name: "Wijkwinkel-site" });
    const accountId = (await t.gql(BIND, { c: app.clientId, o: desk.id }, coordinator.token)).data.bindApiClientToOrganisation.accountId as string;

    const members = (await t.gql(MEMBERS, { id: desk.id }, desk.organiser.token)).data.organisation.members;
    expect(members).toContainEqual({ person: { id: accountId, firstName: "Wijkwinkel-site (app)" }, role: "ORGANISER" });
    expect((await keyed(t, app.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id))).errors).toBeUndefined();

    const removed = await t.gql(
      `mutation($o: ID!, $p: ID!) { removeOrganisationMember(organisationId: $o, personId: $p) { person { id } } }`,
      { o: desk.id, p: accountId },
      desk.organiser.token,
    );
    expect(removed.errors).toBeUndefined();
    expect(reasonOf(await keyed(t, app.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id)))).toBe("NOT_AN_ORGANISER");

    // Bound again (a new seat), then unbound: refused at once, and the coordinator sees no binding.
    expect((await t.gql(UNBIND, { c: app.clientId }, coordinator.token)).data.unbindApiClientFromOrganisation).toBe(true);
    expect((await t.gql(BIND, { c: app.clientId, o: desk.id }, coordinator.token)).errors).toBeUndefined();
    expect((await keyed(t, app.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id))).errors).toBeUndefined();
    expect((await t.gql(UNBIND, { c: app.clientId }, coordinator.token)).data.unbindApiClientFromOrganisation).toBe(true);
    expect(reasonOf(await keyed(t, app.secret, CREATE_INITIATIVE, initiativeInput(t, desk.id)))).toBe("NOT_BOUND_TO_ORGANISATION");
    expect((await t.gql(`query($id: ID!) { apiClient(id: $id) { actsFor { organisationId } } }`, { id: app.clientId }, coordinator.token)).data.apiClient.actsFor).toBeNull();
    expect((await t.gql(UNBIND, { c: app.clientId }, coordinator.token)).data.unbindApiClientFromOrganisation).toBe(false);
  });

  it("ORGANISATION_NOT_VERIFIED: an app is bound only to a verified organisation", async () => {
    const unverified = await buildOrganisation(t, { coordinator, verified: false });
    const app = await buildPartnerKey(t, coordinator, ["ORGANISATION_WRITE"]);
    expect(reasonOf(await t.gql(BIND, { c: app.clientId, o: unverified.id }, coordinator.token))).toBe("ORGANISATION_NOT_VERIFIED");
    expect(reasonOf(await t.gql(BIND, { c: app.clientId, o: "Organisation_nope" }, coordinator.token))).toBe("ORGANISATION_NOT_FOUND");
    expect((await t.gql(`query($id: ID!) { apiClient(id: $id) { actsFor { organisationId } } }`, { id: app.clientId }, coordinator.token)).data.apiClient.actsFor).toBeNull();
  });
});
