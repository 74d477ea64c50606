import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, buildCoordinator, buildPerson, buildVolunteer, window, type Account } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const DAY = 24 * 3600_000;

describe.each(backends())("partner apps on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true" });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  it("reads the public graph without any key: neighbourhoods, categories, initiatives, statistics", async () => {
    const r = await t.gql(`{
      neighbourhoods { id name area { name } }
      helpCategories { id code }
      initiatives(first: 5) { edges { node { id } } pageInfo { hasNextPage endCursor } }
      stats { from to suppressionThreshold cells(first: 3) { edges { node { month neighbourhood { id } requests { value suppressed } } } } }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.neighbourhoods.length).toBeGreaterThan(5);
    expect(r.data.helpCategories.length).toBeGreaterThan(3);
    expect(r.data.stats.suppressionThreshold).toBe(5);
    expect(r.data.stats.cells.edges).toHaveLength(3);
  });

  it("issues a key shown once and stored as a hash; it works as X-Api-Key and as a bearer token", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    expect(key.secret).toMatch(/^zz_[A-Za-z0-9_-]{40}$/);
    for (const as of ["header", "bearer"] as const) {
      const r = await keyed(t, key.secret, `{ currentApiKey { clientName prefix scopes rateLimitPerMinute allowListOnly expiresAt } helpCategories { id } }`, {}, { as });
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
      expect(r.data.currentApiKey.scopes).toEqual(["PUBLIC_READ"]);
      expect(key.secret.startsWith(r.data.currentApiKey.prefix)).toBe(true);
      expect(r.headers.get("ratelimit-limit")).toBe("600");
      expect(Number(r.headers.get("ratelimit-remaining"))).toBeLessThan(600);
    }
    const listed = await t.gql(
      `query($id: ID!) { apiClient(id: $id) { name keys(first: 10) { edges { node { id prefix scopes active expiresAt } } } } }`,
      { id: key.clientId },
      coordinator.token,
    );
    expect(listed.errors).toBeUndefined();
    expect(JSON.stringify(listed.data)).not.toContain(key.secret);
    expect(listed.data.apiClient.keys.edges[0].node).toMatchObject({ id: key.keyId, scopes: ["PUBLIC_READ"], active: true });
    const stored = await t.app.services.db.read.select().from(t.app.services.db.tables.apiKeys);
    expect(JSON.stringify(stored)).not.toContain(key.secret);
    expect(stored.map((k) => k.secretHash)).toContain(sha256(key.secret));
    const node = await t.gql(`query($id: ID!) { node(id: $id) { __typename id ... on ApiKey { prefix } } }`, { id: key.keyId }, coordinator.token);
    expect(node.data.node.__typename).toBe("ApiKey");
    expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: key.keyId })).data.node).toBeNull();
  });

  it("SCOPE_REQUIRED: a key runs only the operations of its scopes (403 before anything runs)", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const cases = [
      `{ me { email } }`,
      `{ apiClients { edges { node { id } } } }`,
      `mutation { registerApiClient(input: { name: "x", description: "y", contactEmail: "a@b.nl" }) { id } }`,
      `{ helpCategories { id } myHelpRequests { edges { node { id } } } }`,
      `query { ...F } fragment F on Query { accessLog { edges { cursor } } }`,
    ];
    for (const q of cases) {
      const r = await keyed(t, key.secret, q);
      expect(r.status, q).toBe(403);
      expect(codeOf(r)).toBe("FORBIDDEN");
      expect(reasonOf(r)).toBe("SCOPE_REQUIRED");
      expect(r.data).toBeUndefined();
    }
    const stats = await buildPartnerKey(t, coordinator, ["STATS_READ"]);
    expect((await keyed(t, stats.secret, `{ initiatives { edges { cursor } } }`)).status).toBe(403);
    expect((await keyed(t, stats.secret, `{ stats { from } }`)).status).toBe(200);
  });

  it("INVALID_API_KEY, API_KEY_REVOKED, API_KEY_EXPIRED, MIXED_CREDENTIALS: refuses bad keys with 401", async () => {
    const r1 = await keyed(t, "zz_thisisnotakeythisisnotakeythisisnotake", `{ helpCategories { id } }`);
    expect(r1.status).toBe(401);
    expect(reasonOf(r1)).toBe("INVALID_API_KEY");
    expect(reasonOf(await keyed(t, "zz_" + "x".repeat(5000), `{ helpCategories { id } }`))).toBe("INVALID_API_KEY");

    const key = await buildPartnerKey(t, coordinator);
    expect((await keyed(t, key.secret, `{ helpCategories { id } }`)).status).toBe(200);
    const revoke = await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt active } }`, { id: key.keyId }, coordinator.token);
    expect(revoke.data.revokeApiKey.active).toBe(false);
    const r2 = await keyed(t, key.secret, `{ helpCategories { id } }`);
    expect(r2.status).toBe(401);
    expect(reasonOf(r2)).toBe("API_KEY_REVOKED");

    const short = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { expiresInDays: 1 });
    expect((await keyed(t, short.secret, `{ helpCategories { id } }`)).status).toBe(200);
    t.clock.advance(2 * DAY);
    const r3 = await keyed(t, short.secret, `{ helpCategories { id } }`);
    expect(r3.status).toBe(401);
    expect(reasonOf(r3)).toBe("API_KEY_EXPIRED");

    const person = await buildPerson(t);
    const mixed = await keyed(t, (await buildPartnerKey(t, coordinator)).secret, `{ helpCategories { id } }`, {}, { headers: { authorization: `Bearer ${person.token}` } });
    expect(mixed.status).toBe(401);
    expect(reasonOf(mixed)).toBe("MIXED_CREDENTIALS");
  });

  it("RATE_LIMITED: past its limit a key gets 429 with Retry-After and retryAfterSeconds; other keys and the server carry on", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { rateLimitPerMinute: 5 });
    const other = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { rateLimitPerMinute: 5 });
    const results = await Promise.all(Array.from({ length: 8 }, () => keyed(t, key.secret, `{ helpCategories { id } }`)));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(5);
    expect(limited).toHaveLength(3);
    for (const r of limited) {
      expect(codeOf(r)).toBe("TOO_MANY_REQUESTS");
      expect(reasonOf(r)).toBe("RATE_LIMITED");
      const retry = Number(r.headers.get("retry-after"));
      expect(retry).toBeGreaterThanOrEqual(1);
      // A sliding window: the burst fades out over the minute after its own, so at most two minutes.
      expect(retry).toBeLessThanOrEqual(120);
      expect((r.errors![0].extensions as Record<string, unknown>).retryAfterSeconds).toBe(retry);
      expect(r.headers.get("ratelimit-remaining")).toBe("0");
    }
    expect((await keyed(t, other.secret, `{ helpCategories { id } }`)).status).toBe(200);
    expect((await t.gql(`{ helpCategories { id } }`)).status).toBe(200);
    // The same key over a WebSocket: the operation gets the error, the socket stays open.
    const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { apiKey: key.secret }, retryAttempts: 0 });
    try {
      const refused = await collect(client, `query { helpCategories { id } }`).next();
      expect(refused.errors?.[0].extensions?.code).toBe("TOO_MANY_REQUESTS");
      expect((refused.errors?.[0].extensions as Record<string, unknown>).retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it("PERSON_HELPED_REQUIRED: with requests:write an app asks on behalf of its users, follows and cancels those requests, and nothing else", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ", "REQUESTS_WRITE"], { name: "Stichting Welzijn Dordrecht" });
    const ask = `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id status askedOnBehalf personHelped { id firstName } neighbourhood { id } } }`;
    const base = { categoryId: CAT.groceries, title: "Boodschappen", description: "Mevrouw kan niet meer zelf naar de winkel.", ...window(t) };
    const forItself = await keyed(t, key.secret, ask, { input: base });
    expect(forItself.status).toBe(400);
    expect(reasonOf(forItself)).toBe("PERSON_HELPED_REQUIRED");
    const asked = await keyed(t, key.secret, ask, { input: { ...base, personHelped: { firstName: "Riet", neighbourhoodId: NB.wielwijk, phone: "06 1234 5678" } } });
    expect(asked.errors).toBeUndefined();
    expect(asked.data.askForHelp).toMatchObject({ status: "OPEN", askedOnBehalf: true, personHelped: { firstName: "Riet" }, neighbourhood: { id: NB.wielwijk } });
    const id = asked.data.askForHelp.id;
    const again = await keyed(t, key.secret, ask, { input: { ...base, title: "Nog eens", personHelpedId: asked.data.askForHelp.personHelped.id } });
    expect(again.errors).toBeUndefined();

    // A volunteer sees it like any other request, asked by the app.
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk] });
    const seen = await t.gql(`query($id: ID!) { helpRequest(id: $id) { title askedOnBehalf } }`, { id }, volunteer.token);
    expect(seen.data.helpRequest.askedOnBehalf).toBe(true);

    // The app follows its own requests (with the contact details it gave) and cancels one.
    const mine = await keyed(t, key.secret, `{ myHelpRequests(first: 10) { edges { node { id status contact { fullName phone } history { toStatus actor { firstName } } } } } }`);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.myHelpRequests.edges).toHaveLength(2);
    expect(mine.data.myHelpRequests.edges[1].node.history[0].actor.firstName).toBe("Stichting Welzijn Dordrecht");
    const cancel = await keyed(t, key.secret, `mutation($id: ID!) { cancelHelpRequest(id: $id, reason: "Opgelost") { status } }`, { id });
    expect(cancel.data.cancelHelpRequest.status).toBe("CANCELLED");

    // Someone else's request stays invisible, and other mutations stay closed.
    const resident = await buildPerson(t);
    const theirs = await t.gql(`mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id } }`, { input: base }, resident.token);
    expect(reasonOf(await keyed(t, key.secret, `query($id: ID!) { helpRequest(id: $id) { id } }`, { id: theirs.data.askForHelp.id }))).toBe("HELP_REQUEST_NOT_FOUND");
    const accept = await keyed(t, key.secret, `mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: theirs.data.askForHelp.id });
    expect(reasonOf(accept)).toBe("SCOPE_REQUIRED");
    const org = await keyed(t, key.secret, `mutation { createOrganisation(input: { name: "X", kind: SHOP, description: "x", neighbourhoodId: "${NB.wielwijk}" }) { id } }`);
    expect(reasonOf(org)).toBe("SCOPE_REQUIRED");
  });

  it("OPERATION_NOT_ALLOWED: a key bound to the allow-list runs registered operations only, by SHA-256 alone or in full", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { allowListOnly: true });
    const doc = `query Categories { helpCategories { id code } }`;
    const reg = await t.gql(
      `mutation($id: ID!, $docs: [String!]!) { registerPersistedOperations(clientId: $id, documents: $docs) { id sha256 operationName operationType } }`,
      { id: key.clientId, docs: [doc] },
      coordinator.token,
    );
    expect(reg.errors).toBeUndefined();
    expect(reg.data.registerPersistedOperations[0]).toMatchObject({ sha256: sha256(doc), operationName: "Categories", operationType: "query" });

    const full = await keyed(t, key.secret, doc);
    expect(full.errors).toBeUndefined();
    const byHash = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key.secret },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(doc) } } }),
    });
    expect(byHash.status).toBe(200);
    expect(((await byHash.json()) as any).data.helpCategories.length).toBeGreaterThan(3);
    const get = await fetch(`${t.url}?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(doc) } }))}`, {
      headers: { "x-api-key": key.secret, "apollo-require-preflight": "1" },
    });
    expect(get.status).toBe(200);

    for (const q of [`{ helpCategories { id } }`, `query Categories { helpCategories { id code name } }`]) {
      const r = await keyed(t, key.secret, q);
      expect(r.status).toBe(403);
      expect(reasonOf(r)).toBe("OPERATION_NOT_ALLOWED");
    }
    const unknownHash = await keyed(t, key.secret, undefined as never, undefined, { extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    expect(reasonOf(unknownHash)).toBe("OPERATION_NOT_ALLOWED");
    // A key of the same app that is not bound to the list runs anything in its scopes.
    const free = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { clientId: key.clientId });
    expect((await keyed(t, free.secret, `{ helpCategories { id } }`)).status).toBe(200);
    const removed = await t.gql(
      `mutation($id: ID!, $sha: String!) { removePersistedOperation(clientId: $id, sha256: $sha) }`,
      { id: key.clientId, sha: sha256(doc) },
      coordinator.token,
    );
    expect(removed.data.removePersistedOperation).toBe(true);
  });

  it("INVALID_OPERATION_DOCUMENT, API_CLIENT_NOT_FOUND, API_KEY_NOT_FOUND, TOO_MANY_ACTIVE_KEYS, COORDINATOR_ONLY: manages apps safely", async () => {
    const key = await buildPartnerKey(t, coordinator);
    const register = `mutation($id: ID!, $docs: [String!]!) { registerPersistedOperations(clientId: $id, documents: $docs) { sha256 } }`;
    for (const doc of [`{ nope }`, `query { helpCategories { id } `, `query A { areas { id } } query B { areas { id } }`]) {
      const r = await t.gql(register, { id: key.clientId, docs: [doc] }, coordinator.token);
      expect(reasonOf(r), doc).toBe("INVALID_OPERATION_DOCUMENT");
      expect(r.errors![0].extensions!.field).toBe("documents.0");
    }
    expect(reasonOf(await t.gql(register, { id: "app_nope", docs: ["{ areas { id } }"] }, coordinator.token))).toBe("API_CLIENT_NOT_FOUND");
    expect(reasonOf(await t.gql(`mutation { revokeApiKey(id: "key_nope") { id } }`, {}, coordinator.token))).toBe("API_KEY_NOT_FOUND");
    for (let i = 0; i < 9; i++) await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { clientId: key.clientId });
    const eleventh = await t.gql(
      `mutation($id: ID!) { issueApiKey(clientId: $id, input: { label: "x", scopes: [PUBLIC_READ] }) { secret } }`,
      { id: key.clientId },
      coordinator.token,
    );
    expect(reasonOf(eleventh)).toBe("TOO_MANY_ACTIVE_KEYS");
    const bad = await t.gql(
      `mutation($id: ID!) { issueApiKey(clientId: $id, input: { label: "x", scopes: [], expiresInDays: 9999 }) { secret } }`,
      { id: key.clientId },
      coordinator.token,
    );
    expect(reasonOf(bad)).toBe("INVALID_INPUT");
    const resident = await buildPerson(t);
    const notCoordinator = await t.gql(`mutation { registerApiClient(input: { name: "App", description: "d", contactEmail: "a@b.nl" }) { id } }`, {}, resident.token);
    expect(reasonOf(notCoordinator)).toBe("COORDINATOR_ONLY");
    expect(codeOf(await t.gql(`{ apiClients { edges { cursor } } }`))).toBe("UNAUTHENTICATED");
  });

  it("disables every key of an app at once, and pages through apps with cursors", async () => {
    const a = await buildPartnerKey(t, coordinator);
    const off = await t.gql(`mutation($id: ID!) { setApiClientDisabled(id: $id, disabled: true) { disabledAt } }`, { id: a.clientId }, coordinator.token);
    expect(off.data.setApiClientDisabled.disabledAt).not.toBeNull();
    expect(reasonOf(await keyed(t, a.secret, `{ areas { id } }`))).toBe("API_KEY_REVOKED");
    await t.gql(`mutation($id: ID!) { setApiClientDisabled(id: $id, disabled: false) { id } }`, { id: a.clientId }, coordinator.token);
    expect((await keyed(t, a.secret, `{ areas { id } }`)).status).toBe(200);

    const seen = new Set<string>();
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const r: any = await t.gql(
        `query($after: String) { apiClients(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        coordinator.token,
      );
      for (const e of r.data.apiClients.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      if (!r.data.apiClients.pageInfo.hasNextPage) break;
      after = r.data.apiClients.pageInfo.endCursor;
    }
    const all = await t.app.services.db.read.select().from(t.app.services.db.tables.apiClients);
    expect(seen.size).toBe(all.length);
  });

  it("applies scopes and keys on WebSockets too: a bad key is refused at connect, an operation outside the scopes gets SCOPE_REQUIRED", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { apiKey: key.secret }, retryAttempts: 0 });
    try {
      const ok = await collect(client, `query { helpCategories { id } }`).next();
      expect(ok.data.helpCategories.length).toBeGreaterThan(3);
      const refused = await collect(client, `subscription { helpRequestPosted { __typename } }`).next();
      expect(refused.errors?.[0].extensions?.reason, JSON.stringify(refused)).toBe("SCOPE_REQUIRED");
      expect(JSON.stringify(refused.errors)).not.toContain("http");
      const again = await collect(client, `query { areas { id } }`).next();
      expect(again.data.areas.length).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
    const bad = createClient({
      url: t.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: "Bearer zz_notakeynotakeynotakeynotakeynotakeynotake" },
      retryAttempts: 0,
    });
    const ended = collect(bad, `query { areas { id } }`);
    await expect(ended.next()).rejects.toThrow(/ended/);
    expect((ended.error as { code?: number }).code).toBe(4403);
    await bad.dispose();
  });
});
