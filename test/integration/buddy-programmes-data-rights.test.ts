import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { TEAM, buildProfessional } from "../support/builders.js";
import { CHECK_IN, DAY, END, EVALUATE, MATCH, buildBuddy, buildProgramme, participantAccount, refer } from "../support/buddy-builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const EXPORT = `mutation { requestDataExport { id } }`;
const EXPORT_ONE = `query($id: ID!) { dataExport(id: $id) { status downloadUrl } }`;
const ERASE = `mutation { requestErasure { status sections { section erased } } }`;

describe.each(backends())("buddy programme data under the data rights and retention on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  async function exported(token: string) {
    const r = await t.gql(EXPORT, {}, token);
    expect(r.errors).toBeUndefined();
    for (let i = 0; i < 500; i++) {
      const job = (await t.gql(EXPORT_ONE, { id: r.data.requestDataExport.id }, token)).data.dataExport;
      if (job.status === "READY") {
        const res = await fetch(new URL(job.downloadUrl, t.url), { headers: { authorization: `Bearer ${token}` } });
        return JSON.parse(await res.text()).sections.buddyProgrammes;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("the export did not finish");
  }

  it("a participant's export holds their place, consent, match, check-ins and own evaluation; erasure waits for an open match (ERASURE_BLOCKED_OPEN_MATCH) and then clears their profile and notes; retention deletes check-ins two years after the end", async () => {
    const p = await buildProgramme(t);
    const prof = await buildProfessional(t, TEAM.westSocial, p.org.coordinator);
    const amal = await participantAccount(t, "Amal");
    const place = await refer(t, prof.token, p.id, { personId: amal.id, consentNote: "mondeling, bij het wijkteam" });
    const buddy = await buildBuddy(t, p);
    const match = (await t.gql(MATCH, { input: { participantId: place.id, buddyId: buddy.id } }, p.org.organiser.token)).data.matchBuddy.id;
    expect((await t.gql(CHECK_IN, { id: match, note: "Boodschappenlijst geoefend" }, amal.token)).errors).toBeUndefined();
    expect((await t.gql(CHECK_IN, { id: match, note: "Samen gekookt" }, buddy.volunteer.token)).errors).toBeUndefined();

    const mine = await exported(amal.token);
    expect(mine.participations).toEqual([expect.objectContaining({ id: place.id, referral: "PROFESSIONAL", consentNote: "mondeling, bij het wijkteam", languages: ["ar", "nl"] })]);
    expect(mine.matches).toEqual([expect.objectContaining({ id: match, status: "ACTIVE" })]);
    expect(mine.checkins.map((c: any) => c.note)).toEqual(["Boodschappenlijst geoefend"]);
    const theirs = await exported(buddy.volunteer.token);
    expect(theirs.asBuddy).toEqual([expect.objectContaining({ id: buddy.id })]);
    expect(theirs.checkins.map((c: any) => c.note)).toEqual(["Samen gekookt"]);

    const blocked = await t.gql(ERASE, {}, amal.token);
    expect((blocked.errors![0].extensions as { blockers: { reason: string }[] }).blockers.map((b) => b.reason)).toContain("ERASURE_BLOCKED_OPEN_MATCH");

    expect((await t.gql(END, { id: match, e: { wentWell: true, note: "Ik durf nu te bellen" } }, amal.token)).errors).toBeUndefined();
    expect((await t.gql(EVALUATE, { id: match, e: { wentWell: true, note: "Mooie tijd" } }, buddy.volunteer.token)).errors).toBeUndefined();
    const erased = await t.gql(ERASE, {}, amal.token);
    expect(erased.errors).toBeUndefined();
    const section = erased.data.requestErasure.sections.find((s: any) => s.section === "buddyProgrammes");
    expect(section.erased).toEqual(
      expect.arrayContaining(["profiles as buddy programme participant: 1", "notes with buddy check-ins: 1", "notes with buddy match evaluations: 1"]),
    );
    const db = t.app.services.db;
    const row = (await db.read.select().from(db.tables.buddyParticipants)).find((r: any) => r.id === place.id)!;
    expect(row).toMatchObject({ consentNote: null, languages: [], interests: [], neighbourhoodId: null, status: "ENDED" });
    const notes = (await db.read.select().from(db.tables.buddyEvaluations)).filter((e: any) => e.matchId === match).map((e: any) => e.note);
    expect(notes.sort()).toEqual(["Mooie tijd", null].sort());

    // Two years after the end the check-ins go and the buddy's evaluation note is cleared; the verdicts stay.
    t.clock.advance(731 * DAY);
    const report = await t.app.services.sweeps.run();
    expect(report.retention.find((r) => r.kind === "buddyProgrammes")).toMatchObject({ removed: 2 });
    expect((await db.read.select().from(db.tables.buddyCheckins)).filter((c: any) => c.matchId === match)).toEqual([]);
    const kept = (await db.read.select().from(db.tables.buddyEvaluations)).filter((e: any) => e.matchId === match);
    expect(kept.map((e: any) => [e.wentWell, e.note])).toEqual([
      [true, null],
      [true, null],
    ]);
  }, 120_000);
});
