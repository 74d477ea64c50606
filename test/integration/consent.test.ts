import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import {
  ASK,
  type Account,
  CAT,
  HOUR,
  NB,
  TEAM,
  askForHelp,
  birthDateForAge,
  buildCoordinator,
  buildPerson,
  buildProfessional,
  buildVolunteer,
  window,
} from "../support/builders.js";
import { type TestApp, reasonOf, startTestApp } from "../support/test-app.js";

const DETAILS = `query($id: ID!) { escalation(id: $id) { urgency acknowledgeBy consentBypassBasis personDetails { fullName address basis consentId } consents { id team { id } givenBy { id } } audit { kind note actor { id } } } }`;
const GIVE = `mutation($id: ID!) { giveConsent(escalationId: $id, purpose: "Ondersteuning") { status } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawConsent(escalationId: $id) { status } }`;
const DIRECT = `mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId status } }`;
const QUEUE = `query($team: ID!) { teamQueue(teamId: $team, first: 100) { edges { node { id trigger } } } }`;
const LOG = `query($s: ID!) { accessLog(subjectId: $s) { edges { node { purpose reader { id } } } } }`;

describe.each(backends())("consent for professional teams on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let westSocial: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
    westSocial = await buildProfessional(t, TEAM.westSocial, coordinator);
  });
  afterAll(async () => t?.close());

  const circleFor = async (carer: Account, receiver: Record<string, unknown>, member: Account) => {
    const circleId = (
      await t.gql(
        `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`,
        { input: { name: "Zorg", careReceiver: { neighbourhoodId: NB.wielwijk, ...receiver } } },
        carer.token,
      )
    ).data.createCareCircle.id;
    const code = (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c) { code } }`, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
    expect((await t.gql(`mutation($code: String!) { joinCareCircle(code: $code) { id } }`, { code }, member.token)).errors).toBeUndefined();
    return circleId as string;
  };

  it("CANNOT_GIVE_CONSENT: only the person a case is about consents; a relative in their care circle cannot consent on the mantelzorger's own overload case", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk, firstName: "Marleen", lastName: "Zorg", address: "Zorgpad 2" });
    const relative = await buildPerson(t, { firstName: "Kees" });
    const circleId = await circleFor(carer, { firstName: "Opa" }, relative);
    await t.gql(`mutation($c: ID!) { careCheckIn(circleId: $c, strain: HIGH) }`, { c: circleId }, carer.token);
    await t.app.services.sweeps.run();
    t.clock.advance(29 * 24 * HOUR);
    await t.app.services.sweeps.run();
    t.clock.advance(-29 * 24 * HOUR);
    const overload = (await t.gql(QUEUE, { team: TEAM.westSocial }, westSocial.token)).data.teamQueue.edges
      .map((e: any) => e.node)
      .filter((e: any) => e.trigger === "CARE_OVERLOAD");
    expect(overload).toHaveLength(1);
    const id = overload[0].id;

    expect(reasonOf(await t.gql(GIVE, { id }, relative.token))).toBe("CANNOT_GIVE_CONSENT");
    expect(reasonOf(await t.gql(WITHDRAW, { id }, relative.token))).toBe("CANNOT_GIVE_CONSENT");
    const closed = await t.gql(DETAILS, { id }, westSocial.token);
    expect(reasonOf(closed)).toBe("CONSENT_REQUIRED");
    expect(JSON.stringify(closed.data)).not.toMatch(/Marleen|Zorgpad/);
    expect(closed.data.escalation.consents).toEqual([]);

    expect((await t.gql(GIVE, { id }, carer.token)).errors).toBeUndefined();
    const open = (await t.gql(DETAILS, { id }, westSocial.token)).data.escalation;
    expect(open.personDetails).toMatchObject({ fullName: "Marleen Zorg", address: "Zorgpad 2", basis: "CONSENT" });
    expect(open.consents.map((c: any) => c.givenBy)).toEqual([{ id: carer.id }]);
  });

  it("CANNOT_GIVE_CONSENT: for someone without an account whoever registered them consents, not another member of the circle; a circle member can still flag", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk });
    const member = await buildPerson(t);
    const circleId = await circleFor(carer, { firstName: "Door", lastName: "Ouderen", birthDate: birthDateForAge(t, 84) }, member);
    const flagged = await t.gql(`mutation($c: ID!) { flagCareCircle(circleId: $c, reason: HEALTH) { escalationId } }`, { c: circleId }, member.token);
    const id = flagged.data.flagCareCircle.escalationId;
    expect(reasonOf(await t.gql(GIVE, { id }, member.token))).toBe("CANNOT_GIVE_CONSENT");
    expect(reasonOf(await t.gql(DETAILS, { id }, westSocial.token))).toBe("CONSENT_REQUIRED");
    expect((await t.gql(GIVE, { id }, carer.token)).errors).toBeUndefined();
    expect((await t.gql(DETAILS, { id }, westSocial.token)).data.escalation.personDetails).toMatchObject({ fullName: "Door Ouderen", basis: "CONSENT" });

    // A child someone asked for: whoever asked consents.
    const parent = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const asked = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.paperwork,
          title: "Hulp",
          description: "Hulp",
          ...window(t),
          personHelped: { firstName: "Sem", lastName: "Kind", neighbourhoodId: NB.wielwijk, birthDate: birthDateForAge(t, 12) },
        },
      },
      parent.token,
    );
    const child = (await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH) { escalationId } }`, { id: asked.data.askForHelp.id }, parent.token)).data
      .flagHelpRequest.escalationId;
    const youth = await buildProfessional(t, TEAM.westYouth, coordinator);
    expect(reasonOf(await t.gql(GIVE, { id: child }, member.token))).toBe("CANNOT_GIVE_CONSENT");
    expect((await t.gql(GIVE, { id: child }, parent.token)).errors).toBeUndefined();
    expect((await t.gql(DETAILS, { id: child }, youth.token)).data.escalation.personDetails).toMatchObject({ fullName: "Sem Kind", basis: "CONSENT" });
  });

  it("consent is per case: a later case of the same person asks again, and every read names the consent record it rests on", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk, firstName: "Ria", lastName: "Eerder", address: "Eerste straat 1" });
    const first = (await t.gql(DIRECT, { i: { reason: "FINANCIAL" } }, resident.token)).data.askProfessionalHelp.escalationId;
    expect((await t.gql(GIVE, { id: first }, resident.token)).errors).toBeUndefined();
    const one = (await t.gql(DETAILS, { id: first }, westSocial.token)).data.escalation;
    expect(one.personDetails).toMatchObject({ fullName: "Ria Eerder", basis: "CONSENT", consentId: one.consents[0].id });

    const later = (await t.gql(DIRECT, { i: { reason: "HOUSING" } }, resident.token)).data.askProfessionalHelp.escalationId;
    const two = await t.gql(DETAILS, { id: later }, westSocial.token);
    expect(reasonOf(two)).toBe("CONSENT_REQUIRED");
    expect(two.data.escalation.personDetails).toBeNull();
    expect(two.data.escalation.consents).toEqual([]);
    expect(JSON.stringify(two.data)).not.toMatch(/Ria|Eerste/);

    expect((await t.gql(GIVE, { id: later }, resident.token)).errors).toBeUndefined();
    const opened = (await t.gql(DETAILS, { id: later }, westSocial.token)).data.escalation;
    expect(opened.consents).toHaveLength(1);
    const consentId = opened.consents[0].id;
    expect(consentId).not.toBe(one.consents[0].id);
    expect(opened.personDetails).toMatchObject({ basis: "CONSENT", consentId });
    const audit = (await t.gql(`query($id: ID!) { escalation(id: $id) { audit { kind note } } }`, { id: later }, westSocial.token)).data.escalation.audit;
    expect(audit.filter((a: any) => a.kind === "DETAILS_READ").map((a: any) => a.note)).toEqual([expect.stringContaining(consentId)]);
    const log = (await t.gql(LOG, { s: resident.id }, coordinator.token)).data.accessLog.edges.map((e: any) => e.node);
    expect(log).toContainEqual({ purpose: expect.stringContaining(consentId), reader: { id: westSocial.id } });

    // Withdrawing on the later case closes that case only.
    expect((await t.gql(WITHDRAW, { id: later }, resident.token)).errors).toBeUndefined();
    expect(reasonOf(await t.gql(DETAILS, { id: later }, westSocial.token))).toBe("CONSENT_REQUIRED");
    expect((await t.gql(DETAILS, { id: first }, westSocial.token)).data.escalation.personDetails.basis).toBe("CONSENT");
  });

  it("a SAFETY flag while the case is open upgrades it (urgency, acknowledge-by, basis) and is recorded in its audit, for a circle and for a request", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk });
    const member = await buildPerson(t);
    const circleId = await circleFor(carer, { firstName: "Bep", lastName: "Gevaar", address: "Sloot 3" }, member);
    const flag = `mutation($c: ID!, $r: FlagReason!) { flagCareCircle(circleId: $c, reason: $r, note: "Zorgen") { escalationId status } }`;
    const raised = await t.gql(flag, { c: circleId, r: "HEALTH" }, member.token);
    const id = raised.data.flagCareCircle.escalationId;
    const before = (await t.gql(DETAILS, { id }, westSocial.token)).data.escalation;
    expect(before.urgency).toBe("HIGH");
    expect(reasonOf(await t.gql(flag, { c: circleId, r: "HEALTH" }, carer.token))).toBe("ALREADY_ESCALATED");

    const safety = await t.gql(flag, { c: circleId, r: "SAFETY" }, member.token);
    expect(safety.errors).toBeUndefined();
    expect(safety.data.flagCareCircle).toEqual({ escalationId: id, status: "NEW" });
    const after = (await t.gql(DETAILS, { id }, westSocial.token)).data.escalation;
    expect(after.urgency).toBe("URGENT");
    expect(Date.parse(after.acknowledgeBy)).toBeLessThan(Date.parse(before.acknowledgeBy));
    expect(Date.parse(after.acknowledgeBy)).toBeLessThanOrEqual(t.clock.now().getTime() + HOUR);
    expect(after.consentBypassBasis).toMatch(/AVG art\. 9/);
    expect(after.personDetails).toMatchObject({ fullName: "Bep Gevaar", basis: "SAFETY_BYPASS", consentId: null });
    const bypass = after.audit.filter((a: any) => a.kind === "SAFETY_BYPASS");
    expect(bypass).toHaveLength(1);
    expect(bypass[0].note).toMatch(/AVG art\. 9/);
    expect(bypass[0].actor).toEqual({ id: member.id });

    // The same for a request that is already with a team.
    const resident = await buildPerson(t, { firstName: "Hans", lastName: "Hulp" });
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    const flagRequest = `mutation($id: ID!, $r: FlagReason!) { flagHelpRequest(id: $id, reason: $r) { escalationId status } }`;
    const caseId = (await t.gql(flagRequest, { id: req.id, r: "TOO_COMPLEX" }, volunteer.token)).data.flagHelpRequest.escalationId;
    expect(reasonOf(await t.gql(flagRequest, { id: req.id, r: "HEALTH" }, volunteer.token))).toBe("ALREADY_ESCALATED");
    const up = await t.gql(flagRequest, { id: req.id, r: "SAFETY" }, volunteer.token);
    expect(up.data.flagHelpRequest).toEqual({ escalationId: caseId, status: "NEW" });
    const upgraded = (await t.gql(DETAILS, { id: caseId }, westSocial.token)).data.escalation;
    expect(upgraded).toMatchObject({ urgency: "URGENT", personDetails: { fullName: "Hans Hulp", basis: "SAFETY_BYPASS" } });
    const trail = (await t.gql(`query($id: ID!) { escalation(id: $id) { audit { kind note actor { id } } } }`, { id: caseId }, westSocial.token)).data.escalation.audit;
    expect(trail.map((a: any) => a.kind)).toEqual(["RAISED", "SAFETY_BYPASS", "DETAILS_READ"]);
    expect(trail[1]).toMatchObject({ note: expect.stringMatching(/AVG art\. 9/), actor: { id: volunteer.id } });
  });
});
