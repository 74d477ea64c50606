import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { buildCoordinator } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const LIMIT = 5;
const MINUTE = 60_000;

/**
 * The instances that share one key's limit: one on SQLite (which runs as one instance); on PostgreSQL
 * two instances on one database, with Redis when configured (its store) and without (the database's).
 */
function setups(): { name: string; backend: Backend; instances: number }[] {
  return backends().flatMap((backend) =>
    backend.name === "sqlite"
      ? [{ name: "sqlite", backend, instances: 1 }]
      : [
          ...(backend.redisUrl ? [{ name: "two instances on postgres + redis", backend, instances: 2 }] : []),
          { name: "two instances on postgres without redis", backend: { name: "postgres" as const }, instances: 2 },
        ],
  );
}

const until = (epochMs: number) => new Promise((r) => setTimeout(r, Math.max(0, epochMs - Date.now())));

describe("API key rate limit at the edge of a minute", () => {
  const runs: { name: string; apps: TestApp[]; secret: string }[] = [];

  beforeAll(async () => {
    for (const s of setups()) {
      const first = await startTestApp(s.backend);
      const apps = [first];
      // Further instances on the same database (and the same Redis): only the limiter's store is shared.
      for (let i = 1; i < s.instances; i++) apps.push(await startTestApp(s.backend, { DATABASE_URL: first.databaseUrl }));
      const coordinator = await buildCoordinator(first);
      const key = await buildPartnerKey(first, coordinator, ["PUBLIC_READ"], { rateLimitPerMinute: LIMIT });
      runs.push({ name: s.name, apps, secret: key.secret });
    }
  }, 120_000);

  afterAll(async () => {
    for (const run of runs) for (const app of run.apps.reverse()) await app.close();
  });

  const burst = (run: (typeof runs)[number]) => Promise.all(Array.from({ length: LIMIT }, (_, i) => keyed(run.apps[i % run.apps.length], run.secret, `{ helpCategories { id } }`)));

  it("RATE_LIMITED: a full burst just before a minute ends leaves no second burst just after it, on every instance (sliding window, not fixed)", async () => {
    // Just before the next whole minute: where a fixed window would start counting again.
    const edge = Math.ceil((Date.now() + 3000) / MINUTE) * MINUTE;
    await until(edge - 1500);
    const before = await Promise.all(runs.map(burst));
    expect(Date.now()).toBeLessThan(edge);
    await until(edge + 200);
    const after = await Promise.all(runs.map(burst));
    runs.forEach((run, i) => {
      expect
        .soft(
          before[i].map((r) => r.status),
          run.name,
        )
        .toEqual(Array(LIMIT).fill(200));
      // A fixed window would let all of these through again: 2 x LIMIT within two seconds.
      expect
        .soft(
          after[i].map((r) => r.status),
          run.name,
        )
        .toEqual(Array(LIMIT).fill(429));
      for (const r of after[i]) {
        expect(codeOf(r)).toBe("TOO_MANY_REQUESTS");
        expect(reasonOf(r)).toBe("RATE_LIMITED");
        const retry = Number(r.headers.get("retry-after"));
        // The burst fades out over the minute after it: one more request fits after about a fifth of it.
        expect(retry, run.name).toBeGreaterThanOrEqual(5);
        expect(retry, run.name).toBeLessThanOrEqual(60);
        expect((r.errors![0].extensions as Record<string, unknown>).retryAfterSeconds).toBe(retry);
        expect(r.headers.get("ratelimit-limit")).toBe(String(LIMIT));
        expect(r.headers.get("ratelimit-remaining")).toBe("0");
      }
    });
  }, 120_000);
});
