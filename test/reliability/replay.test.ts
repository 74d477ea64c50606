import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, SIGN_UP, askForHelp, buildCoordinator, buildOrganisation, buildPerson, buildVolunteer, postInitiative } from "../support/builders.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

const CHANGED = `subscription($id: ID!, $since: String) { helpRequestChanged(id: $id, since: $since) { cursor sequence kind helpRequest { status } } }`;
const POSTED = `subscription($since: String) { helpRequestPosted(since: $since) { cursor sequence kind helpRequest { id title } } }`;
const settle = () => new Promise((r) => setTimeout(r, 300));

describe.each(backends())("no event lost across a reconnect on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("replays what a subscriber missed while away, exactly once and in order, then continues live", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const first = t.ws(resident.token);
    const sub = collect(first, CHANGED, { id: req.id });
    await settle();
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    const seen = await sub.next(2000);
    expect(seen.data.helpRequestChanged).toMatchObject({ kind: "MATCHED" });
    const cursor = seen.data.helpRequestChanged.cursor as string;
    await first.dispose(); // the socket drops

    // Changes while away, and noise on another request.
    const other = await askForHelp(t, resident.token);
    await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    await t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { id } }`, { id: other.id }, resident.token);
    await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);

    const again = collect(t.ws(resident.token), CHANGED, { id: req.id, since: cursor });
    const replayed = [await again.next(2000), await again.next(2000)].map((r) => r.data.helpRequestChanged);
    expect(replayed.map((r) => r.kind)).toEqual(["IN_PROGRESS", "DONE"]);
    expect(replayed[0].sequence).toBeGreaterThan(Number(cursor));
    expect(replayed[1].sequence).toBeGreaterThan(replayed[0].sequence);
    expect(await again.quiet(400)).toBe(true); // nothing twice
  });

  it("replays posted requests for a volunteer, filtered by what they may see, then delivers new ones once", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn] });
    const client = t.ws(volunteer.token);
    const sub = collect(client, POSTED);
    await settle();
    await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn, title: "voor" });
    const cursor = (await sub.next(2000)).data.helpRequestPosted.cursor;
    await client.dispose();
    const missed = [];
    for (const title of ["a", "b", "c"]) missed.push((await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn, title })).id);
    await askForHelp(t, resident.token, { neighbourhoodId: NB.dubbeldam, title: "elders" }); // not for this volunteer
    const again = collect(t.ws(volunteer.token), POSTED, { since: cursor });
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await again.next(2000)).data.helpRequestPosted);
    expect(got.map((g) => g.helpRequest.id)).toEqual(missed);
    expect(got.map((g) => g.sequence)).toEqual([...got.map((g) => g.sequence)].sort((a, b) => a - b));
    const live = await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn, title: "live" });
    expect((await again.next(2000)).data.helpRequestPosted.helpRequest.id).toBe(live.id);
    expect(await again.quiet(400)).toBe(true);
  });

  it("replays initiatives published and sign-ups changed while a partner app or a participant was away", async () => {
    const PUBLISHED = `subscription($since: String) { initiativePublished(since: $since) { cursor sequence kind initiative { id title } } }`;
    const SIGNUPS = `subscription($since: String) { signupChanged(since: $since) { cursor sequence kind signup { id status } } }`;
    const org = await buildOrganisation(t);
    const resident = await buildPerson(t);
    const partner = t.ws();
    const live = collect(partner, PUBLISHED);
    const mine = t.ws(resident.token);
    const signups = collect(mine, SIGNUPS);
    await settle();
    const small = await postInitiative(t, org, { title: "Voor het wegvallen", capacity: 1 });
    const seen = (await live.next(2000)).data.initiativePublished;
    expect(seen).toMatchObject({ kind: "PUBLISHED", initiative: { id: small.id } });
    const organiserSignup = await t.gql(SIGN_UP, { input: { initiativeId: small.id } }, org.organiser.token);
    expect(organiserSignup.data.signUpForInitiative.status).toBe("CONFIRMED");
    const waiting = await t.gql(SIGN_UP, { input: { initiativeId: small.id } }, resident.token);
    expect(waiting.data.signUpForInitiative.status).toBe("WAITLISTED");
    const heard = (await signups.next(2000)).data.signupChanged;
    expect(heard.kind).toBe("WAITLISTED");
    await partner.dispose();
    await mine.dispose();

    // While both are away: two initiatives appear, and the resident moves up the waiting list.
    const a = await postInitiative(t, org, { title: "Gemist een" });
    const b = await postInitiative(t, org, { title: "Gemist twee" });
    await t.gql(`mutation($id: ID!) { cancelSignup(id: $id) { id } }`, { id: organiserSignup.data.signUpForInitiative.id }, org.organiser.token);

    const back = collect(t.ws(), PUBLISHED, { since: seen.cursor });
    const replayed = [await back.next(2000), await back.next(2000)].map((r) => r.data.initiativePublished);
    expect(replayed.map((r) => r.initiative.id)).toEqual([a.id, b.id]);
    expect(replayed[1].sequence).toBeGreaterThan(replayed[0].sequence);
    expect(await back.quiet(400)).toBe(true);
    const promoted = collect(t.ws(resident.token), SIGNUPS, { since: heard.cursor });
    expect((await promoted.next(2000)).data.signupChanged).toMatchObject({
      kind: "PROMOTED",
      signup: { id: waiting.data.signUpForInitiative.id, status: "CONFIRMED" },
    });
    expect(await promoted.quiet(400)).toBe(true); // the organiser's own cancellation is not the resident's to see
  });

  it("INVALID_CURSOR: a forged cursor is refused", async () => {
    const volunteer = await buildVolunteer(t);
    const r = await collect(t.ws(volunteer.token), POSTED, { since: "abc" }).next(2000);
    expect(r.errors?.[0].extensions?.reason).toBe("INVALID_CURSOR");
  });

  it("prunes old log entries (a subscriber away longer reloads instead)", async () => {
    const resident = await buildPerson(t);
    await askForHelp(t, resident.token);
    const before = await t.app.services.outbox.readAfter("help-request.posted", 0, 100_000);
    expect(before.length).toBeGreaterThan(0);
    const removed = await t.app.services.outbox.prune(new Date(Date.now() + 1000));
    expect(removed).toBeGreaterThanOrEqual(before.length);
    expect(await t.app.services.outbox.readAfter("help-request.posted", 0, 100_000)).toEqual([]);
  });
});

/** The log keeps EVENT_LOG_RETENTION_HOURS (72 by default) of events, by the server's own clock. */
describe.each(backends())("replay and the log's retention on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true" });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  const advance = async (hours: number) => {
    const r = await t.gql(`mutation($h: Float!) { advanceClock(hours: $h) }`, { h: hours }, coordinator.token);
    expect(r.errors).toBeUndefined();
  };
  const sweep = async () => {
    const r = await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token);
    expect(r.errors).toBeUndefined();
  };

  it("EVENTS_PRUNED: a cursor from before the retention is refused, so the client reloads instead of missing events", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const first = t.ws(resident.token);
    const sub = collect(first, CHANGED, { id: req.id });
    await settle();
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    const cursor = (await sub.next(2000)).data.helpRequestChanged.cursor as string;
    await first.dispose();
    await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);

    await advance(73); // away longer than the log keeps events
    await sweep();
    const late = await collect(t.ws(resident.token), CHANGED, { id: req.id, since: cursor }).next(2000);
    expect(late.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "EVENTS_PRUNED" });
    // Without a cursor the subscription works as ever: the client reloads, then follows live.
    const fresh = collect(t.ws(resident.token), CHANGED, { id: req.id });
    await settle();
    await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    expect((await fresh.next(2000)).data.helpRequestChanged.kind).toBe("DONE");
  });

  it("keeps what was written just now after the clock was moved by days: the log's age is measured by the clock that stamped it", async () => {
    await advance(100);
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const first = t.ws(resident.token);
    const sub = collect(first, CHANGED, { id: req.id });
    await settle();
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    const cursor = (await sub.next(2000)).data.helpRequestChanged.cursor as string;
    await first.dispose();
    await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    await sweep();
    const again = collect(t.ws(resident.token), CHANGED, { id: req.id, since: cursor });
    const replayed = await again.next(2000);
    expect(replayed.errors).toBeUndefined();
    expect(replayed.data.helpRequestChanged.kind).toBe("IN_PROGRESS");
  });
});
