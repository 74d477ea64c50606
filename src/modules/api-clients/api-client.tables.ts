import type { Kit } from "../../db/kit.js";
import type { PersonTables } from "../people/person.tables.js";

/** What a key may reach; see api-client.scopes.ts for the operations behind each scope. */
export type ApiScopeName = "public:read" | "stats:read" | "requests:write" | "organisation:write";

/**
 * Partner apps (API clients), their keys, the operations a key bound to an allow-list may run, and
 * the rate-limit counts used when several instances share a PostgreSQL database without Redis.
 */
export function defineApiClientTables(k: Kit, core: PersonTables) {
  const apiClients = k.table(
    "api_clients",
    {
      id: k.text("id").primaryKey(),
      name: k.text("name").notNull(),
      description: k.text("description").notNull(),
      contactEmail: k.text("contact_email").notNull(),
      /**
       * The account the app acts as when it asks for help on behalf of its users (requests:write):
       * a person without login, so requests, history and the access log name the app.
       */
      servicePersonId: k
        .text("service_person_id")
        .notNull()
        .references(() => core.people.id),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
      disabledAt: k.time("disabled_at"),
    },
    (t) => [k.index("api_clients_created_idx").on(t.createdAt)],
  );

  const apiKeys = k.table(
    "api_keys",
    {
      id: k.text("id").primaryKey(),
      clientId: k
        .text("client_id")
        .notNull()
        .references(() => apiClients.id),
      label: k.text("label").notNull(),
      /** The first characters of the key, to recognise it; the key itself is never stored. */
      prefix: k.text("prefix").notNull(),
      /** SHA-256 of the whole key (keys are 240 random bits, so a fast hash is enough). */
      secretHash: k.text("secret_hash").notNull().unique(),
      scopes: k.json<ApiScopeName[]>("scopes").notNull(),
      rateLimitPerMinute: k.int("rate_limit_per_minute").notNull(),
      /** Only operations registered for the client may run with this key. */
      allowListOnly: k.bool("allow_list_only").notNull(),
      /** A test key: it acts only within its client's sandbox (see `apiSandboxes`). */
      sandbox: k.bool("sandbox").notNull().default(false),
      expiresAt: k.time("expires_at").notNull(),
      revokedAt: k.time("revoked_at"),
      revokedById: k.text("revoked_by_id"),
      lastUsedAt: k.time("last_used_at"),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("api_keys_client_idx").on(t.clientId, t.createdAt)],
  );

  const apiClientOperations = k.table(
    "api_client_operations",
    {
      id: k.text("id").notNull().unique(),
      clientId: k
        .text("client_id")
        .notNull()
        .references(() => apiClients.id),
      /** Hex SHA-256 of the document text, as automatic persisted queries compute it. */
      sha256: k.text("sha256").notNull(),
      operationName: k.text("operation_name"),
      operationType: k.text("operation_type").$type<"query" | "mutation" | "subscription">().notNull(),
      document: k.text("document").notNull(),
      createdById: k.text("created_by_id").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.clientId, t.sha256] }), k.index("api_client_operations_created_idx").on(t.clientId, t.createdAt)],
  );

  /**
   * A client's sandbox, made with its first sandbox key: an organisation of its own (never verified,
   * so never public) and the account its sandbox keys act as, apart from the client's own account so
   * that a test key never reaches what the production keys asked, nor the other way round.
   */
  const apiSandboxes = k.table("api_sandboxes", {
    clientId: k
      .text("client_id")
      .primaryKey()
      .references(() => apiClients.id),
    organisationId: k.text("organisation_id").notNull(),
    personId: k
      .text("person_id")
      .notNull()
      .references(() => core.people.id),
    createdById: k.text("created_by_id").notNull(),
    createdAt: k.time("created_at").notNull(),
  });

  /**
   * The one organisation a client may act for (with the scope organisation:write), bound by a
   * coordinator: the account its keys then act as, an organiser of that organisation like any other,
   * apart from the client's own account so that binding or unbinding never changes what the app asked
   * for its users. The organisation's organisers see the account among their members and can remove it.
   */
  const apiClientOrganisations = k.table("api_client_organisations", {
    clientId: k
      .text("client_id")
      .primaryKey()
      .references(() => apiClients.id),
    organisationId: k.text("organisation_id").notNull(),
    personId: k
      .text("person_id")
      .notNull()
      .references(() => core.people.id),
    boundById: k.text("bound_by_id").notNull(),
    boundAt: k.time("bound_at").notNull(),
  });

  /**
   * What each key did per Europe/Amsterdam day: requests, those answered with errors, and those refused
   * for its rate limit. Counted in memory and added every few seconds, so a crash loses at most those
   * seconds' counts (usage figures, not records anybody relies on).
   */
  const apiKeyUsage = k.table(
    "api_key_usage",
    {
      keyId: k
        .text("key_id")
        .notNull()
        .references(() => apiKeys.id),
      /** The Europe/Amsterdam date, YYYY-MM-DD. */
      day: k.text("day").notNull(),
      requests: k.int("requests").notNull(),
      errors: k.int("errors").notNull(),
      rateLimited: k.int("rate_limited").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.keyId, t.day] })],
  );

  /**
   * Request counts per bucket and minute, in the shape rate-limiter-flexible's Drizzle store reads and
   * writes (see rate-limiter.ts): used when several instances share a PostgreSQL database without Redis.
   */
  const apiRateLimits = k.table(
    "api_rate_limits",
    {
      /** Who is counted and in which minute, e.g. `key:<key id>:<minute since the epoch>`. */
      key: k.text("key").primaryKey(),
      points: k.int("points").notNull(),
      expire: k.time("expire"),
    },
    (t) => [k.index("api_rate_limits_expire_idx").on(t.expire)],
  );

  return { apiClients, apiKeys, apiSandboxes, apiClientOrganisations, apiKeyUsage, apiClientOperations, apiRateLimits };
}

export type ApiClientTables = ReturnType<typeof defineApiClientTables>;
