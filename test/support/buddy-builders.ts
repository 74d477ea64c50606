import { expect } from "vitest";
import { type Account, type OrganisationFixture, buildOrganisation, buildPerson, buildVolunteer } from "./builders.js";
import type { TestApp } from "./test-app.js";

export const DAY = 86_400_000;

export const CREATE_PROGRAMME = `mutation($input: CreateBuddyProgrammeInput!) {
  createBuddyProgramme(input: $input) { id name kind kindName vogRequired worksWithMinorsOrFamilies trainingName frequency minMonths maxMonths organisation { id } }
}`;
export const REFER = `mutation($input: ReferBuddyParticipantInput!) { referBuddyParticipant(input: $input) { id status referral waitingListPosition } }`;
export const APPLY = `mutation($input: ApplyAsBuddyInput!) { applyAsBuddy(input: $input) { id status capacity } }`;
export const TRAIN = `mutation($id: ID!) { recordBuddyTraining(buddyId: $id) { id status trainedAt } }`;
export const MATCH = `mutation($input: MatchBuddyInput!) { matchBuddy(input: $input) { id status startedAt plannedEndAt nextCheckinDue checkinEveryDays participant { id status } buddy { id } } }`;
export const CHECK_IN = `mutation($id: ID!, $note: String) { checkInBuddyMatch(matchId: $id, note: $note) { id nextCheckinDue missedInRow } }`;
export const PAUSE = `mutation($id: ID!) { pauseBuddyMatch(matchId: $id) { id status pausedAt } }`;
export const RESUME = `mutation($id: ID!) { resumeBuddyMatch(matchId: $id) { id status nextCheckinDue plannedEndAt } }`;
export const END = `mutation($id: ID!, $e: BuddyEvaluationInput) { endBuddyMatch(matchId: $id, evaluation: $e) { id status endedAt } }`;
export const EVALUATE = `mutation($id: ID!, $e: BuddyEvaluationInput!) { evaluateBuddyMatch(matchId: $id, evaluation: $e) { id status } }`;
export const CANDIDATES = `query($id: ID!) { buddyCandidates(participantId: $id) { buddy { id } score reasons sharedLanguages currentLoad } }`;
export const WAITING = `query($id: ID!) { buddyProgramme(id: $id) { waitingList { id waitingListPosition person { firstName } } } }`;
export const SIGNALS = `query($id: ID!) { buddyProgramme(id: $id) { signals { id kind dueAt acknowledgedAt match { id } } } }`;

export interface Programme {
  id: string;
  org: OrganisationFixture;
}

/** A programme of a new organisation (its organiser coordinates it). */
export async function buildProgramme(t: TestApp, overrides: Record<string, unknown> = {}, org?: OrganisationFixture): Promise<Programme> {
  const o = org ?? (await buildOrganisation(t, { kind: "WELFARE" }));
  const r = await t.gql(
    CREATE_PROGRAMME,
    {
      input: {
        organisationId: o.id,
        name: "Taalmaatjes Dordrecht",
        kind: "STATUSHOUDERS",
        intakeCriteria: "Statushouders die hun Nederlands willen oefenen, in de eerste drie jaar na vestiging.",
        trainingName: "Training taalcoach",
        vogRequired: false,
        worksWithMinorsOrFamilies: false,
        frequency: "WEEKLY",
        minMonths: 6,
        maxMonths: 12,
        ...overrides,
      },
    },
    o.organiser.token,
  );
  expect(r.errors).toBeUndefined();
  return { id: r.data.createBuddyProgramme.id, org: o };
}

export async function refer(t: TestApp, token: string, programmeId: string, input: Record<string, unknown> = {}) {
  const r = await t.gql(REFER, { input: { programmeId, consent: true, languages: ["ar", "nl"], interests: ["koken"], weekdays: [2, 4], ...input } }, token);
  expect(r.errors).toBeUndefined();
  return r.data.referBuddyParticipant as { id: string; status: string; referral: string; waitingListPosition: number | null };
}

/** A volunteer who applied as buddy and, if the programme asks it, was recorded as trained. */
export async function buildBuddy(
  t: TestApp,
  p: Programme,
  o: { firstName?: string; languages?: string[]; interests?: string[]; weekdays?: number[]; train?: boolean; vog?: boolean; capacity?: number } = {},
) {
  const volunteer = await buildVolunteer(t, { firstName: o.firstName ?? "Bram", vog: o.vog, coordinator: o.vog ? p.org.coordinator : undefined });
  const r = await t.gql(
    APPLY,
    { input: { programmeId: p.id, languages: o.languages ?? ["nl"], interests: o.interests ?? ["wandelen"], weekdays: o.weekdays ?? [2], capacity: o.capacity ?? 1 } },
    volunteer.token,
  );
  expect(r.errors).toBeUndefined();
  const id = r.data.applyAsBuddy.id as string;
  if (o.train !== false) {
    const tr = await t.gql(TRAIN, { id }, p.org.organiser.token);
    expect(tr.errors).toBeUndefined();
  }
  return { id, volunteer };
}

export async function participantAccount(t: TestApp, firstName: string, neighbourhoodId?: string): Promise<Account> {
  return buildPerson(t, { firstName, ...(neighbourhoodId ? { neighbourhoodId } : {}) });
}
