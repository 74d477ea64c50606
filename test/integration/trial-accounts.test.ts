import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, buildCoordinator, buildPerson } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const CHANGE = `mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }`;
const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) }`;
const RESET = `mutation($t: String!, $n: String!) { resetPassword(token: $t, newPassword: $n) }`;
const SESSIONS = `{ mySessions { id current } }`;
const OLD = "correct horse battery";

/** Accounts tried from outside: what an old reset link, another person's session id or a disabled account can still do. */
describe.each(backends())("accounts from outside on $name", (backend) => {
  let t: TestApp;
  let box: Mailbox;
  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, {
      SMTP_URL: box.url,
      PUBLIC_URL: "https://zorgzaam.example",
      LOGIN_THROTTLE_REDIS_PREFIX: `trial-accounts-${Date.now()}:`,
    });
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  const login = (a: Pick<Account, "email">, password = OLD) => t.gql(LOGIN, { e: a.email, p: password });
  const resetToken = async (a: Account): Promise<string> => {
    const before = box.to(a.email).length;
    expect((await t.gql(REQUEST, { e: a.email })).data.requestPasswordReset).toBe(true);
    await box.waitFor(() => box.to(a.email).length > before, 10_000, "the reset mail");
    const m = /token=([A-Za-z0-9_-]+)/.exec(box.to(a.email)[before].mail.text ?? "");
    expect(m).not.toBeNull();
    return m![1];
  };

  it("RESET_TOKEN_USED: a password change voids reset links mailed before it, so an old link cannot take the account back", async () => {
    const p = await buildPerson(t);
    const link = await resetToken(p);
    // The owner, worried, changes the password themself.
    expect((await t.gql(CHANGE, { o: OLD, n: "my own new secret" }, p.token)).errors).toBeUndefined();
    const late = await t.gql(RESET, { t: link, n: "the attacker's password" });
    expect(reasonOf(late)).toBe("RESET_TOKEN_USED");
    expect(codeOf(await login(p, "the attacker's password"))).toBe("UNAUTHENTICATED");
    expect((await login(p, "my own new secret")).errors).toBeUndefined();
  });

  it("RESET_TOKEN_USED: disabling an account voids its reset links; a link mailed before cannot set a password, then or after it is enabled again", async () => {
    const coordinator = await buildCoordinator(t);
    const p = await buildPerson(t);
    const link = await resetToken(p);
    expect((await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: p.id }, coordinator.token)).data.disableAccount).toBe(true);
    expect(reasonOf(await t.gql(RESET, { t: link, n: "set while disabled" }))).toBe("RESET_TOKEN_USED");
    expect((await t.gql(`mutation($id: ID!) { enableAccount(personId: $id) }`, { id: p.id }, coordinator.token)).errors).toBeUndefined();
    expect(reasonOf(await t.gql(RESET, { t: link, n: "set after enabling" }))).toBe("RESET_TOKEN_USED");
    expect((await login(p)).errors).toBeUndefined();
  });

  it("SESSION_NOT_FOUND: endSession with another person's session id, a made-up id or a huge one ends nothing", async () => {
    const victim = await buildPerson(t);
    const theirs = (await t.gql(SESSIONS, {}, victim.token)).data.mySessions[0].id as string;
    const attacker = await buildPerson(t);
    for (const id of [theirs, "ses_made_up", "x".repeat(10_000), ""]) {
      const r = await t.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id }, attacker.token);
      expect(reasonOf(r)).toBe("SESSION_NOT_FOUND");
    }
    expect(reasonOf(await t.gql(`mutation($id: ID!) { endSession(id: $id) }`, { id: theirs }))).toBe("UNAUTHENTICATED");
    expect((await t.gql(`{ me { email } }`, {}, victim.token)).data.me.email).toBe(victim.email);
  });

  it("a session's id is no node: node(id) and nodes(ids) with another person's session id show nothing", async () => {
    const victim = await buildPerson(t);
    const theirs = (await t.gql(SESSIONS, {}, victim.token)).data.mySessions[0].id as string;
    const attacker = await buildPerson(t);
    const r = await t.gql(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, { id: theirs }, attacker.token);
    expect(JSON.stringify(r.data ?? {})).not.toContain(theirs);
  });

  it("UNAUTHENTICATED: reset requests and resets for unknown, hostile or huge input answer the same and change nothing", async () => {
    for (const e of ["nobody@zorgzaam.example", "not an address", "a".repeat(100_000), "\u0000@x.nl"]) {
      const r = await t.gql(REQUEST, { e });
      expect([e.slice(0, 20), r.errors, r.data?.requestPasswordReset]).toEqual([e.slice(0, 20), undefined, true]);
    }
    const r = await t.gql(RESET, { t: "a".repeat(43), n: "x".repeat(50_000) });
    expect(reasonOf(r)).toBe("RESET_TOKEN_INVALID");
  });
});
