import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, HOUR, NB, buildCoordinator, buildPerson } from "../support/builders.js";
import { type Mailbox, type Received, startMailbox } from "../support/mailbox.js";
import { type GqlResult, type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const LIMIT = 3;
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
const MINE = `{ myNotifications(first: 100) { edges { node { kind status aboutId link } } } }`;
const CREATE = `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`;
const INVITE = `mutation($c: ID!, $email: String, $firstName: String) { inviteToCareCircle(circleId: $c, relation: FRIEND, email: $email, firstName: $firstName) { code expiresAt } }`;
const JOIN = `mutation($code: String!) { joinCareCircle(code: $code) { id } }`;
const ACCEPT = `mutation($id: ID!) { acceptCareInvitation(invitationId: $id) { id } }`;
const MEMBERS = `query($c: ID!) { careCircle(id: $c) { members { person { id } role } } }`;
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token me { person { id } } } }`;

/** What the care receiver's circle holds and nobody invited may read: the circle's name, the care receiver, their address, phone and notes. */
const SECRETS = ["Zorg voor moeder na beroerte", "Riet", "Dordtse Straat", "078 123 4567", "beroerte"];

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

describe.each(backends())("care circle invitations by e-mail on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let operator: Account;

  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url, CLOCK_CONTROL: "true", APP_URL, CARE_EMAIL_INVITATIONS_PER_DAY: String(LIMIT) });
    operator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  /** A request as a browser in `language` sends it (Accept-Language). */
  async function gqlIn(language: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GqlResult> {
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": language, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as Omit<GqlResult, "status">) };
  }

  async function circle(carerName = "Henk") {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: carerName });
    const c = await t.gql(
      CREATE,
      {
        input: {
          name: "Zorg voor moeder na beroerte",
          careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk, address: "Dordtse Straat 5", phone: "078 123 4567" },
        },
      },
      carer.token,
    );
    expect(c.errors).toBeUndefined();
    return { circleId: c.data.createCareCircle.id as string, carer };
  }

  async function memberIds(circleId: string, token: string): Promise<string[]> {
    const r = await t.gql(MEMBERS, { c: circleId }, token);
    expect(r.errors).toBeUndefined();
    return r.data.careCircle.members.map((m: { person: { id: string } }) => m.person.id);
  }

  /** Runs the sweeps (deciding and sending among them) twice and waits a little: whatever else would come, has come. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 2; i++) expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, operator.token)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
  }

  function expectClean(messages: Received[]): void {
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      for (const secret of SECRETS) {
        for (const part of [m.mail.text ?? "", m.mail.html || "", m.mail.subject ?? ""]) expect(part, secret).not.toContain(secret);
      }
    }
  }

  it("an account's address: one CARE_INVITATION notification in their language naming the inviter, with a link to accept it; only they can accept it, once", async () => {
    const { circleId, carer } = await circle("Henk");
    const invitee = await buildPerson(t, { firstName: "Ineke" });
    expect((await t.gql(PREFERENCES, { input: { language: "EN" } }, invitee.token)).errors).toBeUndefined();
    // The coordinator's browser speaks Dutch; the invitee reads English, their own choice.
    const r = await gqlIn("nl", INVITE, { c: circleId, email: invitee.email.toUpperCase(), firstName: "Ineke" }, carer.token);
    expect(r.errors).toBeUndefined();
    await box.waitFor((all) => all.some((m) => m.to.includes(invitee.email)), 10_000, "the invitation notification");
    await settle();
    const mails = box.to(invitee.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].mail.subject).toBe("Henk invites you to a care circle");
    expect(mails[0].mail.text).toContain("Henk invites you to join their care circle");
    expectClean(mails);
    const link = /https:\/\/app\.zorgzaam\.example\/care-invitations\/([^\s/]+)/.exec(mails[0].mail.text ?? "");
    expect(link).not.toBeNull();
    const invitationId = decodeURIComponent(link![1]);
    const mine = await t.gql(MINE, {}, invitee.token);
    expect(mine.data.myNotifications.edges.map((e: { node: { kind: string; aboutId: string } }) => e.node)).toEqual([
      expect.objectContaining({ kind: "CARE_INVITATION", aboutId: invitationId }),
    ]);

    // Someone else with the id cannot use it: it is as unknown as a wrong code (INVITATION_UNKNOWN).
    const stranger = await buildPerson(t);
    const stolen = await t.gql(ACCEPT, { id: invitationId }, stranger.token);
    expect([codeOf(stolen), reasonOf(stolen)]).toEqual(["NOT_FOUND", "INVITATION_UNKNOWN"]);
    const anonymous = await t.gql(ACCEPT, { id: invitationId });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");

    const accepted = await t.gql(ACCEPT, { id: invitationId }, invitee.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptCareInvitation.id).toBe(circleId);
    expect(await memberIds(circleId, carer.token)).toContain(invitee.id);
    // Single use: neither the id nor the code works again (INVITATION_USED).
    const again = await t.gql(ACCEPT, { id: invitationId }, invitee.token);
    expect(reasonOf(again)).toBe("INVITATION_USED");
    const byCode = await t.gql(JOIN, { code: r.data.inviteToCareCircle.code }, stranger.token);
    expect(reasonOf(byCode)).toBe("INVITATION_USED");
    await settle();
    expect(box.to(invitee.email)).toHaveLength(1);
  });

  it("an address without an account: one e-mail in the inviter's language with a working join link and code; the same answer as for an account", async () => {
    const { circleId, carer } = await circle("Henk");
    const known = await buildPerson(t, { firstName: "Karel" });
    const address = `nieuw-${unique()}@test.example`;
    const forNew = await gqlIn("nl", INVITE, { c: circleId, email: address, firstName: "Noor" }, carer.token);
    const forKnown = await gqlIn("nl", INVITE, { c: circleId, email: known.email, firstName: "Karel" }, carer.token);
    // The same answer whether or not the address has an account: status, fields and their form.
    for (const r of [forNew, forKnown]) {
      expect(r.errors).toBeUndefined();
      expect(r.status).toBe(200);
      expect(Object.keys(r.data.inviteToCareCircle).sort()).toEqual(["code", "expiresAt"]);
      expect(r.data.inviteToCareCircle.code).toMatch(/^[A-Za-z0-9_-]{12}$/);
    }
    expect(new Date(forNew.data.inviteToCareCircle.expiresAt).getTime() - t.clock.now().getTime()).toBeGreaterThan(71 * HOUR);

    await box.waitFor((all) => all.some((m) => m.to.includes(address)), 10_000, "the invitation e-mail");
    await settle();
    const mails = box.to(address);
    expect(mails).toHaveLength(1);
    const text = mails[0].mail.text ?? "";
    expect(mails[0].mail.subject).toBe("Zorgzaam: Henk nodigt je uit voor een zorgnetwerk");
    expect(text).toContain("Hallo Noor,");
    expectClean(mails);
    const code = /code=([A-Za-z0-9_-]+)/.exec(text)![1];
    expect(text).toContain(`${APP_URL}/care-circles/join?code=${code}`);

    // The new person makes an account with that address and joins with the code from the e-mail.
    const reg = await t.gql(REGISTER, {
      input: { email: address, password: "correct horse battery", firstName: "Noor", lastName: "Nieuw", neighbourhoodId: NB.wielwijk },
    });
    expect(reg.errors).toBeUndefined();
    const joined = await t.gql(JOIN, { code }, reg.data.register.token);
    expect(joined.errors).toBeUndefined();
    expect(await memberIds(circleId, carer.token)).toContain(reg.data.register.me.person.id);
    const reuse = await t.gql(JOIN, { code }, known.token);
    expect(reasonOf(reuse)).toBe("INVITATION_USED");
  });

  it("an e-mail without an account in English when the inviter's browser asks for English", async () => {
    const { circleId, carer } = await circle("Henk");
    const address = `new-${unique()}@test.example`;
    expect((await gqlIn("en", INVITE, { c: circleId, email: address }, carer.token)).errors).toBeUndefined();
    await box.waitFor((all) => all.some((m) => m.to.includes(address)), 10_000, "the English invitation e-mail");
    const [mail] = box.to(address);
    expect(mail.mail.subject).toBe("Zorgzaam: Henk invites you to a care circle");
    expect(mail.mail.text).toContain("Hello,");
  });

  it("who may invite: a member who does not coordinate is refused (CIRCLE_COORDINATOR_ONLY), another circle's coordinator gets CARE_CIRCLE_NOT_FOUND, anonymous UNAUTHENTICATED; nobody is mailed", async () => {
    const { circleId, carer } = await circle("Henk");
    const member = await buildPerson(t, { firstName: "Mies" });
    const code = (await t.gql(INVITE, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
    expect((await t.gql(JOIN, { code }, member.token)).errors).toBeUndefined();
    const other = await circle("Gert");
    const target = await buildPerson(t, { firstName: "Doel" });
    const address = `niemand-${unique()}@test.example`;
    for (const email of [target.email, address]) {
      const byMember = await t.gql(INVITE, { c: circleId, email }, member.token);
      expect([codeOf(byMember), reasonOf(byMember)]).toEqual(["FORBIDDEN", "CIRCLE_COORDINATOR_ONLY"]);
      const byOther = await t.gql(INVITE, { c: circleId, email }, other.carer.token);
      expect([codeOf(byOther), reasonOf(byOther)]).toEqual(["NOT_FOUND", "CARE_CIRCLE_NOT_FOUND"]);
      const anonymous = await t.gql(INVITE, { c: circleId, email });
      expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    }
    await settle();
    expect(box.to(target.email)).toHaveLength(0);
    expect(box.to(address)).toHaveLength(0);
    expect((await t.gql(MINE, {}, target.token)).data.myNotifications.edges).toHaveLength(0);
  });

  it("hostile input is refused with a reason and stores nothing: a bad or huge address (INVITEE_EMAIL_INVALID), a huge or multi-line first name, a first name without an address (INVALID_INPUT)", async () => {
    const { circleId, carer } = await circle("Henk");
    const cases: [Record<string, unknown>, string, string][] = [
      [{ email: "not-an-address" }, "INVITEE_EMAIL_INVALID", "email"],
      [{ email: `${"a".repeat(300)}@test.example` }, "INVITEE_EMAIL_INVALID", "email"],
      [{ email: "x@test.example\r\nBcc: all@test.example" }, "INVITEE_EMAIL_INVALID", "email"],
      [{ email: `ok-${unique()}@test.example`, firstName: "N".repeat(5000) }, "INVALID_INPUT", "firstName"],
      [{ email: `ok-${unique()}@test.example`, firstName: "Noor\nhttps://evil.example" }, "INVALID_INPUT", "firstName"],
      [{ email: `ok-${unique()}@test.example`, firstName: "<b>Noor</b>" }, "INVALID_INPUT", "firstName"],
      [{ firstName: "Noor" }, "INVALID_INPUT", "firstName"],
    ];
    for (const [vars, reason, field] of cases) {
      const r = await t.gql(INVITE, { c: circleId, ...vars }, carer.token);
      expect([codeOf(r), reasonOf(r), r.errors?.[0]?.extensions?.field], JSON.stringify(vars).slice(0, 80)).toEqual(["BAD_USER_INPUT", reason, field]);
    }
    // The Dutch wording for a Dutch browser.
    const nl = await gqlIn("nl", INVITE, { c: circleId, email: "nope" }, carer.token);
    expect(nl.errors?.[0]?.message).toBe("email: moet een e-mailadres zijn van hoogstens 254 tekens");
    // Nothing was stored: the whole daily allowance is still there.
    for (let i = 0; i < LIMIT; i++) expect((await t.gql(INVITE, { c: circleId, email: `fine-${unique()}@test.example` }, carer.token)).errors).toBeUndefined();
    await settle();
    expect(box.received.filter((m) => m.to.some((a) => a.startsWith("ok-")))).toHaveLength(0);
  });

  it("at most CARE_EMAIL_INVITATIONS_PER_DAY e-mailed invitations per circle in 24 hours (INVITATION_LIMIT_REACHED), codes alone are not counted, other circles are not affected, and a day later it works again", async () => {
    const { circleId, carer } = await circle("Henk");
    const other = await circle("Gert");
    const known = await buildPerson(t, { firstName: "Karel" });
    const sent: string[] = [];
    for (let i = 0; i < LIMIT; i++) {
      // Accounts and unknown addresses count alike.
      const email = i === 0 ? known.email : `limiet-${unique()}@test.example`;
      expect((await t.gql(INVITE, { c: circleId, email }, carer.token)).errors).toBeUndefined();
      sent.push(email);
    }
    const beyond = `te-veel-${unique()}@test.example`;
    const refused = await gqlIn("en", INVITE, { c: circleId, email: beyond }, carer.token);
    expect([codeOf(refused), reasonOf(refused)]).toEqual(["CONFLICT", "INVITATION_LIMIT_REACHED"]);
    expect(refused.errors?.[0]?.message).toBe(`This circle sent ${LIMIT} invitations by e-mail in the last 24 hours; try again later.`);
    const refusedNl = await gqlIn("nl", INVITE, { c: circleId, email: beyond }, carer.token);
    expect(refusedNl.errors?.[0]?.message).toContain(`${LIMIT} uitnodigingen per e-mail`);
    // A code without an address is not sent by us: not counted.
    expect((await t.gql(INVITE, { c: circleId }, carer.token)).errors).toBeUndefined();
    expect((await t.gql(INVITE, { c: other.circleId, email: `ander-${unique()}@test.example` }, other.carer.token)).errors).toBeUndefined();
    await settle();
    expect(box.to(beyond)).toHaveLength(0);

    expect((await t.gql(`mutation { advanceClock(hours: 24.1) }`, {}, operator.token)).errors).toBeUndefined();
    expect((await t.gql(INVITE, { c: circleId, email: beyond }, carer.token)).errors).toBeUndefined();
    await box.waitFor((all) => all.some((m) => m.to.includes(beyond)), 10_000, "the invitation a day later");
  });

  it("the invitee's preferences hold: with CARE_INVITATION switched off by e-mail nothing is mailed; someone already in the circle is not told", async () => {
    const { circleId, carer } = await circle("Henk");
    const off = await buildPerson(t, { firstName: "Uit" });
    expect((await t.gql(PREFERENCES, { input: { switches: [{ kind: "CARE_INVITATION", channel: "EMAIL", enabled: false }] } }, off.token)).errors).toBeUndefined();
    const member = await buildPerson(t, { firstName: "Lid" });
    const code = (await t.gql(INVITE, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
    expect((await t.gql(JOIN, { code }, member.token)).errors).toBeUndefined();
    const control = await buildPerson(t, { firstName: "Aan" });
    for (const who of [off, member, control]) expect((await t.gql(INVITE, { c: circleId, email: who.email }, carer.token)).errors).toBeUndefined();
    await box.waitFor((all) => all.some((m) => m.to.includes(control.email)), 10_000, "the control's invitation");
    await settle();
    expect(box.to(off.email)).toHaveLength(0);
    expect(box.to(member.email)).toHaveLength(0);
    expect(box.to(control.email)).toHaveLength(1);
  });

  it("an expired e-mailed invitation cannot be accepted (INVITATION_EXPIRED)", async () => {
    const { circleId, carer } = await circle("Henk");
    const invitee = await buildPerson(t, { firstName: "Laat" });
    const r = await t.gql(
      `mutation($c: ID!, $email: String) { inviteToCareCircle(circleId: $c, email: $email, expiresInHours: 1) { code } }`,
      { c: circleId, email: invitee.email },
      carer.token,
    );
    expect(r.errors).toBeUndefined();
    await box.waitFor((all) => all.some((m) => m.to.includes(invitee.email)), 10_000, "the invitation notification");
    const invitationId = decodeURIComponent(/care-invitations\/([^\s/]+)/.exec(box.to(invitee.email)[0].mail.text ?? "")![1]);
    expect((await t.gql(`mutation { advanceClock(hours: 2) }`, {}, operator.token)).errors).toBeUndefined();
    const late = await t.gql(ACCEPT, { id: invitationId }, invitee.token);
    expect([codeOf(late), reasonOf(late)]).toEqual(["CONFLICT", "INVITATION_EXPIRED"]);
  });
});
