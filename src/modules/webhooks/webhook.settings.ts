import { type Config, defaultConfig } from "../../config/env.js";
import type { WebhookSettings } from "./webhook.service.js";

/** The parts of the config webhooks read. */
export type WebhookConfig = Pick<
  Config,
  | "WEBHOOK_ALLOW_HOSTS"
  | "WEBHOOK_DISABLE_AFTER_HOURS"
  | "WEBHOOK_MAX_ATTEMPTS"
  | "WEBHOOK_RETRY_BASE_SECONDS"
  | "WEBHOOK_RETRY_MAX_SECONDS"
  | "WEBHOOK_TIMEOUT_SECONDS"
  | "WEBHOOK_ROTATION_GRACE_HOURS"
  | "WEBHOOK_RETENTION_DAYS"
  | "WEBHOOK_REPLAY_LIMIT"
  | "WEBHOOK_MAX_ENDPOINTS_PER_CLIENT"
>;

/** Webhooks' settings from the parsed config; without one (seeds, benchmarks) the config schema's defaults. */
export function webhookSettings(config: WebhookConfig = defaultConfig()): WebhookSettings {
  const timeoutMs = config.WEBHOOK_TIMEOUT_SECONDS * 1000;
  return {
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_SECONDS * 1000,
    retryMaxMs: Math.max(config.WEBHOOK_RETRY_BASE_SECONDS, config.WEBHOOK_RETRY_MAX_SECONDS) * 1000,
    // A claim outlasts the longest attempt (resolution, connection and answer) with room to record it.
    leaseMs: timeoutMs * 3 + 10_000,
    timeoutMs,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_HOURS * 3600_000,
    address: { allowHosts: new Set(config.WEBHOOK_ALLOW_HOSTS.map((h) => h.toLowerCase())) },
    rotationGraceMs: config.WEBHOOK_ROTATION_GRACE_HOURS * 3600_000,
    retentionMs: config.WEBHOOK_RETENTION_DAYS * 86_400_000,
    replayLimit: config.WEBHOOK_REPLAY_LIMIT,
    maxEndpointsPerClient: config.WEBHOOK_MAX_ENDPOINTS_PER_CLIENT,
  };
}
