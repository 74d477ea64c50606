import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, buildCoordinator, buildPerson } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const CHANGE = `mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }`;
const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) }`;
const RESET = `mutation($t: String!, $n: String!) { resetPassword(token: $t, newPassword: $n) }`;
const ME = `{ me { email } }`;
const OLD = "correct horse battery";

describe.each(backends())("passwords and disabled accounts on $name", (backend) => {
  let t: TestApp;
  let box: Mailbox;
  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, {
      SMTP_URL: box.url,
      PASSWORD_RESET_TTL_MINUTES: "30",
      PUBLIC_URL: "https://zorgzaam.example",
      CLOCK_CONTROL: "true",
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
      // Throttle counts in a shared Redis start afresh for each run.
      LOGIN_THROTTLE_REDIS_PREFIX: `accounts-password-${Date.now()}:`,
    });
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  const login = async (a: Pick<Account, "email">, password = OLD) => t.gql(LOGIN, { e: a.email, p: password });
  const tokenOf = async (a: Account, password = OLD) => (await login(a, password)).data.login.token as string;
  /** Asks for a reset link and reads its token from the mail that arrives. */
  const resetToken = async (a: Account): Promise<string> => {
    const before = box.to(a.email).length;
    expect((await t.gql(REQUEST, { e: a.email })).data.requestPasswordReset).toBe(true);
    await box.waitFor(() => box.to(a.email).length > before, 10_000, "the reset mail");
    const text = box.to(a.email)[before].mail.text ?? "";
    const m = /https:\/\/zorgzaam\.example\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(text);
    expect(m).not.toBeNull();
    return m![1];
  };

  it("PASSWORD_WRONG: a password change needs the current password; other sessions end, this one stays", async () => {
    const p = await buildPerson(t, { firstName: "Wilma", lastName: "Wachtwoord" });
    const here = await tokenOf(p);
    const wrong = await t.gql(CHANGE, { o: "not my password", n: "a brand new secret phrase" }, here);
    expect(reasonOf(wrong)).toBe("PASSWORD_WRONG");
    expect(codeOf(await t.gql(CHANGE, { o: OLD, n: "a brand new secret phrase" }))).toBe("UNAUTHENTICATED");
    const r = await t.gql(CHANGE, { o: OLD, n: "a brand new secret phrase" }, here);
    expect(r.data.changePassword).toBe(1); // the session register opened
    expect((await t.gql(ME, {}, here)).errors).toBeUndefined();
    expect(reasonOf(await t.gql(ME, {}, p.token))).toBe("SESSION_ENDED");
    expect(codeOf(await login(p))).toBe("UNAUTHENTICATED");
    expect((await login(p, "a brand new secret phrase")).errors).toBeUndefined();
  });

  it("LOGIN_THROTTLED: wrong current passwords to changePassword are counted, so a stolen token cannot guess the password", async () => {
    const p = await buildPerson(t);
    for (let i = 0; i < 3; i++) expect(reasonOf(await t.gql(CHANGE, { o: `guess number ${i}`, n: "a brand new secret phrase" }, p.token))).toBe("PASSWORD_WRONG");
    const r = await t.gql(CHANGE, { o: OLD, n: "a brand new secret phrase" }, p.token);
    expect(reasonOf(r)).toBe("LOGIN_THROTTLED");
    expect((await login(p)).errors).toBeUndefined();
  });

  it("PASSWORD_TOO_WEAK: too short, huge, or made of the person's own name or address; nothing changes", async () => {
    const p = await buildPerson(t, { firstName: "Gerrit", lastName: "Zwakman" });
    const local = p.email.split("@")[0];
    for (const n of ["short", "x".repeat(201), "y".repeat(100_000), `my name is gerrit!`, `ZWAKMAN-forever-123`, `${local}-2026!`, "aaaaaaaaaaaaaaaa"]) {
      const r = await t.gql(CHANGE, { o: OLD, n }, p.token);
      expect(reasonOf(r), n.slice(0, 20)).toBe("PASSWORD_TOO_WEAK");
      expect(r.errors![0].extensions!.field).toBe("newPassword");
    }
    const hugeOld = await t.gql(CHANGE, { o: "z".repeat(100_000), n: "a brand new secret phrase" }, p.token);
    expect(reasonOf(hugeOld)).toBe("PASSWORD_WRONG");
    expect((await login(p)).errors).toBeUndefined();
  });

  it("answers a reset request the same for every address, and mails only an account's owner, promptly either way", async () => {
    const p = await buildPerson(t);
    const answers = [];
    for (const e of [p.email, "nobody-here@test.example", "not an address", "x".repeat(10_000)]) answers.push((await t.gql(REQUEST, { e })).data);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    await box.waitFor(() => box.to(p.email).length === 1, 10_000, "the reset mail");
    // The answer does not wait for SMTP, so known and unknown addresses take time of one order.
    const time = async (e: string) => {
      const start = performance.now();
      await t.gql(REQUEST, { e });
      return performance.now() - start;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      known.push(await time(p.email));
      unknown.push(await time(`nobody-${i}@test.example`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    console.info(`reset request median: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`);
    expect(median(known)).toBeLessThan(Math.max(20, median(unknown) * 5));
    expect(box.received.filter((m) => m.to.includes("nobody-0@test.example"))).toHaveLength(0);
  });

  it("sends at most PASSWORD_RESET_MAILS_PER_HOUR reset mails to one address, answering the same beyond it", async () => {
    const p = await buildPerson(t);
    for (let i = 0; i < 7; i++) expect((await t.gql(REQUEST, { e: p.email })).data.requestPasswordReset).toBe(true);
    await box.waitFor(() => box.to(p.email).length === 5, 10_000, "five reset mails");
    await new Promise((res) => setTimeout(res, 300));
    expect(box.to(p.email)).toHaveLength(5);
  });

  it("RESET_TOKEN_USED: a reset link sets the password once, ends every session, and cannot be used twice", async () => {
    const p = await buildPerson(t);
    const other = await tokenOf(p);
    const token = await resetToken(p);
    expect(reasonOf(await t.gql(RESET, { t: token, n: "short" }))).toBe("PASSWORD_TOO_WEAK");
    // A weak password does not use the link up.
    expect((await t.gql(RESET, { t: token, n: "freshly chosen secret" })).data.resetPassword).toBe(true);
    for (const old of [p.token, other]) expect(reasonOf(await t.gql(ME, {}, old))).toBe("SESSION_ENDED");
    expect((await login(p, "freshly chosen secret")).errors).toBeUndefined();
    expect(codeOf(await login(p))).toBe("UNAUTHENTICATED");
    const again = await t.gql(RESET, { t: token, n: "yet another new secret" });
    expect(reasonOf(again)).toBe("RESET_TOKEN_USED");
    expect((await login(p, "freshly chosen secret")).errors).toBeUndefined();
  });

  it("RESET_TOKEN_USED: of concurrent uses of one link exactly one sets the password", async () => {
    const p = await buildPerson(t);
    const token = await resetToken(p);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => t.gql(RESET, { t: token, n: `concurrent secret number ${i}` })));
    const won = results.map((r, i) => (r.data?.resetPassword ? i : -1)).filter((i) => i >= 0);
    expect(won).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(reasonOf(r)).toBe("RESET_TOKEN_USED");
    expect((await login(p, `concurrent secret number ${won[0]}`)).errors).toBeUndefined();
  });

  it("RESET_TOKEN_EXPIRED, RESET_TOKEN_INVALID: an old link or a made-up token sets nothing", async () => {
    const p = await buildPerson(t);
    const token = await resetToken(p);
    t.clock.advance(31 * 60_000);
    expect(reasonOf(await t.gql(RESET, { t: token, n: "too late for this one" }))).toBe("RESET_TOKEN_EXPIRED");
    for (const bad of ["garbage", "", token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), "x".repeat(100_000)]) {
      expect(reasonOf(await t.gql(RESET, { t: bad, n: "does not matter at all" }))).toBe("RESET_TOKEN_INVALID");
    }
    expect((await login(p)).errors).toBeUndefined();
  });

  it("ACCOUNT_DISABLED: a coordinator disables an account (its sessions end, login is refused) and enables it again", async () => {
    const coordinator = await buildCoordinator(t);
    const p = await buildPerson(t);
    const r = await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: p.id }, coordinator.token);
    expect(r.data.disableAccount).toBe(true);
    expect(reasonOf(await t.gql(ME, {}, p.token))).toBe("ACCOUNT_DISABLED");
    const refused = await login(p);
    expect(codeOf(refused)).toBe("UNAUTHENTICATED");
    expect(reasonOf(refused)).toBe("ACCOUNT_DISABLED");
    // Someone without the password learns nothing about the account.
    expect(reasonOf(await login(p, "a wrong password"))).toBe("UNAUTHENTICATED");
    // No reset link for a disabled account.
    const before = box.to(p.email).length;
    await t.gql(REQUEST, { e: p.email });
    await new Promise((res) => setTimeout(res, 300));
    expect(box.to(p.email)).toHaveLength(before);
    expect((await t.gql(`mutation($id: ID!) { enableAccount(personId: $id) }`, { id: p.id }, coordinator.token)).data.enableAccount).toBe(false);
    expect(reasonOf(await t.gql(ME, {}, p.token))).toBe("SESSION_ENDED");
    expect((await login(p)).errors).toBeUndefined();
  });

  it("CANNOT_DISABLE_ACCOUNT, COORDINATOR_ONLY: a volunteer disables no one; a coordinator neither themself nor another coordinator", async () => {
    const coordinator = await buildCoordinator(t);
    const colleague = await buildCoordinator(t);
    const volunteer = await buildPerson(t, { roles: ["VOLUNTEER"] });
    const p = await buildPerson(t);
    expect(reasonOf(await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: p.id }, volunteer.token))).toBe("COORDINATOR_ONLY");
    expect(codeOf(await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: p.id }))).toBe("UNAUTHENTICATED");
    expect(reasonOf(await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: coordinator.id }, coordinator.token))).toBe("CANNOT_DISABLE_ACCOUNT");
    expect(reasonOf(await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: colleague.id }, coordinator.token))).toBe("CANNOT_DISABLE_ACCOUNT");
    expect(reasonOf(await t.gql(`mutation($id: ID!) { disableAccount(personId: $id) }`, { id: "per_nobody" }, coordinator.token))).toBe("PERSON_NOT_FOUND");
    expect((await t.gql(ME, {}, p.token)).errors).toBeUndefined();
    expect((await t.gql(ME, {}, colleague.token)).errors).toBeUndefined();
  });
});
