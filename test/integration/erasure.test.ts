import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer, rowCounts } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type GqlResult, type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const FIELDS = `id status subjectId onBehalf basis requestedAt finishedAt sections { section erased restricted { what count legalBasis keptFor } }`;
const ERASE = `mutation { requestErasure { ${FIELDS} } }`;
const ERASE_FOR = `mutation($p: ID!, $b: String!) { requestErasureFor(personId: $p, basis: $b) { ${FIELDS} } }`;
const ONE = `query($id: ID!) { dataErasure(id: $id) { ${FIELDS} } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const REQUEST = `query($id: ID!) { helpRequest(id: $id) { id status title description personHelped { id firstName } } }`;
const CREATE_CIRCLE = `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`;
const INVITE = `mutation($c: ID!, $r: Relation) { inviteToCareCircle(circleId: $c, relation: $r) { code } }`;
const JOIN = `mutation($code: String!) { joinCareCircle(code: $code) { id } }`;
const CHECK_IN = `mutation($c: ID!, $s: Strain!, $n: String) { careCheckIn(circleId: $c, strain: $s, note: $n) }`;

/** Every row of every table, as one text per table: what any query, node, subscription, statistic or export could show. */
async function everything(t: TestApp): Promise<string> {
  const s = t.app.services;
  const parts: string[] = [];
  for (const [name, table] of Object.entries(s.db.tables)) parts.push(`${name}: ${JSON.stringify(await s.db.read.select().from(table as never))}`);
  return parts.join("\n");
}

/** The reasons an erasure was refused with. */
const blockersOf = (r: GqlResult) => (r.errors![0].extensions as { blockers?: { reason: string }[] }).blockers ?? [];

/** The tables whose rows hold `fact`. */
const holding = (all: string, fact: string) =>
  all
    .split("\n")
    .filter((line) => line.includes(fact))
    .map((line) => line.slice(0, line.indexOf(":")));

describe.each(backends())("erasure (GDPR art. 17) and restriction (art. 18) on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let erna: Account; // the person who asks to be erased
  let vera: Account; // the volunteer who helped her
  let carla: Account; // who coordinates the care circle Erna is a member of
  let professional: Account;
  const ids: Record<string, string> = {};
  const PLANTED = ["Ernaxq", "Wisschenkxq", "06 4242 0909", "Wisstraat 11", "Ernaxq-boodschappen", "Melk en Wisbrood", "Zwaar Ernaxq-weekje"];

  beforeAll(async () => {
    t = await startTestApp(backend);
    coordinator = await buildCoordinator(t);
    erna = await buildPerson(t, { firstName: "Ernaxq", lastName: "Wisschenkxq", phone: "06 4242 0909", address: "Wisstraat 11, Dordrecht", roles: ["MANTELZORGER"] });
    vera = await buildVolunteer(t, { firstName: "Veraxw" });
    carla = await buildPerson(t, { firstName: "Carlaxw", roles: ["MANTELZORGER"] });

    // Erna's request, taken by Vera (an open match for Vera, an open request for Erna).
    ids.request = (await askForHelp(t, erna.token, { title: "Ernaxq-boodschappen", description: "Melk en Wisbrood" })).id;
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: ids.request }, vera.token)).errors).toBeUndefined();
    // Vera reads Erna's phone: an access-log entry about Erna.
    expect((await t.gql(`query($id: ID!) { helpRequest(id: $id) { contact { phone } } }`, { id: ids.request }, vera.token)).errors).toBeUndefined();

    // A second request of Erna's, flagged by Vera: a case about Erna.
    ids.flagged = (await askForHelp(t, erna.token, { title: "Ernaxq-boodschappen 2", description: "Melk en Wisbrood" })).id;
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: ids.flagged }, vera.token)).errors).toBeUndefined();
    const flag = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH, note: "A team should look") { escalationId } }`, { id: ids.flagged }, vera.token);
    expect(flag.errors).toBeUndefined();
    ids.case = flag.data.flagHelpRequest.escalationId;
    const lead = await t.gql(`query($id: ID!) { escalation(id: $id) { leadTeam { id } restriction { legalBasis } } }`, { id: ids.case }, coordinator.token);
    expect(lead.data.escalation.restriction).toBeNull();
    professional = await buildProfessional(t, lead.data.escalation.leadTeam.id, coordinator);

    // Carla's circle, Erna a member who checks in with a note.
    const circle = await t.gql(CREATE_CIRCLE, { input: { name: "Zorg voor Carla's vader", careReceiver: { firstName: "Vaderxw", neighbourhoodId: NB.wielwijk } } }, carla.token);
    expect(circle.errors).toBeUndefined();
    ids.circle = circle.data.createCareCircle.id;
    const inv = await t.gql(INVITE, { c: ids.circle, r: "FAMILY" }, carla.token);
    expect((await t.gql(JOIN, { code: inv.data.inviteToCareCircle.code }, erna.token)).errors).toBeUndefined();
    expect((await t.gql(CHECK_IN, { c: ids.circle, s: "HIGH", n: "Zwaar Ernaxq-weekje" }, erna.token)).errors).toBeUndefined();
    const prefs = await t.gql(`mutation { updateNotificationPreferences(input: { language: EN, quietHours: { start: "22:00", end: "07:30" } }) { language } }`, {}, erna.token);
    expect(prefs.errors).toBeUndefined();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("ERASURE_BLOCKED lists ERASURE_BLOCKED_OPEN_REQUEST, ERASURE_BLOCKED_OPEN_CASE and ERASURE_BLOCKED_OPEN_MATCH, and changes nothing", async () => {
    const before = await rowCounts(t);
    const own = await t.gql(ERASE, {}, erna.token);
    expect(codeOf(own)).toBe("CONFLICT");
    expect(reasonOf(own)).toBe("ERASURE_BLOCKED");
    const reasons = blockersOf(own).map((b) => b.reason);
    expect(reasons).toEqual(expect.arrayContaining(["ERASURE_BLOCKED_OPEN_REQUEST", "ERASURE_BLOCKED_OPEN_CASE"]));
    const volunteer = await t.gql(ERASE, {}, vera.token);
    expect(blockersOf(volunteer).map((b) => b.reason)).toContain("ERASURE_BLOCKED_OPEN_MATCH");
    const byCoordinator = await t.gql(ERASE_FOR, { p: erna.id, b: "Asked at the desk" }, coordinator.token);
    expect(reasonOf(byCoordinator)).toBe("ERASURE_BLOCKED");
    expect(await rowCounts(t)).toEqual({ ...before, accessLog: before.accessLog });
    expect((await t.gql(LOGIN, { e: erna.email, p: "correct horse battery" })).errors).toBeUndefined();
  });

  it("ERASURE_BLOCKED_ONLY_CIRCLE_COORDINATOR: the circle's only coordinator is refused", async () => {
    const r = await t.gql(ERASE, {}, carla.token);
    expect(reasonOf(r)).toBe("ERASURE_BLOCKED");
    expect(blockersOf(r).map((b) => b.reason)).toEqual(["ERASURE_BLOCKED_ONLY_CIRCLE_COORDINATOR"]);
  });

  it("wrong roles: anonymous, a volunteer for someone else, a partner key, another person's erasure (ERASURE_NOT_FOUND), no such person (ERASURE_SUBJECT_NOT_FOUND)", async () => {
    expect(codeOf(await t.gql(ERASE, {}))).toBe("UNAUTHENTICATED");
    expect(reasonOf(await t.gql(ERASE_FOR, { p: erna.id, b: "Asked at the desk" }, vera.token))).toBe("COORDINATOR_ONLY");
    expect(reasonOf(await t.gql(ERASE_FOR, { p: erna.id, b: "x" }, coordinator.token))).toBe("INVALID_INPUT");
    expect(reasonOf(await t.gql(ERASE_FOR, { p: "person_nobody", b: "Asked at the desk" }, coordinator.token))).toBe("ERASURE_SUBJECT_NOT_FOUND");
    const partner = await buildPartnerKey(t, coordinator);
    const viaKey = await keyed(t, partner.secret, ERASE_FOR, { p: erna.id, b: "Asked at the desk" });
    expect(viaKey.errors).toBeDefined();
    expect(reasonOf(await t.gql(ONE, { id: "der_none" }, vera.token))).toBe("ERASURE_NOT_FOUND");
  });

  it("erases Erna once her request is done and her case closed: no login, none of her facts anywhere, others' records whole, the case restricted with its reason", async () => {
    // Settle what blocks: Vera finishes the first request; the team closes the case.
    for (const m of ["startHelpRequest", "completeHelpRequest"])
      expect((await t.gql(`mutation($id: ID!) { ${m}(id: $id) { status } }`, { id: ids.request }, vera.token)).errors).toBeUndefined();
    expect((await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id: ids.case }, professional.token)).errors).toBeUndefined();
    const closed = await t.gql(
      `mutation($id: ID!) { closeEscalation(id: $id, outcome: PROFESSIONAL_SUPPORT, note: "Casus overgedragen aan wijkverpleging") { status } }`,
      { id: ids.case },
      professional.token,
    );
    expect(closed.errors).toBeUndefined();
    const flagged = await t.gql(REQUEST, { id: ids.flagged }, erna.token);
    if (["OPEN", "MATCHED", "IN_PROGRESS"].includes(flagged.data.helpRequest.status))
      expect((await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id: ids.flagged }, erna.token)).errors).toBeUndefined();

    const before = await rowCounts(t);
    const a = await t.gql(ERASE, {}, erna.token);
    expect(a.errors).toBeUndefined();
    const job = a.data.requestErasure;
    expect(job.status).toBe("DONE");
    expect(job.onBehalf).toBe(false);
    const sections = Object.fromEntries(job.sections.map((s: any) => [s.section, s]));
    expect(sections.profile.erased.join(" ")).toMatch(/login sessions: [1-9]/);
    expect(sections.cases.restricted).toEqual([expect.objectContaining({ what: "escalation cases about you", count: 1, legalBasis: "Jeugdwet/Wmo 2015 dossierplicht" })]);
    expect(sections.accessLog.restricted[0].legalBasis).toBe("NEN 7513 logging");

    // History keeps its shape and counts: statistics and other people's records stay whole.
    const after = await rowCounts(t);
    for (const table of ["people", "helpRequests", "helpRequestEvents", "careShifts", "careCheckins", "escalations", "escalationAudit", "consents", "initiativeSignups"])
      expect(after[table], table).toBe(before[table]);
    expect(after.sessions).toBeLessThan(before.sessions);

    // No way in: the password, the old token.
    expect(reasonOf(await t.gql(LOGIN, { e: erna.email, p: "correct horse battery" }))).toBeDefined();
    expect(codeOf(await t.gql(`{ me { person { id } } }`, {}, erna.token))).toBe("UNAUTHENTICATED");

    // None of her facts anywhere in the database, and so in no query, node, subscription, statistic or export.
    const all = await everything(t);
    for (const fact of [...PLANTED, erna.email]) expect(holding(all, fact), fact).toEqual([]);
    // The team's own record of the case is kept (restricted, not erased).
    expect(holding(all, "Casus overgedragen aan wijkverpleging")).toEqual(["escalationAudit"]);

    // Vera still sees the request she did, without Erna's name; the node of Erna's row is a tombstone.
    const seen = await t.gql(REQUEST, { id: ids.request }, vera.token);
    expect(seen.errors).toBeUndefined();
    expect(seen.data.helpRequest.status).toBe("DONE");
    expect(seen.data.helpRequest.personHelped).toEqual({ id: erna.id, firstName: "[verwijderd]" });
    const node = await t.gql(`query($id: ID!) { node(id: $id) { ... on Person { firstName } } }`, { id: erna.id }, coordinator.token);
    expect(JSON.stringify(node.data)).not.toContain("Ernaxq");

    // The case stays for its team, with the reason it is kept; a coordinator (who read it before) and Vera no longer read it.
    const CASE = `query($id: ID!) { escalation(id: $id) { id status restriction { legalBasis keptFor } } }`;
    const kept = await t.gql(CASE, { id: ids.case }, professional.token);
    expect(kept.errors).toBeUndefined();
    expect(kept.data.escalation).toMatchObject({ status: "CLOSED", restriction: { legalBasis: "Jeugdwet/Wmo 2015 dossierplicht" } });
    expect(reasonOf(await t.gql(CASE, { id: ids.case }, coordinator.token))).toBe("ESCALATION_NOT_FOUND");
    expect(reasonOf(await t.gql(CASE, { id: ids.case }, vera.token))).toBe("ESCALATION_NOT_FOUND");
    const viaNode = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: ids.case }, coordinator.token);
    expect(viaNode.data?.node ?? null).toBeNull();
    // Not even listed in the team's queue for a coordinator; still listed for the team.
    const team = (await t.gql(`query($id: ID!) { escalation(id: $id) { leadTeam { id } } }`, { id: ids.case }, professional.token)).data.escalation.leadTeam.id as string;
    const QUEUE = `query($t: ID!) { teamQueue(teamId: $t, statuses: [CLOSED], first: 50) { edges { node { id } } } }`;
    const listed = async (token: string) => ((await t.gql(QUEUE, { t: team }, token)).data.teamQueue.edges as { node: { id: string } }[]).map((e) => e.node.id);
    expect(await listed(professional.token)).toContain(ids.case);
    expect(await listed(coordinator.token)).not.toContain(ids.case);

    // An export of Erna's data by a coordinator holds none of her facts.
    const asked = await t.gql(`mutation($p: ID!) { requestDataExportFor(personId: $p, basis: "Checked after erasure") { id } }`, { p: erna.id }, coordinator.token);
    expect(asked.errors).toBeUndefined();
    let url: string | null = null;
    for (let i = 0; i < 200 && !url; i++) {
      const r = await t.gql(`query($id: ID!) { dataExport(id: $id) { status downloadUrl } }`, { id: asked.data.requestDataExportFor.id }, coordinator.token);
      url = r.data.dataExport.downloadUrl;
      if (!url) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const file = await (await fetch(new URL(url!, t.url), { headers: { authorization: `Bearer ${coordinator.token}` } })).text();
    expect(file).toContain(erna.id);
    for (const fact of [...PLANTED, erna.email]) expect(file, fact).not.toContain(fact);

    // The record is kept.
    expect((await t.gql(ONE, { id: job.id }, vera.token)).errors).toBeDefined();
  }, 60_000);

  it("a coordinator erases someone without an account on their request, recorded with the basis; a second request while one runs answers that one", async () => {
    const guest = await buildPerson(t, { firstName: "Gastxq", lastName: "Zonderaccountxq", phone: "06 1212 3434" });
    // An erasure of the guest running on another instance: the request answers it, nothing is started.
    const now = t.clock.now();
    const running = {
      id: "der_running",
      subjectId: guest.id,
      requestedById: coordinator.id,
      basis: "elsewhere",
      status: "RUNNING" as const,
      leaseUntil: new Date(now.getTime() + 60_000),
      createdAt: now,
    };
    await t.app.services.db.transaction((tx) => tx.insert(t.app.services.db.tables.dataErasures).values(running));
    const second = await t.gql(ERASE_FOR, { p: guest.id, b: "Asked at the desk on 4 December" }, coordinator.token);
    expect(second.errors).toBeUndefined();
    expect(second.data.requestErasureFor).toMatchObject({ id: "der_running", status: "RUNNING" });
    expect(await everything(t)).toContain("Zonderaccountxq");
    // That instance died (its lease ran out): the job reads FAILED, having changed nothing, and a new request starts afresh.
    t.clock.advance(2 * 60_000);
    expect((await t.gql(ONE, { id: "der_running" }, coordinator.token)).data.dataErasure.status).toBe("FAILED");
    const r = await t.gql(ERASE_FOR, { p: guest.id, b: "Asked at the desk on 4 December" }, coordinator.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.requestErasureFor).toMatchObject({ status: "DONE", onBehalf: true, basis: "Asked at the desk on 4 December" });
    const again = await t.gql(ONE, { id: r.data.requestErasureFor.id }, coordinator.token);
    expect(again.data.dataErasure.status).toBe("DONE");
    const all = await everything(t);
    expect(holding(all, "Zonderaccountxq")).toEqual([]);
    expect(holding(all, "06 1212 3434")).toEqual([]);
  });
});
