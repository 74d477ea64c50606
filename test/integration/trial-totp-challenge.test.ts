import { authenticator } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, buildCoordinator } from "../support/builders.js";
import { type GqlResult, type TestApp, reasonOf, startTestApp } from "../support/test-app.js";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const COMPLETE = `mutation($c: String!, $code: String!) { completeLogin(challenge: $c, code: $code) { token } }`;
const PASSWORD = "correct horse battery";
const codeFor = (secret: string, stepsAhead = 0) => authenticator.clone({ epoch: Date.now() + stepsAhead * 30_000 }).generate(secret);
const challengeOf = (r: GqlResult) => (r.errors?.[0]?.extensions as Record<string, unknown> | undefined)?.challenge as string;

/** The second step of a login tried from outside: what a challenge given before the owner acted can still do. */
describe.each(backends())("login challenges from outside on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { LOGIN_THROTTLE_REDIS_PREFIX: `trial-totp-challenge-${Date.now()}:` });
  });
  afterAll(async () => t?.close());

  const enrolled = async (): Promise<{ who: Account; secret: string; codes: string[] }> => {
    const who = await buildCoordinator(t);
    const secret = (await t.gql(`mutation { enrolTotp(password: "correct horse battery") { secret } }`, {}, who.token)).data.enrolTotp.secret as string;
    const c = await t.gql(`mutation($code: String!) { confirmTotp(code: $code) }`, { code: codeFor(secret) }, who.token);
    expect(c.errors).toBeUndefined();
    return { who, secret, codes: c.data.confirmTotp };
  };

  it("TOTP_CHALLENGE_INVALID: a challenge given for the old password is spent when its owner changes the password or logs out everywhere", async () => {
    for (const act of ["changePassword", "logoutEverywhere"] as const) {
      const { who, codes } = await enrolled();
      // Someone who learnt the password starts a login and waits for the second step.
      const first = await t.gql(LOGIN, { e: who.email, p: PASSWORD });
      expect(reasonOf(first)).toBe("TOTP_REQUIRED");
      const stolen = challengeOf(first);
      const acted =
        act === "changePassword"
          ? await t.gql(`mutation { changePassword(oldPassword: "${PASSWORD}", newPassword: "a brand new secret") }`, {}, who.token)
          : await t.gql(`mutation { logoutEverywhere }`, {}, who.token);
      expect(acted.errors).toBeUndefined();
      // The thief completes with a recovery code (as with a code from a stolen phone): refused.
      const late = await t.gql(COMPLETE, { c: stolen, code: codes[0] });
      expect([act, reasonOf(late)]).toEqual([act, "TOTP_CHALLENGE_INVALID"]);
      expect(late.data?.completeLogin ?? null).toBeNull();
    }
  });

  it("TOTP_CHALLENGE_INVALID, TOTP_CODE_WRONG: hostile challenges and codes change nothing and a real login still works", async () => {
    const { who, secret } = await enrolled();
    for (const [c, code] of [
      ["x".repeat(100_000), "123456"],
      ["", ""],
      ["A".repeat(43), "000000"],
    ]) {
      expect(reasonOf(await t.gql(COMPLETE, { c, code }))).toBe("TOTP_CHALLENGE_INVALID");
    }
    const real = challengeOf(await t.gql(LOGIN, { e: who.email, p: PASSWORD }));
    expect(reasonOf(await t.gql(COMPLETE, { c: real, code: "x".repeat(100_000) }))).toBe("TOTP_CODE_WRONG");
    const ok = await t.gql(COMPLETE, { c: real, code: codeFor(secret, 1) });
    expect(ok.errors).toBeUndefined();
    expect(typeof ok.data.completeLogin.token).toBe("string");
  });
});
