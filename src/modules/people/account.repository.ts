import { and, eq, isNull, isNotNull, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonTables } from "./person.tables.js";

export interface PasswordResetRow {
  tokenHash: string;
  personId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Passwords and their reset tokens. */
export class AccountRepository {
  constructor(private readonly db: Database<PersonTables>) {}

  async addReset(row: PasswordResetRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.db.tables.passwordResets).values(row);
    });
  }

  async findReset(tokenHash: string): Promise<PasswordResetRow | undefined> {
    const t = this.db.tables;
    return (await this.db.read.select().from(t.passwordResets).where(eq(t.passwordResets.tokenHash, tokenHash)))[0];
  }

  /**
   * Uses a reset token and sets the password in one transaction: only the first of concurrent uses
   * claims the token (a conditional update); the others get false and change nothing. Every other
   * open reset token of the person is spent with it.
   */
  async useReset(tokenHash: string, personId: string, passwordHash: string, at: Date): Promise<boolean> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const claimed = await tx
        .update(t.passwordResets)
        .set({ usedAt: at })
        .where(and(eq(t.passwordResets.tokenHash, tokenHash), isNull(t.passwordResets.usedAt)))
        .returning({ tokenHash: t.passwordResets.tokenHash });
      if (!claimed.length) return false;
      await tx
        .update(t.passwordResets)
        .set({ usedAt: at })
        .where(and(eq(t.passwordResets.personId, personId), isNull(t.passwordResets.usedAt)));
      await tx.update(t.people).set({ passwordHash }).where(eq(t.people.id, personId));
      return true;
    });
  }

  /**
   * Deletes what can no longer be used: sessions ended or expired before `before`, reset tokens and
   * login challenges expired before it. Returns how many rows went.
   */
  async prune(before: Date): Promise<number> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const sessions = await tx
        .delete(t.sessions)
        .where(or(lt(t.sessions.expiresAt, before), and(isNotNull(t.sessions.endedAt), lt(t.sessions.endedAt, before))))
        .returning({ id: t.sessions.id });
      const resets = await tx.delete(t.passwordResets).where(lt(t.passwordResets.expiresAt, before)).returning({ id: t.passwordResets.tokenHash });
      const challenges = await tx.delete(t.loginChallenges).where(lt(t.loginChallenges.expiresAt, before)).returning({ id: t.loginChallenges.id });
      return sessions.length + resets.length + challenges.length;
    });
  }

  /**
   * Sets a password (a change by its owner) and spends the person's open reset links with it: a link
   * mailed before the change must not set the password back to one someone else chose.
   */
  async setPassword(personId: string, passwordHash: string, at: Date): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx.update(t.people).set({ passwordHash }).where(eq(t.people.id, personId));
      await tx
        .update(t.passwordResets)
        .set({ usedAt: at })
        .where(and(eq(t.passwordResets.personId, personId), isNull(t.passwordResets.usedAt)));
    });
  }

  /** Spends every open reset link of a person (when the account is disabled), so none works then or after enabling. */
  async spendResets(personId: string, at: Date): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx
        .update(t.passwordResets)
        .set({ usedAt: at })
        .where(and(eq(t.passwordResets.personId, personId), isNull(t.passwordResets.usedAt)));
    });
  }
}
