import { createClient } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgDatabase } from "../support/backends.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { type GqlResult, collect, gql } from "../support/test-app.js";

const enabled = Boolean(process.env.TEST_PG_URL && process.env.TEST_REDIS_URL);

/**
 * Two server processes on one PostgreSQL and one Redis, started at the same moment on an empty
 * database (both migrate and seed: the start-up lock lets exactly one do it).
 */
describe.skipIf(!enabled)("two instances on PostgreSQL + Redis", () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let drop: () => Promise<void>;
  let dbUrl: string;
  const clients: ReturnType<typeof createClient>[] = [];

  beforeAll(async () => {
    const db = await createPgDatabase();
    drop = db.drop;
    dbUrl = db.url;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      JWT_SECRET: "two-instance-test-secret-long-enough-for-hs256",
      SWEEP_INTERVAL_MS: "200",
      SEED_ON_EMPTY: "true",
      DATABASE_POOL_SIZE: "8",
      // URGENT requests go to a team after about two seconds, so both instances' sweeps race for them.
      ESCALATE_OPEN_AFTER_HOURS: "URGENT:0.0005,HIGH:24,NORMAL:72,LOW:168",
    };
    [a, b] = await Promise.all([startServerProcess(env, 110_000), startServerProcess(env, 110_000)]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([a?.stop(), b?.stop()]);
    await drop?.();
  });

  const login = async (url: string, email: string) => {
    const r = await gql(url, `mutation($e: String!) { login(email: $e, password: "zorgzaam-demo") { token me { person { id } } } }`, { e: email });
    expect(r.errors).toBeUndefined();
    return { token: r.data.login.token as string, id: r.data.login.me.person.id as string };
  };
  const register = async (url: string, email: string, roles: string[] = []) => {
    const r = await gql(url, `mutation($i: RegisterInput!) { register(input: $i) { token me { person { id } } } }`, {
      i: { email, password: "correct horse battery", firstName: "Twee", lastName: "Instanties", neighbourhoodId: "nb_dordrecht-wielwijk", roles },
    });
    expect(r.errors).toBeUndefined();
    return { token: r.data.register.token as string, id: r.data.register.me.person.id as string };
  };
  const volunteerOn = async (url: string, email: string) => {
    const v = await register(url, email, ["VOLUNTEER"]);
    const r = await gql(
      url,
      `mutation($i: VolunteerProfileInput!) { updateVolunteerProfile(input: $i) { vogStatus } }`,
      { i: { categoryIds: ["cat_groceries"], neighbourhoodIds: ["nb_dordrecht-wielwijk"], languages: ["nl"], availability: [] } },
      v.token,
    );
    expect(r.errors).toBeUndefined();
    return v;
  };
  const ask = (url: string, token: string, windowMs = 48 * 3600_000) =>
    gql(
      url,
      `mutation($i: AskForHelpInput!) { askForHelp(input: $i) { id } }`,
      {
        i: {
          categoryId: "cat_groceries",
          title: "Boodschappen",
          description: "Via twee instanties",
          neighbourhoodId: "nb_dordrecht-wielwijk",
          windowStart: new Date(Date.now()).toISOString(),
          windowEnd: new Date(Date.now() + windowMs).toISOString(),
        },
      },
      token,
    );

  it("starts both on an empty database: migrated once, seeded once", async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const people = await c.query("select count(*)::int as n from people where email like '%@zorgzaam.example'");
    const migrations = await c.query("select count(*)::int as n from drizzle.__drizzle_migrations");
    await c.end();
    expect(people.rows[0].n).toBe(8);
    expect(migrations.rows[0].n).toBeGreaterThanOrEqual(1);
    for (const s of [a, b]) expect((await fetch(s.url.replace("/graphql", "/readyz"))).status).toBe(200);
    // A token from one instance works on the other (the shared secret).
    const anna = await login(a.url, "anna@zorgzaam.example");
    const me = await gql(b.url, `{ me { email } }`, {}, anna.token);
    expect(me.data.me.email).toBe("anna@zorgzaam.example");
  });

  it("delivers a request posted through instance A to a volunteer subscribed on instance B", async () => {
    const volunteer = await volunteerOn(a.url, `sub-${Date.now()}@test.example`);
    const client = createClient({ url: b.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${volunteer.token}` }, retryAttempts: 0 });
    clients.push(client);
    const sub = collect(client, `subscription { helpRequestPosted { cursor helpRequest { id title } } }`);
    await new Promise((r) => setTimeout(r, 500));
    const resident = await register(a.url, `res-${Date.now()}@test.example`);
    const posted = await ask(a.url, resident.token);
    const got = await sub.next(3000);
    expect(got.data.helpRequestPosted.helpRequest.id).toBe(posted.data.askForHelp.id);
  });

  it("gives exactly one winner when volunteers accept through A and B at the same moment", async () => {
    const resident = await register(a.url, `race-${Date.now()}@test.example`);
    const onA = await Promise.all([1, 2, 3].map((i) => volunteerOn(a.url, `va${i}-${Date.now()}@test.example`)));
    const onB = await Promise.all([1, 2, 3].map((i) => volunteerOn(b.url, `vb${i}-${Date.now()}@test.example`)));
    for (let round = 0; round < 5; round++) {
      const id = (await ask(a.url, resident.token)).data.askForHelp.id;
      const accept = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
      const results: GqlResult[] = await Promise.all([...onA.map((v) => gql(a.url, accept, { id }, v.token)), ...onB.map((v) => gql(b.url, accept, { id }, v.token))]);
      expect(results.filter((r) => r.data?.acceptHelpRequest?.status === "MATCHED")).toHaveLength(1);
      const losers = results.filter((r) => r.errors);
      expect(losers).toHaveLength(5);
      expect(losers.every((r) => r.errors![0].extensions?.code === "CONFLICT")).toBe(true);
    }
  });

  it("expires a request exactly once although both instances sweep", async () => {
    const resident = await register(b.url, `exp-${Date.now()}@test.example`);
    const id = (await ask(b.url, resident.token, 1500)).data.askForHelp.id;
    await new Promise((r) => setTimeout(r, 3000));
    const h = await gql(a.url, `query($id: ID!) { helpRequest(id: $id) { status history { toStatus } } }`, { id }, resident.token);
    expect(h.data.helpRequest.status).toBe("EXPIRED");
    expect(h.data.helpRequest.history.filter((e: any) => e.toStatus === "EXPIRED")).toHaveLength(1);
  });

  it("escalates a request open past its limit exactly once although both instances sweep", async () => {
    const resident = await register(a.url, `esc-${Date.now()}@test.example`);
    const id = (
      await gql(
        a.url,
        `mutation($i: AskForHelpInput!) { askForHelp(input: $i) { id } }`,
        {
          i: {
            categoryId: "cat_groceries",
            title: "Dringend",
            description: "Vandaag nog",
            neighbourhoodId: "nb_dordrecht-wielwijk",
            urgency: "URGENT",
            windowStart: new Date().toISOString(),
            windowEnd: new Date(Date.now() + 48 * 3600_000).toISOString(),
          },
        },
        resident.token,
      )
    ).data.askForHelp.id;
    await new Promise((r) => setTimeout(r, 4000));
    const h = await gql(b.url, `query($id: ID!) { helpRequest(id: $id) { status history { toStatus } escalation { escalationId } } }`, { id }, resident.token);
    expect(h.data.helpRequest.status).toBe("ESCALATED");
    expect(h.data.helpRequest.history.filter((e: any) => e.toStatus === "ESCALATED")).toHaveLength(1);
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      const cases = await client.query("select trigger, lead_team_id from escalations where help_request_id = $1", [id]);
      expect(cases.rows).toEqual([{ trigger: "OPEN_TOO_LONG", lead_team_id: "team_dordrecht-west-swt" }]);
    } finally {
      await client.end();
    }
    const eva = await login(a.url, "eva@zorgzaam.example");
    const queue = await gql(b.url, `{ teamQueue(teamId: "team_dordrecht-west-swt", first: 100) { edges { node { id } } } }`, {}, eva.token);
    expect(queue.data.teamQueue.edges.filter((e: any) => e.node.id === h.data.helpRequest.escalation.escalationId)).toHaveLength(1);
  });

  it("replays missed events when a subscriber reconnects to the other instance, exactly once and in order", async () => {
    const resident = await register(a.url, `replay-${Date.now()}@test.example`);
    const volunteer = await volunteerOn(a.url, `replay-v-${Date.now()}@test.example`);
    const id = (await ask(a.url, resident.token)).data.askForHelp.id;
    const query = `subscription($id: ID!, $since: String) { helpRequestChanged(id: $id, since: $since) { cursor sequence kind } }`;
    const onA = createClient({ url: a.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${resident.token}` }, retryAttempts: 0 });
    const first = collect(onA, query, { id });
    await new Promise((r) => setTimeout(r, 500));
    await gql(a.url, `mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
    const cursor = (await first.next(3000)).data.helpRequestChanged.cursor;
    await onA.dispose();
    await gql(a.url, `mutation($id: ID!) { startHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
    await gql(a.url, `mutation($id: ID!) { completeHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
    const onB = createClient({ url: b.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${resident.token}` }, retryAttempts: 0 });
    clients.push(onB);
    const again = collect(onB, query, { id, since: cursor });
    const kinds = [(await again.next(3000)).data.helpRequestChanged.kind, (await again.next(3000)).data.helpRequestChanged.kind];
    expect(kinds).toEqual(["IN_PROGRESS", "DONE"]);
    expect(await again.quiet(500)).toBe(true);
  });
});
