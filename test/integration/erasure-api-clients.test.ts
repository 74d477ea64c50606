import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, buildCoordinator } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

const ERASE = `mutation { requestErasure { id status sections { section erased restricted { what } } } }`;
const CURRENT = `{ currentApiKey { prefix } }`;
const CLIENT = `query($id: ID!) { apiClient(id: $id) { id name contactEmail disabledAt keys(first: 10) { edges { node { id revokedAt active } } } } }`;
const PUBLISHED = `subscription { initiativePublished { cursor } }`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe.each(backends())("erasure of whoever registered partner apps on $name", (backend) => {
  let t: TestApp;
  let keeper: Account; // a coordinator who stays
  beforeAll(async () => {
    // A long key cache: without the erasure dropping them, the keys would keep working for minutes.
    t = await startTestApp(backend, { CREDENTIAL_RECHECK_SECONDS: "900" });
    keeper = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  it("revokes and pseudonymises the partner apps a person registered: their keys stop working at once, on HTTP and on an open socket; others' apps go on", async () => {
    const leaving = await buildCoordinator(t);
    const first = await buildPartnerKey(t, leaving, ["PUBLIC_READ"], { name: "Buurtapp Vertrekker" });
    const second = await buildPartnerKey(t, leaving, ["PUBLIC_READ", "STATS_READ"], { clientId: first.clientId });
    const other = await buildPartnerKey(t, keeper, ["PUBLIC_READ"], { name: "Buurtapp Blijft" });
    const contactBefore = (await t.gql(CLIENT, { id: first.clientId }, keeper.token)).data.apiClient.contactEmail;
    expect(contactBefore).toBe("dev@welzijn.example");

    // Every key works, and is in the key cache now.
    for (const key of [first, second, other]) expect((await keyed(t, key.secret, CURRENT)).data.currentApiKey).not.toBeNull();
    const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { apiKey: first.secret }, retryAttempts: 0 });
    const otherClient = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { apiKey: other.secret }, retryAttempts: 0 });
    try {
      const live = collect(client, PUBLISHED);
      const otherLive = collect(otherClient, PUBLISHED);
      await sleep(300);
      expect(live.error).toBeNull();

      const erased = await t.gql(ERASE, {}, leaving.token);
      expect(erased.errors).toBeUndefined();
      expect(erased.data.requestErasure.status).toBe("DONE");
      const section = erased.data.requestErasure.sections.find((s: any) => s.section === "apiClients");
      expect(section.erased).toEqual(["partner apps you registered: disabled, contact address cleared: 1", "their keys still valid: revoked: 2"]);

      // At once: no waiting for the key cache.
      for (const key of [first, second]) {
        const r = await keyed(t, key.secret, CURRENT);
        expect(r.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "API_KEY_REVOKED" });
        expect(r.data?.currentApiKey ?? null).toBeNull();
      }
      const deadline = Date.now() + 2000;
      while (!live.error && Date.now() < deadline) await sleep(20);
      expect((live.error as { code?: number } | null)?.code).toBe(4403);

      // The app keeps its row and name (its requests and log entries stay whole), not the registrant's contact address.
      const after = (await t.gql(CLIENT, { id: first.clientId }, keeper.token)).data.apiClient;
      expect(after).toMatchObject({ name: "Buurtapp Vertrekker", contactEmail: "verwijderd@invalid" });
      expect(after.disabledAt).not.toBeNull();
      expect(after.keys.edges.map((e: any) => e.node)).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: first.keyId, active: false }), expect.objectContaining({ id: second.keyId, active: false })]),
      );
      expect(after.keys.edges.every((e: any) => e.node.revokedAt !== null)).toBe(true);

      // Another coordinator's app is untouched, on HTTP and on its socket.
      expect((await keyed(t, other.secret, CURRENT)).data.currentApiKey).not.toBeNull();
      expect(otherLive.error).toBeNull();
      const kept = (await t.gql(CLIENT, { id: other.clientId }, keeper.token)).data.apiClient;
      expect(kept).toMatchObject({ contactEmail: "dev@welzijn.example", disabledAt: null });
    } finally {
      await client.dispose();
      await otherClient.dispose();
    }
  });

  it("erases a person who registered no partner app without an apiClients line", async () => {
    const plain = await buildCoordinator(t);
    const erased = await t.gql(ERASE, {}, plain.token);
    expect(erased.data.requestErasure.status).toBe("DONE");
    const section = erased.data.requestErasure.sections.find((s: any) => s.section === "apiClients");
    expect(section).toMatchObject({ erased: [], restricted: [] });
  });
});
