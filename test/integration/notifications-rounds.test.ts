import { DateTime } from "luxon";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, askForHelp, buildCoordinator, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const MINE = `{ myNotifications(first: 10) { edges { node { id kind status attempts aboutId sentAt } } } }`;
const DEAD = `{ deadNotifications(first: 50) { edges { node { id kind status attempts lastError aboutId recipient { id } } } } }`;
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
/** More fitting volunteers than the sender claims in one round (50), so one request is sent in two rounds. */
const VOLUNTEERS = 56;

interface Mail {
  to: string[];
  text: string;
}

/**
 * A real SMTP server on loopback that refuses one address for good (550 at RCPT TO), as a mail server
 * does for a mailbox that does not exist, and keeps what it accepts.
 */
async function startRefusingMailbox(refused: () => string | undefined) {
  const received: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() === refused()?.toLowerCase()) return callback(Object.assign(new Error("5.1.1 no such mailbox"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), text: mail.text ?? "" });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address: string) => received.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(backends())("notifications of one request sent over several rounds on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Awaited<ReturnType<typeof startRefusingMailbox>>;
  let refused: Account | undefined;

  beforeAll(async () => {
    box = await startRefusingMailbox(() => refused?.email);
    t = await startTestApp(backend, { SMTP_URL: box.url, CLOCK_CONTROL: "true" });
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  it("sends each fitting volunteer one message over two rounds, records each outcome on its own (SENT, DEAD for a refused address), in the reader's language and time zone", async () => {
    const coordinator = await buildCoordinator(t);
    const fits = { neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.company] };
    const volunteers: Account[] = [];
    for (let i = 0; i < VOLUNTEERS; i++) volunteers.push(await buildVolunteer(t, { firstName: `Vrijwilliger${i}`, ...fits }));
    const [english] = volunteers;
    refused = volunteers[VOLUNTEERS - 1];
    const reached = volunteers.slice(0, -1);
    expect((await t.gql(PREFERENCES, { input: { language: "EN" } }, english.token)).errors).toBeUndefined();
    const elsewhere = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.company] });
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    // 09:30 in Amsterdam two days on, whatever zone the server and this test run in.
    const start = DateTime.fromJSDate(t.clock.now(), { zone: "Europe/Amsterdam" }).plus({ days: 2 }).set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
    const request = await askForHelp(t, resident.token, {
      categoryId: CAT.company,
      windowStart: start.toUTC().toISO(),
      windowEnd: start.plus({ hours: 3 }).toUTC().toISO(),
    });

    await expect.poll(() => box.received.length, { timeout: 30_000, interval: 50 }).toBe(reached.length);
    // The sweeps' passes find nothing more to send, and nobody hears twice.
    for (let i = 0; i < 2; i++) expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(box.received).toHaveLength(reached.length);
    for (const v of reached) expect(box.to(v.email)).toHaveLength(1);
    expect(box.to(refused.email)).toHaveLength(0);
    expect(box.to(elsewhere.email)).toHaveLength(0);

    // The date as the reader reads it: Amsterdam's wall clock, in their language.
    const dutch = box.to(volunteers[1].email)[0].text;
    const en = box.to(english.email)[0].text;
    expect(dutch).toContain(`De hulp is gewenst vanaf ${start.setLocale("nl").toFormat("cccc d LLLL")}`);
    expect(dutch).toContain("09:30");
    expect(en).toContain(`Help is wanted from ${start.setLocale("en-GB").toFormat("cccc d LLLL")}`);
    expect(en).toContain("09:30");

    // Each delivery's own outcome, read by its recipient.
    for (const v of reached) {
      const r = await t.gql(MINE, {}, v.token);
      expect(r.errors).toBeUndefined();
      const mine = r.data.myNotifications.edges.map((e: { node: unknown }) => e.node);
      expect(mine).toMatchObject([{ kind: "HELP_REQUEST_NEW", aboutId: request.id, status: "SENT", attempts: 1 }]);
      expect(mine[0].sentAt).not.toBeNull();
    }
    const own = await t.gql(MINE, {}, refused.token);
    expect(own.data.myNotifications.edges).toMatchObject([{ node: { aboutId: request.id, status: "DEAD", attempts: 1, sentAt: null } }]);
    // The coordinator sees the one refused for good among the dead letters, the sent ones not.
    const letters = await t.gql(DEAD, {}, coordinator.token);
    expect(letters.errors).toBeUndefined();
    const dead = letters.data.deadNotifications.edges.map((e: { node: { aboutId: string } }) => e.node).filter((n: { aboutId: string }) => n.aboutId === request.id);
    expect(dead).toMatchObject([{ kind: "HELP_REQUEST_NEW", status: "DEAD", attempts: 1, recipient: { id: refused.id } }]);
    expect(dead[0].lastError).toMatch(/550/);
  }, 120_000);
});
