import { eq } from "drizzle-orm";
import { authenticator } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import {
  type Account,
  CAT,
  HOUR,
  NB,
  askForHelp,
  buildCoordinator,
  buildOrganisation,
  buildPerson,
  buildProfessional,
  buildVolunteer,
  postInitiative,
  SIGN_UP,
} from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type BrowserSubscription, type PushEndpoint, startPushEndpoint } from "../support/push-endpoint.js";
import { type GqlResult, type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver.js";

const FIELDS = `id status subjectId onBehalf basis requestedAt finishedAt sizeBytes formatVersion downloadUrl downloadUrlExpiresAt`;
const REQUEST = `mutation { requestDataExport { ${FIELDS} } }`;
const REQUEST_FOR = `mutation($p: ID!, $b: String!) { requestDataExportFor(personId: $p, basis: $b) { ${FIELDS} } }`;
const ONE = `query($id: ID!) { dataExport(id: $id) { ${FIELDS} } }`;
const MINE = `{ myDataExports { ${FIELDS} } }`;

const CREATE_CIRCLE = `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`;
const INVITE = `mutation($c: ID!, $r: Relation) { inviteToCareCircle(circleId: $c, relation: $r) { code } }`;
const JOIN = `mutation($code: String!) { joinCareCircle(code: $code) { id } }`;
const ADD_TASK = `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`;
const SHIFTS = `query($c: ID!) { careCircle(id: $c) { shifts(first: 20) { edges { node { id status } } } } }`;
const CLAIM = `mutation($id: ID!) { claimCareShift(id: $id) { id status } }`;
const CHECK_IN = `mutation($c: ID!, $s: Strain!, $n: String) { careCheckIn(circleId: $c, strain: $s, note: $n) }`;

/** The Amsterdam date `days` from the server's now. */
const localDate = (t: TestApp, days: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + days * 24 * HOUR));

