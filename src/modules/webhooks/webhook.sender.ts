import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { Clock } from "../../shared/clock.js";
import { newId } from "../../shared/ids.js";
import type { AddressPolicy } from "./webhook.address.js";
import type { DeliveryRow, EndpointRow, WebhookRepository } from "./webhook.repository.js";
import { postSigned } from "./webhook.transport.js";
import { endpointDisabledEvent } from "./webhooks.events.js";

/** Records events in a unit of work with a change (the Outbox's `unit` and `emit`). */
export interface EventRecorder {
  unit<T>(fn: () => Promise<T>): Promise<T>;
  emit(events: { topic: string; id: string; kind: string }[]): Promise<void>;
}

export interface WebhookSendSettings {
  /** Attempts before a delivery is DEAD (its owner can redeliver it). */
  maxAttempts: number;
  /** The wait after the first failed attempt; it doubles with each further one, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claim holds; it must outlast `timeoutMs`, or another instance could send the same delivery. */
  leaseMs: number;
  timeoutMs: number;
  /** An endpoint whose every attempt failed for this long is disabled. */
  disableAfterMs: number;
  address: AddressPolicy;
}

export interface WebhookSendReport {
  succeeded: number;
  failed: number;
  dead: number;
}

/** Told when the server disables a failing endpoint (its owner is to hear of it); the endpoint records the reason either way. */
export type EndpointDisabledHook = (endpoint: EndpointRow) => Promise<void>;

const BATCH = 50;
const CONCURRENCY = 8;
const MAX_ROUNDS = 200;

/**
 * Sends what is due, as notification deliveries are sent: each round claims due deliveries with one
 * conditional update (status, lease, claim token), so however many instances send at once each
 * delivery is claimed by one, and a sender that dies mid-send leaves a claim that runs out and is
 * taken again (the receiver may then get a message twice, with the same `webhook-id`). A failed
 * attempt (non-2xx, timeout, refused address) is retried after an exponential backoff with jitter.
 */
export class WebhookSender {
  onDisabled: EndpointDisabledHook = async () => undefined;

  constructor(
    private readonly repo: WebhookRepository,
    private readonly clock: Clock,
    private readonly settings: WebhookSendSettings,
    private readonly reportError: (err: unknown, context: string) => void,
    private readonly events: EventRecorder,
  ) {}

  async sendDue(): Promise<WebhookSendReport> {
    const report: WebhookSendReport = { succeeded: 0, failed: 0, dead: 0 };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.clock.now();
      const due = await this.repo.dueIds(now, BATCH);
      if (due.length === 0) break;
      const claimed = await this.repo.claim(due, now, new Date(now.getTime() + this.settings.leaseMs), randomUUID());
      const endpoints = new Map<string, Promise<EndpointRow | undefined>>();
      const endpointOf = (id: string) => {
        let found = endpoints.get(id);
        if (!found) endpoints.set(id, (found = this.repo.endpoint(id)));
        return found;
      };
      let next = 0;
      const worker = async () => {
        while (next < claimed.length) {
          const d = claimed[next++];
          const outcome = await this.sendOne(d, await endpointOf(d.endpointId)).catch((err: unknown) => {
            this.reportError(err, `sending webhook ${d.id}`);
            return "failed" as const;
          });
          report[outcome]++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, worker));
    }
    return report;
  }

  private async sendOne(d: DeliveryRow, endpoint: EndpointRow | undefined): Promise<keyof WebhookSendReport> {
    const token = d.claimToken!;
    if (!endpoint) return "dead";
    const body = JSON.stringify(d.payload);
    // The timestamp is the sending machine's real time: receivers compare it with their own clock.
    const signedAt = new Date();
    const result = await postSigned(endpoint.url, body, signatureHeaders(endpoint, d.messageId, signedAt, body, this.clock.now()), this.settings.address, this.settings.timeoutMs);
    const at = this.clock.now();
    const attempt = { at, statusCode: result.statusCode, durationMs: result.durationMs, error: result.error, attemptId: newId("WebhookAttempt") };
    if (result.ok) {
      await this.repo.finish(d.id, token, { ...attempt, status: "SUCCEEDED" });
      // The endpoint as read at the start of the round: only one that was failing needs the write.
      if (endpoint.failingSince) await this.repo.endpointSucceeded(endpoint.id);
      return "succeeded";
    }
    const dead = d.attempts >= this.settings.maxAttempts;
    await this.repo.finish(d.id, token, dead ? { ...attempt, status: "DEAD" } : { ...attempt, status: "FAILED", nextAttemptAt: new Date(at.getTime() + this.backoff(d.attempts)) });
    // Disabling and its event commit together, so whoever tells the owner (notifications) cannot miss it.
    const disabled = await this.events.unit(async () => {
      const row = await this.repo.endpointFailed(
        endpoint.id,
        at,
        new Date(at.getTime() - this.settings.disableAfterMs),
        (since) => `Disabled after failing continuously since ${since.toISOString()}; last error: ${result.error ?? "unknown"}`,
      );
      if (row) await this.events.emit([endpointDisabledEvent(row.id)]);
      return row;
    });
    // Later deliveries of this round to the same endpoint must know it is failing now.
    endpoint.failingSince ??= at;
    if (disabled) {
      this.reportError(new Error(disabled.disabledReason ?? "disabled"), `webhook endpoint ${disabled.id} disabled`);
      await this.onDisabled(disabled).catch((err: unknown) => this.reportError(err, `telling the owner of webhook endpoint ${disabled.id}`));
    }
    return dead ? "dead" : "failed";
  }

  /** The wait after `attempts` failed attempts: exponential, capped, half of it random (jitter). */
  private backoff(attempts: number): number {
    const full = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return full / 2 + Math.random() * (full / 2);
  }
}

/**
 * The Standard Webhooks headers of one message, signed with the endpoint's secret and, during the
 * grace period after a rotation, with the previous one too (space-separated signatures, as the
 * specification allows), so a receiver still on the old secret keeps verifying.
 */
export function signatureHeaders(endpoint: Pick<EndpointRow, "secret" | "previousSecret" | "previousSecretUntil">, messageId: string, signedAt: Date, body: string, now: Date) {
  const signatures = [new Webhook(endpoint.secret).sign(messageId, signedAt, body)];
  if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil.getTime() > now.getTime()) {
    signatures.push(new Webhook(endpoint.previousSecret).sign(messageId, signedAt, body));
  }
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
