import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthenticatedViewer, Role } from "../../src/shared/viewer.js";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer } from "../support/builders.js";
import { type Mailbox, type Received, startMailbox, expectNoSecrets } from "../support/mailbox.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
const MINE = `{ myNotifications(first: 100) { edges { node { kind status urgent aboutId link } } } }`;
const CREATE = `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`;
const INVITE = `mutation($c: ID!) { inviteToCareCircle(circleId: $c, relation: FRIEND) { code } }`;
const JOIN = `mutation($code: String!) { joinCareCircle(code: $code) { id } }`;
const ADD_TASK = `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`;
const SHIFTS = `query($c: ID!) { careCircle(id: $c) { shifts(first: 50) { edges { node { id title helpRequestId } } } } }`;
const CLAIM = `mutation($id: ID!) { claimCareShift(id: $id) { status } }`;
const COVER = `mutation($id: ID!) { askCoverForCareShift(id: $id) { status } }`;
const DIRECT = `mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId } }`;
const GIVE = `mutation($id: ID!) { giveConsent(escalationId: $id, purpose: "Ondersteuning") { status } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawConsent(escalationId: $id) { status } }`;
const ASSIGN = `mutation($id: ID!, $p: ID!) { assignEscalation(id: $id, professionalId: $p) { status } }`;

/** What nobody outside the circle or the case may read in a message: care notes, task titles, names, addresses, reasons. */
const SECRETS = ["Insuline", "Wondverzorging", "valgevaar", "Douchen", "Riet", "Dordtse", "Teststraat", "06 1111 2222", "Schulden", "Geweld", "Bakker"];

interface NotificationNode {
  kind: string;
  status: string;
  urgent: boolean;
  aboutId: string;
  link: string;
}

/** The Amsterdam date `days` from the server's now. */
function localDate(t: TestApp, days: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + days * 24 * HOUR));
}

const expectClean = (messages: Received[]) => expectNoSecrets(messages, SECRETS);

