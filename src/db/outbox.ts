import { and, asc, eq, gt, lt, max } from "drizzle-orm";
import type { Database, LoggedEvent } from "./client.js";
import { SharedReason, badInput } from "../shared/errors.js";
import type { EventBus, EventPayload } from "../shared/events.js";

/** How many events one read of the log returns (a replay or a live follower reads page after page). */
const PAGE = 1000;
/** Where pruning records the highest sequence it removed (app_settings). */
const PRUNED_THROUGH = "event_log.pruned_through";
/**
 * How long a live follower retries when the bus announced an event its read of the log does not
 * show yet (a read replica behind, say); it is not lost then: the next announcement reads again.
 */
const ANNOUNCED_RETRIES = 20;
const ANNOUNCED_RETRY_MS = 25;

export interface FeedItem<T> {
  event: LoggedEvent;
  value: T;
}

/**
 * Durable events. A change records its event in the event log inside its own transaction; after the
 * commit the bus (in-process or Redis) only wakes followers up. The log's sequence numbers are in
 * commit order (see Database.recordEvents), so a follower reads the log after the last number it
 * delivered and never skips an event that commits later: announcements may arrive late, twice, out
 * of order or not at all (another instance crashed between commit and announcement) without an event
 * being lost or delivered twice. A subscriber that passes the cursor of the last event it saw first
 * gets every event it missed from the log, in order, then continues live; sequence numbers let it
 * drop duplicates across the switch.
 */
export class Outbox {
  /** The live follower of each topic, while one runs (a replay reads at least as far as it started). */
  private readonly following = new Map<string, LogFollower>();

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
   * rights. The fan-out hub runs the feed once per event for all its subscribers. A cursor from
   * before the log's retention is refused with EVENTS_PRUNED: events after it may be gone, so the
   * client reloads what it shows and subscribes again without `since`.
   */
  async feed<T, R = FeedItem<T>>(topic: string, since: string | null | undefined, spec: FeedSpec<T, R>): Promise<Feed<T, R>> {
    const after = since === null || since === undefined ? null : parseCursor(since);
    if (after !== null && after < (await this.prunedThrough())) {
      throw badInput(SharedReason.EVENTS_PRUNED, "since: events after this cursor are older than the event log keeps; reload the data and subscribe again without since", "since");
    }
    return new Feed(this, topic, after, spec);
  }

  /**
   * Follows a topic live, as `{ id, kind, seq }` in log order, each committed event once, starting
   * after the newest event on the topic when following starts.
   */
  live(topic: string): AsyncIterable<EventPayload> {
    return {
      [Symbol.asyncIterator]: () => {
        const follower = new LogFollower(this, topic, this.bus.subscribe(topic)[Symbol.asyncIterator](), () => {
          if (this.following.get(topic) === follower) this.following.delete(topic);
        });
        this.following.set(topic, follower);
        return follower;
      },
    };
  }

  /**
   * Every event after `seq` on a topic, read page by page to the end of the log. When the topic is
   * followed live, the read reaches at least where following started, so replay and live together
   * leave no gap.
   */
  async replayAfter(topic: string, seq: number): Promise<LoggedEvent[]> {
    await this.following.get(topic)?.started;
    const out: LoggedEvent[] = [];
    for (let cursor = seq; ;) {
      const page = await this.readAfter(topic, cursor, PAGE);
      out.push(...page);
      if (page.length < PAGE) return out;
      cursor = page[page.length - 1].seq;
    }
  }

  async readAfter(topic: string, seq: number, limit = PAGE): Promise<LoggedEvent[]> {
    const t = this.db.tables.eventLog;
    const rows = await this.db.read
      .select({ seq: t.seq, topic: t.topic, id: t.entityId, kind: t.kind })
      .from(t)
      .where(and(eq(t.topic, topic), gt(t.seq, seq)))
      .orderBy(asc(t.seq))
      .limit(limit);
    return rows;
  }

  /** The sequence of the newest event on a topic (0: none). */
  async newest(topic: string): Promise<number> {
    const t = this.db.tables.eventLog;
    const rows = await this.db.read
      .select({ seq: max(t.seq) })
      .from(t)
      .where(eq(t.topic, topic));
    return Number(rows[0]?.seq ?? 0);
  }

  /** The highest sequence pruning has removed (0: none): cursors below it may have lost events. */
  async prunedThrough(): Promise<number> {
    const s = this.db.tables.appSettings;
    const rows = await this.db.read.select({ value: s.value }).from(s).where(eq(s.key, PRUNED_THROUGH));
    return rows[0] ? Number(rows[0].value) : 0;
  }

