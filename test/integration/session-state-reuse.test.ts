import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { backends } from "../support/backends.js";
import { type Account, buildCoordinator, buildPerson } from "../support/builders.js";
import { type TestApp, gql, reasonOf, startSecondInstance, startTestApp } from "../support/test-app.js";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const ME = `{ me { email } }`;

/**
 * Where the database tells whether anything was committed (SQLite), a token's session state is read
 * once and reused until something is. Two instances on one database, several people with several
 * logins each, and any order of requests, logouts, logouts everywhere and disabled accounts on either
 * instance: every request is answered as a model that reads the state afresh says it must be.
 */
describe.each(backends())("reused session state on $name", (backend) => {
  let t: TestApp;
  let other: App;
  let coordinator: Account;
  beforeAll(async () => {
    t = await startTestApp(backend);
    other = await startSecondInstance(t, backend);
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const login = async (a: Account) => (await gql(t.url, LOGIN, { e: a.email, p: "correct horse battery" })).data.login.token as string;

  it("every request after any sequence of logouts and disabled accounts on either instance is answered as a fresh read would", async () => {
    const action = fc.record({ kind: fc.constantFrom("ASK", "ASK", "ASK", "LOGOUT", "EVERYWHERE", "DISABLE"), who: fc.nat(2), login: fc.nat(1), on: fc.nat(1) });
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 14 }), async (actions) => {
        const people = await Promise.all([0, 1, 2].map(() => buildPerson(t)));
        const tokens = await Promise.all(people.map(async (p) => [await login(p), await login(p)]));
        const ended = tokens.map(() => [false, false]);
        const disabled = [false, false, false];
        const url = (on: number) => (on === 0 ? t.url : other.url);
        for (const a of actions) {
          const token = tokens[a.who][a.login];
          if (a.kind === "ASK") {
            const r = await gql(url(a.on), ME, {}, token);
            const open = !disabled[a.who] && !ended[a.who][a.login];
            if (open) expect(r.data?.me?.email, JSON.stringify(r.errors)).toBe(people[a.who].email);
            else expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
          } else if (a.kind === "LOGOUT") {
            const r = await gql(url(a.on), `mutation { logout }`, {}, token);
            if (!disabled[a.who] && !ended[a.who][a.login]) expect(r.errors).toBeUndefined();
            ended[a.who][a.login] = true;
          } else if (a.kind === "EVERYWHERE") {
            await gql(url(a.on), `mutation { logoutEverywhere }`, {}, token);
            if (!disabled[a.who] && !ended[a.who][a.login]) ended[a.who] = [true, true];
          } else {
            const r = await gql(url(a.on), `mutation($id: ID!) { disableAccount(personId: $id) }`, { id: people[a.who].id }, coordinator.token);
            expect(r.errors, reasonOf(r)).toBeUndefined();
            disabled[a.who] = true;
          }
        }
      }),
      { numRuns: 12 },
    );
  });
});
