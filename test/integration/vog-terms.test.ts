import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/env.js";
import { backends } from "../support/backends.js";
import { ASK, type Account, CAT, NB, askForHelp, birthDateForAge, buildCoordinator, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type Mailbox, startMailbox } from "../support/mailbox.js";
import { startServerProcess } from "../support/server-process.js";
import { TEST_JWT_SECRET, type TestApp, codeOf, collect, gql, reasonOf, startTestApp } from "../support/test-app.js";

const ZONE = "Europe/Amsterdam";
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const DECLARE = `mutation($d: String!) { declareVog(issuedOn: $d) { vogStatus vogIssuedOn vogExpiresOn } }`;
const REVIEW = `mutation($p: ID!, $v: Boolean!, $d: String) { reviewVog(personId: $p, verified: $v, issuedOn: $d) { vogStatus vogIssuedOn vogExpiresOn } }`;
const PROFILE = `{ myVolunteerProfile { vogStatus vogIssuedOn vogExpiresOn } }`;
const STATE = `query($id: ID!) { helpRequest(id: $id) { status vogRequired volunteer { id } history { fromStatus toStatus note actor { id } } } }`;
const BROWSE = `{ openHelpRequests(first: 100) { edges { node { id vogRequired } } } }`;
const POSTED = `subscription { helpRequestPosted { helpRequest { id vogRequired } } }`;
const QUEUE = `query($first: Int, $after: String) { vogReviewQueue(first: $first, after: $after) { totalCount edges { cursor node { volunteer { id firstName } vogIssuedOn declaredAt } } pageInfo { hasNextPage endCursor } } }`;
const SET_RULE = `mutation($c: ID!, $v: Boolean!) { setHelpCategoryVogRequired(categoryId: $c, vogRequired: $v) { id vogRequired } }`;

/** Amsterdam's calendar day of the server's clock, whatever zone this process runs in. */
const today = (t: TestApp) => DateTime.fromJSDate(t.clock.now(), { zone: ZONE }).startOf("day");
/** Moves the clock to the next time Amsterdam's wall clock shows hh:mm. */
const moveTo = (t: TestApp, hour: number, minute: number) => {
  const now = DateTime.fromJSDate(t.clock.now(), { zone: ZONE });
  let at = now.set({ hour, minute, second: 0, millisecond: 0 });
  if (at <= now) at = at.plus({ days: 1 });
  t.clock.advance(at.toMillis() - now.toMillis());
};
/** Moves the clock to `minutes` past midnight of the next Amsterdam day. */
const nextDay = (t: TestApp, minutes: number) => {
  const now = DateTime.fromJSDate(t.clock.now(), { zone: ZONE });
  t.clock.advance(now.startOf("day").plus({ days: 1, minutes }).toMillis() - now.toMillis());
};
const settle = () => new Promise((r) => setTimeout(r, 400));
const browsed = async (t: TestApp, who: Account): Promise<string[]> => {
  const r = await t.gql(BROWSE, {}, who.token);
  expect(r.errors).toBeUndefined();
  return r.data.openHelpRequests.edges.map((e: { node: { id: string } }) => e.node.id);
};

/**
 * A VOG counts for VOG_VALID_MONTHS after its issue date, by Amsterdam's calendar; at the end of its
 * term the sweep ends it as a rejection would. Run this file with TZ=America/Sao_Paulo as well.
 */
