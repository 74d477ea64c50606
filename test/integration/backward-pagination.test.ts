import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, SIGN_UP, askForHelp, buildOrganisation, buildPerson, buildVolunteer, postInitiative } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const HOUR = 3_600_000;
const BROWSE = `query($first: Int, $after: String, $last: Int, $before: String, $order: BrowseOrder) {
  openHelpRequests(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const MINE = `query($first: Int, $after: String, $last: Int, $before: String) {
  myHelpRequests(relation: ASKED, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount
  }
}`;

type Result = Awaited<ReturnType<TestApp["gql"]>>;
interface Connection {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount?: number | null;
}

/**
 * Walks a whole connection `size` items a page, forward (first/after) or backward (last/before), and
 * returns the ids in the list's order, checking each page's pageInfo against the Relay rules on the way.
 */
async function walk(fetch: (args: Record<string, unknown>) => Promise<Result>, pick: (r: Result) => Connection, size: number, backward: boolean) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 200; guard++) {
    const r = await fetch(backward ? { last: size, before: cursor } : { first: size, after: cursor });
    expect(r.errors).toBeUndefined();
    const c = pick(r);
    expect(c.edges.length).toBeLessThanOrEqual(size);
    expect(c.pageInfo.startCursor).toBe(c.edges[0]?.cursor ?? null);
    expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)?.cursor ?? null);
    pages.push(c.edges.map((e) => e.node.id));
    const more = backward ? c.pageInfo.hasPreviousPage : c.pageInfo.hasNextPage;
    // A page fetched from a cursor says that items lie on the cursor's side.
    expect(backward ? c.pageInfo.hasNextPage : c.pageInfo.hasPreviousPage).toBe(cursor !== null);
    if (!more) break;
    expect(c.edges.length).toBe(size);
    cursor = backward ? c.pageInfo.startCursor : c.pageInfo.endCursor;
  }
  return (backward ? pages.reverse() : pages).flat();
}

describe.each(backends())("backward pagination (last/before) on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("walks openHelpRequests backward to the forward walk, with ties on the start time (SOONEST) and on NEWEST", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const start = t.clock.now().getTime() + 24 * HOUR;
    // Three windows, four requests each: ties on the sort key of SOONEST, broken by id.
    for (let i = 0; i < 12; i++) {
      const windowStart = new Date(start + (i % 3) * HOUR);
      await askForHelp(t, resident.token, {
        neighbourhoodId: NB.wielwijk,
        categoryId: CAT.groceries,
        windowStart: windowStart.toISOString(),
        windowEnd: new Date(windowStart.getTime() + 48 * HOUR).toISOString(),
      });
    }
    for (const order of ["SOONEST", "NEWEST"]) {
      const fetch = (args: Record<string, unknown>) => t.gql(BROWSE, { ...args, order }, volunteer.token);
      const pick = (r: Result) => (r.data as any).openHelpRequests as Connection;
      const all = await walk(fetch, pick, 100, false);
      expect(all.length).toBeGreaterThanOrEqual(12);
      for (const size of [1, 5, 7]) {
        expect(await walk(fetch, pick, size, false)).toEqual(all);
        expect(await walk(fetch, pick, size, true)).toEqual(all);
      }
    }
  });

  it("walks myHelpRequests backward to the forward walk, and totalCount equals the number of requests walked", async () => {
    const resident = await buildPerson(t);
    for (let i = 0; i < 9; i++) await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk });
    const fetch = (args: Record<string, unknown>) => t.gql(MINE, args, resident.token);
    const pick = (r: Result) => (r.data as any).myHelpRequests as Connection;
    const forward = await walk(fetch, pick, 4, false);
    expect(forward).toHaveLength(9);
    expect(await walk(fetch, pick, 4, true)).toEqual(forward);
    expect(await walk(fetch, pick, 2, true)).toEqual(forward);
    expect(pick(await fetch({ last: 3 })).totalCount).toBe(9);
    // The browse connection is not counted.
    const volunteer = await buildVolunteer(t);
    expect((await t.gql(`{ openHelpRequests(first: 1) { totalCount } }`, {}, volunteer.token)).data.openHelpRequests.totalCount).toBeNull();
  });

  it("walks an organisation's asked requests backward to the forward walk, with a totalCount", async () => {
    const org = await buildOrganisation(t);
    const ASKED = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      organisation(id: $id) { askedHelpRequests(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }
    }`;
    const fetch = (args: Record<string, unknown>) => t.gql(ASKED, { id: org.id, ...args }, org.organiser.token);
    const pick = (r: Result) => (r.data as any).organisation.askedHelpRequests as Connection;
    expect(pick(await fetch({ last: 5 }))).toMatchObject({ edges: [], totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false } });
    for (let i = 0; i < 5; i++) {
      await askForHelp(t, org.organiser.token, { askingOrganisationId: org.id, personHelped: { firstName: `Kees ${i}`, neighbourhoodId: NB.oudKrispijn } });
    }
    const forward = await walk(fetch, pick, 2, false);
    expect(forward).toHaveLength(5);
    expect(await walk(fetch, pick, 2, true)).toEqual(forward);
    expect(pick(await fetch({ first: 1 })).totalCount).toBe(5);
  });

  it("walks an initiative's sign-ups (arrival order) and a person's sign-ups backward to the forward walk, with totalCounts", async () => {
    const org = await buildOrganisation(t);
    const ini = await postInitiative(t, org, { title: "Koffie", capacity: 3 });
    const people = await Promise.all(Array.from({ length: 7 }, () => buildPerson(t)));
    for (const p of people) expect((await t.gql(SIGN_UP, { input: { initiativeId: ini.id } }, p.token)).errors).toBeUndefined();
    const SIGNUPS = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      initiative(id: $id) { signups(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }
    }`;
    const fetch = (args: Record<string, unknown>) => t.gql(SIGNUPS, { id: ini.id, ...args }, org.organiser.token);
    const pick = (r: Result) => (r.data as any).initiative.signups as Connection;
    const forward = await walk(fetch, pick, 3, false);
    expect(forward).toHaveLength(7);
    expect(await walk(fetch, pick, 3, true)).toEqual(forward);
    expect(await walk(fetch, pick, 1, true)).toEqual(forward);
    expect(pick(await fetch({ last: 2 })).totalCount).toBe(7);

    const MY = `query($first: Int, $after: String, $last: Int, $before: String) {
      mySignups(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount }
    }`;
    const mine = (args: Record<string, unknown>) => t.gql(MY, args, people[0].token);
    const pickMine = (r: Result) => (r.data as any).mySignups as Connection;
    for (const title of ["Thee", "Soep"]) {
      const other = await postInitiative(t, org, { title, capacity: 3 });
      expect((await t.gql(SIGN_UP, { input: { initiativeId: other.id } }, people[0].token)).errors).toBeUndefined();
    }
    const myForward = await walk(mine, pickMine, 2, false);
    expect(myForward).toHaveLength(3);
    expect(await walk(mine, pickMine, 2, true)).toEqual(myForward);
    expect(pickMine(await mine({ first: 1 })).totalCount).toBe(3);
  });

  it("walks a care circle's shifts backward to the forward walk, with two tasks' shifts starting at the same time", async () => {
    const carer = await buildPerson(t, { roles: ["MANTELZORGER"] });
    const circle = (
      await t.gql(
        `mutation($i: CreateCareCircleInput!) { createCareCircle(input: $i) { id } }`,
        { i: { name: "Zorg", careReceiver: { firstName: "Riet", neighbourhoodId: NB.wielwijk } } },
        carer.token,
      )
    ).data.createCareCircle.id as string;
    const start = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date(t.clock.now().getTime() + 2 * 86_400_000));
    for (const title of ["Koken", "Wassen"]) {
      const task = await t.gql(
        `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`,
        { c: circle, i: { title, categoryId: CAT.groceries, startDate: start, startTime: "12:00", durationMinutes: 60, weekdays: [1, 2, 3, 4, 5, 6, 7] } },
        carer.token,
      );
      expect(task.errors).toBeUndefined();
    }
    const to = new Date(t.clock.now().getTime() + 9 * 86_400_000).toISOString();
    const SHIFTS = `query($c: ID!, $to: DateTimeISO, $first: Int, $after: String, $last: Int, $before: String) {
      careCircle(id: $c) { shifts(to: $to, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
    }`;
    const fetch = (args: Record<string, unknown>) => t.gql(SHIFTS, { c: circle, to, ...args }, carer.token);
    const pick = (r: Result) => (r.data as any).careCircle.shifts as Connection;
    const all = await walk(fetch, pick, 100, false);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const size of [1, 3, 4]) {
      expect(await walk(fetch, pick, size, false)).toEqual(all);
      expect(await walk(fetch, pick, size, true)).toEqual(all);
    }
  });

  it("walks the organisations list backward to the forward walk", async () => {
    for (let i = 0; i < 4; i++) await buildOrganisation(t);
    const ORGS = `query($first: Int, $after: String, $last: Int, $before: String) {
      organisations(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
    }`;
    const fetch = (args: Record<string, unknown>) => t.gql(ORGS, args);
    const pick = (r: Result) => (r.data as any).organisations as Connection;
    const forward = await walk(fetch, pick, 3, false);
    expect(forward.length).toBeGreaterThanOrEqual(4);
    expect(await walk(fetch, pick, 3, true)).toEqual(forward);
    expect(await walk(fetch, pick, 1, true)).toEqual(forward);
  });

  it("walks initiatives discovery backward to the forward walk in each order, with ties on the start time, undated initiatives last, and on the rank of a text search", async () => {
    const org = await buildOrganisation(t);
    const start = new Date(t.clock.now().getTime() + 72 * HOUR);
    const at = (hours: number) => ({ startsAt: new Date(start.getTime() + hours * HOUR).toISOString(), endsAt: new Date(start.getTime() + (hours + 2) * HOUR).toISOString() });
    // Two start times three initiatives each, and three without dates: ties on SOONEST's key, broken by id.
    for (let i = 0; i < 6; i++) await postInitiative(t, org, { title: "Wandelgroep", description: i % 2 ? "Wandelgroep wandelgroep." : "Samen lopen.", schedule: at(i % 2) });
    for (let i = 0; i < 3; i++) await postInitiative(t, org, { title: "Open inloop", description: "Altijd welkom.", schedule: null });
    const DISCOVER = `query($filter: InitiativeFilter, $order: InitiativeOrder, $first: Int, $after: String, $last: Int, $before: String) {
      initiatives(filter: $filter, orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
    }`;
    const pick = (r: Result) => (r.data as any).initiatives as Connection;
    // Ranked: the same texts tie on the rank, two ranks of three.
    // NEWEST is keyed by the publication time, which the running clock does not repeat.
    const asks: [Record<string, unknown>, string | null, number, boolean][] = [
      [{ organisationId: org.id }, "SOONEST", 9, true],
      [{ organisationId: org.id }, "NEWEST", 9, false],
      [{ organisationId: org.id, text: "wandelgroep" }, null, 6, true],
    ];
    for (const [filter, order, count, ties] of asks) {
      const fetch = (args: Record<string, unknown>) => t.gql(DISCOVER, { ...args, filter, order });
      const all = await walk(fetch, pick, 100, false);
      expect(all).toHaveLength(count);
      // The sort keys the cursors carry tie: fewer distinct keys than initiatives.
      const keys = pick(await fetch({ first: 100 })).edges.map((e) =>
        Buffer.from(e.cursor, "base64url")
          .toString("utf8")
          .replace(/^.*~|:.*$/g, ""),
      );
      if (ties) expect(new Set(keys).size).toBeLessThan(count);
      for (const size of [1, 2, 4]) {
        expect(await walk(fetch, pick, size, false)).toEqual(all);
        expect(await walk(fetch, pick, size, true)).toEqual(all);
      }
    }
    const soonest = await walk((args) => t.gql(DISCOVER, { ...args, filter: { organisationId: org.id }, order: "SOONEST" }), pick, 100, false);
    const undated = pick(await t.gql(DISCOVER, { filter: { organisationId: org.id }, order: "SOONEST", last: 3 })).edges.map((e) => e.node.id);
    expect(soonest.slice(6)).toEqual(undated);
  });

  it("walks an organisation's initiatives backward to the forward walk, public (soonest) and for its organisers (newest)", async () => {
    const org = await buildOrganisation(t);
    for (let i = 0; i < 4; i++) await postInitiative(t, org, { title: `Buurtsoep ${i}` });
    for (let i = 0; i < 2; i++) await postInitiative(t, org, { title: `Inloop ${i}`, schedule: null });
    await postInitiative(t, org, { title: "Concept", publish: false });
    const OWN = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      organisation(id: $id) { initiatives(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
    }`;
    const pick = (r: Result) => (r.data as any).organisation.initiatives as Connection;
    for (const [token, count] of [
      [undefined, 6],
      [org.organiser.token, 7],
    ] as const) {
      const fetch = (args: Record<string, unknown>) => t.gql(OWN, { id: org.id, ...args }, token);
      const all = await walk(fetch, pick, 100, false);
      expect(all).toHaveLength(count);
      for (const size of [1, 3]) {
        expect(await walk(fetch, pick, size, false)).toEqual(all);
        expect(await walk(fetch, pick, size, true)).toEqual(all);
      }
    }
  });

  it("walks the stats cells backward to the forward walk, and a before cursor of another report is refused", async () => {
    const nbs = [NB.wielwijk, NB.oudKrispijn, NB.binnenstad];
    const STATS = `query($nbs: [ID!], $from: String, $first: Int, $after: String, $last: Int, $before: String) {
      stats(neighbourhoodIds: $nbs, from: $from) { months cells(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { month } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
    }`;
    const fetch = (args: Record<string, unknown>) => t.gql(STATS, { nbs, ...args });
    const pick = (r: Result) => {
      const c = (r.data as any).stats.cells;
      return { ...c, edges: c.edges.map((e: any) => ({ cursor: e.cursor, node: { id: e.cursor } })) } as Connection;
    };
    const all = await walk(fetch, pick, 100, false);
    expect(all).toHaveLength(3 * (await fetch({ first: 1 })).data.stats.months.length);
    for (const size of [1, 5, 7]) {
      expect(await walk(fetch, pick, size, false)).toEqual(all);
      expect(await walk(fetch, pick, size, true)).toEqual(all);
    }
    const before = pick(await fetch({ last: 2 })).pageInfo.startCursor;
    const months = (await fetch({ first: 1 })).data.stats.months as string[];
    const other = await fetch({ from: months[1], last: 2, before });
    expect(codeOf(other)).toBe("BAD_USER_INPUT");
    expect(reasonOf(other)).toBe("INVALID_CURSOR");
  });

  it("CONFLICTING_PAGE_ARGUMENTS: first with last, or after with before, is refused", async () => {
    const resident = await buildPerson(t);
    await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk });
    const cursor = (await t.gql(MINE, { first: 1 }, resident.token)).data.myHelpRequests.pageInfo.endCursor as string;
    for (const args of [
      { first: 1, last: 1 },
      { after: cursor, before: cursor },
      { first: 1, before: cursor },
      { last: 1, after: cursor },
    ]) {
      const r = await t.gql(MINE, args, resident.token);
      expect(r.data).toBeFalsy();
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(reasonOf(r)).toBe("CONFLICTING_PAGE_ARGUMENTS");
    }
  });

  it("INVALID_PAGE_SIZE, INVALID_CURSOR: last is bounded like first, and a before cursor of another connection is refused", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, categoryId: CAT.groceries });
    for (const last of [0, 101]) expect(reasonOf(await t.gql(MINE, { last }, resident.token))).toBe("INVALID_PAGE_SIZE");
    const mine = (await t.gql(MINE, { last: 1 }, resident.token)).data.myHelpRequests.pageInfo.startCursor as string;
    const browse = (await t.gql(BROWSE, { last: 1, order: "SOONEST" }, volunteer.token)).data.openHelpRequests.pageInfo.startCursor as string;
    expect((await t.gql(MINE, { last: 1, before: mine }, resident.token)).errors).toBeUndefined();
    for (const r of [
      await t.gql(BROWSE, { last: 1, before: mine, order: "SOONEST" }, volunteer.token),
      await t.gql(BROWSE, { last: 1, before: browse, order: "NEWEST" }, volunteer.token),
      await t.gql(MINE, { last: 1, before: browse }, resident.token),
    ]) {
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(reasonOf(r)).toBe("INVALID_CURSOR");
    }
  });

  it("walks forward and backward alike for any data and page sizes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), async (count, forwardSize, backwardSize) => {
        const resident = await buildPerson(t);
        for (let i = 0; i < count; i++) await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk });
        const fetch = (args: Record<string, unknown>) => t.gql(MINE, args, resident.token);
        const pick = (r: Result) => (r.data as any).myHelpRequests as Connection;
        const forward = await walk(fetch, pick, forwardSize, false);
        expect(forward).toHaveLength(count);
        expect(await walk(fetch, pick, backwardSize, true)).toEqual(forward);
        expect(pick(await fetch({ first: 1 })).totalCount).toBe(count);
      }),
      { numRuns: 12 },
    );
  });
});
