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
      const helping = await Promise.all(
        volunteers.map((v) => t.gql(`{ myHelpRequests(relation: HELPING) { edges { node { id } } } }`, {}, v.token)),
      );
      const holders = volunteers.filter((_, i) => helping[i].data.myHelpRequests.edges.some((e: any) => e.node.id === req.id));
      expect(holders.map((h) => h.id)).toEqual([winnerId]);
    }
  });
});
