import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, NB, TEAM, buildPerson, buildProfessional, buildVolunteer } from "../support/builders.js";
import { CANDIDATES, DAY, END, EVALUATE, MATCH, REFER, SIGNALS, buildBuddy, buildProgramme, participantAccount, refer } from "../support/buddy-builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const PARTICIPANT = `query($id: ID!) { node(id: $id) { ... on BuddyParticipant { id status person { firstName languages interests neighbourhood { id } } contact { fullName phone } } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
const NESTED = `query($id: ID!) { buddyProgramme(id: $id) { name participants { id } } }`;
const NESTED_MATCHES = `query($id: ID!) { buddyProgramme(id: $id) { matches { id participant { person { firstName } } } } }`;
const MY_MATCHES = `query { myBuddyMatches { id participant { id person { firstName } contact { fullName } } buddy { person { firstName } contact { fullName } } } }`;

describe.each(backends())("who sees a buddy programme's people on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  async function scene() {
    const p = await buildProgramme(t);
    const other = await buildProgramme(t, { name: "Maatjes voor ouderen", kind: "LONELY_ELDERLY", trainingName: null });
    const prof = await buildProfessional(t, TEAM.westSocial, p.org.coordinator);
    const amal = await participantAccount(t, "Amal", NB.wielwijk);
    const bashir = await participantAccount(t, "Bashir");
    const pa = await refer(t, prof.token, p.id, { personId: amal.id });
    const pb = await refer(t, bashir.token, p.id);
    const b1 = await buildBuddy(t, p, { firstName: "Bram", languages: ["nl", "ar"] });
    const b2 = await buildBuddy(t, p, { firstName: "Carla" });
    const m1 = (await t.gql(MATCH, { input: { participantId: pa.id, buddyId: b1.id } }, p.org.organiser.token)).data.matchBuddy.id as string;
    const m2 = (await t.gql(MATCH, { input: { participantId: pb.id, buddyId: b2.id } }, p.org.organiser.token)).data.matchBuddy.id as string;
    return { p, other, prof, amal, bashir, pa, pb, b1, b2, m1, m2 };
  }

  it("NOT_A_PROGRAMME_COORDINATOR, BUDDY_PARTICIPANT_NOT_FOUND: another programme's coordinator, another buddy, a volunteer outside the programme and anonymous see no participant, through queries, node/nodes and nested paths", async () => {
    const s = await scene();
    const outsider = await buildVolunteer(t, { firstName: "Olaf" });
    const resident = await buildPerson(t, { firstName: "Rita" });
    const strangers: [string, Account | null][] = [
      ["another programme's coordinator", s.other.org.organiser],
      ["another buddy", s.b2.volunteer],
      ["another participant", s.bashir],
      ["a volunteer not in the programme", outsider],
      ["a resident", resident],
      ["anonymous", null],
    ];
    for (const [who, account] of strangers) {
      const token = account?.token;
      expect((await t.gql(PARTICIPANT, { id: s.pa.id }, token)).data.node, who).toBeNull();
      expect((await t.gql(NODES, { ids: [s.pa.id, s.m1, s.b1.id] }, token)).data.nodes, who).toEqual([null, null, null]);
      const nested = await t.gql(NESTED, { id: s.p.id }, token);
      expect(nested.data?.buddyProgramme?.participants ?? null, who).toBeNull();
      expect(account ? reasonOf(nested) : codeOf(nested), who).toBe(account ? "NOT_A_PROGRAMME_COORDINATOR" : "UNAUTHENTICATED");
      const viaMatches = await t.gql(NESTED_MATCHES, { id: s.p.id }, token);
      expect(viaMatches.data?.buddyProgramme?.matches ?? null, who).toBeNull();
      const candidates = await t.gql(CANDIDATES, { id: s.pa.id }, token);
      expect(candidates.data, who).toBeNull();
      if (account) expect(reasonOf(candidates), who).toBe("BUDDY_PARTICIPANT_NOT_FOUND");
      expect((await t.gql(SIGNALS, { id: s.p.id }, token)).data?.buddyProgramme?.signals ?? null, who).toBeNull();
    }
    // The programme's description stays public.
    expect((await t.gql(NESTED.replace(" participants { id }", ""), { id: s.p.id })).data.buddyProgramme.name).toBe("Taalmaatjes Dordrecht");
    // Another buddy's own match shows their own participant only.
    const mine = (await t.gql(MY_MATCHES, {}, s.b2.volunteer.token)).data.myBuddyMatches;
    expect(mine.map((m: any) => m.participant.person.firstName)).toEqual(["Bashir"]);
  });

  it("the matched buddy sees first name, neighbourhood and languages, and contact only while matched; the coordinator sees all; every read by someone else is in the access log", async () => {
    const s = await scene();
    const asBuddy = (await t.gql(PARTICIPANT, { id: s.pa.id }, s.b1.volunteer.token)).data.node;
    expect(asBuddy).toEqual({
      id: s.pa.id,
      status: "MATCHED",
      person: { firstName: "Amal", languages: ["ar", "nl"], interests: null, neighbourhood: { id: NB.wielwijk } },
      contact: { fullName: "Amal Person", phone: "06 1111 2222" },
    });
    const asCoordinator = (await t.gql(PARTICIPANT, { id: s.pa.id }, s.p.org.organiser.token)).data.node;
    expect(asCoordinator.person.interests).toEqual(["koken"]);
    // The participant sees their buddy's first name and languages, and contact while matched.
    const theirs = (await t.gql(MY_MATCHES, {}, s.amal.token)).data.myBuddyMatches;
    expect(theirs).toEqual([{ id: s.m1, participant: expect.anything(), buddy: { person: { firstName: "Bram" }, contact: { fullName: "Bram Person" } } }]);

    const log = t.app.services.db.tables.accessLog;
    const rows = (await t.app.services.db.read.select().from(log)).filter((r: any) => r.subjectId === s.amal.id);
    const readers = new Map(rows.map((r: any) => [r.readerId, r.purpose]));
    expect(readers.get(s.b1.volunteer.id)).toMatch(/buddy/);
    expect(readers.get(s.p.org.organiser.id)).toBe("buddy programme coordinator");
    expect(rows.some((r: any) => r.readerId === s.b2.volunteer.id)).toBe(false);
    expect(rows.some((r: any) => r.readerId === s.amal.id)).toBe(false);

    // After the match ends the buddy keeps first name and languages (for the evaluation) but loses contact.
    expect((await t.gql(END, { id: s.m1, e: { wentWell: true } }, s.amal.token)).errors).toBeUndefined();
    const after = (await t.gql(PARTICIPANT, { id: s.pa.id }, s.b1.volunteer.token)).data.node;
    expect(after.person.firstName).toBe("Amal");
    expect(after.contact).toBeNull();
  });

  it("BUDDY_PROGRAMME_NOT_FOUND, BUDDY_KIND_NAME_REQUIRED, BUDDY_CONSENT_REQUIRED, BUDDY_REFERRER_ROLE_REQUIRED, BUDDY_ALREADY_IN_PROGRAMME, BUDDY_NO_TRAINING_IN_PROGRAMME: programmes and referrals refuse what does not hold", async () => {
    const p = await buildProgramme(t);
    expect(reasonOf(await t.gql(`query { buddyProgramme(id: "bprog_nope") { id } }`))).toBe("BUDDY_PROGRAMME_NOT_FOUND");
    const noName = await t.gql(
      `mutation($input: CreateBuddyProgrammeInput!) { createBuddyProgramme(input: $input) { id } }`,
      {
        input: {
          organisationId: p.org.id,
          name: "Eigen",
          kind: "OTHER",
          intakeCriteria: "x",
          vogRequired: false,
          worksWithMinorsOrFamilies: false,
          frequency: "MONTHLY",
          minMonths: 3,
          maxMonths: 6,
        },
      },
      p.org.organiser.token,
    );
    expect(reasonOf(noName)).toBe("BUDDY_KIND_NAME_REQUIRED");
    const own = await buildProgramme(t, { kind: "OTHER", kindName: "Buurtmaatje Zwijndrecht", trainingName: null, frequency: "MONTHLY" }, p.org);
    const notByStranger = await t.gql(
      `mutation($input: CreateBuddyProgrammeInput!) { createBuddyProgramme(input: $input) { id } }`,
      {
        input: {
          organisationId: p.org.id,
          name: "X",
          kind: "LONELY_ELDERLY",
          intakeCriteria: "x",
          vogRequired: false,
          worksWithMinorsOrFamilies: false,
          frequency: "WEEKLY",
          minMonths: 1,
          maxMonths: 2,
        },
      },
      (await buildPerson(t)).token,
    );
    expect(reasonOf(notByStranger)).toBe("NOT_AN_ORGANISER");

    const person = await buildPerson(t, { firstName: "Sara" });
    const noConsent = await t.gql(REFER, { input: { programmeId: p.id, consent: false, languages: [], interests: [], weekdays: [] } }, person.token);
    expect(reasonOf(noConsent)).toBe("BUDDY_CONSENT_REQUIRED");
    const neighbour = await buildPerson(t, { firstName: "Buurman" });
    const byNeighbour = await t.gql(REFER, { input: { programmeId: p.id, personId: person.id, consent: true, languages: [], interests: [], weekdays: [] } }, neighbour.token);
    expect(reasonOf(byNeighbour)).toBe("BUDDY_REFERRER_ROLE_REQUIRED");
    await refer(t, person.token, p.id);
    expect(reasonOf(await t.gql(REFER, { input: { programmeId: p.id, consent: true, languages: [], interests: [], weekdays: [] } }, person.token))).toBe(
      "BUDDY_ALREADY_IN_PROGRAMME",
    );
    const b = await buildBuddy(t, own, { train: false });
    expect(reasonOf(await t.gql(`mutation($id: ID!) { recordBuddyTraining(buddyId: $id) { id } }`, { id: b.id }, p.org.organiser.token))).toBe("BUDDY_NO_TRAINING_IN_PROGRAMME");
    const again = await t.gql(
      `mutation($input: ApplyAsBuddyInput!) { applyAsBuddy(input: $input) { id } }`,
      { input: { programmeId: own.id, languages: [], interests: [], weekdays: [] } },
      b.volunteer.token,
    );
    expect(reasonOf(again)).toBe("BUDDY_ALREADY_IN_PROGRAMME");
  });

  it("BUDDY_NOT_ELIGIBLE, BUDDY_AT_CAPACITY, BUDDY_PARTICIPANT_NOT_WAITING, BUDDY_PLANNED_END_INVALID, BUDDY_NOT_FOUND: a family programme always asks a VOG, a buddy takes no more than their capacity, and a match runs at most three years", async () => {
    const p = await buildProgramme(t, { kind: "YOUNG_PARENTS", name: "Goede start", vogRequired: false, trainingName: null });
    const r = await t.gql(`query($id: ID!) { buddyProgramme(id: $id) { vogRequired worksWithMinorsOrFamilies } }`, { id: p.id });
    expect(r.data.buddyProgramme).toEqual({ vogRequired: true, worksWithMinorsOrFamilies: true });
    const parents: { id: string }[] = [];
    for (const name of ["Ilse", "Joke", "Kim"]) parents.push(await refer(t, (await participantAccount(t, name)).token, p.id));
    const noVog = await buildBuddy(t, p, { firstName: "Nico", train: false });
    expect(reasonOf(await t.gql(MATCH, { input: { participantId: parents[0].id, buddyId: noVog.id } }, p.org.organiser.token))).toBe("BUDDY_NOT_ELIGIBLE");
    const withVog = await buildBuddy(t, p, { firstName: "Vera", vog: true, train: false });
    const tooLong = new Date(t.clock.now().getTime() + 4 * 366 * DAY).toISOString();
    expect(reasonOf(await t.gql(MATCH, { input: { participantId: parents[0].id, buddyId: withVog.id, plannedEndAt: tooLong } }, p.org.organiser.token))).toBe(
      "BUDDY_PLANNED_END_INVALID",
    );
    const twoYears = new Date(t.clock.now().getTime() + 2 * 365 * DAY).toISOString();
    const ok = await t.gql(MATCH, { input: { participantId: parents[0].id, buddyId: withVog.id, plannedEndAt: twoYears } }, p.org.organiser.token);
    expect(ok.errors).toBeUndefined();
    expect(reasonOf(await t.gql(MATCH, { input: { participantId: parents[0].id, buddyId: withVog.id } }, p.org.organiser.token))).toBe("BUDDY_PARTICIPANT_NOT_WAITING");
    expect(reasonOf(await t.gql(MATCH, { input: { participantId: parents[1].id, buddyId: withVog.id } }, p.org.organiser.token))).toBe("BUDDY_AT_CAPACITY");
    const elsewhere = await buildProgramme(t, { trainingName: null });
    const foreign = await buildBuddy(t, elsewhere, { train: false });
    expect(reasonOf(await t.gql(MATCH, { input: { participantId: parents[1].id, buddyId: foreign.id } }, p.org.organiser.token))).toBe("BUDDY_NOT_FOUND");
    // Two coordinators matching the same participant at once: exactly one wins.
    const c2 = await buildBuddy(t, p, { firstName: "Wim", vog: true, train: false });
    const c3 = await buildBuddy(t, p, { firstName: "Xander", vog: true, train: false });
    const race = await Promise.all([c2, c3].map((b) => t.gql(MATCH, { input: { participantId: parents[1].id, buddyId: b.id } }, p.org.organiser.token)));
    expect(race.filter((x) => !x.errors)).toHaveLength(1);
    expect(race.map(reasonOf).filter(Boolean)).toEqual(["BUDDY_PARTICIPANT_NOT_WAITING"]);
  });

  it("BUDDY_MATCH_NOT_FOUND, BUDDY_SIGNAL_NOT_FOUND, BUDDY_MATCH_NOT_ENDED, BUDDY_NOT_IN_MATCH: a match and its signals are only for its people and coordinators, and is evaluated only by its two people after the end", async () => {
    const s = await scene();
    const stranger = await buildVolunteer(t);
    expect(reasonOf(await t.gql(`mutation($id: ID!) { pauseBuddyMatch(matchId: $id) { id } }`, { id: s.m1 }, stranger.token))).toBe("BUDDY_MATCH_NOT_FOUND");
    expect(reasonOf(await t.gql(`mutation($id: ID!) { pauseBuddyMatch(matchId: $id) { id } }`, { id: s.m1 }, s.other.org.organiser.token))).toBe("BUDDY_MATCH_NOT_FOUND");
    expect(reasonOf(await t.gql(EVALUATE, { id: s.m1, e: { wentWell: true } }, s.amal.token))).toBe("BUDDY_MATCH_NOT_ENDED");
    expect((await t.gql(END, { id: s.m1 }, s.p.org.organiser.token)).data.endBuddyMatch.status).toBe("ENDED");
    expect(reasonOf(await t.gql(EVALUATE, { id: s.m1, e: { wentWell: true } }, s.p.org.organiser.token))).toBe("BUDDY_NOT_IN_MATCH");
    expect((await t.gql(EVALUATE, { id: s.m1, e: { wentWell: false, note: "Te weinig tijd" } }, s.b1.volunteer.token)).errors).toBeUndefined();
    // A missed check-in signal is for the coordinators only.
    t.clock.advance(11 * DAY);
    await t.app.services.sweeps.run();
    const signals = (await t.gql(SIGNALS, { id: s.p.id }, s.p.org.organiser.token)).data.buddyProgramme.signals;
    expect(signals.map((x: any) => x.match.id)).toEqual([s.m2]);
    const ack = `mutation($id: ID!) { acknowledgeBuddySignal(id: $id) { id } }`;
    for (const who of [s.b2.volunteer, s.bashir, s.other.org.organiser]) {
      expect(reasonOf(await t.gql(ack, { id: signals[0].id }, who.token))).toBe("BUDDY_SIGNAL_NOT_FOUND");
      expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: signals[0].id }, who.token)).data.node).toBeNull();
    }
    expect((await t.gql(`query($id: ID!) { node(id: $id) { ... on BuddySignal { kind } } }`, { id: signals[0].id }, s.p.org.organiser.token)).data.node).toEqual({
      kind: "MISSED_CHECKIN",
    });
  });
  it("a partner app's key, with public or statistics scopes only, reads a programme's description through node but none of its people, matches or figures", async () => {
    const s = await scene();
    for (const scopes of [["PUBLIC_READ"], ["PUBLIC_READ", "STATS_READ"], ["REQUESTS_WRITE"]]) {
      const key = await buildPartnerKey(t, s.p.org.coordinator, scopes);
      // Programmes are no root field of any partner scope; through node the description is public, the people are not.
      const described = await keyed(t, key.secret, `query($id: ID!) { node(id: $id) { ... on BuddyProgramme { name kind } } }`, { id: s.p.id });
      if (scopes.includes("PUBLIC_READ")) expect(described.data.node, scopes.join()).toEqual({ name: "Taalmaatjes Dordrecht", kind: "STATUSHOUDERS" });
      expect((await keyed(t, key.secret, NODES, { ids: [s.pa.id, s.b1.id, s.m1] })).data?.nodes ?? [null, null, null], scopes.join()).toEqual([null, null, null]);
      const nestedNode = await keyed(t, key.secret, `query($id: ID!) { node(id: $id) { ... on BuddyProgramme { participants { id } } } }`, { id: s.p.id });
      expect(JSON.stringify(nestedNode.data ?? null)).not.toMatch(/bpart_/);
      for (const q of [NESTED, NESTED_MATCHES, `query($id: ID!) { buddyProgramme(id: $id) { figures { month } } }`]) {
        const r = await keyed(t, key.secret, q, { id: s.p.id });
        expect(r.errors?.length, scopes.join()).toBeGreaterThan(0);
        expect(JSON.stringify(r.data ?? null)).not.toMatch(/Amal|bpart_|bmatch_/);
      }
    }
  });
});
