import { authenticator } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, TEAM, buildCoordinator, buildPerson, buildProfessional } from "../support/builders.js";
import { type GqlResult, type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const COMPLETE = `mutation($c: String!, $code: String!) { completeLogin(challenge: $c, code: $code) { token me { person { id } } } }`;
const ENROL = `mutation { enrolTotp(password: "correct horse battery") { secret otpauthUri } }`;
const CONFIRM = `mutation($code: String!) { confirmTotp(code: $code) }`;
const PASSWORD = "correct horse battery";

/** The code of the current step, or of the next one (accepted now: one step of drift). */
const codeFor = (secret: string, stepsAhead = 0) => authenticator.clone({ epoch: Date.now() + stepsAhead * 30_000 }).generate(secret);
const challengeOf = (r: GqlResult) => (r.errors?.[0]?.extensions as Record<string, unknown> | undefined)?.challenge as string;

describe.each(backends())("a second factor (TOTP) on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { REQUIRE_TOTP_FOR: "PROFESSIONAL", TOTP_MAX_FAILURES: "3", LOGIN_THROTTLE_REDIS_PREFIX: `accounts-totp-${Date.now()}:` });
  });
  afterAll(async () => t?.close());

  /** A coordinator with a confirmed second factor; returns the secret and the recovery codes. */
  const enrolled = async (): Promise<{ who: Account; secret: string; codes: string[]; confirmedWith: string }> => {
    const who = await buildCoordinator(t);
    const e = await t.gql(ENROL, {}, who.token);
    expect(e.errors).toBeUndefined();
    const secret = e.data.enrolTotp.secret as string;
    const confirmedWith = codeFor(secret);
    const c = await t.gql(CONFIRM, { code: confirmedWith }, who.token);
    expect(c.errors).toBeUndefined();
    return { who, secret, codes: c.data.confirmTotp, confirmedWith };
  };
  const challenge = async (who: Account) => {
    const r = await t.gql(LOGIN, { e: who.email, p: PASSWORD });
    expect(reasonOf(r)).toBe("TOTP_REQUIRED");
    return challengeOf(r);
  };

  it("TOTP_NOT_AVAILABLE, TOTP_NOT_ENROLLED, TOTP_CODE_WRONG, TOTP_ALREADY_ENABLED: enrolment is for professionals and coordinators and is confirmed by a first code", async () => {
    const resident = await buildPerson(t);
    expect(reasonOf(await t.gql(ENROL, {}, resident.token))).toBe("TOTP_NOT_AVAILABLE");
    expect(codeOf(await t.gql(ENROL))).toBe("UNAUTHENTICATED");
    const c = await buildCoordinator(t);
    expect(reasonOf(await t.gql(CONFIRM, { code: "123456" }, c.token))).toBe("TOTP_NOT_ENROLLED");
    const e = await t.gql(ENROL, {}, c.token);
    const { secret, otpauthUri } = e.data.enrolTotp;
    expect(otpauthUri).toMatch(new RegExp(`^otpauth://totp/Zorgzaam:.*secret=${secret}.*issuer=Zorgzaam`));
    // Until confirmed, login takes no code.
    expect((await t.gql(LOGIN, { e: c.email, p: PASSWORD })).errors).toBeUndefined();
    const wrong = codeFor(secret) === "000000" ? "111111" : "000000";
    expect(reasonOf(await t.gql(CONFIRM, { code: wrong }, c.token))).toBe("TOTP_CODE_WRONG");
    expect(reasonOf(await t.gql(CONFIRM, { code: "9".repeat(100_000) }, c.token))).toBe("TOTP_CODE_WRONG");
    const ok = await t.gql(CONFIRM, { code: codeFor(secret) }, c.token);
    expect(ok.data.confirmTotp).toHaveLength(10);
    expect(new Set(ok.data.confirmTotp).size).toBe(10);
    expect(reasonOf(await t.gql(ENROL, {}, c.token))).toBe("TOTP_ALREADY_ENABLED");
  });

  it("TOTP_REQUIRED, TOTP_CODE_REUSED: login becomes two steps, and a code works once within its window", async () => {
    const { who, secret, confirmedWith } = await enrolled();
    const first = await t.gql(LOGIN, { e: who.email, p: PASSWORD });
    expect(codeOf(first)).toBe("UNAUTHENTICATED");
    expect(reasonOf(first)).toBe("TOTP_REQUIRED");
    expect(first.data?.login ?? null).toBeNull();
    // A wrong password still says only that: the second step is offered to the password's holder alone.
    expect(reasonOf(await t.gql(LOGIN, { e: who.email, p: "not the password" }))).toBe("UNAUTHENTICATED");
    // The code used to confirm is spent already.
    expect(reasonOf(await t.gql(COMPLETE, { c: challengeOf(first), code: confirmedWith }))).toBe("TOTP_CODE_REUSED");
    const next = codeFor(secret, 1);
    const done = await t.gql(COMPLETE, { c: challengeOf(first), code: next });
    expect(done.errors).toBeUndefined();
    expect(done.data.completeLogin.me.person.id).toBe(who.id);
    expect((await t.gql(`{ me { email } }`, {}, done.data.completeLogin.token)).errors).toBeUndefined();
    const replay = await t.gql(COMPLETE, { c: await challenge(who), code: next });
    expect(reasonOf(replay)).toBe("TOTP_CODE_REUSED");
  });

  it("TOTP_CHALLENGE_INVALID: a challenge works once; a made-up one not at all", async () => {
    const { who, codes } = await enrolled();
    const c = await challenge(who);
    expect((await t.gql(COMPLETE, { c, code: codes[0] })).errors).toBeUndefined();
    expect(reasonOf(await t.gql(COMPLETE, { c, code: codes[1] }))).toBe("TOTP_CHALLENGE_INVALID");
    for (const bad of ["garbage", "", "x".repeat(100_000), c.slice(0, -1) + (c.endsWith("A") ? "B" : "A")]) {
      expect(reasonOf(await t.gql(COMPLETE, { c: bad, code: codes[1] }))).toBe("TOTP_CHALLENGE_INVALID");
    }
  });

  it("recovery codes: each logs in once instead of a code, in any case and grouping", async () => {
    const { who, codes } = await enrolled();
    const r = await t.gql(COMPLETE, { c: await challenge(who), code: codes[3].toLowerCase().replace(/-/g, " ") });
    expect(r.errors).toBeUndefined();
    expect(reasonOf(await t.gql(COMPLETE, { c: await challenge(who), code: codes[3] }))).toBe("TOTP_CODE_WRONG");
    // Another person's recovery code is worth nothing here.
    const other = await enrolled();
    expect(reasonOf(await t.gql(COMPLETE, { c: await challenge(who), code: other.codes[0] }))).toBe("TOTP_CODE_WRONG");
  });

  it("TOTP_THROTTLED: after TOTP_MAX_FAILURES wrong codes even the right one is refused for a while", async () => {
    const { who, secret } = await enrolled();
    const c = await challenge(who);
    const wrong = (n: number) => String((Number(codeFor(secret, 1)) + 1 + n) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 3; i++) expect(reasonOf(await t.gql(COMPLETE, { c, code: wrong(i) }))).toBe("TOTP_CODE_WRONG");
    const r = await t.gql(COMPLETE, { c, code: codeFor(secret, 1) });
    expect(codeOf(r)).toBe("TOO_MANY_REQUESTS");
    expect(reasonOf(r)).toBe("TOTP_THROTTLED");
    expect((r.errors![0].extensions as Record<string, number>).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("TOTP_ENROLMENT_REQUIRED: a professional (REQUIRE_TOTP_FOR) without a second factor may only enrol until they do", async () => {
    const pro = await buildProfessional(t, TEAM.westSocial);
    expect((await t.gql(`{ me { roles } }`, {}, pro.token)).data.me.roles).toContain("PROFESSIONAL");
    const refused = await t.gql(`mutation { changePassword(oldPassword: "correct horse battery", newPassword: "another long secret") }`, {}, pro.token);
    expect(reasonOf(refused)).toBe("TOTP_ENROLMENT_REQUIRED");
    expect((await t.gql(`{ mySessions { id } }`, {}, pro.token)).errors).toBeUndefined();
    const e = await t.gql(ENROL, {}, pro.token);
    expect(e.errors).toBeUndefined();
    expect((await t.gql(CONFIRM, { code: codeFor(e.data.enrolTotp.secret) }, pro.token)).errors).toBeUndefined();
    const allowed = await t.gql(`mutation { changePassword(oldPassword: "correct horse battery", newPassword: "another long secret") }`, {}, pro.token);
    expect(allowed.errors).toBeUndefined();
  });
});
