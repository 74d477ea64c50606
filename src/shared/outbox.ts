import { Repeater } from "@graphql-yoga/subscription";
import { and, asc, eq, gt, lt } from "drizzle-orm";
import type { Database, LoggedEvent } from "../db/client.js";
import { badInput } from "./errors.js";
import type { EventBus, EventPayload } from "./events.js";

/** How many missed events one reconnect may replay (older ones: reload the data instead). */
const REPLAY_LIMIT = 1000;

export interface FeedItem<T> {
  event: LoggedEvent;
  value: T;
}

/**
 * Durable events. A change records its event in the event log inside its own transaction; after the
 * commit the bus (in-process or Redis) only wakes subscribers up. A subscriber that passes the cursor
 * of the last event it saw first gets every event it missed from the log, in order, then continues
 * live; sequence numbers let it drop duplicates across the switch.
 */
export class Outbox {
  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
  ) {
    db.onCommit((events) => {
      for (const e of events) this.bus.publish(e.topic, { id: e.id, kind: e.kind, seq: e.seq });
    });
  }

  /** One unit of work: the changes and the events recorded inside commit together or not at all. */
  unit<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(() => fn());
  }

  /** Records events in the caller's transaction, or in a transaction of their own when there is none. */
  async emit(events: { topic: string; id: string; kind: string }[]): Promise<void> {
    if (events.length === 0) return;
    if (this.db.inTransaction()) await this.db.recordEvents(events);
    else await this.db.transaction(() => this.db.recordEvents(events));
  }

  /** Replays what came after `since` on a topic, then follows it live; `load` applies the subscriber's rights. */
  stream<T>(topic: string, since: string | null | undefined, load: (event: LoggedEvent) => Promise<T | null>): AsyncIterable<FeedItem<T>> {
    const after = since === null || since === undefined ? null : parseCursor(since);
    return new Repeater<FeedItem<T>>(async (push, stop) => {
      const live = this.bus.subscribe(topic)[Symbol.asyncIterator]();
      let last = after ?? Number.MAX_SAFE_INTEGER;
      const buffered: LoggedEvent[] = [];
      let replaying = after !== null;
      let stopped = false;
      const deliver = async (event: LoggedEvent) => {
        if (after !== null && event.seq <= last) return;
        if (after === null && last !== Number.MAX_SAFE_INTEGER && event.seq <= last) return;
        last = event.seq;
        const value = await load(event);
        if (value !== null && !stopped) await push({ event, value });
      };
      const pump = (async () => {
        for (;;) {
          const next = await live.next();
          if (next.done || stopped) return;
          const p = next.value as EventPayload;
          const event: LoggedEvent = { seq: p.seq ?? 0, topic, id: p.id, kind: p.kind };
          if (replaying) buffered.push(event);
          else await deliver(event);
        }
      })();
      if (after !== null) {
        for (const event of await this.readAfter(topic, after)) await deliver(event);
        replaying = false;
        for (const event of buffered.splice(0)) await deliver(event);
      }
      await stop;
      stopped = true;
      await live.return?.();
      await pump.catch(() => undefined);
    });
  }

  async readAfter(topic: string, seq: number, limit = REPLAY_LIMIT): Promise<LoggedEvent[]> {
    const t = this.db.tables.eventLog;
    const rows = await this.db.read
      .select({ seq: t.seq, topic: t.topic, id: t.entityId, kind: t.kind })
      .from(t)
      .where(and(eq(t.topic, topic), gt(t.seq, seq)))
      .orderBy(asc(t.seq))
      .limit(limit);
    return rows;
  }

  /** Drops log entries older than `before` (a subscriber away longer reloads instead of replaying). */
  async prune(before: Date): Promise<number> {
    const t = this.db.tables.eventLog;
    return this.db.transaction(async (tx) => {
      const rows = await tx.delete(t).where(lt(t.at, before)).returning({ seq: t.seq });
      return rows.length;
    });
  }
}

export function cursorOf(event: LoggedEvent): string {
  return String(event.seq);
}

function parseCursor(since: string): number {
  const n = Number(since);
  if (!/^\d{1,16}$/.test(since) || !Number.isSafeInteger(n)) {
    throw badInput("INVALID_CURSOR", "since: not an event cursor this server handed out", "since");
  }
  return n;
}
