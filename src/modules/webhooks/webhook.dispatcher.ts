import type { Clock } from "../../shared/clock.js";
import { newId } from "../../shared/ids.js";
import { webhookTypeOf } from "./webhook.events.js";
import { WebhookPayloads } from "./webhook.payloads.js";
import type { EndpointRow, LogEntry, NewDelivery, WebhookRepository } from "./webhook.repository.js";

/** The name of the webhook dispatcher's cursor over the event log. */
export const WEBHOOK_CURSOR = "webhooks";
/** Events decided on per transaction. */
const BATCH = 200;

/**
 * Decides which endpoint hears of what. Like the notification dispatcher it reads the event log after
 * its own durable cursor, in sequence (commit) order, and writes the deliveries of a batch in the
 * transaction that moves the cursor past it, from where it was read: a crash before the commit decides
 * the batch again, two instances deciding at once write one set, and the unique key (endpoint, event,
 * origin) keeps a delivery from being written twice.
 */
export class WebhookDispatcher {
  constructor(
    private readonly repo: WebhookRepository,
    private readonly clock: Clock,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
    private readonly prunedThrough: () => Promise<number> = async () => 0,
  ) {}

  /** Starts the cursor at the end of the log if it has none. */
  start(): Promise<void> {
    return this.repo.ensureCursor(WEBHOOK_CURSOR, this.clock.now());
  }

  /** Decides every event after the cursor; returns how many deliveries were written. */
  async dispatch(): Promise<number> {
    let written = 0;
    for (;;) {
      const from = await this.repo.cursor(WEBHOOK_CURSOR);
      if (from === undefined) {
        await this.start();
        continue;
      }
      const events = await this.repo.eventsAfter(from, BATCH);
      if (events.length === 0) return written;
      const pruned = events[0].seq > from + 1 ? await this.prunedThrough() : 0;
      if (pruned > from) this.reportError(new Error(`events ${from + 1} to ${pruned} were pruned before webhooks were decided for them`), "deciding webhooks");
      const now = this.clock.now();
      const deliveries = await this.decide(events, await this.repo.enabledEndpoints(), "live", now);
      // Another instance moved the cursor first: read again from where it stands now, so events committed
      // after that instance read the log are not left for a later pass.
      if (!(await this.repo.commitDecisions(WEBHOOK_CURSOR, from, events[events.length - 1].seq, deliveries, now))) continue;
      written += deliveries.length;
      if (events.length < BATCH) return written;
    }
  }

  /**
   * Deliveries of events after `fromSeq` up to `throughSeq` (at most `limit` events read) to one
   * endpoint, by the same rules as live; the caller writes them. Returns them and the last sequence read.
   */
  async replay(endpoint: EndpointRow, fromSeq: number, throughSeq: number, limit: number, origin: string): Promise<{ deliveries: NewDelivery[]; lastSeq: number }> {
    const events = await this.repo.eventsAfter(fromSeq, limit, throughSeq);
    const deliveries = await this.decide(events, [endpoint], origin, this.clock.now());
    return { deliveries, lastSeq: events.length > 0 ? events[events.length - 1].seq : fromSeq };
  }

  private async decide(events: LogEntry[], endpoints: EndpointRow[], origin: string, now: Date): Promise<NewDelivery[]> {
    if (endpoints.length === 0) return [];
    const typed = events.flatMap((event) => {
      const type = webhookTypeOf(event);
      return type ? [{ event, type }] : [];
    });
    if (typed.length === 0) return [];
    const audiences = await this.repo.audiences([...new Set(endpoints.map((e) => e.clientId))], now);
    const payloads = new WebhookPayloads(this.repo);
    const out: NewDelivery[] = [];
    for (const { event, type } of typed) {
      for (const endpoint of endpoints) {
        if (!endpoint.eventTypes.includes(type)) continue;
        const payload = await payloads.for(event, type, endpoint, audiences.get(endpoint.clientId));
        if (!payload) continue;
        out.push({
          id: newId("WebhookDelivery"),
          endpointId: endpoint.id,
          eventSeq: event.seq,
          origin,
          messageId: messageIdOf(endpoint.id, event.seq),
          eventType: type,
          payload,
          status: "PENDING",
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        });
      }
    }
    return out;
  }
}

/** The `webhook-id` of an event for an endpoint: the same on every attempt, redelivery and replay. */
export function messageIdOf(endpointId: string, seq: number): string {
  return `msg_${endpointId.slice(endpointId.indexOf("_") + 1)}_${seq}`;
}