/** Waits until the export is no longer RUNNING and answers it. */
async function settled(t: TestApp, id: string, token: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await t.gql(ONE, { id }, token);
    expect(r.errors).toBeUndefined();
    if (r.data.dataExport.status !== "RUNNING") return r.data.dataExport;
    if (Date.now() > deadline) throw new Error("the export did not finish");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const download = (t: TestApp, path: string, token?: string) => fetch(new URL(path, t.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe.each(backends())("data export (GDPR art. 15 and 20) on $name", (backend) => {
  let t: TestApp;
  let box: Mailbox;
  let coordinator: Account;
  let anna: Account; // the person who asks for her data
  let neighbour: Account;
  let relative: Account;
  let circleVolunteer: Account;
  let vera: Account; // the volunteer who helped Anna
  let professional: Account; // of the team that leads Anna's case
  let teamName: string;
  const planted: Record<string, string> = {};

  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url });
    coordinator = await buildCoordinator(t);
    anna = await buildPerson(t, { firstName: "Annabel", lastName: "Exportsma", phone: "06 5555 0101", address: "Annastraat 7, Dordrecht", roles: ["MANTELZORGER"] });
    neighbour = await buildPerson(t, { firstName: "Nadiaxq", lastName: "Buurvrouw", phone: "06 7777 0202", address: "Buurstraat 9, Dordrecht" });
    relative = await buildPerson(t, { firstName: "Ruudxq", lastName: "Familielid", phone: "06 8888 0303", roles: ["MANTELZORGER"] });
    circleVolunteer = await buildVolunteer(t, { firstName: "Wimxq" });
    vera = await buildVolunteer(t, { firstName: "Veraxq" });

    // A request of Anna's, taken by Vera, who reads Anna's contact details (an access-log entry) and flags it.
    const own = await askForHelp(t, anna.token, { title: "Annabel's boodschappen", description: "Melk en brood, graag." });
    planted.request = own.id;
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: own.id }, vera.token)).errors).toBeUndefined();
    // Anna is told by e-mail (a notification delivery to her).
    await box.waitFor(() => box.to(anna.email).length > 0, 10_000, "Anna's mail about the match");
    expect((await t.gql(`query($id: ID!) { helpRequest(id: $id) { contact { phone } } }`, { id: own.id }, vera.token)).errors).toBeUndefined();
    const flag = await t.gql(
      `mutation($id: ID!) { flagHelpRequest(id: $id, reason: HEALTH, note: "Veraxq thinks a team should look") { escalationId status } }`,
      { id: own.id },
      vera.token,
    );
    expect(flag.errors).toBeUndefined();
    planted.case = flag.data.flagHelpRequest.escalationId;

    // The team asks for Anna's consent (with a note of its own), she gives it, and a professional reads her details.
    const lead = await t.gql(`query($id: ID!) { escalation(id: $id) { leadTeam { id name } } }`, { id: planted.case }, coordinator.token);
    expect(lead.errors).toBeUndefined();
    teamName = lead.data.escalation.leadTeam.name;
    professional = await buildProfessional(t, lead.data.escalation.leadTeam.id, coordinator);
    expect((await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id: planted.case }, professional.token)).errors).toBeUndefined();
    const ask = await t.gql(`mutation($id: ID!) { requestConsent(id: $id, note: "Internal: Annabel looks exhausted") { id } }`, { id: planted.case }, professional.token);
    expect(ask.errors).toBeUndefined();
    expect((await t.gql(`mutation($id: ID!) { giveConsent(escalationId: $id, purpose: "Ondersteuning") { status } }`, { id: planted.case }, anna.token)).errors).toBeUndefined();
    const details = await t.gql(`query($id: ID!) { escalation(id: $id) { personDetails { fullName } } }`, { id: planted.case }, professional.token);
    expect(details.data.escalation.personDetails.fullName).toBe("Annabel Exportsma");

    // The neighbour's own request, which Anna has nothing to do with.
    planted.neighbourRequest = (await askForHelp(t, neighbour.token, { title: "Nadiaxq's verhuizing", neighbourhoodId: NB.oudKrispijn })).id;

    // Anna's care circle for her mother, with her relative and a volunteer as members; Anna holds a shift and checks in.
    const circle = await t.gql(CREATE_CIRCLE, { input: { name: "Zorg voor moeder", careReceiver: { firstName: "Mientjexq", neighbourhoodId: NB.wielwijk } } }, anna.token);
    expect(circle.errors).toBeUndefined();
    planted.circle = circle.data.createCareCircle.id;
    for (const [member, relation] of [
      [relative, "FAMILY"],
      [circleVolunteer, "VOLUNTEER"],
    ] as const) {
      const inv = await t.gql(INVITE, { c: planted.circle, r: relation }, anna.token);
      expect((await t.gql(JOIN, { code: inv.data.inviteToCareCircle.code }, member.token)).errors).toBeUndefined();
    }
    const task = await t.gql(
      ADD_TASK,
      {
        c: planted.circle,
        i: { title: "Medicijnen klaarzetten", categoryId: CAT.company, startDate: localDate(t, 1), startTime: "10:00", durationMinutes: 30, weekdays: [1, 2, 3, 4, 5, 6, 7] },
      },
      anna.token,
    );
    expect(task.errors).toBeUndefined();
    const shifts = (await t.gql(SHIFTS, { c: planted.circle }, anna.token)).data.careCircle.shifts.edges.map((e: any) => e.node.id);
    planted.annaShift = shifts[0];
    expect((await t.gql(CLAIM, { id: shifts[0] }, anna.token)).data.claimCareShift.status).toBe("COVERED");
    expect((await t.gql(CLAIM, { id: shifts[1] }, relative.token)).data.claimCareShift.status).toBe("COVERED");
    expect((await t.gql(CHECK_IN, { c: planted.circle, s: "HIGH", n: "Annabel: zwaar deze week" }, anna.token)).errors).toBeUndefined();
    expect((await t.gql(CHECK_IN, { c: planted.circle, s: "LOW", n: "Ruudxq: gaat prima" }, relative.token)).errors).toBeUndefined();

    // An initiative both Anna and the neighbour sign up for.
    const org = await buildOrganisation(t, { coordinator, name: "Wijkwinkel Exportplein" });
    const initiative = await postInitiative(t, org, { title: "Koffie bij Exportplein" });
    for (const who of [anna, neighbour]) {
      const s = await t.gql(SIGN_UP, { input: { initiativeId: initiative.id } }, who.token);
      expect(s.errors).toBeUndefined();
      if (who === anna) planted.signup = s.data.signUpForInitiative.id;
    }

    // Anna's notification preferences.
    const prefs = await t.gql(`mutation { updateNotificationPreferences(input: { language: EN, quietHours: { start: "22:00", end: "07:30" } }) { language } }`, {}, anna.token);
    expect(prefs.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  async function exportOf(account: Account) {
    const r = await t.gql(REQUEST, {}, account.token);
    expect(r.errors).toBeUndefined();
    const job = await settled(t, r.data.requestDataExport.id, account.token);
    expect(job.status).toBe("READY");
    const res = await download(t, job.downloadUrl, account.token);
    expect(res.status).toBe(200);
    return { job, res, text: await res.text() };
  }

  it("holds every planted fact of every module, and nothing about the neighbour, the relative or the circle's volunteer", async () => {
    const { job, res, text } = await exportOf(anna);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="zorgzaam-data-\d{4}-\d{2}-\d{2}-dex_[^"]+\.json"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(job.sizeBytes).toBe(Buffer.byteLength(text));
    const data = JSON.parse(text);
    expect(data.formatVersion).toBe(1);
    expect(data.personId).toBe(anna.id);
    expect(data.requestedBy).toBe("SELF");
    const s = data.sections;

    expect(s.profile).toMatchObject({
      id: anna.id,
      firstName: "Annabel",
      lastName: "Exportsma",
      email: anna.email,
      phone: "06 5555 0101",
      address: "Annastraat 7, Dordrecht",
      hasAccount: true,
    });
    expect(s.profile.roles.map((r: any) => r.role).sort()).toEqual(["MANTELZORGER", "RESIDENT"]);
    expect(s.profile).not.toHaveProperty("passwordHash");

    const request = s.helpRequests.find((r: any) => r.id === planted.request);
    expect(request).toMatchObject({ title: "Annabel's boodschappen", yourPart: ["HELPED", "ASKED"], volunteer: "Veraxq" });
    expect(s.helpRequests.map((r: any) => r.id)).not.toContain(planted.neighbourRequest);

    expect(s.care.circles).toEqual([expect.objectContaining({ id: planted.circle, yourRole: "COORDINATOR", careReceiver: "Mientjexq" })]);
    expect(s.care.shifts.map((x: any) => x.id)).toEqual([planted.annaShift]);
    expect(s.care.shifts[0]).toMatchObject({ title: "Medicijnen klaarzetten", yourPart: "HELD", status: "COVERED" });
    expect(s.care.checkins).toEqual([expect.objectContaining({ strain: "HIGH", note: "Annabel: zwaar deze week" })]);
    expect(s.care.invitations.map((i: any) => i.relation).sort()).toEqual(["FAMILY", "VOLUNTEER"]);

    expect(s.initiatives.signups).toEqual([expect.objectContaining({ id: planted.signup, initiative: "Koffie bij Exportplein", forYou: true, status: "CONFIRMED" })]);

    // The case about Anna: that it exists, its status and team, not the flagger's note nor the routing.
    expect(s.cases.aboutYou).toEqual([
      expect.objectContaining({ id: planted.case, status: "ACKNOWLEDGED", helpRequestId: planted.request, leadTeam: teamName, consentRequested: false }),
    ]);
    expect(s.cases.consents).toEqual([
      expect.objectContaining({ aboutYou: true, givenByYou: true, team: teamName, purpose: "Ondersteuning", escalationId: planted.case, withdrawnAt: null }),
    ]);
    expect(text).not.toContain("Veraxq thinks");
    expect(text).not.toContain("Internal: Annabel");
    expect(text).not.toMatch(/routingNote|reasonNote|flagReason|consentBypassBasis/);

    expect(s.notifications.deliveries).toEqual(expect.arrayContaining([expect.objectContaining({ subjectId: planted.request, channel: "EMAIL", status: "SENT" })]));
    expect(s.notifications.deliveries[0]).not.toHaveProperty("params");
    expect(s.notifications.preferences).toMatchObject({ language: "en", quietStart: "22:00", quietEnd: "07:30" });

    // Vera's read of Anna's contact details: by role, never by name or id.
    const read = s.accessLog.find((e: any) => e.objectId === planted.request);
    expect(read).toMatchObject({ purpose: "matched volunteer", fields: ["fullName", "address", "phone"] });
    expect(read.reader.roles).toContain("VOLUNTEER");
    expect(read.reader).not.toHaveProperty("id");
    // The professional's read of her details: by role and team.
    const teamRead = s.accessLog.find((e: any) => e.objectId === planted.case && e.reader.roles.includes("PROFESSIONAL"));
    expect(teamRead.reader).toMatchObject({ team: teamName });

    // Nobody else's details. Vera's first name is the one other name Anna sees: the volunteer who helped her.
    for (const other of [neighbour, relative, circleVolunteer, vera, coordinator, professional]) {
      expect(text).not.toContain(other.id);
      expect(text).not.toContain(other.email);
    }
    for (const name of ["Nadiaxq", "Buurvrouw", "06 7777 0202", "Ruudxq", "Familielid", "06 8888 0303", "Wimxq", "gaat prima"]) expect(text).not.toContain(name);
  });

  it("the volunteer's export holds the match by the first name of the person helped, not her contact details; the professional's holds their steps, not the case's subject", async () => {
    const { text } = await exportOf(vera);
    const data = JSON.parse(text);
    expect(data.sections.helpRequests).toEqual([
      expect.objectContaining({ id: planted.request, yourPart: ["VOLUNTEER"], personHelped: "Annabel", askedBy: "Annabel", volunteer: "(you)" }),
    ]);
    expect(data.sections.helpRequests[0].history.some((h: any) => h.byYou && h.toStatus === "MATCHED")).toBe(true);
    expect(data.sections.cases.raisedByYou).toEqual([expect.objectContaining({ id: planted.case })]);
    for (const fact of [anna.id, anna.email, "Exportsma", "06 5555 0101", "Annastraat"]) expect(text).not.toContain(fact);

    const prof = JSON.parse((await exportOf(professional)).text);
    expect(prof.sections.profile.team).toEqual({ id: expect.any(String), name: teamName });
    expect(prof.sections.cases.yourActions.map((a: any) => a.kind)).toEqual(expect.arrayContaining(["ACKNOWLEDGED", "CONSENT_REQUESTED"]));
    expect(prof.sections.cases.aboutYou).toEqual([]);
    expect(JSON.stringify(prof)).not.toContain(anna.id);
  });

  it("a placement is in the participant's export (asked for by a coordinator) and, without the participant, in the referrer's", async () => {
    const org = await buildOrganisation(t, { coordinator, kind: "LEARNING_WORK_COMPANY", name: "Leerwerkbedrijf Export" });
    const place = await postInitiative(t, org, { kind: "PARTICIPATION_PLACE", title: "Groenploeg Export", capacity: 5, schedule: null });
    const referral = await t.gql(
      `mutation($input: ReferralInput!) { referToParticipationPlace(input: $input) { id participant { id } } }`,
      { input: { initiativeId: place.id, participant: { firstName: "Pleunxq", neighbourhoodId: NB.wielwijk }, note: "Wil graag buiten werken." } },
      professional.token,
    );
    expect(referral.errors).toBeUndefined();
    const { id: placementId, participant } = referral.data.referToParticipationPlace;

    const job = await t.gql(REQUEST_FOR, { p: participant.id, b: "Pleunxq asked her professional for her data on 4 December" }, coordinator.token);
    expect(job.errors).toBeUndefined();
    const ready = await settled(t, job.data.requestDataExportFor.id, coordinator.token);
    const data = JSON.parse(await (await download(t, ready.downloadUrl, coordinator.token)).text());
    expect(data.sections.initiatives.placements).toEqual([
      expect.objectContaining({
        id: placementId,
        yourPart: "PARTICIPANT",
        initiative: "Groenploeg Export",
        organisation: "Leerwerkbedrijf Export",
        status: "REFERRED",
        note: "Wil graag buiten werken.",
      }),
    ]);

    const { text } = await exportOf(professional);
    expect(JSON.parse(text).sections.initiatives.placements).toEqual([expect.objectContaining({ id: placementId, yourPart: "REFERRER" })]);
    expect(text).not.toContain("Pleunxq");
    expect(text).not.toContain(participant.id);
  });

  it("the one cared for (no account, exported by a coordinator) finds the shifts of her care, each with the first name of who held it", async () => {
    const receiver = (await t.gql(`query($c: ID!) { careCircle(id: $c) { careReceiver { id } } }`, { c: planted.circle }, anna.token)).data.careCircle.careReceiver.id;
    const r = await t.gql(REQUEST_FOR, { p: receiver, b: "Mientjexq asked at the desk, with her daughter" }, coordinator.token);
    expect(r.errors).toBeUndefined();
    const job = await settled(t, r.data.requestDataExportFor.id, coordinator.token);
    const text = await (await download(t, job.downloadUrl, coordinator.token)).text();
    const care = JSON.parse(text).sections.care;
    expect(care.circles).toEqual([expect.objectContaining({ id: planted.circle, yourRole: "CARE_RECEIVER", careReceiver: "(you)" })]);
    const held = care.shifts.filter((x: any) => x.heldBy !== null);
    expect(held.map((x: any) => x.heldBy).sort()).toEqual(["Annabel", "Ruudxq"]);
    expect(care.shifts.every((x: any) => x.yourPart === "CARE_RECEIVED")).toBe(true);
    // Not the members' own check-ins, nor their ids or contact details.
    for (const fact of ["zwaar deze week", "gaat prima", anna.id, relative.id, anna.email, relative.email]) expect(text).not.toContain(fact);
  });

  it("a coordinator's export holds the partner apps they registered and their keys, never a key's secret", async () => {
    const app = await t.gql(
      `mutation { registerApiClient(input: { name: "Buurtapp Export", description: "Een test-app", contactEmail: "tech@buurtapp.example" }) { id } }`,
      {},
      coordinator.token,
    );
    expect(app.errors).toBeUndefined();
    const key = await t.gql(
      `mutation($c: ID!) { issueApiKey(clientId: $c, input: { label: "productie", scopes: [PUBLIC_READ] }) { secret apiKey { id } } }`,
      { c: app.data.registerApiClient.id },
      coordinator.token,
    );
    expect(key.errors).toBeUndefined();
    const { text } = await exportOf(coordinator);
    const clients = JSON.parse(text).sections.apiClients.clients;
    expect(clients).toEqual([
      expect.objectContaining({ id: app.data.registerApiClient.id, name: "Buurtapp Export", contactEmail: "tech@buurtapp.example", youRegisteredIt: true }),
    ]);
    expect(clients[0].keys).toEqual([expect.objectContaining({ id: key.data.issueApiKey.apiKey.id, label: "productie" })]);
    expect(text).not.toContain(key.data.issueApiKey.secret);
  });

  it("DATA_EXPORT_NOT_FOUND: another person reads neither the export by id nor by its link; a link is bound to its export and to whom it was given", async () => {
    const { job } = await exportOf(anna);
    const denied = await t.gql(ONE, { id: job.id }, neighbour.token);
    expect(codeOf(denied)).toBe("NOT_FOUND");
    expect(reasonOf(denied)).toBe("DATA_EXPORT_NOT_FOUND");
    expect((await t.gql(MINE, {}, neighbour.token)).data.myDataExports.map((e: any) => e.id)).not.toContain(job.id);

    // Anna's link, sent with the neighbour's own credentials: refused.
    const fresh = (await t.gql(ONE, { id: job.id }, anna.token)).data.dataExport;
    const asNeighbour = await download(t, fresh.downloadUrl, neighbour.token);
    expect(asNeighbour.status).toBe(403);
    expect(await asNeighbour.text()).not.toContain("Annabel");

    // The neighbour's own link's token does not open Anna's export.
    const theirs = await exportOf(neighbour);
    const token = new URL(theirs.job.downloadUrl, t.url).searchParams.get("token")!;
    const swapped = await download(t, `/exports/${job.id}?token=${token}`, neighbour.token);
    expect(swapped.status).toBe(404);
    expect((await download(t, `/exports/${job.id}?token=${token}`)).status).toBe(404);

    // A tampered or missing token, and anonymous use of the API.
    expect(
      (
        await download(
          t,
          fresh.downloadUrl.replace(/.$/, (c: string) => (c === "A" ? "B" : "A")),
        )
      ).status,
    ).toBe(404);
    expect((await download(t, `/exports/${job.id}`)).status).toBe(404);
    expect(codeOf(await t.gql(REQUEST, {}))).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(ONE, { id: job.id }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(MINE, {}))).toBe("UNAUTHENTICATED");
    // Only GET.
    expect((await fetch(new URL(fresh.downloadUrl, t.url), { method: "POST" })).status).toBe(405);
  });

  it("SCOPE_REQUIRED: a partner app's key, whatever its scopes, neither asks for nor reads exports", async () => {
    const key = await buildPartnerKey(t, await buildCoordinator(t), ["PUBLIC_READ", "STATS_READ", "REQUESTS_WRITE"]);
    for (const q of [REQUEST, MINE, `mutation { requestDataExportFor(personId: "${anna.id}", basis: "a partner asked") { id } }`]) {
      const r = await keyed(t, key.secret, q);
      expect(r.status, q).toBe(403);
      expect(reasonOf(r)).toBe("SCOPE_REQUIRED");
    }
    // Nor opens a link with its key as the bearer.
    const { job } = await exportOf(anna);
    expect((await download(t, job.downloadUrl, key.secret)).status).toBe(403);
  });

  it("a link expires after DATA_EXPORT_LINK_TTL_SECONDS; reading the export again gives a fresh one", async () => {
    const { job } = await exportOf(anna);
    const link = (await t.gql(ONE, { id: job.id }, anna.token)).data.dataExport;
    expect(new Date(link.downloadUrlExpiresAt).getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(15 * 60_000);
    t.clock.advance(16 * 60_000);
    const expired = await download(t, link.downloadUrl);
    expect(expired.status).toBe(410);
    expect(expired.headers.get("cache-control")).toBe("no-store");
    const again = (await t.gql(ONE, { id: job.id }, anna.token)).data.dataExport;
    expect((await download(t, again.downloadUrl)).status).toBe(200);
  });

  it("one export runs at a time: a second request while one runs answers with it; one whose instance died fails whole and a new one starts", async () => {
    // An export another instance claimed and is still making (or died making): a RUNNING job with its lease.
    const s = t.app.services;
    const now = t.clock.now();
    const runningId = "dex_elsewhere" + Math.random().toString(36).slice(2, 8);
    await s.db.transaction(async (tx) => {
      await tx.insert(s.db.tables.dataExports).values({
        id: runningId,
        subjectId: relative.id,
        requestedById: relative.id,
        basis: null,
        status: "RUNNING",
        leaseUntil: new Date(now.getTime() + 5 * 60_000),
        createdAt: now,
      });
    });
    const second = await t.gql(REQUEST, {}, relative.token);
    expect(second.data.requestDataExport).toMatchObject({ id: runningId, status: "RUNNING", downloadUrl: null });
    const twice = await Promise.all([t.gql(REQUEST, {}, relative.token), t.gql(REQUEST, {}, relative.token)]);
    expect(twice.map((r) => r.data.requestDataExport.id)).toEqual([runningId, runningId]);

    // Its instance died: past the lease the job reads FAILED, no file was kept, and a new request starts afresh.
    t.clock.advance(6 * 60_000);
    expect((await t.gql(ONE, { id: runningId }, relative.token)).data.dataExport).toMatchObject({ status: "FAILED", downloadUrl: null, sizeBytes: null });
    const fresh = await t.gql(REQUEST, {}, relative.token);
    expect(fresh.data.requestDataExport.id).not.toBe(runningId);
    expect((await settled(t, fresh.data.requestDataExport.id, relative.token)).status).toBe("READY");
    const rows = await s.db.read.select().from(s.db.tables.dataExports);
    expect(rows.find((r) => r.id === runningId)).toMatchObject({ status: "FAILED", content: null });
    const mine = (await t.gql(MINE, {}, relative.token)).data.myDataExports;
    expect(mine[0]).toMatchObject({ id: fresh.data.requestDataExport.id, status: "READY" });
  });

  it("COORDINATOR_ONLY, INVALID_INPUT, DATA_EXPORT_SUBJECT_NOT_FOUND: a coordinator exports the data of someone without an account, on their request, recorded with the basis", async () => {
    // Ruud asks for help for his father, who has no account.
    const forFather = await askForHelp(t, relative.token, {
      personHelped: { firstName: "Pietxq", lastName: "Zonderaccount", neighbourhoodId: NB.oudKrispijn, address: "Vaderlaan 3" },
    });
    const fatherId = forFather.personHelped.id;
    const basis = "Pietxq asked at the wijkwinkel desk on 4 December, identity checked";

    const volunteerTry = await t.gql(REQUEST_FOR, { p: fatherId, b: basis }, vera.token);
    expect(codeOf(volunteerTry)).toBe("FORBIDDEN");
    expect(reasonOf(volunteerTry)).toBe("COORDINATOR_ONLY");
    expect(codeOf(await t.gql(REQUEST_FOR, { p: fatherId, b: basis }))).toBe("UNAUTHENTICATED");
    const blank = await t.gql(REQUEST_FOR, { p: fatherId, b: "  " }, coordinator.token);
    expect(reasonOf(blank)).toBe("INVALID_INPUT");
    expect(blank.errors?.[0].extensions?.field).toBe("basis");
    expect(reasonOf(await t.gql(REQUEST_FOR, { p: "per_nobody", b: basis }, coordinator.token))).toBe("DATA_EXPORT_SUBJECT_NOT_FOUND");

    const r = await t.gql(REQUEST_FOR, { p: fatherId, b: basis }, coordinator.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.requestDataExportFor).toMatchObject({ subjectId: fatherId, onBehalf: true, basis });
    const job = await settled(t, r.data.requestDataExportFor.id, coordinator.token);
    const res = await download(t, job.downloadUrl, coordinator.token);
    expect(res.status).toBe(200);
    const data = JSON.parse(await res.text());
    expect(data.requestedBy).toBe("COORDINATOR");
    expect(data.sections.profile).toMatchObject({ firstName: "Pietxq", lastName: "Zonderaccount", hasAccount: false, createdBy: { firstName: "Ruudxq" } });
    expect(data.sections.helpRequests).toEqual([expect.objectContaining({ id: forFather.id, yourPart: ["HELPED"], askedBy: "Ruudxq" })]);
    expect(JSON.stringify(data)).not.toContain(relative.id);

    // The export and its download are in the father's access log, with the basis; others do not see the job.
    const log = await t.gql(`query($s: ID!) { accessLog(subjectId: $s, first: 10) { edges { node { purpose objectId fields } } } }`, { s: fatherId }, coordinator.token);
    const entries = log.data.accessLog.edges.map((e: any) => e.node).filter((n: any) => n.objectId === job.id);
    expect(entries.map((e: any) => e.purpose).sort()).toEqual([`data export downloaded: ${basis}`, `data export on the person's request: ${basis}`]);
    expect(reasonOf(await t.gql(ONE, { id: job.id }, relative.token))).toBe("DATA_EXPORT_NOT_FOUND");
    expect((await t.gql(MINE, {}, coordinator.token)).data.myDataExports.map((e: any) => e.id)).toContain(job.id);
  });

  it("a newer export replaces the file of the one before, which then reads EXPIRED and downloads no more", async () => {
    const first = await exportOf(circleVolunteer);
    const link = first.job.downloadUrl;
    const second = await exportOf(circleVolunteer);
    expect(second.job.id).not.toBe(first.job.id);
    expect((await t.gql(ONE, { id: first.job.id }, circleVolunteer.token)).data.dataExport).toMatchObject({ status: "EXPIRED", downloadUrl: null });
    expect((await download(t, link)).status).toBe(410);
    const data = JSON.parse(second.text);
    expect(data.sections.volunteering).toMatchObject({ categoryIds: expect.arrayContaining([CAT.groceries, CAT.company]), languages: ["nl"] });
    expect(data.sections.care.circles).toEqual([expect.objectContaining({ id: planted.circle, yourRole: "MEMBER", relation: "VOLUNTEER", careReceiver: "Mientjexq" })]);
    expect(data.sections.dataExports.map((e: any) => e.id)).toEqual([first.job.id, second.job.id]);
    expect(second.text).not.toContain(anna.id);
    expect(second.text).not.toContain("Annabel");
  });

  it("the sweep deletes files kept longer than DATA_EXPORT_KEEP_HOURS; they read EXPIRED", async () => {
    const { job } = await exportOf(neighbour);
    const link = (await t.gql(ONE, { id: job.id }, neighbour.token)).data.dataExport.downloadUrl;
    t.clock.advance(25 * HOUR);
    await t.app.services.sweeps.run();
    const s = t.app.services;
    const rows = await s.db.read.select().from(s.db.tables.dataExports);
    expect(rows.filter((r) => r.content !== null && r.finishedAt !== null && r.finishedAt.getTime() < t.clock.now().getTime() - 24 * HOUR)).toEqual([]);
    expect(rows.find((r) => r.id === job.id)).toMatchObject({ status: "EXPIRED", content: null });
    expect((await t.gql(ONE, { id: job.id }, neighbour.token)).data.dataExport).toMatchObject({ status: "EXPIRED", downloadUrl: null });
    expect((await download(t, link)).status).toBe(410);
  });
});

