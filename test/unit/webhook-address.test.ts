import { describe, expect, it } from "vitest";
import { checkEndpointUrl, resolveForSending } from "../../src/modules/webhooks/webhook.address.js";
import { isPublicAddress } from "../../src/shared/public-address.js";
import { postSigned } from "../../src/modules/webhooks/webhook.transport.js";
import { startWebhookReceiver } from "../support/webhook-receiver.js";

const none = { allowHosts: new Set<string>() };

describe("webhook address rules", () => {
  it("lets through only ordinary public unicast addresses", () => {
    for (const ok of ["8.8.8.8", "93.184.216.34", "2001:4860:4860::8888", "2a00:1450:4001::1"]) expect([ok, isPublicAddress(ok)]).toEqual([ok, true]);
    for (const bad of [
      "10.0.0.1",
      "172.16.0.1",
      "192.168.0.1",
      "127.0.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "255.255.255.255",
      "224.0.0.1",
      "198.18.0.1",
      "::",
      "::1",
      "fe80::1",
      "fd00::1",
      "fc00::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "64:ff9b::a00:1",
      "2002:a00:1::",
      "not an address",
    ]) {
      expect([bad, isPublicAddress(bad)]).toEqual([bad, false]);
    }
  });

  it("an allow-listed host may use http and a loopback address; a name is checked when sending, after resolution", async () => {
    expect(checkEndpointUrl("http://127.0.0.1:8080/hook", { allowHosts: new Set(["127.0.0.1"]) }).allowListed).toBe(true);
    expect(() => checkEndpointUrl("http://127.0.0.1:8080/hook", none)).toThrow(/https/);
    const named = checkEndpointUrl("https://localhost/hook", none);
    await expect(resolveForSending(named)).rejects.toThrow(/not a public address/);
    await expect(resolveForSending(checkEndpointUrl("https://[::ffff:7f00:1]/hook", { allowHosts: new Set(["::ffff:7f00:1"]) }))).resolves.toEqual([
      { address: "::ffff:7f00:1", family: 6 },
    ]);
  });

  it("an allow-listed host name is resolved once and the request goes to the checked address; one not allow-listed never connects", async () => {
    const rx = await startWebhookReceiver();
    try {
      const sent = await postSigned(`http://localhost:${rx.port}/named`, "{}", {}, { allowHosts: new Set(["localhost"]) }, 2000);
      expect(sent).toMatchObject({ ok: true, statusCode: 204, error: null });
      expect(rx.at("/named")).toHaveLength(1);
      const refused = await postSigned(`http://localhost:${rx.port}/refused`, "{}", {}, none, 2000);
      expect(refused).toMatchObject({ ok: false, statusCode: null });
      expect(rx.at("/refused")).toHaveLength(0);
    } finally {
      await rx.close();
    }
  });
});
