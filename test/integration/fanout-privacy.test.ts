import fc from "fast-check";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import {
  type Account,
  CAT,
  NB,
  type OrganisationFixture,
  SIGN_UP,
  askForHelp,
  buildCoordinator,
  buildOrganisation,
  buildOrganiser,
  buildPerson,
  buildVolunteer,
  postInitiative,
} from "../support/builders.js";
import { type TestApp, attached, collect, metric as counter, startTestApp } from "../support/test-app.js";

/** The reproduction: a volunteer's own sign-up, with its contact details, under each suggested initiative. */
const MY_SIGNUP = `subscription { helpRequestPosted(neighbourhoodIds: ["${NB.wielwijk}"]) { helpRequest { id suggestedInitiatives(first: 10) { id mySignup { contact { fullName phone address email } } } } } }`;
const SIGNUPS = `subscription { helpRequestPosted(neighbourhoodIds: ["${NB.wielwijk}"]) { helpRequest { id suggestedInitiatives(first: 10) { id signups(first: 10) { edges { node { contact { fullName phone } } } } } } } }`;

/** Pieces of a help request's selection: each depends on who asks in its own way (or on nothing). */
const PIECES = [
  "id title",
  "personHelped { firstName } neighbourhood { name }",
  "suggestedInitiatives(first: 10) { id mySignup { status contact { fullName phone address email } } }",
  "suggestedInitiatives(first: 10) { id signups(first: 10) { edges { node { participant { firstName } contact { fullName phone } } } } }",
  "suggestedInitiatives(first: 10) { organisation { name myRole members { role person { id } } } }",
  "suggestedInitiatives(first: 10) { organisation { initiatives(first: 10) { edges { node { id status } } } } }",
  "contact { phone }",
  "history { toStatus }",
  "volunteer { firstName }",
  "takenOnBy { id }",
  "escalation { status }",
];

const documentOf = (pieces: string[], extra = "") => `subscription { helpRequestPosted(neighbourhoodIds: ["${NB.wielwijk}"]) { helpRequest { ${pieces.join(" ")} ${extra} } } }`;

const ACCESS_LOG = `{ accessLog(first: 100) { edges { node { purpose reader { id } } } } }`;

// With the list of viewer-dependent fields, and with none: the run-time check alone must keep answers apart too.
const setups = backends().flatMap((backend) => [
  { backend, fields: undefined, name: `${backend.name}` },
  { backend, fields: [] as string[], name: `${backend.name}, with no field listed as viewer-dependent` },
]);

