import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, buildCoordinator, buildVolunteer } from "../support/builders.js";
import { ADD_TASK, buildCircle, localSlot, shiftsOf } from "../support/care-circle.js";
import { type Mailbox, type Received, startMailbox, expectNoSecrets } from "../support/mailbox.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
const SETTINGS = `{ myNotificationPreferences { switches { kind channel enabled } } }`;
const POST = `mutation($c: ID!, $b: String!) { postCareMessage(circleId: $c, body: $b) { id } }`;
const POST_SHIFT = `mutation($s: ID!, $b: String!) { postCareShiftMessage(shiftId: $s, body: $b) { id } }`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const RELEASE = `mutation($id: ID!) { releaseHelpRequest(id: $id) { status } }`;

/** What a message about a thread never carries: what was written, the shift's task and notes, the person cared for. */
const SECRETS = ["sleutel", "Valgevaar", "Douchen", "Riet", "medicijnen"];

const expectClean = (messages: Received[]) => expectNoSecrets(messages, SECRETS);

describe.each(backends())("notifications of care circle messages on $name", (backend: Backend) => {
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

  const got = (who: Account, threadId: string): Received[] => box.to(who.email).filter((m) => m.mail.text?.includes(`${APP_URL}/care-threads/${threadId}`));

  async function settle(): Promise<void> {
    for (let i = 0; i < 2; i++) expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
  }

  async function emailOn(who: Account, language?: "EN" | "NL"): Promise<void> {
    const input = { ...(language ? { language } : {}), switches: [{ kind: "CARE_MESSAGE_POSTED", channel: "EMAIL", enabled: true }] };
    expect((await t.gql(PREFERENCES, { input }, who.token)).errors).toBeUndefined();
  }

  it("is off by e-mail and on by push for whoever never chose", async () => {
    const { coordinator: henk } = await buildCircle(t, 0);
    const r = await t.gql(SETTINGS, {}, henk.token);
    expect(r.errors).toBeUndefined();
    const mine = r.data.myNotificationPreferences.switches.filter((s: { kind: string }) => s.kind === "CARE_MESSAGE_POSTED");
    expect(mine).toEqual(
      expect.arrayContaining([
        { kind: "CARE_MESSAGE_POSTED", channel: "EMAIL", enabled: false },
        { kind: "CARE_MESSAGE_POSTED", channel: "PUSH", enabled: true },
      ]),
    );
  });

  it("a message in the circle's thread reaches its other members who chose e-mail, once, in their language; not its author, one who did not choose, nor another circle", async () => {
    const { circleId, coordinator: henk, members } = await buildCircle(t, 3);
    const [anna, bert, cas] = members;
    const other = await buildCircle(t, 1, "Kees");
    await emailOn(henk);
    await emailOn(anna);
    await emailOn(bert, "EN");
    await emailOn(other.coordinator);
    await emailOn(other.members[0]!);
    // Cas never chose: e-mail is off for him.
    expect((await t.gql(POST, { c: circleId, b: "De sleutel ligt bij de buren, medicijnen in de kast" }, anna.token)).errors).toBeUndefined();
    await settle();
    await box.waitFor(() => got(henk, circleId).length >= 1 && got(bert, circleId).length >= 1, 10_000, "the members hear of the message");
    await settle();
    expect(got(henk, circleId)).toHaveLength(1);
    expect(got(henk, circleId)[0]!.mail.subject).toBe("Een nieuw bericht in je zorgnetwerk");
    expect(got(bert, circleId)).toHaveLength(1);
    expect(got(bert, circleId)[0]!.mail.subject).toBe("A new message in your care circle");
    expect(got(anna, circleId)).toEqual([]);
    expect(got(cas, circleId)).toEqual([]);
    for (const who of [other.coordinator, other.members[0]!]) expect(box.to(who.email).filter((m) => m.mail.text?.includes("/care-threads/"))).toEqual([]);
    expectClean([...got(henk, circleId), ...got(bert, circleId)]);
  });

  it("a message on a shift's thread reaches the volunteer covering it while they cover it, and the members; never its author", async () => {
    const circle = await buildCircle(t, 1);
    const [anna] = circle.members;
    await t.gql(
      ADD_TASK,
      { c: circle.circleId, i: { title: "Douchen", categoryId: CAT.company, notes: "Valgevaar", ...localSlot(t, 24), durationMinutes: 60, weekdays: [] } },
      circle.coordinator.token,
    );
    await t.app.services.care.sweep();
    const [gap] = await shiftsOf(t, circle.circleId, circle.coordinator.token);
    expect(gap.helpRequestId).toMatch(/^hr_/);
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.company] });
    const bystander = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.company] });
    for (const who of [circle.coordinator, anna!, volunteer, bystander]) await emailOn(who);
    await emailOn(volunteer, "EN");

    // Before the volunteer covers the shift, a message on it is the circle's only.
    expect((await t.gql(POST_SHIFT, { s: gap.id, b: "De sleutel ligt bij de buren" }, anna!.token)).errors).toBeUndefined();
    await settle();
    await box.waitFor(() => got(circle.coordinator, gap.id).length >= 1, 10_000, "the coordinator hears of the first message");
    expect(got(volunteer, gap.id)).toEqual([]);

    expect((await t.gql(ACCEPT, { id: gap.helpRequestId }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    expect((await t.gql(POST_SHIFT, { s: gap.id, b: "Neem de sleutel mee" }, anna!.token)).errors).toBeUndefined();
    await settle();
    await box.waitFor(() => got(volunteer, gap.id).length >= 1, 10_000, "the covering volunteer hears of the message");
    expect(got(volunteer, gap.id)).toHaveLength(1);
    expect(got(volunteer, gap.id)[0]!.mail.subject).toBe("A new message on a shift");
    expect(got(volunteer, gap.id)[0]!.mail.text).toContain("There is a new message about the shift on");

    // The volunteer answers: the members hear of it, the volunteer does not.
    expect((await t.gql(POST_SHIFT, { s: gap.id, b: "Ik heb de sleutel" }, volunteer.token)).errors).toBeUndefined();
    await settle();
    await box.waitFor(() => got(anna!, gap.id).length >= 1 && got(circle.coordinator, gap.id).length >= 3, 10_000, "the members hear of the answer");
    await settle();
    expect(got(volunteer, gap.id)).toHaveLength(1);
    expect(got(anna!, gap.id)).toHaveLength(1);
    expect(got(circle.coordinator, gap.id)).toHaveLength(3);

    // Given back: the volunteer hears of the thread no more.
    expect((await t.gql(RELEASE, { id: gap.helpRequestId }, volunteer.token)).errors).toBeUndefined();
    expect((await t.gql(POST_SHIFT, { s: gap.id, b: "Wie neemt het over?" }, anna!.token)).errors).toBeUndefined();
    await settle();
    await box.waitFor(() => got(circle.coordinator, gap.id).length >= 4, 10_000, "the coordinator hears of the last message");
    await settle();
    expect(got(volunteer, gap.id)).toHaveLength(1);
    expect(got(bystander, gap.id)).toEqual([]);
    expectClean([...got(volunteer, gap.id), ...got(anna!, gap.id), ...got(circle.coordinator, gap.id)]);
  });
});
