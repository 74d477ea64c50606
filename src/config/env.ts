import { z } from "zod";

/**
 * Every setting Zorgzaam reads from the environment, parsed once at boot.
 * A bad value stops the process with a message naming the variable.
 */
/** "URGENT:4,HIGH:24,NORMAL:72,LOW:168": hours per urgency. */
const hoursPerUrgency = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const out: Record<string, number> = {};
      for (const part of text.split(",")) {
        const [key, value] = part.split(":").map((x) => x.trim());
        const n = Number(value);
        if (!["URGENT", "HIGH", "NORMAL", "LOW"].includes(key) || !(n > 0)) {
          ctx.addIssue({ code: "custom", message: `expected URGENT:h,HIGH:h,NORMAL:h,LOW:h with positive hours, got "${part}"` });
          return z.NEVER;
        }
        out[key] = n;
      }
      if (Object.keys(out).length !== 4) {
        ctx.addIssue({ code: "custom", message: "give hours for all of URGENT, HIGH, NORMAL and LOW" });
        return z.NEVER;
      }
      return out as Record<"URGENT" | "HIGH" | "NORMAL" | "LOW", number>;
    });

/**
 * One allowed browser origin: `scheme://host[:port]`, where the port may be `*` (any port, or none).
 * An origin is compared whole, as browsers send it: no path, no trailing slash.
 */
const ORIGIN = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/i;

/** Localhost on any port: what a partner's development server runs on (Vite, webpack, Next.js). */
const LOCALHOST_ORIGINS = ["http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"];

/** "https://app.example, http://localhost:*" (or `*` alone for any origin, without credentials). */
const corsOrigins = z
  .string()
  .optional()
  .transform((text, ctx): "*" | string[] | undefined => {
    if (text === undefined) return undefined;
    const entries = text
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
    if (entries.length === 1 && entries[0] === "*") return "*";
    const bad = entries.filter((x) => !ORIGIN.test(x));
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `not an origin (scheme://host[:port], no path): ${bad.join(", ")}; or * alone for any origin` });
      return z.NEVER;
    }
    return entries.map((x) => x.toLowerCase());
  });

