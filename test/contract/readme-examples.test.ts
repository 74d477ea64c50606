import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, type OperationDefinitionNode, parse, print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, HOUR, NB, TEAM, buildOrganisation, buildPerson, buildProfessional, postInitiative, schedule } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

/**
 * The README is the front door: every operation in its ```graphql blocks runs here against a real
 * server, as a reader would run it — as the role the text names, with the ids an earlier example
 * returned and dates from now on in its variables. An example that stops working, or a new one
 * without a way to run it below, fails this test.
 */
const readme = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), "../../README.md"), "utf8");

interface Example {
  name: string;
  source: string;
}

/** Every operation of every ```graphql block, in the order the README shows them. */
export function readmeExamples(text: string): Example[] {
  const out: Example[] = [];
  for (const block of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const doc = parse(block[1]);
    for (const def of doc.definitions) {
      expect(def.kind, `README: only operations in graphql blocks:\n${block[1]}`).toBe(Kind.OPERATION_DEFINITION);
      const op = def as OperationDefinitionNode;
      expect(op.name?.value, `README: every example operation has a name:\n${print(op)}`).toBeTruthy();
      out.push({ name: op.name!.value, source: print(op) });
    }
  }
  return out;
}

/** What a reader has at hand while following the README: their accounts and what earlier examples returned. */
interface Reader {
  volunteer: Account;
  resident: Account;
  carer: Account;
  professional: Account;
  participant: Account;
  helpRequestId?: string;
  circleId?: string;
  shiftId?: string;
  escalationId?: string;
  initiativeId?: string;
}

interface Step {
  /** Whose token the reader sends; none for public examples. */
  as: (r: Reader) => Account | undefined;
  /** The variables the reader fills in. */
  variables?: (r: Reader, t: TestApp) => Record<string, unknown>;
  /** What the reader takes from the answer for the next examples. */
  then?: (data: any, r: Reader) => void;
}

const iso = (t: TestApp, hours: number) => new Date(t.clock.now().getTime() + hours * HOUR).toISOString();
const amsterdamDate = (t: TestApp) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(t.clock.now());
const first = (list: any[], what: string): any => {
  expect(list.length, `the README example found no ${what}`).toBeGreaterThan(0);
  return list[0];
};

/** How to run each README example; keyed by operation name. */
const steps: Record<string, Step> = {
  Login: { as: () => undefined, then: (d) => expect(d.login.me.roles).toContain("VOLUNTEER") },
  Browse: { as: (r) => r.volunteer, variables: () => ({ after: null }) },
  AskForHelp: {
    as: (r) => r.resident,
    variables: (_r, t) => ({ windowStart: iso(t, 24), windowEnd: iso(t, 32) }),
    then: (d, r) => (r.helpRequestId = d.askForHelp.id),
  },
  AcceptHelpRequest: { as: (r) => r.volunteer, variables: (r) => ({ id: r.helpRequestId }), then: (d) => expect(d.acceptHelpRequest.status).toBe("MATCHED") },
  StartHelpRequest: { as: (r) => r.volunteer, variables: (r) => ({ id: r.helpRequestId }) },
  CompleteHelpRequest: { as: (r) => r.volunteer, variables: (r) => ({ id: r.helpRequestId }), then: (d) => expect(d.completeHelpRequest.status).toBe("DONE") },
  CreateCareCircle: { as: (r) => r.carer, then: (d, r) => (r.circleId = d.createCareCircle.id) },
  InviteToCareCircle: { as: (r) => r.carer, variables: (r) => ({ circleId: r.circleId }) },
  AddCareTask: { as: (r) => r.carer, variables: (r, t) => ({ circleId: r.circleId, startDate: amsterdamDate(t) }) },
  CareSchedule: {
    as: (r) => r.carer,
    variables: (r) => ({ circleId: r.circleId }),
    then: (d, r) =>
      (r.shiftId = first(
        d.careCircle.shifts.edges.filter((e: any) => e.node.status === "OPEN"),
        "open shift",
      ).node.id),
  },
  ClaimCareShift: { as: (r) => r.carer, variables: (r) => ({ shiftId: r.shiftId }) },
  CareCalendarFeed: { as: (r) => r.carer, variables: (r) => ({ circleId: r.circleId }) },
  TeamQueue: { as: (r) => r.professional, then: (d, r) => (r.escalationId = first(d.teamQueue.edges, "case").node.id) },
  AcknowledgeEscalation: { as: (r) => r.professional, variables: (r) => ({ id: r.escalationId }) },
  CloseEscalation: { as: (r) => r.professional, variables: (r) => ({ id: r.escalationId }) },
  Initiatives: { as: () => undefined, then: (d, r) => (r.initiativeId = first(d.initiatives.edges, "initiative").node.id) },
  SignUpForInitiative: { as: (r) => r.participant, variables: (r) => ({ initiativeId: r.initiativeId }) },
};

describe("the README's GraphQL examples", () => {
  it("are named operations, each with a way to run it here, and nothing here that the README lost", () => {
    const names = readmeExamples(readme).map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(steps).sort());
  });
});

describe.each(backends())("the README's GraphQL examples on $name", (backend) => {
  let t: TestApp;
  let reader: Reader;
  beforeAll(async () => {
    t = await startTestApp(backend);
    // The accounts the README's examples assume, as a reader would have them (the demo volunteer's login).
    const register = await t.gql(`mutation($input: RegisterInput!) { register(input: $input) { token me { person { id } } } }`, {
      input: { email: "mohammed@zorgzaam.example", password: "zorgzaam-demo", firstName: "Mohammed", lastName: "El Amrani", neighbourhoodId: NB.wielwijk, roles: ["VOLUNTEER"] },
    });
    expect(register.errors).toBeUndefined();
    const volunteer: Account = { id: register.data.register.me.person.id, token: register.data.register.token, email: "mohammed@zorgzaam.example" };
    const profile = await t.gql(
      `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
      { input: { categoryIds: [CAT.groceries], neighbourhoodIds: [NB.oudKrispijn, NB.wielwijk], languages: ["nl"], availability: [] } },
      volunteer.token,
    );
    expect(profile.errors).toBeUndefined();
    const professional = await buildProfessional(t, TEAM.westSocial);
    // A case in the West team's queue, and a coffee morning the initiatives example finds.
    const asker = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const direct = await t.gql(`mutation($i: ProfessionalHelpInput!) { askProfessionalHelp(input: $i) { status } }`, { i: { reason: "FINANCIAL" } }, asker.token);
    expect(direct.errors).toBeUndefined();
    const org = await buildOrganisation(t);
    await postInitiative(t, org, { title: "Koffieochtend", description: "Koffie en een praatje.", neighbourhoodId: NB.oudKrispijn, schedule: schedule(t, 48, 2) });
    reader = {
      volunteer,
      resident: await buildPerson(t, { neighbourhoodId: NB.oudKrispijn }),
      carer: await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk }),
      professional,
      participant: await buildPerson(t),
    };
  });
  afterAll(async () => t?.close());

  it("each run without errors, in the README's order, with dates from now on", async () => {
    for (const example of readmeExamples(readme)) {
      const step = steps[example.name];
      expect(step, `no way to run the README example ${example.name}`).toBeDefined();
      const r = await t.gql(example.source, step.variables?.(reader, t), step.as(reader)?.token);
      expect(r.errors, `README example ${example.name}:\n${example.source}`).toBeUndefined();
      step.then?.(r.data, reader);
    }
  });
});
