import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, buildVolunteer } from "../support/builders.js";
import { ADD_TASK, buildCircle, feedUrl, localSlot, shiftsOf } from "../support/care-circle.js";
import { type TestApp, collect, reasonOf, startTestApp } from "../support/test-app.js";
import { careEraser } from "../../src/modules/care/care.erasure.js";
import { careExporter } from "../../src/modules/care/care.export.js";
import { careRetention } from "../../src/modules/care/care.retention.js";

const POST = `mutation($c: ID!, $b: String!, $a: Boolean) { postCareMessage(circleId: $c, body: $b, announcement: $a) { id body announcement author { id } } }`;
const POST_SHIFT = `mutation($s: ID!, $b: String!) { postCareShiftMessage(shiftId: $s, body: $b) { id body } }`;
const THREAD = `query($c: ID!) { careCircle(id: $c) { messages { body announcement author { id } } } }`;
const SHIFT_THREAD = `query($s: ID!) { careShift(id: $s) { messages { body author { id } } } }`;
const NODE_THREAD = `query($s: ID!) { node(id: $s) { ... on CareShift { messages { body } } } }`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const RELEASE = `mutation($id: ID!) { releaseHelpRequest(id: $id) { status } }`;
const KEY = "De sleutel ligt bij de buren op nummer 7";

