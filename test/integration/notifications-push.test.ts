import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "node:http";
import webpush from "web-push";
import { loadConfig } from "../../src/config/env.js";
import { allowHosts, guardedLookup } from "../../src/modules/notifications/notification.push.endpoint.js";
import { PushRepository } from "../../src/modules/notifications/notification.push.repository.js";
import { loadPushSettings } from "../../src/modules/notifications/notification.push.service.js";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, askForHelp, buildCoordinator, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type BrowserSubscription, type PushEndpoint, startPushEndpoint } from "../support/push-endpoint.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const SUBJECT = "mailto:beheer@zorgzaam.example";
const SUBSCRIBE = `mutation($input: SubscribePushInput!) { subscribePush(input: $input) { id endpoint createdAt lastSuccessAt } }`;
const UNSUBSCRIBE = `mutation($endpoint: String!) { unsubscribePush(endpoint: $endpoint) }`;
const LIST = `{ myPushSubscriptions { id endpoint createdAt lastSuccessAt } }`;
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) { language quietHours { start end } switches { kind channel enabled chosen } }
}`;
const MINE = `{ myNotifications(first: 100) { edges { node { id kind channel status attempts urgent aboutId nextAttemptAt } } } }`;
const DEAD = `{ deadNotifications(first: 50) { edges { node { id channel status lastError recipient { id } } } } }`;

interface NotificationNode {
  id: string;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  urgent: boolean;
  aboutId: string;
  nextAttemptAt: string;
}

/** Care details a request holds that no notification may carry. */
const SECRETS = ["ziekenhuis", "operatie", "oncologie", "Dorpsstraat", "Vervoer naar"];

async function subscribe(t: TestApp, who: Account, browser: BrowserSubscription) {
  const r = await t.gql(SUBSCRIBE, { input: { endpoint: browser.endpoint, keys: browser.keys } }, who.token);
  expect(r.errors).toBeUndefined();
  return r.data.subscribePush as { id: string; endpoint: string; lastSuccessAt: string | null };
}

async function list(t: TestApp, who: Account): Promise<{ id: string; endpoint: string; lastSuccessAt: string | null }[]> {
  const r = await t.gql(LIST, {}, who.token);
  expect(r.errors).toBeUndefined();
  return r.data.myPushSubscriptions;
}

async function mine(t: TestApp, who: Account, channel = "PUSH"): Promise<NotificationNode[]> {
  const r = await t.gql(MINE, {}, who.token);
  expect(r.errors).toBeUndefined();
  return r.data.myNotifications.edges.map((e: { node: NotificationNode }) => e.node).filter((n: NotificationNode) => n.channel === channel);
}

async function sweep(t: TestApp, coordinator: Account): Promise<void> {
  expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
}

async function advance(t: TestApp, coordinator: Account, hours: number): Promise<void> {
  expect((await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, coordinator.token)).errors).toBeUndefined();
}

/** Until `check` passes (a delivery's status is written just after the push service answered). */
async function eventually(check: () => Promise<void>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe.each(backends())("notifications by Web Push on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let push: PushEndpoint;
  let coordinator: Account;

  beforeAll(async () => {
    box = await startMailbox();
    push = await startPushEndpoint();
    t = await startTestApp(backend, {
      SMTP_URL: box.url,
      CLOCK_CONTROL: "true",
      APP_URL,
      VAPID_SUBJECT: SUBJECT,
      PUSH_ENDPOINT_ALLOW_HOSTS: "127.0.0.1",
      PUSH_TTL_SECONDS: "3600",
      NOTIFY_MAX_ATTEMPTS: "4",
    });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
    await push?.close();
  });

  it("serves one VAPID public key to anyone, made once and kept in the database for every instance", async () => {
    const r = await t.gql(`{ vapidPublicKey }`);
    expect(r.errors).toBeUndefined();
    const key = r.data.vapidPublicKey as string;
    expect(Buffer.from(key, "base64url")).toHaveLength(65);
    // Another instance starting on the same database signs with the same pair.
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: t.databaseUrl, VAPID_SUBJECT: SUBJECT });
    const other = await loadPushSettings(config, new PushRepository(t.app.services.db), t.clock);
    expect(other.vapid?.publicKey).toBe(key);
    // A pair from the environment is used as given, and one that does not belong together stops the start.
    const own = webpush.generateVAPIDKeys();
    const configured = await loadPushSettings({ ...config, VAPID_PUBLIC_KEY: own.publicKey, VAPID_PRIVATE_KEY: own.privateKey }, new PushRepository(t.app.services.db), t.clock);
    expect(configured.vapid).toEqual({ ...own, subject: SUBJECT });
    const mixed = loadPushSettings({ ...config, VAPID_PUBLIC_KEY: key, VAPID_PRIVATE_KEY: own.privateKey }, new PushRepository(t.app.services.db), t.clock);
    await expect(mixed).rejects.toThrow(/VAPID_PUBLIC_KEY: is not the public key of VAPID_PRIVATE_KEY/);
  });

  it("tells a subscribed volunteer of a new request by push and by e-mail, in Dutch by default and English by choice, without care details", async () => {
    const dutch = await buildVolunteer(t, { firstName: "Daan", neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport] });
    const english = await buildVolunteer(t, { firstName: "Emma", neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport] });
    expect((await t.gql(PREFERENCES, { input: { language: "EN" } }, english.token)).errors).toBeUndefined();
    const daanPhone = push.browser();
    const emmaLaptop = push.browser();
    const stored = await subscribe(t, dutch, daanPhone);
    expect(stored).toMatchObject({ endpoint: daanPhone.endpoint, lastSuccessAt: null });
    await subscribe(t, english, emmaLaptop);
    const resident = await buildPerson(t, { neighbourhoodId: NB.dubbeldam, address: "Dorpsstraat 12, Dubbeldam" });
    const request = await askForHelp(t, resident.token, {
      categoryId: CAT.transport,
      title: "Vervoer naar het ziekenhuis",
      description: "Ik moet na mijn operatie naar de oncologie-poli.",
    });

    await push.waitFor(() => push.to(daanPhone.name).length === 1 && push.to(emmaLaptop.name).length === 1, 10_000, "both volunteers' push");
    await box.waitFor(() => box.to(dutch.email).length === 1 && box.to(english.email).length === 1, 10_000, "both volunteers' mail");
    const [nl] = push.to(daanPhone.name);
    const [en] = push.to(emmaLaptop.name);
    expect(nl.payload).toMatchObject({ title: "Een nieuwe hulpvraag in Dubbeldam past bij je", url: `${APP_URL}/help-requests/${request.id}`, lang: "nl" });
    expect(en.payload).toMatchObject({ title: "A new request in Dubbeldam fits you", url: `${APP_URL}/help-requests/${request.id}`, lang: "en" });
    expect(Object.keys(nl.payload).sort()).toEqual(["body", "id", "lang", "title", "url"]);
    expect(nl.payload.body).toContain("Vervoer");
    for (const m of [nl, en]) {
      for (const secret of SECRETS) expect(m.plaintext).not.toContain(secret);
      expect(m).toMatchObject({ ttl: "3600", urgency: "normal" });
      expect(m.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(m.vapid).toMatchObject({ aud: push.origin, sub: SUBJECT, k: (await t.gql(`{ vapidPublicKey }`)).data.vapidPublicKey });
    }
    // Recorded as a delivery of its own beside the e-mail, and the browser's last success noted.
    await eventually(async () => expect(await mine(t, dutch)).toMatchObject([{ kind: "HELP_REQUEST_NEW", channel: "PUSH", status: "SENT", attempts: 1, aboutId: request.id }]));
    expect(nl.payload.id).toBe((await mine(t, dutch))[0].id);
    expect(await mine(t, dutch, "EMAIL")).toMatchObject([{ status: "SENT" }]);
    expect((await list(t, dutch))[0].lastSuccessAt).not.toBeNull();

    // An URGENT request goes out with high urgency.
    const urgent = await askForHelp(t, resident.token, { categoryId: CAT.transport, urgency: "URGENT", ...window(t, 1, 12) });
    await push.waitFor(() => push.to(daanPhone.name).length === 2, 10_000, "the urgent push");
    expect(push.to(daanPhone.name)[1]).toMatchObject({ urgency: "high", payload: { url: `${APP_URL}/help-requests/${urgent.id}` } });
    expect(push.refused).toEqual([]);
  });

  it("switching push off for a kind stops the push while the e-mail still comes; push defaults follow e-mail's", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    const browser = push.browser();
    await subscribe(t, volunteer, browser);
    const off = await t.gql(PREFERENCES, { input: { switches: [{ kind: "HELP_REQUEST_NEW", channel: "PUSH", enabled: false }] } }, volunteer.token);
    expect(off.errors).toBeUndefined();
    const switches = off.data.updateNotificationPreferences.switches as { kind: string; channel: string; enabled: boolean; chosen: boolean }[];
    const of = (kind: string, channel: string) => switches.find((s) => s.kind === kind && s.channel === channel);
    expect(of("HELP_REQUEST_NEW", "PUSH")).toEqual({ kind: "HELP_REQUEST_NEW", channel: "PUSH", enabled: false, chosen: true });
    expect(of("HELP_REQUEST_NEW", "EMAIL")).toMatchObject({ enabled: true, chosen: false });
    // Off for e-mail by default (the volunteer pressed start): off for push too; on for e-mail: on for push.
    expect(of("HELP_REQUEST_STARTED", "PUSH")).toMatchObject({ enabled: false, chosen: false });
    expect(of("HELP_REQUEST_MATCHED", "PUSH")).toMatchObject({ enabled: true, chosen: false });

    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const request = await askForHelp(t, resident.token, { categoryId: CAT.groceries });
    await box.waitFor(() => box.to(volunteer.email).some((m) => m.mail.text?.includes(request.id)), 10_000, "the e-mail");
    await sweep(t, coordinator);
    await new Promise((r) => setTimeout(r, 200));
    expect(push.to(browser.name)).toHaveLength(0);
    expect(push.attempts.get(browser.name)).toBeUndefined();
    expect(await mine(t, volunteer)).toEqual([]);

    // And on again: the next request is pushed.
    expect((await t.gql(PREFERENCES, { input: { switches: [{ kind: "HELP_REQUEST_NEW", channel: "PUSH", enabled: true }] } }, volunteer.token)).errors).toBeUndefined();
    const next = await askForHelp(t, resident.token, { categoryId: CAT.groceries });
    await push.waitFor(() => push.to(browser.name).some((m) => m.payload.url === `${APP_URL}/help-requests/${next.id}`), 10_000, "the push once on again");
  });

  it("PUSH_SUBSCRIPTION_NOT_FOUND: a browser the push service calls gone (410) is removed, the others still get the message", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.paperwork] });
    const old = push.browser();
    const current = push.browser();
    await subscribe(t, volunteer, old);
    await subscribe(t, volunteer, current);
    push.answer(old.name, 410);
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    await push.waitFor(() => push.to(current.name).length === 1, 10_000, "the push to the browser still subscribed");
    await eventually(async () => expect(await mine(t, volunteer)).toMatchObject([{ status: "SENT" }]));
    expect(push.attempts.get(old.name)).toBe(1);
    expect((await list(t, volunteer)).map((s) => s.endpoint)).toEqual([current.endpoint]);
    const gone = await t.gql(UNSUBSCRIBE, { endpoint: old.endpoint }, volunteer.token);
    expect(codeOf(gone)).toBe("NOT_FOUND");
    expect(reasonOf(gone)).toBe("PUSH_SUBSCRIPTION_NOT_FOUND");

    // The last browser gone too: nothing can reach the volunteer by push, so nothing is decided for it.
    push.answer(current.name, 404);
    await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    await eventually(async () => expect((await mine(t, volunteer)).map((n) => n.status).sort()).toEqual(["DEAD", "SENT"]));
    expect(await list(t, volunteer)).toEqual([]);
    await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    await box.waitFor(() => box.to(volunteer.email).length === 3, 10_000, "the third e-mail");
    await sweep(t, coordinator);
    expect(await mine(t, volunteer)).toHaveLength(2);
  });

  it("a push service answering 500 or 429 is tried again later and the message arrives once; a refusal (400) is given up at once", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.paperwork] });
    const browser = push.browser();
    await subscribe(t, volunteer, browser);
    push.answer(browser.name, 500);
    const resident = await buildPerson(t, { neighbourhoodId: NB.dubbeldam });
    const request = await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    await box.waitFor(() => box.to(volunteer.email).length === 1, 10_000, "the e-mail, not held up by push");
    await eventually(async () => expect(await mine(t, volunteer)).toMatchObject([{ status: "FAILED", attempts: 1, aboutId: request.id }]));
    await sweep(t, coordinator);
    expect(await mine(t, volunteer)).toMatchObject([{ status: "FAILED", attempts: 1 }]);
    expect(push.attempts.get(browser.name)).toBe(1);

    // Too many requests: later as well.
    push.answer(browser.name, 429);
    await advance(t, coordinator, 1);
    await sweep(t, coordinator);
    expect(await mine(t, volunteer)).toMatchObject([{ status: "FAILED", attempts: 2 }]);
    expect(push.to(browser.name)).toHaveLength(0);

    push.answer(browser.name, null);
    await advance(t, coordinator, 1);
    await sweep(t, coordinator);
    expect(push.to(browser.name)).toHaveLength(1);
    expect(await mine(t, volunteer)).toMatchObject([{ status: "SENT", attempts: 3 }]);
    await sweep(t, coordinator);
    expect(push.to(browser.name)).toHaveLength(1);

    push.answer(browser.name, 400);
    await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    await eventually(async () => expect((await mine(t, volunteer)).map((n) => `${n.status}:${n.attempts}`)).toEqual(["DEAD:1", "SENT:3"]));
    const letters = await t.gql(DEAD, {}, coordinator.token);
    const letter = letters.data.deadNotifications.edges
      .map((e: { node: { recipient: { id: string } } }) => e.node)
      .find((n: { recipient: { id: string } }) => n.recipient.id === volunteer.id);
    expect(letter).toMatchObject({ channel: "PUSH", status: "DEAD" });
    expect(letter.lastError).toContain("answered 400");
    // A refusal of one message is not the end of the browser.
    expect(await list(t, volunteer)).toHaveLength(1);
  });

  it("a browser is one person's: another cannot list or unsubscribe it, subscribing it moves it, anonymous and partner apps cannot subscribe", async () => {
    const owner = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.transport] });
    const sibling = await buildPerson(t);
    const browser = push.browser();
    await subscribe(t, owner, browser);
    expect(await list(t, sibling)).toEqual([]);
    const taken = await t.gql(UNSUBSCRIBE, { endpoint: browser.endpoint }, sibling.token);
    expect(reasonOf(taken)).toBe("PUSH_SUBSCRIPTION_NOT_FOUND");
    expect((await list(t, owner)).map((s) => s.endpoint)).toEqual([browser.endpoint]);

    const anonymous = await t.gql(SUBSCRIBE, { input: { endpoint: push.browser().endpoint, keys: browser.keys } });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(LIST, {}))).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(UNSUBSCRIBE, { endpoint: browser.endpoint }))).toBe("UNAUTHENTICATED");
    const key = await buildPartnerKey(t, coordinator, ["REQUESTS_WRITE", "PUBLIC_READ"]);
    const asApp = await keyed(t, key.secret, SUBSCRIBE, { input: { endpoint: push.browser().endpoint, keys: browser.keys } });
    expect(asApp.data?.subscribePush ?? null).toBeNull();
    expect(asApp.errors?.length).toBeGreaterThan(0);
    expect((await keyed(t, key.secret, LIST)).data?.myPushSubscriptions ?? null).toBeNull();

    // The browser changes hands: the sibling signs in on it and subscribes; the owner's messages stop going there.
    const again = push.browser(browser.name);
    await subscribe(t, sibling, again);
    expect(await list(t, owner)).toEqual([]);
    expect((await list(t, sibling)).map((s) => s.endpoint)).toEqual([browser.endpoint]);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const request = await askForHelp(t, resident.token, { categoryId: CAT.transport });
    await box.waitFor(() => box.to(owner.email).some((m) => m.mail.text?.includes(request.id)), 10_000, "the owner's e-mail");
    await sweep(t, coordinator);
    expect(push.to(browser.name)).toHaveLength(0);
    expect(await mine(t, owner)).toEqual([]);
    expect(await t.gql(UNSUBSCRIBE, { endpoint: browser.endpoint }, sibling.token)).toMatchObject({ data: { unsubscribePush: true } });
    expect(await list(t, sibling)).toEqual([]);
  });

  it("PUSH_ENDPOINT_NOT_ALLOWED, PUSH_KEYS_INVALID: refuses internal, plain-http and malformed endpoints and keys, storing nothing", async () => {
    const person = await buildPerson(t);
    const good = push.browser();
    const keys = good.keys;
    const endpoints = [
      "http://push.example.com/sub/1",
      "https://10.0.0.8/sub/1",
      "https://192.168.1.1/sub/1",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/sub/1",
      "https://localhost/sub/1",
      "https://localhost./sub/1",
      "https://10.1/sub/1",
      "https://0xa9fea9fe/latest/meta-data",
      "https://[::ffff:10.0.0.1]/sub/1",
      "https://intranet/sub/1",
      "https://metadata.internal/sub/1",
      "https://push.example.com:8443/sub/1",
      "https://user:secret@push.example.com/sub/1",
      "https://push.example.com/sub/1#x",
      "file:///etc/passwd",
      "not a url",
      `https://push.example.com/${"a".repeat(5000)}`,
      `${push.origin.replace("127.0.0.1", "127.0.0.2")}/push/x`,
    ];
    for (const endpoint of endpoints) {
      const r = await t.gql(SUBSCRIBE, { input: { endpoint, keys } }, person.token);
      expect(codeOf(r), endpoint).toBe("BAD_USER_INPUT");
      expect(reasonOf(r), endpoint).toBe("PUSH_ENDPOINT_NOT_ALLOWED");
      expect(r.errors![0].extensions!.field).toBe("input.endpoint");
    }
    const point = Buffer.from(keys.p256dh, "base64url");
    const badKeys = [
      { p256dh: keys.p256dh.slice(0, 40), auth: keys.auth },
      { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]).toString("base64url"), auth: keys.auth },
      { p256dh: Buffer.concat([Buffer.from([2]), point.subarray(1)]).toString("base64url"), auth: keys.auth },
      { p256dh: `${keys.p256dh.slice(0, -1)}*`, auth: keys.auth },
      { p256dh: "A".repeat(100_000), auth: keys.auth },
      { p256dh: keys.p256dh, auth: Buffer.alloc(15, 1).toString("base64url") },
      { p256dh: keys.p256dh, auth: "x".repeat(100_000) },
      { p256dh: keys.p256dh, auth: "" },
    ];
    for (const k of badKeys) {
      const r = await t.gql(SUBSCRIBE, { input: { endpoint: good.endpoint, keys: k } }, person.token);
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(reasonOf(r)).toBe("PUSH_KEYS_INVALID");
    }
    expect(await list(t, person)).toEqual([]);
    // The same with padding is the same key, and accepted.
    await subscribe(t, person, { endpoint: good.endpoint, keys: { p256dh: keys.p256dh, auth: `${keys.auth}==` } });
    expect(await list(t, person)).toHaveLength(1);
  });

  it("keeps at most ten browsers a person: an eleventh replaces the one longest without a success", async () => {
    const person = await buildPerson(t);
    const browsers = Array.from({ length: 11 }, () => push.browser());
    for (const b of browsers) await subscribe(t, person, b);
    const kept = (await list(t, person)).map((s) => s.endpoint);
    expect(kept).toHaveLength(10);
    expect(kept).not.toContain(browsers[0].endpoint);
    expect(kept[0]).toBe(browsers[10].endpoint);
    // Subscribing the same browser again is the same subscription, with its new keys.
    await subscribe(t, person, push.browser(browsers[10].name));
    expect(await list(t, person)).toHaveLength(10);
  });

  // Last in this file: it moves the server's clock by a day.
  it("holds push during quiet hours like e-mail, except about an URGENT request", async () => {
    const sleeper = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.transport] });
    const browser = push.browser();
    await subscribe(t, sleeper, browser);
    // Quiet all day but one minute: what is not urgent waits about a day.
    const now = DateTime.fromJSDate(t.clock.now(), { zone: "Europe/Amsterdam" });
    const quietHours = { start: now.minus({ minutes: 1 }).toFormat("HH:mm"), end: now.minus({ minutes: 2 }).toFormat("HH:mm") };
    expect((await t.gql(PREFERENCES, { input: { quietHours } }, sleeper.token)).errors).toBeUndefined();
    const resident = await buildPerson(t, { neighbourhoodId: NB.oudKrispijn });
    const normal = await askForHelp(t, resident.token, { categoryId: CAT.transport, ...window(t, 72, 48) });
    const urgent = await askForHelp(t, resident.token, { categoryId: CAT.transport, urgency: "URGENT", ...window(t, 1, 12) });
    await push.waitFor(() => push.to(browser.name).length === 1, 10_000, "the urgent push during quiet hours");
    expect(push.to(browser.name)[0]).toMatchObject({ urgency: "high", payload: { url: `${APP_URL}/help-requests/${urgent.id}` } });
    await sweep(t, coordinator);
    expect(push.to(browser.name)).toHaveLength(1);
    const held = (await mine(t, sleeper)).find((n) => n.aboutId === normal.id)!;
    expect(held).toMatchObject({ status: "PENDING", attempts: 0 });
    const mail = (await mine(t, sleeper, "EMAIL")).find((n) => n.aboutId === normal.id)!;
    expect(held.nextAttemptAt).toBe(mail.nextAttemptAt);

    await advance(t, coordinator, 24);
    await sweep(t, coordinator);
    expect(push.to(browser.name).map((m) => m.payload.url)).toEqual([`${APP_URL}/help-requests/${urgent.id}`, `${APP_URL}/help-requests/${normal.id}`]);
  });
});

