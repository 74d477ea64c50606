import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, askForHelp, buildCoordinator, buildPerson, buildVolunteer, rowCounts, window } from "../support/builders.js";
import { type Mailbox, type Received, startMailbox } from "../support/mailbox.js";
import { type TestApp, codeOf, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const ZONE = "Europe/Amsterdam";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) { language newRequestMode digestTime newRequestsPerDay }
}`;
const READ = `{ myNotificationPreferences { newRequestMode digestTime } }`;

/**
 * The daily digest of new fitting requests, by real e-mail, over several days. Run this file with
 * TZ=America/Sao_Paulo as well: the digest time is an Amsterdam wall-clock time.
 */
describe.each(backends())("the daily digest of new requests on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let coordinator: Account;

  const sweep = async () => expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
  const advance = async (hours: number) => expect((await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, coordinator.token)).errors).toBeUndefined();
  const advanceTo = async (hhmm: string) => {
    const now = DateTime.fromJSDate(t.clock.now(), { zone: ZONE });
    let at = now.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)), second: 0, millisecond: 0 });
    if (at <= now) at = at.plus({ days: 1 });
    await advance(at.diff(now).as("hours"));
  };
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const digests = (who: Account): Received[] =>
    box.to(who.email).filter((m) => /new requests? fits? you$/.test(m.mail.subject ?? "") && m.mail.text?.includes("/help-requests/open"));

  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url, CLOCK_CONTROL: "true", APP_URL });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  it("shows IMMEDIATE and the platform's digest time by default, and refuses a bad digest time with a clear reason, changing nothing", async () => {
    const volunteer = await buildVolunteer(t);
    expect((await t.gql(READ, {}, volunteer.token)).data.myNotificationPreferences).toEqual({ newRequestMode: "IMMEDIATE", digestTime: "08:00" });
    const before = await rowCounts(t);
    for (const bad of ["25:00", "8:00", "08:60", "morning", "08:00:00", ""]) {
      const r = await t.gql(PREFERENCES, { input: { newRequestMode: "DIGEST", digestTime: bad } }, volunteer.token);
      expect(codeOf(r), bad).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0].message, bad).toMatch(/digestTime.*must be a time as HH:MM \(Europe\/Amsterdam\)/);
    }
    expect(codeOf(await t.gql(PREFERENCES, { input: { newRequestMode: "WEEKLY" } }, volunteer.token))).toBe("BAD_USER_INPUT");
    expect(await rowCounts(t)).toEqual(before);
    expect((await t.gql(READ, {}, volunteer.token)).data.myNotificationPreferences).toEqual({ newRequestMode: "IMMEDIATE", digestTime: "08:00" });
    const ok = await t.gql(PREFERENCES, { input: { newRequestMode: "DIGEST", digestTime: "07:15" } }, volunteer.token);
    expect(ok.data.updateNotificationPreferences).toMatchObject({ newRequestMode: "DIGEST", digestTime: "07:15" });
    // null: back to the platform's default time; the mode stays.
    expect((await t.gql(PREFERENCES, { input: { digestTime: null } }, volunteer.token)).data.updateNotificationPreferences).toMatchObject({
      newRequestMode: "DIGEST",
      digestTime: "08:00",
    });
    expect(codeOf(await t.gql(READ))).toBe("UNAUTHENTICATED");
  });

  it("sends one digest a day at the chosen Amsterdam time with the requests still open, none already taken, and none on a day with nothing new", async () => {
    await advanceTo("12:00");
    const daily = await buildVolunteer(t, { firstName: "Dirk", neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport, CAT.paperwork] });
    const now = await buildVolunteer(t, { firstName: "Nina", neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport, CAT.paperwork] });
    expect((await t.gql(PREFERENCES, { input: { language: "EN", newRequestMode: "DIGEST", digestTime: "07:30" } }, daily.token)).errors).toBeUndefined();
    const resident = await buildPerson(t, { neighbourhoodId: NB.dubbeldam, address: "Dorpsstraat 12, Dubbeldam" });
    const asked = [
      await askForHelp(t, resident.token, { categoryId: CAT.transport, title: "Naar de oncoloog", description: "Chemokuur in het ziekenhuis", ...window(t, 48, 72) }),
      await askForHelp(t, resident.token, { categoryId: CAT.paperwork, title: "Belastingaangifte", description: "Schulden", ...window(t, 48, 72) }),
      await askForHelp(t, resident.token, { categoryId: CAT.transport, title: "Ritje", description: "Naar de markt", ...window(t, 48, 72) }),
    ];
    // The one who chose IMMEDIATE hears of each at once; the digest person of none.
    await box.waitFor(() => asked.every((a) => box.to(now.email).some((m) => m.mail.text?.includes(`/help-requests/${a.id}`))), 10_000, "the immediate messages");
    await settle();
    expect(box.to(daily.email)).toHaveLength(0);
    // Taken before the digest: not in it.
    const taker = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.transport] });
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: asked[2].id }, taker.token)).data.acceptHelpRequest.status).toBe("MATCHED");

    await advanceTo("07:00");
    await sweep();
    await settle();
    expect(digests(daily)).toHaveLength(0);
    await advance(0.75);
    await sweep();
    await sweep();
    await box.waitFor(() => digests(daily).length === 1, 10_000, "the first digest");
    await advance(3);
    await sweep();
    await settle();
    expect(digests(daily)).toHaveLength(1);
    const [first] = digests(daily);
    expect(first.mail.subject).toBe("2 new requests fit you");
    expect(first.mail.text).toContain("2 new requests that fit your volunteer profile are still open:");
    expect(first.mail.text).toContain("- Transport in Dubbeldam");
    expect(first.mail.text).toContain("- Paperwork in Dubbeldam");
    expect(first.mail.text).toContain(`${APP_URL}/help-requests/open`);
    for (const secret of ["oncoloog", "Chemokuur", "ziekenhuis", "Belasting", "Schulden", "Dorpsstraat", "Ritje", "markt"]) expect(first.raw).not.toContain(secret);

    // One more during the day (after 07:30): in the next morning's digest, alone.
    await askForHelp(t, resident.token, { categoryId: CAT.paperwork, ...window(t, 48, 72) });
    await advanceTo("07:29");
    await sweep();
    await settle();
    expect(digests(daily)).toHaveLength(1);
    await advance(0.1);
    await sweep();
    await box.waitFor(() => digests(daily).length === 2, 10_000, "the second digest");
    expect(digests(daily)[1].mail.subject).toBe("1 new request fits you");
    expect(digests(daily)[1].mail.text).toContain("1 new request that fits your volunteer profile is still open:");

    // A day with nothing new: no digest.
    await advance(24);
    await sweep();
    await settle();
    expect(digests(daily)).toHaveLength(2);

    // Switched off: no digest, though a request arrived.
    expect((await t.gql(PREFERENCES, { input: { switches: [{ kind: "HELP_REQUEST_DIGEST", channel: "EMAIL", enabled: false }] } }, daily.token)).errors).toBeUndefined();
    await askForHelp(t, resident.token, { categoryId: CAT.transport, ...window(t, 48, 72) });
    await advance(24);
    await sweep();
    await settle();
    expect(digests(daily)).toHaveLength(2);
    expect(box.to(daily.email).filter((m) => !digests(daily).includes(m))).toHaveLength(0);

    // Kept items are forgotten after two weeks.
    const s = t.app.services;
    const itemsOf = async () => (await s.db.read.select().from(s.db.tables.notificationDigestItems)).filter((i) => i.personId === daily.id).length;
    expect(await itemsOf()).toBe(5);
    await advance(24 * 15);
    await sweep();
    expect(await itemsOf()).toBe(0);
  });

  it("holds a digest whose time falls in quiet hours until they end", async () => {
    await advanceTo("12:00");
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.company] });
    expect((await t.gql(PREFERENCES, { input: { language: "EN", newRequestMode: "DIGEST", digestTime: "06:00" } }, volunteer.token)).errors).toBeUndefined();
    expect(
      (
        await t.gql(
          `mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { language } }`,
          { i: { quietHours: { start: "22:00", end: "07:00" } } },
          volunteer.token,
        )
      ).errors,
    ).toBeUndefined();
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    await askForHelp(t, resident.token, { categoryId: CAT.company, ...window(t, 48, 72) });
    await advanceTo("06:05");
    await sweep();
    await settle();
    expect(digests(volunteer)).toHaveLength(0);
    await advanceTo("07:01");
    await sweep();
    await box.waitFor(() => digests(volunteer).length === 1, 10_000, "the held digest");
    expect(digests(volunteer)[0].mail.subject).toBe("1 new request fits you");
  });
});
