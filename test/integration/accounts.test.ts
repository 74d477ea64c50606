import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { NB, buildCoordinator, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

describe.each(backends())("accounts, roles and volunteer profiles on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("registers, logs in and shows the account to its owner only", async () => {
    const p = await buildPerson(t, { firstName: "Fleur", roles: ["VOLUNTEER", "MANTELZORGER"] });
    const login = await t.gql(`mutation($e: String!) { login(email: $e, password: "correct horse battery") { token expiresAt me { roles email } } }`, { e: p.email.toUpperCase() });
    expect(login.data.login.me.roles.sort()).toEqual(["MANTELZORGER", "RESIDENT", "VOLUNTEER"]);
    expect(new Date(login.data.login.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await t.gql(`{ me { person { id firstName } email address neighbourhood { id } } }`, {}, login.data.login.token);
    expect(me.data.me).toEqual({ person: { id: p.id, firstName: "Fleur" }, email: p.email, address: "Teststraat 1, Dordrecht", neighbourhood: { id: NB.oudKrispijn } });
  });

  it("COORDINATOR_ONLY, TEAM_REQUIRED: only a coordinator grants roles (a professional with a team); a revoked role stops working at once", async () => {
    const coordinator = await buildCoordinator(t);
    const p = await buildPerson(t);
    const denied = await t.gql(`mutation($id: ID!) { grantRole(personId: $id, role: COORDINATOR) }`, { id: p.id }, p.token);
    expect(reasonOf(denied)).toBe("COORDINATOR_ONLY");
    const noTeam = await t.gql(`mutation($id: ID!) { grantRole(personId: $id, role: PROFESSIONAL) }`, { id: p.id }, coordinator.token);
    expect(reasonOf(noTeam)).toBe("TEAM_REQUIRED");
    const granted = await t.gql(`mutation($id: ID!) { grantRole(personId: $id, role: VOLUNTEER) }`, { id: p.id }, coordinator.token);
    expect(granted.data.grantRole.sort()).toEqual(["RESIDENT", "VOLUNTEER"]);
    // The same token now browses.
    const browse = `{ openHelpRequests { edges { cursor } } }`;
    expect((await t.gql(browse, {}, p.token)).errors).toBeUndefined();
    await t.gql(`mutation($id: ID!) { revokeRole(personId: $id, role: VOLUNTEER) }`, { id: p.id }, coordinator.token);
    expect(reasonOf(await t.gql(browse, {}, p.token))).toBe("VOLUNTEER_ONLY");
  });

  it("keeps a volunteer profile and lets only a coordinator verify a VOG", async () => {
    const coordinator = await buildCoordinator(t);
    const v = await buildVolunteer(t, { availability: [{ weekday: 2, from: "09:00", to: "12:00" }] });
    const q = `{ myVolunteerProfile { categories { id } neighbourhoods { id } languages availability { weekday from to } vogStatus vogIssuedOn } }`;
    const before = await t.gql(q, {}, v.token);
    expect(before.data.myVolunteerProfile).toMatchObject({ languages: ["nl"], vogStatus: "NONE", availability: [{ weekday: 2, from: "09:00", to: "12:00" }] });
    const declared = await t.gql(`mutation { declareVog(issuedOn: "2026-05-01") { vogStatus vogIssuedOn } }`, {}, v.token);
    expect(declared.data.declareVog).toEqual({ vogStatus: "PENDING", vogIssuedOn: "2026-05-01" });
    const self = await t.gql(`mutation($id: ID!) { reviewVog(personId: $id, verified: true) { vogStatus } }`, { id: v.id }, v.token);
    expect(reasonOf(self)).toBe("COORDINATOR_ONLY");
    const ok = await t.gql(`mutation($id: ID!) { reviewVog(personId: $id, verified: true, issuedOn: "2026-05-01") { vogStatus vogReviewedAt } }`, { id: v.id }, coordinator.token);
    expect(ok.data.reviewVog.vogStatus).toBe("VERIFIED");
    const bad = await t.gql(
      `mutation($i: VolunteerProfileInput!) { updateVolunteerProfile(input: $i) { languages } }`,
      { i: { categoryIds: [], neighbourhoodIds: [], languages: ["nl"], availability: [{ weekday: 8, from: "09:00", to: "10:00" }] } },
      v.token,
    );
    expect(bad.errors![0].extensions!.field).toBe("input.availability.0.weekday");
    const backwards = await t.gql(
      `mutation($i: VolunteerProfileInput!) { updateVolunteerProfile(input: $i) { languages } }`,
      { i: { categoryIds: [], neighbourhoodIds: [], languages: ["nl"], availability: [{ weekday: 1, from: "12:00", to: "10:00" }] } },
      v.token,
    );
    expect(backwards.errors![0].extensions!.field).toBe("input.availability.0.to");
    const resident = await buildPerson(t);
    const notVolunteer = await t.gql(
      `mutation($i: VolunteerProfileInput!) { updateVolunteerProfile(input: $i) { languages } }`,
      { i: { categoryIds: [], neighbourhoodIds: [], languages: [], availability: [] } },
      resident.token,
    );
    expect(codeOf(notVolunteer)).toBe("FORBIDDEN");
  });

  it("serves the public reference data without a token", async () => {
    const r = await t.gql(`{ areas { municipality name neighbourhoods { name } teams { kind name } } helpCategories { code nameNl } }`);
    expect(r.data.areas.map((a: any) => a.name).sort()).toEqual(["Centrum", "Oost", "West"]);
    const west = r.data.areas.find((a: any) => a.name === "West");
    expect(west.neighbourhoods.map((n: any) => n.name)).toContain("Wielwijk");
    expect(west.teams.map((x: any) => x.kind).sort()).toEqual(["SOCIAL_TEAM", "YOUTH_TEAM"]);
    expect(r.data.helpCategories.map((c: any) => c.code)).toContain("RESPITE");
    const health = await fetch(t.url.replace("/graphql", "/readyz"));
    expect(health.status).toBe(200);
  });
});
