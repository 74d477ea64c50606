import { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from "rate-limiter-flexible";
import type { ApiClientRepository } from "./api-client.repository.js";

/** The outcome of counting one request against a limit. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the whole limit is available again if no further request comes (RateLimit-Reset). */
  resetSeconds: number;
  /** For a refused request: seconds until one more request will be let through (Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Counts requests per bucket (an API key, an address) against a limit per minute, in a sliding window
 * (see slidingDecision), with rate-limiter-flexible keeping the counts. Three stores, the cheapest one
 * that holds across the instances that may serve the same key:
 * - Redis (REDIS_URL set): shared by every instance;
 * - the database (PostgreSQL without Redis, table api_rate_limits): shared by every instance;
 * - memory (SQLite, which runs as one instance): per process.
 */
export interface RateLimiter {
  readonly kind: "memory" | "database" | "redis";
  hit(bucket: string, limit: number, nowMs?: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export const RATE_WINDOW_MS = 60_000;

/**
 * The counts live two windows: a window's count is read during the next one. A store's `points` is a
 * limit it would enforce itself; the limits here differ per key and are applied by slidingDecision,
 * so the store only counts.
 */
const STORE = { points: 2 ** 31 - 1, duration: (2 * RATE_WINDOW_MS) / 1000 };

/**
 * The sliding-window decision for a request counted as the `current`-th of this minute (`elapsed`,
 * 0 to 1, into it) after `previous` in the minute before. The requests of the last 60 seconds are
 * estimated as this minute's plus the share of the previous minute's that is still within 60 seconds
 * (weighted as if they came evenly). Unlike a fixed window, which starts from zero at each whole minute
 * and so lets a full burst through just before the minute ends and another just after it, the estimate
 * does not drop at a minute's end: a burst fades out over the 60 seconds after its minute.
 */
export function slidingDecision(previous: number, current: number, limit: number, elapsed: number): RateDecision {
  const estimate = previous * (1 - elapsed) + current;
  const allowed = estimate <= limit;
  // A refused request is not counted (see SlidingWindowLimiter.hit).
  const counted = allowed ? current : current - 1;
  const seconds = (windows: number) => Math.max(1, Math.ceil((windows * RATE_WINDOW_MS) / 1000 - 1e-9));
  // Whole again once both minutes have faded out: this minute's count fades during the next one.
  const reset = counted > 0 ? 2 - elapsed : previous > 0 ? 1 - elapsed : 0;
  let retry = 0;
  if (!allowed) {
    // One more fits once previous x (1 - e) + counted + 1 <= limit: later in this minute as the previous
    // minute fades, or in the next one, where this minute's count is the one that fades.
    const inThisMinute = previous > 0 ? 1 - (limit - counted - 1) / previous : Number.POSITIVE_INFINITY;
    retry = inThisMinute < 1 ? Math.max(0, inThisMinute - elapsed) : 1 - elapsed + Math.max(0, 1 - (limit - 1) / Math.max(1, counted));
  }
  return {
    allowed,
    limit,
    remaining: Math.max(0, Math.floor(limit - estimate)),
    resetSeconds: reset > 0 ? seconds(reset) : 0,
    retryAfterSeconds: allowed ? 0 : seconds(retry),
  };
}

/**
 * A sliding-window limit over one of rate-limiter-flexible's stores: each request adds one to its
 * bucket's count for the current minute (one atomic increment, shared by every instance on the store)
 * and reads the previous minute's, which no longer changes once that minute is over (kept here after
 * the first read). A refused request is taken back off the count, so a client that keeps retrying
 * while refused is let through again as soon as its earlier requests have faded.
 */
export class SlidingWindowLimiter implements RateLimiter {
  private readonly closedMinutes = new Map<string, { minute: number; count: number }>();

  constructor(
    readonly kind: RateLimiter["kind"],
    private readonly store: RateLimiterAbstract,
    private readonly afterHit: (now: number) => Promise<void> = async () => {},
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async hit(bucket: string, limit: number, now = Date.now()): Promise<RateDecision> {
    const minute = Math.floor(now / RATE_WINDOW_MS);
    const elapsed = (now - minute * RATE_WINDOW_MS) / RATE_WINDOW_MS;
    const key = `${bucket}:${minute}`;
    const [current, previous] = await Promise.all([this.store.consume(key, 1).catch(refusedCount), this.previousCount(bucket, minute, now)]);
    const decision = slidingDecision(previous, current.consumedPoints, limit, elapsed);
    if (!decision.allowed) await this.store.reward(key, 1);
    await this.afterHit(now);
    return decision;
  }

  private async previousCount(bucket: string, minute: number, now: number): Promise<number> {
    const known = this.closedMinutes.get(bucket);
    if (known?.minute === minute - 1) return known.count;
    const count = (await this.store.get(`${bucket}:${minute - 1}`))?.consumedPoints ?? 0;
    // A second into this minute, requests of the previous one still on their way have been counted.
    if (now - minute * RATE_WINDOW_MS >= 1000) {
      if (this.closedMinutes.size >= 50_000) this.closedMinutes.clear();
      this.closedMinutes.set(bucket, { minute: minute - 1, count });
    }
    return count;
  }

  async close(): Promise<void> {
    this.closedMinutes.clear();
    await this.onClose();
  }
}

/** A store refuses with its result rather than an error when its own `points` are exceeded. */
function refusedCount(err: unknown): RateLimiterRes {
  if (err && typeof err === "object" && "consumedPoints" in err) return err as RateLimiterRes;
  throw err;
}

/** Redis when configured, else the database on PostgreSQL, else memory (see RateLimiter). */
export function createRateLimiter(options: { redisUrl?: string; dialect: "sqlite" | "postgres"; repo: ApiClientRepository }): RateLimiter {
  const keyPrefix = "zorgzaam:rate";
  if (options.redisUrl) {
    const redis = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on("error", () => undefined); // reported per request when a command fails
    const store = new RateLimiterRedis({ ...STORE, keyPrefix, storeClient: redis });
    return new SlidingWindowLimiter("redis", store, undefined, async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  if (options.dialect === "postgres") {
    const repo = options.repo;
    let lastPrune = Date.now();
    // The store leaves expired counts in the table; they are deleted every few minutes.
    const prune = async (now: number) => {
      if (now - lastPrune < 5 * RATE_WINDOW_MS) return;
      lastPrune = now;
      await repo.pruneRateLimits(new Date(now - RATE_WINDOW_MS));
    };
    return new SlidingWindowLimiter("database", repo.rateLimitStore({ ...STORE, keyPrefix }), prune);
  }
  return new SlidingWindowLimiter("memory", new RateLimiterMemory({ ...STORE, keyPrefix }));
}
