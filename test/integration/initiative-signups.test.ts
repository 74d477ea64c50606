import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, SIGN_UP, birthDateForAge, buildOrganisation, buildOrganiser, buildPerson, postInitiative, rowCounts, schedule } from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

const COUNTS = `query($id: ID!) { initiative(id: $id) { placesTaken placesLeft waitingListLength } }`;
const SIGNUPS = `query($id: ID!, $first: Int) {
  initiative(id: $id) { signups(first: $first) { edges { node { id status position waitingListPosition participant { id firstName } contact { fullName phone } } } } }
}`;
const CANCEL = `mutation($id: ID!) { cancelSignup(id: $id) { id status cancelledAt } }`;
const CHANGED = `subscription($i: ID) { signupChanged(initiativeId: $i) { kind signup { id status position participant { id } } } }`;

describe.each(backends())("signing up for initiatives on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const settle = () => new Promise((r) => setTimeout(r, 300));
  const signUp = (token: string, input: Record<string, unknown>) => t.gql(SIGN_UP, { input }, token);

  it("never overbooks: 50 simultaneous sign-ups for 10 places give exactly 10 confirmed and 40 waitlisted, in arrival order", async () => {
    const org = await buildOrganisation(t);
    const course = await postInitiative(t, org, { kind: "COURSE", title: "Cursus tien plekken", capacity: 10 });
    const residents: Account[] = await Promise.all(Array.from({ length: 50 }, (_, i) => buildPerson(t, { firstName: `Bewoner${i}` })));

    const results = await Promise.all(residents.map((r) => signUp(r.token, { initiativeId: course.id })));
    for (const r of results) expect(r.errors).toBeUndefined();
    const signups = results.map((r) => r.data.signUpForInitiative);
    const confirmed = signups.filter((s) => s.status === "CONFIRMED");
    const waitlisted = signups.filter((s) => s.status === "WAITLISTED");
    expect(confirmed).toHaveLength(10);
    expect(waitlisted).toHaveLength(40);
    // Fair: positions are the arrival order 1..50; the first ten arrivals have the places.
    expect(signups.map((s) => s.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(confirmed.map((s) => s.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(waitlisted.map((s) => s.waitingListPosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const s of waitlisted) expect(s.waitingListPosition).toBe(s.position - 10);

    const counts = await t.gql(COUNTS, { id: course.id });
    expect(counts.data.initiative).toEqual({ placesTaken: 10, placesLeft: 0, waitingListLength: 40 });
    const list = await t.gql(SIGNUPS, { id: course.id, first: 100 }, org.organiser.token);
    expect(list.data.initiative.signups.edges.map((e: any) => e.node.position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

    // A cancellation promotes the first one waiting, at once, and tells them.
    const byPosition = new Map(signups.map((s, i) => [s.position, { signup: s, resident: residents[i] }]));
    const next = byPosition.get(11)!;
    const promotedLive = collect(t.ws(next.resident.token), CHANGED);
    const organiserLive = collect(t.ws(org.organiser.token), CHANGED, { i: course.id });
    await settle();
    const leaving = byPosition.get(3)!;
    const cancel = await t.gql(CANCEL, { id: leaving.signup.id }, leaving.resident.token);
    expect(cancel.data.cancelSignup.status).toBe("CANCELLED");
    const mine = await t.gql(`query($id: ID!) { initiative(id: $id) { mySignup { id status waitingListPosition promotedAt } } }`, { id: course.id }, next.resident.token);
    expect(mine.data.initiative.mySignup).toMatchObject({ id: next.signup.id, status: "CONFIRMED", waitingListPosition: null });
    expect(mine.data.initiative.mySignup.promotedAt).not.toBeNull();
    expect((await promotedLive.next(1000)).data.signupChanged).toEqual({
      kind: "PROMOTED",
      signup: { id: next.signup.id, status: "CONFIRMED", position: 11, participant: { id: next.resident.id } },
    });
    const seenByOrganiser = [(await organiserLive.next(1000)).data.signupChanged, (await organiserLive.next(1000)).data.signupChanged];
    expect(seenByOrganiser.map((c: any) => [c.kind, c.signup.id]).sort()).toEqual(
      [
        ["CANCELLED", leaving.signup.id],
        ["PROMOTED", next.signup.id],
      ].sort(),
    );
    expect((await t.gql(COUNTS, { id: course.id })).data.initiative).toEqual({ placesTaken: 10, placesLeft: 0, waitingListLength: 39 });
    const twelfth = byPosition.get(12)!;
    const still = await t.gql(`query($id: ID!) { node(id: $id) { ... on Signup { status waitingListPosition } } }`, { id: twelfth.signup.id }, twelfth.resident.token);
    expect(still.data.node).toEqual({ status: "WAITLISTED", waitingListPosition: 1 });
    // Someone else on the waiting list was not told anything.
    expect(await collect(t.ws(twelfth.resident.token), CHANGED).quiet(300)).toBe(true);
  });

  it("ALREADY_SIGNED_UP, SIGNUP_NOT_ACTIVE, INITIATIVE_NOT_OPEN, SIGNUP_NOT_FOUND: one active sign-up per person, cancelled once, only while open", async () => {
    const org = await buildOrganisation(t);
    const walk = await postInitiative(t, org, { kind: "ACTIVITY", capacity: null });
    const resident = await buildPerson(t);
    const first = await signUp(resident.token, { initiativeId: walk.id, note: "Ik loop met een rollator" });
    expect(first.data.signUpForInitiative).toMatchObject({ status: "CONFIRMED", position: 1, waitingListPosition: null });
    const twice = await signUp(resident.token, { initiativeId: walk.id });
    expect(codeOf(twice)).toBe("CONFLICT");
    expect(reasonOf(twice)).toBe("ALREADY_SIGNED_UP");
    const id = first.data.signUpForInitiative.id;
    const stranger = await buildPerson(t);
    const notYours = await t.gql(CANCEL, { id }, stranger.token);
    expect(reasonOf(notYours)).toBe("SIGNUP_NOT_FOUND");
    expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, stranger.token)).data.node).toBeNull();
    expect((await t.gql(CANCEL, { id }, resident.token)).data.cancelSignup.status).toBe("CANCELLED");
    const again = await t.gql(CANCEL, { id }, resident.token);
    expect(reasonOf(again)).toBe("SIGNUP_NOT_ACTIVE");
    // After cancelling, signing up again is fine (a new position).
    const back = await signUp(resident.token, { initiativeId: walk.id });
    expect(back.data.signUpForInitiative.position).toBe(2);
    const mySignups = await t.gql(`{ mySignups { edges { node { id status initiative { id } } } } }`, {}, resident.token);
    expect(mySignups.data.mySignups.edges.map((e: any) => e.node.status)).toEqual(["CONFIRMED", "CANCELLED"]);

    await t.gql(`mutation($id: ID!) { endInitiative(id: $id) { status } }`, { id: walk.id }, org.organiser.token);
    const ended = await signUp(stranger.token, { initiativeId: walk.id });
    expect(codeOf(ended)).toBe("CONFLICT");
    expect(reasonOf(ended)).toBe("INITIATIVE_NOT_OPEN");
    const draft = await postInitiative(t, org, { publish: false });
    expect(reasonOf(await signUp(stranger.token, { initiativeId: draft.id }))).toBe("INITIATIVE_NOT_FOUND");
    const anonymous = await t.gql(SIGN_UP, { input: { initiativeId: walk.id } });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
  });

  it("CANNOT_SIGN_UP_ON_BEHALF, UNKNOWN_PARTICIPANT: a wijkwinkel signs up a resident without an account; organisers alone see names and contact details", async () => {
    const org = await buildOrganisation(t);
    const lunch = await postInitiative(t, org, { kind: "ACTIVITY", title: "Buurtlunch", capacity: 20 });
    const desk = await buildOrganiser(t, org.coordinator, { firstName: "Balie" });
    const participant = { firstName: "Joost", lastName: "Smit", neighbourhoodId: NB.wielwijk, phone: "078 765 4321", address: "Wielstraat 3" };
    const resident = await buildPerson(t, { firstName: "Anna", lastName: "Jansen", phone: "06 1234 0000" });
    const denied = await signUp(resident.token, { initiativeId: lunch.id, participant });
    expect(codeOf(denied)).toBe("FORBIDDEN");
    expect(reasonOf(denied)).toBe("CANNOT_SIGN_UP_ON_BEHALF");

    const forJoost = await signUp(desk.token, { initiativeId: lunch.id, participant });
    expect(forJoost.errors).toBeUndefined();
    const joost = forJoost.data.signUpForInitiative.participant.id;
    const own = await signUp(resident.token, { initiativeId: lunch.id });
    expect(own.errors).toBeUndefined();
    const other = await buildOrganiser(t, org.coordinator);
    const stolen = await signUp(other.token, { initiativeId: lunch.id, participantId: joost });
    expect(reasonOf(stolen)).toBe("UNKNOWN_PARTICIPANT");
    expect(reasonOf(await signUp(desk.token, { initiativeId: lunch.id, participantId: joost }))).toBe("ALREADY_SIGNED_UP");

    // The organiser sees every participant's name and contact details; each read is logged.
    const list = await t.gql(SIGNUPS, { id: lunch.id }, org.organiser.token);
    expect(list.errors).toBeUndefined();
    expect(list.data.initiative.signups.edges.map((e: any) => e.node.contact)).toEqual([
      { fullName: "Joost Smit", phone: "078 765 4321" },
      { fullName: "Anna Jansen", phone: "06 1234 0000" },
    ]);
    const log = await t.gql(`{ accessLog { edges { node { purpose reader { id } objectId } } } }`, {}, resident.token);
    expect(log.data.accessLog.edges.map((e: any) => e.node)).toContainEqual({
      purpose: "organiser of initiative",
      reader: { id: org.organiser.id },
      objectId: own.data.signUpForInitiative.id,
    });
    // The desk that signed Joost up sees his sign-up; the resident sees only her own.
    const deskView = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Signup { signedUpOnBehalf contact { fullName } } } }`,
      { id: forJoost.data.signUpForInitiative.id },
      desk.token,
    );
    expect(deskView.data.node).toEqual({ signedUpOnBehalf: true, contact: { fullName: "Joost Smit" } });
    expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: forJoost.data.signUpForInitiative.id }, resident.token)).data.node).toBeNull();
    const residentList = await t.gql(SIGNUPS, { id: lunch.id }, resident.token);
    expect(reasonOf(residentList)).toBe("NOT_AN_ORGANISER");
    expect(reasonOf(await t.gql(SIGNUPS, { id: lunch.id }))).toBe("UNAUTHENTICATED");
  });

  it("CONTACT_DETAILS_HIDDEN: organisers no longer read the contact details of a sign-up once it is cancelled; the participant still does", async () => {
    const org = await buildOrganisation(t);
    const walk = await postInitiative(t, org, { kind: "ACTIVITY", capacity: null });
    const resident = await buildPerson(t, { phone: "06 5555 0101" });
    const id = (await signUp(resident.token, { initiativeId: walk.id })).data.signUpForInitiative.id as string;
    const CONTACT = `query($id: ID!) { node(id: $id) { ... on Signup { status contact { phone } } } }`;
    expect((await t.gql(CONTACT, { id }, org.organiser.token)).data.node.contact).toEqual({ phone: "06 5555 0101" });
    expect((await t.gql(CANCEL, { id }, resident.token)).errors).toBeUndefined();
    const after = await t.gql(CONTACT, { id }, org.organiser.token);
    expect(after.data.node).toEqual({ status: "CANCELLED", contact: null });
    expect(reasonOf(after)).toBe("CONTACT_DETAILS_HIDDEN");
    expect(JSON.stringify(after)).not.toContain("5555");
    expect((await t.gql(CONTACT, { id }, resident.token)).data.node.contact).toEqual({ phone: "06 5555 0101" });
  });

  it("OUTSIDE_AUDIENCE, PARTICIPATION_PLACE_NEEDS_REFERRAL: refuses sign-ups that do not fit, and writes nothing", async () => {
    const org = await buildOrganisation(t);
    const youth = await postInitiative(t, org, { kind: "ACTIVITY", audience: { minAge: 16, maxAge: 27 } });
    const places = await postInitiative(t, org, { kind: "PARTICIPATION_PLACE", capacity: 5, schedule: null });
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const senior = await buildPerson(t, { birthDate: birthDateForAge(t, 70) });
    const before = await rowCounts(t);
    const old = await signUp(carer.token, { initiativeId: youth.id, participant: { firstName: "Opa", neighbourhoodId: NB.wielwijk, birthDate: birthDateForAge(t, 80) } });
    expect(codeOf(old)).toBe("FORBIDDEN");
    expect(reasonOf(old)).toBe("OUTSIDE_AUDIENCE");
    expect(reasonOf(await signUp(senior.token, { initiativeId: youth.id }))).toBe("OUTSIDE_AUDIENCE");
    const pp = await signUp(senior.token, { initiativeId: places.id });
    expect(reasonOf(pp)).toBe("PARTICIPATION_PLACE_NEEDS_REFERRAL");
    const bad = await signUp(carer.token, { initiativeId: youth.id, participant: { firstName: "", neighbourhoodId: NB.wielwijk } });
    expect(bad.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "INVALID_INPUT", field: "input.participant.firstName" });
    const note = await signUp(senior.token, { initiativeId: youth.id, note: "n".repeat(600) });
    expect(note.errors![0].extensions!.field).toBe("input.note");
    expect(await rowCounts(t)).toEqual(before);
    const young = await signUp(carer.token, { initiativeId: youth.id, participant: { firstName: "Daan", neighbourhoodId: NB.wielwijk, birthDate: birthDateForAge(t, 19) } });
    expect(young.data.signUpForInitiative.status).toBe("CONFIRMED");
  });

  it("CAPACITY_BELOW_TAKEN: raising the capacity gives waiting people a place at once; it cannot drop below the places taken", async () => {
    const org = await buildOrganisation(t);
    const course = await postInitiative(t, org, { kind: "COURSE", capacity: 2 });
    const people = await Promise.all([0, 1, 2, 3].map(() => buildPerson(t)));
    const made = [];
    for (const p of people) made.push((await signUp(p.token, { initiativeId: course.id })).data.signUpForInitiative);
    expect(made.map((s) => s.status)).toEqual(["CONFIRMED", "CONFIRMED", "WAITLISTED", "WAITLISTED"]);
    // Counts below five are published as 0; the organiser reads the exact ones from the sign-ups.
    const update = `mutation($id: ID!, $input: UpdateInitiativeInput!) { updateInitiative(id: $id, input: $input) { capacity placesTaken waitingListLength
      confirmed: signups(statuses: [CONFIRMED]) { edges { node { id } } } waiting: signups(statuses: [WAITLISTED]) { edges { node { id } } } } }`;
    const exact = (r: any) => ({ capacity: r.capacity, placesTaken: r.confirmed.edges.length, waitingListLength: r.waiting.edges.length });
    const live = collect(t.ws(people[2].token), CHANGED);
    await settle();
    const raised = await t.gql(update, { id: course.id, input: { capacity: 3 } }, org.organiser.token);
    expect(exact(raised.data.updateInitiative)).toEqual({ capacity: 3, placesTaken: 3, waitingListLength: 1 });
    expect(raised.data.updateInitiative).toMatchObject({ placesTaken: 0, waitingListLength: 0 });
    expect((await live.next(1000)).data.signupChanged).toMatchObject({ kind: "PROMOTED", signup: { id: made[2].id, status: "CONFIRMED" } });
    const lowered = await t.gql(update, { id: course.id, input: { capacity: 2 } }, org.organiser.token);
    expect(codeOf(lowered)).toBe("CONFLICT");
    expect(reasonOf(lowered)).toBe("CAPACITY_BELOW_TAKEN");
    const unlimited = await t.gql(update, { id: course.id, input: { unlimited: true } }, org.organiser.token);
    expect(exact(unlimited.data.updateInitiative)).toEqual({ capacity: null, placesTaken: 4, waitingListLength: 0 });
  });

  it("cancelling an initiative cancels every sign-up and tells each person concerned", async () => {
    const org = await buildOrganisation(t);
    const trip = await postInitiative(t, org, { kind: "ACTIVITY", capacity: 1, schedule: schedule(t, 72, 4) });
    const a = await buildPerson(t);
    const b = await buildPerson(t);
    const sa = (await signUp(a.token, { initiativeId: trip.id })).data.signUpForInitiative;
    const sb = (await signUp(b.token, { initiativeId: trip.id })).data.signUpForInitiative;
    expect([sa.status, sb.status]).toEqual(["CONFIRMED", "WAITLISTED"]);
    const liveA = collect(t.ws(a.token), CHANGED);
    const liveB = collect(t.ws(b.token), CHANGED, { i: trip.id });
    await settle();
    await t.gql(`mutation($id: ID!) { cancelInitiative(id: $id, reason: "Bus gaat niet") { status } }`, { id: trip.id }, org.organiser.token);
    expect((await liveA.next(1000)).data.signupChanged).toMatchObject({ kind: "INITIATIVE_CANCELLED", signup: { id: sa.id, status: "CANCELLED" } });
    expect((await liveB.next(1000)).data.signupChanged).toMatchObject({ kind: "INITIATIVE_CANCELLED", signup: { id: sb.id, status: "CANCELLED" } });
    expect((await t.gql(COUNTS, { id: trip.id })).data.initiative).toEqual({ placesTaken: 0, placesLeft: 1, waitingListLength: 0 });
    const sub = await collect(t.ws(), CHANGED).next(1000);
    expect(sub.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