describe.each(backends())("Web Push switched off on $name", (backend: Backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { PUSH_ENDPOINT_ALLOW_HOSTS: "127.0.0.1" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("PUSH_NOT_AVAILABLE: without VAPID_SUBJECT there is no key and no subscribing", async () => {
    expect((await t.gql(`{ vapidPublicKey }`)).data.vapidPublicKey).toBeNull();
    const person = await buildPerson(t);
    const r = await t.gql(SUBSCRIBE, { input: { endpoint: "https://push.example.com/sub/1", keys: { p256dh: "x", auth: "y" } } }, person.token);
    expect(codeOf(r)).toBe("CONFLICT");
    expect(reasonOf(r)).toBe("PUSH_NOT_AVAILABLE");
    expect(await list(t, person)).toEqual([]);
  });

  it("refuses VAPID keys that do not belong together, or only one of them", () => {
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: "B".repeat(87) })).toThrow(/set both or neither/);
    expect(() => loadConfig({ VAPID_SUBJECT: "ops@zorgzaam.example" })).toThrow(/VAPID_SUBJECT/);
  });
});

describe("the push endpoint guard", () => {
  let push: PushEndpoint;
  beforeAll(async () => {
    push = await startPushEndpoint();
  });
  afterAll(async () => {
    await push?.close();
  });

  /** A POST through the guard's lookup: the status, or the error's code. */
  const post = (url: string, allowed: string[]) =>
    new Promise<string>((resolve) => {
      const req = request(url, { method: "POST", lookup: guardedLookup(allowHosts(allowed)), agent: false }, (res) => {
        res.resume();
        resolve(String(res.statusCode));
      });
      req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      req.end();
    });

  it("refuses to connect to a name that resolves to an internal address, unless the host is allowed", async () => {
    const port = new URL(push.origin).port;
    expect(await post(`http://localhost:${port}/push/nobody`, [])).toBe("EPUSHINTERNAL");
    expect(await post(`http://localhost:${port}/push/nobody`, ["LOCALHOST"])).toBe("404");
    expect(push.attempts.get("nobody")).toBe(1);
  });
});
