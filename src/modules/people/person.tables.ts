import type { Kit } from "../../db/kit.js";
import type { Role } from "../../shared/viewer.js";
import type { PlaceTables } from "../places/place.tables.js";

/** People (accounts and those asked for on their behalf) and the roles granted to them. */
export function definePersonTables(k: Kit, deps: PlaceTables) {
  const people = k.table(
    "people",
    {
      id: k.text("id").primaryKey(),
      firstName: k.text("first_name").notNull(),
      lastName: k.text("last_name"),
      email: k.text("email").unique(),
      passwordHash: k.text("password_hash"),
      phone: k.text("phone"),
      address: k.text("address"),
      neighbourhoodId: k.text("neighbourhood_id").references(() => deps.neighbourhoods.id),
      birthDate: k.text("birth_date"),
      createdById: k.text("created_by_id"),
      teamId: k.text("team_id").references(() => deps.teams.id),
      createdAt: k.time("created_at").notNull(),
      /** Set while a coordinator has disabled the account: no login, no session. */
      disabledAt: k.time("disabled_at"),
      disabledById: k.text("disabled_by_id"),
      /** Tokens without a session id issued before this instant are refused (logout everywhere). */
      tokensValidAfter: k.time("tokens_valid_after"),
    },
    (t) => [k.index("people_created_by_idx").on(t.createdById)],
  );

  const personRoles = k.table(
    "person_roles",
    {
      personId: k
        .text("person_id")
        .notNull()
        .references(() => people.id),
      role: k.text("role").$type<Role>().notNull(),
      grantedAt: k.time("granted_at").notNull(),
      grantedById: k.text("granted_by_id"),
    },
    (t) => [k.primaryKey({ columns: [t.personId, t.role] })],
  );

  const personId = () =>
    k
      .text("person_id")
      .notNull()
      .references(() => people.id);

  /** One row per login: its id is the token's `sid`; ended sessions stay (ended_at set) until swept. */
  const sessions = k.table(
    "sessions",
    {
      id: k.text("id").primaryKey(),
      personId: personId(),
      createdAt: k.time("created_at").notNull(),
      /** When the session was last used, rounded to SESSION_LAST_SEEN_SECONDS (written at most that often). */
      lastSeenAt: k.time("last_seen_at").notNull(),
      expiresAt: k.time("expires_at").notNull(),
      endedAt: k.time("ended_at"),
      userAgent: k.text("user_agent"),
      address: k.text("address"),
    },
    (t) => [k.index("sessions_person_idx").on(t.personId)],
  );

  /** Password reset tokens, by their SHA-256 (the token itself is only in the e-mail). */
  const passwordResets = k.table(
    "password_resets",
    {
      tokenHash: k.text("token_hash").primaryKey(),
      personId: personId(),
      createdAt: k.time("created_at").notNull(),
      expiresAt: k.time("expires_at").notNull(),
      usedAt: k.time("used_at"),
    },
    (t) => [k.index("password_resets_person_idx").on(t.personId)],
  );

  /** A person's TOTP secret: enabled once confirmed by a first code; the last step used refuses a replay. */
  const totpSecrets = k.table("totp_secrets", {
    personId: personId().primaryKey(),
    secret: k.text("secret").notNull(),
    createdAt: k.time("created_at").notNull(),
    confirmedAt: k.time("confirmed_at"),
    lastStep: k.bigint("last_step"),
  });

  /** Recovery codes, hashed; each works once. */
  const recoveryCodes = k.table(
    "recovery_codes",
    {
      codeHash: k.text("code_hash").primaryKey(),
      personId: personId(),
      usedAt: k.time("used_at"),
    },
    (t) => [k.index("recovery_codes_person_idx").on(t.personId)],
  );

  /** The second step of a login: a password was right, a code is still owed. */
  const loginChallenges = k.table("login_challenges", {
    id: k.text("id").primaryKey(),
    personId: personId(),
    expiresAt: k.time("expires_at").notNull(),
    usedAt: k.time("used_at"),
    userAgent: k.text("user_agent"),
    address: k.text("address"),
  });

  return { people, personRoles, sessions, passwordResets, totpSecrets, recoveryCodes, loginChallenges };
}

export type PersonTables = ReturnType<typeof definePersonTables>;
