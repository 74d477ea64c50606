import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, TEAM, buildCoordinator, buildProfessional, buildVolunteer } from "../support/builders.js";
import { addNote, openCase } from "../support/cases.js";
import { type TestApp, reasonOf, startTestApp } from "../support/test-app.js";

const REROUTE = `mutation($id: ID!, $lead: ID!, $reason: String) { rerouteEscalation(id: $id, leadTeamId: $lead, reason: $reason) { id leadTeam { id } } }`;
const CASE = `query($id: ID!) { escalation(id: $id) { id leadTeam { id } reroutes { reason at fromLeadTeam { id } toLeadTeam { id } } audit { kind note } knownElsewhere { leadTeam { id } since escalation { id notes { body } } } } }`;
const LINKS = `query($id: ID!) { escalation(id: $id) { knownElsewhere { leadTeam { id } since escalation { id } } } }`;

describe.each(backends())("re-routing with a reason, and a person known elsewhere, on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let west: Account;
  let centrum: Account;
  let unrelated: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
    west = await buildProfessional(t, TEAM.westSocial, coordinator);
    centrum = await buildProfessional(t, TEAM.centrumSocial, coordinator);
    unrelated = await buildProfessional(t, TEAM.centrumYouth, coordinator);
  });
  afterAll(async () => t?.close());

  it("REROUTE_REASON_REQUIRED: a re-route carries its reason to the receiving team, in the case and its audit; the team it left no longer sees the case or its notes", async () => {
    const c = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 45 });
    await addNote(t, west.token, { escalationId: c.escalationId, channel: "PHONE", body: "Verhuist naar de binnenstad." });
    for (const reason of [undefined, null, "", "  "])
      expect(reasonOf(await t.gql(REROUTE, { id: c.escalationId, lead: TEAM.centrumSocial, reason }, coordinator.token))).toBe("REROUTE_REASON_REQUIRED");
    expect(reasonOf(await t.gql(REROUTE, { id: c.escalationId, lead: TEAM.centrumSocial, reason: "Verhuisd" }, west.token))).toBe("COORDINATOR_ONLY");
    expect((await t.app.services.escalation.find(c.escalationId))!.leadTeamId).toBe(TEAM.westSocial);
    const moved = await t.gql(REROUTE, { id: c.escalationId, lead: TEAM.centrumSocial, reason: "Verhuisd naar de binnenstad per 1 maart" }, coordinator.token);
    expect(moved.data.rerouteEscalation.leadTeam.id).toBe(TEAM.centrumSocial);
    const seen = await t.gql(CASE, { id: c.escalationId }, centrum.token);
    expect(seen.errors).toBeUndefined();
    expect(seen.data.escalation.reroutes).toEqual([
      expect.objectContaining({ reason: "Verhuisd naar de binnenstad per 1 maart", fromLeadTeam: { id: TEAM.westSocial }, toLeadTeam: { id: TEAM.centrumSocial } }),
    ]);
    expect(seen.data.escalation.audit.find((a: any) => a.kind === "REROUTED").note).toContain("Verhuisd naar de binnenstad per 1 maart");
    // The receiving team reads the notes the case carries; the team it left sees nothing any more.
    expect(seen.data.escalation.knownElsewhere).toEqual([]);
    expect((await t.gql(`query($id: ID!) { escalation(id: $id) { notes { body } } }`, { id: c.escalationId }, centrum.token)).data.escalation.notes).toHaveLength(1);
    expect(reasonOf(await t.gql(CASE, { id: c.escalationId }, west.token))).toBe("ESCALATION_NOT_FOUND");
  });

  it("several open cases of one person are linked: each team sees which team knows the person and since when, not the other case; a coordinator may open it; a closed case is no longer a link", async () => {
    const volunteer = await buildVolunteer(t);
    const first = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 30 });
    const second = await openCase(t, { neighbourhoodId: NB.wielwijk, carer: first.carer, personHelpedId: first.personId });
    expect(second.personId).toBe(first.personId);
    await addNote(t, west.token, { escalationId: first.escalationId, body: "Vertrouwelijk: schuldenproblematiek." });
    await t.gql(REROUTE, { id: second.escalationId, lead: TEAM.centrumSocial, reason: "Dagbesteding in het centrum" }, coordinator.token);

    const atWest = await t.gql(LINKS, { id: first.escalationId }, west.token);
    expect(atWest.data.escalation.knownElsewhere).toEqual([{ leadTeam: { id: TEAM.centrumSocial }, since: expect.any(String), escalation: null }]);
    const atCentrum = await t.gql(CASE, { id: second.escalationId }, centrum.token);
    expect(atCentrum.errors).toBeUndefined();
    expect(atCentrum.data.escalation.knownElsewhere).toEqual([{ leadTeam: { id: TEAM.westSocial }, since: expect.any(String), escalation: null }]);
    expect(JSON.stringify(atCentrum)).not.toContain("schulden");
    // The other case itself stays closed to the other team, also by node.
    expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: first.escalationId }, centrum.token)).data.node).toBeNull();
    // A coordinator sees both cases and so the link's case (but not its notes).
    const coord = await t.gql(LINKS, { id: first.escalationId }, coordinator.token);
    expect(coord.data.escalation.knownElsewhere[0].escalation).toEqual({ id: second.escalationId });
    // A professional of an unrelated team, the carer and a volunteer see no case and so no link.
    for (const token of [unrelated.token, first.carer.token, volunteer.token]) {
      const r = await t.gql(LINKS, { id: first.escalationId }, token);
      expect(r.data?.escalation ?? null).toBeNull();
      expect(reasonOf(r)).toBe("ESCALATION_NOT_FOUND");
    }
    // Closed, the second case is no longer a link.
    await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: REFERRED) { id } }`, { id: second.escalationId }, centrum.token);
    expect((await t.gql(LINKS, { id: first.escalationId }, west.token)).data.escalation.knownElsewhere).toEqual([]);
  });
});
