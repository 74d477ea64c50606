import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { Clock } from "../../shared/clock.js";
import { DomainError, SharedReason, badInput, forbidden, notFound } from "../../shared/errors.js";
import { email as emailSchema } from "../../shared/validation.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { AccountReason } from "./account.errors.js";
import type { AccountMailer } from "./account.mailer.js";
import type { AccountRepository } from "./account.repository.js";
import type { AccountSettings } from "./account.settings.js";
import type { LoginThrottle } from "./login-throttle.js";
import { checkPassword } from "./password.rules.js";
import { PersonReason } from "./person.errors.js";
import type { PersonRepository } from "./person.repository.js";
import type { SessionRepository } from "./session.repository.js";
import type { SessionService } from "./session.service.js";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
/** A reset token: 32 random bytes. Anything else is refused before the database is asked. */
const RESET_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * An account's password (change, reset by e-mail) and a coordinator's switch to disable it. Every
 * change that could mean someone else knew the password ends the sessions it should.
 */
export class AccountService {
  /** Password reset mails sent (or failed) in the background, so a test or shutdown can wait for them. */
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly people: PersonRepository,
    private readonly repo: AccountRepository,
    private readonly sessionRows: SessionRepository,
    private readonly sessions: SessionService,
    private readonly mailer: AccountMailer,
    private readonly clock: Clock,
    private readonly settings: AccountSettings,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
    /** Reset mails per address (and per client address) within a window: beyond it, the same answer and no mail. */
    private readonly resetThrottle: LoginThrottle | null = null,
    /** Wrong current passwords given to changePassword, counted as failed logins are: a stolen token is no way to guess the password. */
    private readonly changeThrottle: LoginThrottle | null = null,
  ) {}

  /** Changes the viewer's password: the old one is required; every other session ends, this one stays, and open reset links are spent. */
  async changePassword(viewer: Viewer, oldPassword: string, newPassword: string): Promise<number> {
    const v = requireViewer(viewer);
    const person = await this.people.findById(v.personId);
    if (!person?.passwordHash) throw notFound(PersonReason.PERSON_NOT_FOUND, "This account has no password.");
    const attempt = { account: v.personId, address: undefined };
    const wait = (await this.changeThrottle?.retryAfter(attempt)) ?? 0;
    if (wait > 0) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        PersonReason.LOGIN_THROTTLED,
        "Too many wrong passwords; try again in {wait} s.",
        undefined,
        { retryAfterSeconds: wait },
        { wait },
      );
    }
    // A password longer than any allowed one cannot be right: refused without hashing it.
    const ok = oldPassword.length <= 1000 && (await verify(person.passwordHash, oldPassword).catch(() => false));
    if (!ok) {
      await this.changeThrottle?.failed(attempt);
      throw badInput(AccountReason.PASSWORD_WRONG, "oldPassword: is not your current password", "oldPassword");
    }
    checkPassword(newPassword, person);
    if (newPassword === oldPassword) throw badInput(AccountReason.PASSWORD_TOO_WEAK, "newPassword: must differ from the old one", "newPassword");
    await this.repo.setPassword(v.personId, await hash(newPassword), this.clock.now());
    return this.sessions.endAll(v.personId, v.sessionId);
  }

  /**
   * Mails a single-use reset link when an account has this address. The answer is the same whether
   * or not one does, and so is the work before it: the mail goes out after the answer, so the time
   * of the SMTP exchange does not tell who has an account. A disabled account gets no link.
   */
  async requestPasswordReset(address: string, clientAddress?: string): Promise<void> {
    const token = randomBytes(32).toString("base64url");
    const tokenHash = sha256(token);
    const parsed = emailSchema.safeParse(address);
    // Nobody fills someone's mailbox with links: past the limit, the same answer and nothing sent.
    const attempt = { account: parsed.success ? parsed.data : "-", address: clientAddress };
    if (this.resetThrottle) {
      if ((await this.resetThrottle.retryAfter(attempt)) > 0) return;
      await this.resetThrottle.failed(attempt);
    }
    const person = parsed.success ? await this.people.findByEmail(parsed.data) : undefined;
    if (!person?.email || person.disabledAt) return;
    const now = this.clock.now();
    const link = `${this.settings.resetUrl}?token=${token}`;
    const minutes = Math.round(this.settings.resetTtlMs / 60_000);
    const email = person.email;
    // The token is stored after the answer too: a write only for known addresses would make them answer
    // measurably slower (about 5 ms on SQLite), which tells who has an account.
    const sent = (async () => {
      // SQLite writes synchronously: wait a turn of the event loop so the answer is on its way first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.repo.addReset({ tokenHash, personId: person.id, createdAt: now, expiresAt: new Date(now.getTime() + this.settings.resetTtlMs), usedAt: null });
      await this.mailer.send({
        to: email,
        subject: "Zorgzaam: nieuw wachtwoord instellen / set a new password",
        text:
          `Hallo ${person.firstName},\n\nMet deze link stel je een nieuw wachtwoord in (${minutes} minuten geldig, één keer te gebruiken):\n${link}\n\n` +
          `Use this link to set a new password (valid for ${minutes} minutes, once):\n${link}\n\nDid you not ask for this? Then ignore this mail: your password stays as it is.\n`,
      });
    })()
      .catch((err) => this.reportError(err, "sending a password reset mail failed"))
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }

  /** Sets a new password with a reset token: once only (even when used twice at once), before it expires; every session ends. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const row = RESET_TOKEN.test(token) ? await this.repo.findReset(sha256(token)) : undefined;
    if (!row) throw badInput(AccountReason.RESET_TOKEN_INVALID, "token: is not a password reset token of ours", "token");
    if (row.usedAt) throw badInput(AccountReason.RESET_TOKEN_USED, "token: this link has been used already; ask for a new one", "token");
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) throw badInput(AccountReason.RESET_TOKEN_EXPIRED, "token: this link has expired; ask for a new one", "token");
    const person = await this.people.findById(row.personId);
    if (!person) throw badInput(AccountReason.RESET_TOKEN_INVALID, "token: is not a password reset token of ours", "token");
    checkPassword(newPassword, person);
    const passwordHash = await hash(newPassword);
    if (!(await this.repo.useReset(row.tokenHash, row.personId, passwordHash, this.clock.now()))) {
      throw badInput(AccountReason.RESET_TOKEN_USED, "token: this link has been used already; ask for a new one", "token");
    }
    await this.sessions.endAll(row.personId);
  }

  /**
   * A coordinator disables (or enables again) an account: disabling ends every session and refuses
   * logins with ACCOUNT_DISABLED. A coordinator cannot disable themself nor another coordinator (take
   * the role away first: two visible steps, and no coordinator locks out the rest in one).
   */
  async setDisabled(viewer: Viewer, personId: string, disabled: boolean): Promise<boolean> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may do this.");
    const person = await this.people.findById(personId);
    if (!person?.email) throw notFound(PersonReason.PERSON_NOT_FOUND, "No account has this id.");
    if (disabled) {
      if (personId === v.personId) throw forbidden(AccountReason.CANNOT_DISABLE_ACCOUNT, "You cannot disable your own account.");
      if ((await this.people.rolesOf(personId)).includes("COORDINATOR")) {
        throw forbidden(AccountReason.CANNOT_DISABLE_ACCOUNT, "A coordinator's account cannot be disabled: take the COORDINATOR role away first.");
      }
    }
    await this.sessionRows.setDisabled(personId, disabled ? this.clock.now() : null, disabled ? v.personId : null);
    if (disabled) {
      // A reset link mailed before must not open the account again, now or once it is enabled.
      await this.repo.spendResets(personId, this.clock.now());
      await this.sessions.endAll(personId);
    }
    return disabled;
  }

  /**
   * Forgets sessions, reset tokens and login challenges that ended or expired over a day ago (a day,
   * so a refused token still says SESSION_ENDED rather than nothing for a while). Sessions use real
   * time, as tokens do.
   */
  prune(): Promise<number> {
    return this.repo.prune(new Date(Date.now() - 86_400_000));
  }

  /** Waits for reset mails still being sent. */
  async settled(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  async close(): Promise<void> {
    await this.settled();
    await this.resetThrottle?.close();
    await this.changeThrottle?.close();
    this.mailer.close();
  }
}
