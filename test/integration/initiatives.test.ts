import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, CREATE_INITIATIVE, HOUR, NB, buildCoordinator, buildOrganisation, buildOrganiser, buildPerson, postInitiative, rowCounts, schedule } from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

const DISCOVER = `query($filter: InitiativeFilter, $order: InitiativeOrder, $first: Int, $after: String) {
  initiatives(filter: $filter, orderBy: $order, first: $first, after: $after) {
    edges { cursor node { id title kind neighbourhood { id } nextDate { startsAt } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const ONE = `query($id: ID!) {
  initiative(id: $id) {
    id kind status title description address capacity unlimited placesTaken placesLeft waitingListLength accessibility
    audience { minAge maxAge languages } categories { id } neighbourhood { id name } organisation { id name verified }
    nextDate { startsAt endsAt } firstStartsAt lastEndsAt recurrence { frequency interval count until } publishedAt mySignup { id }
  }
}`;
const DAY = 24 * HOUR;

describe.each(backends())("neighbourhood initiatives on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const ids = async (filter: Record<string, unknown>, order?: string) => {
    const r = await t.gql(DISCOVER, { filter, order, first: 100 });
    expect(r.errors).toBeUndefined();
    return r.data.initiatives.edges.map((e: any) => e.node.id) as string[];
  };

  it("lets an organiser post an initiative that an anonymous partner app then finds and reads in full", async () => {
    const org = await buildOrganisation(t, { name: "Wijkwinkel Oud-Krispijn" });
    const r = await t.gql(
      CREATE_INITIATIVE,
      {
        input: {
          organisationId: org.id,
          kind: "MEETING_PLACE",
          title: "Koffieochtend in de wijkwinkel",
          description: "Koffie, thee en een praatje.",
          neighbourhoodId: NB.oudKrispijn,
          address: "Krispijnseweg 40",
          capacity: 12,
          schedule: schedule(t, 30, 2),
          audience: { minAge: 18, languages: ["NL", "tr"] },
          accessibility: "Rolstoeltoegankelijk",
          categoryIds: [CAT.company],
          publish: true,
        },
      },
      org.organiser.token,
    );
    expect(r.errors).toBeUndefined();
    const id = r.data.createInitiative.id;
    expect(r.data.createInitiative).toMatchObject({ status: "PUBLISHED", capacity: 12, placesTaken: 0, placesLeft: 12, unlimited: false });

    // No token: discovery and the full initiative.
    const found = await ids({ neighbourhoodIds: [NB.oudKrispijn] });
    expect(found).toContain(id);
    const one = await t.gql(ONE, { id });
    expect(one.errors).toBeUndefined();
    expect(one.data.initiative).toMatchObject({
      kind: "MEETING_PLACE",
      status: "PUBLISHED",
      title: "Koffieochtend in de wijkwinkel",
      address: "Krispijnseweg 40",
      accessibility: "Rolstoeltoegankelijk",
      audience: { minAge: 18, maxAge: null, languages: ["nl", "tr"] },
      categories: [{ id: CAT.company }],
      neighbourhood: { id: NB.oudKrispijn, name: "Oud-Krispijn" },
      organisation: { id: org.id, name: "Wijkwinkel Oud-Krispijn", verified: true },
      recurrence: null,
      mySignup: null,
    });
    expect(one.data.initiative.nextDate.startsAt).toBe(one.data.initiative.firstStartsAt);
    const node = await t.gql(`query($id: ID!) { node(id: $id) { __typename id } }`, { id });
    expect(node.data.node).toEqual({ __typename: "Initiative", id });
    const orgs = await t.gql(`{ organisations(first: 100) { edges { node { id name verified initiatives { edges { node { id } } } } } } }`);
    const listed = orgs.data.organisations.edges.find((e: any) => e.node.id === org.id);
    expect(listed.node.initiatives.edges.map((e: any) => e.node.id)).toEqual([id]);
  });

  it("INITIATIVE_NOT_FOUND, ORGANISATION_NOT_FOUND: keeps drafts and initiatives of unverified organisations out of public view until published and verified", async () => {
    const org = await buildOrganisation(t, { verified: false });
    const draft = await postInitiative(t, org, { publish: false, title: "Nog niet klaar" });
    expect(draft.status).toBe("DRAFT");
    const published = await postInitiative(t, org, { title: "Wacht op verificatie" });
    expect(published.status).toBe("PUBLISHED");

    for (const id of [draft.id, published.id]) {
      const anon = await t.gql(ONE, { id });
      expect(reasonOf(anon)).toBe("INITIATIVE_NOT_FOUND");
      expect(codeOf(anon)).toBe("NOT_FOUND");
      const own = await t.gql(ONE, { id }, org.organiser.token);
      expect(own.data.initiative.id).toBe(id);
    }
    expect(await ids({ organisationId: org.id })).toEqual([]);
    const hidden = await t.gql(`query($id: ID!) { organisation(id: $id) { id } }`, { id: org.id });
    expect(reasonOf(hidden)).toBe("ORGANISATION_NOT_FOUND");
    const pending = await t.gql(`{ organisations(filter: { pendingVerification: true }, first: 100) { edges { node { id } } } }`, {}, org.coordinator.token);
    expect(pending.data.organisations.edges.map((e: any) => e.node.id)).toContain(org.id);

    await t.gql(`mutation($id: ID!) { verifyOrganisation(id: $id) { verified } }`, { id: org.id }, org.coordinator.token);
    expect(await ids({ organisationId: org.id })).toEqual([published.id]);
    expect((await t.gql(ONE, { id: draft.id })).data).toBeNull();
  });

  it("filters discovery by neighbourhood (and nearby ones by centroid), kind, category, organisation, date range, audience and language", async () => {
    const org = await buildOrganisation(t);
    const now = t.clock.now().getTime();
    const a = await postInitiative(t, org, { neighbourhoodId: NB.oudKrispijn, kind: "MEETING_PLACE", categoryIds: [CAT.company], schedule: schedule(t, 7 * 24, 2) });
    const b = await postInitiative(t, org, { neighbourhoodId: NB.wielwijk, kind: "ACTIVITY", categoryIds: [CAT.groceries], schedule: schedule(t, 21 * 24, 2) });
    const c = await postInitiative(t, org, {
      neighbourhoodId: NB.dubbeldam,
      kind: "COURSE",
      categoryIds: [CAT.paperwork],
      schedule: schedule(t, 7 * 24, 2),
      audience: { minAge: 16, maxAge: 27, languages: ["nl", "en"] },
    });
    const d = await postInitiative(t, org, { neighbourhoodId: "nb_dordrecht-nieuw-krispijn", kind: "SERVICE", schedule: null, audience: { languages: ["ar"] } });
    const mine = { organisationId: org.id };
    const sorted = (list: string[]) => [...list].sort();

    expect(await ids({ ...mine, neighbourhoodIds: [NB.oudKrispijn] })).toEqual([a.id]);
    // Wielwijk (1.5 km) and Nieuw-Krispijn (0.75 km) lie near Oud-Krispijn; Dubbeldam does not.
    expect(sorted(await ids({ ...mine, neighbourhoodIds: [NB.oudKrispijn], includeNearby: true }))).toEqual(sorted([a.id, b.id, d.id]));
    expect(await ids({ ...mine, neighbourhoodIds: [NB.oudKrispijn], includeNearby: true, nearbyKm: 1 })).toEqual(expect.arrayContaining([a.id, d.id]));
    expect(await ids({ ...mine, neighbourhoodIds: [NB.oudKrispijn], includeNearby: true, nearbyKm: 1 })).not.toContain(b.id);
    expect(await ids({ ...mine, kinds: ["COURSE", "SERVICE"] })).toEqual([c.id, d.id]); // soonest first, no dates last
    expect(await ids({ ...mine, categoryIds: [CAT.company, CAT.paperwork] })).toEqual([a.id, c.id]);
    const week = { from: new Date(now + 6 * DAY).toISOString(), to: new Date(now + 8 * DAY).toISOString() };
    expect(sorted(await ids({ ...mine, ...week }))).toEqual(sorted([a.id, c.id, d.id])); // d has no dates: always open
    expect(await ids({ ...mine, from: new Date(now + 20 * DAY).toISOString() })).toEqual([b.id, d.id]);
    expect(await ids({ ...mine, age: 70 })).not.toContain(c.id);
    expect(await ids({ ...mine, age: 20, kinds: ["COURSE"] })).toEqual([c.id]);
    expect(sorted(await ids({ ...mine, languages: ["ar"] }))).toEqual(sorted([a.id, b.id, d.id])); // no language given: fits everyone
    expect(await ids({ ...mine, languages: ["EN"], kinds: ["COURSE"] })).toEqual([c.id]);
    expect(await ids({ ...mine, neighbourhoodIds: [] })).toEqual([]);
  });

  it("searches text without accents or case, needs every word, and ranks title matches first", async () => {
    const org = await buildOrganisation(t, { name: "Buurthuis Zoektest" });
    const inDescription = await postInitiative(t, org, { title: "Samen eten", description: "Na het eten is er een taalcafé voor wie wil blijven." });
    const inTitle = await postInitiative(t, org, { title: "Taalcafé Nederlands", description: "Oefenen met praten." });
    const other = await postInitiative(t, org, { title: "Fietsen repareren", description: "Neem je fiets mee." });
    const search = (text: string) => ids({ organisationId: org.id, text });
    expect(await search("TAALCAFE")).toEqual([inTitle.id, inDescription.id]);
    expect(await search("taalcafé nederlands")).toEqual([inTitle.id]);
    expect(await search("fiets")).toEqual([other.id]);
    expect(await search("buurthuis zoektest")).toHaveLength(3); // the organisation's name is searchable
    expect(await search("bestaatniet")).toEqual([]);
    // RELEVANCE pages like any other order.
    const first = await t.gql(DISCOVER, { filter: { organisationId: org.id, text: "taalcafe" }, first: 1 });
    expect(first.data.initiatives.edges.map((e: any) => e.node.id)).toEqual([inTitle.id]);
    const second = await t.gql(DISCOVER, { filter: { organisationId: org.id, text: "taalcafe" }, first: 1, after: first.data.initiatives.pageInfo.endCursor });
    expect(second.data.initiatives.edges.map((e: any) => e.node.id)).toEqual([inDescription.id]);
    expect(second.data.initiatives.pageInfo.hasNextPage).toBe(false);
  });

  it("pages through discovery with cursors, each initiative exactly once, in every order", async () => {
    const org = await buildOrganisation(t);
    const posted = [];
    for (let i = 0; i < 5; i++) posted.push(await postInitiative(t, org, { title: `Activiteit ${i}`, schedule: schedule(t, 100 - i * 10, 1) }));
    posted.push(await postInitiative(t, org, { title: "Altijd open 1", schedule: null }));
    posted.push(await postInitiative(t, org, { title: "Altijd open 2", schedule: null }));
    for (const order of ["SOONEST", "NEWEST"]) {
      const all = await ids({ organisationId: org.id }, order);
      expect(all).toHaveLength(7);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await t.gql(DISCOVER, { filter: { organisationId: org.id }, order, first: 2, after });
        expect(page.errors).toBeUndefined();
        seen.push(...page.data.initiatives.edges.map((e: any) => e.node.id));
        expect(page.data.initiatives.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!page.data.initiatives.pageInfo.hasNextPage) break;
        after = page.data.initiatives.pageInfo.endCursor;
      }
      expect(seen).toEqual(all);
    }
    const soonest = await ids({ organisationId: org.id }, "SOONEST");
    expect(soonest.slice(0, 5)).toEqual(
      posted
        .slice(0, 5)
        .map((p) => p.id)
        .reverse(),
    );
    expect((await ids({ organisationId: org.id }, "NEWEST"))[0]).toBe(posted[6].id);
  });

  it("lists each organisation's public initiatives in a page of organisations as it lists them for one organisation, and its cursor goes on from there", async () => {
    const [a, b] = [await buildOrganisation(t), await buildOrganisation(t)];
    const mine = { [a.id]: [] as string[], [b.id]: [] as string[] };
    for (const [org, n] of [
      [a, 3],
      [b, 2],
    ] as const) {
      for (let i = 0; i < n; i++) mine[org.id].push((await postInitiative(t, org, { title: `Reeks ${i}` })).id);
    }
    const INITS = "initiatives(first: 2) { edges { node { id } } pageInfo { hasNextPage endCursor } }";
    const page = await t.gql(`{ organisations(first: 100) { edges { node { id ${INITS} } } } }`);
    for (const org of [a, b]) {
      const listed = page.data.organisations.edges.find((e: any) => e.node.id === org.id).node.initiatives;
      const alone = await t.gql(`query($id: ID!) { organisation(id: $id) { ${INITS} } }`, { id: org.id });
      expect(listed).toEqual(alone.data.organisation.initiatives);
      const rest = await t.gql(`query($id: ID!, $after: String) { organisation(id: $id) { initiatives(first: 2, after: $after) { edges { node { id } } } } }`, {
        id: org.id,
        after: listed.pageInfo.endCursor,
      });
      const seen = [...listed.edges, ...rest.data.organisation.initiatives.edges].map((e: any) => e.node.id);
      expect(seen.sort()).toEqual([...mine[org.id]].sort());
    }
  });

  it("INVALID_SCHEDULE: recurring dates keep their local time across the change to summer time; bad rules are refused", async () => {
    const org = await buildOrganisation(t);
    // The Saturday eight days before the last Sunday of March next year, 10:00 in Dordrecht (09:00 UTC).
    const year = t.clock.now().getUTCFullYear() + 1;
    const lastSunday = new Date(Date.UTC(year, 2, 31));
    lastSunday.setUTCDate(31 - lastSunday.getUTCDay());
    const first = new Date(lastSunday.getTime() - 8 * DAY + 9 * HOUR);
    const r = await t.gql(
      CREATE_INITIATIVE,
      {
        input: {
          organisationId: org.id,
          kind: "COURSE",
          title: "Cursus op zaterdag",
          description: "Vier lessen.",
          neighbourhoodId: NB.binnenstad,
          capacity: 10,
          schedule: { startsAt: first.toISOString(), endsAt: new Date(first.getTime() + 2 * HOUR).toISOString(), repeat: { frequency: "WEEKLY", count: 4 } },
          publish: true,
        },
      },
      org.organiser.token,
    );
    expect(r.errors).toBeUndefined();
    const id = r.data.createInitiative.id;
    const dates = await t.gql(`query($id: ID!) { initiative(id: $id) { dates { startsAt endsAt } recurrence { frequency interval count until } lastEndsAt } }`, { id });
    const starts = dates.data.initiative.dates.map((d: any) => d.startsAt);
    const at = (days: number, hours: number) => new Date(first.getTime() + days * DAY + hours * HOUR).toISOString();
    expect(starts).toEqual([at(0, 0), at(7, 0), at(14, -1), at(21, -1)]); // 10:00 local throughout
    expect(dates.data.initiative.recurrence).toEqual({ frequency: "WEEKLY", interval: 1, count: 4, until: null });
    expect(dates.data.initiative.lastEndsAt).toBe(at(21, 1));
    // A date range around the third date finds it.
    expect(await ids({ organisationId: org.id, from: at(13, 0), to: at(15, 0) })).toEqual([id]);
    expect(await ids({ organisationId: org.id, from: at(40, 0) })).toEqual([]);

    // Every other week until a date, and monthly.
    const biweekly = await postInitiative(t, org, {
      schedule: schedule(t, 24, 1, { frequency: "WEEKLY", interval: 2, until: new Date(t.clock.now().getTime() + 60 * DAY).toISOString() }),
    });
    const b = await t.gql(`query($id: ID!) { initiative(id: $id) { dates(first: 50) { startsAt } } }`, { id: biweekly.id });
    expect(b.data.initiative.dates).toHaveLength(5); // days 1, 15, 29, 43, 57
    const monthly = await postInitiative(t, org, { schedule: schedule(t, 24, 1, { frequency: "MONTHLY", count: 3 }) });
    const m = await t.gql(`query($id: ID!) { initiative(id: $id) { dates { startsAt } } }`, { id: monthly.id });
    expect(m.data.initiative.dates).toHaveLength(3);

    const before = await rowCounts(t);
    const now = t.clock.now().getTime();
    const bad: [Record<string, unknown>, string][] = [
      [{ startsAt: new Date(now + 5 * HOUR).toISOString(), endsAt: new Date(now + 4 * HOUR).toISOString() }, "input.schedule.endsAt"],
      [{ startsAt: new Date(now - 5 * HOUR).toISOString(), endsAt: new Date(now - 4 * HOUR).toISOString() }, "input.schedule"],
      [{ ...schedule(t, 24, 24 * 20) }, "input.schedule.endsAt"],
      [{ ...schedule(t, 24, 1, { frequency: "WEEKLY" }) }, "input.schedule.repeat"],
      [{ ...schedule(t, 24, 1, { frequency: "DAILY", until: new Date(now + 300 * DAY).toISOString() }) }, "input.schedule.repeat"],
      [{ ...schedule(t, 24 * 365 * 3, 1) }, "input.schedule.startsAt"],
    ];
    for (const [sched, field] of bad) {
      const res = await t.gql(
        CREATE_INITIATIVE,
        { input: { organisationId: org.id, kind: "ACTIVITY", title: "x", description: "y", neighbourhoodId: NB.wielwijk, schedule: sched } },
        org.organiser.token,
      );
      expect(reasonOf(res), field).toBe("INVALID_SCHEDULE");
      expect(res.errors![0].extensions!.field).toBe(field);
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it("INVALID_INPUT, UNKNOWN_NEIGHBOURHOOD, UNKNOWN_CATEGORY: refuses bad initiatives, naming the field, and writes nothing", async () => {
    const org = await buildOrganisation(t);
    const before = await rowCounts(t);
    const base = { organisationId: org.id, kind: "ACTIVITY", title: "Wandelen", description: "Samen lopen.", neighbourhoodId: NB.wielwijk, schedule: schedule(t) };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ title: "" }, "INVALID_INPUT", "input.title"],
      [{ title: "x".repeat(10_000) }, "INVALID_INPUT", "input.title"],
      [{ description: "y".repeat(10_000) }, "INVALID_INPUT", "input.description"],
      [{ title: "bad\u0000byte" }, "INVALID_INPUT", "input.title"],
      [{ capacity: 0 }, "INVALID_INPUT", "input.capacity"],
      [{ capacity: -5 }, "INVALID_INPUT", "input.capacity"],
      [{ kind: "PARTICIPATION_PLACE" }, "INVALID_INPUT", "input.capacity"],
      [{ audience: { minAge: 30, maxAge: 20 } }, "INVALID_INPUT", "input.audience.maxAge"],
      [{ audience: { languages: ["Nederlands"] } }, "INVALID_INPUT", "input.audience.languages.0"],
      [{ accessibility: "z".repeat(5000) }, "INVALID_INPUT", "input.accessibility"],
      [{ neighbourhoodId: "nb_nowhere" }, "UNKNOWN_NEIGHBOURHOOD", "input.neighbourhoodId"],
      [{ categoryIds: [CAT.company, "cat_nope"] }, "UNKNOWN_CATEGORY", "input.categoryIds.1"],
    ];
    for (const [override, reason, field] of cases) {
      const r = await t.gql(CREATE_INITIATIVE, { input: { ...base, ...override } }, org.organiser.token);
      expect(reasonOf(r), field).toBe(reason);
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(r.errors![0].extensions!.field).toBe(field);
    }
    // A wrong enum value or type never reaches the service.
    const enumCase = await t.gql(CREATE_INITIATIVE, { input: { ...base, kind: "PARTY" } }, org.organiser.token);
    expect(codeOf(enumCase)).toBe("BAD_USER_INPUT");
    expect(await rowCounts(t)).toEqual(before);
  });

  it("INVALID_CURSOR, INVALID_PAGE_SIZE, INVALID_PERIOD, INVALID_SEARCH: refuses bad discovery arguments", async () => {
    const now = t.clock.now().getTime();
    const cases: [Record<string, unknown>, string][] = [
      [{ after: "bm90LWEtY3Vyc29y" }, "INVALID_CURSOR"],
      [{ first: 0 }, "INVALID_PAGE_SIZE"],
      [{ first: 1000 }, "INVALID_PAGE_SIZE"],
      [{ filter: { neighbourhoodIds: ["nb_nowhere"] } }, "UNKNOWN_NEIGHBOURHOOD"],
      [{ filter: { categoryIds: ["cat_nope"] } }, "UNKNOWN_CATEGORY"],
      [{ filter: { neighbourhoodIds: [NB.wielwijk], includeNearby: true, nearbyKm: 500 } }, "INVALID_INPUT"],
      [{ filter: { age: -1 } }, "INVALID_INPUT"],
      [{ filter: { languages: ["klingon language"] } }, "INVALID_INPUT"],
      [{ filter: { text: "x".repeat(300) } }, "INVALID_INPUT"],
      [{ filter: { from: new Date(now + DAY).toISOString(), to: new Date(now).toISOString() } }, "INVALID_PERIOD"],
      [{ filter: { text: "%% _ !" } }, "INVALID_SEARCH"],
    ];
    for (const [vars, reason] of cases) {
      const r = await t.gql(DISCOVER, vars);
      expect(reasonOf(r), JSON.stringify(vars)).toBe(reason);
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
    }
  });

  it("INITIATIVE_WRONG_STATUS: follows DRAFT -> PUBLISHED -> ENDED or CANCELLED and refuses other moves", async () => {
    const org = await buildOrganisation(t);
    const draft = await postInitiative(t, org, { publish: false });
    const publish = `mutation($id: ID!) { publishInitiative(id: $id) { status publishedAt } }`;
    const end = `mutation($id: ID!) { endInitiative(id: $id, reason: "Seizoen voorbij") { status closeReason closedAt } }`;
    const cancel = `mutation($id: ID!) { cancelInitiative(id: $id, reason: "Zaal niet beschikbaar") { status closeReason } }`;
    expect(reasonOf(await t.gql(end, { id: draft.id }, org.organiser.token))).toBe("INITIATIVE_WRONG_STATUS");
    const p = await t.gql(publish, { id: draft.id }, org.organiser.token);
    expect(p.data.publishInitiative.status).toBe("PUBLISHED");
    const again = await t.gql(publish, { id: draft.id }, org.organiser.token);
    expect(codeOf(again)).toBe("CONFLICT");
    expect(reasonOf(again)).toBe("INITIATIVE_WRONG_STATUS");
    const e = await t.gql(end, { id: draft.id }, org.organiser.token);
    expect(e.data.endInitiative).toMatchObject({ status: "ENDED", closeReason: "Seizoen voorbij" });
    expect(reasonOf(await t.gql(cancel, { id: draft.id }, org.organiser.token))).toBe("INITIATIVE_WRONG_STATUS");
    const upd = await t.gql(`mutation($id: ID!) { updateInitiative(id: $id, input: { title: "Nieuw" }) { title } }`, { id: draft.id }, org.organiser.token);
    expect(reasonOf(upd)).toBe("INITIATIVE_WRONG_STATUS");
    // Ended initiatives stay readable by id but leave discovery.
    expect((await t.gql(ONE, { id: draft.id })).data.initiative.status).toBe("ENDED");
    expect(await ids({ organisationId: org.id })).toEqual([]);

    const other = await postInitiative(t, org);
    const c = await t.gql(cancel, { id: other.id }, org.organiser.token);
    expect(c.data.cancelInitiative).toEqual({ status: "CANCELLED", closeReason: "Zaal niet beschikbaar" });

    const changed = await postInitiative(t, org, { title: "Vorige titel", address: "Oud adres 1", accessibility: "Trap" });
    const u = await t.gql(
      `mutation($id: ID!, $input: UpdateInitiativeInput!) { updateInitiative(id: $id, input: $input) { title address accessibility capacity unlimited } }`,
      { id: changed.id, input: { title: "Nieuwe titel", accessibility: null, capacity: 5 } },
      org.organiser.token,
    );
    expect(u.data.updateInitiative).toEqual({ title: "Nieuwe titel", address: "Oud adres 1", accessibility: null, capacity: 5, unlimited: false });
    expect(await ids({ organisationId: org.id, text: "nieuwe titel" })).toEqual([changed.id]);
    expect(await ids({ organisationId: org.id, text: "vorige titel" })).toEqual([]);
  });

  it("NOT_AN_ORGANISER, ROLE_REQUIRED, COORDINATOR_ONLY, UNAUTHENTICATED: only an organisation's organisers manage it and its initiatives", async () => {
    const coordinator = await buildCoordinator(t);
    const org = await buildOrganisation(t, { coordinator });
    const otherOrganiser = await buildOrganiser(t, coordinator);
    const resident = await buildPerson(t);
    const initiative = await postInitiative(t, org);
    const input = { organisationId: org.id, kind: "ACTIVITY", title: "Kaper", description: "Niet van mij", neighbourhoodId: NB.wielwijk };

    const anon = await t.gql(CREATE_INITIATIVE, { input });
    expect(codeOf(anon)).toBe("UNAUTHENTICATED");
    for (const who of [otherOrganiser, resident]) {
      const r = await t.gql(CREATE_INITIATIVE, { input }, who.token);
      expect(codeOf(r)).toBe("FORBIDDEN");
      expect(reasonOf(r)).toBe("NOT_AN_ORGANISER");
      const u = await t.gql(`mutation($id: ID!) { cancelInitiative(id: $id) { status } }`, { id: initiative.id }, who.token);
      expect(reasonOf(u)).toBe("NOT_AN_ORGANISER");
      const m = await t.gql(`query($id: ID!) { organisation(id: $id) { members { role } } }`, { id: org.id }, who.token);
      expect(reasonOf(m)).toBe("NOT_AN_ORGANISER");
      const s = await t.gql(`query($id: ID!) { initiative(id: $id) { signups { edges { node { id } } } } }`, { id: initiative.id }, who.token);
      expect(reasonOf(s)).toBe("NOT_AN_ORGANISER");
    }
    const createOrg = await t.gql(
      `mutation { createOrganisation(input: { name: "Eigen club", kind: OTHER, description: "x", neighbourhoodId: "${NB.wielwijk}" }) { id } }`,
      {},
      resident.token,
    );
    expect(reasonOf(createOrg)).toBe("ROLE_REQUIRED");
    const verify = await t.gql(`mutation($id: ID!) { verifyOrganisation(id: $id) { id } }`, { id: org.id }, org.organiser.token);
    expect(reasonOf(verify)).toBe("COORDINATOR_ONLY");
    const pending = await t.gql(`{ organisations(filter: { pendingVerification: true }) { edges { node { id } } } }`, {}, org.organiser.token);
    expect(reasonOf(pending)).toBe("COORDINATOR_ONLY");

    // The organisation's own organisers and coordinators see its members.
    const members = await t.gql(`query($id: ID!) { organisation(id: $id) { myRole members { role person { id } } } }`, { id: org.id }, org.organiser.token);
    expect(members.data.organisation).toEqual({ myRole: "ORGANISER", members: [{ role: "ORGANISER", person: { id: org.organiser.id } }] });
    const byCoordinator = await t.gql(`query($id: ID!) { organisation(id: $id) { members { role } } }`, { id: org.id }, coordinator.token);
    expect(byCoordinator.errors).toBeUndefined();
  });

  it("LAST_ORGANISER, NOT_AN_ORGANISATION_MEMBER, PERSON_NOT_FOUND: manages members and always keeps one organiser", async () => {
    const org = await buildOrganisation(t);
    const colleague = await buildPerson(t, { firstName: "Collega" });
    const add = `mutation($o: ID!, $p: ID!, $r: OrganisationMemberRole!) { addOrganisationMember(organisationId: $o, personId: $p, role: $r) { role person { id firstName } } }`;
    const remove = `mutation($o: ID!, $p: ID!) { removeOrganisationMember(organisationId: $o, personId: $p) { person { id } } }`;
    const added = await t.gql(add, { o: org.id, p: colleague.id, r: "ORGANISER" }, org.organiser.token);
    expect(added.data.addOrganisationMember).toHaveLength(2);
    // The colleague now organises too: they create an initiative.
    await postInitiative(t, { ...org, organiser: colleague });
    const mine = await t.gql(`{ myOrganisations { role organisation { id } } }`, {}, colleague.token);
    expect(mine.data.myOrganisations).toEqual([{ role: "ORGANISER", organisation: { id: org.id } }]);

    expect((await t.gql(remove, { o: org.id, p: org.organiser.id }, colleague.token)).errors).toBeUndefined();
    const last = await t.gql(remove, { o: org.id, p: colleague.id }, colleague.token);
    expect(codeOf(last)).toBe("CONFLICT");
    expect(reasonOf(last)).toBe("LAST_ORGANISER");
    const demote = await t.gql(add, { o: org.id, p: colleague.id, r: "VOLUNTEER" }, colleague.token);
    expect(reasonOf(demote)).toBe("LAST_ORGANISER");
    const notMember = await t.gql(remove, { o: org.id, p: org.organiser.id }, colleague.token);
    expect(reasonOf(notMember)).toBe("NOT_AN_ORGANISATION_MEMBER");
    const unknown = await t.gql(add, { o: org.id, p: "per_nobody", r: "VOLUNTEER" }, colleague.token);
    expect(reasonOf(unknown)).toBe("PERSON_NOT_FOUND");
  });

  it("announces initiatives live to anonymous partner apps as they become public, filtered by neighbourhood and kind", async () => {
    const coordinator = await buildCoordinator(t);
    const org = await buildOrganisation(t, { coordinator, neighbourhoodId: NB.dubbeldam });
    const pending = await buildOrganisation(t, { coordinator, verified: false });
    const PUBLISHED = `subscription($n: [ID!], $k: [InitiativeKind!]) { initiativePublished(neighbourhoodIds: $n, kinds: $k) { cursor initiative { id title organisation { id } } } }`;
    const partner = collect(t.ws(), PUBLISHED, { n: [NB.dubbeldam], k: ["ACTIVITY"] });
    const everything = collect(t.ws(), PUBLISHED);
    await new Promise((r) => setTimeout(r, 300));

    const fits = await postInitiative(t, org, { neighbourhoodId: NB.dubbeldam, kind: "ACTIVITY", title: "Buurtbarbecue" });
    const got = await partner.next(1000);
    expect(got.data.initiativePublished.initiative).toEqual({ id: fits.id, title: "Buurtbarbecue", organisation: { id: org.id } });
    expect(got.data.initiativePublished.cursor).toMatch(/^\d+$/);
    await postInitiative(t, org, { neighbourhoodId: NB.dubbeldam, kind: "COURSE" });
    await postInitiative(t, org, { neighbourhoodId: NB.wielwijk, kind: "ACTIVITY" });
    const waiting = await postInitiative(t, pending, { neighbourhoodId: NB.dubbeldam, kind: "ACTIVITY" });
    await postInitiative(t, org, { neighbourhoodId: NB.dubbeldam, kind: "ACTIVITY", publish: false });
    expect(await partner.quiet(400)).toBe(true);
    expect(partner.items).toHaveLength(1);
    // Verifying the organisation makes its published initiative public: now it is announced.
    await t.gql(`mutation($id: ID!) { verifyOrganisation(id: $id) { id } }`, { id: pending.id }, coordinator.token);
    expect((await partner.next(1000)).data.initiativePublished.initiative.id).toBe(waiting.id);
    await everything.quiet(300);
    expect(everything.items.map((i) => i.data?.initiativePublished.initiative.id)).toEqual(expect.arrayContaining([fits.id, waiting.id]));
    expect(everything.items).toHaveLength(4);

    const bad = await collect(t.ws(), PUBLISHED, { n: ["nb_nowhere"] }).next(1000);
    expect(bad.errors?.[0].extensions?.reason).toBe("UNKNOWN_NEIGHBOURHOOD");
  });
});

describe("the initiatives part of the contract", () => {
  it("names the Dutch term of each main type", async () => {
    const { buildGraphQLSchema } = await import("../../src/app.schema.js");
    const schema = buildGraphQLSchema(null);
    const terms: [string, RegExp][] = [
      ["Initiative", /buurtinitiatief/],
      ["Organisation", /organisatie/],
      ["Signup", /aanmelding/],
      ["Placement", /participatieplek/],
      ["ParticipationUtilisation", /benutting/],
    ];
    for (const [type, term] of terms) expect(schema.getType(type)!.description, type).toMatch(term);
  });
});
