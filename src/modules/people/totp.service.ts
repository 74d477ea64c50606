import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { verify } from "@node-rs/argon2";
import { authenticator as defaultAuthenticator } from "otplib";
import { DomainError, badInput, conflict, forbidden } from "../../shared/errors.js";
import { type Role, type Viewer, requireViewer } from "../../shared/viewer.js";
import { AccountReason } from "./account.errors.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { PersonRepository } from "./person.repository.js";
import type { LoginOrigin } from "./session.service.js";
import type { TotpRepository } from "./totp.repository.js";

/** Roles that may use a second factor. */
export const TOTP_ROLES: readonly Role[] = ["PROFESSIONAL", "COORDINATOR"];
/** How long the second step of a login may wait for its code. */
const CHALLENGE_MS = 5 * 60_000;
const RECOVERY_CODES = 10;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** What enrolling gives: the secret to type in, and the same as an otpauth:// URI for a QR code. */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/**
 * A second factor for professionals and coordinators: TOTP (RFC 6238, 30-second steps, one step of
 * drift either way) with otplib. The secret is kept encrypted (AES-256-GCM under a key derived from
 * the token secret); the last step used is stored, so a code works once, even on two instances at
 * once. Wrong codes are counted per account (rate-limiter-flexible, in Redis when there is one).
 * Recovery codes (80 random bits each) are kept as SHA-256 and each works once.
 */
export class TotpService {
  private readonly otp = defaultAuthenticator.clone({ window: 1 });

  constructor(
    private readonly repo: TotpRepository,
    private readonly people: PersonRepository,
    private readonly throttle: LoginThrottle,
    private readonly key: Buffer,
    private readonly requiredFor: readonly Role[],
    /** Told when a person's second factor changes, so their cached rights are read again. */
    private readonly changed: (personId: string) => void = () => undefined,
  ) {}

  /** Whether a person with these roles must set up a second factor before doing anything else. */
  async mustEnrol(personId: string, roles: readonly Role[]): Promise<boolean> {
    if (!roles.some((r) => this.requiredFor.includes(r))) return false;
    return !(await this.repo.find(personId))?.confirmedAt;
  }

  /** Starts enrolment (again, while unconfirmed): a new secret, confirmed by `confirm` with a first code. */
  async enrol(viewer: Viewer, password: string): Promise<TotpEnrolment> {
    const v = requireViewer(viewer, true);
    const person = await this.people.findById(v.personId);
    const roles = await this.people.rolesOf(v.personId);
    if (!person || !roles.some((r) => TOTP_ROLES.includes(r))) throw forbidden(AccountReason.TOTP_NOT_AVAILABLE, "A second factor is for professionals and coordinators.");
    // A token alone must not set up a second factor: whoever stole one could lock the owner out with theirs.
    await this.checkPassword(v.personId, person.passwordHash, password);
    const secret = this.otp.generateSecret(20);
    if (!(await this.repo.enrol(v.personId, this.seal(secret), new Date()))) {
      throw conflict(AccountReason.TOTP_ALREADY_ENABLED, "Your second factor is set up already.");
    }
    return { secret, otpauthUri: this.otp.keyuri(person.email ?? person.id, "Zorgzaam", secret) };
  }