describe.each(backends())("event-driven notifications of care circles and teams on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let coordinator: Account;

  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url, CLOCK_CONTROL: "true", APP_URL });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  /** Messages to `who` of one subject (the link names the circle or the case), with a subject line matching `subject`. */
  const got = (who: Account, path: string, subject: RegExp | string): Received[] =>
    box.to(who.email).filter((m) => m.mail.text?.includes(`${APP_URL}/${path}`) && (typeof subject === "string" ? m.mail.subject === subject : subject.test(m.mail.subject ?? "")));

  /** Runs the sweeps (a pass of deciding and sending among them) twice and waits a little: whatever else would come, has come. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 2; i++) expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
  }

  async function prefer(who: Account, input: Record<string, unknown>): Promise<void> {
    expect((await t.gql(PREFERENCES, { input }, who.token)).errors).toBeUndefined();
  }

  async function mine(who: Account): Promise<NotificationNode[]> {
    const r = await t.gql(MINE, {}, who.token);
    expect(r.errors).toBeUndefined();
    return r.data.myNotifications.edges.map((e: { node: NotificationNode }) => e.node);
  }

  const viewer = (who: Account, ...roles: Role[]): AuthenticatedViewer => ({ personId: who.id, roles: new Set(roles), tokenExpiresAt: null });

  async function circle(members: number, carerName = "Henk") {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: carerName });
    const c = await t.gql(
      CREATE,
      { input: { name: "Zorg voor moeder", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk, address: "Dordtse Straat 5", phone: "078 123 4567" } } },
      carer.token,
    );
    expect(c.errors).toBeUndefined();
    const circleId = c.data.createCareCircle.id as string;
    const list: Account[] = [];
    for (let i = 0; i < members; i++) {
      const m = await buildPerson(t, { firstName: `Lid${i}` });
      const code = (await t.gql(INVITE, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
      expect((await t.gql(JOIN, { code }, m.token)).errors).toBeUndefined();
      list.push(m);
    }
    return { circleId, carer, members: list };
  }

  async function shiftOf(circleId: string, token: string, title: string): Promise<{ id: string; helpRequestId: string | null }> {
    const r = await t.gql(SHIFTS, { c: circleId }, token);
    expect(r.errors).toBeUndefined();
    return r.data.careCircle.shifts.edges
      .map((e: { node: { id: string; title: string; helpRequestId: string | null } }) => e.node)
      .find((s: { title: string }) => s.title === title);
  }

  it("a shift given back, or its cover asked: the circle's other members free then, once each, in their language; not the one who gave it back, a member who left meanwhile, one busy then, another circle, nor one who switched it off", async () => {
    const { circleId, carer, members } = await circle(5);
    const [ann, bob, cas, dirk, eve] = members;
    const other = await circle(1, "Gert");
    await prefer(ann, { language: "EN" });
    await prefer(dirk, { switches: [{ kind: "CARE_SHIFT_RELEASED", channel: "EMAIL", enabled: false }] });
    // Three days ahead: beyond the gap lead time, so the sweeps post nothing to volunteers.
    const at = { startDate: localDate(t, 3), startTime: "10:00", durationMinutes: 60 };
    await t.gql(ADD_TASK, { c: circleId, i: { title: "Wondverzorging", notes: "Insuline om 10 uur", categoryId: CAT.company, ...at } }, carer.token);
    await t.gql(ADD_TASK, { c: circleId, i: { title: "Koken", categoryId: CAT.company, ...at } }, carer.token);
    const care = await shiftOf(circleId, carer.token, "Wondverzorging");
    const cooking = await shiftOf(circleId, carer.token, "Koken");
    // Eve holds another shift at that time: she could not take this one.
    expect((await t.gql(CLAIM, { id: cooking.id }, eve.token)).errors).toBeUndefined();
    expect((await t.gql(CLAIM, { id: care.id }, bob.token)).errors).toBeUndefined();

    // Bob gives the shift back and, in the same unit of work, Cas leaves: when it is decided, Cas is no member any more.
    const s = t.app.services;
    await s.db.transaction(async () => {
      await s.care.schedule.release(viewer(bob), care.id, false);
      await s.care.circles.leave(viewer(cas), circleId);
    });
    const path = `care-circles/${circleId}`;
    await box.waitFor(
      () => got(ann, path, "A shift in your care circle is open").length === 1 && got(carer, path, "Een dienst in je zorgnetwerk is vrij").length === 1,
      10_000,
      "shift given back",
    );
    await settle();
    expect(got(ann, path, /open/)).toHaveLength(1);
    expect(got(carer, path, /vrij/)).toHaveLength(1);
    for (const nobody of [bob, cas, dirk, eve, ...other.members, other.carer]) expect(box.to(nobody.email), nobody.email).toHaveLength(0);
    const [en] = got(ann, path, /open/);
    expect(en.mail.text).toContain("in your care circle was given back and is open again.");
    expect(en.mail.text).toContain("Hello Lid0,");
    expect(got(carer, path, /vrij/)[0].mail.text).toContain("teruggegeven");
    expect((await mine(ann)).filter((n) => n.kind === "CARE_SHIFT_RELEASED")).toMatchObject([{ status: "SENT", aboutId: circleId, link: `${APP_URL}/${path}`, urgent: false }]);

    // Ann takes it, then cannot after all and asks the circle to cover: Henk, Bob and Dirk (who switched off only shifts given back).
    expect((await t.gql(CLAIM, { id: care.id }, ann.token)).errors).toBeUndefined();
    expect((await t.gql(COVER, { id: care.id }, ann.token)).errors).toBeUndefined();
    await box.waitFor(() => [carer, bob, dirk].every((p) => got(p, path, "Wie kan een dienst overnemen?").length === 1), 10_000, "cover asked");
    await settle();
    for (const p of [carer, bob, dirk]) expect(got(p, path, "Wie kan een dienst overnemen?")).toHaveLength(1);
    expect(got(ann, path, /cover/i)).toHaveLength(0);
    for (const nobody of [cas, eve, ...other.members, other.carer]) expect(box.to(nobody.email), nobody.email).toHaveLength(0);
    expect(got(bob, path, /overnemen/)[0].mail.text).toContain("vraagt of iemand hem kan overnemen");

    // In English for whoever chose it; and switched off, nothing more comes.
    await prefer(bob, { language: "EN", switches: [{ kind: "CARE_COVER_REQUESTED", channel: "EMAIL", enabled: false }] });
    await prefer(carer, { language: "EN" });
    expect((await t.gql(CLAIM, { id: care.id }, dirk.token)).errors).toBeUndefined();
    expect((await t.gql(COVER, { id: care.id }, dirk.token)).errors).toBeUndefined();
    await box.waitFor(() => got(carer, path, "Can you cover a shift?").length === 1, 10_000, "cover asked in English");
    await settle();
    expect(got(bob, path, /cover/i)).toHaveLength(0);
    expect(got(dirk, path, /cover|overnemen/i)).toHaveLength(1);
    expect(got(carer, path, "Can you cover a shift?")[0].mail.text).toContain("asks whether someone can cover it");
    expectClean([...box.to(ann.email), ...box.to(bob.email), ...box.to(carer.email), ...box.to(dirk.email)]);
  });

  it("a gap covered by a volunteer: the circle's coordinators only, in their language; not the volunteer, the members or another circle's coordinator who switched it off", async () => {
    const nl = await circle(1, "Henk");
    const en = await circle(1, "Harry");
    const off = await circle(0, "Hans");
    await prefer(en.carer, { language: "EN" });
    await prefer(off.carer, { switches: [{ kind: "CARE_GAP_COVERED", channel: "EMAIL", enabled: false }] });
    const at = { startDate: localDate(t, 1), startTime: "09:00", durationMinutes: 60 };
    for (const c of [nl, en, off]) {
      expect(
        (await t.gql(ADD_TASK, { c: c.circleId, i: { title: "Douchen", notes: "Let op: valgevaar in de badkamer", categoryId: CAT.company, ...at } }, c.carer.token)).errors,
      ).toBeUndefined();
    }
    await t.app.services.care.sweep();
    const volunteer = await buildVolunteer(t, { firstName: "Vera", neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.company] });
    const elsewhere = await buildVolunteer(t, { firstName: "Olaf", neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.company] });
    for (const c of [nl, en, off]) {
      const gap = await shiftOf(c.circleId, c.carer.token, "Douchen");
      expect(gap.helpRequestId).toBeTruthy();
      expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: gap.helpRequestId }, volunteer.token)).errors).toBeUndefined();
    }
    await box.waitFor(
      () =>
        got(nl.carer, `care-circles/${nl.circleId}`, "Een vrijwilliger heeft een dienst aangenomen").length === 1 &&
        got(en.carer, `care-circles/${en.circleId}`, "A volunteer took a shift").length === 1,
      10_000,
      "gap covered",
    );
    await settle();
    expect(got(nl.carer, `care-circles/${nl.circleId}`, /aangenomen/)).toHaveLength(1);
    expect(got(en.carer, `care-circles/${en.circleId}`, /took a shift/)).toHaveLength(1);
    expect(got(en.carer, `care-circles/${en.circleId}`, /took a shift/)[0].mail.text).toContain("A volunteer has taken the shift on");
    expect(got(off.carer, `care-circles/${off.circleId}`, /aangenomen|took a shift/)).toHaveLength(0);
    // The gap's posting reached the coordinators (an existing kind), nothing reached the members.
    for (const c of [nl, en]) for (const m of c.members) expect(box.to(m.email), m.email).toHaveLength(0);
    expect(got(off.carer, `care-circles/${off.circleId}`, "Een dienst is naar vrijwilligers gegaan")).toHaveLength(1);
    expect(box.to(volunteer.email).filter((m) => m.mail.text?.includes("care-circles/"))).toHaveLength(0);
    expect(box.to(elsewhere.email).filter((m) => m.mail.text?.includes("care-circles/"))).toHaveLength(0);
    expect((await mine(nl.carer)).filter((n) => n.kind === "CARE_GAP_COVERED")).toMatchObject([{ status: "SENT", aboutId: nl.circleId }]);

    // The volunteer gives it back: the circle's members may take it again (the volunteer, who is no member, hears nothing of the circle).
    const gap = await shiftOf(nl.circleId, nl.carer.token, "Douchen");
    expect((await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { status } }`, { id: gap.helpRequestId }, volunteer.token)).errors).toBeUndefined();
    const nlPath = `care-circles/${nl.circleId}`;
    await box.waitFor(() => [nl.carer, ...nl.members].every((p) => got(p, nlPath, "Een dienst in je zorgnetwerk is vrij").length === 1), 10_000, "gap given back");
    await settle();
    expect(got(nl.members[0], nlPath, /./)).toHaveLength(1);
    expect(box.to(volunteer.email).filter((m) => m.mail.text?.includes("care-circles/"))).toHaveLength(0);
    // (The coordinator, who the gap's request was asked by, also hears of it as whoever asked: an existing kind, with the care receiver's first name.)
    expectClean([...box.to(nl.carer.email), ...box.to(en.carer.email)].filter((m) => m.mail.text?.includes("/care-circles/")));
  });

  it("a new case in a team's queue: the team's professionals, in their language, a safety case URGENT through quiet hours; not another team, one who left the team meanwhile, nor one who switched it off", async () => {
    const [ann, bob, cas, dirk] = [
      await buildProfessional(t, TEAM.westSocial, coordinator),
      await buildProfessional(t, TEAM.westSocial, coordinator),
      await buildProfessional(t, TEAM.westSocial, coordinator),
      await buildProfessional(t, TEAM.westSocial, coordinator),
    ];
    const elsewhere = await buildProfessional(t, TEAM.centrumSocial, coordinator);
    await prefer(ann, { language: "EN" });
    await prefer(dirk, { switches: [{ kind: "TEAM_CASE_NEW", channel: "EMAIL", enabled: false }] });
    // Bob is in quiet hours all day: only an URGENT matter reaches him now.
    await prefer(bob, { quietHours: { start: "00:00", end: "23:59" } });
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk, firstName: "Bakker", address: "Teststraat 1, Dordrecht" });

    // The case is raised and, in the same unit of work, Cas leaves the team: when it is decided, Cas is not in it.
    const s = t.app.services;
    const id = await s.db.transaction(async () => {
      const raised = await s.escalation.askProfessionalHelp(viewer(resident), { reason: "FINANCIAL", note: "Schulden bij de energieleverancier" });
      await s.people.revokeRole(viewer(coordinator, "COORDINATOR"), cas.id, "PROFESSIONAL");
      return (raised as { id: string }).id;
    });
    const path = `escalations/${id}`;
    await box.waitFor(() => got(ann, path, "A new case for your team").length === 1, 10_000, "new case");
    await settle();
    expect(got(ann, path, /case/)).toHaveLength(1);
    expect(got(ann, path, /case/)[0].mail.text).toContain("A new case has arrived in your team's queue.");
    expect(got(ann, path, /case/)[0].mail.text).toContain("You receive this because you work in a professional team on Zorgzaam.");
    for (const nobody of [bob, cas, dirk, elsewhere, resident])
      expect(
        box.to(nobody.email).filter((m) => m.mail.text?.includes(path)),
        nobody.email,
      ).toHaveLength(0);
    expect((await mine(bob)).filter((n) => n.aboutId === id)).toMatchObject([{ kind: "TEAM_CASE_NEW", status: "PENDING", urgent: false }]);

    // A safety concern: URGENT, so Bob hears of it in his quiet hours, in Dutch.
    const request = await askForHelp(t, resident.token, { categoryId: CAT.paperwork, title: "Geweld thuis", description: "Geweld thuis" });
    const flagged = await t.gql(`mutation($id: ID!) { flagHelpRequest(id: $id, reason: SAFETY) { escalationId } }`, { id: request.id }, resident.token);
    expect(flagged.errors).toBeUndefined();
    const safety = flagged.data.flagHelpRequest.escalationId as string;
    await box.waitFor(() => got(bob, `escalations/${safety}`, "Dringend: een casus voor je team").length === 1, 10_000, "safety case in quiet hours");
    await settle();
    expect(got(bob, `escalations/${safety}`, /casus/)[0].mail.text).toContain("Een casus in de wachtrij van je team is dringend en vraagt nu aandacht.");
    expect(got(ann, `escalations/${safety}`, "Urgent: a case for your team")).toHaveLength(1);
    expect((await mine(bob)).filter((n) => n.aboutId === safety)).toMatchObject([{ kind: "TEAM_CASE_NEW", status: "SENT", urgent: true }]);
    expect(got(dirk, `escalations/${safety}`, /./)).toHaveLength(0);
    expect(got(elsewhere, `escalations/${safety}`, /./)).toHaveLength(0);

    // Re-routed to another team: that team's professional hears of it; the coordinator who re-routed does not.
    const rerouted = await t.gql(
      `mutation($id: ID!, $l: ID!) { rerouteEscalation(id: $id, leadTeamId: $l, reason: "Andere wijk") { status } }`,
      { id, l: TEAM.centrumSocial },
      coordinator.token,
    );
    expect(rerouted.errors).toBeUndefined();
    await box.waitFor(() => got(elsewhere, path, "Een nieuwe casus voor je team").length === 1, 10_000, "re-routed case");
    await settle();
    expect(got(ann, path, /case/)).toHaveLength(1);
    expect(box.to(coordinator.email)).toHaveLength(0);
    expectClean([...box.to(ann.email), ...box.to(bob.email), ...box.to(elsewhere.email)]);
  });

  it("consent given or withdrawn: the case's assigned professional, or its team when nobody is assigned; never whoever gave it, another team, or one who switched it off", async () => {
    const [ann, bob, dirk] = [
      await buildProfessional(t, TEAM.westSocial, coordinator),
      await buildProfessional(t, TEAM.westSocial, coordinator),
      await buildProfessional(t, TEAM.westSocial, coordinator),
    ];
    const elsewhere = await buildProfessional(t, TEAM.centrumSocial, coordinator);
    await prefer(ann, { language: "EN" });
    await prefer(dirk, { switches: [{ kind: "TEAM_CONSENT_GIVEN", channel: "EMAIL", enabled: false }] });
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk, firstName: "Bakker", address: "Teststraat 1, Dordrecht" });
    const raise = async () => (await t.gql(DIRECT, { i: { reason: "FINANCIAL", note: "Schulden" } }, resident.token)).data.askProfessionalHelp.escalationId as string;

    // Nobody assigned: the team.
    const open = await raise();
    expect((await t.gql(GIVE, { id: open }, resident.token)).errors).toBeUndefined();
    const openPath = `escalations/${open}`;
    await box.waitFor(
      () => got(ann, openPath, "Consent given on a case").length === 1 && got(bob, openPath, "Toestemming gegeven bij een casus").length === 1,
      10_000,
      "consent given",
    );
    await settle();
    expect(got(ann, openPath, /Consent given/)[0].mail.text).toContain("Consent has been given on a case of your team.");
    expect(got(bob, openPath, /gegeven/)).toHaveLength(1);
    expect(got(dirk, openPath, /gegeven/)).toHaveLength(0);
    expect(box.to(elsewhere.email).filter((m) => m.mail.text?.includes(openPath))).toHaveLength(0);
    expect(box.to(resident.email)).toHaveLength(0);
    expect((await t.gql(WITHDRAW, { id: open }, resident.token)).errors).toBeUndefined();
    await box.waitFor(() => [bob, dirk].every((p) => got(p, openPath, "Toestemming ingetrokken bij een casus").length === 1), 10_000, "consent withdrawn");
    await settle();
    expect(got(ann, openPath, "Consent withdrawn on a case")).toHaveLength(1);
    expect(got(bob, openPath, /ingetrokken/)[0].mail.text).toContain("Er is toestemming ingetrokken bij een casus van je team.");

    // Assigned to Bob: only Bob.
    const assigned = await raise();
    expect((await t.gql(ASSIGN, { id: assigned, p: bob.id }, ann.token)).errors).toBeUndefined();
    expect((await t.gql(GIVE, { id: assigned }, resident.token)).errors).toBeUndefined();
    const assignedPath = `escalations/${assigned}`;
    await box.waitFor(() => got(bob, assignedPath, "Toestemming gegeven bij een casus").length === 1, 10_000, "consent given to the assigned professional");
    await settle();
    expect(got(ann, assignedPath, /Consent/)).toHaveLength(0);
    expect(got(dirk, assignedPath, /Toestemming/)).toHaveLength(0);
    expect((await mine(bob)).filter((n) => n.aboutId === assigned && n.kind.startsWith("TEAM_CONSENT"))).toMatchObject([{ kind: "TEAM_CONSENT_GIVEN", status: "SENT" }]);
    expectClean([...box.to(ann.email), ...box.to(bob.email), ...box.to(dirk.email)]);
  });
});
