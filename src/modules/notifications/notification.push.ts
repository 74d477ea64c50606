import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import webpush from "web-push";
import type { Clock } from "../../shared/clock.js";
import { type Channel, type OutgoingMessage, PermanentFailure, type Recipient } from "./notification.channel.js";
import { endpointProblem, guardedLookup } from "./notification.push.endpoint.js";
import type { PushRepository, PushSubscriptionRow } from "./notification.push.repository.js";

/** The VAPID identity push messages are signed with (RFC 8292). */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface PushSettings {
  /** Null: push is off (production without VAPID_SUBJECT); nothing is decided for it. */
  vapid: VapidKeys | null;
  /** Hosts whose endpoints may be http:, internal or on another port (PUSH_ENDPOINT_ALLOW_HOSTS), normalised. */
  allowHosts: ReadonlySet<string>;
  /** How long a push service keeps a message for an offline browser (PUSH_TTL_SECONDS). */
  ttlSeconds: number;
  /** The longest one request to a push service may take; below the sender's lease. */
  timeoutMs: number;
}

/** What a browser's service worker receives, decrypted: enough to show a notification, nothing more. */
export interface PushPayload {
  /** The delivery's id: a service worker shows it with this tag, so a message sent again replaces itself. */
  id: string;
  title: string;
  body: string;
  url: string;
  lang: string;
}

/** How one subscription's push service answered. */
type Outcome = { kind: "ok" } | { kind: "gone" } | { kind: "refused"; why: string } | { kind: "later"; why: string };

/** The largest response body read from a push service (only for the error text). */
const RESPONSE_LIMIT = 2048;
/** A VAPID token is valid this long (RFC 8292 allows up to a day) ... */
const VAPID_TOKEN_SECONDS = 12 * 3600;
/** ... and is used for messages until this much of it is left. */
const VAPID_TOKEN_MARGIN_MS = 3600_000;

/**
 * Web Push: each message goes, encrypted (aes128gcm, RFC 8291) and signed with the VAPID key (RFC 8292),
 * to every browser the person subscribed, with a TTL and an urgency (high for URGENT matters). The
 * `web-push` library encrypts and signs; the request itself is made here so that it goes only to a
 * public push service (notification.push.endpoint.ts), with a timeout below the sender's lease.
 *
 * Per subscription: 2xx accepted; 404/410 the subscription is gone and removed; 429 and 5xx (and a
 * network failure) try again later; any other answer is a refusal for good. The message fails for a
 * retry when any subscription asks for later (the retry goes to all; the service worker's tag keeps one
 * notification on a device that got it twice), succeeds when one accepted, and fails for good otherwise.
 */
export class PushChannel implements Channel {
  readonly name = "PUSH" as const;
  readonly enabled: boolean;
  private readonly lookup: ReturnType<typeof guardedLookup>;
  /**
   * The VAPID Authorization header per push service (audience). Signing one costs about 3 ms of CPU, three
   * times the encryption; a new request told to a thousand volunteers would sign a thousand times what a
   * few push services need once. Bounded: endpoints name any public host.
   */
  private readonly tokens = new LRUCache<string, { header: string; expiresAt: number }>({ max: 1000 });

