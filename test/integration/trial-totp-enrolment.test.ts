import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, TEAM, buildCoordinator, buildPerson, buildProfessional } from "../support/builders.js";
import { type TestApp, collect, reasonOf, startTestApp } from "../support/test-app.js";

const DIRECT = `mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId status } }`;
const GIVE = `mutation($id: ID!) { giveConsent(escalationId: $id, purpose: "Ondersteuning") { status } }`;
const DETAILS = `query($id: ID!) { escalation(id: $id) { urgency personDetails { fullName address } } }`;
const QUEUE = `query($team: ID!) { teamQueue(teamId: $team, first: 100) { edges { node { id trigger } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Escalation { urgency personDetails { fullName address } } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Escalation { urgency personDetails { fullName address } } } }`;

/**
 * A professional whose role requires a second factor (REQUIRE_TOTP_FOR) and who has not set one up
 * may do nothing but enrol: not through the top-level fields, nor through node/nodes.
 */
describe.each(backends())("a professional who must still enrol a second factor on $name", (backend) => {
  let t: TestApp;
  let pro: Account;
  let escalationId: string;
  beforeAll(async () => {
    t = await startTestApp(backend, { REQUIRE_TOTP_FOR: "PROFESSIONAL", LOGIN_THROTTLE_REDIS_PREFIX: `trial-totp-${Date.now()}:` });
    const coordinator = await buildCoordinator(t);
    pro = await buildProfessional(t, TEAM.westSocial, coordinator);
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk, firstName: "Ria", lastName: "Geheim", address: "Verborgen straat 9" });
    escalationId = (await t.gql(DIRECT, { i: { reason: "FINANCIAL" } }, resident.token)).data.askProfessionalHelp.escalationId;
    expect((await t.gql(GIVE, { id: escalationId }, resident.token)).errors).toBeUndefined();
  });
  afterAll(async () => t?.close());

  it("TOTP_ENROLMENT_REQUIRED: the team queue and a case by id are refused", async () => {
    const queue = await t.gql(QUEUE, { team: TEAM.westSocial }, pro.token);
    expect(queue.data?.teamQueue ?? null).toBeNull();
    expect(reasonOf(queue)).toBe("TOTP_ENROLMENT_REQUIRED");
    const one = await t.gql(DETAILS, { id: escalationId }, pro.token);
    expect(JSON.stringify(one.data ?? {})).not.toContain("Verborgen");
    expect(one.errors?.length ?? 0).toBeGreaterThan(0);
  });

  it("TOTP_ENROLMENT_REQUIRED: node(id) and nodes(ids) give a case's personal details to no one who must still enrol", async () => {
    const viaNode = await t.gql(NODE, { id: escalationId }, pro.token);
    expect(JSON.stringify(viaNode.data ?? {})).not.toContain("Verborgen");
    expect(viaNode.data?.node ?? null).toBeNull();
    const viaNodes = await t.gql(NODES, { ids: [escalationId] }, pro.token);
    expect(JSON.stringify(viaNodes.data ?? {})).not.toContain("Verborgen");
  });

  it("TOTP_ENROLMENT_REQUIRED: over a socket, a team's live queue and a case's changes tell nothing until the second factor is set up", async () => {
    const client = t.ws(pro.token);
    try {
      const raised = collect(client, `subscription($team: ID!) { escalationRaised(teamId: $team) { escalation { id reasonNote } } }`, { team: TEAM.westSocial });
      const changed = collect(client, `subscription($id: ID!) { escalationChanged(id: $id) { escalationId status event } }`, { id: escalationId });
      await new Promise((r) => setTimeout(r, 300));
      const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk, address: "Nieuwe geheime weg 1" });
      expect((await t.gql(DIRECT, { i: { reason: "HOUSING", note: "Geheime notitie" } }, resident.token)).errors).toBeUndefined();
      await new Promise((r) => setTimeout(r, 700));
      for (const live of [raised, changed]) {
        const text = JSON.stringify(live.items);
        expect(text).not.toContain("Geheime");
        expect(text).not.toContain("Verborgen");
        expect(live.items.filter((i) => i.data)).toHaveLength(0);
      }
      const reasons = [...raised.items, ...changed.items].flatMap((i) => i.errors ?? []).map((e) => e.extensions?.reason);
      expect(reasons.length + (raised.error ? 1 : 0) + (changed.error ? 1 : 0)).toBeGreaterThan(0);
      for (const r of reasons) expect(r).toBe("TOTP_ENROLMENT_REQUIRED");
    } finally {
      await client.dispose();
    }
  });

  // A token alone does not set up a second factor: whoever holds a stolen token of a coordinator could set
  // up one of their own, and the owner's next login would need the thief's codes. Enrolling asks for the
  // current password, as changePassword does, under the code throttle.
  it("PASSWORD_WRONG: a token alone does not set up a second factor: enrolling asks for the current password", async () => {
    const victim = await buildCoordinator(t);
    const missing = await t.gql(`mutation { enrolTotp { secret } }`, {}, victim.token);
    expect(missing.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const wrong = await t.gql(`mutation { enrolTotp(password: "stolen token only") { secret } }`, {}, victim.token);
    expect(reasonOf(wrong)).toBe("PASSWORD_WRONG");
    const huge = await t.gql(`mutation($p: String!) { enrolTotp(password: $p) { secret } }`, { p: "x".repeat(5000) }, victim.token);
    expect(huge.errors).toBeDefined();
    const right = await t.gql(`mutation { enrolTotp(password: "correct horse battery") { secret } }`, {}, victim.token);
    expect(right.errors).toBeUndefined();
    expect(right.data.enrolTotp.secret).toMatch(/^[A-Z2-7]+$/);
  });
});
