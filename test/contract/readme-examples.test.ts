import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, type OperationDefinitionNode, parse, print } from "graphql";
import { authenticator } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, TEAM, type OrganisationFixture, buildOrganisation, buildPerson, buildProfessional, postInitiative, schedule } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { buildPartnerKey } from "../support/partners.js";
import { type BrowserSubscription, type PushEndpoint, startPushEndpoint } from "../support/push-endpoint.js";
import { type GqlResult, type TestApp, reasonOf, startTestApp } from "../support/test-app.js";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver.js";

/**
 * The README is the front door: every operation in its ```graphql blocks runs here against a real
 * server, as a reader would run it — as the role the text names, with the ids an earlier example
 * returned and dates from now on in its variables, and with what the reader would have beside it (the
 * reset link from the mail, the authenticator's code, a delivery the sweep made). An example the README
 * shows refused (the first step of a two-step login) must be refused with that reason; one that stops
 * working, or a new one
 * without a way to run it below, fails this test.
 */
const readme = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), "../../README.md"), "utf8");

interface Example {
  name: string;
  source: string;
}

/** Every operation of every ```graphql block, in the order the README shows them. */
export function readmeExamples(text: string): Example[] {
  const out: Example[] = [];
  for (const block of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const doc = parse(block[1]);
    for (const def of doc.definitions) {
      expect(def.kind, `README: only operations in graphql blocks:\n${block[1]}`).toBe(Kind.OPERATION_DEFINITION);
      const op = def as OperationDefinitionNode;
      expect(op.name?.value, `README: every example operation has a name:\n${print(op)}`).toBeTruthy();
      out.push({ name: op.name!.value, source: print(op) });
    }
  }
  return out;
}

/** What a reader has at hand while following the README: their accounts and what earlier examples returned. */
interface Reader {
  volunteer: Account;
  resident: Account;
  carer: Account;
  professional: Account;
  participant: Account;
  helpRequestId?: string;
  circleId?: string;
  shiftId?: string;
  escalationId?: string;
  initiativeId?: string;
  /** The demo resident whose account the account examples use (anna@zorgzaam.example). */
  anna: Account;
  /** Anna's other logins, made before the session examples (the phone she lost, the laptop she logs out of). */
  annaSessions: string[];
  /** The demo coordinator (coordinator@zorgzaam.example), who also registered the partner app. */
  coordinator: Account;
  /** The demo professional (eva@zorgzaam.example), who sets up a second factor. */
  eva: Account;
  org: OrganisationFixture;
  partnerClientId: string;
  mailbox: Mailbox;
  webhooks: WebhookReceiver;
  push: PushEndpoint;
  browser?: BrowserSubscription;
  sessionId?: string;
  resetToken?: string;
  totpSecret?: string;
  challenge?: string;
  exportId?: string;
  endpointId?: string;
  endpointSecret?: string;
  deliveryId?: string;
  eventCursor?: string;
}

interface Step {
  /** Whose token the reader sends; none for public examples. */
  as: (r: Reader) => Account | undefined;
  /** The variables the reader fills in. */
  variables?: (r: Reader, t: TestApp) => Record<string, unknown>;
  /** Headers the reader sends besides the token (e.g. `Accept-Language`). */
  headers?: Record<string, string>;
  /** What happens before the reader sends it: a mail arriving, a file being made, the sweep delivering. */
  before?: (r: Reader, t: TestApp) => Promise<void>;
  /** The refusal (`extensions.reason`) the README says this example is answered with. */
  refusedWith?: string;
  /** What the reader takes from the answer for the next examples. */
  then?: (data: any, r: Reader, t: TestApp, result: GqlResult) => unknown;
}

const iso = (t: TestApp, hours: number) => new Date(t.clock.now().getTime() + hours * HOUR).toISOString();
const amsterdamDate = (t: TestApp) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(t.clock.now());
const first = (list: any[], what: string): any => {
  expect(list.length, `the README example found no ${what}`).toBeGreaterThan(0);
  return list[0];
};