/** The safety net's triggers, each of which a municipality can switch off (ESCALATION_TRIGGERS). */
const ESCALATION_TRIGGERS = ["OPEN_TOO_LONG", "REPEATEDLY_RELEASED", "FLAGGED", "CARE_OVERLOAD", "DIRECT_REQUEST", "MISSED_SHIFTS", "MISSED_CHECKINS"] as const;

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().min(1).default("./data/zorgzaam.sqlite"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().optional(),
  /** Start of every Redis pub/sub channel name, so deployments sharing one Redis do not hear each other (default: from the database name). */
  REDIS_CHANNEL_PREFIX: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "printable characters without spaces")
    .optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(100 * 1024),
  WS_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).default(50),
  /**
   * The longest a revoked role, revoked key or disabled app keeps working anywhere, open WebSockets
   * included (at once on the instance where it was changed); an expired token stops at its next event and
   * within a sixth of this without one. Roles and keys are cached for a third of it.
   */
  CREDENTIAL_RECHECK_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(12),
  MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  MAX_TOKENS: z.coerce.number().int().min(100).default(2000),
  MAX_QUERY_COST: z.coerce.number().int().min(0).default(50_000),
  /** Run HTTP operations compiled by graphql-jit once they have run this many times; 0: never (graphql-js only). */
  GRAPHQL_JIT_AFTER: z.coerce.number().int().min(0).max(1000).default(2),
  API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  ANONYMOUS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(0),
  STATS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * The council report's tariffs as JSON (see src/modules/stats/stats.tariffs.ts): professionalHourEur,
   * hoursPerOutcome, participationPlaceMonthEur, source. Unset: the example tariffs, labelled as examples.
   */
  STATS_TARIFFS_JSON: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** The language of messages and labels for a caller who asks for none we have (Accept-Language): nl or en. */
  DEFAULT_LANGUAGE: z.enum(["nl", "en"]).default("nl"),
  GRAPHIQL: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /**
   * Browser origins allowed to call the API (CORS) and to open WebSockets; unset: none in production,
   * localhost on any port otherwise. The server's own origin (GraphiQL) needs no entry.
   */
  CORS_ORIGINS: corsOrigins,
  /** Let allowed origins send cookies and HTTP authentication (Access-Control-Allow-Credentials); never with `*`. */
  CORS_CREDENTIALS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** How long a browser may reuse a preflight's answer (Chromium caps it at 7200). */
  CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** max-age of anonymous GET queries of the public graph (Cache-Control: public, with an ETag); 0: not cached. */
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Tracing is on only with an endpoint: OTLP/HTTP, spans sent to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Headers for that endpoint as OpenTelemetry writes them, "api-key=secret,x-tenant=city" (values URL-encoded). */
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === "") return undefined;
      const headers: Record<string, string> = {};
      for (const part of text.split(",")) {
        const at = part.indexOf("=");
        const name = part.slice(0, at).trim();
        if (at < 1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
          ctx.addIssue({ code: "custom", message: "expected name=value pairs separated by commas" });
          return z.NEVER;
        }
        try {
          headers[name] = decodeURIComponent(part.slice(at + 1).trim());
        } catch {
          ctx.addIssue({ code: "custom", message: `the value of ${name} is not URL-encoded correctly` });
          return z.NEVER;
        }
      }
      return headers;
    }),
  /** The share of new traces recorded, 0-1 (a caller's sampled flag in `traceparent` is followed). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  OTEL_SERVICE_NAME: z.string().min(1).default("zorgzaam"),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  SEED_ON_EMPTY: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  INTROSPECTION: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PUBLIC_URL: z.string().url().optional(),
  /** How long a data export's download link works, in seconds (default 15 minutes). */
  DATA_EXPORT_LINK_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  /** How long a finished data export may be downloaded, in hours; the person's next export replaces it sooner. */
  DATA_EXPORT_KEEP_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(24),
  CARE_HORIZON_WEEKS: z.coerce.number().int().min(8).max(52).default(8),
  CARE_GAP_LEAD_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 14)
    .default(48),
  CARE_INVITATION_TTL_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** Invitations a care circle may send by e-mail in any 24 hours; beyond, INVITATION_LIMIT_REACHED. */
  CARE_EMAIL_INVITATIONS_PER_DAY: z.coerce.number().int().min(1).max(1000).default(10),
  CARE_SUSTAINED_OVERLOAD_DAYS: z.coerce.number().int().min(1).default(28),
  /** Missed shifts that raise a MISSED_SHIFTS case for the circle: this many within CARE_MISSED_SHIFTS_DAYS days. */
  CARE_MISSED_SHIFTS_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  CARE_MISSED_SHIFTS_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  ESCALATE_OPEN_AFTER_HOURS: hoursPerUrgency("URGENT:4,HIGH:24,NORMAL:72,LOW:168"),
  ESCALATE_AFTER_RELEASES: z.coerce.number().int().min(1).default(3),
  ESCALATION_TRIGGERS: z
    .string()
    .default(ESCALATION_TRIGGERS.join(","))
    .transform((text, ctx) => {
      const names = text
        .split(",")
        .map((x) => x.trim().toUpperCase())
        .filter((x) => x !== "" && x !== "NONE");
      const unknown = names.filter((n) => !(ESCALATION_TRIGGERS as readonly string[]).includes(n));
      if (unknown.length) {
        ctx.addIssue({ code: "custom", message: `unknown trigger(s) ${unknown.join(", ")}; expected some of ${ESCALATION_TRIGGERS.join(", ")} (or NONE)` });
        return z.NEVER;
      }
      return names as (typeof ESCALATION_TRIGGERS)[number][];
    }),
  ACKNOWLEDGE_WITHIN_HOURS: hoursPerUrgency("URGENT:1,HIGH:4,NORMAL:24,LOW:72"),
  /** Target from a case's creation to its first contact moment with the person, per urgency. */
  FIRST_CONTACT_WITHIN_HOURS: hoursPerUrgency("URGENT:4,HIGH:24,NORMAL:72,LOW:168"),
  /** Target from a case's creation to its closing, per urgency (default 7, 30, 60 and 90 days). */
  CLOSE_WITHIN_HOURS: hoursPerUrgency("URGENT:168,HIGH:720,NORMAL:1440,LOW:2160"),
  /** Where a case's documents are stored (the disk DocumentStore); created when missing. */
  CASE_DOCUMENTS_DIR: z.string().min(1).default("data/case-documents"),
  /** The largest document a team may upload to a case. */
  CASE_DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  EVENT_LOG_RETENTION_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 90)
    .default(72),
  /** Failed logins per account, and per client address, within LOGIN_THROTTLE_WINDOW_SECONDS before logins are refused. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(900),
  /** Prefix of the login throttle's Redis keys (deployments sharing one Redis count apart). */
  LOGIN_THROTTLE_REDIS_PREFIX: z.string().min(1).max(100).default("zorgzaam:"),
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(24),
  /**
   * Outgoing e-mail: smtp://user:pass@host:port (or smtps://). Unset: in development messages are
   * written to the log; in production (and tests) e-mail is off.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  /** The sender of notification e-mails ("Name <address>"). */
  MAIL_FROM: z.string().min(3).max(300).default("Zorgzaam <noreply@zorgzaam.invalid>"),
  /** Where people read the rest after signing in (the web app); links in notifications point there. Default PUBLIC_URL. */
  APP_URL: z.string().url().optional(),
  /** At most this many notifications about new requests per volunteer per day (Europe/Amsterdam days). */
  NOTIFY_NEW_REQUESTS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(5),
  /** Attempts to send a notification before it is DEAD (a coordinator can retry it then). */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** The wait after a first failed attempt; it doubles with each further one (with jitter), up to NOTIFY_RETRY_MAX_SECONDS. */
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(86_400).default(60),
  NOTIFY_RETRY_MAX_SECONDS: z.coerce
    .number()
    .min(0.01)
    .max(7 * 86_400)
    .default(6 * 3600),
  /** How long an instance's claim on a notification it is sending holds; after it another instance may send it. */
  NOTIFY_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(120),
  /** How long the record of a sent, skipped or dead notification is kept (who was told what is personal data too). */
  NOTIFY_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(180),
  /**
   * Web Push (VAPID, RFC 8292): the key pair push messages are signed with, both or neither, base64url
   * (`npx web-push generate-vapid-keys`). Unset: a pair is made on first start and kept in the database,
   * shared by every instance. Subscriptions are bound to the public key: changing it ends them all.
   */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, "must be a base64url P-256 public key (65 bytes, 87 characters, no padding)")
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url P-256 private key (32 bytes, 43 characters, no padding)")
    .optional(),
  /**
   * Whom push services contact about our messages: `mailto:` or `https:`. Push is on only when it is set,
   * except in development (then from MAIL_FROM).
   */
  VAPID_SUBJECT: z
    .string()
    .max(300)
    .regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s/]+(\/\S*)?)$/, "must be a mailto: address or an https: URL")
    .optional(),
  /**
   * Hosts whose push endpoints may use http:, a private address or another port than 443 (a push
   * service of one's own, or a test's on loopback): "127.0.0.1, push.internal". Default none.
   */
  PUSH_ENDPOINT_ALLOW_HOSTS: z
    .string()
    .default("")
    .transform((text) =>
      text
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** How long a push service keeps a message for a browser that is offline before dropping it. */
  PUSH_TTL_SECONDS: z.coerce.number().int().min(0).max(2_419_200).default(86_400),
  /**
   * Hosts (names or literal addresses, comma-separated) webhook endpoints may reach over plain http and
   * at private or loopback addresses: for tests and development only. Everyone else needs https and a public address.
   */
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((h) => h.trim().replace(/^\[(.*)\]$/, "$1"))
        .filter((h) => h.length > 0),
    ),
  /** An endpoint whose every attempt failed for this long is disabled and its owner sees why (default 5 days). */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
    .number()
    .min(0.001)
    .max(90 * 24)
    .default(120),
  /** Attempts to deliver one message before it is DEAD (its owner can redeliver it). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** The wait after a first failed attempt; it doubles with each further one (with jitter), up to WEBHOOK_RETRY_MAX_SECONDS. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(86_400).default(5),
  WEBHOOK_RETRY_MAX_SECONDS: z.coerce
    .number()
    .min(0.01)
    .max(7 * 86_400)
    .default(10 * 3600),
  /** How long an endpoint has to answer one delivery. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(15),
  /** After a secret is rotated, how long messages are signed with the previous secret as well. */
  WEBHOOK_ROTATION_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(30 * 24)
    .default(24),
  /** How long the record of a finished delivery (and its attempts) is kept. */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(30),
  /** Events one `replayWebhooks` call reads at most (it says where to continue). */
  WEBHOOK_REPLAY_LIMIT: z.coerce.number().int().min(1).max(100_000).default(1000),
  WEBHOOK_MAX_ENDPOINTS_PER_CLIENT: z.coerce.number().int().min(1).max(100).default(10),
  /** A volunteer holding a request is reminded when its window starts within this many hours and they have not started. */
  NOTIFY_START_REMINDER_HOURS: z.coerce.number().min(0.25).max(72).default(2),
  /**
   * A VOG counts as valid for this many months after its issue date (the term organisations here apply;
   * default 36). The one term for everything: what a volunteer may see and accept, the sweep that ends
   * an expired VOG, and the reminder before it ends.
   */
  VOG_VALID_MONTHS: z.coerce.number().int().min(1).max(120).optional(),
  /** The former name of VOG_VALID_MONTHS, still read when that one is not set. */
  NOTIFY_VOG_VALID_MONTHS: z.coerce.number().int().min(1).max(120).optional(),
  /** A volunteer is reminded this many days before their VOG's term ends. */
  NOTIFY_VOG_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** When, the day before (Europe/Amsterdam wall clock, HH:MM), a member is reminded of their shift. */
  NOTIFY_SHIFT_REMINDER_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM")
    .default("18:00"),
  /** When each day (Europe/Amsterdam wall clock, HH:MM) coordinators hear how many VOGs wait for review. */
  NOTIFY_REVIEW_REMINDER_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM")
    .default("09:00"),
  /** The daily digest's time for a volunteer who chose one without a time (Europe/Amsterdam wall clock, HH:MM). */
  NOTIFY_DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM")
    .default("08:00"),
  CLOCK_CONTROL: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** The first coordinator (created at start, or by `npm run create-coordinator`); both or neither. */
  ZORGZAAM_COORDINATOR_EMAIL: z.string().email().optional(),
  ZORGZAAM_COORDINATOR_PASSWORD: z.string().min(12, "must be at least 12 characters").max(200).optional(),
  ZORGZAAM_COORDINATOR_FIRST_NAME: z.string().min(1).max(80).default("Coördinator"),
  ZORGZAAM_COORDINATOR_LAST_NAME: z.string().min(1).max(120).default("Gemeente"),
  ZORGZAAM_COORDINATOR_NEIGHBOURHOOD: z.string().min(1).default("nb_dordrecht-binnenstad"),
  /** How long a password reset link works after it was asked for. */
  PASSWORD_RESET_TTL_MINUTES: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Reset mails per e-mail address per hour (and 20 times that per client address); beyond, the answer is the same and nothing is sent. */
  PASSWORD_RESET_MAILS_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  /** Where a reset link points: the web app's page, given `?token=`. Default APP_URL (or PUBLIC_URL) + /reset-password. */
  PASSWORD_RESET_URL: z.string().url().optional(),
  /** A session's last-seen time is written at most this often (it is shown rounded to it). */
  SESSION_LAST_SEEN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * Roles that must use a second factor (TOTP), comma-separated (e.g. "PROFESSIONAL,COORDINATOR"): such a
   * person without one may, once logged in, only enrol. Empty: the second factor is optional.
   */
  REQUIRE_TOTP_FOR: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(["PROFESSIONAL", "COORDINATOR"]))),
  /** Wrong second-factor codes per account within TOTP_THROTTLE_WINDOW_SECONDS before codes are refused for a while. */
  TOTP_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  TOTP_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Days after a help request closed (DONE, CANCELLED, EXPIRED) until it is pseudonymised (docs/retention.md). */
  RETENTION_HELP_REQUEST_DAYS: z.coerce.number().int().min(30).max(36_500).default(730),
  /** Days after a care shift ended until its notes are cleared, and after a check-in or resolved load signal until it is deleted (docs/retention.md). */
  RETENTION_CARE_DAYS: z.coerce.number().int().min(30).max(36_500).default(365),
  /** Years after an escalation case closed until it is pseudonymised: the municipality's selection list term for social-domain files (docs/retention.md). */
  RETENTION_ESCALATION_YEARS: z.coerce.number().int().min(1).max(100).default(15),
  /**
   * Years the access log is kept (NEN 7513 asks for a term fitting the care record; 5 is the usual one).
   * Read by the access log's own pruning, which must keep its chain of hashes verifiable (docs/retention.md).
   */
  RETENTION_ACCESS_LOG_YEARS: z.coerce.number().int().min(1).max(100).default(5),
});

