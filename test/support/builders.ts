import { expect } from "vitest";
import type { TestApp } from "./test-app.js";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const NB = {
  oudKrispijn: "nb_dordrecht-oud-krispijn",
  wielwijk: "nb_dordrecht-wielwijk",
  binnenstad: "nb_dordrecht-binnenstad",
  dubbeldam: "nb_dordrecht-dubbeldam",
};
export const CAT = {
  groceries: "cat_groceries",
  company: "cat_company",
  transport: "cat_transport",
  paperwork: "cat_paperwork",
};

export interface Account {
  id: string;
  token: string;
  email: string;
}

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token me { person { id } roles } } }`;

export async function buildPerson(t: TestApp, overrides: Record<string, unknown> = {}): Promise<Account> {
  const email = `person-${unique()}@test.example`;
  const r = await t.gql(REGISTER, {
    input: {
      email,
      password: "correct horse battery",
      firstName: "Test",
      lastName: "Person",
      neighbourhoodId: NB.oudKrispijn,
      phone: "06 1111 2222",
      address: "Teststraat 1, Dordrecht",
      ...overrides,
    },
  });
  expect(r.errors).toBeUndefined();
  return { id: r.data.register.me.person.id, token: r.data.register.token, email };
}

/** A coordinator: the first one cannot be granted through the API, so the role is written directly. */
export async function buildCoordinator(t: TestApp): Promise<Account> {
  const p = await buildPerson(t, { firstName: "Coordinator" });
  const s = t.app.services;
  await s.db.transaction(async (tx) => {
    await tx.insert(s.db.tables.personRoles).values({ personId: p.id, role: "COORDINATOR", grantedAt: new Date() });
  });
  const login = await t.gql(`mutation($e: String!) { login(email: $e, password: "correct horse battery") { token } }`, { e: p.email });
  return { ...p, token: login.data.login.token };
}

export interface VolunteerOptions {
  neighbourhoodIds?: string[];
  categoryIds?: string[];
  vog?: boolean;
  coordinator?: Account;
  firstName?: string;
  /** Weekly slots; none by default (availability not stated limits nothing). */
  availability?: { weekday: number; from: string; to: string }[];
  languages?: string[];
}

export async function buildVolunteer(t: TestApp, o: VolunteerOptions = {}): Promise<Account> {
  const v = await buildPerson(t, { roles: ["VOLUNTEER"], firstName: o.firstName ?? "Vera", neighbourhoodId: NB.wielwijk });
  const r = await t.gql(
    `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
    {
      input: {
        categoryIds: o.categoryIds ?? [CAT.groceries, CAT.company],
        neighbourhoodIds: o.neighbourhoodIds ?? [NB.oudKrispijn, NB.wielwijk],
        languages: o.languages ?? ["nl"],
        availability: o.availability ?? [],
      },
    },
    v.token,
  );
  expect(r.errors).toBeUndefined();
  if (o.vog) {
    const coordinator = o.coordinator ?? (await buildCoordinator(t));
    const vr = await t.gql(`mutation($id: ID!) { reviewVog(personId: $id, verified: true, issuedOn: "2026-01-15") { vogStatus } }`, { id: v.id }, coordinator.token);
    expect(vr.data?.reviewVog.vogStatus).toBe("VERIFIED");
  }
  return v;
}

export const HOUR = 3600_000;

export function window(t: TestApp, startInHours = 24, lengthHours = 48) {
  const start = t.clock.now().getTime() + startInHours * HOUR;
  return { windowStart: new Date(start).toISOString(), windowEnd: new Date(start + lengthHours * HOUR).toISOString() };
}

export const ASK = `mutation($input: AskForHelpInput!) { askForHelp(input: $input) { id status vogRequired urgency askedOnBehalf neighbourhood { id } category { id } personHelped { id firstName } } }`;

export async function askForHelp(t: TestApp, token: string, overrides: Record<string, unknown> = {}) {
  const r = await t.gql(
    ASK,
    {
      input: {
        categoryId: CAT.groceries,
        title: "Boodschappen",
        description: "Wie kan er boodschappen voor mij doen?",
        ...window(t),
        ...overrides,
      },
    },
    token,
  );
  expect(r.errors).toBeUndefined();
  return r.data.askForHelp as { id: string; status: string; vogRequired: boolean; personHelped: { id: string; firstName: string } };
}

