import { z } from "zod";

/**
 * Every setting Zorgzaam reads from the environment, parsed once at boot.
 * A bad value stops the process with a message naming the variable.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().min(1).default("./data/zorgzaam.sqlite"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(8 * 3600),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(100 * 1024),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).default(50),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(12),
  MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  MAX_TOKENS: z.coerce.number().int().min(100).default(2000),
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
});

export type Config = z.infer<typeof EnvSchema> & { introspection: boolean };

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
  return { ...cfg, introspection: cfg.INTROSPECTION ?? cfg.NODE_ENV !== "production" };
}
