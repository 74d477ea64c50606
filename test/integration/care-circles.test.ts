import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

const CREATE = `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id name myRole careReceiver { firstName } neighbourhood { id } } }`;
const INVITE = `mutation($c: ID!, $h: Float) { inviteToCareCircle(circleId: $c, relation: FRIEND, expiresInHours: $h) { code expiresAt } }`;
const JOIN = `mutation($code: String!) { joinCareCircle(code: $code) { id } }`;
const ADD_TASK = `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id title weekdays } }`;
const SHIFTS = `query($c: ID!, $first: Int, $statuses: [CareShiftStatus!]) { careCircle(id: $c) { shifts(first: $first, statuses: $statuses) { edges { node { id title startsAt endsAt status flagged coverRequested helpRequestId assignee { id } } } pageInfo { hasNextPage } } } }`;
const CLAIM = `mutation($id: ID!) { claimCareShift(id: $id) { id status assignee { id } } }`;

/** Local date (Europe/Amsterdam) `days` from the server's now. */
function localDate(t: TestApp, days: number): string {
  const d = new Date(t.clock.now().getTime() + days * 24 * HOUR);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(d);
}

/** The Amsterdam date and whole hour `hours` from the server's now (a shift that far ahead, whatever the time of day). */
function localSlot(t: TestApp, hours: number): { startDate: string; startTime: string } {
  const d = new Date(t.clock.now().getTime() + hours * HOUR);
  const startDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(d);
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", hour: "2-digit", hourCycle: "h23" }).format(d);
  return { startDate, startTime: `${hour}:00` };
}