/** Row counts of every domain table: a bad request must leave them unchanged. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const s = t.app.services;
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries(s.db.tables)) {
    const rows = await s.db.read.select().from(table as never);
    out[name] = (rows as unknown[]).length;
  }
  return out;
}

export const TEAM = {
  westSocial: "team_dordrecht-west-swt",
  westYouth: "team_dordrecht-west-jt",
  centrumSocial: "team_dordrecht-centrum-swt",
  centrumYouth: "team_dordrecht-centrum-jt",
};

/** A professional of a team (granted by a coordinator, as in real use). */
export async function buildProfessional(t: TestApp, teamId: string, coordinator?: Account): Promise<Account> {
  const c = coordinator ?? (await buildCoordinator(t));
  const p = await buildPerson(t, { firstName: "Prof" });
  const r = await t.gql(`mutation($id: ID!, $team: ID!) { grantRole(personId: $id, role: PROFESSIONAL, teamId: $team) }`, { id: p.id, team: teamId }, c.token);
  expect(r.errors).toBeUndefined();
  return p;
}

/** A YYYY-MM-DD birth date for someone `years` old (plus half a year) at the server's now. */
export function birthDateForAge(t: TestApp, years: number): string {
  const now = t.clock.now();
  const d = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()) - 182 * 24 * HOUR);
  return d.toISOString().slice(0, 10);
}

/** A person with the ORGANISER role (granted by a coordinator, as in real use). */
export async function buildOrganiser(t: TestApp, coordinator?: Account, overrides: Record<string, unknown> = {}): Promise<Account> {
  const c = coordinator ?? (await buildCoordinator(t));
  const p = await buildPerson(t, { firstName: "Olga", ...overrides });
  const r = await t.gql(`mutation($id: ID!) { grantRole(personId: $id, role: ORGANISER) }`, { id: p.id }, c.token);
  expect(r.errors).toBeUndefined();
  return p;
}

export interface OrganisationFixture {
  id: string;
  organiser: Account;
  coordinator: Account;
}

/** An organisation with its organiser; verified by a coordinator unless `verified: false`. */
export async function buildOrganisation(
  t: TestApp,
  o: { coordinator?: Account; organiser?: Account; verified?: boolean; kind?: string; neighbourhoodId?: string; name?: string } = {},
): Promise<OrganisationFixture> {
  const coordinator = o.coordinator ?? (await buildCoordinator(t));
  const organiser = o.organiser ?? (await buildOrganiser(t, coordinator));
  const r = await t.gql(
    `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
    {
      input: {
        name: o.name ?? `Wijkwinkel ${unique()}`,
        kind: o.kind ?? "WIJKWINKEL",
        description: "Laagdrempelig binnenlopen met vragen.",
        neighbourhoodId: o.neighbourhoodId ?? NB.oudKrispijn,
        address: "Buurtstraat 1, Dordrecht",
      },
    },
    organiser.token,
  );
  expect(r.errors).toBeUndefined();
  const id = r.data.createOrganisation.id as string;
  if (o.verified !== false) {
    const v = await t.gql(`mutation($id: ID!) { verifyOrganisation(id: $id) { id } }`, { id }, coordinator.token);
    expect(v.errors).toBeUndefined();
  }
  return { id, organiser, coordinator };
}

export const CREATE_INITIATIVE = `mutation($input: CreateInitiativeInput!) {
  createInitiative(input: $input) { id status kind title capacity placesTaken waitingListLength placesLeft unlimited neighbourhood { id } organisation { id } }
}`;

/** Dates for an initiative: `lengthHours` long, starting `startInHours` from the server's now. */
export function schedule(t: TestApp, startInHours = 48, lengthHours = 2, repeat?: Record<string, unknown>) {
  const start = t.clock.now().getTime() + startInHours * HOUR;
  return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + lengthHours * HOUR).toISOString(), ...(repeat ? { repeat } : {}) };
}

/** A published initiative (unless `publish: false` is given) of the organisation. */
export async function postInitiative(t: TestApp, org: OrganisationFixture, overrides: Record<string, unknown> = {}) {
  const r = await t.gql(
    CREATE_INITIATIVE,
    {
      input: {
        organisationId: org.id,
        kind: "MEETING_PLACE",
        title: "Koffieochtend",
        description: "Elke week koffie en een praatje in de wijkwinkel.",
        neighbourhoodId: NB.oudKrispijn,
        schedule: schedule(t),
        publish: true,
        ...overrides,
      },
    },
    org.organiser.token,
  );
  expect(r.errors).toBeUndefined();
  return r.data.createInitiative as { id: string; status: string; capacity: number | null; placesTaken: number };
}

export const SIGN_UP = `mutation($input: SignUpInput!) { signUpForInitiative(input: $input) { id status position waitingListPosition participant { id firstName } } }`;
