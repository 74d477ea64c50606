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

  /**
   * A subscription's source: what came after `since` on a topic, then the topic live. `spec.fetch`
   * loads an event's object (the same for every subscriber), `spec.see` applies the subscriber's
   * rights. The fan-out hub runs the feed once per event for all its subscribers.
   */
  feed<T, R = FeedItem<T>>(topic: string, since: string | null | undefined, spec: FeedSpec<T, R>): Feed<T, R> {
    const after = since === null || since === undefined ? null : parseCursor(since);
    return new Feed(this, topic, after, spec);
  }

  /** Follows a topic live, as `{ id, kind, seq }` signals from the bus. */
  live(topic: string): AsyncIterable<EventPayload> {
    return this.bus.subscribe(topic);
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

/**
 * Who may see an event's object: `false` (not this subscriber), `"shared"` (what they see depends only
 * on their roles and their app's scopes, so subscribers alike share one execution) or `"personal"`
 * (they are involved, or their rights are their own: executed for them alone).
 */
export type Visibility = false | "shared" | "personal";

export interface FeedSpec<T, R> {
  /** Names what `fetch` loads: subscribers of one topic with the same name share one load per event. */
  loads: string;
  /** Loads the object an event is about; null when it is gone. Must not depend on the subscriber. */
  fetch(event: LoggedEvent): Promise<T | null | undefined>;
  /** The subscriber's rights and filter on one object. */
  see(value: T, event: LoggedEvent): Visibility | Promise<Visibility>;
  /** The subscription field's root value for a visible event (default: the `{ event, value }` item). */
  root?(item: FeedItem<T>): R;
}

/** A subscription's source of events; see `Outbox.feed`. */
export class Feed<T, R = FeedItem<T>> implements AsyncIterable<R> {
  constructor(
    readonly outbox: Outbox,
    readonly topic: string,
    /** Sequence of the last event the subscriber saw, or null to start live. */
    readonly after: number | null,
    readonly spec: FeedSpec<T, R>,
  ) {}

  /** The subscription field's root value for a visible event. */
  rootOf(event: LoggedEvent, value: T): R {
    const item = { event, value };
    return this.spec.root ? this.spec.root(item) : (item as unknown as R);
  }

  /** Events after the cursor, from the log (empty when starting live). */
  missed(): Promise<LoggedEvent[]> {
    return this.after === null ? Promise.resolve([]) : this.outbox.readAfter(this.topic, this.after);
  }

  /**
   * A Feed is delivered by the fan-out hub (src/graphql/fanout.ts), which runs one replay-then-live
   * pass per topic for all subscribers; graphql-js only checks that a subscription source is
   * iterable, so iterating one directly is a mistake and says so.
   */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    throw new Error(`the feed of ${this.topic} is delivered by the fan-out hub, not iterated`);
  }
}

export function toLogged(topic: string, p: EventPayload): LoggedEvent {
  return { seq: p.seq ?? 0, topic, id: p.id, kind: p.kind };
}

function parseCursor(since: string): number {
  const n = Number(since);
  if (!/^\d{1,16}$/.test(since) || !Number.isSafeInteger(n)) {
    throw badInput("INVALID_CURSOR", "since: not an event cursor this server handed out", "since");
  }
  return n;
}