describe.each(backends())("care circles on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const carer = () => buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Henk" });
  async function circleWithMembers(extra = 1) {
    const coordinator = await carer();
    const c = await t.gql(
      CREATE,
      { input: { name: "Zorg voor moeder", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk, address: "Dordtse Straat 5", phone: "078 123 4567" } } },
      coordinator.token,
    );
    expect(c.errors).toBeUndefined();
    const circleId = c.data.createCareCircle.id as string;
    const members: Account[] = [];
    for (let i = 0; i < extra; i++) {
      const m = await buildPerson(t, { firstName: `Lid${i}` });
      const inv = await t.gql(INVITE, { c: circleId }, coordinator.token);
      const j = await t.gql(JOIN, { code: inv.data.inviteToCareCircle.code }, m.token);
      expect(j.errors).toBeUndefined();
      members.push(m);
    }
    return { circleId, coordinator, members };
  }
  const shiftsOf = async (circleId: string, token: string, first = 100) =>
    (await t.gql(SHIFTS, { c: circleId, first }, token)).data.careCircle.shifts.edges.map((e: any) => e.node);

  it("MANTELZORGER_ONLY, NOT_FOUND for outsiders: a mantelzorger starts a circle that only members see", async () => {
    const resident = await buildPerson(t);
    const denied = await t.gql(CREATE, { input: { name: "X", careReceiver: { firstName: "Y", neighbourhoodId: NB.wielwijk } } }, resident.token);
    expect(reasonOf(denied)).toBe("MANTELZORGER_ONLY");
    const { circleId, coordinator } = await circleWithMembers(0);
    const mine = await t.gql(`{ myCareCircles { id name myRole careReceiver { firstName } careReceiverContact { address } } }`, {}, coordinator.token);
    expect(mine.data.myCareCircles).toEqual([
      { id: circleId, name: "Zorg voor moeder", myRole: "COORDINATOR", careReceiver: { firstName: "Riet" }, careReceiverContact: { address: "Dordtse Straat 5" } },
    ]);
    const outsider = await t.gql(`query($c: ID!) { careCircle(id: $c) { id } }`, { c: circleId }, resident.token);
    expect(reasonOf(outsider)).toBe("CARE_CIRCLE_NOT_FOUND");
    expect((await t.gql(`query($c: ID!) { node(id: $c) { id } }`, { c: circleId }, resident.token)).data.node).toBeNull();
  });

  it("INVITATION_USED, INVITATION_EXPIRED, INVITATION_UNKNOWN, CIRCLE_COORDINATOR_ONLY: single-use codes that expire, made by the coordinator", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    const a = await buildPerson(t);
    const b = await buildPerson(t);
    const inv = await t.gql(INVITE, { c: circleId }, coordinator.token);
    const [ra, rb] = await Promise.all([t.gql(JOIN, { code: inv.data.inviteToCareCircle.code }, a.token), t.gql(JOIN, { code: inv.data.inviteToCareCircle.code }, b.token)]);
    expect([ra, rb].filter((r) => !r.errors)).toHaveLength(1);
    expect([ra, rb].map(reasonOf).filter(Boolean)).toEqual(["INVITATION_USED"]);
    const short = await t.gql(INVITE, { c: circleId, h: 1 }, coordinator.token);
    t.clock.advance(2 * HOUR);
    const late = await buildPerson(t);
    expect(reasonOf(await t.gql(JOIN, { code: short.data.inviteToCareCircle.code }, late.token))).toBe("INVITATION_EXPIRED");
    expect(reasonOf(await t.gql(JOIN, { code: "nonsense" }, late.token))).toBe("INVITATION_UNKNOWN");
    const member = ra.errors ? b : a; // whoever won the race for the code
    expect(reasonOf(await t.gql(INVITE, { c: circleId }, member.token))).toBe("CIRCLE_COORDINATOR_ONLY");
  });

  it("COORDINATOR_MUST_HAND_OVER: members leave, the coordinator hands over first", async () => {
    const { circleId, coordinator, members } = await circleWithMembers(2);
    const leave = `mutation($c: ID!) { leaveCareCircle(circleId: $c) }`;
    expect(reasonOf(await t.gql(leave, { c: circleId }, coordinator.token))).toBe("COORDINATOR_MUST_HAND_OVER");
    const h = await t.gql(`mutation($c: ID!, $p: ID!) { handOverCoordination(circleId: $c, toPersonId: $p) { myRole } }`, { c: circleId, p: members[0].id }, coordinator.token);
    expect(h.data.handOverCoordination.myRole).toBe("MEMBER");
    expect((await t.gql(leave, { c: circleId }, coordinator.token)).data.leaveCareCircle).toBe(true);
    const m = await t.gql(`query($c: ID!) { careCircle(id: $c) { myRole members { role person { id } } } }`, { c: circleId }, members[0].token);
    expect(m.data.careCircle.myRole).toBe("COORDINATOR");
    expect(m.data.careCircle.members.map((x: any) => x.person.id).sort()).toEqual([members[0].id, members[1].id].sort());
  });

  it("derives shifts for at least eight weeks; an edit mid-series moves unclaimed shifts and flags claimed ones; end dates hold", async () => {
    const { circleId, coordinator, members } = await circleWithMembers(1);
    const task = await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Boodschappen", categoryId: CAT.groceries, startDate: localDate(t, 1), startTime: "10:00", durationMinutes: 90, weekdays: [2, 4] } },
      coordinator.token,
    );
    expect(task.errors).toBeUndefined();
    const shifts = await shiftsOf(circleId, coordinator.token);
    expect(shifts.length).toBeGreaterThanOrEqual(15);
    const last = new Date(shifts.at(-1).startsAt).getTime();
    expect(last - t.clock.now().getTime()).toBeGreaterThan(7.5 * 7 * 24 * HOUR);
    for (const s of shifts) {
      expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", hour: "2-digit", minute: "2-digit" }).format(new Date(s.startsAt))).toBe("10:00");
      expect(new Date(s.endsAt).getTime() - new Date(s.startsAt).getTime()).toBe(90 * 60_000);
    }
    const held = shifts[2];
    expect((await t.gql(CLAIM, { id: held.id }, members[0].token)).data.claimCareShift.status).toBe("COVERED");

    // Move the task to 14:00 with an end date four weeks out.
    const end = localDate(t, 28);
    const upd = await t.gql(
      `mutation($id: ID!, $i: CareTaskInput!) { updateCareTask(id: $id, input: $i) { startTime endDate } }`,
      {
        id: task.data.addCareTask.id,
        i: { title: "Boodschappen", categoryId: CAT.groceries, startDate: localDate(t, 1), startTime: "14:00", durationMinutes: 90, weekdays: [2, 4], endDate: end },
      },
      coordinator.token,
    );
    expect(upd.data.updateCareTask).toEqual({ startTime: "14:00", endDate: end });
    const after = await shiftsOf(circleId, coordinator.token);
    const kept = after.find((s: any) => s.id === held.id);
    expect(kept).toMatchObject({ startsAt: held.startsAt, status: "COVERED", flagged: true, assignee: { id: members[0].id } });
    const open = after.filter((s: any) => s.status === "OPEN");
    expect(open.length).toBeGreaterThan(3);
    for (const s of open) {
      expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", hour: "2-digit", minute: "2-digit" }).format(new Date(s.startsAt))).toBe("14:00");
      expect(new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(s.startsAt)) <= end).toBe(true);
    }
    const cancelled = (await t.gql(SHIFTS, { c: circleId, first: 100, statuses: ["CANCELLED"] }, coordinator.token)).data.careCircle.shifts.edges;
    expect(cancelled.length).toBeGreaterThan(3); // occurrences after the end date
  });

  it("SHIFT_NOT_OPEN, SHIFT_OVERLAP: of two members claiming at once one wins, and nobody holds overlapping shifts", async () => {
    const { circleId, coordinator, members } = await circleWithMembers(2);
    await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Koken", categoryId: CAT.groceries, startDate: localDate(t, 3), startTime: "17:00", durationMinutes: 60 } },
      coordinator.token,
    );
    await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Wassen", categoryId: CAT.groceries, startDate: localDate(t, 3), startTime: "17:30", durationMinutes: 60 } },
      coordinator.token,
    );
    const [koken, wassen] = (await shiftsOf(circleId, coordinator.token)).sort((a: any, b: any) => a.startsAt.localeCompare(b.startsAt));
    const results = await Promise.all(members.map((m) => t.gql(CLAIM, { id: koken.id }, m.token)));
    expect(results.filter((r) => r.data?.claimCareShift?.status === "COVERED")).toHaveLength(1);
    const loser = results.find((r) => r.errors)!;
    expect(codeOf(loser)).toBe("CONFLICT");
    expect(reasonOf(loser)).toBe("SHIFT_NOT_OPEN");
    const winner = members[results.findIndex((r) => !r.errors)];
    const overlap = await t.gql(CLAIM, { id: wassen.id }, winner.token);
    expect(reasonOf(overlap)).toBe("SHIFT_OVERLAP");
    const other = members.find((m) => m !== winner)!;
    expect((await t.gql(CLAIM, { id: wassen.id }, other.token)).data.claimCareShift.status).toBe("COVERED");
  });

  it("NOT_THE_SWAP_TARGET, SWAP_NOT_PENDING: a swap is accepted or declined by the member asked; members follow it live", async () => {
    const { circleId, coordinator, members } = await circleWithMembers(2);
    await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Wandelen", categoryId: CAT.company, startDate: localDate(t, 2), startTime: "11:00", durationMinutes: 60 } },
      coordinator.token,
    );
    const [shift] = await shiftsOf(circleId, coordinator.token);
    const live = collect(t.ws(coordinator.token), `subscription($c: ID!) { careCircleChanged(circleId: $c) { kind shift { id assignee { id } } } }`, { c: circleId });
    await new Promise((r) => setTimeout(r, 300));
    await t.gql(CLAIM, { id: shift.id }, members[0].token);
    expect((await live.next(2000)).data.careCircleChanged).toEqual({ kind: "SHIFT_CLAIMED", shift: { id: shift.id, assignee: { id: members[0].id } } });

    const propose = `mutation($s: ID!, $to: ID!) { proposeCareShiftSwap(shiftId: $s, toPersonId: $to) { id status } }`;
    const respond = `mutation($id: ID!, $a: Boolean!) { respondToCareShiftSwap(swapId: $id, accept: $a) { status shift { assignee { id } } } }`;
    const p1 = await t.gql(propose, { s: shift.id, to: members[1].id }, members[0].token);
    expect((await live.next(2000)).data.careCircleChanged.kind).toBe("SWAP_PROPOSED");
    expect(reasonOf(await t.gql(respond, { id: p1.data.proposeCareShiftSwap.id, a: true }, coordinator.token))).toBe("NOT_THE_SWAP_TARGET");
    const declined = await t.gql(respond, { id: p1.data.proposeCareShiftSwap.id, a: false }, members[1].token);
    expect(declined.data.respondToCareShiftSwap).toEqual({ status: "DECLINED", shift: { assignee: { id: members[0].id } } });
    const p2 = await t.gql(propose, { s: shift.id, to: members[1].id }, members[0].token);
    const accepted = await t.gql(respond, { id: p2.data.proposeCareShiftSwap.id, a: true }, members[1].token);
    expect(accepted.data.respondToCareShiftSwap).toEqual({ status: "ACCEPTED", shift: { assignee: { id: members[1].id } } });
    expect(reasonOf(await t.gql(respond, { id: p2.data.proposeCareShiftSwap.id, a: true }, members[1].token))).toBe("SWAP_NOT_PENDING");
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) kinds.push((await live.next(2000)).data.careCircleChanged.kind);
    expect(kinds).toEqual(["SWAP_DECLINED", "SWAP_PROPOSED", "SWAP_ACCEPTED"]);

    const cover = await t.gql(`mutation($id: ID!) { askCoverForCareShift(id: $id) { status coverRequested assignee { id } } }`, { id: shift.id }, members[1].token);
    expect(cover.data.askCoverForCareShift).toEqual({ status: "OPEN", coverRequested: true, assignee: null });
    expect((await live.next(2000)).data.careCircleChanged.kind).toBe("COVER_REQUESTED");
    const outsider = await buildPerson(t);
    const denied = collect(t.ws(outsider.token), `subscription($c: ID!) { careCircleChanged(circleId: $c) { kind } }`, { c: circleId });
    expect((await denied.next(2000)).errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });

  it("NOT_YOUR_SHIFT: tells members live of new shifts, a claim, a shift given back and a gap posted", async () => {
    const { circleId, coordinator, members } = await circleWithMembers(1);
    const live = collect(t.ws(members[0].token), `subscription($c: ID!) { careCircleChanged(circleId: $c) { kind shift { id status } } }`, { c: circleId });
    await new Promise((r) => setTimeout(r, 300));
    await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Ramen lappen", categoryId: CAT.groceries, startDate: localDate(t, 1), startTime: "09:00", durationMinutes: 60 } },
      coordinator.token,
    );
    expect((await live.next(2000)).data.careCircleChanged.kind).toBe("SHIFTS_CHANGED");
    const [shift] = await shiftsOf(circleId, coordinator.token);
    await t.gql(CLAIM, { id: shift.id }, coordinator.token);
    expect((await live.next(2000)).data.careCircleChanged).toEqual({ kind: "SHIFT_CLAIMED", shift: { id: shift.id, status: "COVERED" } });
    const back = await t.gql(`mutation($id: ID!) { giveBackCareShift(id: $id) { status assignee { id } } }`, { id: shift.id }, coordinator.token);
    expect(back.data.giveBackCareShift).toEqual({ status: "OPEN", assignee: null });
    expect((await live.next(2000)).data.careCircleChanged).toEqual({ kind: "SHIFT_RELEASED", shift: { id: shift.id, status: "OPEN" } });
    await t.app.services.care.sweep();
    expect((await live.next(2000)).data.careCircleChanged).toEqual({ kind: "GAP_POSTED", shift: { id: shift.id, status: "OPEN" } });
    const notHolder = await t.gql(`mutation($id: ID!) { giveBackCareShift(id: $id) { status } }`, { id: shift.id }, members[0].token);
    expect(reasonOf(notHolder)).toBe("NOT_YOUR_SHIFT");
  });

  it("turns a gap into exactly one volunteer request however often the sweep runs; the volunteer who accepts covers the shift and sees its notes", async () => {
    const { circleId, coordinator, members } = await circleWithMembers(1);
    await t.gql(
      ADD_TASK,
      {
        c: circleId,
        i: { title: "Douchen", categoryId: CAT.company, notes: "Let op: valgevaar in de badkamer", startDate: localDate(t, 1), startTime: "09:00", durationMinutes: 60 },
      },
      coordinator.token,
    );
    await t.gql(ADD_TASK, { c: circleId, i: { title: "Later", categoryId: CAT.company, startDate: localDate(t, 20), startTime: "09:00", durationMinutes: 60 } }, coordinator.token);
    await Promise.all([1, 2, 3].map(() => t.app.services.care.sweep()));
    await t.app.services.care.sweep();
    const shifts = await shiftsOf(circleId, coordinator.token);
    const gap = shifts.find((s: any) => s.title === "Douchen");
    expect(gap.helpRequestId).toMatch(/^hr_/);
    // However often it ran, one request exists for this gap.
    const db = t.app.services.db;
    const requests = (await db.read.select().from(db.tables.helpRequests)).filter((r) => r.title === "Douchen" && r.windowStart.toISOString() === gap.startsAt);
    expect(requests.map((r) => r.id)).toEqual([gap.helpRequestId]);
    expect(shifts.find((s: any) => s.title === "Later").helpRequestId).toBeNull();

    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.company] });
    const hr = await t.gql(
      `query($id: ID!) { helpRequest(id: $id) { title status windowStart personHelped { firstName } neighbourhood { id } } }`,
      { id: gap.helpRequestId },
      volunteer.token,
    );
    expect(hr.data.helpRequest).toMatchObject({
      title: "Douchen",
      status: "OPEN",
      windowStart: gap.startsAt,
      personHelped: { firstName: "Riet" },
      neighbourhood: { id: NB.wielwijk },
    });
    const notesQ = `query($id: ID!) { careShift(id: $id) { status notes assignee { id } circle { id } } }`;
    expect(codeOf(await t.gql(notesQ, { id: gap.id }, volunteer.token))).toBe("NOT_FOUND");
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: gap.helpRequestId }, volunteer.token);
    const covered = await t.gql(notesQ, { id: gap.id }, volunteer.token);
    expect(covered.data.careShift).toEqual({ status: "COVERED", notes: "Let op: valgevaar in de badkamer", assignee: { id: volunteer.id }, circle: null });
    const mine = await t.gql(`{ myCareShifts { edges { node { id title } } } }`, {}, volunteer.token);
    expect(mine.data.myCareShifts.edges).toEqual([{ node: { id: gap.id, title: "Douchen" } }]);
    // A member who is not the holder still sees it covered; a claim now fails.
    expect(reasonOf(await t.gql(CLAIM, { id: gap.id }, members[0].token))).toBe("SHIFT_NOT_OPEN");
    // The volunteer releases: the shift is open again, and the same request is open to others.
    await t.gql(`mutation($id: ID!) { releaseHelpRequest(id: $id) { status } }`, { id: gap.helpRequestId }, volunteer.token);
    expect((await t.gql(notesQ, { id: gap.id }, coordinator.token)).data.careShift.status).toBe("OPEN");
    // A member takes it after all: the volunteer request is withdrawn.
    await t.gql(CLAIM, { id: gap.id }, members[0].token);
    const withdrawn = await t.gql(`query($id: ID!) { helpRequest(id: $id) { status } }`, { id: gap.helpRequestId }, coordinator.token);
    expect(withdrawn.data.helpRequest.status).toBe("CANCELLED");
  });

  it("withdraws an unaccepted gap request when its task moves or ends; a shift a volunteer accepted stays, flagged", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    // Daily from today: whatever the time of day, the next two lunches start within the 48-hour lead.
    const input = { title: "Middageten", categoryId: CAT.groceries, startDate: localDate(t, 0), startTime: "12:00", durationMinutes: 60, weekdays: [1, 2, 3, 4, 5, 6, 7] };
    const taskId = (await t.gql(ADD_TASK, { c: circleId, i: input }, coordinator.token)).data.addCareTask.id;
    await t.app.services.care.sweep();
    const posted = (await shiftsOf(circleId, coordinator.token)).filter((s: any) => s.helpRequestId);
    expect(posted.length).toBeGreaterThanOrEqual(2);
    const [accepted, ...waiting] = posted;
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    expect((await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`, { id: accepted.helpRequestId }, volunteer.token)).data.acceptHelpRequest.status).toBe(
      "MATCHED",
    );
    const STATUS = `query($id: ID!) { helpRequest(id: $id) { status history { toStatus note } } }`;

    // Lunch moves to 13:00: the gaps nobody took follow the task, their requests are withdrawn.
    await t.gql(`mutation($id: ID!, $i: CareTaskInput!) { updateCareTask(id: $id, input: $i) { id } }`, { id: taskId, i: { ...input, startTime: "13:00" } }, coordinator.token);
    const moved = await shiftsOf(circleId, coordinator.token);
    expect(moved.find((s: any) => s.id === accepted.id)).toMatchObject({
      startsAt: accepted.startsAt,
      status: "COVERED",
      flagged: true,
      helpRequestId: accepted.helpRequestId,
      assignee: { id: volunteer.id },
    });
    for (const w of waiting) {
      const now = moved.find((s: any) => s.id === w.id);
      expect(now).toMatchObject({ status: "OPEN", flagged: false, helpRequestId: null });
      expect(new Date(now.startsAt).getTime() - new Date(w.startsAt).getTime()).toBe(HOUR);
      const hr = (await t.gql(STATUS, { id: w.helpRequestId }, coordinator.token)).data.helpRequest;
      expect(hr.status).toBe("CANCELLED");
      expect(hr.history.at(-1).note).toMatch(/moved/);
    }
    expect((await t.gql(STATUS, { id: accepted.helpRequestId }, volunteer.token)).data.helpRequest.status).toBe("MATCHED");
    // The next sweep posts the moved gaps again, once each.
    await t.app.services.care.sweep();
    await t.app.services.care.sweep();
    const reposted = (await shiftsOf(circleId, coordinator.token)).filter((s: any) => waiting.some((w: any) => w.id === s.id) && s.helpRequestId);
    expect(reposted.length).toBeGreaterThanOrEqual(1);

    // The task ends: every open gap request goes, the accepted shift stays with its volunteer.
    expect((await t.gql(`mutation($id: ID!) { removeCareTask(id: $id) }`, { id: taskId }, coordinator.token)).data.removeCareTask).toBe(true);
    for (const s of reposted) {
      expect((await t.gql(STATUS, { id: s.helpRequestId }, coordinator.token)).data.helpRequest.status).toBe("CANCELLED");
    }
    const after = await shiftsOf(circleId, coordinator.token);
    expect(after.filter((s: any) => s.status === "OPEN")).toEqual([]);
    expect(after.find((s: any) => s.id === accepted.id)).toMatchObject({ status: "COVERED", flagged: true, assignee: { id: volunteer.id } });
    const open = await t.gql(`{ openHelpRequests(first: 100) { edges { node { id } } } }`, {}, volunteer.token);
    const openIds = open.data.openHelpRequests.edges.map((e: any) => e.node.id);
    expect(reposted.filter((s: any) => openIds.includes(s.helpRequestId))).toEqual([]);
  });

  it("expires the gap request when the shift passes and marks the open shift MISSED", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    // About 30 hours ahead: inside the 48 hours in which an open shift is posted, and far enough off that its
    // request is NORMAL, so it expires with the shift rather than reaching a team first.
    await t.gql(ADD_TASK, { c: circleId, i: { title: "Avondeten", categoryId: CAT.groceries, ...localSlot(t, 30), durationMinutes: 60 } }, coordinator.token);
    await t.app.services.sweeps.run();
    const [gap] = await shiftsOf(circleId, coordinator.token);
    expect(gap.helpRequestId).toBeTruthy();
    t.clock.advance(3 * 24 * HOUR);
    const report = await t.app.services.sweeps.run();
    expect(report.expiredRequests).toBeGreaterThanOrEqual(1);
    const hr = await t.gql(`query($id: ID!) { helpRequest(id: $id) { status } }`, { id: gap.helpRequestId }, coordinator.token);
    expect(hr.data.helpRequest.status).toBe("EXPIRED");
    const missed = await t.gql(SHIFTS, { c: circleId, first: 5, statuses: ["MISSED"] }, coordinator.token);
    expect(missed.data.careCircle.shifts.edges.length).toBe(0); // default window starts now: past shifts need `from`
    const past = await t.gql(
      `query($c: ID!, $from: DateTimeISO) { careCircle(id: $c) { shifts(from: $from, statuses: [MISSED]) { edges { node { id } } } } }`,
      { c: circleId, from: new Date(t.clock.now().getTime() - 7 * 24 * HOUR).toISOString() },
      coordinator.token,
    );
    expect(past.data.careCircle.shifts.edges.map((e: any) => e.node.id)).toContain(gap.id);
  });

  it("reports hours per week, flags high strain from a check-in, and asks for respite", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Mantelzorg", categoryId: CAT.company, startDate: localDate(t, 1), startTime: "08:00", durationMinutes: 180, weekdays: [1, 2, 3, 4, 5] } },
      coordinator.token,
    );
    for (const s of (await shiftsOf(circleId, coordinator.token, 10)).slice(0, 10)) await t.gql(CLAIM, { id: s.id }, coordinator.token);
    await t.gql(`mutation($c: ID!) { careCheckIn(circleId: $c, strain: HIGH, note: "Ik slaap slecht") }`, { c: circleId }, coordinator.token);
    const q = `query($c: ID!) { careCircle(id: $c) { load(weeks: 8) { person { id } weeks { weekStart hours } averageHours intensive latestStrain signals { reason sustained } } } }`;
    const load = (await t.gql(q, { c: circleId }, coordinator.token)).data.careCircle.load[0];
    expect(load.person.id).toBe(coordinator.id);
    expect(load.latestStrain).toBe("HIGH");
    expect(load.signals).toEqual([{ reason: "HIGH_STRAIN", sustained: false }]);
    expect(load.intensive).toBe(false);
    expect(load.weeks).toHaveLength(8);
    t.clock.advance(30 * 24 * HOUR);
    await t.app.services.care.evaluateLoad(circleId);
    const later = (await t.gql(q, { c: circleId }, coordinator.token)).data.careCircle.load[0];
    expect(later.signals).toEqual([{ reason: "HIGH_STRAIN", sustained: true }]);
    expect((await t.app.services.care.sustainedOverload()).map((s) => s.circleId)).toContain(circleId);
    await t.gql(`mutation($c: ID!) { careCheckIn(circleId: $c, strain: LOW) }`, { c: circleId }, coordinator.token);
    expect((await t.gql(q, { c: circleId }, coordinator.token)).data.careCircle.load[0].signals).toEqual([]);
    t.clock.advance(-30 * 24 * HOUR);

    const start = new Date(t.clock.now().getTime() + 48 * HOUR);
    const r = await t.gql(
      `mutation($c: ID!, $i: RespiteInput!) { askForRespite(circleId: $c, input: $i) { status category { code } personHelped { firstName } } }`,
      { c: circleId, i: { windowStart: start.toISOString(), windowEnd: new Date(start.getTime() + 4 * HOUR).toISOString() } },
      coordinator.token,
    );
    expect(r.data.askForRespite).toEqual({ status: "OPEN", category: { code: "RESPITE" }, personHelped: { firstName: "Riet" } });
  });

  it("flags a member above the SCP threshold: more than 8 hours a week for 13 weeks", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    await t.gql(
      ADD_TASK,
      {
        c: circleId,
        i: { title: "Dagelijkse zorg", categoryId: CAT.company, startDate: localDate(t, 1), startTime: "08:00", durationMinutes: 120, weekdays: [1, 2, 3, 4, 5, 6, 7] },
      },
      coordinator.token,
    );
    // Fourteen weeks of simulated time, claiming every shift as it comes into the horizon.
    for (let week = 0; week < 15; week++) {
      for (const s of await shiftsOf(circleId, coordinator.token, 100)) if (s.status === "OPEN") await t.gql(CLAIM, { id: s.id }, coordinator.token);
      t.clock.advance(7 * 24 * HOUR);
      await t.app.services.care.sweep();
    }
    const load = (await t.gql(`query($c: ID!) { careCircle(id: $c) { load(weeks: 2) { intensive weeks { hours } signals { reason } } } }`, { c: circleId }, coordinator.token)).data
      .careCircle.load[0];
    expect(load.intensive).toBe(true);
    expect(load.signals.map((s: any) => s.reason)).toContain("INTENSIVE_HOURS");
    t.clock.advance(-15 * 7 * 24 * HOUR);
  }, 120_000);

  it("serves a private iCalendar feed of the member's shifts, parsed back by a real parser, and revocable", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    await t.gql(
      ADD_TASK,
      {
        c: circleId,
        i: { title: "Apotheek", categoryId: CAT.groceries, notes: "Recept ligt klaar", startDate: localDate(t, 2), startTime: "16:00", durationMinutes: 30, weekdays: [3] },
      },
      coordinator.token,
    );
    const shifts = await shiftsOf(circleId, coordinator.token);
    for (const s of shifts.slice(0, 2)) await t.gql(CLAIM, { id: s.id }, coordinator.token);
    const url = (await t.gql(`mutation($c: ID!) { careCalendarFeed(circleId: $c) }`, { c: circleId }, coordinator.token)).data.careCalendarFeed as string;
    const feedUrl = new URL(new URL(url).pathname, t.url).toString();
    const res = await fetch(feedUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid).sort()).toEqual(
      shifts
        .slice(0, 2)
        .map((s: any) => s.id)
        .sort(),
    );
    expect(events[0].summary).toBe("Apotheek");
    expect(events[0].description).toBe("Recept ligt klaar");
    const first = events.find((e) => e.uid === shifts[0].id)!;
    expect(first.startDate.toJSDate().toISOString()).toBe(shifts[0].startsAt);
    const renewed = (await t.gql(`mutation($c: ID!) { careCalendarFeed(circleId: $c, revoke: true) }`, { c: circleId }, coordinator.token)).data.careCalendarFeed as string;
    expect((await fetch(feedUrl)).status).toBe(404);
    expect((await fetch(new URL(new URL(renewed).pathname, t.url))).status).toBe(200);
    expect((await fetch(new URL("/calendar/forged-token-that-is-long-enough.ics", t.url))).status).toBe(404);
  });

  it("keeps the wall-clock time across the spring DST change in Europe/Amsterdam", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    const target = new Date("2027-03-20T12:00:00Z").getTime() - t.clock.now().getTime();
    t.clock.advance(target);
    await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Medicijnen", categoryId: CAT.company, startDate: "2027-03-21", startTime: "09:00", durationMinutes: 15, weekdays: [7] } },
      coordinator.token,
    );
    const [a, b] = await shiftsOf(circleId, coordinator.token, 2);
    expect(a.startsAt).toBe("2027-03-21T08:00:00.000Z"); // 09:00 CET
    expect(b.startsAt).toBe("2027-03-28T07:00:00.000Z"); // 09:00 CEST
    t.clock.advance(-target);
  });

  it("rejects bad task input with the field named and writes nothing", async () => {
    const { circleId, coordinator } = await circleWithMembers(0);
    const base = { title: "T", categoryId: CAT.groceries, startDate: localDate(t, 1), startTime: "10:00", durationMinutes: 60 };
    const cases: [Record<string, unknown>, string][] = [
      [{ startTime: "25:00" }, "input.startTime"],
      [{ startDate: "2026-02-30" }, "input.startDate"],
      [{ durationMinutes: 0 }, "input.durationMinutes"],
      [{ weekdays: [0] }, "input.weekdays.0"],
      [{ intervalWeeks: 0 }, "input.intervalWeeks"],
      [{ endDate: "2020-01-01" }, "input.endDate"],
      [{ title: "x".repeat(10_000) }, "input.title"],
    ];
    for (const [override, field] of cases) {
      const r = await t.gql(ADD_TASK, { c: circleId, i: { ...base, ...override } }, coordinator.token);
      expect(r.errors?.[0].extensions?.field, field).toBe(field);
    }
    expect(await shiftsOf(circleId, coordinator.token)).toEqual([]);
  });
});
