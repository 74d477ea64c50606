/**
 * The floor of the e-mail notification benchmark, on the server core: nodemailer alone sends `count`
 * messages like the one the server sent (same from, subject, text, HTML, Message-ID form, unsubscribe
 * headers; only the recipient differs) to the benchmark's SMTP server, with the server's pool settings
 * (EmailChannel) and as many messages in flight as the server's sender keeps (NotificationSender).
 * Reports its own wall time and process.cpuUsage() over the measured messages, after a warm-up.
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import { config, result } from "../lib/proc.js";

interface Config {
  smtpUrl: string;
  count: number;
  warmup: number;
  concurrency: number;
  maxConnections: number;
  from: string;
  subject: string;
  text: string;
  html: string;
  unsubscribe: string;
  language: string;
  domain: string;
}

const cfg = config<Config>();
const NAMES = ["Anne-Marie", "Mohammed", "Sanne"];

async function main() {
  const transport = nodemailer.createTransport({
    url: cfg.smtpUrl,
    pool: true,
    maxConnections: cfg.maxConnections,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
  const send = (i: number) =>
    transport.sendMail({
      from: cfg.from,
      to: { name: NAMES[i % 3], address: `notify-${i}@bench.zorgzaam.example` },
      subject: cfg.subject,
      text: cfg.text,
      html: cfg.html,
      messageId: `<${randomUUID()}@${cfg.domain}>`,
      list: { unsubscribe: { url: cfg.unsubscribe, comment: "" } },
      headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Content-Language": cfg.language },
    });
  const all = async (n: number) => {
    let next = 0;
    const worker = async () => {
      while (next < n) await send(next++);
    };
    await Promise.all(Array.from({ length: Math.min(cfg.concurrency, n) }, worker));
  };
  await all(cfg.warmup);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await all(cfg.count);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  transport.close();
  result({ ms, cpuMs: (cpu.user + cpu.system) / 1000 });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
