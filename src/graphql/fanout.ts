import { type ExecutionArgs, type ExecutionResult, type GraphQLError, execute } from "graphql";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { WebSocket } from "ws";
import type { LoggedEvent } from "../db/client.js";
import { type Feed, type Outbox, type Visibility, toLogged } from "../db/outbox.js";
import type { Viewer } from "../shared/viewer.js";
import type { Context } from "./context.js";
import type { Language } from "../shared/i18n.js";
import { watchedViewer } from "./sharing.js";

/**
 * Where a WebSocket subscription's messages go. ws.ts puts it on the subscription's context under
 * `fanoutTarget`, so the hub can write to the socket itself.
 */
export interface FanoutTarget {
  socket: WebSocket;
  /** The graphql-ws operation id the client chose. */
  id: string;
  /**
   * A new per-request context for one execution (fresh loaders, so nothing goes stale between events);
   * `watch` replaces its viewer with one that notes reads of the identity (see `watchedViewer`).
   */
  fresh: (watch?: (viewer: Viewer) => Viewer) => Context;
  /** The subscriber's roles and app scopes: subscribers with the same class see the same "shared" objects. */
  rightsKey: string;
  /** Who the subscriber is (person, or nobody): subscribers of a viewer-dependent document share only with themselves. */
  identity: string;
  /** The document selects a field whose answer depends on who asks (see SharingClassifier). */
  viewerDependent: boolean;
  /**
   * Whether the connection's credentials still hold, checked before every event: false (the socket is
   * being closed) skips the subscriber. Synchronous unless the credentials are due for a fresh look.
   */
  current: () => boolean | Promise<boolean>;
}

export const fanoutTarget = Symbol("fanoutTarget");

interface Subscriber {
  serial: number;
  feed: Feed<unknown, unknown>;
  target: FanoutTarget;
  args: ExecutionArgs;
  /** The start of each message to this subscriber (`{"id":…,"type":"next","payload":`), encoded once. */
  head: Buffer;
  /** The class it shares an execution with when an object is "shared": operation, object kind and rights. */
  sharedKey: string;
  /** The same with the subscriber's identity: the class of a document whose answer depends on who asks (made when first needed). */
  personalKey: string | null;
  /** Sequence of the last event delivered or skipped (-1: none yet). */
  lastSeq: number;
  /** Live events held back while the subscriber's missed events are replayed from the log. */
  held: LoggedEvent[] | null;
  closed: boolean;
}

interface TopicGroup {
  topic: string;
  subscribers: Set<Subscriber>;
  stop: () => void;
}

/**
 * Subscription fan-out. graphql-ws on its own runs every subscriber's stream separately: for each
 * event it reloads the object, executes the operation and serialises the message once per
 * subscriber. The hub follows each topic once per instance and, per event, loads the object once,
 * applies each subscriber's rights (`Feed.spec.see`), executes the operation once per distinct
 * (document, variables, visibility class), serialises that result once, and writes the same bytes to
 * every socket in the class; only the operation id differs. Subscribers who are involved in an
 * object, or whose rights are their own, form a class of one, so per-subscriber authorisation and
 * access logging stay exactly as they would be with one execution each.
 */
