import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer } from "../support/builders.js";
import { buildCircle } from "../support/care-circle.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type GqlResult, type TestApp, startTestApp } from "../support/test-app.js";

const REGISTERED = Date.parse("2026-12-10T08:00:00Z");
const ASKED = Date.parse("2027-03-10T08:00:00Z");
const READ_AT = Date.parse("2028-01-15T08:00:00Z");

const TEAMS = `teams { team { id } cases { value suppressed } }`;
const COUNCIL = `query($year: Int!, $areaId: ID) { councilStats(year: $year, areaId: $areaId) { year ${TEAMS} informalHours { overall { value suppressed } } } }`;

/**
 * councilStats from outside: everyone who may not read it, through every way of writing the document, and
 * hostile arguments; then whether a withheld team figure follows from the city's and an area's figures.
 * Seven cases of the west social team: five of residents of Wielwijk (west), two of residents of the
 * Binnenstad rerouted to it by a coordinator.
 */
describe.each(backends())("councilStats under attack on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  const who: Record<string, { token?: string; key?: string }> = {};
  let binnenstadArea: string;

  const ok = (r: GqlResult) => {
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data;
  };
  const as = (name: string, query: string, variables?: Record<string, unknown>) => {
    const w = who[name];
    return w.key ? keyed(t, w.key, query, variables) : t.gql(query, variables, w.token);
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { TOKEN_TTL_SECONDS: String(3 * 365 * 24 * 3600) });
    t.clock.advance(REGISTERED - t.clock.now().getTime());
    coordinator = await buildCoordinator(t);
    const professional = await buildProfessional(t, TEAM.westSocial, coordinator);
    const volunteer = await buildVolunteer(t, { categoryIds: Object.values(CAT), neighbourhoodIds: [NB.wielwijk] });
    const circle = await buildCircle(t, 1);
    who.anonymous = {};
    who.volunteer = { token: volunteer.token };
    who.professional = { token: professional.token };
    who.circleMember = { token: circle.members[0].token };
    who.resident = { token: (await buildPerson(t)).token };
    who.publicKey = { key: (await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { expiresInDays: 730 })).secret };
    who.writeKey = { key: (await buildPartnerKey(t, coordinator, ["PUBLIC_READ", "REQUESTS_WRITE"], { expiresInDays: 730 })).secret };
    who.statsKey = { key: (await buildPartnerKey(t, coordinator, ["STATS_READ"], { expiresInDays: 730 })).secret };
    const sandboxClient = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"], { expiresInDays: 730 });
    const sandbox = await t.gql(
      `mutation($id: ID!, $input: IssueApiKeyInput!) { issueApiKey(clientId: $id, input: $input) { secret } }`,
      { id: sandboxClient.clientId, input: { label: "sandbox", scopes: ["STATS_READ"], sandbox: true, expiresInDays: 730 } },
      coordinator.token,
    );
    if (!sandbox.errors) who.sandboxStatsKey = { key: sandbox.data.issueApiKey.secret };

    const wielwijk: Account[] = [];
    for (let i = 0; i < 5; i++) wielwijk.push(await buildPerson(t, { neighbourhoodId: NB.wielwijk }));
    const binnenstad: Account[] = [];
    for (let i = 0; i < 2; i++) binnenstad.push(await buildPerson(t, { neighbourhoodId: NB.binnenstad }));
    t.clock.advance(ASKED - t.clock.now().getTime());
    const flag = async (a: Account, nb: string) => {
      const r = await askForHelp(t, a.token, { categoryId: CAT.company, neighbourhoodId: nb });
      return ok(await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: TOO_COMPLEX) { escalationId } }`, { id: r.id }, a.token)).flagHelpRequest.escalationId as string;
    };
    const cases: string[] = [];
    for (const a of wielwijk) cases.push(await flag(a, NB.wielwijk));
    for (const a of binnenstad) {
      const id = await flag(a, NB.binnenstad);
      ok(
        await t.gql(
          `mutation($id: ID!, $lead: ID!, $reason: String) { rerouteEscalation(id: $id, leadTeamId: $lead, reason: $reason) { id } }`,
          { id, lead: TEAM.westSocial, reason: "Het wijkteam West kent de familie" },
          coordinator.token,
        ),
      );
      cases.push(id);
    }
    t.clock.advance(2 * HOUR);
    for (const id of cases) ok(await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id }, professional.token));
    t.clock.advance(READ_AT - t.clock.now().getTime());
    const areas = ok(await t.gql(`{ neighbourhoods { id area { id } } }`));
    binnenstadArea = areas.neighbourhoods.find((n: { id: string }) => n.id === NB.binnenstad).area.id;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const DOCUMENTS: [string, string, Record<string, unknown>?][] = [
    ["plain", COUNCIL, { year: 2027 }],
    ["aliased", `{ a: serverTime x: councilStats(year: 2027) { ${TEAMS} } }`],
    ["in a fragment", `query { ...F } fragment F on Query { councilStats(year: 2027) { ${TEAMS} } }`],
    ["in an inline fragment", `query { ... on Query { ... { councilStats(year: 2027) { ${TEAMS} } } } }`],
    ["under @include", `query($y: Boolean!) { councilStats(year: 2027) @include(if: $y) { ${TEAMS} } }`, { y: true }],
    ["named among several operations", `query A { serverTime } query B { councilStats(year: 2027) { ${TEAMS} } }`],
  ];

  for (const name of ["anonymous", "volunteer", "professional", "circleMember", "resident", "publicKey", "writeKey", "sandboxStatsKey"]) {
    it(`${name} gets no council figure, however the document is written`, async () => {
      if (!who[name]) return; // a sandbox key with stats:read cannot be issued at all
      for (const [how, query, variables] of DOCUMENTS) {
        const w = who[name];
        const body = how.startsWith("named") ? { operationName: "B" } : {};
        const auth: Record<string, string> = w.key ? { "x-api-key": w.key } : w.token ? { authorization: `Bearer ${w.token}` } : {};
        const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify({ query, variables, ...body }) });
        const r = { status: res.status, ...((await res.json()) as object) } as GqlResult;
        const text = JSON.stringify(r);
        expect(r.errors?.length, `${name} ${how}: ${text}`).toBeGreaterThan(0);
        expect(r.errors![0].extensions?.code, `${name} ${how}`).toMatch(/^(FORBIDDEN|UNAUTHENTICATED)$/);
        expect(text, `${name} ${how}`).not.toMatch(/"cases"|"teams"|"overall"/);
      }
    });
  }

  it("a sandbox key, even with stats:read, reads no council figure", async () => {
    if (!who.sandboxStatsKey) return;
    const r = await as("sandboxStatsKey", COUNCIL, { year: 2027 });
    const csv = await fetch(new URL("/reports/council?year=2027&format=csv", t.url), { headers: { "x-api-key": who.sandboxStatsKey.key! } });
    const escalations = await as("sandboxStatsKey", `{ stats(from: "2027-03", to: "2027-03") { cells(first: 1) { edges { node { escalations { trigger } } } } } }`);
    expect({ graphql: r.data?.councilStats ?? null, csv: csv.status, escalations: escalations.errors?.[0]?.extensions?.code }).toEqual({
      graphql: null,
      csv: 403,
      escalations: "FORBIDDEN",
    });
  });

  it("councilStats is not reachable through node, nodes or any nested field", async () => {
    const schema = ok(await t.gql(`{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }`, {}, coordinator.token));
    const holders = schema.__schema.types.flatMap((ty: { name: string; fields: { name: string; type: any }[] | null }) =>
      (ty.fields ?? []).filter((f) => [f.type.name, f.type.ofType?.name, f.type.ofType?.ofType?.name].includes("CouncilStats")).map((f) => `${ty.name}.${f.name}`),
    );
    expect(holders).toEqual(["Query.councilStats"]);
  });

  it("hostile arguments give a clear error with a stable code and reason, and the server stays up", async () => {
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ year: 0 }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD"],
      [{ year: -1 }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD"],
      [{ year: 99999 }, "BAD_USER_INPUT", "INVALID_STATS_PERIOD"],
      [{ year: 2027, areaId: "x".repeat(5000) }, "NOT_FOUND", "AREA_NOT_FOUND"],
      [{ year: 2027, areaId: "9".repeat(400) }, "NOT_FOUND", "AREA_NOT_FOUND"],
      [{ year: 2027, areaId: "nb_dordrecht-wielwijk" }, "NOT_FOUND", "AREA_NOT_FOUND"],
      [{ year: 2027, areaId: "'; DROP TABLE escalations; --" }, "NOT_FOUND", "AREA_NOT_FOUND"],
    ];
    for (const [variables, code, reason] of cases) {
      for (const caller of ["coordinator", "statsKey"]) {
        const r = caller === "statsKey" ? await as("statsKey", COUNCIL, variables) : await t.gql(COUNCIL, variables, coordinator.token);
        expect(r.status, JSON.stringify(variables)).toBeLessThan(500);
        expect(r.data?.councilStats ?? null).toBeNull();
        expect(r.errors?.[0]?.extensions, `${caller} ${JSON.stringify(variables).slice(0, 80)}`).toMatchObject({ code, reason });
        expect(JSON.stringify(r)).not.toMatch(/stack|SQLITE|sqlite|postgres|at [A-Za-z]+ \(/);
      }
    }
    // Wrong types and out-of-range Int: refused before any resolver, as bad input.
    const wrong: Record<string, unknown>[] = [{ year: "2027" }, { year: 2027.5 }, { year: 2 ** 31 }, { year: null }, { year: 2027, areaId: { id: 1 } }, { year: [2027] }];
    for (const variables of wrong) {
      const r = await t.gql(COUNCIL, variables, coordinator.token);
      expect(r.status, JSON.stringify(variables)).toBeLessThan(500);
      expect(r.data?.councilStats ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe("BAD_USER_INPUT");
    }
    const literal = await t.gql(`{ councilStats(year: 99999999999) { year } }`, {}, coordinator.token);
    expect(literal.status).toBeLessThan(500);
    expect(literal.errors?.[0]?.extensions?.code).toMatch(/^(GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/);
    // Still answering.
    expect(ok(await t.gql(COUNCIL, { year: 2027 }, coordinator.token)).councilStats.year).toBe(2027);
  });

  it("the city's team cases minus the escalation groups `stats` publishes for the same cases give no one to four people away", async () => {
    const council = ok(await t.gql(COUNCIL, { year: 2027 }, coordinator.token)).councilStats;
    const teamFigures = council.teams.map((x: { cases: { value: number | null; suppressed: boolean } }) => x.cases);
    // Withheld team counts tell nothing; shown ones must not, with the published groups, tell the rest.
    if (teamFigures.some((c: { suppressed: boolean }) => c.suppressed)) {
      expect(teamFigures.every((c: { suppressed: boolean; value: number | null }) => c.suppressed && c.value === null)).toBe(true);
      return;
    }
    const teamCases = teamFigures.reduce((n: number, c: { value: number | null }) => n + (c.value ?? 0), 0);
    // Every case was raised in March 2027: the published groups of that month are all `stats` shows of them.
    const stats = ok(
      await t.gql(
        `{ stats(from: "2027-03", to: "2027-03") { cells(first: 100) { pageInfo { hasNextPage } edges { node { neighbourhood { id } escalations { trigger outcome cases { value suppressed } } } } } } }`,
        {},
        coordinator.token,
      ),
    ).stats;
    expect(stats.cells.pageInfo.hasNextPage).toBe(false);
    const published = stats.cells.edges.flatMap((e: any) => e.node.escalations).reduce((n: number, g: any) => n + (g.cases.value ?? 0), 0);
    expect(teamCases).toBe(7);
    const rest = teamCases - published;
    expect(rest === 0 || rest >= 5, `council teams ${teamCases} - stats groups ${published} = ${rest}`).toBe(true);
  });

  it("a team figure withheld for one area does not follow from the city's figure minus another area's", async () => {
    const team = (data: any) => data.councilStats.teams.find((x: { team: { id: string } }) => x.team.id === TEAM.westSocial)?.cases ?? { value: null, suppressed: true };
    const city = team(ok(await t.gql(COUNCIL, { year: 2027 }, coordinator.token)));
    const west = team(ok(await t.gql(COUNCIL, { year: 2027, areaId: "area_dordrecht-west" }, coordinator.token)));
    const centre = team(ok(await t.gql(COUNCIL, { year: 2027, areaId: binnenstadArea }, coordinator.token)));
    expect(binnenstadArea).not.toBe("area_dordrecht-west");
    // The Binnenstad's two cases rest on two people: not published there.
    expect(centre).toEqual({ value: null, suppressed: true });
    // Whatever city and west publish, their difference must not be that withheld figure.
    if (!city.suppressed && !west.suppressed) {
      const rest = city.value - west.value;
      expect(rest === 0 || rest >= 5, `city ${city.value} - west ${west.value}`).toBe(true);
    }
  });
});
