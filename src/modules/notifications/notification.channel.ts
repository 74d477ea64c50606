import nodemailer from "nodemailer";
import type { Logger } from "pino";
import type { Language, NotificationChannel } from "./notification.kinds.js";

/** Whom a message goes to, with every address a channel might use. */
export interface Recipient {
  personId: string;
  firstName: string;
  email: string | null;
  /** Whether the person has a browser subscribed to Web Push (the push channel looks up which when it sends). */
  push: boolean;
}

/** The recipient of a person as the repository reads them. */
export function recipientOf(person: { id: string; firstName: string; email: string | null; push: boolean }): Recipient {
  return { personId: person.id, firstName: person.firstName, email: person.email, push: person.push };
}

/** One message for one person on one channel, rendered in their language. */
export interface OutgoingMessage {
  /** The delivery's id: the same message keeps it across attempts (an e-mail's Message-ID). */
  id: string;
  to: Recipient;
  language: Language;
  subject: string;
  text: string;
  html: string;
  /** The one-click link that switches this kind off for the recipient (RFC 8058 for e-mail). */
  unsubscribeUrl: string;
  /** What happened in a sentence or two, without greeting or footer (a push message's body). */
  summary: string;
  /** Where the person reads the rest after signing in. */
  link: string;
  /** About an URGENT matter (a push service delivers it at once, even to a device saving power). */
  urgent: boolean;
}

/**
 * A way to reach people: e-mail, Web Push (notification.push.ts); an SMS gateway would be another
 * implementation of this interface and a value of `NotificationChannel`, nothing else changes.
 */
export interface Channel {
  readonly name: NotificationChannel;
  /** Whether anything goes out on this channel (off: nothing is decided for it). */
  readonly enabled: boolean;
  /** Whether the channel has an address for this person. */
  reaches(to: Recipient): boolean;
  /**
   * Resolves once the channel has accepted the message; rejects otherwise, with a `PermanentFailure`
   * when trying again cannot help (an address the server refuses for good).
   */
  send(message: OutgoingMessage): Promise<void>;
  close(): Promise<void>;
}

/** A failure that retrying will not cure: the delivery goes DEAD at once. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentFailure";
  }
}

export interface EmailSettings {
  /** smtp:// or smtps:// with credentials; unset: e-mail is written to the log (development) or off. */
  smtpUrl?: string;
  from: string;
  /** Without SMTP: write messages to the log (development, tests) rather than switch e-mail off (production). */
  logWithoutSmtp: boolean;
  /** The longest one SMTP step (connecting, the greeting, a reply) may take; below the sender's lease. */
  timeoutMs: number;
}

/** SMTP reply codes that say the address itself is refused: trying again cannot help. */
const REFUSED_FOR_GOOD = new Set([501, 550, 551, 553]);

/**
 * E-mail over SMTP with nodemailer (a small pool of connections). Each message has a plain-text and an
 * HTML part and carries RFC 8058 one-click unsubscribe headers; its Message-ID is its delivery's id,
 * so a message sent again after a crash in the middle of an SMTP exchange is recognisable as the same.
 * Timeouts stay well below the sender's lease, so a send never outlives its claim.
 */
export class EmailChannel implements Channel {
  readonly name = "EMAIL" as const;
  readonly enabled: boolean;
  private readonly transport: ReturnType<typeof nodemailer.createTransport> | null;
  private readonly domain: string;

  constructor(
    private readonly settings: EmailSettings,
    private readonly log?: Logger,
  ) {
    this.transport = settings.smtpUrl
      ? nodemailer.createTransport({
          url: settings.smtpUrl,
          pool: true,
          maxConnections: 4,
          connectionTimeout: settings.timeoutMs,
          greetingTimeout: settings.timeoutMs,
          socketTimeout: settings.timeoutMs,
        })
      : null;
    this.enabled = this.transport !== null || settings.logWithoutSmtp;
    this.domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? "zorgzaam.invalid";
  }

  reaches(to: Recipient): boolean {
    return Boolean(to.email);
  }

  async send(message: OutgoingMessage): Promise<void> {
    const mail = {
      from: this.settings.from,
      to: { name: message.to.firstName, address: message.to.email! },
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: `<${message.id}@${this.domain}>`,
      list: { unsubscribe: { url: message.unsubscribeUrl, comment: "" } },
      headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Content-Language": message.language },
    };
    if (!this.transport) {
      this.log?.info({ notification: { id: message.id, to: message.to.email, subject: message.subject, text: message.text } }, "e-mail written to the log (SMTP_URL is not set)");
      return;
    }
    try {
      await this.transport.sendMail(mail);
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      if (code !== undefined && REFUSED_FOR_GOOD.has(code)) throw new PermanentFailure(`SMTP refused the address (${code}): ${(err as Error).message}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}