describe.each(setups)("shared execution of subscription events on $name", ({ backend, fields }) => {
  let t: TestApp;
  let resident: Account;
  let orgA: OrganisationFixture;
  let orgB: OrganisationFixture;
  let initiativeA: string;
  /** Volunteers with the same roles: V signed up for A's initiative, W did not, M is a member of A. */
  let v: Account;
  let w: Account;
  let m: Account;
  /** A participant of each organisation's initiative. */
  let participantA: Account;
  const clients = new Map<string, Client>();
  const client = (a: Account) => {
    let c = clients.get(a.id);
    if (!c) clients.set(a.id, (c = t.ws(a.token)));
    return c;
  };

  /** An organiser who is also a fitting volunteer (roles RESIDENT, ORGANISER, VOLUNTEER). */
  async function volunteeringOrganiser(coordinator: Account): Promise<Account> {
    const o = await buildOrganiser(t, coordinator, { neighbourhoodId: NB.wielwijk });
    expect((await t.gql(`mutation($id: ID!) { grantRole(personId: $id, role: VOLUNTEER) }`, { id: o.id }, coordinator.token)).errors).toBeUndefined();
    const p = await t.gql(
      `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
      { input: { categoryIds: [CAT.groceries], neighbourhoodIds: [NB.wielwijk], languages: ["nl"], availability: [] } },
      o.token,
    );
    expect(p.errors).toBeUndefined();
    return o;
  }

  beforeAll(async () => {
    t = await startTestApp(backend, {}, { viewerDependentFields: fields });
    const coordinator = await buildCoordinator(t);
    orgA = await buildOrganisation(t, { coordinator, organiser: await volunteeringOrganiser(coordinator), neighbourhoodId: NB.wielwijk, name: "Buurthuis A" });
    orgB = await buildOrganisation(t, { coordinator, organiser: await volunteeringOrganiser(coordinator), neighbourhoodId: NB.wielwijk, name: "Buurthuis B" });
    initiativeA = (await postInitiative(t, orgA, { title: "Samen boodschappen A", neighbourhoodId: NB.wielwijk, categoryIds: [CAT.groceries] })).id;
    // B's initiative is for company: only A's is suggested with a request for groceries.
    await postInitiative(t, orgB, { title: "Koffie bij B", neighbourhoodId: NB.wielwijk, categoryIds: [CAT.company] });
    const fits = { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] };
    v = await buildVolunteer(t, { ...fits, firstName: "Vera" });
    w = await buildVolunteer(t, { ...fits, firstName: "Wim" });
    m = await buildVolunteer(t, { ...fits, firstName: "Mo" });
    const added = await t.gql(
      `mutation($o: ID!, $p: ID!) { addOrganisationMember(organisationId: $o, personId: $p, role: VOLUNTEER) { role } }`,
      { o: orgA.id, p: m.id },
      orgA.organiser.token,
    );
    expect(added.errors).toBeUndefined();
    participantA = await buildPerson(t, { firstName: "Piet", lastName: "Alfa", phone: "0611111111" });
    for (const [who, initiativeId] of [
      [v, initiativeA],
      [participantA, initiativeA],
    ] as const) {
      expect((await t.gql(SIGN_UP, { input: { initiativeId } }, who.token)).errors).toBeUndefined();
    }
    resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    // One subscriber stays for the whole file, so the topic is followed throughout (with Redis, a topic
    // followed anew takes a moment before it hears events, and a live subscription does not replay).
    const anchor = await buildVolunteer(t, { ...fits, firstName: "Anker" });
    collect(client(anchor), `subscription { helpRequestPosted { helpRequest { id } } }`);
    await attached(t, 1);
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(async () => t?.close());

  /** Subscribes each (in this order, each in place before the next), posts one request, and returns what each received. */
  async function deliver(subscriptions: { who: Account; query: string }[]) {
    const base = await counter(t, "zorgzaam_subscriptions_attached");
    const subs = [];
    for (const [i, s] of subscriptions.entries()) {
      subs.push(collect(client(s.who), s.query));
      await attached(t, base + i + 1);
    }
    await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, categoryId: CAT.groceries, title: "Boodschappen in Wielwijk" });
    const got = await Promise.all(subs.map((s) => s.next(15_000)));
    subs.forEach((s) => s.unsubscribe());
    await attached(t, base);
    return got;
  }

  /**
   * What must be equal between a shared and an alone delivery: the data exactly, and the errors as the set of
   * their codes and reasons. Which error graphql-js reports when several sibling fields fail under a non-null
   * parent depends on which resolver settles first, so messages and paths may differ between two executions
   * for the same person; errors carry no personal data.
   */
  const comparable = (result: any) => ({
    data: result.data ?? null,
    errors: [...new Set((result.errors ?? []).map((e: any) => `${e.extensions?.code}/${e.extensions?.reason}`))].sort(),
  });

  const mine = (result: any) => Object.fromEntries(result.data.helpRequestPosted.helpRequest.suggestedInitiatives.map((i: any) => [i.id, i.mySignup?.contact ?? null]));

  it("gives each volunteer their own sign-up under the suggestions, whoever subscribed first", async () => {
    const [forV, forW] = await deliver([
      { who: v, query: MY_SIGNUP },
      { who: w, query: MY_SIGNUP },
    ]);
    expect(mine(forV)[initiativeA]).toEqual({ fullName: "Vera Person", phone: "06 1111 2222", address: "Teststraat 1, Dordrecht", email: v.email });
    expect(mine(forW)).toEqual({ [initiativeA]: null });

    const [forW2, forV2] = await deliver([
      { who: w, query: MY_SIGNUP },
      { who: v, query: MY_SIGNUP },
    ]);
    expect(mine(forW2)).toEqual({ [initiativeA]: null });
    expect(mine(forV2)[initiativeA]).toEqual({ fullName: "Vera Person", phone: "06 1111 2222", address: "Teststraat 1, Dordrecht", email: v.email });
  });

  it("shows sign-ups with contact details only to the initiative's own organisers (NOT_AN_ORGANISER for another), and logs each read as theirs", async () => {
    const logOf = async (p: Account) => (await t.gql(ACCESS_LOG, {}, p.token)).data.accessLog.edges.map((e: any) => e.node.reader?.id);
    const namesOf = (result: any) =>
      result.data?.helpRequestPosted.helpRequest.suggestedInitiatives.find((i: any) => i.id === initiativeA)?.signups.edges.map((e: any) => e.node.contact?.fullName);
    for (const order of [
      [orgA.organiser, orgB.organiser],
      [orgB.organiser, orgA.organiser],
    ]) {
      const before = (await logOf(participantA)).filter((id: string) => id === orgA.organiser.id).length;
      const got = await deliver(order.map((who) => ({ who, query: SIGNUPS })));
      const forA = got[order.indexOf(orgA.organiser)];
      const forB = got[order.indexOf(orgB.organiser)];
      expect(namesOf(forA)).toEqual(["Vera Person", "Piet Alfa"]);
      expect(forB.data).toBeNull();
      expect(forB.errors?.map((e: any) => e.extensions?.reason)).toEqual(["NOT_AN_ORGANISER"]);
      expect(JSON.stringify(forB)).not.toContain("Piet Alfa");
      // The organiser's read is in the participant's access log, under that organiser, once per delivery.
      const log = await logOf(participantA);
      expect(log.filter((id: string) => id === orgA.organiser.id)).toHaveLength(before + 1);
      expect(log).not.toContain(orgB.organiser.id);
    }
  });

  it("delivers to every subscriber exactly what executing the document for them alone gives (any document, any order)", async () => {
    const pool = () => [v, w, m, orgA.organiser, orgB.organiser];
    await fc.assert(
      fc.asyncProperty(fc.subarray(PIECES, { minLength: 1 }), fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 2 }), async (pieces, order) => {
        const who = order.map((i) => pool()[i]);
        const shared = documentOf(pieces);
        // A document of its own per subscriber (an alias nobody else has): executed for them alone.
        const alone = who.map((_, i) => documentOf(pieces, `alone${i}: __typename`));
        const got = await deliver([...who.map((a) => ({ who: a, query: shared })), ...who.map((a, i) => ({ who: a, query: alone[i] }))]);
        for (const [i] of who.entries()) {
          const expected = got[who.length + i] as any;
          if (expected.data) delete expected.data.helpRequestPosted.helpRequest[`alone${i}`];
          expect(comparable(got[i])).toEqual(comparable(expected));
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
