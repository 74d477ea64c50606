import { expect } from "vitest";
import { type Account, HOUR, NB, buildPerson } from "./builders.js";
import type { TestApp } from "./test-app.js";

export const CREATE_CIRCLE = `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`;
export const INVITE = `mutation($c: ID!) { inviteToCareCircle(circleId: $c, relation: FAMILY) { code expiresAt } }`;
export const JOIN = `mutation($code: String!) { joinCareCircle(code: $code) { id } }`;
export const ADD_TASK = `mutation($c: ID!, $i: CareTaskInput!) { addCareTask(circleId: $c, input: $i) { id } }`;
export const SHIFTS = `query($c: ID!) { careCircle(id: $c) { shifts(first: 100) { edges { node { id startsAt status helpRequestId assignee { id } } } } } }`;
export const CLAIM = `mutation($id: ID!) { claimCareShift(id: $id) { id status } }`;

/** A circle run by a mantelzorger, with `relatives` members who joined by invitation. */
export async function buildCircle(t: TestApp, relatives = 2, receiver = "Riet") {
  const coordinator = await buildPerson(t, { roles: ["MANTELZORGER"], firstName: "Henk" });
  const c = await t.gql(CREATE_CIRCLE, { input: { name: `Zorg voor ${receiver}`, careReceiver: { firstName: receiver, neighbourhoodId: NB.wielwijk } } }, coordinator.token);
  expect(c.errors).toBeUndefined();
  const circleId = c.data.createCareCircle.id as string;
  const members: Account[] = [];
  for (let i = 0; i < relatives; i++) members.push(await joinCircle(t, circleId, coordinator));
  return { circleId, coordinator, members };
}

export async function joinCircle(t: TestApp, circleId: string, coordinator: Account): Promise<Account> {
  const m = await buildPerson(t, { firstName: "Familielid" });
  const inv = await t.gql(INVITE, { c: circleId }, coordinator.token);
  expect((await t.gql(JOIN, { code: inv.data.inviteToCareCircle.code }, m.token)).errors).toBeUndefined();
  return m;
}

/** The Amsterdam date and whole hour `hours` from the server's now. */
export function localSlot(t: TestApp, hours: number): { startDate: string; startTime: string } {
  const d = new Date(t.clock.now().getTime() + hours * HOUR);
  const startDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(d);
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", hour: "2-digit", hourCycle: "h23" }).format(d);
  return { startDate, startTime: `${hour}:00` };
}

export async function shiftsOf(t: TestApp, circleId: string, token: string) {
  return (await t.gql(SHIFTS, { c: circleId }, token)).data.careCircle.shifts.edges.map((e: any) => e.node);
}

/** Fetches a feed URL the server made, at the test server's address. */
export function feedUrl(t: TestApp, url: string): string {
  return new URL(new URL(url).pathname, t.url).toString();
}