export class FanoutHub {
  private readonly groups = new Map<string, TopicGroup>();
  /**
   * Sharing classes whose execution was seen to read the viewer's identity although their document
   * selects no listed viewer-dependent field: from then on they are executed per person.
   */
  private readonly personal = new LRUCache<string, true>({ max: 2000 });
  private serial = 0;
  /** Messages written to sockets, and executions that produced them (fewer: classes share one). */
  private delivered = 0;
  private executed = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly format: (errors: readonly GraphQLError[], language?: Language) => unknown[],
    private readonly log: Logger,
  ) {}

  /** The sharing keys in use, one string each (a bounded table: a key that fell out is made again). */
  private readonly keys = new LRUCache<string, string>({ max: 5000 });
  private intern(key: string): string {
    const kept = this.keys.get(key);
    if (kept !== undefined) return kept;
    this.keys.set(key, key);
    return key;
  }

  /** Topics followed and subscribers attached on this instance; messages delivered and executions run since start. */
  stats() {
    let attached = 0;
    for (const g of this.groups.values()) attached += g.subscribers.size;
    return { topics: this.groups.size, attached, delivered: this.delivered, executed: this.executed };
  }

  /**
   * Takes over a subscription whose source is a Feed. Returns the iterable graphql-ws waits on: it
   * yields nothing (the hub writes to the socket) and ends the subscription when graphql-ws returns it.
   */
  attach(feed: Feed<unknown, unknown>, args: ExecutionArgs, target: FanoutTarget): AsyncIterableIterator<ExecutionResult> {
    const sub: Subscriber = {
      serial: ++this.serial,
      feed,
      target,
      args,
      head: Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`),
      // Thousands of subscribers share a handful of classes: one copy of each key string is kept.
      sharedKey: this.intern(`${operationKey(args)}\u0000${feed.spec.loads}\u0000${target.rightsKey}`),
      personalKey: null,
      lastSeq: feed.after ?? -1,
      held: feed.after === null ? null : [],
      closed: false,
    };
    this.groupFor(feed.topic).subscribers.add(sub);
    if (sub.held) void this.replay(sub);
    let finish: (r: IteratorResult<ExecutionResult>) => void = () => undefined;
    const finished = new Promise<IteratorResult<ExecutionResult>>((resolve) => (finish = resolve));
    const detach = async (): Promise<IteratorResult<ExecutionResult>> => {
      this.detach(sub);
      finish({ done: true, value: undefined });
      return { done: true, value: undefined };
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => finished,
      return: detach,
      throw: async (err: unknown) => {
        await detach();
        throw err;
      },
    };
  }

  /** Stops following every topic (shutdown). */
  close() {
    for (const g of this.groups.values()) {
      for (const s of g.subscribers) s.closed = true;
      g.stop();
    }
    this.groups.clear();
  }

  private groupFor(topic: string): TopicGroup {
    const existing = this.groups.get(topic);
    if (existing) return existing;
    const live = this.outbox.live(topic)[Symbol.asyncIterator]();
    const group: TopicGroup = { topic, subscribers: new Set(), stop: () => void live.return?.() };
    this.groups.set(topic, group);
    void (async () => {
      for (;;) {
        const next = await live.next();
        if (next.done) return;
        // One event at a time per topic: every subscriber gets a topic's events in log order.
        await this.dispatch(group, toLogged(topic, next.value));
      }
    })().catch((err: unknown) => {
      // The topic's stream broke (the bus failed): its subscribers could miss events silently. Their
      // sockets are closed as "try again later" so clients reconnect and replay from their cursor.
      this.log.error({ err, topic }, "subscription fan-out stopped");
      if (this.groups.get(topic) === group) this.groups.delete(topic);
      for (const sub of group.subscribers) {
        sub.closed = true;
        sub.target.socket.close(1013, "Event stream interrupted: reconnect and pass your last cursor");
      }
    });
    return group;
  }

  private detach(sub: Subscriber) {
    sub.closed = true;
    const group = this.groups.get(sub.feed.topic);
    if (!group) return;
    group.subscribers.delete(sub);
    if (group.subscribers.size === 0) {
      this.groups.delete(group.topic);
      group.stop();
    }
  }

  private async dispatch(group: TopicGroup, event: LoggedEvent) {
    const ready: Subscriber[] = [];
    for (const sub of group.subscribers) {
      if (sub.held) sub.held.push(event);
      else if (fresh(sub, event)) ready.push(sub);
    }
    if (ready.length > 0) await this.deliver(ready, event);
  }

  /** Missed events from the log first, then what arrived live meanwhile; duplicates dropped by sequence. */
  private async replay(sub: Subscriber) {
    const held = sub.held as LoggedEvent[];
    try {
      for (const event of await sub.feed.missed()) {
        if (sub.closed) return;
        if (fresh(sub, event)) await this.deliver([sub], event);
      }
    } catch (err) {
      this.log.error({ err, topic: sub.feed.topic }, "replaying missed events failed");
    }
    while (held.length > 0 && !sub.closed) {
      const event = held.shift() as LoggedEvent;
      if (fresh(sub, event)) await this.deliver([sub], event);
    }
    sub.held = null;
  }

  /**
   * One event to many subscribers, in phases so that the work per subscriber stays a few synchronous
   * steps: one load per kind of object, every subscriber's credentials and rights (awaited only where a
   * check is not synchronous), one execution per class, then the writes.
   *
   * A class is: the subscriber alone (their visibility is "personal"); everyone with the same document,
   * rights and identity (the document selects a viewer-dependent field); or everyone with the same
   * document and rights. An execution for the last kind runs with a viewer that notes reads of its
   * identity: if one happens, its answer goes only to subscribers who are that person, and the others are
   * executed per person, now and for later events.
   */
  private async deliver(subs: Subscriber[], event: LoggedEvent) {
    const loads = new Map<string, Promise<unknown>>();
    for (const { feed } of subs) {
      if (!loads.has(feed.spec.loads)) loads.set(feed.spec.loads, this.guard(feed.spec.fetch(event), event));
    }
    const values = new Map<string, unknown>();
    for (const [kind, load] of loads) values.set(kind, await load);

    const classes = new Map<number | string, { members: Subscriber[]; value: unknown; shared: boolean }>();
    const admit = (sub: Subscriber, value: unknown, visibility: Visibility) => {
      if (!visibility || sub.closed) return;
      let key: number | string = sub.serial;
      let shared = false;
      if (visibility === "shared") {
        shared = !sub.target.viewerDependent && !this.personal.has(sub.sharedKey);
        key = shared ? sub.sharedKey : personalKeyOf(sub);
      }
      const existing = classes.get(key);
      if (existing) existing.members.push(sub);
      else classes.set(key, { members: [sub], value, shared });
    };
    const checks: Promise<void>[] = [];
    for (const sub of subs) {
      const value = values.get(sub.feed.spec.loads);
      if (value === null || value === undefined) continue;
      try {
        const current = sub.target.current();
        if (current === false) continue;
        if (current instanceof Promise) {
          checks.push(
            this.guard(current, event).then(async (ok) => {
              if (!ok) return;
              try {
                admit(sub, value, (await sub.feed.spec.see(value as never, event)) ?? false);
              } catch (err) {
                this.log.error({ err, topic: event.topic, seq: event.seq }, "checking a subscriber's rights failed");
              }
            }),
          );
          continue;
        }
        const visibility = sub.feed.spec.see(value as never, event);
        if (visibility instanceof Promise) checks.push(this.guard(visibility, event).then((v) => admit(sub, value, v ?? false)));
        else admit(sub, value, visibility);
      } catch (err) {
        this.log.error({ err, topic: event.topic, seq: event.seq }, "checking a subscriber's rights failed");
      }
    }
    if (checks.length > 0) await Promise.all(checks);

    // Each class's payload is encoded once; a subscriber's message is its own head and those bytes.
    const tails = new Map<Subscriber, Buffer | null>();
    const run = async (members: Subscriber[], value: unknown, shared: boolean): Promise<void> => {
      const first = members[0];
      const result = await this.guard(this.execute(first, first.feed.rootOf(event, value as never), shared), event);
      const tail = result === null ? null : Buffer.from(`${result.json}}`);
      if (!result?.identityRead) {
        for (const sub of members) tails.set(sub, tail);
        return;
      }
      // The answer may be the first subscriber's own: it goes to them (and to their other sockets) only.
      this.personal.set(first.sharedKey, true);
      this.log.warn(
        { topic: event.topic, operation: first.args.operationName ?? null },
        "a shared subscription execution read the viewer's identity; its document is now executed per person (list the field in VIEWER_DEPENDENT_FIELDS)",
      );
      const others = new Map<string, Subscriber[]>();
      for (const sub of members) {
        if (sub.target.identity === first.target.identity) tails.set(sub, tail);
        else {
          const key = personalKeyOf(sub);
          const group = others.get(key);
          if (group) group.push(sub);
          else others.set(key, [sub]);
        }
      }
      await Promise.all([...others.values()].map((group) => run(group, value, false)));
    };
    await Promise.all([...classes.values()].map(({ members, value, shared }) => run(members, value, shared)));

    for (const [sub, tail] of tails) {
      const { socket } = sub.target;
      if (!tail || sub.closed || socket.readyState !== socket.OPEN) continue;
      const { head } = sub;
      const message = Buffer.allocUnsafe(head.length + tail.length);
      head.copy(message, 0);
      tail.copy(message, head.length);
      socket.send(message, { binary: false });
      this.delivered += 1;
    }
  }

  /** A failed load, check or execution skips this event for those it concerns; it never stops the topic. */
  private guard<T>(work: Promise<T>, event: LoggedEvent): Promise<T | null> {
    return work.catch((err: unknown) => {
      this.log.error({ err, topic: event.topic, seq: event.seq }, "delivering a subscription event failed");
      return null;
    });
  }

  /** Executes for `sub`; a shared execution watches whether the viewer's identity was read. */
  private async execute(sub: Subscriber, root: unknown, shared: boolean): Promise<{ json: string; identityRead: boolean }> {
    this.executed += 1;
    let identityRead = () => false;
    const contextValue = sub.target.fresh(
      shared
        ? (viewer) => {
            const watched = watchedViewer(viewer);
            identityRead = watched.identityRead;
            return watched.viewer;
          }
        : undefined,
    );
    const result = await execute({ ...sub.args, rootValue: root, contextValue });
    return { json: JSON.stringify(result.errors ? { ...result, errors: this.format(result.errors, contextValue.language) } : result), identityRead: identityRead() };
  }
}

function personalKeyOf(sub: Subscriber): string {
  return (sub.personalKey ??= `${sub.sharedKey}\u0000${sub.target.identity}`);
}

/** Whether the subscriber has not had this event yet (sequence 0: a signal outside the log, always new). */
function fresh(sub: Subscriber, event: LoggedEvent): boolean {
  if (event.seq === 0) return true;
  if (event.seq <= sub.lastSeq) return false;
  sub.lastSeq = event.seq;
  return true;
}

function operationKey(args: ExecutionArgs): string {
  const source = args.document.loc?.source.body ?? "";
  return `${args.operationName ?? ""}\u0000${JSON.stringify(args.variableValues ?? null)}\u0000${source}`;
}
