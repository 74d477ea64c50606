import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, buildCoordinator, buildPerson } from "../support/builders.js";
import { ADD_TASK, CLAIM, JOIN, buildCircle, feedUrl, joinCircle, localSlot, shiftsOf } from "../support/care-circle.js";
import { type TestApp, collect, reasonOf, startTestApp } from "../support/test-app.js";

const OPEN = `query($c: ID!) { careCircle(id: $c) { openInvitations { id relation byEmail expiresAt } } }`;
const REVOKE = `mutation($c: ID!, $i: ID!) { revokeCareInvitation(circleId: $c, invitationId: $i) }`;
const REMOVE = `mutation($c: ID!, $p: ID!) { removeCareCircleMember(circleId: $c, personId: $p) }`;
const ROLE = `mutation($c: ID!, $p: ID!, $r: CircleRole!) { setCareCircleRole(circleId: $c, personId: $p, role: $r) { id } }`;
const LEAVE = `mutation($c: ID!, $s: ID) { leaveCareCircle(circleId: $c, successorId: $s) }`;
const MEMBERS = `query($c: ID!) { careCircle(id: $c) { myRole members { role person { id } } } }`;
const ORPHANS = `{ careCirclesWithoutCoordinator { id memberCount } }`;
const APPOINT = `mutation($c: ID!, $p: ID!) { appointCareCircleCoordinator(circleId: $c, personId: $p) }`;

