import { expect } from "vitest";
import { createServer } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message a test's SMTP server accepted: as parsed, its raw source and the envelope's recipients. */
export interface Received {
  to: string[];
  raw: string;
  mail: ParsedMail;
  /** A header of the raw source, unfolded (e.g. `list-unsubscribe`). */
  header(name: string): string | undefined;
}

/**
 * A real SMTP server on loopback for one test file: it accepts what the server under test sends and
 * keeps it, parsed, for the test to read. `hold()` makes it take a message's data but never answer it
 * (the sender waits for a 250 that never comes), as a mail server does that hangs mid-exchange; a
 * held message is not delivered.
 */
export interface Mailbox {
  port: number;
  url: string;
  received: Received[];
  /** Messages whose data arrived while holding (never acknowledged). */
  held: number;
  to(address: string): Received[];
  /** Waits until `predicate` holds for the received messages, or fails after `ms`. */
  waitFor(predicate: (received: Received[]) => boolean, ms?: number, what?: string): Promise<void>;
  /** From now on, messages beyond the first `acceptFirst` received are held, not acknowledged. */
  hold(acceptFirst?: number): void;
  /** Acknowledge messages again (those held stay unanswered). */
  release(): void;
  close(): Promise<void>;
}

export async function startMailbox(port = 0): Promise<Mailbox> {
  const received: Received[] = [];
  let holdAfter: number | null = null;
  let held = 0;
  /** Messages acknowledged (counted when their data ends, before they are parsed). */
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (holdAfter !== null && accepted >= holdAfter) {
          held++;
          return; // never answered: the client waits until it gives up or dies
        }
        accepted++;
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw).then(
          (mail) => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, mail, header: (name) => headerOf(raw, name) });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.listen(port, "127.0.0.1", () => resolve());
    server.server.once("error", reject);
  });
  const actual = (server.server.address() as { port: number }).port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    received,
    get held() {
      return held;
    },
    to: (address) => received.filter((r) => r.to.includes(address.toLowerCase())),
    waitFor: async (predicate, ms = 10_000, what = "the expected mail") => {
      const deadline = Date.now() + ms;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`${what} did not arrive within ${ms} ms (received ${received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    hold: (acceptFirst = 0) => {
      holdAfter = accepted + acceptFirst;
    },
    release: () => {
      holdAfter = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of (server as unknown as { connections?: Set<{ close(): void }> }).connections ?? []) connection.close();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (an SMTP server that is down). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** Fails when any of these texts stands in a message's plain text, HTML or subject (each named in the failure). */
export function expectNoSecrets(messages: Received[], secrets: readonly string[]): void {
  for (const m of messages) {
    for (const secret of secrets) {
      expect(m.mail.text ?? "", secret).not.toContain(secret);
      expect(m.mail.html || "", secret).not.toContain(secret);
      expect(m.mail.subject ?? "", secret).not.toContain(secret);
    }
  }
}