/**
 * What an account, a browser, a digest and a partner app leave behind: the person's logins (by user
 * agent and address), their second factor (on, and how many recovery codes are left), reset requests,
 * push subscriptions (by the push service's origin), the requests kept for their digest, the webhook
 * endpoints they registered and the shifts they gave back. Never a secret or the hash of one.
 */
describe.each(backends())("the data export of accounts, browsers, digests, webhooks and given-back shifts on $name", (backend) => {
  let t: TestApp;
  let box: Mailbox;
  let push: PushEndpoint;
  let rx: WebhookReceiver;
  let cora: Account; // a volunteer who is also a coordinator: the person who asks for her data
  let olaf: Account; // the same kinds of things, his own
  const planted: Record<string, string> = {};
  const browsers: Record<string, BrowserSubscription> = {};
  const secrets: Record<string, string> = {};
  let recoveryCodes: string[] = [];

  const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
  const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { newRequestMode digestTime } }`;
  const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id } } }`;

  /** Logs in over plain HTTP with a user agent of its own, as a browser would; answers the GraphQL result. */
  const loginWith = async (who: Account, userAgent: string): Promise<GqlResult> => {
    const res = await fetch(new URL("/graphql", t.url), {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": userAgent },
      body: JSON.stringify({ query: LOGIN, variables: { e: who.email, p: "correct horse battery" } }),
    });
    return (await res.json()) as GqlResult;
  };

  /** A volunteer in Wielwijk for the given categories who is made a coordinator and a mantelzorger as well (as buildCoordinator does). */
  const coordinatingVolunteer = async (firstName: string, categoryIds: string[], userAgents: string[]): Promise<Account> => {
    const v = await buildVolunteer(t, { firstName, categoryIds });
    const db = t.app.services.db;
    await db.transaction(async (tx) => {
      await tx.insert(db.tables.personRoles).values([
        { personId: v.id, role: "COORDINATOR", grantedAt: new Date() },
        { personId: v.id, role: "MANTELZORGER", grantedAt: new Date() },
      ]);
    });
    let token = v.token;
    for (const ua of userAgents) {
      const r = await loginWith(v, ua);
      expect(r.errors).toBeUndefined();
      token = r.data.login.token;
    }
    return { ...v, token };
  };

  beforeAll(async () => {
    box = await startMailbox();
    push = await startPushEndpoint();
    rx = await startWebhookReceiver();
    t = await startTestApp(backend, {
      SMTP_URL: box.url,
      APP_URL: "https://app.zorgzaam.example",
      VAPID_SUBJECT: "mailto:beheer@zorgzaam.example",
      PUSH_ENDPOINT_ALLOW_HOSTS: "127.0.0.1",
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      LOGIN_THROTTLE_REDIS_PREFIX: `data-export-${Date.now()}:`,
    });
    // Two logins each, from two browsers; Cora ends the first (a session with ended_at).
    cora = await coordinatingVolunteer("Coraxq", [CAT.groceries], ["Export-Phone/1.0", "Export-Laptop/2.0"]);
    olaf = await coordinatingVolunteer("Olafxq", [CAT.transport], ["Olaf-Browser/9.9", "Olaf-Browser/9.8"]);
    const phone = await loginWith(cora, "Export-Phone/1.0");
    expect((await t.gql(`mutation { logout }`, {}, phone.data.login.token)).data.logout).toBe(true);

    // Both turn on a second factor; Cora then logs in with a recovery code (a spent challenge, one code used).
    for (const [who, key] of [
      [cora, "cora"],
      [olaf, "olaf"],
    ] as const) {
      const e = await t.gql(`mutation { enrolTotp(password: "correct horse battery") { secret } }`, {}, who.token);
      expect(e.errors).toBeUndefined();
      secrets[`${key}Totp`] = e.data.enrolTotp.secret;
      const c = await t.gql(`mutation($code: String!) { confirmTotp(code: $code) }`, { code: authenticator.generate(secrets[`${key}Totp`]) }, who.token);
      expect(c.errors).toBeUndefined();
      if (who === cora) recoveryCodes = c.data.confirmTotp;
    }
    const first = await loginWith(cora, "Export-Tablet/3.0");
    expect(reasonOf(first)).toBe("TOTP_REQUIRED");
    const challenge = (first.errors?.[0]?.extensions as Record<string, unknown>).challenge as string;
    secrets.challenge = challenge;
    const done = await t.gql(`mutation($c: String!, $code: String!) { completeLogin(challenge: $c, code: $code) { token } }`, { c: challenge, code: recoveryCodes[0] });
    expect(done.errors).toBeUndefined();

    // A password reset asked for each (the token only in the mail; its hash in the table).
    for (const who of [cora, olaf]) expect((await t.gql(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: who.email })).data.requestPasswordReset).toBe(true);
    await box.waitFor(() => box.to(cora.email).length > 0 && box.to(olaf.email).length > 0, 10_000, "the reset mails");

    // A browser of each subscribes to Web Push.
    for (const [who, name] of [
      [cora, "cora-browser"],
      [olaf, "olaf-browser"],
    ] as const) {
      browsers[name] = push.browser(name);
      const r = await t.gql(
        `mutation($input: SubscribePushInput!) { subscribePush(input: $input) { id } }`,
        { input: { endpoint: browsers[name].endpoint, keys: browsers[name].keys } },
        who.token,
      );
      expect(r.errors).toBeUndefined();
      planted[name] = r.data.subscribePush.id;
    }

    // Both take new requests in a daily digest; a request for each one's category is kept for their digest.
    for (const [who, time] of [
      [cora, "07:15"],
      [olaf, "19:45"],
    ] as const) {
      const r = await t.gql(PREFERENCES, { input: { newRequestMode: "DIGEST", digestTime: time } }, who.token);
      expect(r.errors).toBeUndefined();
    }
    const resident = await buildPerson(t, { firstName: "Reintjexq" });
    planted.coraRequest = (await askForHelp(t, resident.token, { categoryId: CAT.groceries, title: "Boodschappen voor Reintje", neighbourhoodId: NB.wielwijk })).id;
    planted.olafRequest = (await askForHelp(t, resident.token, { categoryId: CAT.transport, title: "Ritje voor Reintje", neighbourhoodId: NB.wielwijk })).id;
    const db = t.app.services.db;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const kept = await db.read.select().from(db.tables.notificationDigestItems);
      if (kept.some((k) => k.personId === cora.id) && kept.some((k) => k.personId === olaf.id)) break;
      if (Date.now() > deadline) throw new Error("no digest items were kept");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // A partner app of each, with a webhook endpoint; Cora's she disabled herself.
    for (const [who, path] of [
      [cora, "/cora-hook"],
      [olaf, "/olaf-hook"],
    ] as const) {
      const key = await buildPartnerKey(t, who, ["PUBLIC_READ"], { name: `App van ${who === cora ? "Coraxq" : "Olafxq"}` });
      const r = await t.gql(
        REGISTER,
        { input: { clientId: key.clientId, url: `${rx.url}${path}`, description: "Agenda-koppeling", eventTypes: ["initiative.published"] } },
        who.token,
      );
      expect(r.errors).toBeUndefined();
      planted[path] = r.data.registerWebhookEndpoint.endpoint.id;
      secrets[path] = r.data.registerWebhookEndpoint.secret;
    }
    expect((await t.gql(`mutation($id: ID!) { disableWebhookEndpoint(id: $id) { status } }`, { id: planted["/cora-hook"] }, cora.token)).data.disableWebhookEndpoint.status).toBe(
      "DISABLED",
    );

    // Cora's care circle: she holds one shift and gives another back; Olaf joins and gives one back too.
    const circle = await t.gql(CREATE_CIRCLE, { input: { name: "Zorg voor oom", careReceiver: { firstName: "Oomxq", neighbourhoodId: NB.wielwijk } } }, cora.token);
    expect(circle.errors).toBeUndefined();
    const circleId = circle.data.createCareCircle.id;
    const inv = await t.gql(INVITE, { c: circleId, r: "FAMILY" }, cora.token);
    expect((await t.gql(JOIN, { code: inv.data.inviteToCareCircle.code }, olaf.token)).errors).toBeUndefined();
    const task = await t.gql(
      ADD_TASK,
      {
        c: circleId,
        i: { title: "Boodschappen oom", categoryId: CAT.company, startDate: localDate(t, 1), startTime: "10:00", durationMinutes: 30, weekdays: [1, 2, 3, 4, 5, 6, 7] },
      },
      cora.token,
    );
    expect(task.errors).toBeUndefined();
    const shifts = (await t.gql(SHIFTS, { c: circleId }, cora.token)).data.careCircle.shifts.edges.map((e: any) => e.node.id);
    [planted.coraHeld, planted.coraGaveBack, planted.olafGaveBack] = shifts;
    expect((await t.gql(CLAIM, { id: planted.coraHeld }, cora.token)).data.claimCareShift.status).toBe("COVERED");
    for (const [who, id] of [
      [cora, planted.coraGaveBack],
      [olaf, planted.olafGaveBack],
    ] as const) {
      expect((await t.gql(CLAIM, { id }, who.token)).data.claimCareShift.status).toBe("COVERED");
      const back = await t.gql(`mutation($id: ID!) { giveBackCareShift(id: $id) { id status } }`, { id }, who.token);
      expect(back.errors).toBeUndefined();
      expect(back.data.giveBackCareShift.status).toBe("OPEN");
    }

    // What the tables hold that must never leave them: hashes, keys, secrets.
    const stored = async (personId: string) => {
      const tb = db.tables;
      return {
        resetHashes: (await db.read.select().from(tb.passwordResets).where(eq(tb.passwordResets.personId, personId))).map((r) => r.tokenHash),
        codeHashes: (await db.read.select().from(tb.recoveryCodes).where(eq(tb.recoveryCodes.personId, personId))).map((r) => r.codeHash),
        challengeIds: (await db.read.select().from(tb.loginChallenges).where(eq(tb.loginChallenges.personId, personId))).map((r) => r.id),
        totpSecret: (await db.read.select().from(tb.totpSecrets).where(eq(tb.totpSecrets.personId, personId)))[0]?.secret,
        passwordHash: (await db.read.select().from(tb.people).where(eq(tb.people.id, personId)))[0]?.passwordHash,
        webhookSecrets: (await db.read.select().from(tb.webhookEndpoints).where(eq(tb.webhookEndpoints.createdById, personId))).flatMap((e) => [e.secret, e.previousSecret]),
        push: await db.read.select().from(tb.notificationPushSubscriptions).where(eq(tb.notificationPushSubscriptions.personId, personId)),
      };
    };
    const c = await stored(cora.id);
    expect(c.resetHashes).toHaveLength(1);
    expect(c.codeHashes).toHaveLength(10);
    expect(c.challengeIds).toHaveLength(1);
    planted.forbidden = JSON.stringify([
      ...c.resetHashes,
      ...c.codeHashes,
      ...c.challengeIds,
      c.totpSecret,
      c.passwordHash,
      ...c.webhookSecrets.filter(Boolean),
      ...c.push.flatMap((p) => [p.endpoint, p.auth, p.p256dh]),
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
    await push?.close();
    await rx?.close();
  });

  async function exportOf(account: Account) {
    const r = await t.gql(REQUEST, {}, account.token);
    expect(r.errors).toBeUndefined();
    const job = await settled(t, r.data.requestDataExport.id, account.token);
    expect(job.status).toBe("READY");
    const res = await download(t, job.downloadUrl, account.token);
    expect(res.status).toBe(200);
    return await res.text();
  }

  it("holds her sessions, second factor, reset request, push subscription by origin, digest items, webhook endpoint and the shift she gave back", async () => {
    const text = await exportOf(cora);
    const data = JSON.parse(text);
    expect(data.formatVersion).toBe(1);
    const s = data.sections;

    // Three logins and the export's own session: the phone's ended, each with its user agent and address.
    const agents = s.account.sessions.map((x: any) => x.userAgent);
    expect(agents).toEqual(expect.arrayContaining(["Export-Phone/1.0", "Export-Laptop/2.0", "Export-Tablet/3.0"]));
    const ended = s.account.sessions.filter((x: any) => x.endedAt !== null);
    expect(ended).toEqual([expect.objectContaining({ userAgent: "Export-Phone/1.0", address: expect.any(String) })]);
    for (const x of s.account.sessions) {
      expect(x).toMatchObject({ id: expect.any(String), createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String) });
      expect(x.address).toMatch(/127\.0\.0\.1/);
    }
    expect(s.account.loginChallenges).toEqual([expect.objectContaining({ userAgent: "Export-Tablet/3.0", usedAt: expect.any(String) })]);
    expect(s.account.loginChallenges[0]).not.toHaveProperty("id");
    expect(s.account.secondFactor).toMatchObject({ enabled: true, enrolledAt: expect.any(String), confirmedAt: expect.any(String), recoveryCodesLeft: 9 });
    expect(s.account.secondFactor.recoveryCodesUsed).toHaveLength(1);
    expect(s.account.passwordResets).toEqual([{ requestedAt: expect.any(String), expiresAt: expect.any(String), usedAt: null }]);

    expect(s.notifications.pushSubscriptions).toEqual([{ id: planted["cora-browser"], endpointOrigin: push.origin, createdAt: expect.any(String), lastSuccessAt: null }]);
    expect(s.notifications.preferences).toMatchObject({ newRequestMode: "DIGEST", digestTime: "07:15" });
    expect(s.notifications.digestItems).toEqual([{ requestId: planted.coraRequest, keptAt: expect.any(String), digestedOn: null }]);

    expect(s.webhooks.endpoints).toEqual([
      expect.objectContaining({
        id: planted["/cora-hook"],
        url: `${rx.url}/cora-hook`,
        description: "Agenda-koppeling",
        eventTypes: ["initiative.published"],
        status: "DISABLED",
        disabledReason: expect.any(String),
        sandbox: false,
      }),
    ]);

    expect(s.care.shifts.map((x: any) => x.id)).toEqual([planted.coraHeld]);
    expect(s.care.shiftsGivenBack).toEqual([expect.objectContaining({ id: planted.coraGaveBack, title: "Boodschappen oom", statusNow: "OPEN" })]);

    // No secret, key or hash anywhere in the file: not the TOTP secret, the recovery codes or their hashes,
    // the reset token's hash, the challenge (or its hash), the webhook's signing secret, the browser's keys
    // or its full push endpoint.
    const forbidden: string[] = JSON.parse(planted.forbidden);
    expect(forbidden.length).toBeGreaterThan(15);
    for (const secret of [
      ...forbidden,
      secrets.coraTotp,
      secrets["/cora-hook"],
      secrets.challenge,
      ...recoveryCodes,
      browsers["cora-browser"].keys.auth,
      browsers["cora-browser"].keys.p256dh,
    ]) {
      expect(text.includes(secret), `a secret or hash in the file: ${secret.slice(0, 12)}...`).toBe(false);
    }
    expect(text).not.toContain("whsec_");
    expect(text).not.toMatch(/"(secret|tokenHash|codeHash|p256dh|auth|passwordHash|previousSecret)"/);
  });

  it("holds nothing of another person's sessions, browsers, digests, webhooks or given-back shifts", async () => {
    const text = await exportOf(cora);
    for (const fact of [
      olaf.id,
      olaf.email,
      "Olafxq",
      "Olaf-Browser",
      planted["olaf-browser"],
      planted.olafRequest,
      planted["/olaf-hook"],
      "/olaf-hook",
      planted.olafGaveBack,
      secrets.olafTotp,
      secrets["/olaf-hook"],
      "19:45",
    ])
      expect(text, fact).not.toContain(fact);
    // And Olaf's own export holds his, not hers.
    const his = JSON.parse(await exportOf(olaf)).sections;
    expect(his.notifications.pushSubscriptions.map((x: any) => x.id)).toEqual([planted["olaf-browser"]]);
    expect(his.notifications.digestItems.map((x: any) => x.requestId)).toEqual([planted.olafRequest]);
    expect(his.webhooks.endpoints.map((x: any) => x.id)).toEqual([planted["/olaf-hook"]]);
    expect(his.care.shiftsGivenBack.map((x: any) => x.id)).toEqual([planted.olafGaveBack]);
    expect(his.account.sessions.map((x: any) => x.userAgent)).toEqual(expect.arrayContaining(["Olaf-Browser/9.9", "Olaf-Browser/9.8"]));
    expect(JSON.stringify(his)).not.toContain("Export-Laptop");
    expect(JSON.stringify(his)).not.toContain(planted.coraGaveBack);
  });
});