  /**
   * Drops log entries older than `before` (a subscriber away longer reloads instead of replaying),
   * and records the highest sequence removed, so that a cursor from before it is refused rather than
   * answered with an incomplete replay.
   */
  async prune(before: Date): Promise<number> {
    const t = this.db.tables.eventLog;
    const s = this.db.tables.appSettings;
    return this.db.transaction(async (tx) => {
      // Instances prune at the same moments: one at a time, so the mark only ever moves forward.
      await this.db.lockKey(tx, "event-log-prune");
      const rows = await tx.delete(t).where(lt(t.at, before)).returning({ seq: t.seq });
      if (rows.length === 0) return 0;
      const removed = rows.reduce((highest, r) => Math.max(highest, r.seq), 0);
      const mark = await tx.select({ value: s.value }).from(s).where(eq(s.key, PRUNED_THROUGH));
      const through = Math.max(removed, mark[0] ? Number(mark[0].value) : 0);
      await tx
        .insert(s)
        .values({ key: PRUNED_THROUGH, value: String(through) })
        .onConflictDoUpdate({ target: s.key, set: { value: String(through) } });
      return rows.length;
    });
  }
}

/**
 * One topic followed live. Announcements from the bus only say "the log has news up to sequence n";
 * the follower then reads the log after the last sequence it delivered and yields what it finds, in
 * order. Because sequence numbers are in commit order, nothing can later appear below what it has
 * read, so it never skips an event and never yields one twice, whatever order the announcements
 * take. Announcements that arrive while a read is running are served by one further read.
 */
class LogFollower implements AsyncIterator<EventPayload> {
  /** Resolves once the follower knows where it starts (the newest event on the topic then). */
  readonly started: Promise<void>;
  /** The last sequence yielded. */
  private cursor = 0;
  /** The highest sequence announced on the topic. */
  private announced = 0;
  private readonly queue: LoggedEvent[] = [];
  /** Signals outside the log (no sequence), passed on as they come. */
  private readonly unlogged: EventPayload[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly topic: string,
    private readonly signals: AsyncIterator<EventPayload>,
    private readonly onEnd: () => void,
  ) {
    this.started = outbox.newest(topic).then(
      (seq) => {
        this.cursor = Math.max(this.cursor, seq);
      },
      (error: unknown) => this.fail(error),
    );
    void this.listen();
  }

  private async listen() {
    try {
      for (;;) {
        const next = await this.signals.next();
        if (next.done) break;
        const signal = next.value;
        if (signal.seq === undefined) this.unlogged.push(signal);
        else if (signal.seq > this.announced) this.announced = signal.seq;
        this.poke();
      }
      this.finish();
    } catch (error) {
      this.fail(error);
    }
  }

  private poke() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private fail(error: unknown) {
    this.failure ??= { error };
    this.poke();
  }

  private finish() {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    this.poke();
  }

  async next(): Promise<IteratorResult<EventPayload>> {
    await this.started;
    let misses = 0;
    for (;;) {
      if (this.ended) return { done: true, value: undefined };
      if (this.failure) {
        this.finish();
        throw this.failure.error;
      }
      const signal = this.unlogged.shift();
      if (signal) return { done: false, value: signal };
      const event = this.queue.shift();
      if (event) return { done: false, value: { id: event.id, kind: event.kind, seq: event.seq } };
      if (this.announced > this.cursor) {
        const page = await this.outbox.readAfter(this.topic, this.cursor, PAGE);
        if (this.ended) continue;
        if (page.length > 0) {
          this.queue.push(...page);
          this.cursor = page[page.length - 1].seq;
          misses = 0;
          continue;
        }
        // Announced but not visible yet: look again shortly, then wait for the next announcement
        // (the cursor has not moved, so the event is read whenever it shows).
        if (++misses <= ANNOUNCED_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, ANNOUNCED_RETRY_MS));
          continue;
        }
        this.announced = this.cursor;
        misses = 0;
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<EventPayload>> {
    this.finish();
    await this.signals.return?.();
    return { done: true, value: undefined };
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
    return this.after === null ? Promise.resolve([]) : this.outbox.replayAfter(this.topic, this.after);
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
    throw badInput(SharedReason.INVALID_CURSOR, "since: not an event cursor this server handed out", "since");
  }
  return n;
}
