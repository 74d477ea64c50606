import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { backends } from "../support/backends.js";
import { CAT, NB, buildCoordinator, buildOrganisation, buildPerson, postInitiative, rowCounts } from "../support/builders.js";
import { buildPartnerKey } from "../support/partners.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

interface Answer {
  status: number;
  language: string | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  data?: Record<string, unknown> | null;
}

/**
 * The language of what a person reads follows the request (Accept-Language, or connection_init's
 * `language` on a socket), with Dutch as this deployment's default; `extensions.code` and `reason`
 * never change with it. The app runs with the production default (DEFAULT_LANGUAGE=nl).
 */
describe.each(backends())("error and label language on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { DEFAULT_LANGUAGE: "nl" });
  });
  afterAll(async () => t?.close());

  const post = async (body: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const r = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    return { status: r.status, language: r.headers.get("content-language"), ...((await r.json()) as object) };
  };
  const ask = (query: string, variables: Record<string, unknown> | undefined, acceptLanguage?: string) =>
    post(JSON.stringify({ query, variables }), acceptLanguage === undefined ? {} : { "accept-language": acceptLanguage });
  const facts = (a: Answer) => ({ code: a.errors?.[0]?.extensions?.code, reason: a.errors?.[0]?.extensions?.reason, field: a.errors?.[0]?.extensions?.field });

  const TOO_MANY = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
  const ids = Array.from({ length: 101 }, (_, i) => `hr_${i}`);

  it("TOO_MANY_IDS in the caller's language: en, nl, nl-BE,nl;q=0.9, fr and no header give one code and reason, the message and Content-Language by the header", async () => {
    const cases: [string | undefined, string, string][] = [
      ["en", "en", "ids: at most 100 at once"],
      ["nl", "nl", "ids: hooguit 100 tegelijk"],
      ["nl-BE,nl;q=0.9", "nl", "ids: hooguit 100 tegelijk"],
      ["en-GB,en;q=0.9,nl;q=0.1", "en", "ids: at most 100 at once"],
      ["fr", "nl", "ids: hooguit 100 tegelijk"],
      ["fr,en;q=0.5", "en", "ids: at most 100 at once"],
      ["nl;q=0, en", "en", "ids: at most 100 at once"],
      [undefined, "nl", "ids: hooguit 100 tegelijk"],
    ];
    for (const [header, language, message] of cases) {
      const a = await ask(TOO_MANY, { ids }, header);
      expect({ header, status: a.status, facts: facts(a), language: a.language, message: a.errors?.[0]?.message }).toEqual({
        header,
        status: 200,
        facts: { code: "BAD_USER_INPUT", reason: "TOO_MANY_IDS", field: "ids" },
        language,
        message,
      });
    }
  });

  it("hostile Accept-Language values (huge, garbage, empty) fall back to Dutch and the request runs as without one", async () => {
    const fine = `{ helpCategories { code label } }`;
    for (const header of ["x".repeat(8000), `${"nl;q=0.5,".repeat(700)}en`, "xx;q=abc,,,;;==", ";", "*;q=", "q=1", "  ", "en;q=NaN", "\u00e9\u00e8;q=0.9"]) {
      const a = await ask(fine, undefined, header);
      expect({ header: header.slice(0, 20), status: a.status, language: a.language, errors: a.errors }).toEqual({
        header: header.slice(0, 20),
        status: 200,
        language: "nl",
        errors: undefined,
      });
      const refused = await ask(TOO_MANY, { ids }, header);
      expect([refused.language, refused.errors?.[0]?.message, facts(refused).reason]).toEqual(["nl", "ids: hooguit 100 tegelijk", "TOO_MANY_IDS"]);
    }
    // `*` is any language: the default.
    expect((await ask(TOO_MANY, { ids }, "*")).errors?.[0]?.message).toBe("ids: hooguit 100 tegelijk");
  });

  it("INVALID_INPUT: a schema rule's problem is translated inside the field's message; nothing is written in either language", async () => {
    const before = await rowCounts(t);
    const register = `mutation($input: RegisterInput!) { register(input: $input) { token } }`;
    const input = { email: "taal@example.org", firstName: "Taal", lastName: "Test", password: "kort", neighbourhoodId: NB.wielwijk };
    const nl = await ask(register, { input }, "nl");
    const en = await ask(register, { input }, "en");
    expect(facts(nl)).toEqual({ code: "BAD_USER_INPUT", reason: "INVALID_INPUT", field: "input.password" });
    expect(facts(en)).toEqual(facts(nl));
    expect(nl.errors?.[0]?.message).toBe("input.password: moet minstens 10 tekens lang zijn");
    expect(en.errors?.[0]?.message).toBe("input.password: must be at least 10 characters");
    expect(await rowCounts(t)).toEqual(before);
  });

  it("QUERY_TOO_DEEP and the HTTP front's own refusals are given in the caller's language; graphql-js's validation stays English with its code", async () => {
    let deep = "name";
    for (let i = 0; i < 8; i++) deep = `neighbourhoods { area { ${deep} } }`;
    const tooDeepNl = await ask(`{ areas { ${deep} } }`, undefined, "nl");
    const tooDeepEn = await ask(`{ areas { ${deep} } }`, undefined, "en");
    expect([tooDeepNl.status, facts(tooDeepNl).code, facts(tooDeepNl).reason]).toEqual([400, "GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_DEEP"]);
    expect([tooDeepEn.status, facts(tooDeepEn).code, facts(tooDeepEn).reason]).toEqual([400, "GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_DEEP"]);
    expect(tooDeepNl.errors?.[0]?.message).toMatch(/^De query is te diep: hooguit \d+ niveaus zijn toegestaan\.$/);
    expect(tooDeepEn.errors?.[0]?.message).toMatch(/^Query is too deep: at most \d+ levels are allowed\.$/);

    const badJson = await post("{not json", { "accept-language": "nl" });
    expect([badJson.status, badJson.language, facts(badJson).code, badJson.errors?.[0]?.message]).toEqual([
      400,
      "nl",
      "BAD_REQUEST",
      "De body van het verzoek is geen geldige JSON.",
    ]);
    const badJsonEn = await post("{not json", { "accept-language": "en" });
    expect([badJsonEn.status, badJsonEn.language, facts(badJsonEn).code, badJsonEn.errors?.[0]?.message]).toEqual([
      400,
      "en",
      "BAD_REQUEST",
      "The request body is not valid JSON.",
    ]);

    const unknownField = await ask(`{ helpCategories { nope } }`, undefined, "nl");
    expect([unknownField.status, facts(unknownField).code]).toEqual([400, "GRAPHQL_VALIDATION_FAILED"]);
    expect(unknownField.errors?.[0]?.message).toMatch(/^Cannot query field "nope"/);

    const badToken = await post(JSON.stringify({ query: "{ helpCategories { code } }" }), { "accept-language": "nl", authorization: "Bearer nonsense" });
    expect([badToken.status, facts(badToken).code, badToken.errors?.[0]?.message]).toEqual([401, "UNAUTHENTICATED", "Het bearer-token is niet geldig."]);
  });

  it("UNKNOWN_ENUM: enumLabels gives every value of a public enum in the caller's language and refuses a name that is no enum", async () => {
    const labels = `query($e: String!) { enumLabels(enum: $e) { value label } }`;
    const nl = await ask(labels, { e: "Urgency" }, "nl");
    const en = await ask(labels, { e: "Urgency" }, "en");
    const byValue = (a: Answer) => Object.fromEntries((a.data?.enumLabels as { value: string; label: string }[]).map((l) => [l.value, l.label]));
    expect([nl.language, byValue(nl)]).toEqual(["nl", { HIGH: "Hoog", LOW: "Laag", NORMAL: "Normaal", URGENT: "Dringend" }]);
    expect([en.language, byValue(en)]).toEqual(["en", { HIGH: "High", LOW: "Low", NORMAL: "Normal", URGENT: "Urgent" }]);
    // The values come in the schema's own order, in either language.
    expect((nl.data?.enumLabels as { value: string }[]).map((l) => l.value)).toEqual((en.data?.enumLabels as { value: string }[]).map((l) => l.value));
    expect((await ask(labels, { e: "HelpRequestStatus" })).data?.enumLabels).toContainEqual({ value: "MATCHED", label: "Gekoppeld" });

    for (const name of ["Nope", "Query", "HelpCategory", "__TypeKind", "String", "x".repeat(5000)]) {
      for (const language of ["nl", "en"]) {
        const refused = await ask(labels, { e: name }, language);
        expect([name.slice(0, 20), facts(refused), refused.data]).toEqual([name.slice(0, 20), { code: "BAD_USER_INPUT", reason: "UNKNOWN_ENUM", field: "enum" }, null]);
        expect(refused.errors?.[0]?.message).toBe(language === "nl" ? "enum: dit schema heeft geen enum met die naam" : "enum: this schema has no enum of that name");
      }
    }

    const categories = `{ helpCategories { code name nameNl label } }`;
    for (const [header, pick] of [
      ["nl", "nameNl"],
      ["en", "name"],
      [undefined, "nameNl"],
    ] as const) {
      const list = (await ask(categories, undefined, header)).data?.helpCategories as Record<string, string>[];
      expect(list.length).toBeGreaterThan(0);
      for (const c of list) expect(c.label).toBe(c[pick]);
    }
  });

  /** A WebSocket client whose upgrade request carries `headers`. */
  const socket = (connectionParams: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const client = createClient({
      url: t.wsUrl,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      },
      connectionParams,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
    });
    return client;
  };

  it("INVALID_CURSOR over WebSocket: connection_init's language, else the upgrade's Accept-Language, else Dutch; code and reason alike", async () => {
    const bad = `subscription { initiativePublished(since: "garbage") { cursor } }`;
    const cases: [Record<string, unknown>, Record<string, string>, string][] = [
      [{ language: "en" }, {}, "since: not an event cursor this server handed out"],
      [{ language: "nl" }, { "accept-language": "en" }, "since: geen gebeurteniscursor die deze server heeft uitgegeven"],
      [{}, { "accept-language": "en-US,en;q=0.8" }, "since: not an event cursor this server handed out"],
      [{}, { "accept-language": "nl-BE,nl;q=0.9" }, "since: geen gebeurteniscursor die deze server heeft uitgegeven"],
      [{}, {}, "since: geen gebeurteniscursor die deze server heeft uitgegeven"],
      [{ language: "fr" }, { "accept-language": "x".repeat(4000) }, "since: geen gebeurteniscursor die deze server heeft uitgegeven"],
      [{ language: 42 }, {}, "since: geen gebeurteniscursor die deze server heeft uitgegeven"],
      [{ language: 42 }, { "accept-language": "en" }, "since: not an event cursor this server handed out"],
      [{ language: "fr" }, { "accept-language": "en" }, "since: not an event cursor this server handed out"],
      [{ language: "en-GB" }, { "accept-language": "nl" }, "since: not an event cursor this server handed out"],
    ];
    for (const [params, headers, message] of cases) {
      const client = socket(params, headers);
      try {
        const sub = collect(client, bad);
        const first = await sub.next(3000);
        expect({ params, message: first.errors?.[0]?.message, code: first.errors?.[0]?.extensions?.code, reason: first.errors?.[0]?.extensions?.reason }).toEqual({
          params,
          message,
          code: "BAD_USER_INPUT",
          reason: "INVALID_CURSOR",
        });
      } finally {
        await client.dispose();
      }
    }
  });

  it("labels over a socket follow its language: two sockets of two languages each read their own", async () => {
    const english = socket({ language: "en" });
    const dutch = socket({});
    try {
      const labels = `query { enumLabels(enum: "SwapStatus") { value label } }`;
      const read = (client: ReturnType<typeof socket>) =>
        new Promise<unknown>((resolve, reject) => {
          let value: unknown;
          client.subscribe({ query: labels }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
        });
      const byValue = (v: unknown) => Object.fromEntries((v as { data: { enumLabels: { value: string; label: string }[] } }).data.enumLabels.map((l) => [l.value, l.label]));
      expect(byValue(await read(english))).toEqual({ ACCEPTED: "Accepted", CANCELLED: "Withdrawn", DECLINED: "Declined", PENDING: "Waiting for an answer" });
      expect(byValue(await read(dutch))).toEqual({ ACCEPTED: "Aangenomen", CANCELLED: "Ingetrokken", DECLINED: "Afgewezen", PENDING: "Wacht op antwoord" });
    } finally {
      await english.dispose();
      await dutch.dispose();
    }
  });

  it("a live event shared by subscribers of the same rights is executed per language: each socket is sent its own label", async () => {
    const live = `subscription { initiativePublished(changes: [PUBLISHED]) { initiative { title categories { code label } } } }`;
    const english = socket({ language: "en" });
    const dutch = socket({}, { "accept-language": "nl" });
    const otherDutch = socket({ language: "nl-NL" });
    try {
      const subs = [collect(english, live), collect(dutch, live), collect(otherDutch, live)];
      await new Promise((r) => setTimeout(r, 300));
      const org = await buildOrganisation(t);
      const categories = (await t.gql(`{ helpCategories { id name nameNl } }`)).data.helpCategories as { id: string; name: string; nameNl: string }[];
      const company = categories.find((c) => c.id === CAT.company)!;
      expect(company.name).not.toBe(company.nameNl);
      await postInitiative(t, org, { title: "Taalcafé", categoryIds: [CAT.company] });
      const [en, nl, nl2] = await Promise.all(subs.map((s) => s.next(5000)));
      expect(en.data?.initiativePublished.initiative.categories).toEqual([{ code: "COMPANY", label: company.name }]);
      expect(nl.data?.initiativePublished.initiative.categories).toEqual([{ code: "COMPANY", label: company.nameNl }]);
      expect(nl2.data?.initiativePublished.initiative.categories).toEqual([{ code: "COMPANY", label: company.nameNl }]);
    } finally {
      await Promise.all([english.dispose(), dutch.dispose(), otherDutch.dispose()]);
    }
  });

  it("a partner key's refusals (scope, rate limit) come in the caller's language over HTTP and over WebSocket", async () => {
    const coordinator = await buildCoordinator(t);
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { rateLimitPerMinute: 2 });
    const me = `{ me { roles } }`;
    const http = (language: string) => post(JSON.stringify({ query: me }), { "x-api-key": key.secret, "accept-language": language });
    const nl = await http("nl");
    const en = await http("en");
    expect([nl.status, facts(nl).reason, nl.errors?.[0]?.message]).toEqual([
      403,
      "SCOPE_REQUIRED",
      "query me: deze sleutel heeft er de scope niet voor (nodig: een login, geen API-sleutel).",
    ]);
    expect([en.status, facts(en).reason, en.errors?.[0]?.message]).toEqual([403, "SCOPE_REQUIRED", "query me: this key lacks the scope for it (needs a login, not an API key)."]);
    const limited = await http("nl");
    expect([limited.status, facts(limited).reason]).toEqual([429, "RATE_LIMITED"]);
    expect(limited.errors?.[0]?.message).toMatch(/^De limiet van 2 verzoeken per minuut is bereikt; probeer het over \d+ s opnieuw\.$/);

    const other = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { rateLimitPerMinute: 2 });
    const client = socket({ apiKey: other.secret, language: "nl" });
    try {
      const scope = await collect(client, me).next(3000);
      expect([scope.errors?.[0]?.extensions?.reason, scope.errors?.[0]?.message]).toEqual([
        "SCOPE_REQUIRED",
        "query me: deze sleutel heeft er de scope niet voor (nodig: een login, geen API-sleutel).",
      ]);
      await collect(client, `{ helpCategories { code } }`).next(3000);
      const rate = await collect(client, `{ helpCategories { code } }`).next(3000);
      expect(rate.errors?.[0]?.extensions?.reason).toBe("RATE_LIMITED");
      expect(rate.errors?.[0]?.message).toMatch(/^De limiet van 2 verzoeken per minuut is bereikt; probeer het over \d+ s opnieuw\.$/);
    } finally {
      await client.dispose();
    }
  });

  it("WEBHOOK_URL_NOT_HTTPS and WEBHOOK_UNKNOWN_EVENT_TYPE: a webhook refusal comes in Dutch with nl and in English with en, one code and reason, and no endpoint is made", async () => {
    const coordinator = await buildCoordinator(t);
    const { clientId } = await buildPartnerKey(t, coordinator);
    const registerEndpoint = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { endpoint { id } } }`;
    const asCoordinator = (input: Record<string, unknown>, language: string) =>
      post(JSON.stringify({ query: registerEndpoint, variables: { input: { clientId, description: "Buurtapp", eventTypes: ["help-request.posted"], ...input } } }), {
        authorization: `Bearer ${coordinator.token}`,
        "accept-language": language,
      });
    const endpoints = async () => (await t.app.services.db.read.select().from(t.app.services.db.tables.webhookEndpoints)).length;
    const before = await endpoints();
    const cases: [Record<string, unknown>, string, string, string, string][] = [
      [{ url: "http://example.org/zorgzaam" }, "nl", "WEBHOOK_URL_NOT_HTTPS", "input.url", "url: moet https zijn"],
      [{ url: "http://example.org/zorgzaam" }, "en", "WEBHOOK_URL_NOT_HTTPS", "input.url", "url: must be https"],
      [
        { url: "https://example.org/zorgzaam", eventTypes: ["hulpvraag.nieuw"] },
        "nl",
        "WEBHOOK_UNKNOWN_EVENT_TYPE",
        "input.eventTypes",
        'eventTypes: "hulpvraag.nieuw" is geen soort webhookgebeurtenis',
      ],
      [
        { url: "https://example.org/zorgzaam", eventTypes: ["hulpvraag.nieuw"] },
        "en",
        "WEBHOOK_UNKNOWN_EVENT_TYPE",
        "input.eventTypes",
        'eventTypes: "hulpvraag.nieuw" is not a webhook event type',
      ],
    ];
    for (const [input, language, reason, field, message] of cases) {
      const a = await asCoordinator(input, language);
      expect({ language: a.language, facts: facts(a), message: a.errors?.[0]?.message, data: a.data }).toEqual({
        language,
        facts: { code: "BAD_USER_INPUT", reason, field },
        message,
        data: null,
      });
    }
    expect(await endpoints()).toBe(before);
  });

  it("PASSWORD_WRONG and PASSWORD_TOO_WEAK on changePassword come in Dutch with nl and in English with en, one code and reason; the password stays as it was", async () => {
    const person = await buildPerson(t);
    const change = `mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }`;
    const asPerson = (o: string, n: string, language: string) =>
      post(JSON.stringify({ query: change, variables: { o, n } }), { authorization: `Bearer ${person.token}`, "accept-language": language });
    const cases: [string, string, string, string, string, string][] = [
      ["niet mijn wachtwoord", "een heel nieuw wachtwoord", "nl", "PASSWORD_WRONG", "oldPassword", "oldPassword: is niet je huidige wachtwoord"],
      ["niet mijn wachtwoord", "een heel nieuw wachtwoord", "en", "PASSWORD_WRONG", "oldPassword", "oldPassword: is not your current password"],
      ["correct horse battery", "kort", "nl", "PASSWORD_TOO_WEAK", "newPassword", "newPassword: moet minstens 10 tekens lang zijn"],
      ["correct horse battery", "kort", "en", "PASSWORD_TOO_WEAK", "newPassword", "newPassword: must be at least 10 characters"],
    ];
    for (const [o, n, language, reason, field, message] of cases) {
      const a = await asPerson(o, n, language);
      expect({ language: a.language, facts: facts(a), message: a.errors?.[0]?.message }).toEqual({ language, facts: { code: "BAD_USER_INPUT", reason, field }, message });
    }
    // Nothing changed: the old password still logs in.
    const login = await t.gql(`mutation($e: String!) { login(email: $e, password: "correct horse battery") { token } }`, { e: person.email });
    expect(login.errors).toBeUndefined();
  });

  it("PUSH_NOT_AVAILABLE: subscribing to push on a server without VAPID is refused in Dutch with nl and in English with en, one code and reason", async () => {
    const person = await buildPerson(t);
    const subscribe = `mutation($input: SubscribePushInput!) { subscribePush(input: $input) { id } }`;
    const input = { endpoint: "https://push.example.org/send/abc", keys: { p256dh: "x".repeat(87), auth: "y".repeat(22) } };
    const cases: [string, string][] = [
      ["nl", "Pushmeldingen zijn op deze server niet beschikbaar."],
      ["en", "Push notifications are not available on this server."],
    ];
    for (const [language, message] of cases) {
      const a = await post(JSON.stringify({ query: subscribe, variables: { input } }), { authorization: `Bearer ${person.token}`, "accept-language": language });
      expect({ language: a.language, code: facts(a).code, reason: facts(a).reason, message: a.errors?.[0]?.message }).toEqual({
        language,
        code: "CONFLICT",
        reason: "PUSH_NOT_AVAILABLE",
        message,
      });
    }
  });

  it("a person's notification language is for their notifications: the API answers by the request's header, else the default", async () => {
    const person = await buildPerson(t);
    const preferences = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
    const set = await post(JSON.stringify({ query: preferences, variables: { input: { language: "EN" } } }), { authorization: `Bearer ${person.token}` });
    expect(set.data?.updateNotificationPreferences).toEqual({ language: "EN" });
    const bad = `{ helpRequest(id: "hr_nothing") { id } }`;
    const asking = (language?: string) => post(JSON.stringify({ query: bad }), { authorization: `Bearer ${person.token}`, ...(language ? { "accept-language": language } : {}) });
    const none = await asking();
    const nl = await asking("nl");
    const en = await asking("en");
    expect([none.language, facts(none).reason, none.errors?.[0]?.message]).toEqual(["nl", "HELP_REQUEST_NOT_FOUND", "Er is geen hulpvraag met dit id die jij kunt zien."]);
    expect([nl.language, nl.errors?.[0]?.message]).toEqual(["nl", "Er is geen hulpvraag met dit id die jij kunt zien."]);
    expect([en.language, en.errors?.[0]?.message]).toEqual(["en", "No help request with this id is visible to you."]);
  });

  it("a request replayed by its Idempotency-Key is read again in the language of the request that replays it", async () => {
    const person = await buildPerson(t);
    const body = JSON.stringify({ query: `query Labels { enumLabels(enum: "Urgency") { value label } }` });
    const send = (language: string) =>
      fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${person.token}`, "idempotency-key": "taal-1", "accept-language": language },
        body,
      });
    const labels = async (r: Response) =>
      Object.fromEntries(((await r.json()) as { data: { enumLabels: { value: string; label: string }[] } }).data.enumLabels.map((l) => [l.value, l.label]));
    const first = await send("en");
    const again = await send("nl");
    expect([first.headers.get("content-language"), first.headers.get("idempotency-replayed")]).toEqual(["en", "false"]);
    expect([again.headers.get("content-language"), again.headers.get("idempotency-replayed")]).toEqual(["nl", "true"]);
    expect(await labels(first)).toEqual({ HIGH: "High", LOW: "Low", NORMAL: "Normal", URGENT: "Urgent" });
    expect(await labels(again)).toEqual({ HIGH: "Hoog", LOW: "Laag", NORMAL: "Normaal", URGENT: "Dringend" });
  });

  it("a cacheable public GET answer varies by Accept-Language: each language its own body and ETag", async () => {
    const get = (language: string) =>
      fetch(`${t.url}?query=${encodeURIComponent("{ helpCategories { code label } }")}`, { headers: { "apollo-require-preflight": "true", "accept-language": language } });
    const [nl, en] = await Promise.all([get("nl"), get("en")]);
    for (const r of [nl, en]) {
      expect(r.status).toBe(200);
      expect(r.headers.get("cache-control")).toMatch(/^public/);
      expect(r.headers.get("vary")).toMatch(/Accept-Language/);
    }
    expect([nl.headers.get("content-language"), en.headers.get("content-language")]).toEqual(["nl", "en"]);
    expect(nl.headers.get("etag")).not.toBe(en.headers.get("etag"));
    expect(await nl.text()).not.toBe(await en.text());
  });
});
