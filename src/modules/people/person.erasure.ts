import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import type { PersonTables } from "./person.tables.js";

/** The name an erased person's row carries: the row keeps its id so other people's records stay whole. */
export const ERASED_NAME = "[verwijderd]";

/**
 * The people module's part of an erasure: the person row is pseudonymised (names, contact details,
 * birth date, password cleared; disabled), and every way in is deleted: sessions, login challenges,
 * reset tokens, the second factor and its recovery codes, and the roles.
 */
export function personEraser(db: Database<PersonTables>, clock: Clock): PersonalDataEraser {
  return {
    section: "profile",
    async erase(personId) {
      const t = db.tables;
      return db.transaction(async (tx) => {
        const now = clock.now();
        const del = async (table: typeof t.sessions | typeof t.loginChallenges | typeof t.passwordResets | typeof t.totpSecrets | typeof t.recoveryCodes | typeof t.personRoles) =>
          (await tx.delete(table).where(eq(table.personId, personId)).returning({ personId: table.personId })).length;
        const sessions = await del(t.sessions);
        const challenges = await del(t.loginChallenges);
        const resets = await del(t.passwordResets);
        const totp = await del(t.totpSecrets);
        const codes = await del(t.recoveryCodes);
        const roles = await del(t.personRoles);
        const rows = await tx
          .update(t.people)
          .set({
            firstName: ERASED_NAME,
            lastName: null,
            email: null,
            passwordHash: null,
            phone: null,
            address: null,
            birthDate: null,
            neighbourhoodId: null,
            teamId: null,
            disabledAt: now,
            disabledById: null,
            tokensValidAfter: now,
          })
          .where(eq(t.people.id, personId))
          .returning({ id: t.people.id });
        return {
          erased: [
            erasedLine("name, e-mail, phone, address, birth date, neighbourhood and password (the row keeps only its id)", rows.length),
            erasedLine("roles", roles),
            erasedLine("login sessions", sessions),
            erasedLine("login challenges", challenges),
            erasedLine("password reset links", resets),
            erasedLine("second factor", totp),
            erasedLine("recovery codes", codes),
          ],
          restricted: [],
        };
      });
    },
  };
}
