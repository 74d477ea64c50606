import { RateLimiterMemory } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { RATE_WINDOW_MS, SlidingWindowLimiter, slidingDecision } from "../../src/modules/api-clients/rate-limiter.js";

/** A whole minute since the epoch. */
const T0 = 30_000_000 * RATE_WINDOW_MS;

describe("sliding-window rate limit", () => {
  it("counts this minute's requests plus the share of the previous minute's still within 60 seconds", () => {
    expect(slidingDecision(0, 1, 5, 0.5)).toEqual({ allowed: true, limit: 5, remaining: 4, resetSeconds: 90, retryAfterSeconds: 0 });
    // Over the limit within one minute: one more fits once this minute's count has faded enough in the next.
    expect(slidingDecision(0, 6, 5, 0.5)).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 30 + 12 });
    // Just after a minute with a full burst: nothing until a fifth of that burst has faded (12 s).
    expect(slidingDecision(5, 1, 5, 0.01)).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 12 });
    expect(slidingDecision(5, 1, 5, 0.2)).toMatchObject({ allowed: true, remaining: 0 });
    expect(slidingDecision(5, 0, 5, 0.5).resetSeconds).toBe(30);
  });

  it("never lets a second burst through at a minute's end, and holds a steady client to the limit per minute", async () => {
    const limiter = new SlidingWindowLimiter("memory", new RateLimiterMemory({ points: 1e9, duration: 120 }));
    const allowed: number[] = [];
    // A client asking every 100 ms for five minutes, starting 2 s before a minute ends.
    for (let t = T0 - 2000; t < T0 + 5 * RATE_WINDOW_MS; t += 100) {
      if ((await limiter.hit("key:k", 5, t)).allowed) allowed.push(t);
    }
    const most = (span: number) => Math.max(...allowed.map((t) => allowed.filter((u) => u >= t && u < t + span).length));
    expect(most(4000)).toBe(5);
    expect(most(RATE_WINDOW_MS)).toBeLessThanOrEqual(2 * 5);
    expect(allowed.length).toBeLessThanOrEqual(5 + 5 * 5);
    expect(allowed.length).toBeGreaterThanOrEqual(5 * 5);
    await limiter.close();
  });

  it("keeps buckets apart", async () => {
    const limiter = new SlidingWindowLimiter("memory", new RateLimiterMemory({ points: 1e9, duration: 120 }));
    for (let i = 0; i < 3; i++) expect((await limiter.hit("key:a", 3, T0 + i)).allowed).toBe(true);
    expect((await limiter.hit("key:a", 3, T0 + 10)).allowed).toBe(false);
    expect((await limiter.hit("key:b", 3, T0 + 10)).allowed).toBe(true);
  });
});
