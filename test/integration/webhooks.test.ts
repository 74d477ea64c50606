import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, buildCoordinator, buildOrganisation, buildPerson, postInitiative, window } from "../support/builders.js";
import { type PartnerKey, buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver.js";

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) {
  registerWebhookEndpoint(input: $input) { secret endpoint { id url status eventTypes sandbox } }
}`;
const ENDPOINT = `query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { id status disabledReason disabledAt failingSince previousSecretUntil
  deliveries(first: 50) { id eventType messageId eventCursor status attempts nextAttemptAt lastStatusCode lastDurationMs lastError payload
    attemptLog { at statusCode durationMs error } } } } }`;
const DELIVERY = `query($id: ID!) { node(id: $id) { ... on WebhookDelivery { id status attempts } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status messageId } }`;
const REPLAY = `mutation($id: ID!, $from: String!) { replayWebhooks(endpointId: $id, fromCursor: $from) { queued nextCursor complete } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id previousSecretUntil } } }`;
const ASK = `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id status } }`;
const ALL_TYPES = [
  "help-request.posted",
  "help-request.matched",
  "help-request.cancelled",
  "help-request.released",
  "initiative.published",
  "initiative.cancelled",
  "initiative.signup.confirmed",
];

interface Delivery {
  id: string;
  eventType: string;
  messageId: string;
  eventCursor: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  payload: string;
  attemptLog: { statusCode: number | null; durationMs: number; error: string | null }[];
}

describe.each(backends())("partner webhooks on $name", (backend: Backend) => {
  let t: TestApp;
  let rx: WebhookReceiver;
  let owner: Account;
  let other: Account;
  let writer: PartnerKey;
  let reader: PartnerKey;

  const sweep = async () => {
    const r = await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, owner.token);
    expect(r.errors).toBeUndefined();
  };
  const advance = async (hours: number) => {
    const r = await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, owner.token);
    expect(r.errors).toBeUndefined();
  };
  const register = async (clientId: string, path: string, eventTypes = ALL_TYPES, extra: Record<string, unknown> = {}, who = owner) => {
    const r = await t.gql(REGISTER, { input: { clientId, url: `${rx.url}${path}`, description: "Onze app", eventTypes, ...extra } }, who.token);
    expect(r.errors).toBeUndefined();
    return { id: r.data.registerWebhookEndpoint.endpoint.id as string, secret: r.data.registerWebhookEndpoint.secret as string };
  };
  const ask = async (key: PartnerKey, firstName = "Riet") => {
    const r = await keyed(t, key.secret, ASK, {
      input: {
        categoryId: CAT.groceries,
        title: "Boodschappen voor mevrouw",
        description: "Mevrouw kan niet meer zelf naar de winkel.",
        ...window(t),
        personHelped: { firstName, neighbourhoodId: NB.wielwijk, phone: "06 1234 5678" },
      },
    });
    expect(r.errors).toBeUndefined();
    return r.data.askForHelp.id as string;
  };
  const deliveries = async (endpointId: string, who = owner): Promise<Delivery[]> => {
    const r = await t.gql(ENDPOINT, { id: endpointId }, who.token);
    expect(r.errors).toBeUndefined();
    return r.data.node.deliveries;
  };

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    t = await startTestApp(backend, {
      CLOCK_CONTROL: "true",
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      WEBHOOK_RETRY_BASE_SECONDS: "60",
      WEBHOOK_RETRY_MAX_SECONDS: "600",
      WEBHOOK_DISABLE_AFTER_HOURS: "2",
      WEBHOOK_MAX_ENDPOINTS_PER_CLIENT: "12",
      WEBHOOK_TIMEOUT_SECONDS: "1",
      WEBHOOK_RETENTION_DAYS: "2",
    });
    owner = await buildCoordinator(t);
    other = await buildCoordinator(t);
    writer = await buildPartnerKey(t, owner, ["REQUESTS_WRITE"], { name: "Stichting Welzijn" });
    reader = await buildPartnerKey(t, owner, ["PUBLIC_READ"], { name: "Buurtagenda" });
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it("delivers each event signed: the receiver verifies every message with the reference Webhook.verify, and the body holds ids and statuses only", async () => {
    const endpoint = await register(writer.clientId, "/signed");
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const id = await ask(writer);
    await sweep();
    const cancel = await keyed(t, writer.secret, `mutation($id: ID!) { cancelHelpRequest(id: $id, reason: "Opgelost") { status } }`, { id });
    expect(cancel.errors).toBeUndefined();
    await sweep();
    const got = rx.at("/signed");
    expect(got).toHaveLength(2);
    const bodies = got.map((m) => rx.verify(m, endpoint.secret));
    expect(bodies.map((b) => b.type)).toEqual(["help-request.posted", "help-request.cancelled"]);
    expect(bodies[0].data).toEqual({
      id,
      status: "OPEN",
      currentStatus: expect.any(String),
      categoryId: CAT.groceries,
      neighbourhoodId: NB.wielwijk,
      urgency: expect.any(String),
      personHelpedId: expect.any(String),
    });
    expect(bodies[1].data).toMatchObject({ id, status: "CANCELLED" });
    for (const m of got) {
      expect(m.body).not.toMatch(/Boodschappen|Mevrouw|Riet|1234|Opgelost/);
      expect(m.headers["webhook-id"]).toMatch(/^msg_/);
      expect(Number(m.headers["webhook-timestamp"])).toBeGreaterThan(Date.now() / 1000 - 60);
    }
    // A forged signature does not verify.
    expect(() => rx.verify({ ...got[0], body: got[0].body.replace("OPEN", "DONE") }, endpoint.secret)).toThrow();
    const log = await deliveries(endpoint.id);
    expect(log.map((d) => [d.eventType, d.status, d.attempts, d.lastStatusCode, d.nextAttemptAt])).toEqual([
      ["help-request.cancelled", "SUCCEEDED", 1, 204, null],
      ["help-request.posted", "SUCCEEDED", 1, 204, null],
    ]);
  });

  it("scopes limit the event types and fields: a public:read app hears of public initiatives only, a requests:write app of its own requests only, a sandbox endpoint of its sandbox only", async () => {
    const writerAll = await register(writer.clientId, "/writer-all");
    const readerAll = await register(reader.clientId, "/reader-all");
    const sandboxKey = await t.gql(
      `mutation($id: ID!, $input: IssueApiKeyInput!) { issueApiKey(clientId: $id, input: $input) { secret } }`,
      { id: writer.clientId, input: { label: "sandbox", scopes: ["REQUESTS_WRITE"], sandbox: true } },
      owner.token,
    );
    expect(sandboxKey.errors).toBeUndefined();
    const sandbox = await register(writer.clientId, "/writer-sandbox", ALL_TYPES, { sandbox: true });
    const elsewhere = await buildPartnerKey(t, owner, ["REQUESTS_WRITE", "PUBLIC_READ"], { name: "Andere app" });
    const org = await buildOrganisation(t, { coordinator: owner });
    const initiative = await postInitiative(t, org);
    const own = await ask(writer);
    const othersRequest = await ask(elsewhere);
    const sandboxRequest = await ask({ ...writer, secret: sandboxKey.data.issueApiKey.secret }, "Sandra");
    await sweep();

    const writerGot = rx.at("/writer-all").map((m) => rx.verify(m, writerAll.secret));
    expect(writerGot.map((b) => [b.type, b.data.id])).toEqual([["help-request.posted", own]]);
    const readerGot = rx.at("/reader-all").map((m) => rx.verify(m, readerAll.secret));
    expect(readerGot.map((b) => [b.type, b.data.id])).toEqual([["initiative.published", initiative.id]]);
    expect(Object.keys(readerGot[0].data).sort()).toEqual(["change", "id", "kind", "neighbourhoodId", "organisationId", "status"]);
    expect(rx.at("/reader-all")[0].body).not.toMatch(/Koffieochtend|praatje/);
    const sandboxGot = rx.at("/writer-sandbox").map((m) => rx.verify(m, sandbox.secret));
    expect(sandboxGot.map((b) => [b.type, b.data.id])).toEqual([["help-request.posted", sandboxRequest]]);
    expect(JSON.stringify([writerGot, readerGot, sandboxGot])).not.toContain(othersRequest);
  });

  it("revoking an app's last key with a scope stops that scope's events at once", async () => {
    const agenda = await buildPartnerKey(t, owner, ["PUBLIC_READ"], { name: "Wijkagenda" });
    const endpoint = await register(agenda.clientId, "/revoked", ["initiative.published"]);
    const org = await buildOrganisation(t, { coordinator: owner });
    await postInitiative(t, org);
    await sweep();
    expect(rx.at("/revoked")).toHaveLength(1);
    const revoked = await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: agenda.keyId }, owner.token);
    expect(revoked.errors).toBeUndefined();
    await postInitiative(t, org);
    await sweep();
    expect(rx.at("/revoked")).toHaveLength(1);
    expect(await deliveries(endpoint.id)).toHaveLength(1);
  });

  it("retries a 500 with backoff and then succeeds; the delivery log shows both attempts, their status codes and durations", async () => {
    const endpoint = await register(writer.clientId, "/flaky", ["help-request.posted"]);
    rx.answer("/flaky", 500);
    await ask(writer);
    await sweep();
    let [d] = await deliveries(endpoint.id);
    expect(d).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: 500, lastError: "answered 500" });
    expect(new Date(d.nextAttemptAt!).getTime()).toBeGreaterThan(t.clock.now().getTime());
    // Not due yet: a sweep now sends nothing.
    await sweep();
    expect(rx.at("/flaky")).toHaveLength(1);
    await advance(0.2);
    await sweep();
    [d] = await deliveries(endpoint.id);
    expect(d).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastStatusCode: 204, nextAttemptAt: null });
    expect(d.attemptLog.map((a) => a.statusCode)).toEqual([500, 204]);
    expect(d.attemptLog.every((a) => a.durationMs >= 0)).toBe(true);
    const [first, second] = rx.at("/flaky");
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(rx.verify(second, endpoint.secret).type).toBe("help-request.posted");
  });

  it("a redirect is not followed and an endpoint that does not answer in time fails the attempt; both are retried", async () => {
    const moved = await register(writer.clientId, "/moved", ["help-request.posted"]);
    const silent = await register(writer.clientId, "/silent", ["help-request.posted"]);
    rx.answer("/moved", 307);
    rx.hold("/silent");
    await ask(writer);
    await sweep();
    const [m] = await deliveries(moved.id);
    expect(m).toMatchObject({ status: "FAILED", lastStatusCode: 307, lastError: "answered 307" });
    expect(rx.at("/moved-moved")).toHaveLength(0);
    const [s] = await deliveries(silent.id);
    expect(s).toMatchObject({ status: "FAILED", lastStatusCode: null });
    expect(s.lastError).toMatch(/no answer within 1000 ms/);
    await advance(0.2);
    await sweep();
    expect((await deliveries(moved.id))[0].status).toBe("SUCCEEDED");
    expect((await deliveries(silent.id))[0].status).toBe("SUCCEEDED");
    for (const id of [moved.id, silent.id]) expect((await t.gql(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id }, owner.token)).errors).toBeUndefined();
  });

  it("WEBHOOK_URL_NOT_HTTPS, WEBHOOK_URL_PRIVATE_ADDRESS, WEBHOOK_URL_INVALID: refuses http, private, loopback, link-local, CGNAT and mapped addresses, and changes nothing", async () => {
    const before = (await t.gql(`query($id: ID!) { webhookEndpoints(clientId: $id) { id } }`, { id: reader.clientId }, owner.token)).data.webhookEndpoints.length;
    const cases: [string, string][] = [
      ["http://partner.example/hook", "WEBHOOK_URL_NOT_HTTPS"],
      ["http://169.254.169.254/latest/meta-data", "WEBHOOK_URL_NOT_HTTPS"],
      ["https://169.254.169.254/latest/meta-data", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://10.0.0.1/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://192.168.1.10/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://127.0.0.2/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://100.64.0.1/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://0.0.0.0/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://224.0.0.1/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://[::1]/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://[fd00::1]/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://[fe80::1]/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://[::ffff:10.0.0.1]/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://167772161/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["https://0x7f000002/hook", "WEBHOOK_URL_PRIVATE_ADDRESS"],
      ["ftp://partner.example/hook", "WEBHOOK_URL_NOT_HTTPS"],
      ["not a url", "WEBHOOK_URL_INVALID"],
      ["https://user:pw@partner.example/hook", "WEBHOOK_URL_INVALID"],
    ];
    for (const [url, reason] of cases) {
      const r = await t.gql(REGISTER, { input: { clientId: reader.clientId, url, eventTypes: ["initiative.published"] } }, owner.token);
      expect([url, codeOf(r), reasonOf(r)]).toEqual([url, "BAD_USER_INPUT", reason]);
    }
    const after = (await t.gql(`query($id: ID!) { webhookEndpoints(clientId: $id) { id } }`, { id: reader.clientId }, owner.token)).data.webhookEndpoints.length;
    expect(after).toBe(before);
  });

  it("a host name that resolves to 127.0.0.1 is refused when sending: no connection is made and the attempt records why", async () => {
    const endpoint = await register(writer.clientId, "/never", ["help-request.posted"]);
    const changed = await t.gql(
      `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { url } }`,
      { id: endpoint.id, input: { url: `https://localhost:${rx.port}/never` } },
      owner.token,
    );
    expect(changed.errors).toBeUndefined();
    await ask(writer);
    await sweep();
    const [d] = await deliveries(endpoint.id);
    expect(d.status).toBe("FAILED");
    expect(d.lastStatusCode).toBeNull();
    expect(d.lastError).toMatch(/RefusedAddress: localhost resolves to (127\.0\.0\.1|::1), which is not a public address/);
    expect(rx.at("/never")).toHaveLength(0);
    const removed = await t.gql(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id }, owner.token);
    expect(removed.data.deleteWebhookEndpoint).toBe(true);
    expect((await t.gql(DELIVERY, { id: d.id }, owner.token)).data.node).toBeNull();
  });

  it("rotating the secret: the receiver verifies with the new secret, and with the old one during the grace period", async () => {
    const endpoint = await register(writer.clientId, "/rotate", ["help-request.posted"]);
    const rotated = await t.gql(ROTATE, { id: endpoint.id }, owner.token);
    expect(rotated.errors).toBeUndefined();
    const fresh = rotated.data.rotateWebhookSecret.secret as string;
    expect(fresh).not.toBe(endpoint.secret);
    expect(new Date(rotated.data.rotateWebhookSecret.endpoint.previousSecretUntil).getTime()).toBeGreaterThan(t.clock.now().getTime());
    await ask(writer);
    await sweep();
    const [m] = rx.at("/rotate");
    expect(m.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(rx.verify(m, fresh).type).toBe("help-request.posted");
    expect(rx.verify(m, endpoint.secret).type).toBe("help-request.posted");
    // The secret is shown at registration and rotation only.
    const read = await t.gql(`query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { __typename } } }`, { id: endpoint.id }, owner.token);
    expect(JSON.stringify(read)).not.toContain(fresh);
  });

  it("replays from a cursor and redelivers one delivery, with the same webhook-id", async () => {
    const endpoint = await register(writer.clientId, "/replay", ["help-request.posted", "help-request.cancelled"]);
    const first = await ask(writer);
    await sweep();
    const second = await ask(writer);
    await sweep();
    expect(rx.at("/replay")).toHaveLength(2);
    const log = await deliveries(endpoint.id);
    const firstDelivery = log.find((d) => JSON.parse(d.payload).data.id === first)!;
    const replay = await t.gql(REPLAY, { id: endpoint.id, from: firstDelivery.eventCursor }, owner.token);
    expect(replay.errors).toBeUndefined();
    expect(replay.data.replayWebhooks).toMatchObject({ queued: 1, complete: true });
    await sweep();
    const again = rx.at("/replay").slice(2);
    expect(again.map((m) => rx.verify(m, endpoint.secret).data.id)).toEqual([second]);
    const redelivered = await t.gql(REDELIVER, { id: firstDelivery.id }, owner.token);
    expect(redelivered.errors).toBeUndefined();
    expect(redelivered.data.redeliverWebhook).toMatchObject({ status: "PENDING", messageId: firstDelivery.messageId });
    await sweep();
    const last = rx.at("/replay").at(-1)!;
    expect(last.headers["webhook-id"]).toBe(firstDelivery.messageId);
    expect(rx.verify(last, endpoint.secret).data.id).toBe(first);
    const bad = await t.gql(REPLAY, { id: endpoint.id, from: "zero" }, owner.token);
    expect(reasonOf(bad)).toBe("INVALID_CURSOR");
  });

  it("WEBHOOK_NOT_CLIENT_OWNER, WEBHOOK_ENDPOINT_NOT_FOUND, WEBHOOK_DELIVERY_NOT_FOUND: another app's owner cannot see, change or redeliver your endpoints and deliveries", async () => {
    const endpoint = await register(reader.clientId, "/private", ["initiative.published"]);
    await postInitiative(t, await buildOrganisation(t, { coordinator: owner }));
    await sweep();
    const [d] = await deliveries(endpoint.id);
    expect(d.status).toBe("SUCCEEDED");
    const theirs = await buildPartnerKey(t, other, ["PUBLIC_READ"], { name: "Hun app" });
    expect((await t.gql(ENDPOINT, { id: endpoint.id }, other.token)).data.node).toBeNull();
    expect((await t.gql(DELIVERY, { id: d.id }, other.token)).data.node).toBeNull();
    expect((await t.gql(DELIVERY, { id: d.id }, owner.token)).data.node).toEqual({ id: d.id, status: "SUCCEEDED", attempts: 1 });
    const list = await t.gql(`query($id: ID!) { webhookEndpoints(clientId: $id) { id } }`, { id: reader.clientId }, other.token);
    expect([codeOf(list), reasonOf(list)]).toEqual(["FORBIDDEN", "WEBHOOK_NOT_CLIENT_OWNER"]);
    const registerThere = await t.gql(REGISTER, { input: { clientId: reader.clientId, url: `${rx.url}/x`, eventTypes: ["initiative.published"] } }, other.token);
    expect(reasonOf(registerThere)).toBe("WEBHOOK_NOT_CLIENT_OWNER");
    const redeliver = await t.gql(REDELIVER, { id: d.id }, other.token);
    expect([codeOf(redeliver), reasonOf(redeliver)]).toEqual(["NOT_FOUND", "WEBHOOK_DELIVERY_NOT_FOUND"]);
    for (const mutation of [
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
      `mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id } }`,
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
    ]) {
      const r = await t.gql(mutation, { id: endpoint.id }, other.token);
      expect([codeOf(r), reasonOf(r)]).toEqual(["NOT_FOUND", "WEBHOOK_ENDPOINT_NOT_FOUND"]);
    }
    const replay = await t.gql(REPLAY, { id: endpoint.id, from: "0" }, other.token);
    expect(reasonOf(replay)).toBe("WEBHOOK_ENDPOINT_NOT_FOUND");
    // Their own app is theirs to manage.
    const own = await register(theirs.clientId, "/theirs", ["initiative.published"], {}, other);
    expect((await t.gql(ENDPOINT, { id: own.id }, owner.token)).data.node).toBeNull();
    expect((await t.gql(ENDPOINT, { id: endpoint.id }, owner.token)).data.node.id).toBe(endpoint.id);
  });

  it("COORDINATOR_ONLY, UNAUTHENTICATED, SCOPE_REQUIRED: a resident, anonymous callers and partner keys cannot manage webhooks", async () => {
    const resident = await buildPerson(t);
    const input = { clientId: reader.clientId, url: `${rx.url}/nope`, eventTypes: ["initiative.published"] };
    const asResident = await t.gql(REGISTER, { input }, resident.token);
    expect([codeOf(asResident), reasonOf(asResident)]).toEqual(["FORBIDDEN", "COORDINATOR_ONLY"]);
    const anonymous = await t.gql(REGISTER, { input });
    expect([codeOf(anonymous), reasonOf(anonymous)]).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED"]);
    const anonymousList = await t.gql(`query($id: ID!) { webhookEndpoints(clientId: $id) { id } }`, { id: reader.clientId });
    expect(codeOf(anonymousList)).toBe("UNAUTHENTICATED");
    const withKey = await keyed(t, reader.secret, REGISTER, { input });
    expect([withKey.status, reasonOf(withKey)]).toEqual([403, "SCOPE_REQUIRED"]);
    const keyList = await keyed(t, writer.secret, `query($id: ID!) { webhookEndpoints(clientId: $id) { id secret: url } }`, { id: writer.clientId });
    expect(reasonOf(keyList)).toBe("SCOPE_REQUIRED");
    expect(rx.at("/nope")).toHaveLength(0);
  });

  it("WEBHOOK_UNKNOWN_EVENT_TYPE, WEBHOOK_TOO_MANY_ENDPOINTS: hostile or excess input gets a clear error", async () => {
    const unknown = await t.gql(REGISTER, { input: { clientId: reader.clientId, url: `${rx.url}/u`, eventTypes: ["escalation.raised"] } }, owner.token);
    expect([codeOf(unknown), reasonOf(unknown)]).toEqual(["BAD_USER_INPUT", "WEBHOOK_UNKNOWN_EVENT_TYPE"]);
    const empty = await t.gql(REGISTER, { input: { clientId: reader.clientId, url: `${rx.url}/u`, eventTypes: [] } }, owner.token);
    expect(reasonOf(empty)).toBe("INVALID_INPUT");
    const app = await buildPartnerKey(t, owner, ["PUBLIC_READ"], { name: "Volle app" });
    for (let i = 0; i < 12; i++) await register(app.clientId, `/full-${i}`, ["initiative.published"]);
    const fifth = await t.gql(REGISTER, { input: { clientId: app.clientId, url: `${rx.url}/full-12`, eventTypes: ["initiative.published"] } }, owner.token);
    expect([codeOf(fifth), reasonOf(fifth)]).toEqual(["CONFLICT", "WEBHOOK_TOO_MANY_ENDPOINTS"]);
    const types = await t.gql(`{ webhookEventTypes { name scope description } }`, {}, owner.token);
    expect(types.data.webhookEventTypes.map((x: { name: string }) => x.name)).toContain("help-request.matched");
  });

  it("an endpoint failing continuously past WEBHOOK_DISABLE_AFTER_HOURS is disabled, its owner sees why, and enabling it sends what waited", async () => {
    const endpoint = await register(writer.clientId, "/down", ["help-request.posted"]);
    rx.always("/down", 503);
    await ask(writer);
    await sweep();
    await advance(1);
    await sweep();
    let r = await t.gql(ENDPOINT, { id: endpoint.id }, owner.token);
    expect(r.data.node).toMatchObject({ status: "ENABLED", disabledReason: null });
    expect(r.data.node.failingSince).not.toBeNull();
    await advance(1.5);
    await sweep();
    r = await t.gql(ENDPOINT, { id: endpoint.id }, owner.token);
    expect(r.data.node.status).toBe("DISABLED");
    expect(r.data.node.disabledReason).toMatch(/failing continuously since .*answered 503/);
    // The disabling is recorded in the event log with it, for notifications to tell the owner.
    const log = t.app.services.db;
    const told = await log.read.select().from(log.tables.eventLog).where(eq(log.tables.eventLog.topic, "webhook-endpoint.disabled"));
    expect(told.map((e) => [e.entityId, e.kind])).toEqual([[endpoint.id, "FAILING"]]);
    const attempts = rx.at("/down").length;
    await advance(1);
    await sweep();
    expect(rx.at("/down")).toHaveLength(attempts);
    rx.always("/down", null);
    const enabled = await t.gql(`mutation($id: ID!) { enableWebhookEndpoint(id: $id) { status disabledReason failingSince } }`, { id: endpoint.id }, owner.token);
    expect(enabled.data.enableWebhookEndpoint).toEqual({ status: "ENABLED", disabledReason: null, failingSince: null });
    await sweep();
    const [d] = await deliveries(endpoint.id);
    expect(d.status).toBe("SUCCEEDED");
    expect(rx.verify(rx.at("/down").at(-1)!, endpoint.secret).type).toBe("help-request.posted");
  });

  it("finished deliveries and their attempts are forgotten after WEBHOOK_RETENTION_DAYS; waiting ones stay", async () => {
    const endpoint = await register(writer.clientId, "/kept", ["help-request.posted"]);
    await ask(writer);
    await sweep();
    expect((await deliveries(endpoint.id)).map((d) => d.status)).toEqual(["SUCCEEDED"]);
    rx.always("/kept", 500);
    await ask(writer);
    await sweep();
    await advance(49);
    await sweep();
    const left = await deliveries(endpoint.id);
    expect(left.map((d) => d.status)).toEqual(["FAILED"]);
    rx.always("/kept", null);
  });
});
