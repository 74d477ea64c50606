import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

/** How far Amsterdam's wall clock is ahead of UTC at an instant. */
function offsetAt(ms: number): number {
  const f = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Amsterdam",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - Math.floor(ms / 60_000) * 60_000;
}

/** The instant of the next ISO `weekday` at least two days from `now`, at HH:MM on Amsterdam's wall clock. */
function nextAmsterdam(now: Date, weekday: number, hh: number, mm = 0): Date {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(now).split("-").map(Number);
  for (let i = 2; i < 10; i++) {
    const day = new Date(Date.UTC(y!, m! - 1, d! + i));
    if ((day.getUTCDay() || 7) !== weekday) continue;
    const wall = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hh, mm);
    return new Date(wall - offsetAt(wall - offsetAt(wall)));
  }
  throw new Error("no such day");
}

const BROWSE = `query($f: HelpRequestFilter) { openHelpRequests(filter: $f, first: 100) { edges { node { id language } } } }`;
const ids = (r: any) => r.data.openHelpRequests.edges.map((e: any) => e.node.id);
const TUESDAY_9_17 = [{ weekday: 2, from: "09:00", to: "17:00" }];

describe.each(backends())("what is shown to a volunteer follows their availability and languages, on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("a volunteer available Tuesdays 9-17 (Amsterdam) is not shown a Thursday-evening request by default, is shown a Tuesday-morning one, and sees both with allTimesAndLanguages", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const now = t.clock.now();
    const thursday = await askForHelp(t, resident.token, {
      neighbourhoodId: NB.wielwijk,
      windowStart: nextAmsterdam(now, 4, 19).toISOString(),
      windowEnd: nextAmsterdam(now, 4, 21).toISOString(),
    });
    const tuesday = await askForHelp(t, resident.token, {
      neighbourhoodId: NB.wielwijk,
      windowStart: nextAmsterdam(now, 2, 10).toISOString(),
      windowEnd: nextAmsterdam(now, 2, 12).toISOString(),
    });
    // Tuesday 17:00-19:00 touches no slot: the slot ends as the window starts.
    const tuesdayEvening = await askForHelp(t, resident.token, {
      neighbourhoodId: NB.wielwijk,
      windowStart: nextAmsterdam(now, 2, 17).toISOString(),
      windowEnd: nextAmsterdam(now, 2, 19).toISOString(),
    });
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries], availability: TUESDAY_9_17 });
    const shown = ids(await t.gql(BROWSE, {}, volunteer.token));
    expect(shown).toContain(tuesday.id);
    expect(shown).not.toContain(thursday.id);
    expect(shown).not.toContain(tuesdayEvening.id);
    const all = ids(await t.gql(BROWSE, { f: { allTimesAndLanguages: true } }, volunteer.token));
    expect(all).toEqual(expect.arrayContaining([tuesday.id, thursday.id, tuesdayEvening.id]));
    // Not a rule of access: the volunteer may still read and accept the Thursday request by its id.
    const read = await t.gql(`query($id: ID!) { helpRequest(id: $id) { id } }`, { id: thursday.id }, volunteer.token);
    expect(read.data.helpRequest.id).toBe(thursday.id);
    // A volunteer who stated no availability is shown both.
    const anyTime = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    expect(ids(await t.gql(BROWSE, {}, anyTime.token))).toEqual(expect.arrayContaining([tuesday.id, thursday.id]));
  });

  it("a request that states a language is shown by default only to volunteers who speak it (or state none); allTimesAndLanguages shows it anyway", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.oudKrispijn });
    const arabic = await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn, language: "AR" });
    const read = await t.gql(`query($id: ID!) { helpRequest(id: $id) { language } }`, { id: arabic.id }, resident.token);
    expect(read.data.helpRequest.language).toBe("ar");
    const dutchOnly = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], languages: ["nl"] });
    const speaksArabic = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], languages: ["nl", "ar"] });
    const unstated = await buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], languages: [] });
    expect(ids(await t.gql(BROWSE, {}, dutchOnly.token))).not.toContain(arabic.id);
    expect(ids(await t.gql(BROWSE, { f: { allTimesAndLanguages: true } }, dutchOnly.token))).toContain(arabic.id);
    expect(ids(await t.gql(BROWSE, {}, speaksArabic.token))).toContain(arabic.id);
    expect(ids(await t.gql(BROWSE, {}, unstated.token))).toContain(arabic.id);
    const bad = await t.gql(
      `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id } }`,
      {
        input: {
          categoryId: CAT.groceries,
          title: "x",
          description: "y",
          language: "arabic",
          windowStart: new Date(Date.now() + 3600_000).toISOString(),
          windowEnd: new Date(Date.now() + 7200_000).toISOString(),
        },
      },
      resident.token,
    );
    expect(bad.errors?.[0].extensions?.field).toBe("input.language");
  });

  it("the live feed of posted requests (and so its notifications) leaves out requests outside the volunteer's availability unless asked for all", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.binnenstad], categoryIds: [CAT.groceries], availability: TUESDAY_9_17 });
    const fitting = collect(t.ws(volunteer.token), `subscription { helpRequestPosted { helpRequest { id } } }`);
    const everything = collect(t.ws(volunteer.token), `subscription { helpRequestPosted(allTimesAndLanguages: true) { helpRequest { id } } }`);
    await new Promise((r) => setTimeout(r, 300));
    const resident = await buildPerson(t, { neighbourhoodId: NB.binnenstad });
    const now = t.clock.now();
    const thursday = await askForHelp(t, resident.token, { windowStart: nextAmsterdam(now, 4, 19).toISOString(), windowEnd: nextAmsterdam(now, 4, 21).toISOString() });
    const tuesday = await askForHelp(t, resident.token, { windowStart: nextAmsterdam(now, 2, 9).toISOString(), windowEnd: nextAmsterdam(now, 2, 11).toISOString() });
    expect((await fitting.next(5000)).data.helpRequestPosted.helpRequest.id).toBe(tuesday.id);
    expect((await everything.next(5000)).data.helpRequestPosted.helpRequest.id).toBe(thursday.id);
    expect((await everything.next(5000)).data.helpRequestPosted.helpRequest.id).toBe(tuesday.id);
  });

  it("offers are narrowed to a window by their weekly availability: a Tuesday-morning offer is not listed for a Thursday evening", async () => {
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.dubbeldam], categoryIds: [CAT.groceries] });
    const posted = await t.gql(
      `mutation($input: PostOfferInput!) { postOffer(input: $input) { listingId } }`,
      { input: { title: "Dinsdag", description: "Boodschappen", categoryIds: [CAT.groceries], neighbourhoodIds: [NB.dubbeldam], availability: TUESDAY_9_17, languages: ["nl"] } },
      volunteer.token,
    );
    const listingId = posted.data.postOffer.listingId;
    const now = t.clock.now();
    const list = async (from: Date, to: Date) =>
      (await t.gql(`query($f: OfferFilter) { offers(filter: $f) { edges { node { id } } } }`, { f: { neighbourhoodIds: [NB.dubbeldam], from, to } })).data.offers.edges.map(
        (e: any) => e.node.id,
      );
    expect(await list(nextAmsterdam(now, 4, 19), nextAmsterdam(now, 4, 21))).not.toContain(listingId);
    expect(await list(nextAmsterdam(now, 2, 16), nextAmsterdam(now, 2, 18))).toContain(listingId);
  });
});
