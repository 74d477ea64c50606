import { type IncomingHttpHeaders, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One message a receiver got: its path, the Standard Webhooks headers and the raw body. */
export interface ReceivedWebhook {
  path: string;
  headers: { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };
  body: string;
  status: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** What arrived on one path. */
  at(path: string): ReceivedWebhook[];
  /** Answers the next requests on `path` with these statuses, one each, then 204 again. */
  answer(path: string, ...statuses: number[]): void;
  /** Holds the next request on `path` open without answering (until the receiver closes): a sender that dies mid-send. */
  hold(path: string): void;
  /** Answers every request on `path` with `status` until changed. */
  always(path: string, status: number | null): void;
  /** Verifies a message with the reference implementation and returns its parsed body; throws when it does not verify. */
  verify(message: ReceivedWebhook, secret: string): { type: string; timestamp: string; data: Record<string, unknown> };
  close(): Promise<void>;
}

const header = (headers: IncomingHttpHeaders, name: string) => String(headers[name] ?? "");

/** A real HTTP receiver on loopback that records every delivery and answers as told. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queued = new Map<string, number[]>();
  const fixed = new Map<string, number>();
  const holding = new Set<string>();
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const hold = holding.delete(path);
      const status = queued.get(path)?.shift() ?? fixed.get(path) ?? 204;
      received.push({
        path,
        headers: {
          "webhook-id": header(req.headers, "webhook-id"),
          "webhook-timestamp": header(req.headers, "webhook-timestamp"),
          "webhook-signature": header(req.headers, "webhook-signature"),
        },
        body: Buffer.concat(chunks).toString("utf8"),
        status: hold ? 0 : status,
      });
      if (hold) held.push(res);
      // A redirect points at a path of its own, so a test can tell that nobody followed it.
      else res.writeHead(status, status >= 300 && status < 400 ? { location: `${path}-moved` } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    at: (path) => received.filter((r) => r.path === path),
    answer: (path, ...statuses) => queued.set(path, [...(queued.get(path) ?? []), ...statuses]),
    hold: (path) => holding.add(path),
    always: (path, status) => (status === null ? fixed.delete(path) : fixed.set(path, status)),
    verify: (message, secret) => new Webhook(secret).verify(message.body, message.headers) as { type: string; timestamp: string; data: Record<string, unknown> },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
