import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, TEAM, askForHelp, buildCoordinator, buildPerson, buildProfessional, buildVolunteer, window } from "../support/builders.js";
import { type Mailbox, type Received, startMailbox } from "../support/mailbox.js";
import { startServerProcess } from "../support/server-process.js";
import { TEST_JWT_SECRET, type TestApp, gql, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const ZONE = "Europe/Amsterdam";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
const MINE = `{ myNotifications(first: 100) { edges { node { kind status urgent aboutId link nextAttemptAt sentAt } } } }`;

interface NotificationNode {
  kind: string;
  status: string;
  urgent: boolean;
  aboutId: string;
  link: string;
  nextAttemptAt: string;
  sentAt: string | null;
}

/** Amsterdam wall clock of an instant, "yyyy-MM-dd HH:mm", whatever zone this process runs in. */
const amsterdam = (at: Date | string) => DateTime.fromJSDate(new Date(at), { zone: ZONE }).toFormat("yyyy-MM-dd HH:mm");

/**
 * The reminders no event causes, by real e-mail, with the clock moved over days and weeks. Run this
 * file with TZ=America/Sao_Paulo as well: every time here is an Amsterdam wall-clock time.
 */
describe.each(backends())("time-driven reminders on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let coordinator: Account;

  const mails = (who: Account, subject: string | RegExp): Received[] =>
    box.to(who.email).filter((m) => (typeof subject === "string" ? m.mail.subject === subject : subject.test(m.mail.subject ?? "")));
  const sweep = async () => expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
  const advance = async (hours: number) => expect((await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, coordinator.token)).errors).toBeUndefined();
  /** Moves the clock to the next time the Amsterdam wall clock shows `hhmm`. */
  const advanceTo = async (hhmm: string) => {
    const now = DateTime.fromJSDate(t.clock.now(), { zone: ZONE });
    let at = now.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)), second: 0, millisecond: 0 });
    if (at <= now) at = at.plus({ days: 1 });
    await advance(at.diff(now).as("hours"));
  };
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const mine = async (who: Account): Promise<NotificationNode[]> => {
    const r = await t.gql(MINE, {}, who.token);
    expect(r.errors).toBeUndefined();
    return r.data.myNotifications.edges.map((e: { node: NotificationNode }) => e.node);
  };
  const english = async (who: Account, extra: Record<string, unknown> = {}) =>
    expect((await t.gql(PREFERENCES, { input: { language: "EN", ...extra } }, who.token)).errors).toBeUndefined();

  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url, CLOCK_CONTROL: "true", APP_URL, NOTIFY_NEW_REQUESTS_PER_DAY: "0" });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  it("reminds the volunteer of a request they hold whose window starts within two hours, once, and not one they started", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const volunteer = await buildVolunteer(t, { firstName: "Vince" });
    const starter = await buildVolunteer(t, { firstName: "Stella" });
    await english(volunteer);
    const held = await askForHelp(t, resident.token, { ...window(t, 5, 4), title: "Medicijnen ophalen bij de apotheek" });
    const started = await askForHelp(t, resident.token, window(t, 5, 4));
    for (const [id, who] of [
      [held.id, volunteer],
      [started.id, starter],
    ] as const)
      expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id }, who.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    await sweep();
    await settle();
    expect(mails(volunteer, "A request you took on starts soon")).toHaveLength(0);

    await advance(3.5);
    expect((await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: started.id }, starter.token)).data.startHelpRequest.status).toBe("IN_PROGRESS");
    await sweep();
    await sweep();
    await box.waitFor(() => mails(volunteer, "A request you took on starts soon").length === 1, 10_000, "the start reminder");
    await advance(0.5);
    await sweep();
    await settle();
    const [m] = mails(volunteer, "A request you took on starts soon");
    expect(mails(volunteer, "A request you took on starts soon")).toHaveLength(1);
    expect(m.mail.text).toContain(`${APP_URL}/help-requests/${held.id}`);
    expect(m.mail.text).toContain("Groceries");
    expect(m.raw).not.toContain("apotheek");
    expect(box.to(starter.email).filter((x) => /starts soon|begint zo/.test(x.mail.subject ?? ""))).toHaveLength(0);
    expect((await mine(volunteer)).filter((n) => n.kind === "HELD_REQUEST_STARTING_SOON")).toMatchObject([{ status: "SENT", aboutId: held.id }]);
  });

  it("reminds a member of their shift tomorrow from 18:00 Amsterdam the day before, once, not for a shift given back nor to one who left", async () => {
    await advanceTo("17:00");
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Carla" });
    const circleId = (
      await t.gql(
        `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
        { i: { name: "Zorg voor vader", careReceiver: { firstName: "Piet", neighbourhoodId: NB.wielwijk } } },
        carer.token,
      )
    ).data.createCareCircle.id as string;
    const join = async (firstName: string) => {
      const p = await buildPerson(t, { firstName });
      const code = (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c, relation: FRIEND) { code } }`, { c: circleId }, carer.token)).data.inviteToCareCircle.code;
      expect((await t.gql(`mutation($code: String!) { joinCareCircle(code: $code) { id } }`, { code }, p.token)).errors).toBeUndefined();
      return p;
    };
    const [keeper, giver, leaver] = [await join("Kees"), await join("Gijs"), await join("Lotte")];
    await english(keeper);
    const tomorrow = DateTime.fromJSDate(t.clock.now(), { zone: ZONE }).plus({ days: 1 }).toISODate()!;
    const shiftAt = async (startTime: string, who: Account) => {
      const task = await t.gql(
        `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`,
        {
          c: circleId,
          i: {
            title: "Wondverzorging",
            notes: "Insuline om 10 uur",
            categoryId: CAT.company,
            startDate: tomorrow,
            endDate: tomorrow,
            startTime,
            durationMinutes: 60,
            weekdays: [1, 2, 3, 4, 5, 6, 7],
          },
        },
        carer.token,
      );
      expect(task.errors).toBeUndefined();
      const shifts = (await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts(first: 50) { edges { node { id startsAt status } } } } }`, { c: circleId }, carer.token)).data
        .careCircle.shifts.edges as { node: { id: string; startsAt: string; status: string } }[];
      const shift = shifts.map((e) => e.node).find((s) => amsterdam(s.startsAt) === `${tomorrow} ${startTime}`)!;
      expect((await t.gql(`mutation($id: ID!) { claimCareShift(id: $id) { status } }`, { id: shift.id }, who.token)).data.claimCareShift.status).toBe("COVERED");
      return shift.id;
    };
    await shiftAt("10:00", keeper);
    const given = await shiftAt("11:00", giver);
    await shiftAt("12:00", leaver);
    // At 17:00 the evening before: not yet.
    await sweep();
    await settle();
    expect(mails(keeper, "Your shift tomorrow")).toHaveLength(0);
    expect((await t.gql(`mutation($id: ID!) { giveBackCareShift(id: $id) { status } }`, { id: given }, giver.token)).data.giveBackCareShift.status).toBe("OPEN");
    expect((await t.gql(`mutation($c: ID!) { leaveCareCircle(circleId: $c) }`, { c: circleId }, leaver.token)).data.leaveCareCircle).toBe(true);

    await advance(1.25);
    await sweep();
    await sweep();
    await box.waitFor(() => mails(keeper, "Your shift tomorrow").length === 1, 10_000, "the shift reminder");
    await advance(3);
    await sweep();
    await settle();
    const [m] = mails(keeper, "Your shift tomorrow");
    expect(mails(keeper, "Your shift tomorrow")).toHaveLength(1);
    // At the Amsterdam time the shift starts, written in Amsterdam whatever this process's zone.
    expect(m.mail.text).toContain("10:00");
    expect(m.mail.text).toContain(`${APP_URL}/care-circles/${circleId}`);
    for (const secret of ["Wondverzorging", "Insuline"]) expect(m.raw).not.toContain(secret);
    const sent = (await mine(keeper)).find((n) => n.kind === "CARE_SHIFT_TOMORROW")!;
    expect(amsterdam(sent.sentAt!) >= `${DateTime.fromISO(tomorrow).minus({ days: 1 }).toISODate()} 18:00`).toBe(true);
    for (const who of [giver, leaver]) expect(box.to(who.email).filter((x) => /shift tomorrow|dienst van morgen/.test(x.mail.subject ?? ""))).toHaveLength(0);
    expect(box.to(carer.email).filter((x) => /shift tomorrow|dienst van morgen/.test(x.mail.subject ?? ""))).toHaveLength(0);
  });

  it("tells the lead team's professionals once of a case past its acknowledge-by, not after it is acknowledged, and an URGENT one during quiet hours", async () => {
    const [pro, colleague, moved] = [
      await buildProfessional(t, TEAM.centrumSocial, coordinator),
      await buildProfessional(t, TEAM.centrumSocial, coordinator),
      await buildProfessional(t, TEAM.centrumSocial, coordinator),
    ];
    const otherTeam = await buildProfessional(t, TEAM.westSocial, coordinator);
    await english(pro);
    // The colleague's quiet hours cover the whole day but one minute: only an URGENT case gets through.
    const here = DateTime.fromJSDate(t.clock.now(), { zone: ZONE });
    await english(colleague, { quietHours: { start: here.minus({ minutes: 1 }).toFormat("HH:mm"), end: here.minus({ minutes: 2 }).toFormat("HH:mm") } });
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    const ask = async (urgency: string) => {
      const r = await t.gql(
        `mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId } }`,
        { i: { reason: "HEALTH", note: "Ik ben depressief", urgency } },
        resident.token,
      );
      expect(r.errors).toBeUndefined();
      return r.data.askProfessionalHelp.escalationId as string;
    };
    const normal = await ask("NORMAL");
    const urgent = await ask("URGENT");
    const acked = await ask("LOW");
    // Someone who moves to another team before the reminder does not hear of this team's cases.
    const moveR = await t.gql(
      `mutation($id: ID!, $team: ID!) { grantRole(personId: $id, role: PROFESSIONAL, teamId: $team) }`,
      { id: moved.id, team: TEAM.westSocial },
      coordinator.token,
    );
    expect(moveR.errors).toBeUndefined();
    await sweep();
    await settle();
    expect(mails(pro, /waits to be acknowledged/)).toHaveLength(0);
    expect((await t.gql(`mutation($id: ID!) { acknowledgeEscalation(id: $id) { status } }`, { id: acked }, pro.token)).data.acknowledgeEscalation.status).toBe("ACKNOWLEDGED");

    await advance(24 * 8);
    await sweep();
    await sweep();
    // The overdue reminders of a case (its arrival in the queue, TEAM_CASE_NEW, links to the same page).
    const about = (who: Account, id: string) =>
      box.to(who.email).filter((m) => m.mail.text?.includes(`/escalations/${id}`) && /acknowledged|bevestiging/.test(m.mail.subject ?? ""));
    await box.waitFor(() => about(pro, normal).length === 1 && about(pro, urgent).length === 1, 10_000, "both overdue reminders");
    await box.waitFor(() => about(colleague, urgent).length === 1, 10_000, "the urgent one during quiet hours");
    // Held by quiet hours (not urgent): decided, waiting.
    expect(about(colleague, normal)).toHaveLength(0);
    expect(
      (await mine(colleague))
        .filter((n) => n.kind === "ESCALATION_OVERDUE")
        .map((n) => [n.status, n.urgent].join(" "))
        .sort(),
    ).toEqual(["PENDING false", "SENT true"]);
    await advance(24);
    await sweep();
    await settle();
    expect(about(pro, normal)).toHaveLength(1);
    expect(about(pro, urgent)).toHaveLength(1);
    expect(about(pro, acked)).toHaveLength(0);
    expect(about(pro, urgent)[0].mail.subject).toBe("Urgent: a case waits to be acknowledged");
    for (const m of [...about(pro, normal), ...about(pro, urgent)]) for (const secret of ["depressief", "HEALTH", "health"]) expect(m.raw).not.toContain(secret);
    // Its quiet hours over, the held one goes out, once.
    expect(about(colleague, normal)).toHaveLength(1);
    for (const who of [moved, otherTeam]) expect(box.to(who.email).filter((m) => /acknowledged|bevestiging/.test(m.mail.subject ?? ""))).toHaveLength(0);
  });

  it("reminds a volunteer 30 days before the term of their VOG ends, once; coordinators hear once a day how many VOGs wait for review", async () => {
    await advanceTo("08:30");
    const today = DateTime.fromJSDate(t.clock.now(), { zone: ZONE }).startOf("day");
    // Valid for 36 months from issue: this one's term ends in 30 days, the other's in 31.
    const issuedOn = today.plus({ days: 30 }).minus({ months: 36 }).toISODate()!;
    const volunteer = await buildVolunteer(t, { firstName: "Vos" });
    const later = await buildVolunteer(t, { firstName: "Later" });
    const laterOn = today.plus({ days: 31 }).minus({ months: 36 }).toISODate()!;
    expect(
      (await t.gql(`mutation($id: ID!, $d: String!) { reviewVog(personId: $id, verified: true, issuedOn: $d) { vogStatus } }`, { id: later.id, d: laterOn }, coordinator.token))
        .errors,
    ).toBeUndefined();
    await english(volunteer);
    expect(
      (
        await t.gql(
          `mutation($id: ID!, $d: String!) { reviewVog(personId: $id, verified: true, issuedOn: $d) { vogStatus } }`,
          { id: volunteer.id, d: issuedOn },
          coordinator.token,
        )
      ).errors,
    ).toBeUndefined();
    await english(coordinator);
    const declare = async () => {
      const v = await buildVolunteer(t);
      expect(
        (await t.gql(`mutation($d: String!) { declareVog(issuedOn: $d) { vogStatus } }`, { d: today.minus({ days: 3 }).toISODate() }, v.token)).data.declareVog.vogStatus,
      ).toBe("PENDING");
      return v;
    };
    const [first] = [await declare(), await declare()];
    const reviews = () => mails(coordinator, /VOGs? waits? for review/);
    const before = reviews().length;

    await sweep();
    await box.waitFor(() => mails(volunteer, "Your VOG is about to expire").length === 1, 10_000, "the VOG reminder");
    expect(box.to(later.email)).toHaveLength(0);
    expect(mails(volunteer, "Your VOG is about to expire")[0].mail.text).toContain(today.plus({ days: 30 }).setLocale("en-GB").toLocaleString(DateTime.DATE_FULL));
    expect(mails(volunteer, "Your VOG is about to expire")[0].mail.text).toContain(`${APP_URL}/volunteers/${volunteer.id}`);
    // Before 09:00 no review reminder today.
    expect(reviews()).toHaveLength(before);

    await advance(1);
    await sweep();
    await sweep();
    await box.waitFor(() => reviews().length === before + 1, 10_000, "the review reminder");
    expect(reviews().at(-1)!.mail.subject).toBe("2 VOGs wait for review");
    expect(reviews().at(-1)!.mail.text).toContain(`${APP_URL}/coordination/vog-reviews`);
    await advance(6);
    await sweep();
    await settle();
    expect(reviews()).toHaveLength(before + 1);

    // The next day: one left, so "1 VOG"; the VOG reminder is not repeated.
    expect((await t.gql(`mutation($id: ID!) { reviewVog(personId: $id, verified: true) { vogStatus } }`, { id: first.id }, coordinator.token)).errors).toBeUndefined();
    await advance(24);
    await sweep();
    await box.waitFor(() => reviews().length === before + 2, 10_000, "the next day's review reminder");
    expect(reviews().at(-1)!.mail.subject).toBe("1 VOG waits for review");
    await advance(24 * 14);
    await sweep();
    await settle();
    expect(mails(volunteer, "Your VOG is about to expire")).toHaveLength(1);
    // The other's turn came a day later, once as well.
    expect(box.to(later.email).filter((m) => /VOG verloopt/.test(m.mail.subject ?? ""))).toHaveLength(1);
  });

  it("switching a reminder off stops it", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const volunteer = await buildVolunteer(t, { firstName: "Uit" });
    await english(volunteer, { switches: [{ kind: "HELD_REQUEST_STARTING_SOON", channel: "EMAIL", enabled: false }] });
    const r = await askForHelp(t, resident.token, window(t, 1, 4));
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: r.id }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    await sweep();
    await sweep();
    await settle();
    expect(box.to(volunteer.email).filter((m) => /starts soon/.test(m.mail.subject ?? ""))).toHaveLength(0);
    expect((await mine(volunteer)).filter((n) => n.kind === "HELD_REQUEST_STARTING_SOON")).toHaveLength(0);
  });

  it("writes each reminder and digest once when two instances, each its own process, sweep at the same moment", async () => {
    // Another process on the same database, as a second instance runs in production.
    const other = await startServerProcess({
      NODE_ENV: "test",
      DATABASE_URL: t.databaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      CLOCK_CONTROL: "true",
      SMTP_URL: box.url,
      APP_URL,
      NOTIFY_NEW_REQUESTS_PER_DAY: "0",
      ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
    });
    /** Moves the other instance's clock to this one's (it starts at the real time). */
    const align = async () => {
      const hours = (t.clock.now().getTime() - Date.now()) / 3_600_000;
      expect((await gql(other.url, `mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, coordinator.token)).errors).toBeUndefined();
    };
    try {
      const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
      const volunteers = [await buildVolunteer(t), await buildVolunteer(t), await buildVolunteer(t)];
      // And a daily digest, due at the same moment on both: its request was asked a day before.
      const reader = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.paperwork] });
      const at = DateTime.fromJSDate(t.clock.now(), { zone: ZONE }).minus({ minutes: 1 }).toFormat("HH:mm");
      expect((await t.gql(PREFERENCES, { input: { newRequestMode: "DIGEST", digestTime: at } }, reader.token)).errors).toBeUndefined();
      const asker = await buildPerson(t, { neighbourhoodId: NB.dubbeldam });
      t.clock.advance(-24 * 3_600_000);
      await askForHelp(t, asker.token, { categoryId: CAT.paperwork, ...window(t, 30, 72) });
      await settle();
      t.clock.advance(24 * 3_600_000);
      for (const v of volunteers) {
        const r = await askForHelp(t, resident.token, window(t, 1, 4));
        expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: r.id }, v.token)).data.acceptHelpRequest.status).toBe("MATCHED");
      }
      await align();
      for (let round = 0; round < 3; round++) {
        const both = await Promise.all([t.url, other.url].map((url) => gql(url, `mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)));
        for (const r of both) expect(r.errors).toBeUndefined();
      }
      const reminders = () => volunteers.map((v) => box.to(v.email).filter((m) => /begint zo/.test(m.mail.subject ?? "")).length);
      await box.waitFor(() => reminders().every((n) => n >= 1) && box.to(reader.email).length >= 1, 10_000, "every reminder and the digest");
      await settle();
      expect(reminders()).toEqual([1, 1, 1]);
      expect(box.to(reader.email).map((m) => m.mail.subject)).toEqual(["1 nieuwe hulpvraag past bij je"]);
    } finally {
      await other.stop();
    }
  }, 90_000);
});
