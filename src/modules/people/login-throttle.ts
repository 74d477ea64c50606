import { Redis } from "ioredis";

/** What a login throttle counts: failed logins per account (the normalised email) and per address. */
export interface LoginAttempt {
  account: string;
  /** The client's address; undefined when the transport does not tell it. */
  address: string | undefined;
}

export interface LoginThrottleSettings {
  /** Failed logins per account within the window before further attempts are refused. */
  perAccount: number;
  /** Failed logins per address within the window before further attempts are refused. */
  perAddress: number;
  windowSeconds: number;
}

/**
 * Counts failed logins and refuses further attempts for a while once an account or an address has
 * failed too often. The shape follows rate-limiter-flexible's limiters (`get` before, `penalty` on a
 * failure, `delete` on a success), so RateLimiterMemory / RateLimiterRedis can replace the two stores
 * below without touching the login.
 */
export interface LoginThrottle {
  /** Seconds until an attempt may be made again, or 0 when it may be made now. */
  retryAfter(attempt: LoginAttempt): Promise<number>;
  /** Counts a failed attempt against the account and the address. */
  failed(attempt: LoginAttempt): Promise<void>;
  /** A successful login clears the account's count (the address keeps its own). */
  succeeded(attempt: LoginAttempt): Promise<void>;
  close(): Promise<void>;
}

const keysOf = (a: LoginAttempt, s: LoginThrottleSettings, prefix = ""): [string, number][] => [
  [`${prefix}login:account:${a.account}`, s.perAccount],
  ...(a.address ? ([[`${prefix}login:address:${a.address}`, s.perAddress]] as [string, number][]) : []),
];

/** Counts in this process (SQLite runs as one instance; without Redis each instance counts alone). */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly counts = new Map<string, { failures: number; until: number }>();

  constructor(private readonly settings: LoginThrottleSettings) {}

  async retryAfter(attempt: LoginAttempt): Promise<number> {
    const now = Date.now();
    let wait = 0;
    for (const [key, limit] of keysOf(attempt, this.settings)) {
      const c = this.counts.get(key);
      if (c && c.until > now && c.failures >= limit) wait = Math.max(wait, Math.ceil((c.until - now) / 1000));
    }
    return wait;
  }

  async failed(attempt: LoginAttempt): Promise<void> {
    const now = Date.now();
    if (this.counts.size > 100_000) this.prune(now);
    for (const [key] of keysOf(attempt, this.settings)) {
      const c = this.counts.get(key);
      if (c && c.until > now) c.failures += 1;
      else this.counts.set(key, { failures: 1, until: now + this.settings.windowSeconds * 1000 });
    }
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    this.counts.delete(keysOf(attempt, this.settings)[0][0]);
  }

  private prune(now: number) {
    for (const [key, c] of this.counts) if (c.until <= now) this.counts.delete(key);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}

/** Counts in Redis, shared by every instance: one INCR (+ expiry on the first failure) per failure. */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly settings: LoginThrottleSettings,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  }

  async retryAfter(attempt: LoginAttempt): Promise<number> {
    let wait = 0;
    for (const [key, limit] of keysOf(attempt, this.settings, this.prefix)) {
      const [failures, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
      if (Number(failures ?? 0) >= limit && ttl > 0) wait = Math.max(wait, Math.ceil(ttl / 1000));
    }
    return wait;
  }

  async failed(attempt: LoginAttempt): Promise<void> {
    for (const [key] of keysOf(attempt, this.settings, this.prefix)) {
      const failures = await this.redis.incr(key);
      if (failures === 1) await this.redis.pexpire(key, this.settings.windowSeconds * 1000);
    }
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.redis.del(keysOf(attempt, this.settings, this.prefix)[0][0]);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createLoginThrottle(settings: LoginThrottleSettings, redisUrl?: string, prefix = "zorgzaam:"): LoginThrottle {
  return redisUrl ? new RedisLoginThrottle(redisUrl, settings, prefix) : new MemoryLoginThrottle(settings);
}
