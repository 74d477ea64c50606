import { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

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
 * failed too often: rate-limiter-flexible's limiters, one for accounts and one for addresses, asked
 * before a login (`get`), charged on a failure (`penalty`) and cleared on a success (`delete`).
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

/**
 * Failed logins per account and per address, in this process (RateLimiterMemory) or in Redis shared by
 * every instance (RateLimiterRedis). A window starts at an account's or address's first failure and
 * lasts `windowSeconds`; at `perAccount` / `perAddress` failures within it further attempts wait until
 * it ends.
 */
export class FlexibleLoginThrottle implements LoginThrottle {
  private readonly accounts: RateLimiterAbstract;
  private readonly addresses: RateLimiterAbstract;

  constructor(
    private readonly settings: LoginThrottleSettings,
    private readonly redis: Redis | null,
    prefix: string,
  ) {
    const make = (keyPrefix: string, points: number) =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}${keyPrefix}`, points, duration: settings.windowSeconds })
        : new RateLimiterMemory({ keyPrefix, points, duration: settings.windowSeconds });
    this.accounts = make("login-account", settings.perAccount);
    this.addresses = make("login-address", settings.perAddress);
  }

  async retryAfter(attempt: LoginAttempt): Promise<number> {
    const checks: [RateLimiterAbstract, string, number][] = [[this.accounts, attempt.account, this.settings.perAccount]];
    if (attempt.address) checks.push([this.addresses, attempt.address, this.settings.perAddress]);
    let wait = 0;
    for (const [limiter, key, limit] of checks) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= limit && res.msBeforeNext > 0) wait = Math.max(wait, Math.ceil(res.msBeforeNext / 1000));
    }
    return wait;
  }

  async failed(attempt: LoginAttempt): Promise<void> {
    await this.accounts.penalty(attempt.account, 1);
    if (attempt.address) await this.addresses.penalty(attempt.address, 1);
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.accounts.delete(attempt.account);
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

export function createLoginThrottle(settings: LoginThrottleSettings, redisUrl?: string, prefix = "zorgzaam:"): LoginThrottle {
  const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true }) : null;
  return new FlexibleLoginThrottle(settings, redis, prefix);
}