describe.each(backends())("care circle messages on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  /** A circle whose next shift, a day ahead, is posted to volunteers as a gap. */
  async function circleWithGap() {
    const circle = await buildCircle(t, 1);
    await t.gql(
      ADD_TASK,
      { c: circle.circleId, i: { title: "Douchen", categoryId: CAT.company, notes: "Valgevaar", ...localSlot(t, 24), durationMinutes: 60, weekdays: [] } },
      circle.coordinator.token,
    );
    await t.app.services.care.sweep();
    const [gap] = await shiftsOf(t, circle.circleId, circle.coordinator.token);
    expect(gap.helpRequestId).toMatch(/^hr_/);
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.company] });
    return { ...circle, gap, volunteer };
  }
  const shiftThread = async (shiftId: string, who: Account) => t.gql(SHIFT_THREAD, { s: shiftId }, who.token);

  it("CARE_MESSAGE_NOT_ALLOWED: members talk in the circle's thread, coordinators announce; outsiders and anonymous read nothing", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 2);
    const [anna, bert] = members;
    expect((await t.gql(POST, { c: circleId, b: "Vanaf maandag eet moeder om 12 uur", a: true }, coordinator.token)).data.postCareMessage).toMatchObject({
      announcement: true,
      author: { id: coordinator.id },
    });
    expect(reasonOf(await t.gql(POST, { c: circleId, b: "Ik ook", a: true }, anna.token))).toBe("CARE_MESSAGE_NOT_ALLOWED");
    await t.gql(POST, { c: circleId, b: "Ik neem donderdag" }, anna.token);
    const thread = (await t.gql(THREAD, { c: circleId }, bert.token)).data.careCircle.messages;
    expect(thread.map((m: any) => [m.body, m.announcement])).toEqual([
      ["Vanaf maandag eet moeder om 12 uur", true],
      ["Ik neem donderdag", false],
    ]);
    expect(reasonOf(await t.gql(POST, { c: circleId, b: " " }, anna.token))).toBe("INVALID_INPUT");
    expect(reasonOf(await t.gql(POST, { c: circleId, b: "x".repeat(1001) }, anna.token))).toBe("INVALID_INPUT");
    const other = await buildCircle(t, 0, "Kees");
    expect(reasonOf(await t.gql(THREAD, { c: circleId }, other.coordinator.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    expect(reasonOf(await t.gql(POST, { c: circleId, b: "hallo" }, other.coordinator.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    expect((await t.gql(THREAD, { c: circleId })).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("a shift's thread reaches the covering volunteer only while they cover it, and its gap lands in their own calendar feed", async () => {
    const { circleId, coordinator, members, gap, volunteer } = await circleWithGap();
    await t.gql(POST_SHIFT, { s: gap.id, b: KEY }, members[0].token);
    // Before accepting: the shift's thread is as unknown as the shift.
    expect(reasonOf(await shiftThread(gap.id, volunteer))).toBe("CARE_SHIFT_NOT_FOUND");
    expect(reasonOf(await t.gql(POST_SHIFT, { s: gap.id, b: "Hallo" }, volunteer.token))).toBe("CARE_SHIFT_NOT_FOUND");
    const feed = feedUrl(t, (await t.gql(`mutation { careCoverCalendarFeed }`, {}, volunteer.token)).data.careCoverCalendarFeed);
    expect(await (await fetch(feed)).text()).not.toContain("Douchen");

    expect((await t.gql(ACCEPT, { id: gap.helpRequestId }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    expect((await shiftThread(gap.id, volunteer)).data.careShift.messages).toEqual([{ body: KEY, author: { id: members[0].id } }]);
    expect((await t.gql(NODE_THREAD, { s: gap.id }, volunteer.token)).data.node.messages).toEqual([{ body: KEY }]);
    expect((await t.gql(POST_SHIFT, { s: gap.id, b: "Ik bel aan bij nummer 7" }, volunteer.token)).errors).toBeUndefined();
    expect((await shiftThread(gap.id, coordinator)).data.careShift.messages.map((m: any) => m.body)).toEqual([KEY, "Ik bel aan bij nummer 7"]);
    // The circle's own thread stays the members'.
    expect(reasonOf(await t.gql(THREAD, { c: circleId }, volunteer.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    const covering = await (await fetch(feed)).text();
    expect(covering).toContain("Douchen");
    expect(covering).toContain(`UID:${gap.id}`);

    // Handed back: the thread and the feed entry go with it.
    await t.gql(RELEASE, { id: gap.helpRequestId }, volunteer.token);
    expect(reasonOf(await shiftThread(gap.id, volunteer))).toBe("CARE_SHIFT_NOT_FOUND");
    expect((await t.gql(NODE_THREAD, { s: gap.id }, volunteer.token)).data.node).toBeNull();
    expect(await (await fetch(feed)).text()).not.toContain("Douchen");
    // A second volunteer takes it: they read the thread, the first does not.
    const second = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.company] });
    await t.gql(ACCEPT, { id: gap.helpRequestId }, second.token);
    expect((await shiftThread(gap.id, second)).data.careShift.messages).toHaveLength(2);
    expect(reasonOf(await shiftThread(gap.id, volunteer))).toBe("CARE_SHIFT_NOT_FOUND");
  });

  it("after the covered shift has passed (done or missed), the volunteer no longer reads its thread", async () => {
    const { gap, volunteer, members } = await circleWithGap();
    await t.gql(POST_SHIFT, { s: gap.id, b: KEY }, members[0].token);
    await t.gql(ACCEPT, { id: gap.helpRequestId }, volunteer.token);
    expect((await shiftThread(gap.id, volunteer)).data.careShift.messages).toHaveLength(1);
    t.clock.advance(3 * 24 * HOUR);
    await t.app.services.sweeps.run();
    expect((await t.gql(`query($s: ID!) { careShift(id: $s) { status } }`, { s: gap.id }, members[0].token)).data.careShift.status).toMatch(/^(DONE|MISSED)$/);
    expect(reasonOf(await shiftThread(gap.id, volunteer))).toBe("CARE_SHIFT_NOT_FOUND");
    expect((await shiftThread(gap.id, members[0])).data.careShift.messages).toHaveLength(1);
    t.clock.advance(-3 * 24 * HOUR);
  });

  it("a removed member and a member of another circle read no thread; live changes say a message came, never what it says", async () => {
    const { circleId, coordinator, members, gap } = await circleWithGap();
    const [anna] = members;
    const live = collect(t.ws(coordinator.token), `subscription($c: ID!) { careCircleChanged(circleId: $c) { kind shift { id } } }`, { c: circleId });
    await new Promise((r) => setTimeout(r, 300));
    await t.gql(POST_SHIFT, { s: gap.id, b: KEY }, anna.token);
    const change = (await live.next(3000)).data.careCircleChanged;
    expect(change).toEqual({ kind: "MESSAGE_POSTED", shift: { id: gap.id } });
    await t.gql(`mutation($c: ID!, $p: ID!) { removeCareCircleMember(circleId: $c, personId: $p) }`, { c: circleId, p: anna.id }, coordinator.token);
    expect(reasonOf(await shiftThread(gap.id, anna))).toBe("CARE_SHIFT_NOT_FOUND");
    expect(reasonOf(await t.gql(THREAD, { c: circleId }, anna.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    const other = await buildCircle(t, 0, "Kees");
    expect(reasonOf(await shiftThread(gap.id, other.coordinator))).toBe("CARE_SHIFT_NOT_FOUND");
    // No notification anywhere carries a message's text.
    const db = t.app.services.db;
    const notes = await db.read.select().from(db.tables.notificationDeliveries);
    expect(JSON.stringify(notes)).not.toContain("sleutel");
    expect(JSON.stringify(await db.read.select().from(db.tables.eventLog))).not.toContain("sleutel");
  });

  it("messages are personal data: exported to their author only, erasure keeps the thread without the name, retention ends them with the circle's term", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 1);
    const [anna] = members;
    await t.gql(POST, { c: circleId, b: "Ik ben er zaterdag niet" }, anna.token);
    await t.gql(POST, { c: circleId, b: "Goed, ik neem het over" }, coordinator.token);
    const db = t.app.services.db as any;
    const annas = JSON.stringify(await careExporter(db).export(anna.id));
    expect(annas).toContain("Ik ben er zaterdag niet");
    expect(annas).not.toContain("Goed, ik neem het over");

    await careEraser(db, t.clock).erase(anna.id);
    const thread = (await t.gql(THREAD, { c: circleId }, coordinator.token)).data.careCircle.messages;
    expect(thread).toEqual([
      { body: "Ik ben er zaterdag niet", announcement: false, author: null },
      { body: "Goed, ik neem het over", announcement: false, author: { id: coordinator.id } },
    ]);
    expect(JSON.stringify(await careExporter(db).export(anna.id))).not.toContain("zaterdag");

    const later = new Date(t.clock.now().getTime() + 366 * 24 * HOUR);
    const report = await careRetention(db, 365).apply(later);
    expect(report.removed).toBeGreaterThanOrEqual(2);
    expect((await t.gql(THREAD, { c: circleId }, coordinator.token)).data.careCircle.messages).toEqual([]);
  });
});
