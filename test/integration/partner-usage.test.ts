import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, buildCoordinator, buildOrganiser } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, reasonOf, startTestApp } from "../support/test-app.js";

const OWN_USAGE = `{ currentApiKey { usage(days: 7) { day keyPrefix requests errors rateLimited } } }`;
const CLIENT_USAGE = `query($id: ID!) { apiClient(id: $id) { usage(days: 7) { day keyPrefix requests errors rateLimited } } }`;

/** A partner app sees what its keys did per day; a coordinator sees it of every app; nobody else. */
describe.each(backends())("a partner app's usage on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  it("counts requests, errors and rate-limit refusals per key and Europe/Amsterdam day, whatever the server's zone", async () => {
    // Just before midnight in Amsterdam, so the second day starts halfway.
    const now = DateTime.fromJSDate(t.clock.now(), { zone: "Europe/Amsterdam" });
    let target = now.set({ hour: 23, minute: 40, second: 0, millisecond: 0 });
    if (target <= now) target = target.plus({ days: 1 });
    t.clock.advance(target.toMillis() - now.toMillis());
    const firstDay = target.toISODate();
    const secondDay = target.plus({ days: 1 }).toISODate();

    const steady = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const busy = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { rateLimitPerMinute: 2, clientId: steady.clientId });
    const watcher = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { clientId: steady.clientId });
    const prefixOf = async (k: typeof steady) => (await keyed(t, k.secret, `{ currentApiKey { prefix } }`)).data.currentApiKey.prefix as string;
    const steadyPrefix = await prefixOf(steady); // steady 1: ok
    const busyPrefix = await prefixOf(busy); // busy 1: ok
    const refused = await keyed(t, steady.secret, `mutation { logout }`); // steady 2: outside its scopes
    expect(reasonOf(refused)).toBe("SCOPE_REQUIRED");
    expect((await keyed(t, busy.secret, `{ helpCategories { id } }`)).errors).toBeUndefined(); // busy 2: ok
    const limited = await keyed(t, busy.secret, `{ helpCategories { id } }`); // busy 3: over the limit
    expect(limited.status).toBe(429);

    // Half an hour later it is the next day in Amsterdam.
    t.clock.advance(30 * 60_000);
    expect((await keyed(t, steady.secret, `{ helpCategories { id } }`)).errors).toBeUndefined(); // steady 3: ok

    const own = await keyed(t, watcher.secret, OWN_USAGE);
    expect(own.errors).toBeUndefined();
    const ofBoth = own.data.currentApiKey.usage.filter((u: any) => u.keyPrefix === busyPrefix || u.keyPrefix === steadyPrefix);
    const expected = [
      { day: firstDay, keyPrefix: busyPrefix, requests: 3, errors: 1, rateLimited: 1 },
      { day: firstDay, keyPrefix: steadyPrefix, requests: 2, errors: 1, rateLimited: 0 },
      { day: secondDay, keyPrefix: steadyPrefix, requests: 1, errors: 0, rateLimited: 0 },
    ];
    const byDayAndPrefix = (a: any, b: any) => a.day.localeCompare(b.day) || a.keyPrefix.localeCompare(b.keyPrefix);
    expect([...ofBoth].sort(byDayAndPrefix)).toEqual(expected.sort(byDayAndPrefix));

    // The coordinator sees the same figures, and the watcher's own first request now too.
    const seen = await t.gql(CLIENT_USAGE, { id: busy.clientId }, coordinator.token);
    expect(seen.errors).toBeUndefined();
    const seenOfBoth = seen.data.apiClient.usage.filter((u: any) => u.keyPrefix === busyPrefix || u.keyPrefix === steadyPrefix);
    expect([...seenOfBoth].sort(byDayAndPrefix)).toEqual(expected);
    expect(seen.data.apiClient.usage.some((u: any) => u.keyPrefix !== busyPrefix && u.keyPrefix !== steadyPrefix && u.requests === 1)).toBe(true);
  });

  it("another app sees only its own usage; an organiser, anonymous and a key ask in vain for an app's usage", async () => {
    const mine = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const theirs = await buildPartnerKey(t, coordinator, ["PUBLIC_READ", "STATS_READ"]);
    for (let i = 0; i < 3; i++) await keyed(t, theirs.secret, `{ helpCategories { id } }`);
    const own = await keyed(t, mine.secret, OWN_USAGE);
    expect(own.data.currentApiKey.usage).toEqual([]);

    const organiser = await buildOrganiser(t, coordinator);
    expect(reasonOf(await t.gql(CLIENT_USAGE, { id: theirs.clientId }, organiser.token))).toBe("COORDINATOR_ONLY");
    expect((await t.gql(CLIENT_USAGE, { id: theirs.clientId })).data?.apiClient ?? null).toBeNull();
    const byKey = await keyed(t, mine.secret, CLIENT_USAGE, { id: theirs.clientId });
    expect(reasonOf(byKey)).toBe("SCOPE_REQUIRED");
    // Without a key, currentApiKey is null and so is its usage.
    expect((await t.gql(OWN_USAGE, {}, organiser.token)).data.currentApiKey).toBeNull();
  });

  it("days: 1-90", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    for (const days of [0, 91]) {
      const r = await keyed(t, key.secret, `query($d: Int) { currentApiKey { usage(days: $d) { day } } }`, { d: days });
      expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});
