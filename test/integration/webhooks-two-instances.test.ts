import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/env.js";
import { ShiftableClock } from "../../src/shared/clock.js";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, buildCoordinator, window } from "../support/builders.js";
import { type PartnerKey, buildPartnerKey } from "../support/partners.js";
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