/** The code an authenticator app shows for `secret` now, or `stepsAhead` 30-second steps later (accepted now: one step of drift). */
const totpCode = (secret: string, stepsAhead = 0) => authenticator.clone({ epoch: Date.now() + stepsAhead * 30_000 }).generate(secret);
const DEMO_PASSWORD = "zorgzaam-demo";
const login = async (t: TestApp, email: string, password = DEMO_PASSWORD) => {
  const r = await t.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: email, p: password });
  expect(r.errors).toBeUndefined();
  return r.data.login.token as string;
};
const sweep = async (t: TestApp, r: Reader) => {
  const s = await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, r.coordinator.token);
  expect(s.errors).toBeUndefined();
};
/** Waits until `check` holds, or fails after `ms`. */
const until = async (what: string, check: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`waited in vain for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** How to run each README example; keyed by operation name. */
const steps: Record<string, Step> = {
  Login: { as: () => undefined, then: (d) => expect(d.login.me.roles).toContain("VOLUNTEER") },
  Browse: { as: (r) => r.volunteer, variables: () => ({ after: null }) },
  AskForHelp: {
    as: (r) => r.resident,
    variables: (_r, t) => ({ windowStart: iso(t, 24), windowEnd: iso(t, 32) }),
    then: (d, r) => (r.helpRequestId = d.askForHelp.id),
  },
  AcceptHelpRequest: { as: (r) => r.volunteer, variables: (r) => ({ id: r.helpRequestId }), then: (d) => expect(d.acceptHelpRequest.status).toBe("MATCHED") },
  StartHelpRequest: { as: (r) => r.volunteer, variables: (r) => ({ id: r.helpRequestId }) },
  CompleteHelpRequest: { as: (r) => r.volunteer, variables: (r) => ({ id: r.helpRequestId }), then: (d) => expect(d.completeHelpRequest.status).toBe("DONE") },
  CreateCareCircle: { as: (r) => r.carer, then: (d, r) => (r.circleId = d.createCareCircle.id) },
  InviteToCareCircle: { as: (r) => r.carer, variables: (r) => ({ circleId: r.circleId }) },
  AddCareTask: { as: (r) => r.carer, variables: (r, t) => ({ circleId: r.circleId, startDate: amsterdamDate(t) }) },
  CareSchedule: {
    as: (r) => r.carer,
    variables: (r) => ({ circleId: r.circleId }),
    then: (d, r) =>
      (r.shiftId = first(
        d.careCircle.shifts.edges.filter((e: any) => e.node.status === "OPEN"),
        "open shift",
      ).node.id),
  },
  ClaimCareShift: { as: (r) => r.carer, variables: (r) => ({ shiftId: r.shiftId }) },
  CareCalendarFeed: { as: (r) => r.carer, variables: (r) => ({ circleId: r.circleId }) },
  TeamQueue: { as: (r) => r.professional, then: (d, r) => (r.escalationId = first(d.teamQueue.edges, "case").node.id) },
  AcknowledgeEscalation: { as: (r) => r.professional, variables: (r) => ({ id: r.escalationId }) },
  CloseEscalation: { as: (r) => r.professional, variables: (r) => ({ id: r.escalationId }) },
  Initiatives: { as: () => undefined, then: (d, r) => (r.initiativeId = first(d.initiatives.edges, "initiative").node.id) },
  SignUpForInitiative: { as: (r) => r.participant, variables: (r) => ({ initiativeId: r.initiativeId }) },
  UrgencyLabels: {
    as: () => undefined,
    then: async (d, _r, t) => {
      // Dutch unless the caller asks for English.
      expect(d.enumLabels).toContainEqual({ value: "URGENT", label: "Dringend" });
      const res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", "accept-language": "en" },
        body: JSON.stringify({ query: `query { enumLabels(enum: "Urgency") { value label } }` }),
      });
      expect(res.headers.get("content-language")).toBe("en");
      expect(((await res.json()) as any).data.enumLabels).toContainEqual({ value: "URGENT", label: "Urgent" });
    },
  },
  UpdateNotificationPreferences: {
    as: (r) => r.volunteer,
    then: (d) => expect(d.updateNotificationPreferences).toMatchObject({ newRequestMode: "DIGEST", digestTime: "07:30", quietHours: { start: "22:00", end: "07:00" } }),
  },
  MyNotifications: { as: (r) => r.volunteer },
  VapidPublicKey: { as: () => undefined, then: (d) => expect(d.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{87}$/) },
  SubscribePush: {
    as: (r) => r.volunteer,
    before: async (r) => void (r.browser = r.push.browser()),
    variables: (r) => ({ subscription: { endpoint: r.browser!.endpoint, keys: r.browser!.keys } }),
    then: (d, r) => expect(d.subscribePush.endpoint).toBe(r.browser!.endpoint),
  },
  MySessions: {
    as: (r) => ({ ...r.anna, token: r.annaSessions[1] }),
    then: (d, r) => {
      const others = d.mySessions.filter((s: any) => !s.current);
      expect(others.length).toBeGreaterThanOrEqual(2);
      // The oldest: the session registering opened, not the one the next examples log out of.
      r.sessionId = others[others.length - 1].id;
    },
  },
  EndSession: {
    as: (r) => ({ ...r.anna, token: r.annaSessions[1] }),
    variables: (r) => ({ id: r.sessionId }),
    then: async (d, r, t) => {
      expect(d.endSession).toBe(true);
      expect(reasonOf(await t.gql(`{ me { email } }`, {}, r.anna.token))).toBe("SESSION_ENDED");
    },
  },
  Logout: {
    as: (r) => ({ ...r.anna, token: r.annaSessions[0] }),
    then: async (d, r, t) => {
      expect(d.logout).toBe(true);
      expect(reasonOf(await t.gql(`{ me { email } }`, {}, r.annaSessions[0]))).toBe("SESSION_ENDED");
    },
  },
  LogoutEverywhere: {
    as: (r) => ({ ...r.anna, token: r.annaSessions[1] }),
    then: async (d, r, t) => {
      expect(d.logoutEverywhere).toBe(1);
      expect(reasonOf(await t.gql(`{ me { email } }`, {}, r.annaSessions[1]))).toBe("SESSION_ENDED");
    },
  },
  ChangePassword: {
    as: (r) => r.anna,
    before: async (r, t) => void (r.anna = { ...r.anna, token: await login(t, r.anna.email) }),
    then: async (_d, r, t) => void (await login(t, r.anna.email, "een lange nieuwe zin")),
  },
  RequestPasswordReset: {
    as: () => undefined,
    then: async (d, r) => {
      expect(d.requestPasswordReset).toBe(true);
      await r.mailbox.waitFor(() => r.mailbox.to(r.anna.email).length > 0, 10_000, "the reset mail");
      const m = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(r.mailbox.to(r.anna.email)[0].mail.text ?? "");
      expect(m).not.toBeNull();
      r.resetToken = m![1];
    },
  },
  ResetPassword: {
    as: () => undefined,
    variables: (r) => ({ token: r.resetToken }),
    then: async (d, r, t) => {
      expect(d.resetPassword).toBe(true);
      await login(t, r.anna.email); // the demo password again
    },
  },
  EnrolTotp: { as: (r) => r.eva, then: (d, r) => (r.totpSecret = d.enrolTotp.secret) },
  ConfirmTotp: {
    as: (r) => r.eva,
    variables: (r) => ({ code: totpCode(r.totpSecret!) }),
    then: (d) => expect(d.confirmTotp).toHaveLength(10),
  },
  LoginWithSecondFactor: {
    as: () => undefined,
    refusedWith: "TOTP_REQUIRED",
    then: (d, r, _t, result) => {
      expect(d).toBeNull();
      r.challenge = (result.errors![0].extensions as Record<string, string>).challenge;
      expect(r.challenge).toBeTruthy();
    },
  },
  CompleteLogin: {
    as: () => undefined,
    // The confirming code is spent: the app's next one (one step of drift is accepted).
    variables: (r) => ({ challenge: r.challenge, code: totpCode(r.totpSecret!, 1) }),
    then: async (d, _r, t) => expect((await t.gql(`{ me { roles } }`, {}, d.completeLogin.token)).data.me.roles).toContain("PROFESSIONAL"),
  },
  DisableAccount: {
    as: (r) => r.coordinator,
    variables: (r) => ({ personId: r.anna.id }),
    then: async (d, r, t) => {
      expect(d.disableAccount).toBe(true);
      const refused = await t.gql(`mutation($e: String!) { login(email: $e, password: "zorgzaam-demo") { token } }`, { e: r.anna.email });
      expect(reasonOf(refused)).toBe("ACCOUNT_DISABLED");
    },
  },
  EnableAccount: {
    as: (r) => r.coordinator,
    variables: (r) => ({ personId: r.anna.id }),
    then: async (d, r, t) => {
      expect(d.enableAccount).toBe(false); // whether the account is disabled now
      await login(t, r.anna.email);
    },
  },
  RequestDataExport: { as: (r) => r.resident, then: (d, r) => (r.exportId = d.requestDataExport.id) },
  DataExport: {
    as: (r) => r.resident,
    variables: (r) => ({ id: r.exportId }),
    before: async (r, t) =>
      until(
        "the export to be ready",
        async () => (await t.gql(`query($id: ID!) { dataExport(id: $id) { status } }`, { id: r.exportId }, r.resident.token)).data?.dataExport.status === "READY",
      ),
    then: async (d, _r, t) => {
      expect(d.dataExport.status).toBe("READY");
      const file = await fetch(new URL(d.dataExport.downloadUrl, t.url));
      expect(file.status).toBe(200);
      expect(((await file.json()) as any).formatVersion).toBe(1);
    },
  },
  RegisterWebhookEndpoint: {
    as: (r) => r.coordinator,
    variables: (r) => ({ clientId: r.partnerClientId, url: `${r.webhooks.url}/zorgzaam` }),
    then: (d, r) => {
      r.endpointId = d.registerWebhookEndpoint.endpoint.id;
      r.endpointSecret = d.registerWebhookEndpoint.secret;
    },
  },
  WebhookDeliveries: {
    as: (r) => r.coordinator,
    variables: (r) => ({ clientId: r.partnerClientId }),
    before: async (r, t) => {
      // An initiative is published; the sweep delivers it, signed as the README says a receiver checks.
      await postInitiative(t, r.org, { title: "Taalcafé", description: "Nederlands oefenen bij de koffie.", neighbourhoodId: NB.oudKrispijn, schedule: schedule(t, 72, 2) });
      await until("a webhook delivery", async () => {
        await sweep(t, r);
        return r.webhooks.at("/zorgzaam").length > 0;
      });
      expect(r.webhooks.verify(r.webhooks.at("/zorgzaam")[0], r.endpointSecret!).type).toBe("initiative.published");
    },
    then: (d, r) => {
      const delivery = first(d.webhookEndpoints[0].deliveries, "webhook delivery");
      r.deliveryId = delivery.id;
      r.eventCursor = delivery.eventCursor;
    },
  },
  RedeliverWebhook: { as: (r) => r.coordinator, variables: (r) => ({ deliveryId: r.deliveryId }) },
  ReplayWebhooks: { as: (r) => r.coordinator, variables: (r) => ({ endpointId: r.endpointId, fromCursor: r.eventCursor }) },
  RotateWebhookSecret: {
    as: (r) => r.coordinator,
    variables: (r) => ({ endpointId: r.endpointId }),
    then: (d) => expect(d.rotateWebhookSecret.endpoint.previousSecretUntil).toBeTruthy(),
  },
};

describe("the README's GraphQL examples", () => {
  it("are named operations, each with a way to run it here, and nothing here that the README lost", () => {
    const names = readmeExamples(readme).map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(steps).sort());
  });
});

describe.each(backends())("the README's GraphQL examples on $name", (backend) => {
  let t: TestApp;
  let reader: Reader;
  let mailbox: Mailbox;
  let webhooks: WebhookReceiver;
  let push: PushEndpoint;
  beforeAll(async () => {
    mailbox = await startMailbox();
    webhooks = await startWebhookReceiver();
    push = await startPushEndpoint();
    t = await startTestApp(backend, {
      // As a deployment runs: Dutch unless asked otherwise, e-mail on (password reset), Web Push on.
      DEFAULT_LANGUAGE: "nl",
      SMTP_URL: mailbox.url,
      VAPID_SUBJECT: "mailto:beheer@gemeente.example",
      // The receivers run on loopback; the sweep is run on demand (runSweeps).
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      PUSH_ENDPOINT_ALLOW_HOSTS: "127.0.0.1",
      CLOCK_CONTROL: "true",
      LOGIN_THROTTLE_REDIS_PREFIX: `readme-${Date.now()}:`,
    });
    // The accounts the README's examples assume, as a reader would have them (the demo volunteer's login).
    const register = await t.gql(`mutation($input: RegisterInput!) { register(input: $input) { token me { person { id } } } }`, {
      input: { email: "mohammed@zorgzaam.example", password: "zorgzaam-demo", firstName: "Mohammed", lastName: "El Amrani", neighbourhoodId: NB.wielwijk, roles: ["VOLUNTEER"] },
    });
    expect(register.errors).toBeUndefined();
    const volunteer: Account = { id: register.data.register.me.person.id, token: register.data.register.token, email: "mohammed@zorgzaam.example" };
    const profile = await t.gql(
      `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
      { input: { categoryIds: [CAT.groceries], neighbourhoodIds: [NB.oudKrispijn, NB.wielwijk], languages: ["nl"], availability: [] } },
      volunteer.token,
    );
    expect(profile.errors).toBeUndefined();
    const professional = await buildProfessional(t, TEAM.westSocial);
    // A case in the West team's queue, and a coffee morning the initiatives example finds.
    const asker = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const direct = await t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { status } }`, { i: { reason: "FINANCIAL" } }, asker.token);
    expect(direct.errors).toBeUndefined();
    const org = await buildOrganisation(t);
    await postInitiative(t, org, { title: "Koffieochtend", description: "Koffie en een praatje.", neighbourhoodId: NB.oudKrispijn, schedule: schedule(t, 48, 2) });
    // The demo resident and coordinator the account examples name, with the demo password.
    const anna = await buildPerson(t, { email: "anna@zorgzaam.example", password: DEMO_PASSWORD, firstName: "Anna", lastName: "de Vries" });
    const annaSessions = [await login(t, "anna@zorgzaam.example"), await login(t, "anna@zorgzaam.example")];
    const demoCoordinator = await buildPerson(t, { email: "coordinator@zorgzaam.example", password: DEMO_PASSWORD, firstName: "Coördinator", lastName: "Gemeente" });
    await t.app.services.db.transaction(async (tx) => {
      await tx.insert(t.app.services.db.tables.personRoles).values({ personId: demoCoordinator.id, role: "COORDINATOR", grantedAt: new Date() });
    });
    const coordinator = { ...demoCoordinator, email: "coordinator@zorgzaam.example", token: await login(t, "coordinator@zorgzaam.example") };
    // The demo professional of the West team, who sets up a second factor.
    const eva = await buildPerson(t, { email: "eva@zorgzaam.example", password: DEMO_PASSWORD, firstName: "Eva", lastName: "Jansen" });
    const granted = await t.gql(
      `mutation($id: ID!, $team: ID!) { grantRole(personId: $id, role: PROFESSIONAL, teamId: $team) }`,
      { id: eva.id, team: TEAM.westSocial },
      coordinator.token,
    );
    expect(granted.errors).toBeUndefined();
    // A partner app of that coordinator with a key that may receive public events.
    const partner = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { name: "Buurtapp Dordrecht" });
    reader = {
      anna: { ...anna, email: "anna@zorgzaam.example" },
      annaSessions,
      coordinator,
      eva: { ...eva, email: "eva@zorgzaam.example", token: await login(t, "eva@zorgzaam.example") },
      org,
      partnerClientId: partner.clientId,
      mailbox,
      webhooks,
      push,
      volunteer,
      resident: await buildPerson(t, { neighbourhoodId: NB.oudKrispijn }),
      carer: await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk }),
      professional,
      participant: await buildPerson(t),
    };
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([mailbox?.close(), webhooks?.close(), push?.close()]);
  });

  it("each run without errors (or with the refusal the README names), in the README's order, with dates from now on", async () => {
    for (const example of readmeExamples(readme)) {
      const step = steps[example.name];
      expect(step, `no way to run the README example ${example.name}`).toBeDefined();
      await step.before?.(reader, t);
      const token = step.as(reader)?.token;
      const res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...step.headers },
        body: JSON.stringify({ query: example.source, variables: step.variables?.(reader, t) }),
      });
      const r = { status: res.status, ...((await res.json()) as Omit<GqlResult, "status">) };
      if (step.refusedWith) expect(reasonOf(r), `README example ${example.name} is refused as the README says:\n${example.source}`).toBe(step.refusedWith);
      else expect(r.errors, `README example ${example.name}:\n${example.source}`).toBeUndefined();
      await step.then?.(r.data, reader, t, r);
    }
  });
});
