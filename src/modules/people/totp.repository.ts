import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonTables } from "./person.tables.js";

export interface TotpRow {
  personId: string;
  secret: string;
  createdAt: Date;
  confirmedAt: Date | null;
  lastStep: number | null;
}

export interface ChallengeRow {
  id: string;
  personId: string;
  expiresAt: Date;
  usedAt: Date | null;
  userAgent: string | null;
  address: string | null;
}

/** Second-factor secrets, recovery codes and the login challenges between the two steps. */
export class TotpRepository {
  constructor(private readonly db: Database<PersonTables>) {}

  async find(personId: string): Promise<TotpRow | undefined> {
    const t = this.db.tables;
    return (await this.db.read.select().from(t.totpSecrets).where(eq(t.totpSecrets.personId, personId)))[0];
  }

  /** Starts (or starts again) an enrolment that is not confirmed yet; false when one is confirmed. */
  async enrol(personId: string, secret: string, at: Date): Promise<boolean> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const existing = (await tx.select().from(t.totpSecrets).where(eq(t.totpSecrets.personId, personId)))[0];
      if (existing?.confirmedAt) return false;
      if (existing) await tx.update(t.totpSecrets).set({ secret, createdAt: at, lastStep: null }).where(eq(t.totpSecrets.personId, personId));
      else await tx.insert(t.totpSecrets).values({ personId, secret, createdAt: at, confirmedAt: null, lastStep: null });
      return true;
    });
  }

  /**
   * Records `step` as used when it is later than the last one used (a conditional update): false for a
   * code used before within its window, also when two uses race.
   */
  async useStep(personId: string, step: number): Promise<boolean> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const r = await tx
        .update(t.totpSecrets)
        .set({ lastStep: step })
        .where(and(eq(t.totpSecrets.personId, personId), or(isNull(t.totpSecrets.lastStep), lt(t.totpSecrets.lastStep, step))))
        .returning({ personId: t.totpSecrets.personId });
      return r.length > 0;
    });
  }

  /** Confirms the enrolment and replaces the recovery codes (hashes) in one transaction. */
  async confirm(personId: string, at: Date, codeHashes: string[]): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx.update(t.totpSecrets).set({ confirmedAt: at }).where(eq(t.totpSecrets.personId, personId));
      await tx.delete(t.recoveryCodes).where(eq(t.recoveryCodes.personId, personId));
      await tx.insert(t.recoveryCodes).values(codeHashes.map((codeHash) => ({ codeHash, personId, usedAt: null })));
    });
  }

  /** Uses a recovery code once: false when it is not the person's or was used. */
  async useRecoveryCode(personId: string, codeHash: string, at: Date): Promise<boolean> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const r = await tx
        .update(t.recoveryCodes)
        .set({ usedAt: at })
        .where(and(eq(t.recoveryCodes.codeHash, codeHash), eq(t.recoveryCodes.personId, personId), isNull(t.recoveryCodes.usedAt)))
        .returning({ codeHash: t.recoveryCodes.codeHash });
      return r.length > 0;
    });
  }

  async addChallenge(row: ChallengeRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.db.tables.loginChallenges).values(row);
    });
  }

  async findChallenge(id: string, now: Date): Promise<ChallengeRow | undefined> {
    const t = this.db.tables;
    const rows = await this.db.read
      .select()
      .from(t.loginChallenges)
      .where(and(eq(t.loginChallenges.id, id), isNull(t.loginChallenges.usedAt), gt(t.loginChallenges.expiresAt, now)));
    return rows[0];
  }

  /** Spends a challenge once: false when another use was first. */
  async useChallenge(id: string, at: Date): Promise<boolean> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const r = await tx
        .update(t.loginChallenges)
        .set({ usedAt: at })
        .where(and(eq(t.loginChallenges.id, id), isNull(t.loginChallenges.usedAt)))
        .returning({ id: t.loginChallenges.id });
      return r.length > 0;
    });
  }
}
