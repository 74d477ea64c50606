import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mailbox, type Received, startMailbox } from "../support/mailbox.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { gql } from "../support/test-app.js";

const VOLUNTEERS = 5;

/**
 * Notifications survive a SIGKILL of the server: deliveries decided but not sent are sent after a
 * restart, once, and nothing is decided twice. The mail server holds messages (takes their data, never
 * answers), so the server is killed with sends claimed and in flight, or right after the commit that
 * causes them, before it decided anything.
 */
describe("notifications across a SIGKILL (SQLite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-notify-crash-"));
  const file = join(dir, "crash.sqlite");
  let box: Mailbox;
  let env: Record<string, string>;
  let server: ServerProcess | null = null;
  let requester: string;
  const volunteers: string[] = [];

  beforeAll(async () => {
    box = await startMailbox();
    env = {
      NODE_ENV: "production",
      DATABASE_URL: file,
      JWT_SECRET: "notify-crash-test-secret-long-enough-for-hs256",
      SEED_ON_EMPTY: "true",
      SWEEP_INTERVAL_MS: "200",
      SMTP_URL: box.url,
      // A claim whose sender died runs out after 2 s; then another pass claims it again. A send that timed
      // out before the kill (the mail server holds it; the timeout is a third of the lease) is tried again soon.
      NOTIFY_LEASE_SECONDS: "2",
      NOTIFY_RETRY_BASE_SECONDS: "0.05",
    };
    server = await startServerProcess(env);
    const register = async (email: string, roles: string[]) => {
      const r = await gql(server!.url, `mutation($i: RegisterInput!) { register(input: $i) { token } }`, {
        i: { email, password: "correct horse battery", firstName: "Crash", lastName: "Test", neighbourhoodId: "nb_dordrecht-wielwijk", roles },
      });
      expect(r.errors).toBeUndefined();
      return r.data.register.token as string;
    };
    requester = await register("requester@crash.example", []);
    for (let i = 0; i < VOLUNTEERS; i++) {
      const token = await register(`volunteer-${i}@crash.example`, ["VOLUNTEER"]);
      const p = await gql(
        server.url,
        `mutation($i: VolunteerProfileInput!) { updateVolunteerProfile(input: $i) { vogStatus } }`,
        { i: { categoryIds: ["cat_groceries"], neighbourhoodIds: ["nb_dordrecht-wielwijk"], languages: ["nl"], availability: [] } },
        token,
      );
      expect(p.errors).toBeUndefined();
      volunteers.push(`volunteer-${i}@crash.example`);
    }
  }, 90_000);

  afterAll(async () => {
    await server?.stop("SIGKILL");
    await box?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = async () => {
    const now = Date.now();
    const r = await gql(
      server!.url,
      `mutation($i: AskForHelpInput!) { askForHelp(input: $i) { id } }`,
      {
        i: {
          categoryId: "cat_groceries",
          title: "Boodschappen",
          description: "Na de crash",
          windowStart: new Date(now + 3600_000).toISOString(),
          windowEnd: new Date(now + 48 * 3600_000).toISOString(),
        },
      },
      requester,
    );
    expect(r.errors).toBeUndefined();
    return r.data.askForHelp.id as string;
  };
  const about = (id: string): Received[] => box.received.filter((m) => m.mail.text?.includes(`/help-requests/${id}`));
  /** The request's deliveries by status, read from the database file. */
  const statuses = (id: string): Record<string, number> => {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const rows = db.prepare("select status, count(*) as n from notification_deliveries where subject_id = ? group by status").all(id) as { status: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    } finally {
      db.close();
    }
  };
  const until = async (what: string, check: () => boolean, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: received ${box.received.length}, held ${box.held}; ${server?.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const expectEachOnce = (id: string) => {
    const messages = about(id);
    expect(messages.map((m) => m.to[0]).sort()).toEqual([...volunteers].sort());
    expect(new Set(messages.map((m) => m.mail.messageId)).size).toBe(VOLUNTEERS);
    expect(statuses(id)).toEqual({ SENT: VOLUNTEERS });
  };

  it("sends what was decided and claimed but not sent when the server was killed, once, after a restart", async () => {
    box.hold(2);
    const id = await ask();
    // Two messages accepted (and recorded SENT), the others taken by the mail server but never answered.
    await until("two sent and the rest in flight", () => about(id).length === 2 && box.held > 0 && statuses(id).SENT === 2);
    const before = statuses(id);
    expect(before.SENT).toBe(2);
    expect((before.SENDING ?? 0) + (before.FAILED ?? 0)).toBe(VOLUNTEERS - 2);
    await server!.stop("SIGKILL");
    box.release();
    server = await startServerProcess(env);
    await until("every volunteer's message", () => about(id).length >= VOLUNTEERS && statuses(id).SENT === VOLUNTEERS);
    // Further passes (every 200 ms) send nothing again.
    await new Promise((r) => setTimeout(r, 1000));
    expectEachOnce(id);
  }, 60_000);

  it("decides and sends what a request committed just before the kill, once", async () => {
    box.hold(0);
    const id = await ask();
    // Killed as soon as the request is acknowledged: before, while or after its deliveries are decided.
    await server!.stop("SIGKILL");
    box.release();
    server = await startServerProcess(env);
    await until("every volunteer's message", () => about(id).length >= VOLUNTEERS && statuses(id).SENT === VOLUNTEERS);
    await new Promise((r) => setTimeout(r, 1000));
    expectEachOnce(id);
  }, 60_000);
});
