import { Redis } from "ioredis";
import type { ApiClientRepository } from "./api-client.repository.js";

/** The outcome of counting one request against a limit. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends (and the count starts again). */
  resetSeconds: number;
}

/**
 * Counts requests per bucket (an API key, an address) in fixed one-minute windows. Three stores, the
 * cheapest one that holds across the instances that may serve the same key:
 * - Redis (REDIS_URL set): one INCR per request, shared by every instance;
 * - the database (PostgreSQL without Redis): one upsert per request, shared by every instance;
 * - memory (SQLite, which runs as one instance): per process.
 */
export interface RateLimiter {
  readonly kind: "memory" | "database" | "redis";
  hit(bucket: string, limit: number, nowMs?: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export const RATE_WINDOW_MS = 60_000;

const decide = (hits: number, limit: number, windowStart: number, now: number): RateDecision => ({
  allowed: hits <= limit,
  limit,
  remaining: Math.max(0, limit - hits),
  resetSeconds: Math.max(1, Math.ceil((windowStart + RATE_WINDOW_MS - now) / 1000)),
});

export class MemoryRateLimiter implements RateLimiter {
  readonly kind = "memory";
  private readonly windows = new Map<string, { start: number; hits: number }>();

  async hit(bucket: string, limit: number, now = Date.now()): Promise<RateDecision> {
    const start = now - (now % RATE_WINDOW_MS);
    let w = this.windows.get(bucket);
    if (!w || w.start !== start) {
      if (this.windows.size > 50_000) this.prune(start);
      w = { start, hits: 0 };
      this.windows.set(bucket, w);
    }
    w.hits += 1;
    return decide(w.hits, limit, start, now);
  }

  private prune(current: number) {
    for (const [bucket, w] of this.windows) if (w.start !== current) this.windows.delete(bucket);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}

export class DatabaseRateLimiter implements RateLimiter {
  readonly kind = "database";
  private lastPrune = 0;

  constructor(private readonly repo: ApiClientRepository) {}

  async hit(bucket: string, limit: number, now = Date.now()): Promise<RateDecision> {
    const start = now - (now % RATE_WINDOW_MS);
    const hits = await this.repo.hitWindow(bucket, start);
    if (now - this.lastPrune > 5 * RATE_WINDOW_MS) {
      this.lastPrune = now;
      await this.repo.pruneWindows(start - RATE_WINDOW_MS);
    }
    return decide(hits, limit, start, now);
  }

  async close(): Promise<void> {}
}

export class RedisRateLimiter implements RateLimiter {
  readonly kind = "redis";
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.redis.on("error", () => undefined); // reported per request when a command fails
  }

  async hit(bucket: string, limit: number, now = Date.now()): Promise<RateDecision> {
    const start = now - (now % RATE_WINDOW_MS);
    const key = `zorgzaam:rate:${bucket}:${start}`;
    const result = await this.redis.multi().incr(key).pexpire(key, 2 * RATE_WINDOW_MS).exec();
    const hits = Number(result?.[0]?.[1] ?? 0);
    return decide(hits, limit, start, now);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Redis when configured, else the database on PostgreSQL, else memory (see RateLimiter). */
export function createRateLimiter(options: { redisUrl?: string; dialect: "sqlite" | "postgres"; repo: ApiClientRepository }): RateLimiter {
  if (options.redisUrl) return new RedisRateLimiter(options.redisUrl);
  if (options.dialect === "postgres") return new DatabaseRateLimiter(options.repo);
  return new MemoryRateLimiter();
}
