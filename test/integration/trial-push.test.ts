import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { buildPerson } from "../support/builders.js";
import { type PushEndpoint, startPushEndpoint } from "../support/push-endpoint.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const SUBSCRIBE = `mutation($input: SubscribePushInput!) { subscribePush(input: $input) { id endpoint } }`;
const LIST = `{ myPushSubscriptions { id endpoint } }`;

/** Web Push subscriptions tried from outside: internal endpoints in every IPv6 disguise, and other people's browsers. */
describe.each(backends())("web push from outside on $name", (backend) => {
  let t: TestApp;
  let push: PushEndpoint;
  beforeAll(async () => {
    push = await startPushEndpoint();
    t = await startTestApp(backend, { VAPID_SUBJECT: "mailto:beheer@zorgzaam.example", PUSH_ENDPOINT_ALLOW_HOSTS: "127.0.0.1" });
  });
  afterAll(async () => {
    await t?.close();
    await push?.close();
  });

  it("PUSH_ENDPOINT_NOT_ALLOWED: IPv6 forms that embed an internal IPv4 address (6to4, IPv4-compatible, SIIT, local NAT64) and deprecated site-local are refused", async () => {
    const person = await buildPerson(t);
    const keys = push.browser().keys;
    const endpoints = [
      "https://[2002:a9fe:a9fe::1]/latest/meta-data", // 6to4 of 169.254.169.254
      "https://[2002:7f00:1::]/sub/1", // 6to4 of 127.0.0.1
      "https://[::127.0.0.1]/sub/1", // IPv4-compatible
      "https://[::169.254.169.254]/latest/meta-data",
      "https://[::ffff:0:a00:1]/sub/1", // SIIT (RFC 6145) of 10.0.0.1
      "https://[64:ff9b:1::a00:1]/sub/1", // local-use NAT64 (RFC 8215) of 10.0.0.1
      "https://[fec0::1]/sub/1",
    ];
    for (const endpoint of endpoints) {
      const r = await t.gql(SUBSCRIBE, { input: { endpoint, keys } }, person.token);
      expect([endpoint, codeOf(r), reasonOf(r)]).toEqual([endpoint, "BAD_USER_INPUT", "PUSH_ENDPOINT_NOT_ALLOWED"]);
    }
    expect((await t.gql(LIST, {}, person.token)).data.myPushSubscriptions).toEqual([]);
  });

  it("a subscription is no node another person can read: node(id) and nodes(ids) show nothing of someone's browser", async () => {
    const owner = await buildPerson(t);
    const browser = push.browser();
    const sub = await t.gql(SUBSCRIBE, { input: { endpoint: browser.endpoint, keys: browser.keys } }, owner.token);
    expect(sub.errors).toBeUndefined();
    const id = sub.data.subscribePush.id as string;
    const stranger = await buildPerson(t);
    for (const token of [stranger.token, undefined]) {
      const r = await t.gql(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, { id }, token);
      expect(JSON.stringify(r.data ?? {})).not.toContain(browser.endpoint);
      expect(r.data?.node ?? null).toBeNull();
    }
    expect((await t.gql(LIST, {}, stranger.token)).data.myPushSubscriptions).toEqual([]);
  });
});
