import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, buildCoordinator, window } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { type PartnerKey, buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, startTestApp } from "../support/test-app.js";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver.js";

const APP_URL = "https://zorgzaam.test";
const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id } } }`;
const ASK = `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id } }`;
const STATUS = `query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { status } } }`;

/**
 * A partner app's webhook endpoint that keeps failing is switched off by the server; whoever manages the
 * app hears of it by e-mail (in their language, without the endpoint's address or secret), and nobody else.
 */
describe.each(backends())("the owner of a partner app hears when its webhook endpoint is switched off, on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let rx: WebhookReceiver;
  let owner: Account;
  let colleague: Account;
  let app: PartnerKey;

  const sweep = async () => expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, owner.token)).errors).toBeUndefined();
  const advance = async (hours: number) => expect((await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, owner.token)).errors).toBeUndefined();

  beforeAll(async () => {
    box = await startMailbox();
    rx = await startWebhookReceiver();
    t = await startTestApp(backend, {
      SMTP_URL: box.url,
      APP_URL,
      CLOCK_CONTROL: "true",
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      WEBHOOK_RETRY_BASE_SECONDS: "60",
      WEBHOOK_RETRY_MAX_SECONDS: "600",
      WEBHOOK_DISABLE_AFTER_HOURS: "2",
      WEBHOOK_TIMEOUT_SECONDS: "1",
    });
    owner = await buildCoordinator(t);
    colleague = await buildCoordinator(t);
    app = await buildPartnerKey(t, owner, ["REQUESTS_WRITE"], { name: "Stichting Welzijn" });
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await box?.close();
  });

  it("tells the coordinator who registered the app once, in Dutch by default, with a link to the app and no address or secret; not another coordinator", async () => {
    const reg = await t.gql(REGISTER, { input: { clientId: app.clientId, url: `${rx.url}/down`, description: "Onze app", eventTypes: ["help-request.posted"] } }, owner.token);
    expect(reg.errors).toBeUndefined();
    const endpointId = reg.data.registerWebhookEndpoint.endpoint.id as string;
    const secret = reg.data.registerWebhookEndpoint.secret as string;
    rx.always("/down", 503);
    const asked = await keyed(t, app.secret, ASK, {
      input: { categoryId: CAT.groceries, title: "Boodschappen", description: "Graag.", ...window(t), personHelped: { firstName: "Riet", neighbourhoodId: NB.wielwijk } },
    });
    expect(asked.errors).toBeUndefined();
    await sweep();
    await advance(1);
    await sweep();
    // Failing, not yet for long enough: nobody is told.
    expect(box.to(owner.email)).toHaveLength(0);
    await advance(1.5);
    await sweep();
    expect((await t.gql(STATUS, { id: endpointId }, owner.token)).data.node.status).toBe("DISABLED");
    await sweep();
    await box.waitFor(() => box.to(owner.email).length > 0, 10_000, "the message to the owner");
    // Later sweeps tell nothing again.
    await advance(1);
    await sweep();
    await new Promise((r) => setTimeout(r, 300));
    const mails = box.to(owner.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.mail.subject).toBe("Een webhook-adres van een partnerapp is uitgezet");
    expect(mail.mail.text).toContain(`${APP_URL}/partner-apps/${app.clientId}`);
    for (const part of [mail.mail.text ?? "", mail.mail.html || "", mail.mail.subject ?? ""]) {
      expect(part).not.toContain(rx.url);
      expect(part).not.toContain(secret);
      expect(part).not.toContain("503");
    }
    expect(box.to(colleague.email)).toHaveLength(0);
    rx.always("/down", null);
  });
});
