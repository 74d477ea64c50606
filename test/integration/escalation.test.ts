import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import {
  type Account,
  ASK,
  CAT,
  HOUR,
  NB,
  TEAM,
  askForHelp,
  birthDateForAge,
  buildCoordinator,
  buildOrganiser,
  buildPerson,
  buildProfessional,
  buildVolunteer,
  window,
} from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

const QUEUE = `query($team: ID!, $overdue: Boolean) { teamQueue(teamId: $team, overdueOnly: $overdue, first: 100) { edges { node { id trigger flagReason status overdue urgency leadTeam { id } coTeam { id } case { ageBand history { toStatus } } } } } }`;
const CASE = `query($id: ID!) { escalation(id: $id) { id status outcome trigger leadTeam { id } coTeam { id } routingNote consentBypassBasis personDetails { fullName address basis } audit { kind note actor { id } } } }`;

describe.each(backends())("escalation to professional teams on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let westSocial: Account;
  let westYouth: Account;
  let centrumSocial: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
    westSocial = await buildProfessional(t, TEAM.westSocial, coordinator);
    westYouth = await buildProfessional(t, TEAM.westYouth, coordinator);
    centrumSocial = await buildProfessional(t, TEAM.centrumSocial, coordinator);
  });
  afterAll(async () => t?.close());

  const queueIds = async (pro: Account, team: string) => (await t.gql(QUEUE, { team }, pro.token)).data.teamQueue.edges.map((e: any) => e.node) as any[];
  const escalationOf = async (helpRequestId: string, token: string) =>
    (await t.gql(`query($id: ID!) { helpRequest(id: $id) { status escalation { escalationId status outcome consentRequested } } }`, { id: helpRequestId }, token)).data.helpRequest;

  it("ESCALATION_NOT_FOUND, NOT_A_TEAM_MEMBER: escalates a request still open past its urgency's limit, exactly once however often the sweep runs (OPEN_TOO_LONG); other teams and the resident see no case", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const normal = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, ...window(t, 1, 24 * 20) });
    const urgent = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, urgency: "URGENT", ...window(t, 1, 24 * 20) });
    const low = await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, urgency: "LOW", ...window(t, 1, 24 * 20) });
    t.clock.advance(5 * HOUR);
    await t.app.services.sweeps.run();
    expect((await escalationOf(urgent.id, resident.token)).status).toBe("ESCALATED");
    expect((await escalationOf(normal.id, resident.token)).status).toBe("OPEN");
    t.clock.advance(70 * HOUR);
    await Promise.all([t.app.services.sweeps.run(), t.app.services.escalation.sweep(), t.app.services.escalation.sweep()]);
    await t.app.services.sweeps.run();
    const mine = (await queueIds(westSocial, TEAM.westSocial)).filter((e) => e.trigger === "OPEN_TOO_LONG");
    const statuses = await Promise.all([normal, urgent, low].map((r) => escalationOf(r.id, resident.token)));
    expect(statuses.map((s) => s.status)).toEqual(["ESCALATED", "ESCALATED", "OPEN"]);
    const ids = statuses.slice(0, 2).map((s) => s.escalation.escalationId);
    expect(mine.filter((e) => ids.includes(e.id))).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    // The resident learns the status, never the case.
    expect(statuses[0].escalation).toMatchObject({ status: "NEW", outcome: null });
    const resQ = await t.gql(CASE, { id: ids[0] }, resident.token);
    expect(reasonOf(resQ)).toBe("ESCALATION_NOT_FOUND");
    // A professional of another team sees nothing of it.
    expect(reasonOf(await t.gql(CASE, { id: ids[0] }, centrumSocial.token))).toBe("ESCALATION_NOT_FOUND");
    expect(reasonOf(await t.gql(QUEUE, { team: TEAM.westSocial }, centrumSocial.token))).toBe("NOT_A_TEAM_MEMBER");
    t.clock.advance(-75 * HOUR);
  });

  it("escalates a request released three times (REPEATEDLY_RELEASED)", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    for (let i = 0; i < 3; i++) {
      await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
      await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    }
    const state = await escalationOf(req.id, resident.token);
    expect(state.status).toBe("ESCALATED");
    const esc = await t.gql(CASE, { id: state.escalation.escalationId }, westSocial.token);
    expect(esc.data.escalation.trigger).toBe("REPEATEDLY_RELEASED");
  });

  it("NOT_INVOLVED_IN_REQUEST, ALREADY_ESCALATED: the matched volunteer flags a request as needing a professional", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const stranger = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    const flag = `mutation($id: ID!, $r: FlagReason!) { flagHelpRequest(id: $id, reason: $r, note: "Er liggen stapels onbetaalde rekeningen") { status } }`;
    expect(codeOf(await t.gql(flag, { id: req.id, r: "FINANCIAL" }, stranger.token))).toBe("NOT_FOUND");
    const ok = await t.gql(flag, { id: req.id, r: "FINANCIAL" }, volunteer.token);
    expect(ok.data.flagHelpRequest.status).toBe("NEW");
    expect(reasonOf(await t.gql(flag, { id: req.id, r: "FINANCIAL" }, volunteer.token))).toBe("ALREADY_ESCALATED");
    const id = (await escalationOf(req.id, resident.token)).escalation.escalationId;
    const esc = (await t.gql(CASE, { id }, westSocial.token)).data.escalation;
    expect(esc).toMatchObject({ trigger: "FLAGGED", status: "NEW" });
    expect(esc.audit[0]).toMatchObject({ kind: "RAISED", actor: { id: volunteer.id } });
  });

  it("routes by age and area: youth team under 18, both teams for 16-27, the social team otherwise", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const cases: [number, string, string, string | null][] = [
      [10, NB.wielwijk, TEAM.westYouth, null],
      [15, NB.wielwijk, TEAM.westYouth, null],
      [16, NB.wielwijk, TEAM.westYouth, TEAM.westSocial],
      [17, NB.wielwijk, TEAM.westYouth, TEAM.westSocial],
      [18, NB.wielwijk, TEAM.westSocial, TEAM.westYouth],
      [22, NB.wielwijk, TEAM.westSocial, TEAM.westYouth],
      [27, NB.wielwijk, TEAM.westSocial, TEAM.westYouth],
      [28, NB.wielwijk, TEAM.westSocial, null],
      [40, NB.wielwijk, TEAM.westSocial, null],
      [16, NB.binnenstad, TEAM.centrumYouth, TEAM.centrumSocial],
      [70, NB.binnenstad, TEAM.centrumSocial, null],
    ];
    for (const [age, nb, lead, co] of cases) {
      const r = await t.gql(
        ASK,
        {
          input: {
            categoryId: CAT.paperwork,
            title: "Hulp",
            description: "Hulp nodig",
            ...window(t),
            personHelped: { firstName: `P${age}`, neighbourhoodId: nb, birthDate: birthDateForAge(t, age) },
          },
        },
        carer.token,
      );
      const hr = r.data.askForHelp.id;
      const up = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: TOO_COMPLEX) { escalationId } }`, { id: hr }, carer.token);
      const esc = await t.app.services.escalation.find(up.data.flagHelpRequest.escalationId);
      expect({ age, lead: esc!.leadTeamId, co: esc!.coTeamId }).toEqual({ age, lead, co });
    }
    const youth = await queueIds(westYouth, TEAM.westYouth);
    expect(youth.some((e) => e.case.ageBand === "0-11")).toBe(true);
    expect(youth.some((e) => e.case.ageBand === "18-27" && e.leadTeam.id === TEAM.westSocial)).toBe(true); // as co-team
  });

  it("CONSENT_REQUIRED, CANNOT_GIVE_CONSENT: without consent the team sees a pseudonymised case; consent opens the details, withdrawal closes them, every read is audited", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const r = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.paperwork,
          title: "Brieven",
          description: "Hulp",
          ...window(t),
          personHelped: { firstName: "Joke", lastName: "de Graaf", neighbourhoodId: NB.wielwijk, address: "Wielstraat 9", birthDate: birthDateForAge(t, 80) },
        },
      },
      carer.token,
    );
    const hr = r.data.askForHelp.id;
    const id = (await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HOUSING) { escalationId } }`, { id: hr }, carer.token)).data.flagHelpRequest.escalationId;
    const before = await t.gql(`query($id: ID!) { escalation(id: $id) { case { ageBand history { fromStatus toStatus } } personDetails { fullName } } }`, { id }, westSocial.token);
    expect(before.data.escalation.case.ageBand).toBe("80+");
    expect(before.data.escalation.case.history.map((h: any) => h.toStatus)).toEqual(["OPEN", "ESCALATED"]);
    expect(before.data.escalation.personDetails).toBeNull();
    expect(reasonOf(before)).toBe("CONSENT_REQUIRED");
    expect(JSON.stringify(before.data)).not.toContain("Joke");
    // Nor who raised it: the carer who asked for Joke would tell the team who she is.
    const raisedBy = await t.gql(`query($id: ID!) { escalation(id: $id) { audit { kind actor { id firstName } } } }`, { id }, westSocial.token);
    expect(raisedBy.data.escalation.audit).toEqual([{ kind: "RAISED", actor: null }]);

    await t.gql(`mutation($id: ID!) { requestConsent(id: $id, note: "Wij willen contact opnemen") { id } }`, { id }, westSocial.token);
    expect((await escalationOf(hr, carer.token)).escalation.consentRequested).toBe(true);
    const stranger = await buildPerson(t);
    expect(reasonOf(await t.gql(`mutation($id: ID!) { giveConsent(escalationId: $id) { status } }`, { id }, stranger.token))).toBe("CANNOT_GIVE_CONSENT");
    for (const m of ["giveConsent", "withdrawConsent"]) {
      const unknown = await t.gql(`mutation($id: ID!) { ${m}(escalationId: $id) { status } }`, { id: "esc_doesnotexist" }, carer.token);
      expect([codeOf(unknown), reasonOf(unknown)]).toEqual(["NOT_FOUND", "ESCALATION_NOT_FOUND"]);
    }
    const given = await t.gql(`mutation($id: ID!) { giveConsent(escalationId: $id, purpose: "Hulp bij woonproblemen") { consentRequested } }`, { id }, carer.token);
    expect(given.data.giveConsent.consentRequested).toBe(false);

    const after = await t.gql(CASE, { id }, westSocial.token);
    expect(after.data.escalation.personDetails).toEqual({ fullName: "Joke de Graaf", address: "Wielstraat 9", basis: "CONSENT" });
    const audit = await t.gql(`query($id: ID!) { escalation(id: $id) { audit { kind actor { id } } } }`, { id }, westSocial.token);
    const kinds = audit.data.escalation.audit.map((a: any) => a.kind);
    expect(kinds).toEqual(["RAISED", "CONSENT_REQUESTED", "CONSENT_GIVEN", "DETAILS_READ"]);
    // With consent the team sees who raised and who consented (the carer who asked for Joke).
    expect(audit.data.escalation.audit[0].actor).toEqual({ id: carer.id });
    const consents = await t.gql(
      `query($id: ID!) { escalation(id: $id) { consents { team { id } purpose givenBy { id } givenAt withdrawnBy { id } withdrawnAt } } }`,
      { id },
      westSocial.token,
    );
    expect(consents.data.escalation.consents).toEqual([
      { team: { id: TEAM.westSocial }, purpose: "Hulp bij woonproblemen", givenBy: { id: carer.id }, givenAt: expect.any(String), withdrawnBy: null, withdrawnAt: null },
    ]);

    await t.gql(`mutation($id: ID!) { withdrawConsent(escalationId: $id) { status } }`, { id }, carer.token);
    const withdrawn = await t.gql(CASE, { id }, westSocial.token);
    expect(reasonOf(withdrawn)).toBe("CONSENT_REQUIRED");
    expect(withdrawn.data.escalation.audit.map((a: any) => a.kind)).toContain("CONSENT_WITHDRAWN");
    // Without consent the team no longer learns who acted for the person.
    const record = (
      await t.gql(`query($id: ID!) { escalation(id: $id) { consents { givenBy { id } withdrawnBy { id } withdrawnAt } audit { kind actor { id } } } }`, { id }, westSocial.token)
    ).data.escalation;
    expect(record.consents).toEqual([{ givenBy: null, withdrawnBy: null, withdrawnAt: expect.any(String) }]);
    expect(record.audit.filter((a: any) => a.actor?.id === carer.id)).toEqual([]);
    expect(record.audit.filter((a: any) => a.kind === "CONSENT_REQUESTED").map((a: any) => a.actor)).toEqual([{ id: westSocial.id }]);
    // The access log has the read too.
    const log = await t.gql(
      `query($s: ID!) { accessLog(subjectId: $s) { edges { node { purpose reader { id } } } } }`,
      { s: r.data.askForHelp.personHelped.id },
      coordinator.token,
    );
    expect(log.data.accessLog.edges.map((e: any) => e.node)).toContainEqual({ purpose: expect.stringMatching(/^case esc_\S+ \(consent \S+\)$/), reader: { id: westSocial.id } });
  });

  it("SAFETY bypasses consent, recorded with its legal basis and shown in the audit", async () => {
    const resident = await buildPerson(t, { firstName: "Sara", lastName: "Veilig", address: "Kade 1" });
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: SAFETY, note: "Zorgen om veiligheid thuis") { status } }`, { id: req.id }, volunteer.token);
    const id = (await escalationOf(req.id, resident.token)).escalation.escalationId;
    const esc = (await t.gql(CASE, { id }, westSocial.token)).data.escalation;
    expect(esc.personDetails).toEqual({ fullName: "Sara Veilig", address: "Kade 1", basis: "SAFETY_BYPASS" });
    expect(esc.consentBypassBasis).toMatch(/AVG art\. 9/);
    const audit = (await t.gql(`query($id: ID!) { escalation(id: $id) { audit { kind note } } }`, { id }, westSocial.token)).data.escalation.audit;
    expect(audit.map((a: any) => a.kind)).toEqual(["RAISED", "SAFETY_BYPASS", "DETAILS_READ"]);
    expect(audit[1].note).toMatch(/AVG art\. 9/);
  });

  it("ESCALATION_WRONG_STATUS, PROFESSIONAL_ONLY: the team works the queue; HANDED_BACK re-opens the request to volunteers with the note", async () => {
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token);
    const id = (await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: OTHER) { escalationId } }`, { id: req.id }, resident.token)).data.flagHelpRequest.escalationId;
    const forResident = collect(t.ws(resident.token), `subscription($id: ID!) { escalationChanged(id: $id) { status outcome } }`, { id });
    await new Promise((r) => setTimeout(r, 300));
    const ack = `mutation($id: ID!) { acknowledgeEscalation(id: $id) { status acknowledgedAt } }`;
    expect(reasonOf(await t.gql(ack, { id }, centrumSocial.token))).toBe("ESCALATION_NOT_FOUND");
    expect((await t.gql(ack, { id }, westSocial.token)).data.acknowledgeEscalation.status).toBe("ACKNOWLEDGED");
    expect(reasonOf(await t.gql(ack, { id }, westSocial.token))).toBe("ESCALATION_WRONG_STATUS");
    expect(reasonOf(await t.gql(ack, { id }, coordinator.token))).toBe("PROFESSIONAL_ONLY");
    const other = await buildProfessional(t, TEAM.westSocial, coordinator);
    const assigned = await t.gql(`mutation($id: ID!, $p: ID!) { assignEscalation(id: $id, professionalId: $p) { assignee { id } } }`, { id, p: other.id }, westSocial.token);
    expect(assigned.data.assignEscalation.assignee.id).toBe(other.id);
    expect(reasonOf(await t.gql(`mutation($id: ID!, $p: ID!) { assignEscalation(id: $id, professionalId: $p) { id } }`, { id, p: centrumSocial.id }, westSocial.token))).toBe(
      "NOT_A_TEAM_MEMBER",
    );
    await t.gql(`mutation($id: ID!) { startEscalationCare(id: $id) { status } }`, { id }, other.token);
    const closed = await t.gql(
      `mutation($id: ID!) { closeEscalation(id: $id, outcome: HANDED_BACK, note: "Graag iemand voor de boodschappen; wij volgen het") { status outcome } }`,
      { id },
      other.token,
    );
    expect(closed.data.closeEscalation).toEqual({ status: "CLOSED", outcome: "HANDED_BACK" });
    const h = await t.gql(`query($id: ID!) { helpRequest(id: $id) { status history { toStatus note } escalation { status outcome } } }`, { id: req.id }, resident.token);
    expect(h.data.helpRequest.status).toBe("OPEN");
    expect(h.data.helpRequest.history.at(-1)).toEqual({ toStatus: "OPEN", note: "Graag iemand voor de boodschappen; wij volgen het" });
    expect(h.data.helpRequest.escalation).toEqual({ status: "CLOSED", outcome: "HANDED_BACK" });
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await forResident.next(2000)).data.escalationChanged.status);
    expect(seen).toEqual(["ACKNOWLEDGED", "ACKNOWLEDGED", "IN_CARE"]); // ack, assign, in care
    expect((await forResident.next(2000)).data.escalationChanged).toEqual({ status: "CLOSED", outcome: "HANDED_BACK" });
    // A volunteer can take it again, and the case can be escalated again later (a new generation).
    const volunteer = await buildVolunteer(t);
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: req.id }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    const again = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH) { status } }`, { id: req.id }, volunteer.token);
    expect(again.data.flagHelpRequest.status).toBe("NEW");
  });

  it("tracks time to acknowledge: overdue cases stand out", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    const req = await askForHelp(t, resident.token, { neighbourhoodId: NB.binnenstad, urgency: "HIGH" });
    const id = (await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH) { escalationId } }`, { id: req.id }, resident.token)).data.flagHelpRequest.escalationId;
    const overdueIds = async () => (await t.gql(QUEUE, { team: TEAM.centrumSocial, overdue: true }, centrumSocial.token)).data.teamQueue.edges.map((e: any) => e.node.id);
    expect(await overdueIds()).not.toContain(id);
    t.clock.advance(5 * HOUR); // HIGH: acknowledge within 4 hours
    expect(await overdueIds()).toContain(id);
    const q = await queueIds(centrumSocial, TEAM.centrumSocial);
    expect(q.find((e) => e.id === id).overdue).toBe(true);
    t.clock.advance(-5 * HOUR);
  });

  it("routes a care circle's sustained overload to the wijkteam (CARE_OVERLOAD), once", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk });
    const c = await t.gql(
      `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`,
      { input: { name: "Zorg voor vader", careReceiver: { firstName: "Piet", neighbourhoodId: NB.wielwijk } } },
      carer.token,
    );
    const circleId = c.data.createCareCircle.id;
    await t.gql(`mutation($c: ID!) { careCheckIn(circleId: $c, strain: HIGH) }`, { c: circleId }, carer.token);
    await t.app.services.sweeps.run();
    const find = async () => (await queueIds(westSocial, TEAM.westSocial)).filter((e) => e.trigger === "CARE_OVERLOAD");
    const before = (await find()).length;
    t.clock.advance(29 * 24 * HOUR);
    await t.app.services.sweeps.run();
    await t.app.services.sweeps.run();
    expect((await find()).length).toBe(before + 1);
    t.clock.advance(-29 * 24 * HOUR);
  });

  it("CANNOT_ASK_FOR_THIS_PERSON: residents ask for professional help for themselves; teams are told live", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    const live = collect(t.ws(centrumSocial.token), `subscription($team: ID!) { escalationRaised(teamId: $team) { escalation { id trigger flagReason } } }`, {
      team: TEAM.centrumSocial,
    });
    await new Promise((r) => setTimeout(r, 300));
    const r = await t.gql(
      `mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId status } }`,
      { i: { reason: "FINANCIAL", note: "Ik kom er niet meer uit" } },
      resident.token,
    );
    expect(r.data.askProfessionalHelp.status).toBe("NEW");
    expect((await live.next(2000)).data.escalationRaised.escalation).toEqual({ id: r.data.askProfessionalHelp.escalationId, trigger: "DIRECT_REQUEST", flagReason: "FINANCIAL" });
    const other = await buildPerson(t);
    expect(
      reasonOf(await t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { status } }`, { i: { reason: "OTHER", personId: other.id } }, resident.token)),
    ).toBe("CANNOT_ASK_FOR_THIS_PERSON");
    const denied = collect(t.ws(westSocial.token), `subscription($team: ID!) { escalationRaised(teamId: $team) { cursor } }`, { team: TEAM.centrumSocial });
    expect((await denied.next(2000)).errors?.[0].extensions?.reason).toBe("NOT_A_TEAM_MEMBER");
  });

  it("CARE_CIRCLE_NOT_FOUND: a circle member flags the care situation; a mantelzorger and a wijkwinkel ask a team directly for someone they help", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk });
    const member = await buildPerson(t);
    const outsider = await buildPerson(t);
    const circleId = (
      await t.gql(
        `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`,
        { input: { name: "Zorg voor oma", careReceiver: { firstName: "Door", neighbourhoodId: NB.wielwijk, birthDate: birthDateForAge(t, 84) } } },
        carer.token,
      )
    ).data.createCareCircle.id;
    const code = (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c) { code } }`, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
    await t.gql(`mutation($code: String!) { joinCareCircle(code: $code) { id } }`, { code }, member.token);
    const flag = `mutation($c: ID!, $r: FlagReason!) { flagCareCircle(circleId: $c, reason: $r, note: "Oma valt steeds vaker") { escalationId status } }`;
    const denied = await t.gql(flag, { c: circleId, r: "HEALTH" }, outsider.token);
    expect(codeOf(denied)).toBe("NOT_FOUND");
    expect(reasonOf(denied)).toBe("CARE_CIRCLE_NOT_FOUND");
    const flagged = await t.gql(flag, { c: circleId, r: "HEALTH" }, member.token);
    expect(flagged.data.flagCareCircle.status).toBe("NEW");
    expect(reasonOf(await t.gql(flag, { c: circleId, r: "HEALTH" }, carer.token))).toBe("ALREADY_ESCALATED");
    const circleCase = (await t.gql(CASE, { id: flagged.data.flagCareCircle.escalationId }, westSocial.token)).data.escalation;
    expect(circleCase).toMatchObject({ trigger: "FLAGGED", leadTeam: { id: TEAM.westSocial }, coTeam: null, personDetails: null });
    // A circle member is on the person's side: not named to a team without consent.
    expect(circleCase.audit[0]).toMatchObject({ kind: "RAISED", actor: null });

    // The mantelzorger asks a team about the care receiver of the circle.
    const direct = `mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId status } }`;
    const forReceiver = await t.gql(direct, { i: { reason: "FINANCIAL", circleId, urgency: "HIGH" } }, carer.token);
    expect(forReceiver.data.askProfessionalHelp.status).toBe("NEW");
    const receiverCase = (
      await t.gql(
        `query($id: ID!) { escalation(id: $id) { trigger flagReason urgency leadTeam { id } case { ageBand } } }`,
        { id: forReceiver.data.askProfessionalHelp.escalationId },
        westSocial.token,
      )
    ).data.escalation;
    expect(receiverCase).toEqual({ trigger: "DIRECT_REQUEST", flagReason: "FINANCIAL", urgency: "HIGH", leadTeam: { id: TEAM.westSocial }, case: { ageBand: "80+" } });
    expect(reasonOf(await t.gql(direct, { i: { reason: "FINANCIAL", circleId } }, outsider.token))).toBe("CARE_CIRCLE_NOT_FOUND");

    // A wijkwinkel asks for someone it asked help for before, who lives in Centrum: Centrum's team gets it.
    const desk = await buildOrganiser(t, coordinator);
    const asked = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.paperwork,
          title: "Post",
          description: "Brieven lezen",
          ...window(t),
          personHelped: { firstName: "Wim", neighbourhoodId: NB.binnenstad, birthDate: birthDateForAge(t, 19) },
        },
      },
      desk.token,
    );
    expect(asked.errors).toBeUndefined();
    const forWim = await t.gql(direct, { i: { reason: "HOUSING", personId: asked.data.askForHelp.personHelped.id } }, desk.token);
    const wimCase = (
      await t.gql(`query($id: ID!) { escalation(id: $id) { leadTeam { id } coTeam { id } } }`, { id: forWim.data.askProfessionalHelp.escalationId }, centrumSocial.token)
    ).data.escalation;
    expect(wimCase).toEqual({ leadTeam: { id: TEAM.centrumSocial }, coTeam: { id: TEAM.centrumYouth } });
    expect(reasonOf(await t.gql(`query($id: ID!) { escalation(id: $id) { id } }`, { id: forWim.data.askProfessionalHelp.escalationId }, westSocial.token))).toBe(
      "ESCALATION_NOT_FOUND",
    );
  });

  it("lets a coordinator re-route a case", async () => {
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token);
    const id = (await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: OTHER) { escalationId } }`, { id: req.id }, resident.token)).data.flagHelpRequest.escalationId;
    const rr = await t.gql(
      `mutation($id: ID!, $t: ID!) { rerouteEscalation(id: $id, leadTeamId: $t, reason: "Andere wijk") { leadTeam { id } } }`,
      { id, t: TEAM.centrumSocial },
      coordinator.token,
    );
    expect(rr.data.rerouteEscalation.leadTeam.id).toBe(TEAM.centrumSocial);
    expect(reasonOf(await t.gql(CASE, { id }, westSocial.token))).toBe("ESCALATION_NOT_FOUND");
    expect((await t.gql(CASE, { id }, centrumSocial.token)).data.escalation.audit.map((a: any) => a.kind)).toEqual(["RAISED", "REROUTED"]);
    expect(
      reasonOf(
        await t.gql(`mutation($id: ID!, $t: ID!) { rerouteEscalation(id: $id, leadTeamId: $t, reason: "Andere wijk") { id } }`, { id, t: TEAM.westSocial }, westSocial.token),
      ),
    ).toBe("COORDINATOR_ONLY");
  });

  it("UNKNOWN_AREA, TEAM_EXISTS: a coordinator sets up another municipality's area, neighbourhood and teams, and cases route there", async () => {
    const area = (await t.gql(`mutation { createArea(municipality: "Zaanstad", name: "Zaandam Oost") { id } }`, {}, coordinator.token)).data.createArea.id;
    const nb = (
      await t.gql(`mutation($a: ID!) { createNeighbourhood(areaId: $a, name: "Poelenburg", latitude: 52.4445, longitude: 4.8475) { id } }`, { a: area }, coordinator.token)
    ).data.createNeighbourhood.id;
    const swt = (await t.gql(`mutation($a: ID!) { createTeam(areaId: $a, kind: SOCIAL_TEAM, name: "SWT Zaandam Oost") { id } }`, { a: area }, coordinator.token)).data.createTeam
      .id;
    expect(reasonOf(await t.gql(`mutation($a: ID!) { createTeam(areaId: $a, kind: SOCIAL_TEAM, name: "Twee") { id } }`, { a: area }, coordinator.token))).toBe("TEAM_EXISTS");
    expect(reasonOf(await t.gql(`mutation { createTeam(areaId: "area_nope", kind: YOUTH_TEAM, name: "X") { id } }`, {}, coordinator.token))).toBe("UNKNOWN_AREA");
    expect(reasonOf(await t.gql(`mutation { createArea(municipality: "X", name: "Y") { id } }`, {}, westSocial.token))).toBe("COORDINATOR_ONLY");
    const pro = await buildProfessional(t, swt, coordinator);
    const resident = await buildPerson(t, { neighbourhoodId: nb });
    const r = await t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId } }`, { i: { reason: "HOUSING" } }, resident.token);
    const esc = await t.gql(`query($id: ID!) { escalation(id: $id) { leadTeam { name } neighbourhood { name } } }`, { id: r.data.askProfessionalHelp.escalationId }, pro.token);
    expect(esc.data.escalation).toEqual({ leadTeam: { name: "SWT Zaandam Oost" }, neighbourhood: { name: "Poelenburg" } });
  });
});
