import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, buildCoordinator } from "../support/builders.js";
import { type PartnerKey, buildPartnerKey } from "../support/partners.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id url } } }`;
const LIST = `query($id: ID!) { webhookEndpoints(clientId: $id) { id url } }`;

/** Address forms an attacker would try to reach the server's own network through a partner's webhook. */
describe.each(backends())("webhook addresses from outside on $name", (backend: Backend) => {
  let t: TestApp;
  let owner: Account;
  let key: PartnerKey;
  beforeAll(async () => {
    t = await startTestApp(backend);
    owner = await buildCoordinator(t);
    key = await buildPartnerKey(t, owner, ["PUBLIC_READ"], { name: "Buurtagenda" });
  });
  afterAll(async () => t?.close());

  const refused = async (urls: string[]) => {
    const before = (await t.gql(LIST, { id: key.clientId }, owner.token)).data.webhookEndpoints.length;
    for (const url of urls) {
      const r = await t.gql(REGISTER, { input: { clientId: key.clientId, url, eventTypes: ["initiative.published"] } }, owner.token);
      expect([url, codeOf(r), reasonOf(r)]).toEqual([url, "BAD_USER_INPUT", "WEBHOOK_URL_PRIVATE_ADDRESS"]);
    }
    expect((await t.gql(LIST, { id: key.clientId }, owner.token)).data.webhookEndpoints).toHaveLength(before);
  };

  it("WEBHOOK_URL_PRIVATE_ADDRESS: short, hex, octal, trailing-dot and IPv4-mapped forms of loopback and metadata addresses are refused", async () => {
    await refused([
      "https://0x7f.1/hook",
      "https://127.1/hook",
      "https://0177.0.0.1/hook",
      "https://127.0.0.1./hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[::ffff:169.254.169.254]/hook",
      "https://[::]/hook",
      "https://[64:ff9b::a9fe:a9fe]/hook",
      "https://[2002:7f00:1::1]/hook",
      "https://169.254.169.254:8443/hook",
    ]);
  });

  it("WEBHOOK_URL_PRIVATE_ADDRESS: the deprecated IPv4-compatible IPv6 forms (::127.0.0.1, ::169.254.169.254) are refused", async () => {
    // ::a.b.c.d (RFC 4291 2.5.5.1) is no public address; a stack or translator that still maps it reaches the IPv4 address inside.
    await refused(["https://[::127.0.0.1]/hook", "https://[::169.254.169.254]/hook", "https://[::a00:1]/hook"]);
  });
});
