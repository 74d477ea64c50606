import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgDatabase } from "../support/backends.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { collect, gql } from "../support/test-app.js";

const enabled = Boolean(process.env.TEST_PG_URL && process.env.TEST_REDIS_URL);

/** How many requests are posted at once through both instances (each is one event on the posted feed). */
const EVENTS = Number(process.env.TWO_INSTANCE_EVENTS ?? 5000);
/** HTTP requests in flight at once, spread over both instances. */
const IN_FLIGHT = 16;
/** Requests posted by one HTTP request (aliased fields), so the test spends its time on events, not on HTTP. */
const BATCH = 20;

const POSTED = `subscription($since: String) { helpRequestPosted(since: $since) { cursor sequence helpRequest { id } } }`;

/**
 * Live delivery across instances. Both instances take event sequence numbers from one PostgreSQL
 * database and announce commits on one Redis; commits (and their announcements) of concurrent writers
 * must reach every subscriber exactly once, in log order, whichever instance the writer and the
 * subscriber are on.
 */
describe.skipIf(!enabled)("live events across two instances on PostgreSQL + Redis", () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let drop: () => Promise<void>;
  const clients: ReturnType<typeof createClient>[] = [];

  beforeAll(async () => {
    const db = await createPgDatabase();
    drop = db.drop;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      JWT_SECRET: "two-instance-test-secret-long-enough-for-hs256",
      SWEEP_INTERVAL_MS: "0",
      SEED_ON_EMPTY: "true",
      DATABASE_POOL_SIZE: "8",
    };
    [a, b] = await Promise.all([startServerProcess(env, 110_000), startServerProcess(env, 110_000)]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([a?.stop(), b?.stop()]);
    await drop?.();
  });

  const register = async (url: string, email: string, roles: string[] = []) => {
    const r = await gql(url, `mutation($i: RegisterInput!) { register(input: $i) { token } }`, {
      i: { email, password: "correct horse battery", firstName: "Twee", lastName: "Instanties", neighbourhoodId: "nb_dordrecht-wielwijk", roles },
    });
    expect(r.errors).toBeUndefined();
    return r.data.register.token as string;
  };
  const volunteerOn = async (url: string, email: string) => {
    const token = await register(url, email, ["VOLUNTEER"]);
    const r = await gql(
      url,
      `mutation($i: VolunteerProfileInput!) { updateVolunteerProfile(input: $i) { vogStatus } }`,
      { i: { categoryIds: ["cat_groceries"], neighbourhoodIds: ["nb_dordrecht-wielwijk"], languages: ["nl"], availability: [] } },
      token,
    );
    expect(r.errors).toBeUndefined();
    return token;
  };
  const subscriber = (url: string, token: string, since?: string) => {
    const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    clients.push(client);
    return collect(client, POSTED, since === undefined ? {} : { since });
  };
  /** Waits until `sub` holds `n` items, or until nothing new arrived for `idleMs`. */
  const drain = async (sub: ReturnType<typeof subscriber>, n: number, idleMs = 4000) => {
    let seen = -1;
    while (sub.items.length < n && sub.items.length !== seen) {
      seen = sub.items.length;
      await new Promise((r) => setTimeout(r, idleMs));
    }
  };
  /** What a subscriber received: ids missing from `posted`, ids received twice, sequences out of order. */
  const account = (sub: ReturnType<typeof subscriber>, posted: string[]) => {
    expect(sub.items.filter((i) => i.errors)).toEqual([]);
    const got = sub.items.map((i) => i.data.helpRequestPosted as { cursor: string; sequence: number; helpRequest: { id: string } });
    const ids = got.map((g) => g.helpRequest.id);
    const unique = new Set(ids);
    const sequences = got.map((g) => g.sequence);
    return {
      received: ids.length,
      missing: posted.filter((id) => !unique.has(id)).length,
      duplicated: ids.length - unique.size,
      outOfOrder: sequences.filter((s, i) => i > 0 && s <= sequences[i - 1]).length,
      first: got[0]?.cursor,
    };
  };

  it(
    `delivers ${EVENTS} requests posted at once through both instances to subscribers on each, none missing, none twice, and replays them`,
    async () => {
      const stamp = Date.now();
      const onA = subscriber(a.wsUrl, await volunteerOn(a.url, `ev-va-${stamp}@test.example`));
      const onB = subscriber(b.wsUrl, await volunteerOn(b.url, `ev-vb-${stamp}@test.example`));
      const residents = await Promise.all(
        [0, 1, 2, 3, 4, 5, 6, 7].map(async (i) => ({ url: i % 2 ? b.url : a.url, token: await register(i % 2 ? b.url : a.url, `ev-r${i}-${stamp}@test.example`) })),
      );
      await new Promise((r) => setTimeout(r, 500));

      // Each HTTP request carries BATCH askForHelp fields (one commit each, one after the other);
      // IN_FLIGHT such requests run at once, alternating between the instances.
      const input = (i: number) => ({
        categoryId: "cat_groceries",
        title: `Boodschappen ${i}`,
        description: "Via twee instanties tegelijk",
        neighbourhoodId: "nb_dordrecht-wielwijk",
        windowStart: new Date().toISOString(),
        windowEnd: new Date(Date.now() + 48 * 3600_000).toISOString(),
      });
      const posted: string[] = [];
      let next = 0;
      const writer = async () => {
        for (let first = next, n = 0; first < EVENTS; first = next) {
          n = Math.min(BATCH, EVENTS - first);
          next += n;
          const resident = residents[(first / BATCH) % residents.length];
          const fields = Array.from({ length: n }, (_, k) => `r${k}: askForHelp(input: $i${k}) { id }`);
          const params = Array.from({ length: n }, (_, k) => `$i${k}: AskForHelpInput!`);
          const variables = Object.fromEntries(Array.from({ length: n }, (_, k) => [`i${k}`, input(first + k)]));
          const r = await gql(resident.url, `mutation(${params.join(", ")}) { ${fields.join(" ")} }`, variables, resident.token);
          expect(r.errors).toBeUndefined();
          for (let k = 0; k < n; k++) posted.push(r.data[`r${k}`].id as string);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
      expect(posted).toHaveLength(EVENTS);

      await Promise.all([drain(onA, EVENTS), drain(onB, EVENTS)]);
      const live = { onA: account(onA, posted), onB: account(onB, posted) };
      expect(live).toEqual({
        onA: { received: EVENTS, missing: 0, duplicated: 0, outOfOrder: 0, first: expect.any(String) },
        onB: { received: EVENTS, missing: 0, duplicated: 0, outOfOrder: 0, first: expect.any(String) },
      });

      // Whatever a subscriber missed live is in the log: a reconnect on the other instance, from just
      // after the first event, replays every later one once and in order.
      const replayed = subscriber(b.wsUrl, await volunteerOn(b.url, `ev-vr-${stamp}@test.example`), live.onA.first);
      await drain(replayed, EVENTS - 1);
      const again = account(
        replayed,
        posted.filter((id) => id !== onA.items[0].data.helpRequestPosted.helpRequest.id),
      );
      expect(again).toMatchObject({ received: EVENTS - 1, missing: 0, duplicated: 0, outOfOrder: 0 });
    },
    60_000 + EVENTS * 100,
  );
});
