import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, NB, TEAM, birthDateForAge, buildCoordinator, buildPerson, buildProfessional, window } from "../support/builders.js";
import { type TestApp, collect, reasonOf, startTestApp } from "../support/test-app.js";

/** Every way a professional could come to the case's subject: the case (query and node), who acted in it, the request behind it, the person. */
const CASE = `query($id: ID!) { escalation(id: $id) { id status personDetails { fullName address phone birthDate basis consentId } audit { kind actor { id firstName } } consents { givenBy { id firstName } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Escalation { personDetails { fullName basis } } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
const REQUEST = `query($id: ID!) { helpRequest(id: $id) { id personHelped { firstName } contact { address phone } } }`;
const RAISED = `subscription($team: ID!) { escalationRaised(teamId: $team) { kind escalation { id personDetails { fullName basis } } } }`;
const CHANGED = `subscription($id: ID!) { escalationChanged(id: $id) { status event } }`;
const GIVE = `mutation($id: ID!) { giveConsent(escalationId: $id, purpose: "Ondersteuning") { status } }`;
const LOG = `query($s: ID!) { accessLog(subjectId: $s, first: 100) { edges { node { purpose objectId objectType fields result readerRoles readerTeam reader { id } } } } }`;
const VERIFY = `{ verifyAccessLog { ok checked } }`;

const FULL_NAME = "Sanne Doelbinding";

describe.each(backends())("purpose binding of professionals' reads on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let westSocial: Account;
  let westYouth: Account;
  let centrumSocial: Account;
  let unrelated: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
    westSocial = await buildProfessional(t, TEAM.westSocial, coordinator);
    westYouth = await buildProfessional(t, TEAM.westYouth, coordinator);
    centrumSocial = await buildProfessional(t, TEAM.centrumSocial, coordinator);
    unrelated = await buildProfessional(t, TEAM.centrumYouth, coordinator);
  });
  afterAll(async () => t?.close());

  const tick = () => t.clock.advance(60_000);

  /** What one reader gets through every read path; `details` is the basis of a granted read or the reason of the refusal. */
  async function readsOf(token: string | undefined, caseId: string, helpRequestId: string, subjectId: string) {
    const viaCase = await t.gql(CASE, { id: caseId }, token);
    const viaNode = await t.gql(NODE, { id: caseId }, token);
    const viaNodes = await t.gql(NODES, { ids: [caseId, helpRequestId, subjectId] }, token);
    const viaRequest = await t.gql(REQUEST, { id: helpRequestId }, token);
    const c = viaCase.data?.escalation ?? null;
    return {
      seesCase: c !== null,
      details: c?.personDetails ? c.personDetails.basis : (reasonOf(viaCase) ?? null),
      nodeDetails: viaNode.data?.node?.personDetails?.basis ?? (viaNode.data?.node ? reasonOf(viaNode) : null),
      namesSubject: c ? c.audit.some((a: any) => a.actor?.id === subjectId) || c.consents.some((x: any) => x.givenBy?.id === subjectId) : false,
      nodes: viaNodes.data?.nodes.map((n: any) => n?.id ?? null) ?? null,
      request: viaRequest.data?.helpRequest ?? null,
      leaks: JSON.stringify([viaCase.data, viaNode.data, viaNodes.data, viaRequest.data]).includes("Doelbinding"),
    };
  }

  it("CASE_CLOSED: a professional reads the person only through an open case of their team, with the case as the purpose; a re-route ends the former team's reads at once and the new team needs its own consent", async () => {
    const resident = await buildPerson(t, {
      firstName: "Sanne",
      lastName: "Doelbinding",
      address: "Doelstraat 7",
      phone: "0612345678",
      neighbourhoodId: NB.wielwijk,
      birthDate: birthDateForAge(t, 20),
    });
    const asked = await t.gql(
      `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id } }`,
      { input: { categoryId: CAT.paperwork, title: "Post", description: "Hulp met brieven", ...window(t) } },
      resident.token,
    );
    const helpRequestId = asked.data.askForHelp.id as string;

    // Subscriptions open before the case exists: each team's queue, and a coordinator's.
    const liveWest = collect(t.ws(westSocial.token), RAISED, { team: TEAM.westSocial });
    const liveYouth = collect(t.ws(westYouth.token), RAISED, { team: TEAM.westYouth });
    const liveCentrum = collect(t.ws(centrumSocial.token), RAISED, { team: TEAM.centrumSocial });
    const liveCoordinator = collect(t.ws(coordinator.token), RAISED, { team: TEAM.westSocial });
    const liveUnrelated = collect(t.ws(unrelated.token), RAISED, { team: TEAM.westSocial });
    expect((await liveUnrelated.next()).errors?.[0].extensions?.reason).toBe("NOT_A_TEAM_MEMBER");
    await new Promise((r) => setTimeout(r, 300));
    const subscriptions = [liveWest, liveYouth, liveCentrum, liveCoordinator, liveUnrelated];
    try {
      const flagged = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH) { escalationId status } }`, { id: helpRequestId }, resident.token);
      expect(flagged.errors).toBeUndefined();
      const caseId = flagged.data.flagHelpRequest.escalationId as string;
      const reads = (token: string | undefined) => readsOf(token, caseId, helpRequestId, resident.id);

      // NEW, the case arrives live in both teams' queues, without the person: there is no consent yet.
      for (const live of [liveWest, liveYouth]) {
        const item = await live.next();
        expect(item.data.escalationRaised).toMatchObject({ kind: "RAISED", escalation: { id: caseId, personDetails: null } });
        expect(item.errors?.[0].extensions?.reason).toBe("CONSENT_REQUIRED");
        expect(JSON.stringify(item)).not.toContain("Doelbinding");
      }
      const atCoordinator = await liveCoordinator.next();
      expect(atCoordinator.data.escalationRaised.escalation.personDetails).toBeNull();
      expect(atCoordinator.errors?.[0].extensions?.reason).toBe("PROFESSIONAL_ONLY");
      const followWest = collect(t.ws(westSocial.token), CHANGED, { id: caseId });
      subscriptions.push(followWest);
      await new Promise((r) => setTimeout(r, 300));

      const outsiders = async () => {
        // Never, at any step: a professional of an unrelated team, a coordinator (who sees the case, not the person), anyone anonymous.
        const u = await reads(unrelated.token);
        expect(u).toMatchObject({
          seesCase: false,
          details: "ESCALATION_NOT_FOUND",
          nodeDetails: null,
          namesSubject: false,
          nodes: [null, null, null],
          request: null,
          leaks: false,
        });
        const c = await reads(coordinator.token);
        expect(c).toMatchObject({ seesCase: true, details: "PROFESSIONAL_ONLY", nodeDetails: "PROFESSIONAL_ONLY", leaks: false });
        const a = await reads(undefined);
        expect(a).toMatchObject({ seesCase: false, details: "UNAUTHENTICATED", nodeDetails: null, nodes: [null, null, null], request: null, leaks: false });
      };
      /** A professional of a team of the case: the case, and the person only with the expected basis; never the request or the person node. */
      const member = async (token: string, expected: string) => {
        const r = await reads(token);
        expect(r).toMatchObject({ seesCase: true, details: expected, nodeDetails: expected, nodes: [caseId, null, null], request: null });
        const granted = expected === "CONSENT" || expected === "SAFETY_BYPASS";
        expect(r.leaks).toBe(granted);
        expect(r.namesSubject).toBe(granted);
      };
      const former = async (token: string) => {
        expect(await reads(token)).toMatchObject({
          seesCase: false,
          details: "ESCALATION_NOT_FOUND",
          nodeDetails: null,
          namesSubject: false,
          nodes: [null, null, null],
          request: null,
          leaks: false,
        });
      };

      await member(westSocial.token, "CONSENT_REQUIRED");
      await member(westYouth.token, "CONSENT_REQUIRED");
      await former(centrumSocial.token);
      await outsiders();

      tick();
      expect((await t.gql(GIVE, { id: caseId }, resident.token)).errors).toBeUndefined();
      await member(westSocial.token, "CONSENT");
      await member(westYouth.token, "CONSENT");
      await former(centrumSocial.token);
      await outsiders();

      // ACKNOWLEDGED and IN_CARE: the same.
      tick();
      expect((await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id: caseId }, westSocial.token)).data.acknowledgeEscalation.status).toBe(
        "ACKNOWLEDGED",
      );
      await member(westSocial.token, "CONSENT");
      await member(westYouth.token, "CONSENT");
      await outsiders();
      tick();
      expect((await t.gql(`mutation($id: ID!) { startEscalationCare(id: $id) { status } }`, { id: caseId }, westYouth.token)).data.startEscalationCare.status).toBe("IN_CARE");
      await member(westSocial.token, "CONSENT");
      await member(westYouth.token, "CONSENT");
      await former(centrumSocial.token);
      await outsiders();

      // Re-routed to Centrum: both West teams lose the case at once, on HTTP and live; Centrum needs its own consent.
      tick();
      const REROUTE = `mutation($id: ID!, $lead: ID!, $co: ID) { rerouteEscalation(id: $id, leadTeamId: $lead, coTeamId: $co, reason: "Woont sinds kort in Centrum") { leadTeam { id } } }`;
      expect((await t.gql(REROUTE, { id: caseId, lead: TEAM.centrumSocial, co: null }, coordinator.token)).errors).toBeUndefined();
      const arrived = await liveCentrum.next();
      expect(arrived.data.escalationRaised).toMatchObject({ kind: "REROUTED", escalation: { id: caseId, personDetails: null } });
      expect(arrived.errors?.[0].extensions?.reason).toBe("CONSENT_REQUIRED");
      await former(westSocial.token);
      await former(westYouth.token);
      await member(centrumSocial.token, "CONSENT_REQUIRED");
      await outsiders();
      tick();
      expect((await t.gql(GIVE, { id: caseId }, resident.token)).errors).toBeUndefined();
      await member(centrumSocial.token, "CONSENT");
      await former(westSocial.token);
      await former(westYouth.token);
      await outsiders();

      // And back to West, where the consent given to West for this case still holds; Centrum is now the former team.
      tick();
      expect((await t.gql(REROUTE, { id: caseId, lead: TEAM.westSocial, co: TEAM.westYouth }, coordinator.token)).errors).toBeUndefined();
      for (const live of [liveWest, liveYouth]) {
        const back = await live.next();
        expect(back.errors).toBeUndefined();
        expect(back.data.escalationRaised).toMatchObject({ kind: "REROUTED", escalation: { id: caseId, personDetails: { fullName: FULL_NAME, basis: "CONSENT" } } });
      }
      await member(westSocial.token, "CONSENT");
      await member(westYouth.token, "CONSENT");
      await former(centrumSocial.token);
      await outsiders();
      // Withdrawn, the teams keep the case without the person.
      tick();
      expect((await t.gql(`mutation($id: ID!) { withdrawConsent(escalationId: $id) { status } }`, { id: caseId }, resident.token)).errors).toBeUndefined();
      await member(westSocial.token, "CONSENT_REQUIRED");
      await member(westYouth.token, "CONSENT_REQUIRED");

      // A SAFETY flag upgrades the open case: the teams are told live, and read the person on the bypass.
      tick();
      expect((await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: SAFETY) { escalationId } }`, { id: helpRequestId }, resident.token)).errors).toBeUndefined();
      for (const live of [liveWest, liveYouth]) {
        const upgraded = await live.next();
        expect(upgraded.errors).toBeUndefined();
        expect(upgraded.data.escalationRaised).toMatchObject({ kind: "SAFETY_BYPASS", escalation: { id: caseId, personDetails: { fullName: FULL_NAME, basis: "SAFETY_BYPASS" } } });
      }
      await member(westSocial.token, "SAFETY_BYPASS");
      await former(centrumSocial.token);
      await outsiders();

      // CLOSED: the case stays in the team's books, the person does not, not even on the safety bypass.
      tick();
      const closed = await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: PROFESSIONAL_SUPPORT) { status } }`, { id: caseId }, westSocial.token);
      expect(closed.data.closeEscalation.status).toBe("CLOSED");
      // West followed the case's changes throughout, except while it was with Centrum (Centrum's consent among them).
      await followWest.quiet(500);
      const heard = followWest.items.map((i: any) => i.data?.escalationChanged.event);
      expect(heard).toEqual(["CONSENT_GIVEN", "ACKNOWLEDGED", "IN_CARE", "REROUTED", "CONSENT_WITHDRAWN", "SAFETY_BYPASS", "CLOSED"]);
      await member(westSocial.token, "CASE_CLOSED");
      await member(westYouth.token, "CASE_CLOSED");
      await former(centrumSocial.token);
      await outsiders();
      expect(await liveCentrum.quiet(300)).toBe(true);

      // A case is not reopened: asking again makes a new case, which asks for consent again.
      tick();
      const again = await t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId } }`, { i: { reason: "FINANCIAL" } }, resident.token);
      const later = again.data.askProfessionalHelp.escalationId as string;
      expect(later).not.toBe(caseId);
      expect(reasonOf(await t.gql(CASE, { id: later }, westSocial.token))).toBe("CONSENT_REQUIRED");
      expect(reasonOf(await t.gql(CASE, { id: caseId }, westSocial.token))).toBe("CASE_CLOSED");

      // Every read of the person by a professional names the case as its purpose and rests on a recorded basis.
      const log = (await t.gql(LOG, { s: resident.id }, coordinator.token)).data.accessLog.edges.map((e: any) => e.node);
      const professionals = new Set([westSocial.id, westYouth.id, centrumSocial.id, unrelated.id]);
      const granted = log.filter((e: any) => e.result === "GRANTED" && professionals.has(e.reader.id));
      expect(granted.length).toBeGreaterThan(0);
      for (const e of granted) {
        expect([caseId, later]).toContain(e.objectId);
        expect(e.objectType).toBe("Escalation");
        expect(e.purpose).toMatch(new RegExp(`^case ${e.objectId} \\((consent consent_\\S+|safety bypass of ${caseId})\\)$`));
      }
      expect(granted.filter((e: any) => e.reader.id === centrumSocial.id).length).toBeGreaterThan(0);
      expect(granted.some((e: any) => e.reader.id === unrelated.id)).toBe(false);
      expect(granted.filter((e: any) => e.reader.id === westSocial.id && e.purpose.includes("safety bypass")).length).toBeGreaterThan(0);
      expect((await t.gql(VERIFY, {}, coordinator.token)).data.verifyAccessLog.ok).toBe(true);
    } finally {
      for (const live of subscriptions) live.unsubscribe();
    }
  });

  it("refused attempts at a person's details are logged as REFUSED with the NEN 7513 fields, and the chain still verifies", async () => {
    const resident = await buildPerson(t, { firstName: "Ruud", lastName: "Geweigerd", neighbourhoodId: NB.wielwijk });
    const caseId = (await t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId } }`, { i: { reason: "HOUSING" } }, resident.token)).data
      .askProfessionalHelp.escalationId as string;
    const DETAILS = `query($id: ID!) { escalation(id: $id) { personDetails { fullName } } }`;
    expect(reasonOf(await t.gql(DETAILS, { id: caseId }, westSocial.token))).toBe("CONSENT_REQUIRED");
    tick();
    expect(reasonOf(await t.gql(DETAILS, { id: caseId }, coordinator.token))).toBe("PROFESSIONAL_ONLY");
    tick();
    expect((await t.gql(GIVE, { id: caseId }, resident.token)).errors).toBeUndefined();
    tick();
    expect((await t.gql(DETAILS, { id: caseId }, westSocial.token)).data.escalation.personDetails.fullName).toBe("Ruud Geweigerd");
    tick();
    await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: NO_ACTION) { status } }`, { id: caseId }, westSocial.token);
    tick();
    expect(reasonOf(await t.gql(DETAILS, { id: caseId }, westSocial.token))).toBe("CASE_CLOSED");

    const log = (await t.gql(LOG, { s: resident.id }, coordinator.token)).data.accessLog.edges.map((e: any) => e.node).reverse();
    const of = (e: any) => ({ reader: e.reader.id, result: e.result, purpose: e.purpose });
    expect(log.map(of)).toEqual([
      { reader: westSocial.id, result: "REFUSED", purpose: `case ${caseId} (refused: CONSENT_REQUIRED)` },
      { reader: coordinator.id, result: "REFUSED", purpose: `case ${caseId} (refused: PROFESSIONAL_ONLY)` },
      { reader: westSocial.id, result: "GRANTED", purpose: expect.stringMatching(new RegExp(`^case ${caseId} \\(consent consent_`)) },
      { reader: westSocial.id, result: "REFUSED", purpose: `case ${caseId} (refused: CASE_CLOSED)` },
    ]);
    for (const e of log) {
      expect(e).toMatchObject({ objectId: caseId, objectType: "Escalation", fields: ["fullName", "address", "phone", "birthDate"] });
      expect(e.readerRoles.length).toBeGreaterThan(0);
    }
    expect(log[0].readerTeam).not.toBeNull();
    expect(log[1].readerRoles).toContain("COORDINATOR");
    // The person sees the refused attempts, too.
    const own = (await t.gql(LOG, { s: resident.id }, resident.token)).data.accessLog.edges.map((e: any) => e.node.result);
    expect(own.filter((r: string) => r === "REFUSED")).toHaveLength(3);
    expect((await t.gql(VERIFY, {}, coordinator.token)).data.verifyAccessLog.ok).toBe(true);
  });
});