describe.each(backends())("VOG terms on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  let carer: Account;
  let volunteer: Account;
  let follow: ReturnType<typeof collect<any>>;
  let matched: string;
  let plain: string;
  let waiting: string;
  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true" });
    coordinator = await buildCoordinator(t);
    carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk });
  });
  afterAll(async () => t?.close());

  /** A request for a child of 12 in Wielwijk: it needs a VOG. */
  const forChild = async (firstName: string) => {
    const r = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.groceries,
          title: "Naar de sportclub",
          description: "Brengen en halen",
          ...window(t, 30, 96),
          personHelped: { firstName, neighbourhoodId: NB.wielwijk, address: "Schoolstraat 3", birthDate: birthDateForAge(t, 12) },
        },
      },
      carer.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.askForHelp.vogRequired).toBe(true);
    return r.data.askForHelp.id as string;
  };

  /** A volunteer whose VOG, issued `issuedOn`, a coordinator verified. */
  const withVog = async (issuedOn: string, firstName = "Vera") => {
    const v = await buildVolunteer(t, { firstName });
    expect((await t.gql(DECLARE, { d: issuedOn }, v.token)).errors).toBeUndefined();
    const reviewed = await t.gql(REVIEW, { p: v.id, v: true, d: null }, coordinator.token);
    expect(reviewed.errors).toBeUndefined();
    return v;
  };

  it("a VOG issued 3 years minus a day ago counts until Amsterdam's midnight; then the sweep releases the matches that need it, with a reason, and browse, accept and the live feed leave VOG requests out", async () => {
    const issued = today(t).minus({ years: 3 }).plus({ days: 1 });
    volunteer = await withVog(issued.toISODate()!);
    const tomorrow = today(t).plus({ days: 1 }).toISODate()!;
    expect((await t.gql(PROFILE, {}, volunteer.token)).data.myVolunteerProfile).toEqual({ vogStatus: "VERIFIED", vogIssuedOn: issued.toISODate(), vogExpiresOn: tomorrow });

    matched = await forChild("Sem");
    const adult = await buildPerson(t, { firstName: "Gert", neighbourhoodId: NB.wielwijk });
    plain = (await askForHelp(t, adult.token, window(t, 30, 96))).id;
    for (const id of [matched, plain]) expect((await t.gql(ACCEPT, { id }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    waiting = await forChild("Lotte");
    expect(await browsed(t, volunteer)).toContain(waiting);
    follow = collect(t.ws(volunteer.token), POSTED);
    await settle();
    const before = await forChild("Noor");
    expect((await follow.next(5000)).data.helpRequestPosted.helpRequest).toEqual({ id: before, vogRequired: true });

    // 23:59 in Amsterdam (in Sao Paulo's calendar it is still the afternoon): the VOG still counts.
    moveTo(t, 23, 59);
    await t.app.services.sweeps.run();
    expect((await t.gql(STATE, { id: matched }, carer.token)).data.helpRequest.status).toBe("MATCHED");
    expect(await browsed(t, volunteer)).toContain(waiting);

    // 00:01 the next Amsterdam day: its term has ended. Even before the sweep nothing that needs a VOG is offered.
    nextDay(t, 1);
    expect(await browsed(t, volunteer)).not.toContain(waiting);
    const refused = await t.gql(ACCEPT, { id: waiting }, volunteer.token);
    expect([codeOf(refused), reasonOf(refused)]).toEqual(["FORBIDDEN", "VOG_REQUIRED"]);

    await t.app.services.sweeps.run();
    const state = (await t.gql(STATE, { id: matched }, carer.token)).data.helpRequest;
    expect(state.status).toBe("OPEN");
    expect(state.volunteer).toBeNull();
    expect(state.history.at(-1)).toMatchObject({ fromStatus: "MATCHED", toStatus: "OPEN", actor: null });
    expect(state.history.at(-1).note).toMatch(/VOG has passed its term/);
    expect((await t.gql(PROFILE, {}, volunteer.token)).data.myVolunteerProfile).toEqual({ vogStatus: "EXPIRED", vogIssuedOn: issued.toISODate(), vogExpiresOn: tomorrow });
    // The match that needed no VOG stays.
    const mine = await t.gql(`{ myHelpRequests(relation: HELPING) { edges { node { id status } } } }`, {}, volunteer.token);
    expect(mine.data.myHelpRequests.edges.map((e: any) => e.node)).toEqual([{ id: plain, status: "MATCHED" }]);
    expect(await browsed(t, volunteer)).not.toContain(matched);
    expect(reasonOf(await t.gql(ACCEPT, { id: matched }, volunteer.token))).toBe("VOG_REQUIRED");

    // The open feed: a new request that needs a VOG is not delivered, one that does not is.
    const needsVog = await forChild("Fenna");
    const open = (await askForHelp(t, adult.token, window(t, 30, 96))).id;
    expect((await follow.next(5000)).data.helpRequestPosted.helpRequest).toEqual({ id: open, vogRequired: false });
    expect(await follow.quiet(400)).toBe(true);
    expect(JSON.stringify(follow.items)).not.toContain(needsVog);

    // Once per volunteer: a second pass changes nothing.
    await t.app.services.sweeps.run();
    const again = (await t.gql(STATE, { id: matched }, carer.token)).data.helpRequest;
    expect(again.history.filter((h: { note: string | null }) => /passed its term/.test(h.note ?? ""))).toHaveLength(1);
  });

  it("a renewed VOG waits in the coordinators' review queue, oldest first, and once verified restores browse, accept and the live feed", async () => {
    const other = await buildVolunteer(t, { firstName: "Otto" });
    const renewed = await t.gql(DECLARE, { d: today(t).toISODate() }, volunteer.token);
    expect(renewed.data.declareVog).toEqual({ vogStatus: "PENDING", vogIssuedOn: today(t).toISODate(), vogExpiresOn: null });
    t.clock.advance(60_000);
    expect((await t.gql(DECLARE, { d: today(t).minus({ days: 3 }).toISODate() }, other.token)).errors).toBeUndefined();
    // Still pending: nothing that needs a VOG.
    expect(await browsed(t, volunteer)).not.toContain(waiting);

    const first = await t.gql(QUEUE, { first: 1 }, coordinator.token);
    expect(first.errors).toBeUndefined();
    expect(first.data.vogReviewQueue.totalCount).toBe(2);
    expect(first.data.vogReviewQueue.edges.map((e: any) => e.node)).toEqual([
      { volunteer: { id: volunteer.id, firstName: "Vera" }, vogIssuedOn: today(t).toISODate(), declaredAt: expect.any(String) },
    ]);
    expect(first.data.vogReviewQueue.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql(QUEUE, { first: 10, after: first.data.vogReviewQueue.pageInfo.endCursor }, coordinator.token);
    expect(second.data.vogReviewQueue.edges.map((e: any) => e.node.volunteer.id)).toEqual([other.id]);
    expect(second.data.vogReviewQueue.pageInfo.hasNextPage).toBe(false);
    expect(new Date(first.data.vogReviewQueue.edges[0].node.declaredAt) < new Date(second.data.vogReviewQueue.edges[0].node.declaredAt)).toBe(true);

    const verified = await t.gql(REVIEW, { p: volunteer.id, v: true, d: null }, coordinator.token);
    expect(verified.data.reviewVog).toEqual({ vogStatus: "VERIFIED", vogIssuedOn: today(t).toISODate(), vogExpiresOn: today(t).plus({ years: 3 }).toISODate() });
    expect((await t.gql(QUEUE, {}, coordinator.token)).data.vogReviewQueue.edges.map((e: any) => e.node.volunteer.id)).toEqual([other.id]);

    expect(await browsed(t, volunteer)).toEqual(expect.arrayContaining([waiting, matched]));
    expect((await t.gql(ACCEPT, { id: matched }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    const needsVog = await forChild("Jip");
    const got = await follow.next(5000);
    expect(got.data.helpRequestPosted.helpRequest).toEqual({ id: needsVog, vogRequired: true });
    follow.unsubscribe();
  });

  it("VOG_TERM_ENDED: a VOG whose term has already ended cannot be declared or verified; a rejection may still name it", async () => {
    const v = await buildVolunteer(t);
    const ended = today(t).minus({ years: 3 }).toISODate()!;
    const declared = await t.gql(DECLARE, { d: ended }, v.token);
    expect(declared.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "VOG_TERM_ENDED", field: "issuedOn" });
    expect((await t.gql(PROFILE, {}, v.token)).data.myVolunteerProfile.vogStatus).toBe("NONE");
    const lastDay = today(t).minus({ years: 3 }).plus({ days: 1 }).toISODate()!;
    expect((await t.gql(DECLARE, { d: lastDay }, v.token)).data.declareVog.vogStatus).toBe("PENDING");
    const verified = await t.gql(REVIEW, { p: v.id, v: true, d: ended }, coordinator.token);
    expect(verified.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "VOG_TERM_ENDED", field: "issuedOn" });
    expect((await t.gql(REVIEW, { p: v.id, v: false, d: null }, coordinator.token)).data.reviewVog.vogStatus).toBe("REJECTED");
  });

  it("COORDINATOR_ONLY: a volunteer, a resident or anyone anonymous can neither read the review queue nor change a category's VOG rule", async () => {
    const v = await buildVolunteer(t);
    const resident = await buildPerson(t);
    for (const who of [v, resident]) {
      const queue = await t.gql(QUEUE, {}, who.token);
      expect([codeOf(queue), reasonOf(queue)]).toEqual(["FORBIDDEN", "COORDINATOR_ONLY"]);
      expect(queue.data?.vogReviewQueue ?? null).toBeNull();
      const rule = await t.gql(SET_RULE, { c: CAT.transport, v: true }, who.token);
      expect([codeOf(rule), reasonOf(rule)]).toEqual(["FORBIDDEN", "COORDINATOR_ONLY"]);
    }
    expect(codeOf(await t.gql(QUEUE, {}))).toBe("UNAUTHENTICATED");
    expect(codeOf(await t.gql(SET_RULE, { c: CAT.transport, v: true }))).toBe("UNAUTHENTICATED");
    const cats = await t.gql(`{ helpCategories { id vogRequired } }`);
    expect(cats.data.helpCategories.find((c: { id: string }) => c.id === CAT.transport).vogRequired).toBe(false);
  });

  it("a coordinator decides per category whether its requests need a VOG: new requests (a care circle's gaps too) follow the rule, asked ones keep theirs, minors always need one", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const noVog = await buildVolunteer(t, { categoryIds: [CAT.transport, CAT.groceries] });
    const before = await askForHelp(t, resident.token, { categoryId: CAT.transport });
    expect(before.vogRequired).toBe(false);

    const set = await t.gql(SET_RULE, { c: CAT.transport, v: true }, coordinator.token);
    expect(set.data.setHelpCategoryVogRequired).toEqual({ id: CAT.transport, vogRequired: true });
    expect((await t.gql(`{ helpCategories { id vogRequired } }`)).data.helpCategories.filter((c: any) => c.vogRequired).map((c: any) => c.id)).toEqual([CAT.transport]);
    const after = await askForHelp(t, resident.token, { categoryId: CAT.transport });
    expect(after.vogRequired).toBe(true);
    // Asking for a VOG is still possible in a category without the rule.
    expect((await askForHelp(t, resident.token, { categoryId: CAT.groceries, vogRequired: true })).vogRequired).toBe(true);
    expect((await askForHelp(t, resident.token, { categoryId: CAT.groceries })).vogRequired).toBe(false);
    const shown = await browsed(t, noVog);
    expect(shown).toContain(before.id);
    expect(shown).not.toContain(after.id);
    expect(reasonOf(await t.gql(ACCEPT, { id: after.id }, noVog.token))).toBe("VOG_REQUIRED");
    expect((await t.gql(ACCEPT, { id: before.id }, noVog.token)).data.acceptHelpRequest.status).toBe("MATCHED");

    // A request the platform asks itself (a care circle's uncovered shift) follows the rule too.
    const carerOfRiet = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Henk" });
    const circle = await t.gql(
      `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
      { i: { name: "Zorg voor moeder", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } },
      carerOfRiet.token,
    );
    const circleId = circle.data.createCareCircle.id as string;
    const startDate = today(t).plus({ days: 1 }).toISODate();
    const task = { title: "Vervoer", categoryId: CAT.transport, startDate, startTime: "10:00", durationMinutes: 60 };
    expect(
      (await t.gql(`mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`, { c: circleId, i: task }, carerOfRiet.token)).errors,
    ).toBeUndefined();
    await t.app.services.sweeps.run();
    const shifts = await t.gql(`query($c: ID!) { careCircle(id: $c) { shifts(first: 10) { edges { node { helpRequestId } } } } }`, { c: circleId }, carerOfRiet.token);
    const gapId = shifts.data.careCircle.shifts.edges[0].node.helpRequestId as string;
    expect((await t.gql(STATE, { id: gapId }, carerOfRiet.token)).data.helpRequest.vogRequired).toBe(true);

    const unknown = await t.gql(SET_RULE, { c: "cat_nothing", v: true }, coordinator.token);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "UNKNOWN_CATEGORY", field: "categoryId" });

    expect((await t.gql(SET_RULE, { c: CAT.transport, v: false }, coordinator.token)).data.setHelpCategoryVogRequired.vogRequired).toBe(false);
    expect((await askForHelp(t, resident.token, { categoryId: CAT.transport })).vogRequired).toBe(false);
    // A minor needs a VOG in any category, ruled or not.
    const child = await t.gql(
      ASK,
      {
        input: {
          categoryId: CAT.transport,
          title: "Naar school",
          description: "Brengen",
          ...window(t),
          personHelped: { firstName: "Kim", neighbourhoodId: NB.wielwijk, birthDate: birthDateForAge(t, 9) },
        },
      },
      carer.token,
    );
    expect(child.data.askForHelp.vogRequired).toBe(true);
  });

  it("two instances, each its own process, sweeping at the same moment end each VOG and each match once", async () => {
    const second = await startServerProcess({
      NODE_ENV: "test",
      DATABASE_URL: t.databaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      CLOCK_CONTROL: "true",
      ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
    });
    try {
      const vols = [];
      const held: string[] = [];
      for (const name of ["Anna", "Bram", "Cor"]) {
        const v = await withVog(today(t).minus({ years: 3 }).plus({ days: 1 }).toISODate()!, name);
        for (const kid of [`${name} jr`, `${name} II`]) {
          const id = await forChild(kid);
          expect((await t.gql(ACCEPT, { id }, v.token)).data.acceptHelpRequest.status).toBe("MATCHED");
          held.push(id);
        }
        vols.push(v);
      }
      nextDay(t, 5);
      // The other process's clock to this one's (it starts at the real time).
      const hours = (t.clock.now().getTime() - Date.now()) / 3_600_000;
      expect((await gql(second.url, `mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, coordinator.token)).errors).toBeUndefined();
      const sweepBoth = () => Promise.all([t.url, second.url].map((url) => gql(url, `mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)));
      for (const r of [...(await sweepBoth()), ...(await sweepBoth())]) expect(r.errors).toBeUndefined();
      for (const id of held) {
        const h = (await t.gql(STATE, { id }, carer.token)).data.helpRequest;
        expect(h.status).toBe("OPEN");
        expect(h.history.filter((e: { toStatus: string }) => e.toStatus === "OPEN")).toHaveLength(2);
        expect(h.history.filter((e: { note: string | null }) => /passed its term/.test(e.note ?? ""))).toHaveLength(1);
      }
      for (const v of vols) expect((await t.gql(PROFILE, {}, v.token)).data.myVolunteerProfile.vogStatus).toBe("EXPIRED");
    } finally {
      await second.stop();
    }
  }, 120_000);
});

describe.each(backends())("one VOG term for validity and the reminder on $name", (backend) => {
  let t: TestApp;
  let box: Mailbox;
  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { VOG_VALID_MONTHS: "12", NOTIFY_VOG_REMINDER_DAYS: "30", SMTP_URL: box.url, NOTIFY_NEW_REQUESTS_PER_DAY: "0" });
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  it("VOG_VALID_MONTHS=12: the reminder names the day the term ends, and on that day the sweep ends the VOG", async () => {
    const coordinator = await buildCoordinator(t);
    const v = await buildVolunteer(t);
    expect((await t.gql(`mutation { updateNotificationPreferences(input: { language: EN }) { language } }`, {}, v.token)).errors).toBeUndefined();
    const issued = today(t).minus({ months: 12 }).plus({ days: 10 });
    expect((await t.gql(DECLARE, { d: issued.toISODate() }, v.token)).errors).toBeUndefined();
    const reviewed = await t.gql(REVIEW, { p: v.id, v: true, d: null }, coordinator.token);
    const ends = today(t).plus({ days: 10 });
    expect(reviewed.data.reviewVog.vogExpiresOn).toBe(ends.toISODate());

    await t.app.services.sweeps.run();
    await box.waitFor(() => box.to(v.email).some((m) => /VOG is about to expire/.test(m.mail.subject ?? "")), 10_000, "the VOG reminder");
    const text = box.to(v.email).find((m) => /VOG is about to expire/.test(m.mail.subject ?? ""))!.mail.text ?? "";
    expect(text).toContain(ends.setLocale("en-GB").toLocaleString(DateTime.DATE_FULL));

    // The evening before the term ends (Amsterdam's wall clock, whatever daylight saving does meanwhile).
    t.clock.advance(ends.minus({ days: 1 }).set({ hour: 23, minute: 30 }).toMillis() - t.clock.now().getTime());
    await t.app.services.sweeps.run();
    expect((await t.gql(PROFILE, {}, v.token)).data.myVolunteerProfile.vogStatus).toBe("VERIFIED");
    nextDay(t, 30);
    await t.app.services.sweeps.run();
    expect((await t.gql(PROFILE, {}, v.token)).data.myVolunteerProfile.vogStatus).toBe("EXPIRED");
  });
});

describe("the VOG term's setting", () => {
  it("VOG_VALID_MONTHS is the one term; its former name NOTIFY_VOG_VALID_MONTHS is still read; two different terms stop the process", () => {
    expect(loadConfig({}).vogValidMonths).toBe(36);
    expect(loadConfig({ VOG_VALID_MONTHS: "24" }).vogValidMonths).toBe(24);
    expect(loadConfig({ NOTIFY_VOG_VALID_MONTHS: "18" }).vogValidMonths).toBe(18);
    expect(loadConfig({ VOG_VALID_MONTHS: "24", NOTIFY_VOG_VALID_MONTHS: "24" }).vogValidMonths).toBe(24);
    expect(() => loadConfig({ VOG_VALID_MONTHS: "24", NOTIFY_VOG_VALID_MONTHS: "36" })).toThrow(/VOG_VALID_MONTHS/);
  });
});
