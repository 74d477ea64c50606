import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, NB, buildCoordinator, buildPerson } from "../support/builders.js";
import { CHECK_IN, DAY, MATCH, SIGNALS, buildBuddy, buildProgramme, participantAccount, refer } from "../support/buddy-builders.js";
import { type Mailbox, type Received, startMailbox, expectNoSecrets } from "../support/mailbox.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
const MINE = `{ myNotifications(first: 100) { edges { node { kind status aboutId link } } } }`;
const ADD_COORDINATOR = `mutation($p: ID!, $person: ID!) { addBuddyProgrammeCoordinator(programmeId: $p, personId: $person) { id } }`;

/** What a message about a missed check-in never carries: who is in the match, what a check-in said, the programme's name. */
const SECRETS = ["Amal", "Bashir", "Bram", "Carla", "bibliotheek", "Taalmaatjes"];

const expectClean = (messages: Received[]) => expectNoSecrets(messages, SECRETS);

describe.each(backends())("notifications of missed buddy check-ins on $name", (backend: Backend) => {
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

  const got = (who: Account, programmeId: string): Received[] => box.to(who.email).filter((m) => m.mail.text?.includes(`${APP_URL}/buddy-programmes/${programmeId}`));

  async function settle(): Promise<void> {
    for (let i = 0; i < 2; i++) expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
  }

  it("a missed check-in reaches the programme's coordinators once each, in their language; not the match's people, nor another programme's coordinators", async () => {
    const p = await buildProgramme(t);
    const other = await buildProgramme(t);
    const organiser = p.org.organiser;
    const extra = await buildPerson(t, { firstName: "Els" });
    expect((await t.gql(ADD_COORDINATOR, { p: p.id, person: extra.id }, organiser.token)).errors).toBeUndefined();
    expect((await t.gql(PREFERENCES, { input: { language: "EN" } }, extra.token)).errors).toBeUndefined();

    const amal = await participantAccount(t, "Amal", NB.wielwijk);
    const bashir = await participantAccount(t, "Bashir", NB.wielwijk);
    const first = await refer(t, organiser.token, p.id, { personId: amal.id });
    const second = await refer(t, organiser.token, p.id, { personId: bashir.id });
    const bram = await buildBuddy(t, p, { firstName: "Bram" });
    const carla = await buildBuddy(t, p, { firstName: "Carla" });
    const missing = await t.gql(MATCH, { input: { participantId: first.id, buddyId: bram.id } }, organiser.token);
    expect(missing.errors).toBeUndefined();
    const keeping = await t.gql(MATCH, { input: { participantId: second.id, buddyId: carla.id } }, organiser.token);
    expect(keeping.errors).toBeUndefined();
    const missingId = missing.data.matchBuddy.id as string;
    const keepingId = keeping.data.matchBuddy.id as string;

    // A week on, one match checks in and the other does not; past the grace days the sweep signals the miss.
    t.clock.advance(6 * DAY);
    expect((await t.gql(CHECK_IN, { id: keepingId, note: "Samen naar de bibliotheek" }, bashir.token)).errors).toBeUndefined();
    t.clock.advance(5 * DAY);
    await t.app.services.sweeps.run();
    const signals = (await t.gql(SIGNALS, { id: p.id }, organiser.token)).data.buddyProgramme.signals;
    expect(signals.map((s: { kind: string; match: { id: string } }) => [s.kind, s.match.id])).toEqual([["MISSED_CHECKIN", missingId]]);

    await settle();
    await box.waitFor(() => got(organiser, p.id).length >= 1 && got(extra, p.id).length >= 1, 10_000, "the coordinators hear of the missed check-in");
    await settle();
    await t.app.services.sweeps.run();
    await settle();
    expect(got(organiser, p.id)).toHaveLength(1);
    expect(got(organiser, p.id)[0]!.mail.subject).toBe("Een contactmoment in je maatjesproject is gemist");
    expect(got(extra, p.id)).toHaveLength(1);
    expect(got(extra, p.id)[0]!.mail.subject).toBe("A check-in in your buddy programme was missed");
    expect(got(extra, p.id)[0]!.mail.text).toContain("buddy programme");
    for (const who of [amal, bashir, bram.volunteer, carla.volunteer, other.org.organiser]) {
      expect(box.to(who.email).filter((m) => m.mail.text?.includes("/buddy-programmes/"))).toEqual([]);
    }
    const mine = (await t.gql(MINE, {}, organiser.token)).data.myNotifications.edges.map((e: { node: unknown }) => e.node);
    expect(mine.filter((n: { kind: string }) => n.kind === "BUDDY_CHECKIN_MISSED")).toEqual([
      { kind: "BUDDY_CHECKIN_MISSED", status: "SENT", aboutId: p.id, link: `${APP_URL}/buddy-programmes/${p.id}` },
    ]);
    expectClean([...got(organiser, p.id), ...got(extra, p.id)]);
  });

  it("a signal acknowledged before its message is decided is not told", async () => {
    const p = await buildProgramme(t);
    const organiser = p.org.organiser;
    const person = await participantAccount(t, "Amal", NB.wielwijk);
    const row = await refer(t, organiser.token, p.id, { personId: person.id });
    const buddy = await buildBuddy(t, p, { firstName: "Bram" });
    expect((await t.gql(MATCH, { input: { participantId: row.id, buddyId: buddy.id } }, organiser.token)).errors).toBeUndefined();
    t.clock.advance(11 * DAY);
    // The buddy sweep alone, so the signal is there before the notifications' pass decides it.
    await t.app.services.buddies.matches.sweep();
    const [signal] = (await t.gql(SIGNALS, { id: p.id }, organiser.token)).data.buddyProgramme.signals;
    expect((await t.gql(`mutation($id: ID!) { acknowledgeBuddySignal(id: $id) { acknowledgedAt } }`, { id: signal.id }, organiser.token)).errors).toBeUndefined();
    await settle();
    await settle();
    expect(got(organiser, p.id)).toEqual([]);
    // The next missed check-in, not acknowledged, is told: what kept the first quiet was the acknowledgement.
    t.clock.advance(7 * DAY);
    await t.app.services.sweeps.run();
    await settle();
    await box.waitFor(() => got(organiser, p.id).length >= 1, 10_000, "the next missed check-in is told");
    await settle();
    expect(got(organiser, p.id)).toHaveLength(1);
  });
});
