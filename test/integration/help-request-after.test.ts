import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HelpRequestAfterRepository } from "../../src/modules/help-requests/help-request.after.repository.js";
import { backends } from "../support/backends.js";
import { type Account, HOUR, NB, askForHelp, buildCoordinator, buildOrganisation, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status } }`;
const START = `mutation($id: ID!) { startHelpRequest(id: $id) { status } }`;
const COMPLETE = `mutation($id: ID!) { completeHelpRequest(id: $id) { status } }`;
const THANK = `mutation($r: ID!, $m: String!) { thankVolunteer(helpRequestId: $r, message: $m) { helpRequestId message } }`;
const FOLLOW = `mutation($r: ID!, $i: HelpFollowUpInput!) { giveHelpFollowUp(helpRequestId: $r, input: $i) { happened moreNeeded note linkedRequestId professionalAsked } }`;
const HOURS = `mutation($r: ID!, $m: Int) { recordVolunteerHours(helpRequestId: $r, minutes: $m) { helpRequestId minutes month } }`;
const MY_HOURS = `query($y: Int) { myVolunteerHours(year: $y) { year totalMinutes months { month minutes requests } } }`;
const AFTER = `query($id: ID!) { helpRequest(id: $id) { status thanks { message } followUp { moreNeeded } myHours { minutes } suggestedMinutes } }`;

describe.each(backends())("after the help on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  /** A request asked by `asker` (or a new resident), matched with a new volunteer, and DONE unless `done` is false. */
  async function helped(o: { asker?: Account; overrides?: Record<string, unknown>; done?: boolean } = {}) {
    const asker = o.asker ?? (await buildPerson(t, { firstName: "Mien" }));
    const req = await askForHelp(t, asker.token, o.overrides ?? {});
    const volunteer = await buildVolunteer(t, { firstName: "Vera" });
    expect((await t.gql(ACCEPT, { id: req.id }, volunteer.token)).data.acceptHelpRequest.status).toBe("MATCHED");
    if (o.done !== false) {
      await t.gql(START, { id: req.id }, volunteer.token);
      expect((await t.gql(COMPLETE, { id: req.id }, volunteer.token)).data.completeHelpRequest.status).toBe("DONE");
    }
    return { asker, req, volunteer };
  }

  it("ALREADY_THANKED: the person helped thanks the volunteer privately, once; the volunteer reads it, nobody else does", async () => {
    const { asker, req, volunteer } = await helped();
    const r = await t.gql(THANK, { r: req.id, m: "Dank je wel, Vera!" }, asker.token);
    expect(r.data.thankVolunteer).toEqual({ helpRequestId: req.id, message: "Dank je wel, Vera!" });
    expect((await t.gql(AFTER, { id: req.id }, volunteer.token)).data.helpRequest.thanks).toEqual({ message: "Dank je wel, Vera!" });
    expect((await t.gql(`{ myThanks { helpRequestId message } }`, {}, volunteer.token)).data.myThanks).toEqual([{ helpRequestId: req.id, message: "Dank je wel, Vera!" }]);
    // A coordinator follows the request's history, but the thanks are private.
    const coordinator = await buildCoordinator(t);
    expect((await t.gql(AFTER, { id: req.id }, coordinator.token)).data.helpRequest.thanks).toBeNull();
    const again = await t.gql(THANK, { r: req.id, m: "Nog eens" }, asker.token);
    expect(codeOf(again)).toBe("CONFLICT");
    expect(reasonOf(again)).toBe("ALREADY_THANKED");
  });

  it("HELP_REQUEST_NOT_DONE, NOT_THE_REQUESTER, HELP_REQUEST_NOT_FOUND: thanks and follow-up before DONE and by the wrong people are refused", async () => {
    const { asker, req, volunteer } = await helped({ done: false });
    expect(reasonOf(await t.gql(THANK, { r: req.id, m: "Dank" }, asker.token))).toBe("HELP_REQUEST_NOT_DONE");
    expect(reasonOf(await t.gql(FOLLOW, { r: req.id, i: { happened: true, moreNeeded: "NOTHING" } }, asker.token))).toBe("HELP_REQUEST_NOT_DONE");
    await t.gql(COMPLETE, { id: req.id }, asker.token);
    const self = await t.gql(THANK, { r: req.id, m: "Graag gedaan" }, volunteer.token);
    expect(codeOf(self)).toBe("FORBIDDEN");
    expect(reasonOf(self)).toBe("NOT_THE_REQUESTER");
    expect(reasonOf(await t.gql(FOLLOW, { r: req.id, i: { happened: true, moreNeeded: "NOTHING" } }, volunteer.token))).toBe("NOT_THE_REQUESTER");
    const otherVolunteer = await buildVolunteer(t);
    const elsewhere = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad] });
    for (const who of [otherVolunteer, elsewhere, await buildPerson(t)]) {
      expect(reasonOf(await t.gql(THANK, { r: req.id, m: "Dank" }, who.token))).toBe("HELP_REQUEST_NOT_FOUND");
      expect(reasonOf(await t.gql(FOLLOW, { r: req.id, i: { happened: true, moreNeeded: "NOTHING" } }, who.token))).toBe("HELP_REQUEST_NOT_FOUND");
    }
    expect(codeOf(await t.gql(THANK, { r: req.id, m: "Dank" }))).toBe("UNAUTHENTICATED");
    expect(reasonOf(await t.gql(THANK, { r: req.id, m: "" }, asker.token))).toBe("INVALID_INPUT");
  });

  it("FOLLOW_UP_ALREADY_GIVEN: a wijkwinkel that asked on behalf thanks and follows up once; more needed opens a new request prefilled and linked both ways", async () => {
    const coordinator = await buildCoordinator(t);
    const org = await buildOrganisation(t, { coordinator });
    const { req, volunteer } = await helped({
      asker: org.organiser,
      overrides: { askingOrganisationId: org.id, title: "Boodschappen voor Kees", personHelped: { firstName: "Kees", neighbourhoodId: NB.oudKrispijn, phone: "06 5555 6666" } },
    });
    expect((await t.gql(THANK, { r: req.id, m: "Kees zegt dank je" }, org.organiser.token)).errors).toBeUndefined();
    const f = await t.gql(FOLLOW, { r: req.id, i: { happened: true, moreNeeded: "NEW_REQUEST", note: "Volgende week weer" } }, org.organiser.token);
    expect(f.data.giveHelpFollowUp).toMatchObject({ happened: true, moreNeeded: "NEW_REQUEST", note: "Volgende week weer", professionalAsked: false });
    const linkedId = f.data.giveHelpFollowUp.linkedRequestId;
    const LINKED = `query($id: ID!) { helpRequest(id: $id) { id title status askedOnBehalf personHelped { firstName } category { id } neighbourhood { id } followsUpOn { id } followUpRequest { id } } }`;
    const next = (await t.gql(LINKED, { id: linkedId }, org.organiser.token)).data.helpRequest;
    expect(next).toMatchObject({
      title: "Boodschappen voor Kees",
      status: "OPEN",
      askedOnBehalf: true,
      personHelped: { firstName: "Kees" },
      followsUpOn: { id: req.id },
      followUpRequest: null,
    });
    expect((await t.gql(LINKED, { id: req.id }, org.organiser.token)).data.helpRequest.followUpRequest).toEqual({ id: linkedId });
    // The volunteer of the old request does not see the follow-up (it is the asking side's).
    expect((await t.gql(AFTER, { id: req.id }, volunteer.token)).data.helpRequest.followUp).toBeNull();
    const twice = await t.gql(FOLLOW, { r: req.id, i: { happened: true, moreNeeded: "NOTHING" } }, org.organiser.token);
    expect(reasonOf(twice)).toBe("FOLLOW_UP_ALREADY_GIVEN");
  });

  it("a follow-up that needs a professional opens a case for the person helped", async () => {
    const { asker, req } = await helped();
    const f = await t.gql(FOLLOW, { r: req.id, i: { happened: false, moreNeeded: "PROFESSIONAL", note: "Het gaat niet meer alleen" } }, asker.token);
    expect(f.data.giveHelpFollowUp).toMatchObject({ happened: false, moreNeeded: "PROFESSIONAL", professionalAsked: true, linkedRequestId: null });
    const db = t.app.services.db;
    const [row] = (await db.read.select().from(db.tables.helpRequestFollowUps)).filter((x) => x.helpRequestId === req.id);
    const cases = (await db.read.select().from(db.tables.escalations)).filter((e) => e.id === row.escalationId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ subjectId: asker.id, trigger: "DIRECT_REQUEST", flagReason: "OTHER" });
    expect((await t.gql(AFTER, { id: req.id }, asker.token)).data.helpRequest.followUp).toEqual({ moreNeeded: "PROFESSIONAL" });
  });

  it("NOT_THE_HELPING_VOLUNTEER, VOLUNTEER_ONLY: hours are prefilled from the window, bounded, once per request, editable later by the volunteer only", async () => {
    const { asker, req, volunteer } = await helped({
      done: false,
      overrides: { windowStart: new Date(t.clock.now().getTime() + HOUR).toISOString(), windowEnd: new Date(t.clock.now().getTime() + 3.5 * HOUR).toISOString() },
    });
    expect(reasonOf(await t.gql(HOURS, { r: req.id }, volunteer.token))).toBe("HELP_REQUEST_NOT_DONE");
    await t.gql(COMPLETE, { id: req.id }, asker.token);
    expect((await t.gql(AFTER, { id: req.id }, volunteer.token)).data.helpRequest.suggestedMinutes).toBe(150);
    expect((await t.gql(AFTER, { id: req.id }, asker.token)).data.helpRequest.suggestedMinutes).toBeNull();
    const first = await t.gql(HOURS, { r: req.id }, volunteer.token);
    expect(first.data.recordVolunteerHours.minutes).toBe(150);
    expect(reasonOf(await t.gql(HOURS, { r: req.id, m: 4 }, volunteer.token))).toBe("INVALID_INPUT");
    expect(reasonOf(await t.gql(HOURS, { r: req.id, m: 721 }, volunteer.token))).toBe("INVALID_INPUT");
    const edited = await t.gql(HOURS, { r: req.id, m: 90 }, volunteer.token);
    expect(edited.data.recordVolunteerHours.minutes).toBe(90);
    expect((await t.gql(AFTER, { id: req.id }, volunteer.token)).data.helpRequest.myHours).toEqual({ minutes: 90 });
    // Nobody else records or reads them.
    expect(reasonOf(await t.gql(HOURS, { r: req.id, m: 60 }, asker.token))).toBe("VOLUNTEER_ONLY");
    expect(reasonOf(await t.gql(HOURS, { r: req.id, m: 60 }, (await buildVolunteer(t)).token))).toBe("HELP_REQUEST_NOT_FOUND");
    expect((await t.gql(AFTER, { id: req.id }, asker.token)).data.helpRequest.myHours).toBeNull();
    expect(codeOf(await t.gql(MY_HOURS, {}))).toBe("UNAUTHENTICATED");
    // A volunteer who asked for help themself sees the request, but did not give the help.
    const askingVolunteer = await buildVolunteer(t);
    const own = await helped({ asker: askingVolunteer });
    const notTheirs = await t.gql(HOURS, { r: own.req.id, m: 60 }, askingVolunteer.token);
    expect(codeOf(notTheirs)).toBe("FORBIDDEN");
    expect(reasonOf(notTheirs)).toBe("NOT_THE_HELPING_VOLUNTEER");
    // A long window is prefilled with the most one request may count.
    const long = await helped();
    expect((await t.gql(HOURS, { r: long.req.id }, long.volunteer.token)).data.recordVolunteerHours.minutes).toBe(720);
  });

  it("hours are summed per Europe/Amsterdam month across a month boundary, and per neighbourhood and month for the statistics", async () => {
    // The first moment of next month in Amsterdam: help half an hour before it counts in this month, half an hour after in the next.
    const boundary = DateTime.fromJSDate(t.clock.now(), { zone: "Europe/Amsterdam" }).plus({ months: 1 }).startOf("month");
    if (boundary.toMillis() - t.clock.now().getTime() < 3 * HOUR) t.clock.advance(4 * HOUR);
    const before = boundary.minus({ minutes: 30 });
    const after = boundary.plus({ minutes: 30 });
    const volunteer = await buildVolunteer(t, { firstName: "Uur" });
    const at = async (start: DateTime, minutes: number) => {
      const asker = await buildPerson(t);
      const req = await askForHelp(t, asker.token, { neighbourhoodId: NB.wielwijk, windowStart: start.toUTC().toISO(), windowEnd: start.plus({ hours: 2 }).toUTC().toISO() });
      await t.gql(ACCEPT, { id: req.id }, volunteer.token);
      await t.gql(COMPLETE, { id: req.id }, asker.token);
      const r = await t.gql(HOURS, { r: req.id, m: minutes }, volunteer.token);
      expect(r.errors).toBeUndefined();
      return r.data.recordVolunteerHours.month as string;
    };
    const thisMonth = before.toFormat("yyyy-LL");
    const nextMonth = after.toFormat("yyyy-LL");
    expect(await at(before, 60)).toBe(thisMonth);
    expect(await at(before.minus({ days: 3 }), 45)).toBe(thisMonth);
    expect(await at(after, 30)).toBe(nextMonth);
    const years = [...new Set([before.year, after.year])];
    const months = (await Promise.all(years.map(async (y) => (await t.gql(MY_HOURS, { y }, volunteer.token)).data.myVolunteerHours.months))).flat();
    expect(months).toEqual([
      { month: thisMonth, minutes: 105, requests: 2 },
      { month: nextMonth, minutes: 30, requests: 1 },
    ]);
    const year = (await t.gql(MY_HOURS, { y: after.year }, volunteer.token)).data.myVolunteerHours;
    expect(year.totalMinutes).toBe(year.months.reduce((n: number, m: { minutes: number }) => n + m.minutes, 0));
    // The statistics' figure: per neighbourhood and month, with the number of volunteers behind it.
    const stats = await new HelpRequestAfterRepository(t.app.services.db).minutesByNeighbourhoodAndMonth(thisMonth, nextMonth);
    expect(stats.filter((s) => s.neighbourhoodId === NB.wielwijk)).toEqual([
      { neighbourhoodId: NB.wielwijk, month: thisMonth, minutes: 105, requests: 2, volunteers: 1 },
      { neighbourhoodId: NB.wielwijk, month: nextMonth, minutes: 30, requests: 1, volunteers: 1 },
    ]);
    expect(reasonOf(await t.gql(MY_HOURS, { y: 1999 }, volunteer.token))).toBe("INVALID_INPUT");
  });
});

describe.each(backends())("offers, thanks, follow-ups and hours in export, erasure and retention on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("are in the person's export, erased with the person (hours kept without them), and go with the request's term", async () => {
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token, { choiceMode: true });
    const [volunteer, other] = [await buildVolunteer(t), await buildVolunteer(t)];
    const OFFER = `mutation($r: ID!, $note: String!) { offerToHelp(helpRequestId: $r, note: $note) { id } }`;
    const offer = (await t.gql(OFFER, { r: req.id, note: "Ik woon om de hoek" }, volunteer.token)).data.offerToHelp.id;
    await t.gql(OFFER, { r: req.id, note: "Ik kan ook" }, other.token);
    expect((await t.gql(`mutation($id: ID!) { pickHelpOffer(id: $id) { status } }`, { id: offer }, resident.token)).errors).toBeUndefined();
    await t.gql(COMPLETE, { id: req.id }, resident.token);
    await t.gql(THANK, { r: req.id, m: "Heel fijn" }, resident.token);
    await t.gql(FOLLOW, { r: req.id, i: { happened: true, moreNeeded: "NOTHING", note: "Alles goed" } }, resident.token);
    await t.gql(HOURS, { r: req.id, m: 75 }, volunteer.token);

    const { personalDataExporters } = await import("../../src/app.exports.js");
    const exporter = personalDataExporters(t.app.services.db).find((e) => e.section === "helpAfter")!;
    expect(await exporter.export(volunteer.id)).toMatchObject({
      offersToHelp: [{ helpRequestId: req.id, note: "Ik woon om de hoek", status: "PICKED" }],
      thanks: [{ helpRequestId: req.id, yourPart: "RECEIVED", message: "Heel fijn" }],
      followUps: [],
      volunteerHours: [{ helpRequestId: req.id, minutes: 75 }],
    });
    expect(await exporter.export(resident.id)).toMatchObject({
      offersToHelp: [],
      thanks: [{ yourPart: "GAVE", message: "Heel fijn" }],
      followUps: [{ happened: true, moreNeeded: "NOTHING", note: "Alles goed" }],
      volunteerHours: [],
    });

    const { personalDataErasers } = await import("../../src/app.erasers.js");
    const erasers = personalDataErasers(t.app.services.db, t.clock, { apiKeysRevoked: () => undefined }).filter((e) => e.section === "helpAfter");
    expect(erasers).toHaveLength(1);
    await t.app.services.db.transaction(() => erasers[0].erase(volunteer.id));
    const db = t.app.services.db;
    const hours = (await db.read.select().from(db.tables.volunteerHours)).filter((h) => h.helpRequestId === req.id);
    expect(hours).toEqual([expect.objectContaining({ volunteerId: null, minutes: 75 })]);
    expect((await db.read.select().from(db.tables.helpRequestThanks)).filter((x) => x.helpRequestId === req.id)).toEqual([]);
    expect((await db.read.select().from(db.tables.helpRequestOffers)).find((o) => o.id === offer)?.note).toBe("[verwijderd]");

    // Past the request's term the offers and the follow-up go; the minutes stay for the statistics.
    t.clock.advance(731 * 24 * HOUR);
    await t.app.services.retention.run();
    expect((await db.read.select().from(db.tables.helpRequestOffers)).filter((o) => o.helpRequestId === req.id)).toEqual([]);
    expect((await db.read.select().from(db.tables.helpRequestFollowUps)).filter((o) => o.helpRequestId === req.id)).toEqual([]);
    expect((await db.read.select().from(db.tables.volunteerHours)).filter((h) => h.helpRequestId === req.id)).toEqual([
      expect.objectContaining({ volunteerId: null, minutes: 75 }),
    ]);
  });
});