describe.each(backends())("running a care circle on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("INVITATION_REVOKED, INVITATION_NOT_OPEN: coordinators list open invitations (codes and e-mailed ones) and withdraw them", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 1);
    const invitee = await buildPerson(t);
    const code = (await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c) { code } }`, { c: circleId }, coordinator.token)).data.inviteToCareCircle.code;
    expect(
      (await t.gql(`mutation($c: ID!, $e: String) { inviteToCareCircle(circleId: $c, email: $e) { code } }`, { c: circleId, e: invitee.email }, coordinator.token)).errors,
    ).toBeUndefined();
    const open = (await t.gql(OPEN, { c: circleId }, coordinator.token)).data.careCircle.openInvitations;
    expect(open.map((i: any) => i.byEmail)).toEqual([false, true]);
    expect(JSON.stringify(open)).not.toContain(code);
    expect(reasonOf(await t.gql(OPEN, { c: circleId }, members[0].token))).toBe("CIRCLE_COORDINATOR_ONLY");

    for (const i of open) expect((await t.gql(REVOKE, { c: circleId, i: i.id }, coordinator.token)).data.revokeCareInvitation).toBe(true);
    expect((await t.gql(OPEN, { c: circleId }, coordinator.token)).data.careCircle.openInvitations).toEqual([]);
    expect(reasonOf(await t.gql(JOIN, { code }, invitee.token))).toBe("INVITATION_REVOKED");
    expect(reasonOf(await t.gql(`mutation($i: ID!) { acceptCareInvitation(invitationId: $i) { id } }`, { i: open[1].id }, invitee.token))).toBe("INVITATION_REVOKED");
    expect(reasonOf(await t.gql(REVOKE, { c: circleId, i: open[0].id }, coordinator.token))).toBe("INVITATION_NOT_OPEN");
    // Another circle's coordinator cannot touch them.
    const other = await buildCircle(t, 0, "Kees");
    expect(reasonOf(await t.gql(REVOKE, { c: circleId, i: open[0].id }, other.coordinator.token))).toBe("CARE_CIRCLE_NOT_FOUND");
  });

  it("a removed member's future shifts open up, their calendar feed and live feed stop at once and the circle is gone for them", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 2);
    const [anna, bert] = members;
    await t.gql(ADD_TASK, { c: circleId, i: { title: "Boodschappen", categoryId: CAT.groceries, ...localSlot(t, 72), durationMinutes: 60, weekdays: [1, 4] } }, coordinator.token);
    const shifts = await shiftsOf(t, circleId, anna.token);
    for (const s of shifts.slice(0, 3)) expect((await t.gql(CLAIM, { id: s.id }, anna.token)).data.claimCareShift.status).toBe("COVERED");
    const url = (await t.gql(`mutation($c: ID!) { careCalendarFeed(circleId: $c) }`, { c: circleId }, anna.token)).data.careCalendarFeed;
    expect((await fetch(feedUrl(t, url))).status).toBe(200);
    const live = collect(t.ws(anna.token), `subscription($c: ID!) { careCircleChanged(circleId: $c) { kind } }`, { c: circleId });
    await new Promise((r) => setTimeout(r, 300));

    expect(reasonOf(await t.gql(REMOVE, { c: circleId, p: anna.id }, bert.token))).toBe("CIRCLE_COORDINATOR_ONLY");
    expect((await t.gql(REMOVE, { c: circleId, p: anna.id }, coordinator.token)).data.removeCareCircleMember).toBe(true);
    expect((await fetch(feedUrl(t, url))).status).toBe(404);
    expect(reasonOf(await t.gql(MEMBERS, { c: circleId }, anna.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    const after = await shiftsOf(t, circleId, coordinator.token);
    for (const s of shifts.slice(0, 3)) expect(after.find((x: any) => x.id === s.id)).toMatchObject({ status: "OPEN", assignee: null });
    expect((await t.gql(`{ myCareShifts { edges { node { id } } } }`, {}, anna.token)).data.myCareShifts.edges).toEqual([]);
    // Her live feed carries nothing from the moment she is out: not her removal, not what follows.
    await t.gql(`mutation($c: ID!, $b: String!) { postCareMessage(circleId: $c, body: $b) { id } }`, { c: circleId, b: "Wie neemt maandag?" }, bert.token);
    const got = await live.next(1500).catch(() => null);
    expect(got?.data?.careCircleChanged ?? null).toBeNull();
    // Invited back, the old feed URL stays dead.
    const again = await t.gql(`mutation($c: ID!) { inviteToCareCircle(circleId: $c) { code } }`, { c: circleId }, coordinator.token);
    await t.gql(JOIN, { code: again.data.inviteToCareCircle.code }, anna.token);
    expect((await fetch(feedUrl(t, url))).status).toBe(404);
  });

  it("weeks after a removal, the removed member holds nothing: the shift near its start went to volunteers as a gap", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 1);
    const [anna] = members;
    await t.gql(
      ADD_TASK,
      { c: circleId, i: { title: "Wassen", categoryId: CAT.company, ...localSlot(t, 30), durationMinutes: 60, weekdays: [1, 2, 3, 4, 5, 6, 7] } },
      coordinator.token,
    );
    const [first, second] = await shiftsOf(t, circleId, anna.token);
    await t.gql(CLAIM, { id: first.id }, anna.token);
    await t.gql(CLAIM, { id: second.id }, anna.token);
    await t.gql(REMOVE, { c: circleId, p: anna.id }, coordinator.token);
    await t.app.services.sweeps.run();
    const posted = (await shiftsOf(t, circleId, coordinator.token)).find((s: any) => s.id === first.id);
    expect(posted).toMatchObject({ status: "OPEN", assignee: null });
    expect(posted.helpRequestId).toMatch(/^hr_/);
    for (let week = 0; week < 4; week++) {
      t.clock.advance(7 * 24 * 3600_000);
      await t.app.services.sweeps.run();
      const held = (await shiftsOf(t, circleId, coordinator.token)).filter((s: any) => s.assignee?.id === anna.id);
      expect(held).toEqual([]);
    }
    expect((await t.gql(`{ myCareShifts { edges { node { id } } } }`, {}, anna.token)).data.myCareShifts.edges).toEqual([]);
    t.clock.advance(-4 * 7 * 24 * 3600_000);
  }, 120_000);

  it("LAST_COORDINATOR: several coordinators; a demotion or removal that would leave none is refused", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 2);
    const [anna] = members;
    expect(reasonOf(await t.gql(ROLE, { c: circleId, p: coordinator.id, r: "MEMBER" }, coordinator.token))).toBe("LAST_COORDINATOR");
    await t.gql(ROLE, { c: circleId, p: anna.id, r: "COORDINATOR" }, coordinator.token);
    expect((await t.gql(MEMBERS, { c: circleId }, anna.token)).data.careCircle.myRole).toBe("COORDINATOR");
    // Anna, now coordinator, demotes the first; he keeps his membership.
    expect((await t.gql(ROLE, { c: circleId, p: coordinator.id, r: "MEMBER" }, anna.token)).errors).toBeUndefined();
    expect((await t.gql(MEMBERS, { c: circleId }, coordinator.token)).data.careCircle.myRole).toBe("MEMBER");
    expect(reasonOf(await t.gql(ROLE, { c: circleId, p: anna.id, r: "MEMBER" }, anna.token))).toBe("LAST_COORDINATOR");
    expect(reasonOf(await t.gql(ROLE, { c: circleId, p: anna.id, r: "COORDINATOR" }, coordinator.token))).toBe("CIRCLE_COORDINATOR_ONLY");
  });

  it("COORDINATOR_MUST_HAND_OVER: the only coordinator leaves naming a successor, who takes over in the same step", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 2);
    const [anna, bert] = members;
    expect(reasonOf(await t.gql(LEAVE, { c: circleId }, coordinator.token))).toBe("COORDINATOR_MUST_HAND_OVER");
    const outsider = await buildPerson(t);
    expect(reasonOf(await t.gql(LEAVE, { c: circleId, s: outsider.id }, coordinator.token))).toBe("NOT_A_CIRCLE_MEMBER");
    expect(reasonOf(await t.gql(LEAVE, { c: circleId, s: anna.id }, bert.token))).toBe("CIRCLE_COORDINATOR_ONLY");
    expect((await t.gql(LEAVE, { c: circleId, s: bert.id }, coordinator.token)).data.leaveCareCircle).toBe(true);
    const now = (await t.gql(MEMBERS, { c: circleId }, bert.token)).data.careCircle;
    expect(now.myRole).toBe("COORDINATOR");
    expect(now.members.map((m: any) => m.person.id).sort()).toEqual([anna.id, bert.id].sort());
    // A plain member leaves freely.
    expect((await t.gql(LEAVE, { c: circleId }, anna.token)).data.leaveCareCircle).toBe(true);
  });

  it("MUNICIPAL_COORDINATOR_ONLY, CIRCLE_HAS_COORDINATOR: when nobody is left, a coordinator of the municipality appoints one", async () => {
    const { circleId, coordinator } = await buildCircle(t, 0);
    expect((await t.gql(LEAVE, { c: circleId }, coordinator.token)).data.leaveCareCircle).toBe(true);
    const municipality = await buildCoordinator(t);
    const orphans = (await t.gql(ORPHANS, {}, municipality.token)).data.careCirclesWithoutCoordinator;
    expect(orphans).toContainEqual({ id: circleId, memberCount: 0 });
    expect(reasonOf(await t.gql(ORPHANS, {}, coordinator.token))).toBe("MUNICIPAL_COORDINATOR_ONLY");
    const daughter = await buildPerson(t, { firstName: "Dochter" });
    expect(reasonOf(await t.gql(APPOINT, { c: circleId, p: daughter.id }, daughter.token))).toBe("MUNICIPAL_COORDINATOR_ONLY");
    expect(reasonOf(await t.gql(APPOINT, { c: "circle_unknown", p: daughter.id }, municipality.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    expect(reasonOf(await t.gql(APPOINT, { c: circleId, p: "per_unknown" }, municipality.token))).toBe("PERSON_NOT_FOUND");
    expect((await t.gql(APPOINT, { c: circleId, p: daughter.id }, municipality.token)).data.appointCareCircleCoordinator).toBe(circleId);
    expect((await t.gql(MEMBERS, { c: circleId }, daughter.token)).data.careCircle.myRole).toBe("COORDINATOR");
    expect(reasonOf(await t.gql(APPOINT, { c: circleId, p: coordinator.id }, municipality.token))).toBe("CIRCLE_HAS_COORDINATOR");
    // The municipality itself does not become a member.
    expect(reasonOf(await t.gql(MEMBERS, { c: circleId }, municipality.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    expect((await t.gql(ORPHANS, {}, municipality.token)).data.careCirclesWithoutCoordinator.map((o: any) => o.id)).not.toContain(circleId);
    await joinCircle(t, circleId, daughter);
  });
});
