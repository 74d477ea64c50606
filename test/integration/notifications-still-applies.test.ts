import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, NB, TEAM, buildCoordinator, buildPerson, buildProfessional } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
const MINE = `{ myNotifications(first: 100) { edges { node { kind status aboutId } } } }`;
const DIRECT = `mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { escalationId } }`;
const REVOKE = `mutation($p: ID!) { revokeRole(personId: $p, role: PROFESSIONAL) }`;

/** Amsterdam wall-clock time `minutes` from the server's now, as HH:MM. */
function amsterdam(t: TestApp, minutes: number): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(t.clock.now().getTime() + minutes * 60_000),
  );
}

/**
 * A message decided earlier can wait (quiet hours, a retry). When its time comes it is checked against
 * the present: someone who left the team or lost the role in between is not told.
 */
describe.each(backends())("a waiting notification is sent only if it still applies, on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let coordinator: Account;

  const sweep = async () => expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
  const mine = async (who: Account) =>
    (await t.gql(MINE, {}, who.token)).data.myNotifications.edges.map((e: { node: { kind: string; status: string; aboutId: string } }) => e.node);

  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url, CLOCK_CONTROL: "true", APP_URL });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  it("a new case held by quiet hours: a professional still in the team gets it when they end; one who lost the role meanwhile does not (SKIPPED)", async () => {
    const stays = await buildProfessional(t, TEAM.westSocial, coordinator);
    const leaves = await buildProfessional(t, TEAM.westSocial, coordinator);
    // Both are in quiet hours from an hour ago until two hours from now (Amsterdam).
    for (const p of [stays, leaves])
      expect((await t.gql(PREFERENCES, { input: { quietHours: { start: amsterdam(t, -60), end: amsterdam(t, 120) } } }, p.token)).errors).toBeUndefined();
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const raised = await t.gql(DIRECT, { i: { reason: "FINANCIAL", note: "Schulden" } }, resident.token);
    expect(raised.errors).toBeUndefined();
    const caseId = raised.data.askProfessionalHelp.escalationId as string;
    await sweep();
    expect((await mine(stays)).filter((n: { aboutId: string }) => n.aboutId === caseId)).toMatchObject([{ kind: "TEAM_CASE_NEW", status: "PENDING" }]);
    expect((await mine(leaves)).filter((n: { aboutId: string }) => n.aboutId === caseId)).toMatchObject([{ kind: "TEAM_CASE_NEW", status: "PENDING" }]);

    expect((await t.gql(REVOKE, { p: leaves.id }, coordinator.token)).errors).toBeUndefined();
    expect((await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: 3 }, coordinator.token)).errors).toBeUndefined();
    await sweep();
    await box.waitFor(() => box.to(stays.email).some((m) => m.mail.text?.includes(`escalations/${caseId}`)), 10_000, "the case to the one who stayed");
    await sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect(box.to(leaves.email).filter((m) => m.mail.text?.includes(`escalations/${caseId}`))).toHaveLength(0);
    expect((await mine(stays)).filter((n: { aboutId: string }) => n.aboutId === caseId)).toMatchObject([{ status: "SENT" }]);
    expect((await mine(leaves)).filter((n: { aboutId: string }) => n.aboutId === caseId)).toMatchObject([{ status: "SKIPPED" }]);
  });
});
