import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import {
  type Account,
  CAT,
  NB,
  SIGN_UP,
  askForHelp,
  buildCoordinator,
  buildOrganisation,
  buildPerson,
  buildVolunteer,
  postInitiative,
  schedule,
  window,
} from "../support/builders.js";
import { type Mailbox, type Received, freePort, startMailbox } from "../support/mailbox.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) { language quietHours { start end } newRequestsPerDay switches { kind channel enabled chosen } }
}`;
const MINE = `{ myNotifications(first: 100) { edges { node { id kind channel status attempts urgent aboutId link nextAttemptAt sentAt recipient { id } } } } }`;
const DEAD = `{ deadNotifications(first: 50) { edges { node { id kind status attempts lastError recipient { id } } } } }`;
const RETRY = `mutation($id: ID!) { retryNotification(id: $id) { id status attempts } }`;

interface NotificationNode {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  urgent: boolean;
  aboutId: string;
  link: string;
  nextAttemptAt: string;
  sentAt: string | null;
}

async function mine(t: TestApp, who: Account): Promise<NotificationNode[]> {
  const r = await t.gql(MINE, {}, who.token);
  expect(r.errors).toBeUndefined();
  return r.data.myNotifications.edges.map((e: { node: NotificationNode }) => e.node);
}

/** Messages to `who` about one help request (its link names the request). */
const about = (box: Mailbox, who: Account, requestId: string): Received[] => box.to(who.email).filter((m) => m.mail.text?.includes(`/help-requests/${requestId}`));

async function sweep(t: TestApp, coordinator: Account): Promise<void> {
  const r = await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token);
  expect(r.errors).toBeUndefined();
}

async function advance(t: TestApp, coordinator: Account, hours: number): Promise<void> {
  const r = await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, coordinator.token);
  expect(r.errors).toBeUndefined();
}

describe.each(backends())("notifications by e-mail on $name", (backend: Backend) => {
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

  it("tells a fitting volunteer of a new request exactly once, in their language, and one who does not fit nothing", async () => {
    const english = await buildVolunteer(t, { firstName: "Emma", neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport] });
    const dutch = await buildVolunteer(t, { firstName: "Daan", neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport] });
    const elsewhere = await buildVolunteer(t, { firstName: "Olaf", neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.transport] });
    expect((await t.gql(PREFERENCES, { input: { language: "EN" } }, english.token)).errors).toBeUndefined();
    const resident = await buildPerson(t, { neighbourhoodId: NB.dubbeldam, address: "Dorpsstraat 12, Dubbeldam" });
    const request = await askForHelp(t, resident.token, {
      categoryId: CAT.transport,
      title: "Vervoer naar het ziekenhuis",
      description: "Ik moet na mijn operatie naar de oncologie-poli.",
    });

    await box.waitFor(() => about(box, english, request.id).length === 1 && about(box, dutch, request.id).length === 1, 10_000, "both fitting volunteers' mail");
    // Nothing more comes of the same event, whatever runs next.
    await sweep(t, coordinator);
    await sweep(t, coordinator);
    await new Promise((r) => setTimeout(r, 300));
    expect(about(box, english, request.id)).toHaveLength(1);
    expect(about(box, dutch, request.id)).toHaveLength(1);
    expect(about(box, elsewhere, request.id)).toHaveLength(0);

    const [en] = about(box, english, request.id);
    const [nl] = about(box, dutch, request.id);
    expect(en.mail.subject).toBe("A new request in Dubbeldam fits you");
    expect(en.mail.text).toContain("Hello Emma,");
    expect(en.mail.text).toContain("You receive at most 5 e-mails a day about new requests.");
    expect(nl.mail.subject).toBe("Een nieuwe hulpvraag in Dubbeldam past bij je");
    expect(nl.mail.text).toContain("Beste Daan,");
    expect(nl.mail.text).toContain("Vervoer");
    for (const m of [en, nl]) {
      // Plain text and HTML with the same content, and the link to where the rest is read after signing in.
      expect(m.mail.html).toContain(`${APP_URL}/help-requests/${request.id}`);
      expect(m.mail.text).toContain(`${APP_URL}/help-requests/${request.id}`);
      // What happened, never what the person wrote, their health or where they live.
      for (const secret of ["ziekenhuis", "operatie", "oncologie", "Dorpsstraat", "06 1111 2222"]) {
        expect(m.raw).not.toContain(secret);
        expect(m.mail.text).not.toContain(secret);
        expect(m.mail.html || "").not.toContain(secret);
      }
      expect(m.header("list-unsubscribe")).toMatch(/^<http:\/\/[^>]+\/notifications\/unsubscribe\?token=[^>]+>/);
      expect(m.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    }
    const history = await mine(t, english);
    expect(history.filter((n) => n.aboutId === request.id)).toMatchObject([{ kind: "HELP_REQUEST_NEW", status: "SENT", attempts: 1, urgent: false }]);
    expect(history[0].link).toBe(`${APP_URL}/help-requests/${request.id}`);
  });

  it("tells whoever asked on behalf of someone without an account, and the person helped with an account, of matched, released and done", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.paperwork] });
    const other = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.paperwork] });
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Marieke" });
    // Kees has no account: Marieke, who asked for him, hears what happens.
    const forKees = await askForHelp(t, carer.token, {
      categoryId: CAT.paperwork,
      title: "Formulieren",
      description: "Kees heeft dementie en kan de post niet meer lezen.",
      personHelped: { firstName: "Kees", neighbourhoodId: NB.wielwijk, address: "Kade 4" },
    });
    // Truus has an account: she and the carer who asked both hear.
    const truus = await buildPerson(t, { firstName: "Truus", neighbourhoodId: NB.wielwijk });
    const forTruus = await askForHelp(t, carer.token, { categoryId: CAT.paperwork, personHelpedEmail: truus.email });
    const act = async (mutation: string, id: string, who: Account) => {
      const r = await t.gql(`mutation($id: ID!) { ${mutation}(id: $id) { status } }`, { id }, who.token);
      expect(r.errors).toBeUndefined();
    };

    // Both volunteers hear of the new request first (once it is taken, nobody is told it is open).
    await box.waitFor(() => about(box, volunteer, forKees.id).length === 1 && about(box, other, forKees.id).length === 1, 10_000, "the new-request mail");
    await act("acceptHelpRequest", forKees.id, volunteer);
    await box.waitFor(() => about(box, carer, forKees.id).length === 1, 10_000, "the carer's matched mail");
    const matched = about(box, carer, forKees.id)[0];
    expect(matched.mail.subject).toBe("Er is een vrijwilliger gevonden");
    expect(matched.mail.text).toContain("die je voor Kees hebt gesteld");
    for (const secret of ["dementie", "Kade 4", "Formulieren"]) expect(`${matched.mail.text}${matched.mail.html}`).not.toContain(secret);

    await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { status } }`, { id: forKees.id }, volunteer.token);
    await box.waitFor(() => about(box, carer, forKees.id).length === 2, 10_000, "the carer's released mail");
    expect(about(box, carer, forKees.id)[1].mail.subject).toBe("Je hulpvraag staat weer open voor vrijwilligers");
    // The volunteer who gave it back is not told that it is open again (decided with the carer's message); the other one is.
    expect((await mine(t, volunteer)).filter((n) => n.aboutId === forKees.id && n.kind === "HELP_REQUEST_NEW")).toHaveLength(1);
    expect((await mine(t, other)).filter((n) => n.aboutId === forKees.id && n.kind === "HELP_REQUEST_NEW")).toHaveLength(2);

    await act("acceptHelpRequest", forTruus.id, other);
    await act("startHelpRequest", forTruus.id, other);
    const done = await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id) { status } }`, { id: forTruus.id }, other.token);
    expect(done.errors).toBeUndefined();
    await box.waitFor(() => about(box, carer, forTruus.id).length === 2 && about(box, truus, forTruus.id).length === 2, 10_000, "matched and done mail");
    expect(
      about(box, truus, forTruus.id)
        .map((m) => m.mail.subject)
        .sort(),
    ).toEqual(["De hulp is klaar", "Er is een vrijwilliger gevonden"]);
    // Started is off unless switched on; nobody hears of what they did themselves.
    expect(about(box, other, forTruus.id).filter((m) => !m.mail.subject?.includes("hulpvraag in"))).toHaveLength(0);
    expect((await mine(t, truus)).map((n) => n.kind).sort()).toEqual(["HELP_REQUEST_DONE", "HELP_REQUEST_MATCHED"]);
  });

  it("tells the volunteer who holds a request that it was cancelled", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.company] });
    const resident = await buildPerson(t);
    const request = await askForHelp(t, resident.token, { categoryId: CAT.company });
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: request.id }, volunteer.token)).errors).toBeUndefined();
    expect((await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id: request.id }, resident.token)).errors).toBeUndefined();
    await box.waitFor(
      () => about(box, volunteer, request.id).some((m) => m.mail.subject === "Een hulpvraag waarbij je helpt is ingetrokken") && about(box, resident, request.id).length > 0,
      10_000,
      "the cancelled and the matched mail",
    );
    await sweep(t, coordinator);
    // The resident cancelled it: they are not told so.
    expect(about(box, resident, request.id).map((m) => m.mail.subject)).toEqual(["Er is een vrijwilliger gevonden"]);
  });

  it("tells the volunteer who holds a request, and whoever asked, that it went to a professional team (the status only), not the one who flagged it", async () => {
    const flag = `mutation($id: ID!, $note: String) { flagHelpRequest(id: $id, reason: HEALTH, note: $note) { status } }`;
    const accept = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
    // The requester flags a request a volunteer holds: the volunteer hears.
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.paperwork] });
    const resident = await buildPerson(t);
    const first = await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    expect((await t.gql(accept, { id: first.id }, volunteer.token)).errors).toBeUndefined();
    expect((await t.gql(flag, { id: first.id, note: "Mijn moeder is opgenomen met een hartinfarct" }, resident.token)).errors).toBeUndefined();
    await box.waitFor(() => about(box, volunteer, first.id).some((m) => m.mail.subject === "Een hulpvraag waarbij je helpt is gewijzigd"), 10_000, "the volunteer's mail");
    // The volunteer flags one they hold: whoever asked hears.
    const second = await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    expect((await t.gql(accept, { id: second.id }, volunteer.token)).errors).toBeUndefined();
    expect((await t.gql(flag, { id: second.id, note: "Schulden en een depressie" }, volunteer.token)).errors).toBeUndefined();
    await box.waitFor(() => about(box, resident, second.id).some((m) => m.mail.subject === "Een professioneel team neemt het over"), 10_000, "the requester's mail");
    await sweep(t, coordinator);
    // Nobody hears of the flag they raised themselves.
    expect(about(box, resident, first.id).map((m) => m.mail.subject)).toEqual(["Er is een vrijwilliger gevonden"]);
    expect(about(box, volunteer, second.id).filter((m) => m.mail.subject === "Een hulpvraag waarbij je helpt is gewijzigd")).toHaveLength(0);
    for (const m of [...about(box, volunteer, first.id), ...about(box, resident, second.id)]) {
      for (const secret of ["hartinfarct", "opgenomen", "Schulden", "depressie", "HEALTH"]) expect(`${m.mail.subject}${m.mail.text}${m.mail.html}`).not.toContain(secret);
    }
  });

  it("switches a kind off with the one-click unsubscribe POST (RFC 8058), not with a GET", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.paperwork] });
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    const first = await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    await box.waitFor(() => about(box, volunteer, first.id).length === 1, 10_000, "the new-request mail");
    const header = about(box, volunteer, first.id)[0].header("list-unsubscribe")!;
    const link = new URL(/^<([^>]+)>/.exec(header)![1]);
    const target = new URL(`${link.pathname}${link.search}`, t.url);

    // A GET (a link scanner, or a person following the link) only shows the question.
    const page = await fetch(target);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Wil je geen e-mails meer ontvangen over nieuwe hulpvragen die bij je passen?");
    const prefs = async () =>
      (await t.gql(`{ myNotificationPreferences { switches { kind channel enabled chosen } } }`, {}, volunteer.token)).data.myNotificationPreferences.switches.find(
        (s: { kind: string }) => s.kind === "HELP_REQUEST_NEW",
      );
    expect(await prefs()).toEqual({ kind: "HELP_REQUEST_NEW", channel: "EMAIL", enabled: true, chosen: false });

    // A token that was tampered with switches nothing.
    const forged = new URL(target);
    forged.searchParams.set("token", `${forged.searchParams.get("token")!.slice(0, -4)}AAAA`);
    expect((await fetch(forged, { method: "POST", body: "List-Unsubscribe=One-Click" })).status).toBe(400);

    const post = await fetch(target, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain("je krijgt geen e-mails meer over nieuwe hulpvragen die bij je passen");
    expect(await prefs()).toEqual({ kind: "HELP_REQUEST_NEW", channel: "EMAIL", enabled: false, chosen: true });

    const second = await askForHelp(t, resident.token, { categoryId: CAT.paperwork });
    await sweep(t, coordinator);
    await new Promise((r) => setTimeout(r, 300));
    expect(about(box, volunteer, second.id)).toHaveLength(0);
    expect((await mine(t, volunteer)).filter((n) => n.aboutId === second.id)).toEqual([]);
  });

  it("shows each person only their own notifications: not another person's, not anonymous callers, not a partner app's key", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.company] });
    const stranger = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.transport] });
    const resident = await buildPerson(t, { neighbourhoodId: NB.dubbeldam });
    const request = await askForHelp(t, resident.token, { categoryId: CAT.company });
    await box.waitFor(() => about(box, volunteer, request.id).length === 1, 10_000, "the new-request mail");
    const [own] = (await mine(t, volunteer)).filter((n) => n.aboutId === request.id);
    expect(own).toBeDefined();

    expect((await mine(t, stranger)).some((n) => n.id === own.id)).toBe(false);
    const node = `query($id: ID!) { node(id: $id) { id ... on Notification { kind status } } }`;
    expect((await t.gql(node, { id: own.id }, volunteer.token)).data.node).toMatchObject({ id: own.id, kind: "HELP_REQUEST_NEW" });
    expect((await t.gql(node, { id: own.id }, stranger.token)).data.node).toBeNull();
    // A coordinator sees dead letters only, not what people were told.
    expect((await t.gql(node, { id: own.id }, coordinator.token)).data.node).toBeNull();
    expect((await t.gql(node, { id: own.id })).data?.node ?? null).toBeNull();
    expect(codeOf(await t.gql(MINE))).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(`{ myNotificationPreferences { language } }`))).toBe("UNAUTHENTICATED");
    // Only coordinators see what failed for good, and why.
    expect(reasonOf(await t.gql(DEAD, {}, volunteer.token))).toBe("COORDINATOR_ONLY");
    expect(reasonOf(await t.gql(`{ myNotifications { edges { node { lastError } } } }`, {}, volunteer.token))).toBe("ROLE_REQUIRED");

    const key = await buildPartnerKey(t, coordinator, ["REQUESTS_WRITE", "PUBLIC_READ"]);
    const asApp = await keyed(t, key.secret, MINE);
    expect(asApp.data?.myNotifications ?? null).toBeNull();
    expect(asApp.errors?.length).toBeGreaterThan(0);
    expect((await keyed(t, key.secret, node, { id: own.id })).data?.node ?? null).toBeNull();
  });

  it("validates preferences: quiet hours as HH:MM that differ, a known language", async () => {
    const person = await buildPerson(t);
    const bad = await t.gql(PREFERENCES, { input: { quietHours: { start: "22:00", end: "7:00" } } }, person.token);
    expect(reasonOf(bad)).toBe("INVALID_INPUT");
    expect(bad.errors![0].extensions!.field).toBe("input.quietHours.end");
    expect(reasonOf(await t.gql(PREFERENCES, { input: { quietHours: { start: "22:00", end: "22:00" } } }, person.token))).toBe("INVALID_INPUT");
    const ok = await t.gql(
      PREFERENCES,
      { input: { language: "EN", quietHours: { start: "22:00", end: "07:00" }, switches: [{ kind: "HELP_REQUEST_STARTED", channel: "EMAIL", enabled: true }] } },
      person.token,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data.updateNotificationPreferences).toMatchObject({ language: "EN", quietHours: { start: "22:00", end: "07:00" }, newRequestsPerDay: 5 });
    expect(ok.data.updateNotificationPreferences.switches).toContainEqual({ kind: "HELP_REQUEST_STARTED", channel: "EMAIL", enabled: true, chosen: true });
    expect(ok.data.updateNotificationPreferences.switches).toContainEqual({ kind: "HELP_REQUEST_MATCHED", channel: "EMAIL", enabled: true, chosen: false });
    // Left out: kept; null: removed.
    const cleared = await t.gql(PREFERENCES, { input: { quietHours: null } }, person.token);
    expect(cleared.data.updateNotificationPreferences).toMatchObject({ language: "EN", quietHours: null });
  });

  it("tells participants of initiatives where their sign-up stands: confirmed, waiting list, promoted, new dates, cancelled", async () => {
    const org = await buildOrganisation(t, { coordinator });
    const course = await postInitiative(t, org, {
      kind: "COURSE",
      title: "Rouwverwerking na kanker",
      description: "Voor wie een naaste verloor aan kanker.",
      capacity: 1,
      neighbourhoodId: NB.wielwijk,
    });
    const ann = await buildPerson(t, { firstName: "Ann" });
    const bob = await buildPerson(t, { firstName: "Bob" });
    expect((await t.gql(PREFERENCES, { input: { language: "EN" } }, bob.token)).errors).toBeUndefined();
    const signUp = async (who: Account) => {
      const r = await t.gql(SIGN_UP, { input: { initiativeId: course.id } }, who.token);
      expect(r.errors).toBeUndefined();
      return r.data.signUpForInitiative.id as string;
    };
    const annSignup = await signUp(ann);
    await signUp(bob);
    const subjects = (who: Account) =>
      box
        .to(who.email)
        .filter((m) => m.mail.text?.includes(`/initiatives/${course.id}`))
        .map((m) => m.mail.subject);
    await box.waitFor(() => subjects(ann).length === 1 && subjects(bob).length === 1, 10_000, "confirmed and waiting-list mail");
    expect(subjects(ann)).toEqual(["Je plek is bevestigd"]);
    expect(subjects(bob)).toEqual(["On the waiting list"]);

    expect((await t.gql(`mutation($id: ID!) { cancelSignup(id: $id) { status } }`, { id: annSignup }, ann.token)).errors).toBeUndefined();
    await box.waitFor(() => subjects(bob).length === 2, 10_000, "the promoted mail");
    expect(subjects(bob)[1]).toBe("A place has come free");
    const moved = await t.gql(
      `mutation($id: ID!, $input: UpdateInitiativeInput!) { updateInitiative(id: $id, input: $input) { id } }`,
      { id: course.id, input: { schedule: schedule(t, 96, 2) } },
      org.organiser.token,
    );
    expect(moved.errors).toBeUndefined();
    await box.waitFor(() => subjects(bob).length === 3, 10_000, "the new-dates mail");
    expect(subjects(bob)[2]).toBe("New dates");
    const cancelled = await t.gql(`mutation($id: ID!) { cancelInitiative(id: $id, reason: "Te weinig aanmeldingen") { status } }`, { id: course.id }, org.organiser.token);
    expect(cancelled.errors).toBeUndefined();
    await box.waitFor(() => subjects(bob).length === 4, 10_000, "the cancelled mail");
    expect(subjects(bob)[3]).toBe("Cancelled");
    // Ann left: she hears neither of the new dates nor of the cancellation.
    expect(subjects(ann)).toEqual(["Je plek is bevestigd"]);

    const all = box.received.filter((m) => m.mail.text?.includes(`/initiatives/${course.id}`));
    expect(all.find((m) => m.mail.subject === "New dates")!.mail.text).toContain("The dates of a course in Wielwijk that you signed up for have changed.");
    // The course's title can say what a participant would not want told: it is never in a message.
    for (const m of all) for (const secret of ["Rouwverwerking", "kanker", "naaste"]) expect(`${m.mail.subject}${m.mail.text}${m.mail.html}`).not.toContain(secret);
    expect((await mine(t, bob)).map((n) => n.kind)).toEqual(["INITIATIVE_CANCELLED", "INITIATIVE_RESCHEDULED", "INITIATIVE_SIGNUP_PROMOTED", "INITIATIVE_SIGNUP_WAITLISTED"]);
  });

  it("asks a care-circle member to take over a shift, and tells the circle's coordinator when a shift goes to volunteers", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Henk" });
    const member = await buildPerson(t, { firstName: "Lid" });
    const circle = await t.gql(
      `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`,
      { input: { name: "Zorg voor moeder", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk, address: "Dordtse Straat 5" } } },
      carer.token,
    );
    expect(circle.errors).toBeUndefined();
    const circleId = circle.data.createCareCircle.id as string;
    const code = (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c, relation: FRIEND) { code } }`, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
    expect((await t.gql(`mutation($code: String!) { joinCareCircle(code: $code) { id } }`, { code }, member.token)).errors).toBeUndefined();
    const day = (days: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + days * 24 * 3600_000));
    const addTask = `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`;
    const task = { categoryId: CAT.company, startTime: "11:00", durationMinutes: 60, notes: "Insuline spuiten om 11 uur" };
    expect((await t.gql(addTask, { c: circleId, i: { ...task, title: "Wondverzorging", startDate: day(5) } }, carer.token)).errors).toBeUndefined();
    const shifts = await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts(first: 10) { edges { node { id startsAt } } } } }`, { c: circleId }, carer.token);
    const shift = shifts.data.careCircle.shifts.edges[0].node;
    expect((await t.gql(`mutation($id: ID!) { claimCareShift(id: $id) { status } }`, { id: shift.id }, carer.token)).errors).toBeUndefined();
    const swap = await t.gql(`mutation($s: ID!, $to: ID!) { proposeCareShiftSwap(shiftId: $s, toPersonId: $to) { id } }`, { s: shift.id, to: member.id }, carer.token);
    expect(swap.errors).toBeUndefined();
    const aboutCircle = (who: Account) => box.to(who.email).filter((m) => m.mail.text?.includes(`/care-circles/${circleId}`));
    await box.waitFor(() => aboutCircle(member).length === 1, 10_000, "the swap mail");
    expect(aboutCircle(member)[0].mail.subject).toBe("Kun je een dienst overnemen?");
    // Nobody else in the circle is asked, and the one who asked is not told.
    expect(aboutCircle(carer)).toHaveLength(0);

    // A shift tomorrow that nobody takes goes to volunteers at the next sweep: the circle's coordinator hears.
    expect((await t.gql(addTask, { c: circleId, i: { ...task, title: "Douchen", startDate: day(1) } }, carer.token)).errors).toBeUndefined();
    await sweep(t, coordinator);
    await box.waitFor(() => aboutCircle(carer).length === 1, 10_000, "the gap mail");
    expect(aboutCircle(carer)[0].mail.subject).toBe("Een dienst is naar vrijwilligers gegaan");
    expect(aboutCircle(member).map((m) => m.mail.subject)).toEqual(["Kun je een dienst overnemen?"]);
    for (const m of [...aboutCircle(carer), ...aboutCircle(member)]) {
      for (const secret of ["Wondverzorging", "Douchen", "Insuline", "Riet", "Dordtse", "Zorg voor moeder"])
        expect(`${m.mail.subject}${m.mail.text}${m.mail.html}`).not.toContain(secret);
    }
  });

  // Last in this file: it moves the server's clock by up to a day and a half.
  it("holds a message during quiet hours until they end in the Amsterdam morning, except about an URGENT request", async () => {
    const sleeper = await buildVolunteer(t, { firstName: "Slaap", neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.transport] });
    expect((await t.gql(PREFERENCES, { input: { quietHours: { start: "22:00", end: "07:00" } } }, sleeper.token)).errors).toBeUndefined();
    // To 23:30 in Amsterdam (whatever zone this process and the server run in).
    const now = DateTime.fromJSDate(t.clock.now(), { zone: "Europe/Amsterdam" });
    let evening = now.set({ hour: 23, minute: 30, second: 0, millisecond: 0 });
    if (evening <= now) evening = evening.plus({ days: 1 });
    await advance(t, coordinator, evening.diff(now).as("hours"));
    const resident = await buildPerson(t);
    const normal = await askForHelp(t, resident.token, { categoryId: CAT.transport, ...window(t, 12, 48) });
    const urgent = await askForHelp(t, resident.token, { categoryId: CAT.transport, urgency: "URGENT", ...window(t, 1, 12) });

    await box.waitFor(() => about(box, sleeper, urgent.id).length === 1, 10_000, "the urgent mail during quiet hours");
    expect(about(box, sleeper, urgent.id)[0].mail.subject).toBe("Dringend: een nieuwe hulpvraag in Oud-Krispijn past bij je");
    await sweep(t, coordinator);
    expect(about(box, sleeper, normal.id)).toHaveLength(0);
    const held = (await mine(t, sleeper)).find((n) => n.aboutId === normal.id)!;
    const morning = evening.plus({ days: 1 }).set({ hour: 7, minute: 0 });
    expect(held).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(new Date(held.nextAttemptAt).getTime()).toBe(morning.toMillis());

    await advance(t, coordinator, 7.25); // 06:45
    await sweep(t, coordinator);
    expect(about(box, sleeper, normal.id)).toHaveLength(0);
    await advance(t, coordinator, 0.5); // 07:15
    await sweep(t, coordinator);
    expect(about(box, sleeper, normal.id)).toHaveLength(1);
    expect((await mine(t, sleeper)).find((n) => n.aboutId === normal.id)).toMatchObject({ status: "SENT" });
  });
});

describe.each(backends())("an SMTP server that is down, on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox | null = null;
  let port: number;
  let coordinator: Account;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp(backend, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      CLOCK_CONTROL: "true",
      NOTIFY_MAX_ATTEMPTS: "3",
      NOTIFY_RETRY_BASE_SECONDS: "60",
      NOTIFY_RETENTION_DAYS: "2",
    });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  it("NOTIFICATION_NOT_DEAD, NOTIFICATION_NOT_FOUND: retries with backoff, then DEAD for coordinators to see, and a coordinator's retry sends it once", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.groceries] });
    const resident = await buildPerson(t);
    const request = await askForHelp(t, resident.token);
    const status = async () => (await mine(t, volunteer)).find((n) => n.aboutId === request.id)!;

    await sweep(t, coordinator);
    expect(await status()).toMatchObject({ status: "FAILED", attempts: 1 });
    const firstRetry = new Date((await status()).nextAttemptAt).getTime() - t.clock.now().getTime();
    // Backoff with jitter: between half and all of the base wait of 60 s.
    expect(firstRetry).toBeGreaterThan(25_000);
    expect(firstRetry).toBeLessThanOrEqual(60_000);
    // Not due yet: nothing is tried.
    await sweep(t, coordinator);
    expect(await status()).toMatchObject({ status: "FAILED", attempts: 1 });

    await advance(t, coordinator, 1);
    await sweep(t, coordinator);
    expect(await status()).toMatchObject({ status: "FAILED", attempts: 2 });
    await advance(t, coordinator, 1);
    await sweep(t, coordinator);
    const dead = await status();
    expect(dead).toMatchObject({ status: "DEAD", attempts: 3 });

    const letters = await t.gql(DEAD, {}, coordinator.token);
    expect(letters.errors).toBeUndefined();
    const letter = letters.data.deadNotifications.edges.map((e: { node: { id: string } }) => e.node).find((n: { id: string }) => n.id === dead.id);
    expect(letter).toMatchObject({ kind: "HELP_REQUEST_NEW", status: "DEAD", attempts: 3, recipient: { id: volunteer.id } });
    expect(letter.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(reasonOf(await t.gql(RETRY, { id: dead.id }, volunteer.token))).toBe("COORDINATOR_ONLY");
    expect(reasonOf(await t.gql(RETRY, { id: "ntf_unknown" }, coordinator.token))).toBe("NOTIFICATION_NOT_FOUND");

    box = await startMailbox(port);
    const retried = await t.gql(RETRY, { id: dead.id }, coordinator.token);
    expect(retried.errors).toBeUndefined();
    expect(retried.data.retryNotification).toMatchObject({ id: dead.id, status: "PENDING", attempts: 0 });
    await box.waitFor((r) => r.some((m) => m.to.includes(volunteer.email)), 10_000, "the retried mail");
    await sweep(t, coordinator);
    await new Promise((r) => setTimeout(r, 200));
    expect(box.to(volunteer.email)).toHaveLength(1);
    expect(await status()).toMatchObject({ status: "SENT", attempts: 1 });
    const again = await t.gql(RETRY, { id: dead.id }, coordinator.token);
    expect(codeOf(again)).toBe("CONFLICT");
    expect(reasonOf(again)).toBe("NOTIFICATION_NOT_DEAD");
    expect((await t.gql(DEAD, {}, coordinator.token)).data.deadNotifications.edges).toEqual([]);
  });
  it("forgets finished notifications after the retention, and keeps those still waiting", async () => {
    box ??= await startMailbox(port);
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.transport] });
    const quiet = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.transport] });
    // Quiet all day but one minute: the second volunteer's message waits (about a day) and must not be forgotten.
    const now = DateTime.fromJSDate(t.clock.now(), { zone: "Europe/Amsterdam" });
    const quietHours = { start: now.minus({ minutes: 1 }).toFormat("HH:mm"), end: now.minus({ minutes: 2 }).toFormat("HH:mm") };
    expect((await t.gql(PREFERENCES, { input: { quietHours } }, quiet.token)).errors).toBeUndefined();
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    const request = await askForHelp(t, resident.token, { categoryId: CAT.transport, ...window(t, 72, 48) });
    await box.waitFor((r) => r.some((m) => m.to.includes(volunteer.email)), 10_000, "the mail");
    await sweep(t, coordinator);
    expect((await mine(t, volunteer)).filter((n) => n.aboutId === request.id)).toMatchObject([{ status: "SENT" }]);
    expect((await mine(t, quiet)).filter((n) => n.aboutId === request.id)).toMatchObject([{ status: "PENDING" }]);

    await advance(t, coordinator, 23);
    await sweep(t, coordinator);
    expect((await mine(t, volunteer)).filter((n) => n.aboutId === request.id)).toHaveLength(1);
    await advance(t, coordinator, 26);
    await sweep(t, coordinator);
    expect((await mine(t, volunteer)).filter((n) => n.aboutId === request.id)).toEqual([]);
    // Sent when its quiet hours ended, a day ago: kept for another day.
    expect((await mine(t, quiet)).filter((n) => n.aboutId === request.id)).toMatchObject([{ status: "SENT" }]);
  });
});