  constructor(
    private readonly repo: PushRepository,
    private readonly settings: PushSettings,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {
    this.enabled = settings.vapid !== null;
    this.lookup = guardedLookup(settings.allowHosts);
  }

  reaches(to: Recipient): boolean {
    return to.push;
  }

  async send(message: OutgoingMessage): Promise<void> {
    const vapid = this.settings.vapid;
    if (!vapid) throw new PermanentFailure("push is off (no VAPID_SUBJECT)");
    const subscriptions = await this.repo.ofPerson(message.to.personId);
    if (subscriptions.length === 0) throw new PermanentFailure("the recipient has no push subscription any more");
    const payload: PushPayload = { id: message.id, title: message.subject, body: message.summary, url: message.link, lang: message.language };
    const outcomes = await Promise.all(subscriptions.map((s) => this.sendTo(s, payload, message.urgent, vapid)));
    const ofKind = (kind: Outcome["kind"]) => subscriptions.filter((_, i) => outcomes[i].kind === kind).map((s) => s.id);
    await this.repo.remove(ofKind("gone"));
    await this.repo.succeeded(ofKind("ok"), this.clock.now());
    const whys = outcomes.flatMap((o) => ("why" in o ? [o.why] : []));
    if (outcomes.some((o) => o.kind === "later")) throw new Error(`push: ${whys.join("; ")}`);
    if (outcomes.some((o) => o.kind === "ok")) {
      if (whys.length > 0) this.log?.warn({ notification: message.id, refused: whys }, "a push service refused a message for one of several subscriptions");
      return;
    }
    throw new PermanentFailure(whys.length > 0 ? `push refused: ${whys.join("; ")}` : "every push subscription of the recipient is gone");
  }

  private async sendTo(subscription: PushSubscriptionRow, payload: PushPayload, urgent: boolean, vapid: VapidKeys): Promise<Outcome> {
    // Checked again here: the allow-list may have changed since the browser subscribed.
    const problem = endpointProblem(subscription.endpoint, this.settings.allowHosts);
    if (problem) return { kind: "refused", why: `endpoint ${problem}` };
    const request = webpush.generateRequestDetails({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, JSON.stringify(payload), {
      headers: { Authorization: this.authorization(new URL(subscription.endpoint).origin, vapid) },
      TTL: this.settings.ttlSeconds,
      urgency: urgent ? "high" : "normal",
      // The same message sent again replaces a copy the push service still holds.
      topic: createHash("sha256").update(payload.id).digest("base64url").slice(0, 32),
      contentEncoding: "aes128gcm",
    });
    try {
      const { status, body } = await this.post(request.endpoint, request.headers as Record<string, string | number>, request.body);
      if (status >= 200 && status < 300) return { kind: "ok" };
      if (status === 404 || status === 410) return { kind: "gone" };
      const why = `${new URL(subscription.endpoint).host} answered ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
      if (status === 429 || status >= 500) return { kind: "later", why };
      return { kind: "refused", why };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === "EPUSHINTERNAL") return { kind: "refused", why: e.message };
      return { kind: "later", why: `${new URL(subscription.endpoint).host}: ${e.code ?? e.message}` };
    }
  }

  /**
   * A VAPID Authorization header for `audience` (a push service's origin), signed anew when the cached one
   * has less than an hour left. Its expiry is in real time, which the push service checks, never the
   * domain clock (which tests and simulations move).
   */
  private authorization(audience: string, vapid: VapidKeys): string {
    const now = Date.now();
    const cached = this.tokens.get(audience);
    if (cached && cached.expiresAt - now > VAPID_TOKEN_MARGIN_MS) return cached.header;
    const expiresAt = Math.floor(now / 1000) + VAPID_TOKEN_SECONDS;
    const header = webpush.getVapidHeaders(audience, vapid.subject, vapid.publicKey, vapid.privateKey, "aes128gcm", expiresAt).Authorization;
    this.tokens.set(audience, { header, expiresAt: expiresAt * 1000 });
    return header;
  }

  /** One POST; resolves with the status and (the start of) the body; redirects are not followed. */
  private post(endpoint: string, headers: Record<string, string | number>, body: Buffer | null): Promise<{ status: number; body: string }> {
    const url = new URL(endpoint);
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, { method: "POST", headers, lookup: this.lookup, timeout: this.settings.timeoutMs, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < RESPONSE_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, RESPONSE_LIMIT) }));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(Object.assign(new Error("the push service did not answer in time"), { code: "ETIMEDOUT" })));
      req.on("error", reject);
      req.end(body ?? undefined);
    });
  }

  async close(): Promise<void> {}
}
