import type { Config } from "../../config/env.js";
import type { Role } from "../../shared/viewer.js";
import type { AccountMailSettings } from "./account.mailer.js";

/** What the account features read from the config. */
export interface AccountSettings {
  resetTtlMs: number;
  /** Reset mails per e-mail address per hour. */
  resetMailsPerHour: number;
  /** The page a reset link opens; the token is appended as `?token=`. */
  resetUrl: string;
  lastSeenMs: number;
  /** Roles that must use a second factor. */
  requireTotpFor: Role[];
  totpMaxFailures: number;
  totpWindowSeconds: number;
  mail: AccountMailSettings;
}

export const defaultAccountSettings: AccountSettings = {
  resetTtlMs: 30 * 60_000,
  resetMailsPerHour: 5,
  resetUrl: "http://localhost:4000/reset-password",
  lastSeenMs: 300_000,
  requireTotpFor: [],
  totpMaxFailures: 5,
  totpWindowSeconds: 900,
  mail: { from: "Zorgzaam <noreply@zorgzaam.invalid>", logWithoutSmtp: false, timeoutMs: 10_000 },
};

/** The account settings from the parsed config (e-mail as notifications send it: SMTP_URL, MAIL_FROM). */
export function accountSettings(config: Config): AccountSettings {
  const appUrl = config.APP_URL ?? config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  return {
    resetTtlMs: config.PASSWORD_RESET_TTL_MINUTES * 60_000,
    resetMailsPerHour: config.PASSWORD_RESET_MAILS_PER_HOUR,
    resetUrl: config.PASSWORD_RESET_URL ?? `${appUrl.replace(/\/$/, "")}/reset-password`,
    lastSeenMs: config.SESSION_LAST_SEEN_SECONDS * 1000,
    requireTotpFor: config.REQUIRE_TOTP_FOR,
    totpMaxFailures: config.TOTP_MAX_FAILURES,
    totpWindowSeconds: config.TOTP_THROTTLE_WINDOW_SECONDS,
    mail: { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logWithoutSmtp: config.NODE_ENV === "development", timeoutMs: 10_000 },
  };
}