  /** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
  async confirm(viewer: Viewer, code: string): Promise<string[]> {
    const v = requireViewer(viewer, true);
    const row = await this.repo.find(v.personId);
    if (!row) throw badInput(AccountReason.TOTP_NOT_ENROLLED, "code: start with enrolTotp", "code");
    if (row.confirmedAt) throw conflict(AccountReason.TOTP_ALREADY_ENABLED, "Your second factor is set up already.");
    await this.checkCode(v.personId, this.open(row.secret), code, false);
    const codes = Array.from({ length: RECOVERY_CODES }, () => recoveryCode());
    await this.repo.confirm(
      v.personId,
      new Date(),
      codes.map((c) => sha256(normalise(c))),
    );
    this.changed(v.personId);
    return codes;
  }

  /** For a login whose password was right: a challenge when the account has a second factor, else null. */
  async challengeFor(personId: string, origin: LoginOrigin): Promise<{ challenge: string; expiresAt: Date } | null> {
    const row = await this.repo.find(personId);
    if (!row?.confirmedAt) return null;
    const challenge = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + CHALLENGE_MS);
    await this.repo.addChallenge({ id: sha256(challenge), personId, expiresAt, usedAt: null, userAgent: origin.userAgent?.slice(0, 300) ?? null, address: origin.address ?? null });
    return { challenge, expiresAt };
  }

  /** The second step of a login: a code or a recovery code for the challenge. Returns whose login it is. */
  async complete(challenge: string, code: string): Promise<{ personId: string; origin: LoginOrigin }> {
    const invalid = () =>
      new DomainError("UNAUTHENTICATED", AccountReason.TOTP_CHALLENGE_INVALID, "This login challenge is not valid (any more): log in again with your password.");
    const id = /^[A-Za-z0-9_-]{43}$/.test(challenge) ? sha256(challenge) : null;
    const row = id ? await this.repo.findChallenge(id, new Date()) : undefined;
    if (!id || !row) throw invalid();
    const secret = await this.repo.find(row.personId);
    if (!secret?.confirmedAt) throw invalid();
    await this.checkCode(row.personId, this.open(secret.secret), code, true);
    if (!(await this.repo.useChallenge(id, new Date()))) throw invalid();
    return { personId: row.personId, origin: { userAgent: row.userAgent ?? undefined, address: row.address ?? undefined } };
  }

  close(): Promise<void> {
    return this.throttle.close();
  }

  /**
   * Checks a code: six digits against the secret, once per step (TOTP_CODE_REUSED for a replay), or
   * when `recovery` a recovery code, once. Wrong codes count towards TOTP_THROTTLED.
   */
  /** The person's current password, under the same throttle as codes (TOTP_THROTTLED). */
  private async checkPassword(personId: string, hash: string | null, password: string): Promise<void> {
    const attempt = { account: personId, address: undefined };
    const wait = await this.throttle.retryAfter(attempt);
    if (wait > 0)
      throw new DomainError("TOO_MANY_REQUESTS", AccountReason.TOTP_THROTTLED, "Too many wrong codes; try again in {wait} s.", undefined, { retryAfterSeconds: wait }, { wait });
    // A password longer than any allowed one cannot be right: refused without hashing it.
    const ok = hash !== null && typeof password === "string" && password.length <= 1000 && (await verify(hash, password).catch(() => false));
    if (ok) return;
    await this.throttle.failed(attempt);
    throw badInput(AccountReason.PASSWORD_WRONG, "password: is not your current password", "password");
  }

  private async checkCode(personId: string, secret: string, code: string, recovery: boolean): Promise<void> {
    const attempt = { account: personId, address: undefined };
    const wait = await this.throttle.retryAfter(attempt);
    if (wait > 0)
      throw new DomainError("TOO_MANY_REQUESTS", AccountReason.TOTP_THROTTLED, "Too many wrong codes; try again in {wait} s.", undefined, { retryAfterSeconds: wait }, { wait });
    const given = typeof code === "string" ? code.replace(/\s/g, "") : "";
    if (/^\d{6}$/.test(given)) {
      const delta = this.otp.checkDelta(given, secret);
      if (delta !== null) {
        const step = Math.floor(Date.now() / 30_000) + delta;
        if (!(await this.repo.useStep(personId, step))) throw badInput(AccountReason.TOTP_CODE_REUSED, "code: was used already; wait for the next one", "code");
        await this.throttle.succeeded(attempt);
        return;
      }
    } else if (recovery && given.length <= 64 && (await this.repo.useRecoveryCode(personId, sha256(normalise(given)), new Date()))) {
      await this.throttle.succeeded(attempt);
      return;
    }
    await this.throttle.failed(attempt);
    throw badInput(AccountReason.TOTP_CODE_WRONG, "code: is not right", "code");
  }

  private seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
  }

  private open(sealed: string): string {
    const [iv, tag, body] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  }
}

/** A recovery code: 16 base32 characters (80 bits) in groups of four. */
function recoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => BASE32[b & 31]).join("");
  return chars.match(/.{4}/g)!.join("-");
}

const normalise = (code: string) => code.replace(/[\s-]/g, "").toUpperCase();
