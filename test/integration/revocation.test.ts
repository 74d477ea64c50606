import { SignJWT } from "jose";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer, window } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { TEST_JWT_SECRET, type TestApp, collect, metric as counter, startTestApp } from "../support/test-app.js";

const POSTED = `subscription { helpRequestPosted { helpRequest { id title } } }`;
const CHANGED_WITH_CONTACT = `subscription($id: ID!) { helpRequestChanged(id: $id) { kind helpRequest { id status contact { fullName phone address } } } }`;
const ESCALATION_CHANGED = `subscription($id: ID!) { escalationChanged(id: $id) { status } }`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The close a subscription ended with (graphql-ws passes the socket's close event to `error`). */
const closeOf = (e: unknown) => e as { code?: number; reason?: string } | null;

async function closed(sub: { error: unknown }, ms = 10_000): Promise<{ code?: number; reason?: string }> {
  const deadline = Date.now() + ms;
  while (!sub.error) {
    if (Date.now() > deadline) throw new Error("the socket stayed open");
    await sleep(20);
  }
  return closeOf(sub.error)!;
}

/** Waits until this many subscriptions follow their topic on the server. */
async function attached(t: TestApp, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await counter(t, "zorgzaam_subscriptions_attached")) < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} subscriptions attached`);
    await sleep(20);
  }
}

describe.each(backends())("revoked credentials stop open sockets on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  beforeAll(async () => {
    // A short bound, so a change made behind the instance's back shows within the test.
    t = await startTestApp(backend, { CREDENTIAL_RECHECK_SECONDS: "1" });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  const fits = { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] };
  const ask = (resident: Account, title: string) => askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, categoryId: CAT.groceries, title });

  it("closes a volunteer's socket with 4403 when their role is revoked, and delivers nothing more", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const volunteer = await buildVolunteer(t, fits);
    const base = await counter(t, "zorgzaam_subscriptions_attached");
    const sub = collect(t.ws(volunteer.token), POSTED);
    await attached(t, base + 1);
    await sleep(300); // with Redis, a topic followed anew hears events a moment later
    const first = await ask(resident, "Voor het intrekken");
    expect((await sub.next(5000)).data.helpRequestPosted.helpRequest.id).toBe(first.id);

    const revoked = await t.gql(`mutation($id: ID!) { revokeRole(personId: $id, role: VOLUNTEER) }`, { id: volunteer.id }, coordinator.token);
    expect(revoked.errors).toBeUndefined();
    const close = await closed(sub);
    expect(close.code).toBe(4403);
    expect(close.reason).toMatch(/role .*taken away/);
    await ask(resident, "Na het intrekken");
    expect(await sub.quiet(300)).toBe(true);
    expect(sub.items).toHaveLength(1);
  });

  it("keeps a socket open when a role is granted: its subscriptions go on with the rights they started with", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const volunteer = await buildVolunteer(t, fits);
    const base = await counter(t, "zorgzaam_subscriptions_attached");
    const sub = collect(t.ws(volunteer.token), POSTED);
    await attached(t, base + 1);
    await sleep(300); // with Redis, a topic followed anew hears events a moment later
    const granted = await t.gql(`mutation($id: ID!) { grantRole(personId: $id, role: MANTELZORGER) }`, { id: volunteer.id }, coordinator.token);
    expect(granted.errors).toBeUndefined();
    const req = await ask(resident, "Na de nieuwe rol");
    expect((await sub.next(5000)).data.helpRequestPosted.helpRequest.id).toBe(req.id);
    expect(sub.error).toBeNull();
  });

  it("closes the socket within CREDENTIAL_RECHECK_SECONDS when a role is revoked behind this instance's back, without any event", async () => {
    const volunteer = await buildVolunteer(t, fits);
    const sub = collect(t.ws(volunteer.token), POSTED);
    await sleep(300);
    // As another instance would: the role goes in the database, this instance is not told.
    const s = t.app.services;
    const { and, eq } = await import("drizzle-orm");
    await s.db.transaction(async (tx) => {
      await tx.delete(s.db.tables.personRoles).where(and(eq(s.db.tables.personRoles.personId, volunteer.id), eq(s.db.tables.personRoles.role, "VOLUNTEER")));
    });
    const close = await closed(sub);
    expect(close.code).toBe(4403);
    expect(sub.items).toHaveLength(0);
  });

  it("looks at many sockets' credentials together and closes exactly those that no longer hold: each its own answer", async () => {
    // Twelve volunteers connected at once, so the periodic looks at their credentials fall together.
    const volunteers = await Promise.all(Array.from({ length: 12 }, () => buildVolunteer(t, fits)));
    const subs = volunteers.map((v) => collect(t.ws(v.token), POSTED));
    await attached(t, 12);
    const s = t.app.services;
    const tables = s.db.tables;
    const { and, eq, inArray } = await import("drizzle-orm");
    const ids = (from: number, to: number) => volunteers.slice(from, to).map((v) => v.id);
    // As another instance would, in the database only: three lose the role, three are disabled, three
    // have their sessions ended; three keep everything.
    await s.db.transaction(async (tx) => {
      await tx.delete(tables.personRoles).where(and(inArray(tables.personRoles.personId, ids(0, 3)), eq(tables.personRoles.role, "VOLUNTEER")));
      await tx
        .update(tables.people)
        .set({ disabledAt: new Date() })
        .where(inArray(tables.people.id, ids(3, 6)));
      await tx
        .update(tables.sessions)
        .set({ endedAt: new Date() })
        .where(inArray(tables.sessions.personId, ids(6, 9)));
    });
    // Asked for all twelve in the same tick (read together): each token gets its own person's answer.
    const answers = await Promise.allSettled(volunteers.map((v) => s.people.viewerFor(`Bearer ${v.token}`)));
    expect(answers.map((a) => a.status)).toEqual([...Array(3).fill("fulfilled"), ...Array(6).fill("rejected"), ...Array(3).fill("fulfilled")]);
    expect(answers.slice(3, 6).map((a) => (a as PromiseRejectedResult).reason.reason)).toEqual(Array(3).fill("ACCOUNT_DISABLED"));
    expect(answers.slice(6, 9).map((a) => (a as PromiseRejectedResult).reason.reason)).toEqual(Array(3).fill("SESSION_ENDED"));
    const kept = answers.slice(9).map((a) => (a as PromiseFulfilledResult<{ personId: string }>).value.personId);
    expect(kept).toEqual(ids(9, 12));
    const closes = await Promise.all(subs.slice(0, 9).map((sub) => closed(sub)));
    expect(closes.map((c) => c.code)).toEqual(Array(9).fill(4403));
    expect(closes.slice(3, 6).every((c) => /disabled/i.test(c.reason ?? ""))).toBe(true);
    expect(closes.slice(6, 9).every((c) => /session/i.test(c.reason ?? ""))).toBe(true);
    // The three who kept everything still receive what is posted, and nobody else did.
    const asker = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const posted = await askForHelp(t, asker.token, { categoryId: CAT.groceries });
    for (const sub of subs.slice(9)) expect((await sub.next(5000)).data.helpRequestPosted.helpRequest.id).toBe(posted.id);
    for (const sub of subs.slice(0, 9)) expect(sub.items).toHaveLength(0);
  });

  for (const how of ["revokeApiKey", "setApiClientDisabled"] as const) {
    it(`closes an app's socket with 4403 after ${how}, so it no longer receives helpRequestChanged with contact details`, async () => {
      const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ", "REQUESTS_WRITE"]);
      const asked = await keyed(t, key.secret, `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id } }`, {
        input: {
          categoryId: CAT.groceries,
          title: "Boodschappen",
          description: "Mevrouw kan niet zelf.",
          ...window(t),
          personHelped: { firstName: "Riet", lastName: "Jansen", neighbourhoodId: NB.wielwijk, phone: "06 1234 5678", address: "Dijk 2" },
        },
      });
      expect(asked.errors).toBeUndefined();
      const id = asked.data.askForHelp.id as string;
      const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { apiKey: key.secret }, retryAttempts: 0 });
      try {
        const sub = collect(client, CHANGED_WITH_CONTACT, { id });
        const volunteer = await buildVolunteer(t, fits);
        await sleep(300);
        const accepted = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
        expect(accepted.errors).toBeUndefined();
        expect((await sub.next(5000)).data.helpRequestChanged.helpRequest.contact).toEqual({ fullName: "Riet Jansen", phone: "06 1234 5678", address: "Dijk 2" });

        const change =
          how === "revokeApiKey"
            ? await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.keyId }, coordinator.token)
            : await t.gql(`mutation($id: ID!) { setApiClientDisabled(id: $id, disabled: true) { id } }`, { id: key.clientId }, coordinator.token);
        expect(change.errors).toBeUndefined();
        const close = await closed(sub);
        expect(close.code).toBe(4403);
        expect(close.reason).toMatch(/revoked/);
        await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
        expect(await sub.quiet(300)).toBe(true);
        expect(sub.items).toHaveLength(1);
      } finally {
        await client.dispose();
      }
    });
  }

  it("closes a socket with 4401 once its token expires, though it was valid when the subscription started", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const volunteer = await buildVolunteer(t, fits);
    const soon = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(volunteer.id)
      .setIssuer("zorgzaam")
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const sub = collect(t.ws(soon), POSTED);
    await sleep(300);
    const before = await ask(resident, "Nog geldig");
    expect((await sub.next(5000)).data.helpRequestPosted.helpRequest.id).toBe(before.id);
    const close = await closed(sub);
    expect(close.code).toBe(4401);
    expect(close.reason).toMatch(/expired/);
    await ask(resident, "Verlopen");
    expect(await sub.quiet(300)).toBe(true);
    expect(sub.items).toHaveLength(1);
  });

  it("stops escalationChanged for a professional once the case is re-routed to another team", async () => {
    const west = await buildProfessional(t, TEAM.westSocial, coordinator);
    const centrum = await buildProfessional(t, TEAM.centrumSocial, coordinator);
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token);
    const flagged = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: OTHER) { escalationId } }`, { id: req.id }, resident.token);
    expect(flagged.errors).toBeUndefined();
    const id = flagged.data.flagHelpRequest.escalationId as string;
    const forWest = collect(t.ws(west.token), ESCALATION_CHANGED, { id });
    const forResident = collect(t.ws(resident.token), ESCALATION_CHANGED, { id });
    await sleep(300);
    const ack = await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id }, west.token);
    expect(ack.errors).toBeUndefined();
    expect((await forWest.next(5000)).data.escalationChanged.status).toBe("ACKNOWLEDGED");
    expect((await forResident.next(5000)).data.escalationChanged.status).toBe("ACKNOWLEDGED");

    const rerouted = await t.gql(
      `mutation($id: ID!, $t: ID!) { rerouteEscalation(id: $id, leadTeamId: $t, reason: "Andere wijk") { leadTeam { id } } }`,
      { id, t: TEAM.centrumSocial },
      coordinator.token,
    );
    expect(rerouted.errors).toBeUndefined();
    const started = await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id }, centrum.token);
    void started;
    // The resident hears of the re-routing (and what follows); the west professional hears nothing more.
    await forResident.next(5000);
    expect(await forWest.quiet(400)).toBe(true);
    expect(forWest.items).toHaveLength(1);
    expect(forWest.error).toBeNull();
  });
});
