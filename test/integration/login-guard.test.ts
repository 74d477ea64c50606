import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { buildPerson } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const RIGHT = "correct horse battery";

/** Each run counts in its own Redis keys, so runs sharing a Redis do not throttle each other. */
const isolated = () => ({ LOGIN_THROTTLE_REDIS_PREFIX: `test-${randomBytes(6).toString("hex")}:` });

describe.each(backends())("login guard on $name", (backend) => {
  let t: TestApp;
  let perAddress: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { LOGIN_MAX_FAILURES_PER_ACCOUNT: "5", LOGIN_MAX_FAILURES_PER_ADDRESS: "10000", ...isolated() });
    perAddress = await startTestApp(backend, { LOGIN_MAX_FAILURES_PER_ACCOUNT: "1000", LOGIN_MAX_FAILURES_PER_ADDRESS: "8", ...isolated() });
  });
  afterAll(async () => {
    await t?.close();
    await perAddress?.close();
  });

  const login = (app: TestApp, email: string, password: string) => app.gql(LOGIN, { e: email, p: password });

  it("LOGIN_THROTTLED: 40 wrong passwords in a row are refused after the account's limit, the right one too, with a retry time; other accounts still log in", async () => {
    const victim = await buildPerson(t);
    const other = await buildPerson(t);
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await login(t, victim.email, `wrong password ${i}`));
    expect(answers.slice(0, 5).map(codeOf)).toEqual(Array(5).fill("UNAUTHENTICATED"));
    for (const r of answers.slice(5)) {
      expect(r.errors?.[0].extensions).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "LOGIN_THROTTLED" });
      expect((r.errors?.[0].extensions as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(0);
      expect((r.errors?.[0].extensions as { retryAfterSeconds?: number }).retryAfterSeconds).toBeLessThanOrEqual(900);
    }
    const right = await login(t, victim.email, RIGHT);
    expect(reasonOf(right)).toBe("LOGIN_THROTTLED");
    expect(right.data).toBeNull();
    // The account is counted, not the spelling of its address.
    expect(reasonOf(await login(t, victim.email.toUpperCase(), RIGHT))).toBe("LOGIN_THROTTLED");
    const fine = await login(t, other.email, RIGHT);
    expect(fine.errors).toBeUndefined();
    expect(fine.data.login.token).toEqual(expect.any(String));
  });

  it("LOGIN_THROTTLED: an unknown address is throttled exactly like an account, so throttling tells nothing either", async () => {
    const unknown = `nobody-${randomBytes(4).toString("hex")}@test.example`;
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await login(t, unknown, `wrong password ${i}`));
    expect(answers.map(codeOf)).toEqual([...Array(5).fill("UNAUTHENTICATED"), "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    expect(answers.slice(0, 5).map((r) => r.errors?.[0].message)).toEqual(Array(5).fill("Email or password is wrong."));
  });

  it("LOGIN_THROTTLED: one address trying many accounts is refused after the address's limit, even for an account it never tried", async () => {
    const accounts = await Promise.all(Array.from({ length: 9 }, () => buildPerson(perAddress)));
    for (const a of accounts.slice(0, 8)) expect(codeOf(await login(perAddress, a.email, "wrong password"))).toBe("UNAUTHENTICATED");
    const fresh = await login(perAddress, accounts[8].email, RIGHT);
    expect(fresh.errors?.[0].extensions).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "LOGIN_THROTTLED" });
  });

  it("verifies one password hash for an unknown or malformed address, as for a wrong password and a right one", async () => {
    const person = await buildPerson(t);
    const metricsUrl = t.url.replace(/\/graphql$/, "/metrics");
    const verifications = async () => {
      const text = await (await fetch(metricsUrl)).text();
      const m = /^zorgzaam_password_verifications_total (\d+)/m.exec(text);
      expect(m).not.toBeNull();
      return Number(m![1]);
    };
    const cases: [string, string, string | undefined][] = [
      [person.email, "wrong password", "UNAUTHENTICATED"],
      [`nobody-${randomBytes(4).toString("hex")}@test.example`, "wrong password", "UNAUTHENTICATED"],
      ["not an address", "wrong password", "UNAUTHENTICATED"],
      [person.email, RIGHT, undefined],
    ];
    for (const [email, password, code] of cases) {
      const before = await verifications();
      const r = await login(t, email, password);
      expect(codeOf(r)).toBe(code);
      expect(await verifications()).toBe(before + 1);
    }
  });
});
