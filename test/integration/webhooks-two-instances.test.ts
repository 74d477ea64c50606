import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/env.js";
import { ShiftableClock } from "../../src/shared/clock.js";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, buildCoordinator, window } from "../support/builders.js";
import { type PartnerKey, buildPartnerKey } from "../support/partners.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { TEST_JWT_SECRET, type TestApp, gql, startTestApp } from "../support/test-app.js";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver.js";

const REQUESTS = 12;
const ENV = { CLOCK_CONTROL: "true", WEBHOOK_ALLOW_HOSTS: "127.0.0.1", WEBHOOK_TIMEOUT_SECONDS: "5" };

/**
 * Two instances on one database, each deciding and sending webhooks. Both run their sweeps at the same
 * moment, so both read the same events after the cursor and race to claim the same due deliveries:
 * every event must still reach the endpoint once.
 */
describe.each(backends())("webhooks from two instances on $name", (backend: Backend) => {
  let a: TestApp;
  let b: App;
  let rx: WebhookReceiver;
  let coordinator: Account;
  let key: PartnerKey;

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    a = await startTestApp(backend, ENV);
    b = await createApp(
      loadConfig({
        NODE_ENV: "test",
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: a.databaseUrl,
        JWT_SECRET: TEST_JWT_SECRET,
        SEED_ON_EMPTY: "false",
        SWEEP_INTERVAL_MS: "0",
        LOG_LEVEL: "silent",
        ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
        ...ENV,
      }),
      { clock: new ShiftableClock() },
    );
    coordinator = await buildCoordinator(a);
    key = await buildPartnerKey(a, coordinator, ["REQUESTS_WRITE"]);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await rx?.close();
  });

  it("delivers each event once when both instances decide and claim at the same moment", async () => {
    const r = await a.gql(
      `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      { input: { clientId: key.clientId, url: `${rx.url}/both`, eventTypes: ["help-request.posted", "help-request.cancelled"] } },
      coordinator.token,
    );
    expect(r.errors).toBeUndefined();
    const secret = r.data.registerWebhookEndpoint.secret as string;
    const asked = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const res = await fetch(i % 2 ? b.url : a.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key.secret },
          body: JSON.stringify({
            query: `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id } }`,
            variables: {
              input: {
                categoryId: CAT.groceries,
                title: `Verzoek ${i}`,
                description: "Boodschappen.",
                ...window(a),
                personHelped: { firstName: "Twee", neighbourhoodId: NB.wielwijk },
              },
            },
          }),
        });
        const body = (await res.json()) as { data: { askForHelp: { id: string } } };
        return body.data.askForHelp.id;
      }),
    );
    const sweep = (url: string) => gql(url, `mutation { runSweeps { expiredRequests } }`, {}, coordinator.token);
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([sweep(a.url), sweep(b.url)]);
      for (const s of results) expect(s.errors).toBeUndefined();
    }
    const got = rx.at("/both");
    const ids = got.map((m) => m.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(got.map((m) => rx.verify(m, secret).data.id).sort()).toEqual([...asked].sort());
  });
});

/**
 * An instance killed (SIGKILL) while a receiver holds its request open: the delivery stays claimed by the
 * dead instance until its lease runs out, then the other instance claims and sends it, with the same
 * `webhook-id`. Nothing is lost; the receiver may see the message twice and drops the duplicate by its id.
 */
describe.each(backends())("a webhook sender killed mid-send on $name", (backend: Backend) => {
  let a: TestApp;
  let b: ServerProcess;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    a = await startTestApp(backend, { ...ENV, WEBHOOK_TIMEOUT_SECONDS: "30" });
    b = await startServerProcess({
      NODE_ENV: "test",
      DATABASE_URL: a.databaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
      ...ENV,
      WEBHOOK_TIMEOUT_SECONDS: "30",
    });
  }, 120_000);
  afterAll(async () => {
    await b?.stop("SIGKILL");
    await a?.close();
    await rx?.close();
  });

  it("loses nothing: after the dead instance's lease runs out the other one sends the delivery, with the same webhook-id", async () => {
    const coordinator = await buildCoordinator(a);
    const key = await buildPartnerKey(a, coordinator, ["REQUESTS_WRITE"]);
    const r = await a.gql(
      `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      { input: { clientId: key.clientId, url: `${rx.url}/held`, eventTypes: ["help-request.posted"] } },
      coordinator.token,
    );
    expect(r.errors).toBeUndefined();
    const { secret, endpoint } = r.data.registerWebhookEndpoint;
    rx.hold("/held");
    // Asked through B: B's commit wakes B's pass, which decides, claims and sends, and the receiver holds it.
    const res = await fetch(b.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key.secret },
      body: JSON.stringify({
        query: `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id } }`,
        variables: {
          input: { categoryId: CAT.groceries, title: "Verzoek", description: "Boodschappen.", ...window(a), personHelped: { firstName: "Kil", neighbourhoodId: NB.wielwijk } },
        },
      }),
    });
    const asked = ((await res.json()) as { data: { askForHelp: { id: string } } }).data.askForHelp.id;
    for (let i = 0; i < 200 && rx.at("/held").length === 0; i++) await new Promise((done) => setTimeout(done, 50));
    expect(rx.at("/held")).toHaveLength(1);
    await b.stop("SIGKILL");

    const sweep = async () => expect((await a.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
    const log = async () =>
      (await a.gql(`query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { deliveries { status attempts } } } }`, { id: endpoint.id }, coordinator.token)).data.node.deliveries;
    await sweep();
    expect(rx.at("/held")).toHaveLength(1);
    expect(await log()).toEqual([{ status: "SENDING", attempts: 1 }]);
    // Past the lease (three times the timeout plus 10 s).
    expect((await a.gql(`mutation { advanceClock(hours: 0.05) }`, {}, coordinator.token)).errors).toBeUndefined();
    await sweep();
    const [held, sent] = rx.at("/held");
    expect(sent.headers["webhook-id"]).toBe(held.headers["webhook-id"]);
    expect(rx.verify(sent, secret).data.id).toBe(asked);
    expect(await log()).toEqual([{ status: "SUCCEEDED", attempts: 2 }]);
  });
});
