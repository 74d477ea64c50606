import { type Config, defaultConfig } from "../../config/env.js";
import type { EmailSettings } from "./notification.channel.js";
import type { NotificationSettings } from "./notification.service.js";

/** The parts of the config notifications read. */
export type NotificationConfig = Pick<
  Config,
  | "NODE_ENV"
  | "PORT"
  | "PUBLIC_URL"
  | "APP_URL"
  | "SMTP_URL"
  | "MAIL_FROM"
  | "NOTIFY_NEW_REQUESTS_PER_DAY"
  | "NOTIFY_MAX_ATTEMPTS"
  | "NOTIFY_RETRY_BASE_SECONDS"
  | "NOTIFY_RETRY_MAX_SECONDS"
  | "NOTIFY_LEASE_SECONDS"
  | "NOTIFY_RETENTION_DAYS"
  | "NOTIFY_START_REMINDER_HOURS"
  | "vogValidMonths"
  | "NOTIFY_VOG_REMINDER_DAYS"
  | "NOTIFY_SHIFT_REMINDER_TIME"
  | "NOTIFY_REVIEW_REMINDER_TIME"
  | "NOTIFY_DIGEST_TIME"
>;

/**
 * Notifications' settings from the parsed config; without one (seeds, benchmarks) the config schema's
 * defaults, so src/config/env.ts stays the one place a default is written. Without SMTP_URL e-mail is
 * written to the log in development and off otherwise (nothing is decided for it).
 */
export function notificationSettings(config: NotificationConfig = defaultConfig()): { settings: NotificationSettings; email: EmailSettings } {
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const leaseMs = config.NOTIFY_LEASE_SECONDS * 1000;
  return {
    settings: {
      newRequestsPerDay: config.NOTIFY_NEW_REQUESTS_PER_DAY,
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: config.NOTIFY_RETRY_BASE_SECONDS * 1000,
      retryMaxMs: Math.max(config.NOTIFY_RETRY_BASE_SECONDS, config.NOTIFY_RETRY_MAX_SECONDS) * 1000,
      leaseMs,
      retentionMs: config.NOTIFY_RETENTION_DAYS * 86_400_000,
      appUrl: config.APP_URL ?? publicUrl,
      publicUrl,
      reminders: {
        startLeadMs: config.NOTIFY_START_REMINDER_HOURS * 3_600_000,
        vogValidMonths: config.vogValidMonths,
        vogReminderDays: config.NOTIFY_VOG_REMINDER_DAYS,
        shiftReminderTime: config.NOTIFY_SHIFT_REMINDER_TIME,
        reviewReminderTime: config.NOTIFY_REVIEW_REMINDER_TIME,
        digestTime: config.NOTIFY_DIGEST_TIME,
      },
    },
    email: {
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      // Tests without an SMTP server of their own decide nothing, so no other test sees delivery rows appear.
      logWithoutSmtp: config.NODE_ENV === "development",
      // A send must end well within its claim, or another instance could claim and send it as well.
      timeoutMs: Math.min(30_000, Math.max(1000, leaseMs / 3)),
    },
  };
}
