import nodemailer from "nodemailer";
import type { Logger } from "pino";

/** The e-mail transport settings an account's mails use: the same as notifications' (SMTP_URL, MAIL_FROM). */
export interface AccountMailSettings {
  smtpUrl?: string;
  from: string;
  /** Without SMTP: write the mail, link included, to the log (development only) rather than send nothing. */
  logWithoutSmtp: boolean;
  timeoutMs: number;
}

export interface AccountMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends an account's own mails (a password reset link) at once, over nodemailer with SMTP_URL. These
 * mails are not notifications: no preferences, quiet hours or unsubscribe apply, and a lost one is
 * simply asked for again.
 */
export class AccountMailer {
  private readonly transport: ReturnType<typeof nodemailer.createTransport> | null;

  constructor(
    private readonly settings: AccountMailSettings,
    private readonly log?: Logger,
  ) {
    this.transport = settings.smtpUrl
      ? nodemailer.createTransport({ url: settings.smtpUrl, connectionTimeout: settings.timeoutMs, greetingTimeout: settings.timeoutMs, socketTimeout: settings.timeoutMs })
      : null;
  }

  async send(mail: AccountMail): Promise<void> {
    if (!this.transport) {
      // Development only (logWithoutSmtp is never set in production or tests): the text holds the link, as
      // good as the password, so a developer without SMTP can still follow it. Elsewhere nothing is written.
      if (this.settings.logWithoutSmtp) this.log?.info({ mail }, "account e-mail written to the log (SMTP_URL is not set; development only)");
      return;
    }
    await this.transport.sendMail({ from: this.settings.from, to: mail.to, subject: mail.subject, text: mail.text });
  }

  close(): void {
    this.transport?.close();
  }
}
