import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, askForHelp, buildCoordinator, buildOrganisation, buildOrganiser, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type PartnerKey, buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, attached, codeOf, collect, metric, reasonOf, startTestApp } from "../support/test-app.js";

const ISSUE = `mutation($id: ID!, $input: IssueApiKeyInput!) { issueApiKey(clientId: $id, input: $input) { secret apiKey { id sandbox scopes } } }`;
const ASK = `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id status sandbox askedOnBehalf personHelped { id firstName } } }`;
const CURRENT = `{ currentApiKey { clientName sandbox sandboxOrganisationId scopes } }`;
const BROWSE = `{ openHelpRequests(first: 100) { edges { node { id } } } }`;

const base = (t: TestApp, overrides: Record<string, unknown> = {}) => ({
  categoryId: CAT.groceries,
  title: "Testverzoek",
  description: "Een verzoek uit de sandbox van de app.",
  neighbourhoodId: NB.wielwijk,
  ...window(t, 1, 24 * 20),
  ...overrides,
});

/**
 * A sandbox: a coordinator issues a partner app a test key that acts only within the app's sandbox
 * organisation. What it writes is marked sandbox and reaches no volunteer, organisation, team or
 * statistic; it reads the public graph and its sandbox's data, nothing else.
 */
describe.each(backends())("partner sandbox on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let app: PartnerKey;
  let sandbox: { secret: string; keyId: string; organisationId: string };

  const issueSandbox = async (clientId: string, scopes = ["PUBLIC_READ", "REQUESTS_WRITE"]) => {
    const r = await t.gql(ISSUE, { id: clientId, input: { label: "sandbox", scopes, sandbox: true } }, coordinator.token);
    expect(r.errors).toBeUndefined();
    const current = await keyed(t, r.data.issueApiKey.secret, CURRENT);
    expect(current.errors).toBeUndefined();
    return {
      secret: r.data.issueApiKey.secret as string,
      keyId: r.data.issueApiKey.apiKey.id as string,
      organisationId: current.data.currentApiKey.sandboxOrganisationId as string,
    };
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true", STATS_CACHE_SECONDS: "0" });
    coordinator = await buildCoordinator(t);
    app = await buildPartnerKey(t, coordinator, ["PUBLIC_READ", "REQUESTS_WRITE"], { name: "Stichting Welzijn Zwijndrecht" });
    sandbox = await issueSandbox(app.clientId);
  });
  afterAll(async () => t?.close());

  it("a coordinator issues a sandbox key; the key, its answers and what it writes say sandbox", async () => {
    const r = await t.gql(ISSUE, { id: app.clientId, input: { label: "ci", scopes: ["PUBLIC_READ"], sandbox: true } }, coordinator.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.issueApiKey.apiKey).toMatchObject({ sandbox: true, scopes: ["PUBLIC_READ"] });

    const current = await keyed(t, sandbox.secret, CURRENT);
    expect(current.data.currentApiKey).toMatchObject({ clientName: "Stichting Welzijn Zwijndrecht", sandbox: true, scopes: ["PUBLIC_READ", "REQUESTS_WRITE"] });
    expect(current.data.currentApiKey.sandboxOrganisationId).toMatch(/\S/);
    expect(current.headers.get("zorgzaam-sandbox")).toBe("true");
    // A second sandbox key of the same app works in the same sandbox.
    expect((await keyed(t, r.data.issueApiKey.secret, CURRENT)).data.currentApiKey.sandboxOrganisationId).toBe(sandbox.organisationId);

    const production = await keyed(t, app.secret, CURRENT);
    expect(production.data.currentApiKey).toMatchObject({ sandbox: false, sandboxOrganisationId: null });
    expect(production.headers.get("zorgzaam-sandbox")).toBeNull();

    const keys = await t.gql(`query($id: ID!) { apiClient(id: $id) { keys(first: 10) { edges { node { id sandbox } } } } }`, { id: app.clientId }, coordinator.token);
    const byId = Object.fromEntries(keys.data.apiClient.keys.edges.map((e: any) => [e.node.id, e.node.sandbox]));
    expect(byId).toMatchObject({ [sandbox.keyId]: true, [app.keyId]: false });

    // The sandbox organisation is the app's test double: a coordinator sees it, the public does not.
    const org = await t.gql(`query($id: ID!) { organisation(id: $id) { id name verified } }`, { id: sandbox.organisationId }, coordinator.token);
    expect(org.data.organisation).toMatchObject({ name: "Stichting Welzijn Zwijndrecht (sandbox)", verified: false });
    expect(codeOf(await t.gql(`query($id: ID!) { organisation(id: $id) { id } }`, { id: sandbox.organisationId }))).toBe("NOT_FOUND");
  });

  it("COORDINATOR_ONLY, SCOPE_REQUIRED: nobody else issues a sandbox key: not a resident, volunteer, organiser, another app's key, nor anyone without a login", async () => {
    const input = { label: "sandbox", scopes: ["PUBLIC_READ", "REQUESTS_WRITE"], sandbox: true };
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const organiser = await buildOrganiser(t, coordinator);
    for (const who of [resident, volunteer, organiser]) {
      const r = await t.gql(ISSUE, { id: app.clientId, input }, who.token);
      expect(codeOf(r)).toBe("FORBIDDEN");
      expect(reasonOf(r)).toBe("COORDINATOR_ONLY");
    }
    expect(codeOf(await t.gql(ISSUE, { id: app.clientId, input }))).toBe("UNAUTHENTICATED");
    for (const secret of [app.secret, sandbox.secret]) {
      const r = await keyed(t, secret, ISSUE, { id: app.clientId, input });
      expect(r.status).toBe(403);
      expect(reasonOf(r)).toBe("SCOPE_REQUIRED");
    }
    const keys = await t.gql(`query($id: ID!) { apiClient(id: $id) { keys(first: 20) { edges { node { sandbox } } } } }`, { id: app.clientId }, coordinator.token);
    expect(keys.data.apiClient.keys.edges.filter((e: any) => e.node.sandbox)).toHaveLength(2);
  });

  it("asks for help within its sandbox organisation: the request is the sandbox's and reaches no volunteer, organisation or team", async () => {
    const asked = await keyed(t, sandbox.secret, ASK, {
      input: base(t, { urgency: "URGENT", personHelped: { firstName: "Proef", neighbourhoodId: NB.wielwijk, phone: "06 0000 0000" } }),
    });
    expect(asked.errors).toBeUndefined();
    expect(asked.data.askForHelp).toMatchObject({ status: "OPEN", sandbox: true, askedOnBehalf: true, personHelped: { firstName: "Proef" } });
    const id = asked.data.askForHelp.id;

    // The request belongs to the sandbox organisation: it is listed there, for the key and for a coordinator.
    const listed = await keyed(t, sandbox.secret, `query($o: ID!) { organisation(id: $o) { askedHelpRequests(first: 10) { edges { node { id sandbox } } } } }`, {
      o: sandbox.organisationId,
    });
    expect(listed.errors).toBeUndefined();
    expect(listed.data.organisation.askedHelpRequests.edges.map((e: any) => e.node)).toContainEqual({ id, sandbox: true });
    const mine = await keyed(t, sandbox.secret, `{ myHelpRequests(first: 10) { edges { node { id sandbox contact { phone } } } } }`);
    expect(mine.data.myHelpRequests.edges.map((e: any) => e.node)).toContainEqual({ id, sandbox: true, contact: { phone: "06 0000 0000" } });

    // A volunteer and an organisation whose volunteer covers Wielwijk and groceries never see it.
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const real = await askForHelp(t, resident.token, { ...base(t, { urgency: "URGENT" }) });
    const browsed = (await t.gql(BROWSE, {}, volunteer.token)).data.openHelpRequests.edges.map((e: any) => e.node.id);
    expect(browsed).toContain(real.id);
    expect(browsed).not.toContain(id);
    expect(codeOf(await t.gql(`query($id: ID!) { helpRequest(id: $id) { id } }`, { id }, volunteer.token))).toBe("NOT_FOUND");
    expect(codeOf(await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id }, volunteer.token))).toBe("NOT_FOUND");
    const org = await buildOrganisation(t, { coordinator });
    expect(
      (
        await t.gql(
          `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`,
          { o: org.id, p: volunteer.id },
          org.organiser.token,
        )
      ).errors,
    ).toBeUndefined();
    const offered = await t.gql(`query($o: ID!) { organisation(id: $o) { openHelpRequests(first: 100) { edges { node { id } } } } }`, { o: org.id }, org.organiser.token);
    const offeredIds = offered.data.organisation.openHelpRequests.edges.map((e: any) => e.node.id);
    expect(offeredIds).toContain(real.id);
    expect(offeredIds).not.toContain(id);
    expect(codeOf(await t.gql(`query($id: ID!) { helpRequest(id: $id) { id } }`, { id }, org.organiser.token))).toBe("NOT_FOUND");
    const take = await t.gql(
      `mutation($id: ID!, $o: ID!, $a: ID!) { takeOnHelpRequest(id: $id, organisationId: $o, assigneeId: $a) { status } }`,
      { id, o: org.id, a: volunteer.id },
      org.organiser.token,
    );
    expect(codeOf(take)).toBe("FORBIDDEN");

    // Nor does a volunteer's subscription to new requests hear of it.
    const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${volunteer.token}` }, retryAttempts: 0 });
    try {
      const before = await metric(t, "zorgzaam_subscriptions_attached");
      const posted = collect(client, `subscription { helpRequestPosted { kind helpRequest { id } } }`);
      await attached(t, before + 1);
      await keyed(t, sandbox.secret, ASK, { input: base(t, { title: "Nog een test", personHelpedId: asked.data.askForHelp.personHelped.id }) });
      const control = await askForHelp(t, resident.token, { ...base(t, { title: "Echt" }) });
      expect((await posted.next()).data.helpRequestPosted.helpRequest.id).toBe(control.id);
      expect(await posted.quiet(200)).toBe(true);
      posted.unsubscribe();
    } finally {
      await client.dispose();
    }

    // Past the urgent limit the real request goes to a professional team; the sandbox's stays where it is.
    t.clock.advance(5 * HOUR);
    await t.app.services.sweeps.run();
    expect((await t.gql(`query($id: ID!) { helpRequest(id: $id) { status } }`, { id: real.id }, resident.token)).data.helpRequest.status).toBe("ESCALATED");
    expect((await keyed(t, sandbox.secret, `query($id: ID!) { helpRequest(id: $id) { status } }`, { id })).data.helpRequest.status).toBe("OPEN");

    // The key follows and cancels its own request.
    const cancel = await keyed(t, sandbox.secret, `mutation($id: ID!) { cancelHelpRequest(id: $id, reason: "Klaar met testen") { status } }`, { id });
    expect(cancel.data.cancelHelpRequest.status).toBe("CANCELLED");
  });

  it("counts nothing in the statistics the municipality reads", async () => {
    const nextMonth = () => {
      const now = t.clock.now();
      t.clock.advance(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2) - now.getTime());
      return t.clock.now().toISOString().slice(0, 7);
    };
    // Five residents registered before the month counted ask there, so its figure is shown.
    const residents: Account[] = [];
    for (let i = 0; i < 5; i++) residents.push(await buildPerson(t, { neighbourhoodId: NB.dubbeldam }));
    const month = nextMonth();
    for (const who of residents) await askForHelp(t, who.token, { ...base(t, { neighbourhoodId: NB.dubbeldam }) });
    for (let i = 0; i < 6; i++) {
      const r = await keyed(t, sandbox.secret, ASK, { input: base(t, { neighbourhoodId: NB.dubbeldam, personHelped: { firstName: `Proef${i}`, neighbourhoodId: NB.dubbeldam } }) });
      expect(r.errors).toBeUndefined();
    }
    nextMonth();
    const r = await t.gql(
      `query($m: String!, $n: [ID!]) { stats(from: $m, to: $m, neighbourhoodIds: $n) { cells(first: 5) { edges { node { closed requests { value suppressed } } } } } }`,
      { m: month, n: [NB.dubbeldam] },
      coordinator.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.stats.cells.edges[0].node).toEqual({ closed: true, requests: { value: 5, suppressed: false } });
  });

  it("SANDBOX_ONLY: a sandbox key cannot act for another organisation nor name a real account", async () => {
    const org = await buildOrganisation(t, { coordinator });
    const resident = await buildPerson(t);
    const other = await keyed(t, sandbox.secret, ASK, { input: base(t, { askingOrganisationId: org.id, personHelped: { firstName: "Proef", neighbourhoodId: NB.wielwijk } }) });
    expect(other.status).toBe(403);
    expect(codeOf(other)).toBe("FORBIDDEN");
    expect(reasonOf(other)).toBe("SANDBOX_ONLY");
    expect(other.errors![0].extensions!.field).toBe("input.askingOrganisationId");
    // An account named by its email is refused as for every key (which also hides whether it exists).
    for (const email of [resident.email, "nobody@test.example"]) {
      expect(reasonOf(await keyed(t, sandbox.secret, ASK, { input: base(t, { personHelpedEmail: email }) }))).toBe("PERSON_HELPED_REQUIRED");
      const both = await keyed(t, sandbox.secret, ASK, { input: base(t, { personHelpedEmail: email, personHelped: { firstName: "Proef", neighbourhoodId: NB.wielwijk } }) });
      expect(codeOf(both)).toBe("BAD_USER_INPUT");
      expect(reasonOf(both)).toBe("INVALID_INPUT");
    }
    // Inline arguments are read the same way.
    const inline = await keyed(
      t,
      sandbox.secret,
      `mutation { askForHelp(input: { categoryId: "${CAT.groceries}", title: "x", description: "y", windowStart: "${base(t).windowStart}", windowEnd: "${base(t).windowEnd}", askingOrganisationId: "${org.id}", personHelped: { firstName: "Proef", neighbourhoodId: "${NB.wielwijk}" } }) { id } }`,
    );
    expect(reasonOf(inline)).toBe("SANDBOX_ONLY");
    // Naming the sandbox organisation itself is fine.
    const own = await keyed(t, sandbox.secret, ASK, {
      input: base(t, { askingOrganisationId: sandbox.organisationId, personHelped: { firstName: "Proef", neighbourhoodId: NB.wielwijk } }),
    });
    expect(own.errors).toBeUndefined();
    expect(own.data.askForHelp.sandbox).toBe(true);
    const asked = await t.gql(`query($o: ID!) { organisation(id: $o) { askedHelpRequests(first: 50) { edges { node { id } } } } }`, { o: org.id }, org.organiser.token);
    expect(asked.data.organisation.askedHelpRequests.edges).toHaveLength(0);
  });

  it("reads public data and its own sandbox's, never personal data outside it (not even of its own app)", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const real = await askForHelp(t, resident.token, { ...base(t) });
    const org = await buildOrganisation(t, { coordinator });
    // The same app's production key asks for a real resident.
    const production = await keyed(t, app.secret, ASK, { input: base(t, { personHelped: { firstName: "Riet", phone: "06 1234 5678", neighbourhoodId: NB.wielwijk } }) });
    expect(production.errors).toBeUndefined();
    expect(production.data.askForHelp.sandbox).toBe(false);
    const prodId = production.data.askForHelp.id;
    const riet = production.data.askForHelp.personHelped.id;

    // Public data: as any key with public:read.
    const pub = await keyed(t, sandbox.secret, `{ neighbourhoods { id } helpCategories { id } initiatives(first: 1) { edges { cursor } } }`);
    expect(pub.errors).toBeUndefined();

    for (const id of [real.id, prodId]) {
      expect(reasonOf(await keyed(t, sandbox.secret, `query($id: ID!) { helpRequest(id: $id) { id } }`, { id }))).toBe("HELP_REQUEST_NOT_FOUND");
      expect((await keyed(t, sandbox.secret, `query($id: ID!) { node(id: $id) { id } }`, { id })).data.node).toBeNull();
      expect(codeOf(await keyed(t, sandbox.secret, `mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id }))).toBe("NOT_FOUND");
    }
    for (const id of [resident.id, riet]) expect((await keyed(t, sandbox.secret, `query($id: ID!) { node(id: $id) { id } }`, { id })).data.node).toBeNull();
    const named = await keyed(t, sandbox.secret, ASK, { input: base(t, { personHelpedId: riet }) });
    expect(reasonOf(named)).toBe("UNKNOWN_PERSON_HELPED");
    const theirs = await keyed(t, sandbox.secret, `query($o: ID!) { organisation(id: $o) { askedHelpRequests(first: 5) { edges { cursor } } members { person { id } } } }`, {
      o: org.id,
    });
    expect(codeOf(theirs)).toBe("FORBIDDEN");
    expect(reasonOf(theirs)).toBe("NOT_AN_ORGANISER");

    // Its own list holds only sandbox requests; the production key's holds none of them.
    const mine = await keyed(t, sandbox.secret, `{ myHelpRequests(first: 100) { edges { node { id sandbox } } } }`);
    expect(mine.data.myHelpRequests.edges.length).toBeGreaterThan(0);
    expect(mine.data.myHelpRequests.edges.every((e: any) => e.node.sandbox)).toBe(true);
    const prod = await keyed(t, app.secret, `{ myHelpRequests(first: 100) { edges { node { id sandbox } } } }`);
    expect(prod.data.myHelpRequests.edges.map((e: any) => e.node)).toEqual([{ id: prodId, sandbox: false }]);
    expect(reasonOf(await keyed(t, app.secret, `query($id: ID!) { helpRequest(id: $id) { id } }`, { id: mine.data.myHelpRequests.edges[0].node.id }))).toBe(
      "HELP_REQUEST_NOT_FOUND",
    );
  });

  it("a sandbox key without requests:write reads the public graph only", async () => {
    const other = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const key = await issueSandbox(other.clientId, ["PUBLIC_READ"]);
    expect(key.organisationId).toMatch(/\S/);
    expect((await keyed(t, key.secret, `{ helpCategories { id } }`)).status).toBe(200);
    expect(reasonOf(await keyed(t, key.secret, `{ myHelpRequests { edges { cursor } } }`))).toBe("SCOPE_REQUIRED");
  });
});
