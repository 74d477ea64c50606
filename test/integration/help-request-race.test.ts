import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status volunteer { id } } }`;

describe.each(backends())("accepting at once on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("HELP_REQUEST_ALREADY_MATCHED: of ten volunteers accepting in parallel exactly one wins, the others get CONFLICT", async () => {
    const resident = await buildPerson(t);
    const volunteers = await Promise.all(Array.from({ length: 10 }, () => buildVolunteer(t)));
    for (let round = 0; round < 3; round++) {
      const req = await askForHelp(t, resident.token);
      const results = await Promise.all(volunteers.map((v) => t.gql(ACCEPT, { id: req.id }, v.token)));
      const winners = results.filter((r) => r.data?.acceptHelpRequest?.status === "MATCHED");
      const losers = results.filter((r) => r.errors);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(9);
      for (const l of losers) {
        expect(codeOf(l)).toBe("CONFLICT");
        expect(reasonOf(l)).toBe("HELP_REQUEST_ALREADY_MATCHED");
      }
      const winnerId = winners[0].data.acceptHelpRequest.volunteer.id;
      const history = await t.gql(`query($id: ID!) { helpRequest(id: $id) { status history { toStatus } } }`, { id: req.id }, resident.token);
      expect(history.data.helpRequest.history.filter((e: any) => e.toStatus === "MATCHED")).toHaveLength(1);
      const helping = await Promise.all(volunteers.map((v) => t.gql(`{ myHelpRequests(relation: HELPING) { edges { node { id } } } }`, {}, v.token)));
      const holders = volunteers.filter((_, i) => helping[i].data.myHelpRequests.edges.some((e: any) => e.node.id === req.id));
      expect(holders.map((h) => h.id)).toEqual([winnerId]);
    }
  });
});

describe.each(backends())("accepting and cancelling at once on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it("records each transition from the status it actually changed: the history always leads to the final status", async () => {
    const resident = await buildPerson(t);
    const volunteers = await Promise.all(Array.from({ length: 3 }, () => buildVolunteer(t)));
    const HISTORY = `query($id: ID!) { helpRequest(id: $id) { status history { fromStatus toStatus } } }`;
    const broken: unknown[] = [];
    for (let round = 0; round < 100; round++) {
      const req = await askForHelp(t, resident.token);
      await Promise.all([
        ...volunteers.map((v) => t.gql(ACCEPT, { id: req.id }, v.token)),
        t.gql(`mutation($id: ID!) { cancelHelpRequest(id: $id) { status } }`, { id: req.id }, resident.token),
      ]);
      const { status, history } = (await t.gql(HISTORY, { id: req.id }, resident.token)).data.helpRequest;
      const chained = history.every((e: { fromStatus: string | null }, i: number) => e.fromStatus === (i === 0 ? null : history[i - 1].toStatus));
      if (!chained || history[history.length - 1].toStatus !== status) broken.push({ status, history });
    }
    expect(broken).toEqual([]);
  });
});