/** The CORS policy: allowed origins (`*`: any, then never with credentials), credentials, preflight caching. */
export interface CorsSettings {
  origins: "*" | readonly string[];
  credentials: boolean;
  maxAgeSeconds: number;
  /** The origin of PUBLIC_URL: the server's own pages as the outside world sees them (for WebSockets behind a proxy). */
  ownOrigin?: string;
}

export type Config = z.infer<typeof EnvSchema> & {
  introspection: boolean;
  /** Who may call from a browser on another origin (from CORS_*, with the per-environment default). */
  cors: CorsSettings;
  /** A VOG's term in months: VOG_VALID_MONTHS, else its former name NOTIFY_VOG_VALID_MONTHS, else 36. */
  vogValidMonths: number;
  /** The first coordinator's account when ZORGZAAM_COORDINATOR_EMAIL and _PASSWORD are set. */
  coordinator: { email: string; password: string; firstName: string; lastName: string; neighbourhoodId: string } | null;
};

/**
 * Every setting at its default, as the schema above gives it for an empty environment: for code that
 * builds services without a loaded config (seeds, benchmarks), so defaults are written in one place.
 */
export function defaultConfig(): Config {
  return loadConfig({});
}

/** Parses `env` (default: process.env); throws an Error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === "production" && !cfg.JWT_SECRET) {
    throw new Error("Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production");
  }
  if (cfg.NODE_ENV === "production" && cfg.CLOCK_CONTROL) {
    throw new Error("Invalid configuration:\n  CLOCK_CONTROL: moving the clock is for tests and simulations, never production");
  }
  if (Boolean(cfg.VAPID_PUBLIC_KEY) !== Boolean(cfg.VAPID_PRIVATE_KEY)) {
    throw new Error("Invalid configuration:\n  VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither");
  }
  if (cfg.CORS_ORIGINS === "*" && cfg.CORS_CREDENTIALS) {
    throw new Error("Invalid configuration:\n  CORS_CREDENTIALS: browsers refuse credentials with CORS_ORIGINS=*; list the origins instead");
  }
  if (cfg.VOG_VALID_MONTHS !== undefined && cfg.NOTIFY_VOG_VALID_MONTHS !== undefined && cfg.VOG_VALID_MONTHS !== cfg.NOTIFY_VOG_VALID_MONTHS) {
    throw new Error("Invalid configuration:\n  VOG_VALID_MONTHS, NOTIFY_VOG_VALID_MONTHS: two terms for one VOG; set VOG_VALID_MONTHS only");
  }
  if (!cfg.ZORGZAAM_COORDINATOR_EMAIL !== !cfg.ZORGZAAM_COORDINATOR_PASSWORD) {
    throw new Error("Invalid configuration:\n  ZORGZAAM_COORDINATOR_EMAIL, ZORGZAAM_COORDINATOR_PASSWORD: set both or neither");
  }
  const coordinator =
    cfg.ZORGZAAM_COORDINATOR_EMAIL && cfg.ZORGZAAM_COORDINATOR_PASSWORD
      ? {
          email: cfg.ZORGZAAM_COORDINATOR_EMAIL,
          password: cfg.ZORGZAAM_COORDINATOR_PASSWORD,
          firstName: cfg.ZORGZAAM_COORDINATOR_FIRST_NAME,
          lastName: cfg.ZORGZAAM_COORDINATOR_LAST_NAME,
          neighbourhoodId: cfg.ZORGZAAM_COORDINATOR_NEIGHBOURHOOD,
        }
      : null;
  const cors: CorsSettings = {
    origins: cfg.CORS_ORIGINS ?? (cfg.NODE_ENV === "production" ? [] : LOCALHOST_ORIGINS),
    credentials: cfg.CORS_CREDENTIALS,
    maxAgeSeconds: cfg.CORS_MAX_AGE_SECONDS,
    ownOrigin: cfg.PUBLIC_URL ? new URL(cfg.PUBLIC_URL).origin : undefined,
  };
  const vogValidMonths = cfg.VOG_VALID_MONTHS ?? cfg.NOTIFY_VOG_VALID_MONTHS ?? 36;
  return { ...cfg, introspection: cfg.INTROSPECTION ?? cfg.NODE_ENV !== "production", coordinator, cors, vogValidMonths };
}
