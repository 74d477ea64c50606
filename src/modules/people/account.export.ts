import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { PersonTables } from "./person.tables.js";

/**
 * The people module's account part of a data export: the person's logins (sessions and the second
 * steps of logins), password reset requests and whether a second factor is on. What only checks the
 * person is left out, because handing it over would let whoever holds the file act as them: the TOTP
 * secret (it makes codes), the hashes of recovery codes and reset tokens, and the hash that names a login
 * challenge. The file says when and from where, and how many recovery codes remain.
 */
export function accountExporter(db: Database<PersonTables>): PersonalDataExporter {
  return {
    section: "account",
    tables: ["sessions", "loginChallenges", "passwordResets", "totpSecrets", "recoveryCodes"],
    async export(personId) {
      const t = db.tables;
      const sessions = await db.read
        .select({
          id: t.sessions.id,
          createdAt: t.sessions.createdAt,
          lastSeenAt: t.sessions.lastSeenAt,
          expiresAt: t.sessions.expiresAt,
          endedAt: t.sessions.endedAt,
          userAgent: t.sessions.userAgent,
          address: t.sessions.address,
        })
        .from(t.sessions)
        .where(eq(t.sessions.personId, personId))
        .orderBy(asc(t.sessions.createdAt), asc(t.sessions.id));
      // A challenge's id is the hash of what the login answer carried: not exported.
      const challenges = await db.read
        .select({ expiresAt: t.loginChallenges.expiresAt, usedAt: t.loginChallenges.usedAt, userAgent: t.loginChallenges.userAgent, address: t.loginChallenges.address })
        .from(t.loginChallenges)
        .where(eq(t.loginChallenges.personId, personId))
        .orderBy(asc(t.loginChallenges.expiresAt));
      const resets = await db.read
        .select({ createdAt: t.passwordResets.createdAt, expiresAt: t.passwordResets.expiresAt, usedAt: t.passwordResets.usedAt })
        .from(t.passwordResets)
        .where(eq(t.passwordResets.personId, personId))
        .orderBy(asc(t.passwordResets.createdAt));
      const [totp] = await db.read
        .select({ createdAt: t.totpSecrets.createdAt, confirmedAt: t.totpSecrets.confirmedAt })
        .from(t.totpSecrets)
        .where(eq(t.totpSecrets.personId, personId));
      const codes = await db.read.select({ usedAt: t.recoveryCodes.usedAt }).from(t.recoveryCodes).where(eq(t.recoveryCodes.personId, personId));
      return {
        sessions: sessions.map((s) => ({
          id: s.id,
          createdAt: iso(s.createdAt),
          lastSeenAt: iso(s.lastSeenAt),
          expiresAt: iso(s.expiresAt),
          endedAt: iso(s.endedAt),
          userAgent: s.userAgent,
          address: s.address,
        })),
        loginChallenges: challenges.map((c) => ({ expiresAt: iso(c.expiresAt), usedAt: iso(c.usedAt), userAgent: c.userAgent, address: c.address })),
        passwordResets: resets.map((r) => ({ requestedAt: iso(r.createdAt), expiresAt: iso(r.expiresAt), usedAt: iso(r.usedAt) })),
        secondFactor: {
          enabled: Boolean(totp?.confirmedAt),
          enrolledAt: iso(totp?.createdAt),
          confirmedAt: iso(totp?.confirmedAt),
          recoveryCodesLeft: codes.filter((c) => c.usedAt === null).length,
          recoveryCodesUsed: codes.filter((c) => c.usedAt !== null).map((c) => iso(c.usedAt)),
        },
      };
    },
  };
}
